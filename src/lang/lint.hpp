// Warnings about a checked module as a whole, run once it checks without errors: category
// thresholds that leave values unclassified (`gap`) or claim one value twice (`overlap`),
// definitions and criteria nothing reads, `A or B unless C`, and windows no day can meet.
// A warning is silenced by `# crit: allow CODE` on the line it cites (docs/diagnostics.md).
#pragma once
#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "lang/ast.hpp"

namespace crit {

void lint(const Module& m, const Bindings& b, Diagnostics& d);

}  // namespace crit
