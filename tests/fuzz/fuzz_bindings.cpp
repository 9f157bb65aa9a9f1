// Terminology bindings text -> load_bindings (the loader reads a file, so the
// input is written to a scratch file first).
#include <string>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crit_fuzz::scratch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string path = crit_fuzz::scratch().write("bindings.yaml", data, size);
    crit::Diagnostics d;
    auto b = crit::load_bindings(path, d);
    if (b) (void)b->concept_names();
    (void)crit::render(d);
    return 0;
}
