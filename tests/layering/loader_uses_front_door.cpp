// Forbidden: a loader is dispatched to by the front door and must not include it.
#include "data/load_data.hpp"
