// `crit test --coverage`: which thresholds of a rule pack its test cases exercise, and
// on which side. A threshold is a comparison of a concept with a number or a change
// from baseline (or nadir) by an amount; a case exercises a side when, on the day the
// VM evaluated that comparison for the case, it was met (or not met). The day is
// found as `crit explain` finds it: the as-of day, moved by `at`, `for`, `ever` and
// `never shown` to the day the VM read the operand on.
#pragma once
#include <string>
#include <vector>

#include "lang/bytecode.hpp"
#include "vm/vm.hpp"

namespace crit {

// (Not `Threshold`: the report has a struct of that name, and two classes of one name in
// one namespace are an ODR violation that ASan caught as a stack overflow.)
struct CoveredThreshold {
    NodeId node = 0;
    std::string criterion;      // the criterion (or `definition NAME`) holding it
    int line = 0;
    std::string clause;         // as written, e.g. `platelets >= 100 x10^9/L`
    std::vector<std::string> met, not_met;  // the cases that exercised each side
    bool excuse_met = false, excuse_not_met = false;  // declared `uncovered:` with a reason
};

class Coverage {
public:
    explicit Coverage(const Program& p);
    // Records the sides one case's traced evaluation exercised.
    void add(const Evaluation& ev, const std::string& case_name);
    std::vector<CoveredThreshold>& thresholds() { return thresholds_; }
    // The table (criterion, line, clause, met-side cases, not-met-side cases) and a total;
    // returns how many thresholds lack a side that is not excused.
    int print(std::string& out, const std::string& title) const;

private:
    const Program& p_;
    std::vector<CoveredThreshold> thresholds_;
    std::vector<int> index_of_node_;
};

}  // namespace crit
