// YAML patient timelines: hand-written tests, examples and `crit test` cases.
//
// A file holds one patient (a map with `patient:`), several (`patients: [...]`),
// or several YAML documents separated by `---`, each one patient:
//
//   patient: p-001
//   birth_date: 1950-03-02                       # optional
//   diagnosis: {date: 2023-06-01, code: CLL}     # optional; or just `diagnosis: CLL`
//   timeline:
//     - {date: 2024-01-10, treatment: FCR, until: 2024-06-20}   # a course
//     - {date: 2024-07-01, treatment: ibrutinib}   # no `until`: continuous therapy, still running
//     - {date: 2024-09-01, platelets: 100 x10^9/L, hemoglobin: 12.1 g/dL, hepatomegaly: false,
//        marrow_cellularity: normocellular, mrd_blood: "<0.005 %"}
//     - {date: 2024-09-01, concept: mrd_marrow, value: 0.002, unit: "%", comparator: "<",
//        detection_limit: 0.001 %}                                     # long form
//     - {date: 2024-09-02, mrd_marrow: {value: "<0.002 %", detection_limit: 0.001 %}}  # per-value long form
//
// Records. `date` is required (a date or FHIR dateTime). In the short form every
// key other than date / treatment / until / phase / site / note is a concept name from
// the bindings and its value:
//   - quantity: "NUMBER UNIT", optionally censored: "<X UNIT", "<=", ">", ">=" (quote
//     values starting with `>` in YAML). A bare number only for concepts whose unit
//     is `none`. Values are converted to the concept's unit; the number and unit as
//     written are kept for explanations.
//   - boolean: true / false (also yes / no).
//   - coded: one of the concept's `values`.
// The long form names the concept with `concept:` and takes `value`, `unit`,
// `comparator` (< <= > >= =) and `detection_limit` (a quantity: the assay's lower
// limit, e.g. MRD sensitivity). A short-form value may itself be such a map.
// `site: blood|marrow|csf` overrides the concept's specimen site for the record.
// `treatment:` names a drug or regimen from the bindings (its classes come from
// there; an unbound name is kept with no classes); `until` ends the course, and
// without it the therapy is continuous and still running. `phase:` names the
// course's phase among the bindings' `phases:` (its name or one of its `text:`
// phrases, ignoring case): the course gets the phase's classes too. `note` is ignored.
//
// Bad records are rejected, never silently dropped, with a stable reason:
//   unknown-concept, unknown-unit, unit-dimension, missing-unit, bad-date,
//   missing-value, bad-value, bad-period (until before date), unknown-phase,
//   unknown-field (a long-form key that is not a field), bad-record (not a map).
#pragma once
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "core/timeline.hpp"
#include "data/records.hpp"

namespace crit {

// Loads a YAML timeline file, appending its patients and rejections to `out`.
// Hard errors (unreadable file, malformed YAML, not a timeline, a patient without
// an id or with a duplicate id) become Diagnostics (DiagCode::Io / Timeline) with
// file:line:col; bad records become Rejections and loading goes on. An unknown
// patient-level key (`timline:`) is a warning. Returns false when any hard error
// was reported.
bool load_yaml_timelines(const std::string& path, const Bindings& b, LoadResult& out, Diagnostics& diags);

// Builds one finalized timeline from a YAML patient node: a map as above, or
// just the list of records (as in `crit test` cases, where the patient id is
// empty). `file` names the source for origins; lines come from the node marks.
Timeline timeline_from_yaml(const YAML::Node& patient, const std::string& file, const Bindings& b,
                            std::vector<Rejection>& rejects);

}  // namespace crit
