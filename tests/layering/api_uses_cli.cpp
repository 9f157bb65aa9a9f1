// Forbidden: the library's facade is built from the wings below the commands.
#include "cli/commands.hpp"
