// Results out as FHIR R4: `crit run --format fhir` writes one Observation per patient per
// result, as NDJSON, for a FHIR server to load. A response category is a disease status in
// the style of mCODE CancerDiseaseStatus (LOINC 97509-4); the rule pack is the method; the
// records the result used, as the VM's trace gives them to explain's summary, are
// derivedFrom. The mapping, codes and choices: docs/fhir-output.md.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/timeline.hpp"
#include "lang/bytecode.hpp"
#include "vm/vm.hpp"

namespace crit {

// The code systems crit defines for what has no standard code (docs/fhir-output.md).
inline constexpr std::string_view kCritResultSystem = "http://crit.example.org/fhir/CodeSystem/result";
inline constexpr std::string_view kCritLabelSystem = "http://crit.example.org/fhir/CodeSystem/label";
inline constexpr std::string_view kCritRulesetSystem = "http://crit.example.org/fhir/CodeSystem/ruleset";
inline constexpr std::string_view kCritCategorySystem = "http://crit.example.org/fhir/CodeSystem/observation-category";

// What the FHIR output needs from a program, found once and shared by every patient and thread.
class FhirResultsWriter {
public:
    // `issued`: the Observations' issued instant (one per run: fhir_issued_instant()).
    FhirResultsWriter(const Program& p, std::string issued);

    // The patient's Observations, one NDJSON line each (with its '\n'), in result order.
    // `ev` must come from evaluate() with EvalContext::trace set: derivedFrom and the note
    // are read from the trace, as explain reads them.
    std::string ndjson(const Timeline& t, const Evaluation& ev) const;

private:
    const Program& p_;
    std::string issued_;
    std::vector<bool> disease_status_;  // by result: a response category (LOINC 97509-4)
};

// The run's `issued` instant (UTC, seconds): now, or SOURCE_DATE_EPOCH when set (so a
// rebuilt output is byte-identical). A SOURCE_DATE_EPOCH that is not a number of seconds
// is refused with the reason in `error`, and the instant is "".
std::string fhir_issued_instant(std::string& error);

// Whether `s` is a FHIR id: 1 to 64 of A-Z a-z 0-9 - . (R4 datatype `id`).
bool is_fhir_id(std::string_view s);

// The reference a record's origin names ("Observation/o-1"), when it names a FHIR resource
// of that type by a valid id; "" for YAML and CSV records and resources without an id.
std::string fhir_reference(const Origin& o, std::string_view type = "Observation");

}  // namespace crit
