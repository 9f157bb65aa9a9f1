// The checker: resolves names against the bindings and the file's own
// definitions, checks types, units and dimensions, and temporal sanity.
// It annotates the AST in place (Expr::r) and reports every problem it finds.
#pragma once
#include <map>
#include <vector>

#include "lang/ast.hpp"
#include "core/bindings.hpp"
#include "core/diag.hpp"

namespace crit {

// What the checker learns beyond the AST annotations. (The compiler orders items itself, by
// compiling each dependency before the item that names it.)
struct CheckedModule {
    // Quantity definitions that just rename a concept (`lymphocytes = marrow_lymphocytes`).
    std::vector<int> alias_concept;  // per definition: concept id, or -1
    // Concept id -> index of its `normal` range in Module::normals.
    std::map<int, int> normal_of_concept;
};

// Checks `m` against `b`; returns false when there are errors (all reported).
bool check(Module& m, const Bindings& b, CheckedModule& out, Diagnostics& diags);

}  // namespace crit
