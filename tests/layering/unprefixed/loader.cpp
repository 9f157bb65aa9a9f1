// Refused by tools/check-includes: an unprefixed include is found next to the
// including file, past the views.
#include "load_data.hpp"
