// The outcome of `crit test` cases, written as text (one line per case), JUnit XML
// (a testsuite per file, a testcase per case: what CI systems read) or JSON.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace crit {

struct CaseResult {
    std::string name, file;
    int line = 0;
    bool passed = false;
    std::vector<std::string> failures;  // expectations the run disagreed with
    std::string diagnostics;            // rendered test-case diagnostics (a malformed case or file)
    std::string explanation;            // --explain: the case patient's explanation
};

void write_test_results(const std::vector<CaseResult>& results, const std::string& format, std::ostream& out);

}  // namespace crit
