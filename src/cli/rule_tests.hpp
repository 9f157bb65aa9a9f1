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
//   uncovered:                        # thresholds --coverage may not demand both sides of, and why
//     - {criterion: PD, clause: "...", side: not met, reason: "..."}
//
// The file is checked as strictly as a rule file: an unknown key, result, criterion,
// label or state is a located test-case diagnostic with a did-you-mean. The full
// format is docs/testing.md.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace crit {

struct RuleTestOptions {
    std::string bindings;
    std::string only_case;            // run only the case of this name ("": all)
    std::string format = "text";      // text | junit | json
    bool explain = false;             // print the explanation of each case run
    bool coverage = false;            // report which thresholds the cases exercise on each side
    bool require_both_sides = false;  // with coverage: exit 1 when a threshold lacks a side
};

int run_rule_tests(const std::vector<std::string>& files, const RuleTestOptions& opt, std::ostream& out);
inline int run_rule_tests(const std::vector<std::string>& files, const std::string& bindings, std::ostream& out) {
    RuleTestOptions opt;
    opt.bindings = bindings;
    return run_rule_tests(files, opt, out);
}

}  // namespace crit
