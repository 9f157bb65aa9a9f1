// `crit check --format json|sarif`: diagnostics as data for CI systems and code-review
// tools (docs/cli.md). The text format stays render() in core/diag.hpp.
#pragma once
#include <string>
#include <vector>

#include "core/diag.hpp"

namespace crit {

// A JSON array: one object per diagnostic (file, line, column, end, severity, code,
// message, notes, suggestion); a diagnostic without a place has line 0.
std::string diagnostics_json(const std::vector<Diagnostic>& ds);

// A SARIF 2.1.0 log: one run whose driver lists every code of diag_codes.def as a rule.
std::string diagnostics_sarif(const std::vector<Diagnostic>& ds, const std::string& tool_version);

}  // namespace crit
