// A FHIR Bulk Data export -> load_fhir_ndjson with the shipped bindings. The loader
// reads files, so the input is written to scratch files first: a form feed (\f)
// starts the next file, so one input may be an export of up to 8 NDJSON files.
// A small batch size makes pass 2 cut the patients into several batches; for half the
// inputs (by length) the index spills to disk after 3 entries and is read back in parts,
// and for a third pass 1 and pass 2 run on 2 threads.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "data/fhir_json.hpp"
#include "data/load_fhir.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    crit_fuzz::bindings();
    crit_fuzz::scratch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> files;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= size; ++i) {
        bool last = files.size() == 7;
        if (i == size || (!last && data[i] == '\f')) {
            std::string name = "part-" + std::to_string(files.size()) + ".ndjson";
            files.push_back(crit_fuzz::scratch().write(name, data + begin, i - begin));
            begin = i + 1;
        }
    }
    std::vector<crit::Rejection> rejects;
    crit::Diagnostics d;
    crit::FhirStats stats;
    crit::NdjsonOptions opt;
    opt.batch_bytes = 512;
    if (size % 2) opt.index_bytes = 3 * sizeof(crit::fhir::LineRef);
    if (size % 3 == 0) opt.jobs = 2;
    std::size_t patients = 0;
    crit::load_fhir_ndjson(files, crit_fuzz::bindings(), [&](crit::Timeline&&) { ++patients; }, rejects, d, opt,
                           &stats);
    (void)crit::render(d);
    return 0;
}
