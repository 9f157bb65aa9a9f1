// `crit fmt`: canonical layout of a criteria file. Indentation becomes two
// spaces per block level, runs of spaces inside a line become one, an inline
// comment sits two spaces after the code, blank lines collapse to one.
// Comments are kept; the result is checked to parse to the same AST.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/diag.hpp"

namespace crit {

// The formatted text, or nullopt when the source has syntax errors (in diags).
std::optional<std::string> format_source(SourcePtr src, Diagnostics& diags);

// Formats files in place (or, with check_only, lists those that would change).
int format_files(const std::vector<std::string>& files, bool check_only, std::ostream& out, std::ostream& err);

}  // namespace crit
