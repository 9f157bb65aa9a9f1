// `crit test`: a malformed test file or case is a located test-case diagnostic,
// rendered like every other diagnostic; a case that runs and disagrees is a failure.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli/rule_tests.hpp"

using namespace crit;
namespace fs = std::filesystem;

namespace {
std::string run(const std::string& text, int& rc) {
    fs::path dir = fs::temp_directory_path() / ("crit-rule-tests-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    fs::path p = dir / "t.test.yaml";
    std::ofstream(p) << text;
    std::ostringstream out;
    rc = run_rule_tests({p.string()}, CRIT_SOURCE_DIR "/bindings/default.yaml", out);
    std::string s = out.str();
    for (std::size_t at; (at = s.find(dir.string() + "/")) != std::string::npos;) s.erase(at, dir.string().size() + 1);
    return s;
}
const std::string kRules = "rules: " CRIT_SOURCE_DIR "/rules/cll/iwcll-2018.crit\n";
}  // namespace

TEST_CASE("malformed cases are test-case diagnostics with line and caret", "[rule_tests]") {
    int rc = 0;
    std::string out = run(kRules + R"(cases:
  - name: bad date
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    at: 2024-02-30
    expect: {best_response: CR}
  - name: nothing expected
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
  - name: unknown result
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {best_respons: CR}
)",
                          rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:6:9: error[test-case]: `at` is not a date (YYYY-MM-DD)\n"
                   "          6 |     at: 2024-02-30\n"
                   "            |         ^^^^^^^^^^\n") != std::string::npos);
    CHECK(out.find("t.test.yaml:8:5: error[test-case]: the case expects nothing") != std::string::npos);
    CHECK(out.find("t.test.yaml:14:14: error[test-case]: the rules have no result `best_respons`") != std::string::npos);
    CHECK(out.find("0 passed, 3 failed") != std::string::npos);
}

TEST_CASE("a broken test file is one test-case diagnostic", "[rule_tests]") {
    int rc = 0;
    std::string out = run("rules: x\ncases: [\n", rc);
    CHECK(rc == 1);
    CHECK(out.find("error[test-case]: end of sequence flow not found") != std::string::npos);
    out = run("rule: x\n", rc);
    CHECK(out.find("t.test.yaml:1:1: error[test-case]: a test file has `rules:` (the rule file's path) and a list of `cases:`") != std::string::npos);
    out = run("rules: nope.crit\ncases: []\n", rc);
    CHECK(out.find("error[io]:") != std::string::npos);
    CHECK(out.find("t.test.yaml:1:8: error[test-case]: the rules `") != std::string::npos);
}

TEST_CASE("a case that disagrees is a failure naming expected and actual", "[rule_tests]") {
    int rc = 0;
    std::string out = run(kRules + R"(cases:
  - name: no therapy is not CR
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {best_response: CR}
)",
                          rc);
    CHECK(rc == 1);
    CHECK(out.find("FAIL  no therapy is not CR") != std::string::npos);
    CHECK(out.find("best_response: expected CR, got") != std::string::npos);
}

TEST_CASE("a test file of the wrong shape is a diagnostic, never an internal error", "[rule_tests]") {
    int rc = 0;
    std::string out = run("rules: [1, 2]\ncases: []\n", rc);
    CHECK(rc == 1);
    CHECK(out.find("error[test-case]: a test file has `rules:`") != std::string::npos);
    out = run(kRules + "cases:\n  - name: [x]\n    timeline: []\n    expect: {best_response: CR}\n  - 5\n"
                       "  - name: ok\n    timeline: 7\n    expect: [1]\n",
              rc);
    CHECK(rc == 1);
    CHECK(out.find("0 passed, 3 failed") != std::string::npos);
    CHECK(out.find("error[test-case]: a case is a map") != std::string::npos);
    CHECK(out.find("error[test-case]: `timeline` is a list of records") != std::string::npos);
}

