// Forbidden: results and explanations (out) are below the commands; the report page is cli's.
#include "cli/report.hpp"
