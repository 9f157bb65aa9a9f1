// Forbidden: nothing below the commands includes a command.
#include "cli/explain.hpp"
