// Patient data in: detects each input's format from its content and hands it to
// the loader for that format. Directories are walked (sorted, for reproducible
// output); the NDJSON files of one directory form one Bulk Data cohort.
//
//   format            detected by                                       loader
//   FHIR Bundle       first byte `{`, top-level "resourceType":"Bundle"   load_fhir.hpp
//   FHIR Bulk NDJSON  first line is a whole JSON object of another type  load_fhir.hpp
//   CSV long format   header row starting with `patient_id`             load_csv.hpp
//   YAML timeline     anything else named .yaml / .yml                  load_yaml.hpp
//
// When walking a directory only files named .json, .ndjson, .jsonl, .csv, .yaml
// and .yml are considered (a README next to the data is not an error); a file
// named on the command line is sniffed whatever its name.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "data/records.hpp"
#include "core/timeline.hpp"

namespace crit {

enum class DataFormat { Unknown, Unreadable, Yaml, FhirBundle, FhirNdjson, Csv };

// The format of one file, from its first bytes (and its name); Unreadable when it cannot be opened.
DataFormat detect_format(const std::string& path);

// Streams every patient from `paths` to `sink`, file by file (an NDJSON cohort
// is grouped across its files without holding it whole). File-level failures go
// to diags (the run goes on with the other files); record-level ones to
// `rejections`. A patient id seen in an earlier file is an error and the later
// patient is dropped, as the YAML loader does within a file.
// `jobs` threads parse (the output is the same for any number); `stats`, when given,
// receives phase times and the bytes read so far.
struct LoadOptions {
    unsigned jobs = 1;
    LoadStats* stats = nullptr;
};
void for_each_patient(const std::vector<std::string>& paths, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejections, Diagnostics& diags, const LoadOptions& opt = {});

// Loads every patient from `paths` into `out` (for_each_patient, collected).
void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags);



}  // namespace crit
