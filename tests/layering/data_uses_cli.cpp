// Forbidden: nothing below the commands includes a command.
#include "cli/commands.hpp"
