// The VM's door into the language: the bytecode, and nothing else of lang.
#include "lang/bytecode.hpp"
#include "vm/vm.hpp"
