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
