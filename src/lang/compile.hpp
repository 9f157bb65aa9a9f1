// Checked AST -> Program (bytecode). Each named item (criterion, definition,
// normal range, baseline anchor, result condition) becomes a code range that
// leaves one value in its slot; items are laid out dependencies first.
#pragma once
#include <memory>

#include "lang/bytecode.hpp"
#include "lang/check.hpp"

namespace crit {

std::shared_ptr<const Program> compile(std::shared_ptr<Module> m, const CheckedModule& cm,
                                       std::shared_ptr<const Bindings> b, Diagnostics& diags);

}  // namespace crit
