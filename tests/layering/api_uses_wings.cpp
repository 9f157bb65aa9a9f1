// Allowed: the facade sees the public header and every wing below cli.
#include "crit/crit.hpp"
#include "data/load_data.hpp"
#include "lang/driver.hpp"
#include "out/explain.hpp"
#include "out/results.hpp"
#include "vm/vm.hpp"
