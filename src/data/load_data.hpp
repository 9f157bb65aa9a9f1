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
//
// Also here: the record conversions the FHIR and CSV loaders share (units,
// censored quantities, yes/no, coded values), so both reject alike.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "data/load_yaml.hpp"
#include "core/timeline.hpp"

namespace crit {

// Receives each finished (finalized) patient timeline, once, in a deterministic order.
using PatientSink = std::function<void(Timeline&&)>;

enum class DataFormat { Unknown, Yaml, FhirBundle, FhirNdjson, Csv };

// The format of one file, from its first bytes (and its name, for YAML only).
DataFormat detect_format(const std::string& path);

// Streams every patient from `paths` to `sink`, file by file (an NDJSON cohort
// is grouped across its files without holding it whole). File-level failures go
// to diags (the run goes on with the other files); record-level ones to
// `rejections`. A patient id seen in an earlier file is an error and the later
// patient is dropped, as the YAML loader does within a file.
void for_each_patient(const std::vector<std::string>& paths, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejections, Diagnostics& diags);

// Loads every patient from `paths` into `out` (for_each_patient, collected).
void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags);

// The reason for a record skipped because no binding knows its code (a
// comorbidity, a lab test no rule uses). It is reported and counted, but it is
// not a data error: callers counting errors (e.g. `--strict`) should leave it out.
inline constexpr const char* kUnboundCode = "unbound-code";
inline bool is_unbound_code(const Rejection& r) { return r.reason == kUnboundCode; }

// Record conversions shared by the FHIR and CSV loaders (same rules, and the
// same rejection reasons, as the YAML loader).
namespace facts {

struct Fail {
    std::string reason;  // stable short reason, e.g. "unknown-unit"
    std::string detail;
};

std::string lower(std::string_view s);
std::string_view trim(std::string_view s);

// "<", "<=", ">", ">=", "=" (also "≤", "≥"); nullopt for anything else.
std::optional<Comparator> comparator_of(std::string_view s);

// "<0.005 %" -> {Lt, 0.005, "%"}; has_cmp says whether a comparator was written.
struct QtyText {
    Comparator cmp = Comparator::Eq;
    bool has_cmp = false;
    double value = 0;
    std::string unit;
};
std::optional<QtyText> parse_qty_text(std::string_view s);

// Converts `v` written in `unit` to the concept's unit (value * unit.factor /
// concept.unit.factor). Fails with missing-unit, unknown-unit or unit-dimension;
// never converts across dimensions.
std::optional<Fail> to_concept_unit(const Concept& c, double v, const std::string& unit, double& out);

// The concept a value of concept `c` written in `unit` belongs to: `c`, or the measure
// of `c` (`measure_of` in the bindings) whose dimension the unit has, so that
// `lymphocytes: 25 %` files the lymphocyte share. A unit that is unknown, or that no
// measure fits, keeps `c` (whose conversion then rejects it). For loaders that name
// concepts (YAML, CSV); codes name the measure themselves.
ConceptId measure_for_unit(const Bindings& b, ConceptId c, std::string_view unit);

// true / false / yes / no (any case); nullopt otherwise.
std::optional<bool> boolean_of(std::string_view s);

// Index of `s` among the concept's coded values (case-insensitive).
std::optional<std::size_t> coded_index(const Concept& c, std::string_view s);
// "normocellular, hypocellular, hypercellular", for messages.
std::string value_list(const Concept& c);

// A treatment's phase as data write it (YAML `phase:`, the CSV `phase` column): a phase's name
// or one of its `text:` phrases (Bindings::phase_by_name). The course gets the phase and its
// classes; a value that names no phase fails with `unknown-phase`.
std::optional<Fail> phase_of(const Bindings& b, std::string_view value, Treatment& t);
// Gives course `t` phase `phase` (an index into Bindings::phases) and that phase's classes.
void set_phase(const Bindings& b, std::size_t phase, Treatment& t);

// blood / marrow / csf / any (also peripheral-blood, bone-marrow).
std::optional<Site> site_of(std::string_view s);
const char* site_name(Site s);

}  // namespace facts

}  // namespace crit
