// Forbidden: core is the bottom; it includes no other wing.
#include "lang/ast.hpp"
