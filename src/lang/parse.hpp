// Source text -> AST. The only stage that sees PEGTL's parse tree.
#pragma once
#include <memory>

#include "lang/ast.hpp"
#include "core/diag.hpp"

namespace crit {

// Parses a criteria file. Each top-level item (a line starting in column 1 and
// its indented lines) is parsed on its own, so every broken item is reported.
// Returns the module with every item that parsed; diags holds the syntax errors.
std::unique_ptr<Module> parse_module(SourcePtr src, Diagnostics& diags);

// Hostile-input bounds: the largest file, the deepest expression tree (every later
// stage recurses over the tree), and the widest `and`/`or`/block (16-bit operands).
inline constexpr std::size_t kMaxSourceBytes = 4u << 20;
inline constexpr int kMaxExprDepth = 64;
inline constexpr std::size_t kMaxOperands = 1000;
inline constexpr std::size_t kMaxItems = 5000;

}  // namespace crit
