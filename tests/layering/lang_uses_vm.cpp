// Forbidden: the language side compiles programs; it does not run them.
#include "vm/vm.hpp"
