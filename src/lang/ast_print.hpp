// Printers of the AST: an S-expression dump (golden tests, `crit check --dump-ast`)
// and source-like rendering of one expression (explanations, `crit fmt`).
#pragma once
#include <string>

#include "lang/ast.hpp"

namespace crit {

// (criterion CR (< lymphocytes 30%) ...) one item per line; deterministic.
std::string dump_module(const Module& m);
std::string dump_expr(const Expr& e);
// The expression as crit source text (canonical spacing), on one line.
std::string expr_source(const Expr& e);

}  // namespace crit
