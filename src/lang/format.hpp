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

// What `crit fmt` does with a file whose layout is not canonical.
enum class FormatMode {
    Write,  // rewrite it in place
    Check,  // name it
    Diff,   // print a unified diff from it to its canonical layout
};

// Formats files by `mode`; 1 if any file has errors or, under Check and Diff, would change.
int format_files(const std::vector<std::string>& files, FormatMode mode, std::ostream& out, std::ostream& err);

}  // namespace crit
