// A `crit test` file -> run_rule_tests, as `crit test FILE` runs it. The input is
// written to a scratch directory that also holds the rule packs a test file may
// name by file name (`rules: tiny.crit`, `rules: iwcll-2018.crit`, ...): the small
// pack tests/fuzz/tiny.crit and links to the shipped ones. Output is dropped.
#include <string>
#include <system_error>

#include "fuzz_support.hpp"
#include "cli/rule_tests.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    namespace fs = std::filesystem;
    const fs::path root = CRIT_SOURCE_DIR;
    const fs::path dir = crit_fuzz::scratch().dir();
    std::error_code ec;
    for (const char* pack : {"tests/fuzz/tiny.crit", "rules/cll/iwcll-2018.crit", "rules/cll/iwcll-2008.crit",
                             "rules/all/all-response.crit", "rules/examples/seed-cll.crit"}) {
        fs::path from = root / pack;
        fs::create_symlink(from, dir / from.filename(), ec);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string path = crit_fuzz::scratch().write("cases.test.yaml", data, size);
    crit::run_rule_tests({path}, "", crit_fuzz::null_out());  // as `crit test` without --bindings
    return 0;
}
