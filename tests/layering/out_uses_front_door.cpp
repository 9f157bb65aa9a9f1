// Forbidden: out writes what the VM decided; it reads no data (records.hpp only, for rejections).
#include "data/load_data.hpp"