TEST_CASE("a misspelt key is an error with a did-you-mean, not a case that checks nothing", "[rule_tests]") {
    int rc = 0;
    std::string out = run(kRules + R"(cases:
  - name: expected instead of expect
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expected: {best_response: CR}
    criteria: {CR: not met}
)",
                          rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:6:5: error[test-case]: `expected` is not a key of a case") != std::string::npos);
    CHECK(out.find("help: did you mean `expect`?") != std::string::npos);
    out = run(kRules + R"(cases:
  - name: a patient field misspelt
    patient:
      birth_dat: 1950-01-01
      timeline:
        - {date: 2024-01-01, platelets: 100 x10^9/L}
    criteria: {CR: not met}
)",
              rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:5:7: error[test-case]: `birth_dat` is not a key of a patient") != std::string::npos);
    CHECK(out.find("did you mean `birth_date`?") != std::string::npos);
    out = run(kRules + R"(cases:
  - name: a record key misspelt
    timeline:
      - {date: 2024-01-01, platelet: 100 x10^9/L}
    criteria: {CR: not met}
)",
              rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:5:28: error[test-case]: `platelet` is not a concept in the bindings (did you mean `platelets`?)") != std::string::npos);
    out = run(kRules + "case:\ncases: []\n", rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:2:1: error[test-case]: `case` is not a key of a test file") != std::string::npos);
    CHECK(out.find("did you mean `cases`?") != std::string::npos);
}

TEST_CASE("unknown names, labels outside a result's vocabulary and bad states are located errors", "[rule_tests]") {
    int rc = 0;
    std::string out = run(kRules + R"(cases:
  - name: bad label
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {best_response: CRR}
  - name: bad criterion and state
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    criteria: {CRi: mett, PRR: met}
  - name: bad truth
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {lymphocytosis: yes please}
)",
                          rc);
    CHECK(rc == 1);
    CHECK(out.find("t.test.yaml:6:29: error[test-case]: `CRR` is not a value of result `best_response`: it is one of `null`,") != std::string::npos);
    CHECK(out.find("| " + std::string(28, ' ') + "^^^\n") != std::string::npos);
    CHECK(out.find("did you mean `CR`?") != std::string::npos);
    CHECK(out.find("t.test.yaml:10:21: error[test-case]: `mett` is not a criterion state") != std::string::npos);
    CHECK(out.find("did you mean `met`?") != std::string::npos);
    CHECK(out.find("t.test.yaml:10:27: error[test-case]: the rules have no criterion `PRR`") != std::string::npos);
    CHECK(out.find("did you mean `PR`?") != std::string::npos);
    CHECK(out.find("`yes please` is not a value of result `lymphocytosis`") != std::string::npos);
    CHECK(out.find("0 passed, 3 failed") != std::string::npos);
}

TEST_CASE("crit test --case runs one case, and a wrong name has a did-you-mean", "[rule_tests]") {
    int rc = 0;
    std::string cases = kRules + R"(cases:
  - name: first
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {best_response: CR}
  - name: second
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    criteria: {CR: not met}
)";
    fs::path dir = fs::temp_directory_path() / ("crit-rule-tests-case-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "c.test.yaml") << cases;
    std::ostringstream out;
    RuleTestOptions opt;
    opt.bindings = CRIT_SOURCE_DIR "/bindings/default.yaml";
    opt.only_case = "second";
    rc = run_rule_tests({(dir / "c.test.yaml").string()}, opt, out);
    CHECK(rc == 0);
    CHECK(out.str() == "ok    second\n1 passed, 0 failed\n");
    opt.only_case = "secnd";
    std::ostringstream out2;
    CHECK(run_rule_tests({(dir / "c.test.yaml").string()}, opt, out2) == 2);
    CHECK(out2.str() == "crit test: no case named `secnd` (did you mean `second`?)\n");
}

