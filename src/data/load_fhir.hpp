// FHIR R4 patient data -> Timeline: one Bundle per .json file, and Bulk Data
// NDJSON exports (Patient.ndjson, Observation.ndjson, ... with many patients mixed).
//
// JSON library: simdjson (Debian libsimdjson-dev), On-Demand API. Why:
//   - speed: a Bulk export is read twice (index, then build), so parsing cost
//     matters; On-Demand walks the bytes without building a DOM and skips the
//     fields crit never reads (narrative `text`, `meta`, `identifier`, ...)
//     without allocating; its structural scan is dispatched at run time to the
//     CPU's SIMD kernel (AVX2 / AVX-512) even in a generic Debian build.
//     Measured: a 400 MB export (20k patients, 860k resources) in 4-5 s, one core.
//   - positions: every value is a view into the input, so a Bundle record and a
//     rejection carry the real line of the .json file, not just a JSON path.
//     nlohmann::json (already a dependency) keeps no positions.
//   - On-Demand only validates what it visits, so the loader visits everything
//     it uses: fields it reads are materialised into a small positioned tree
//     (JNode in fhir_json.hpp), the rest are walked and dropped, so a Bundle or
//     an NDJSON resource that is not valid JSON is reported (`bad-json`), never
//     half-read. (Lines of resource types crit does not read, e.g. Encounter,
//     are only checked for structure: unbalanced or truncated, not bad atoms.)
//
// NDJSON streaming, and its memory bound. The patients of an export are grouped
// without holding the export:
//   pass 1 (index): each file is read sequentially in 1 MiB blocks; the lines
//     are gathered in blocks of about 4 MiB whose heads are parsed on `jobs`
//     threads, each line just far enough to find its resourceType and subject,
//     then indexed in line order. Patient
//     lines register the patient (id, birthDate, in file order); Medication
//     lines are kept (id -> codes) for medicationReference; every other line
//     becomes a 24-byte LineRef {offset, length, line, file, type, patient}.
//     The index stays in memory up to `NdjsonOptions::index_bytes` (32 MiB);
//     past that it is appended, in file order, to an unlinked temporary file
//     (line_spill.hpp; $TMPDIR, or `spill_dir`). Once pass 1 has seen every
//     Patient, the spilled index is read back once and cut into parts of
//     consecutive patients (by Patient order), each about `index_bytes`, one
//     temporary file per part (at most 256 parts).
//   pass 2 (build), one part at a time: its LineRefs are sorted by (patient
//     order, file, offset)
//     and cut into batches of whole patients whose text totals at most
//     `NdjsonOptions::batch_bytes` (one patient larger than that is a batch of
//     its own). A batch's lines are read back in file order, lines that lie
//     close together in one read (sequential I/O: a batch is a few large reads,
//     not a seek and a read per line; the bytes between them, at most half the
//     batch's own size, are read and dropped). Its patients are parsed and
//     turned into timelines on `jobs` threads (a parser, a Reader and a list of
//     rejections each), and each patient is handed to the sink in
//     Patient.ndjson order, its rejections just before it, so the output does not
//     depend on the number of threads, nor on whether or how the index was
//     spilled; then the batch is freed.
//   Memory: at most `index_bytes` of index (one part) + ~130 B per patient (its
//   id and Patient order, for grouping and the duplicate check) + the distinct
//   Medication resources, plus one batch (up to 1.5 x batch_bytes of text and
//   its timelines) and one 4 MiB block of pass 1. E.g. 17.8 million resources
//   of 100k patients: 427 MB of index on disk, 32 MiB of it in memory, ~13 MB
//   of patients and 96 MiB of text, whatever the export's size on disk. What the
//   sink keeps is the caller's business (load_patients collects everything; a
//   streaming caller evaluates and drops each patient).
//   A Bundle file is one unit: it is read whole (it is one patient, or one page
//   of a search), so its entries can refer to each other in any order.
//
// What is read (docs: data-contract.md):
//   Patient            id (a Bundle entry without one takes its fullUrl uuid), birthDate.
//   Condition          code: a code of one of the bindings' `diagnoses:` (shipped: CLL
//                      SNOMED 92814006, ICD-10 C91.1*; ALL SNOMED 91857003, ICD-10
//                      C91.0*) -> diagnosis (the code as written) and
//                      onsetDateTime / onsetPeriod.start -> diagnosis_date. Other
//                      codes are comorbidities: `unbound-code`. verificationStatus
//                      entered-in-error / refuted: `status`. A second diagnosis
//                      Condition of the same disease keeps the earliest onset; of
//                      another disease: `conflicting-diagnosis`.
//   Observation        status final / amended / corrected only (else `status`).
//                      code.coding -> concept through the bindings; bodySite
//                      (SNOMED 14016003 marrow, 87612001 blood, 65216001 CSF)
//                      tells apart codes shared by specimens (LOINC 67128-9): no
//                      bodySite for such a code is `missing-site`, a site that
//                      contradicts the concept's (marrow on LOINC 731-0) is
//                      `site-mismatch`. Date: effectiveDateTime, effectivePeriod.start
//                      or effectiveInstant. Values:
//                        quantity  valueQuantity {value, comparator < <= > >=,
//                                  unit from `code` when `system` is UCUM (or absent)
//                                  and crit knows it, else from `unit`}; converted to
//                                  the concept's unit, never across dimensions. Also
//                                  valueString "<0.01 %" and valueInteger (unitless).
//                        boolean   valueBoolean; valueCodeableConcept yes/no, detected /
//                                  not detected, positive/negative, present/absent
//                                  (SNOMED, HL7 v2-0136 Y/N); valueString true/false.
//                        coded     valueCodeableConcept: a coding code (then the
//                                  display, then text) among the concept's values,
//                                  ignoring case; valueString likewise.
//                      Detection limit: a `component` whose code is the local
//                      findings code `detection-limit`, or whose code text or
//                      display says "detection limit" / "limit of detection",
//                      with a valueQuantity -> Observation::detection_limit (in
//                      the concept's unit). No LOINC code is used for it: none is
//                      established for an assay's own lower limit. Other
//                      components are not read.
//   MedicationAdministration
//                      status completed / in-progress / on-hold / stopped (else
//                      `status`); medicationCodeableConcept (or medicationReference
//                      to a Medication in the Bundle or export) -> drug by code
//                      (RxNorm) -> its classes; no bound code: `unbound-code`.
//                      effectivePeriod start..end, or effectiveDateTime (one day).
//                      in-progress / on-hold without period.end: continuous
//                      therapy (Treatment::end empty); a finished one without end
//                      is taken as the start day. Phase: `category` (R4 one
//                      CodeableConcept, R5 a list): a coding whose code is among a
//                      bindings phase's `codes:`, or whose code or display, or the
//                      text, holds one of a phase's `text:` words (whole words,
//                      ignoring case) -> Treatment::phase and the phase's classes.
//                      Naming two phases: `conflicting-phase`.
//   Procedure          status completed / in-progress / on-hold / stopped; code
//                      among the bindings' `procedures` (SNOMED 367336001
//                      chemotherapy), else `unbound-code`. performedPeriod or
//                      performedDateTime, as above. Its classes: the procedure's
//                      `classes:` in the bindings for the disease it treats, the
//                      disease taken from reasonCode (a `diagnoses:` code), else
//                      from the patient's Condition; `default:` when neither
//                      names one it lists (shipped: CLL cll_therapy,
//                      cll_chemoimmunotherapy, antileukemic, as chlorambucil or
//                      bendamustine; ALL all_therapy, antileukemic; else
//                      antileukemic). Phase: `category` as above, and the words
//                      of `code` (text, coding displays: "Induction
//                      chemotherapy"); the phase's classes are added to the
//                      procedure's.
//   Other resource types are not read; they are counted in FhirStats.
//
// Code layout: load_fhir.cpp holds the Bundle and NDJSON loaders below;
// fhir_json.hpp the JSON layer (simdjson -> JNode, positions -> lines and JSON
// paths, NDJSON line scan and batches); fhir_resources.hpp the resources ->
// timeline records (Reader).
//
// Rejections (Rejection::reason; origin = file, line, JSON path such as
// `entry[3].resource.valueQuantity.code`, or for NDJSON `valueQuantity.code`
// on the resource's line): bad-json, missing-patient, duplicate-patient,
// status, unbound-code, bad-record, missing-site, site-mismatch, unknown-unit,
// unit-dimension, missing-unit, bad-date, bad-period, missing-value, bad-value,
// conflicting-diagnosis, conflicting-phase. `unbound-code` is a skip, not an error (kUnboundCode).
// A Bundle that is not valid JSON or not a Bundle is a Diagnostic (file:line:col)
// and yields no patient: a truncated Bundle is one patient with unknown missing
// data. In NDJSON each line stands alone: a bad or truncated line is a
// rejection and every other line, before or after it, is loaded.
#pragma once
#include <filesystem>
#include <functional>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "data/records.hpp"
#include "core/timeline.hpp"

