// CSV long-format text -> load_csv_text with the shipped bindings.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "data/load_csv.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crit_fuzz::bindings();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<crit::Rejection> rejects;
    crit::Diagnostics d;
    std::size_t patients = 0;
    crit::load_csv_text("cohort.csv", text, crit_fuzz::bindings(), [&](crit::Timeline&&) { ++patients; }, rejects, d);
    (void)crit::render(d);
    return 0;
}
