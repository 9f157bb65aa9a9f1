// FHIR R4 Bundle text -> load_fhir_bundle_text with the shipped bindings.
// Patients, rejections and diagnostics are ignored.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "data/load_fhir.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crit_fuzz::bindings();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<crit::Rejection> rejects;
    crit::Diagnostics d;
    crit::FhirStats stats;
    std::size_t patients = 0;
    crit::load_fhir_bundle_text("bundle.json", std::move(text), crit_fuzz::bindings(),
                                [&](crit::Timeline&&) { ++patients; }, rejects, d, &stats);
    (void)crit::render(d);
    return 0;
}