TEST_CASE("crit test --format junit and json carry each case with its failures", "[rule_tests]") {
    fs::path dir = fs::temp_directory_path() / ("crit-rule-tests-fmt-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "f.test.yaml") << kRules + R"(cases:
  - name: "fails <here> & there"
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    expect: {best_response: CR}
  - name: passes
    timeline:
      - {date: 2024-01-01, platelets: 100 x10^9/L}
    criteria: {CR: not met}
)";
    RuleTestOptions opt;
    opt.bindings = CRIT_SOURCE_DIR "/bindings/default.yaml";
    opt.format = "junit";
    std::ostringstream x;
    CHECK(run_rule_tests({(dir / "f.test.yaml").string()}, opt, x) == 1);
    CHECK(x.str().find("<testsuites name=\"crit test\" tests=\"2\" failures=\"1\">") != std::string::npos);
    CHECK(x.str().find("<testcase name=\"fails &lt;here&gt; &amp; there\"") != std::string::npos);
    CHECK(x.str().find("line=\"3\">\n      <failure message=\"") != std::string::npos);
    CHECK(x.str().find("best_response: expected CR, got") != std::string::npos);
    CHECK(x.str().find("<testcase name=\"passes\"") != std::string::npos);
    opt.format = "json";
    std::ostringstream j;
    CHECK(run_rule_tests({(dir / "f.test.yaml").string()}, opt, j) == 1);
    CHECK(j.str().find("\"name\": \"passes\",\n      \"file\": ") != std::string::npos);
    CHECK(j.str().find("\"line\": 7,\n      \"passed\": true,\n      \"failures\": []") != std::string::npos);
    CHECK(j.str().find("\"passed\": 1,\n  \"failed\": 1") != std::string::npos);
}

TEST_CASE("crit test --coverage counts each threshold sides, and uncovered: excuses one side with a reason", "[rule_tests]") {
    fs::path dir = fs::temp_directory_path() / ("crit-rule-tests-cov-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string one = "rules: " CRIT_SOURCE_DIR R"(/rules/examples/seed-cll.crit
cases:
  - name: marrow 29% after therapy
    timeline:
      - {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
      - {date: 2024-09-05, marrow_lymphocytes: 29 %}
    at: 2024-11-05
    criteria: {CR: met}
)";
    std::ofstream(dir / "c.test.yaml") << one + R"(uncovered:
  - {criterion: CR, clause: "lymphocytes < 30%", side: not met, reason: "a test of the excuse"}
)";
    RuleTestOptions opt;
    opt.bindings = CRIT_SOURCE_DIR "/bindings/default.yaml";
    opt.coverage = true;
    opt.require_both_sides = true;
    std::ostringstream out;
    CHECK(run_rule_tests({(dir / "c.test.yaml").string()}, opt, out) == 1);
    CHECK(out.str().find("  19  lymphocytes < 30%") != std::string::npos);
    CHECK(out.str().find("1 case                uncovered (excused)") != std::string::npos);
    CHECK(out.str().find("0 of 13 thresholds exercised on both sides, 1 excused (uncovered:), 12 lacking a side") != std::string::npos);
    CHECK(out.str().find("crit test: 12 thresholds not exercised on both sides (--require-both-sides)") != std::string::npos);

    std::ofstream(dir / "c.test.yaml") << one + R"(uncovered:
  - {criterion: CR, clause: "lymphocytes < 31%", side: not met, reason: "x"}
  - {criterion: CR, clause: "lymphocytes < 30%", side: both}
)";
    std::ostringstream bad;
    CHECK(run_rule_tests({(dir / "c.test.yaml").string()}, opt, bad) == 1);
    CHECK(bad.str().find("c.test.yaml:10:29: error[test-case]: criterion `CR` has no threshold `lymphocytes < 31%`") != std::string::npos);
    CHECK(bad.str().find("did you mean `lymphocytes < 30%`?") != std::string::npos);
    CHECK(bad.str().find("error[test-case]: an `uncovered` entry says why: add `reason:`") != std::string::npos);
    CHECK(bad.str().find("error[test-case]: `side` is `met` or `not met`, not `both`") != std::string::npos);
}

TEST_CASE("crit test --coverage refuses an uncovered: excuse that a case disproves", "[rule_tests]") {
    fs::path dir = fs::temp_directory_path() / ("crit-rule-tests-stale-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "s.test.yaml") << "rules: " CRIT_SOURCE_DIR R"(/rules/examples/seed-cll.crit
cases:
  - name: marrow 29% after therapy
    timeline:
      - {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
      - {date: 2024-09-05, marrow_lymphocytes: 29 %}
    at: 2024-11-05
    criteria: {CR: met}
uncovered:
  - {criterion: CR, clause: "lymphocytes < 30%", side: met, reason: "wrong: the case above meets it"}
)";
    RuleTestOptions opt;
    opt.bindings = CRIT_SOURCE_DIR "/bindings/default.yaml";
    opt.coverage = true;
    std::ostringstream out;
    CHECK(run_rule_tests({(dir / "s.test.yaml").string()}, opt, out) == 0);
    CHECK(out.str().find("1 case, STALE uncovered:") != std::string::npos);
    CHECK(out.str().find("13 lacking a side (of which 1 excused by a stale uncovered: that a case disproves)") != std::string::npos);
}