namespace crit {

// Resources seen that crit does not read, by resourceType (for one warning per run).
struct FhirStats {
    std::map<std::string, std::size_t> skipped_types;
};

struct NdjsonOptions {
    std::size_t batch_bytes = std::size_t{64} << 20;  // resource text held at once in pass 2
    std::size_t index_bytes = std::size_t{32} << 20;  // the index held in memory; the rest goes to spill_dir
    std::filesystem::path spill_dir;                  // empty: the system's temporary directory ($TMPDIR)
    std::function<void()> between_passes;             // run after the index is built (tests change files here)
    unsigned jobs = 1;                                // threads that parse and build patients in pass 2
    LoadStats* stats = nullptr;                       // phase times and bytes read, when wanted
};

// Loads one Bundle (.json) file; its patients go to `sink` in entry order.
// Returns false when the file is unreadable, not JSON or not a Bundle (a
// Diagnostic, no patient).
bool load_fhir_bundle(const std::string& path, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats = nullptr);

// The same from text in memory; `name` stands for the file in origins.
bool load_fhir_bundle_text(const std::string& name, std::string text, const Bindings& b, const PatientSink& sink,
                           std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats = nullptr);

// Loads a Bulk Data export: the NDJSON `files` together are one cohort, grouped
// by patient in two passes (see above). Patients go to `sink` in the order of
// their Patient resources. Returns false when a file cannot be read.
bool load_fhir_ndjson(const std::vector<std::string>& files, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejects, Diagnostics& diags, const NdjsonOptions& opt = {},
                      FhirStats* stats = nullptr);

}  // namespace crit
