// Forbidden: the VM runs bytecode and must not depend on the AST.
#include "lang/ast.hpp"
