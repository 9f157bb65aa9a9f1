// `crit test`: rule-pack test cases in the spirit of `promtool test rules`.
//
//   rules: iwcll-2018.crit            # relative to the test file
//   cases:
//     - name: CR needs platelets of at least 100 x10^9/L
//       timeline:                     # records as in load_yaml.hpp (or `patient:` with a full patient)
//         - {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
//         - {date: 2024-09-01, platelets: 100 x10^9/L, ...}
//       at: 2024-11-15                # the as-of date (default: the last record)
//       expect: {best_response: CR, progression_date: null}
//       criteria: {CR: met, PR: not met}   # truth of criteria on the as-of date
//
// Prints one line per case and a closing "N passed, M failed" line; exit 1 on failures.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace crit {

int run_rule_tests(const std::vector<std::string>& files, const std::string& bindings, std::ostream& out);

}  // namespace crit
