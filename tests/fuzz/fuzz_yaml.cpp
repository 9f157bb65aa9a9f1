// YAML timeline text -> load_yaml_timelines with the shipped bindings (the loader
// reads a file, so the input is written to a scratch file first).
#include <string>

#include "fuzz_support.hpp"
#include "data/load_yaml.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crit_fuzz::bindings();
    crit_fuzz::scratch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string path = crit_fuzz::scratch().write("timeline.yaml", data, size);
    crit::LoadResult out;
    crit::Diagnostics d;
    crit::load_yaml_timelines(path, crit_fuzz::bindings(), out, d);
    (void)crit::render(d);
    return 0;
}
