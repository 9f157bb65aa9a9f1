// CSV long format: one row per fact, for data exported from spreadsheets and
// warehouses (data-contract.md). RFC 4180: comma-separated, fields may be
// quoted with "..." (a quote inside doubled: ""), quoted fields may hold commas
// and line breaks, CRLF or LF line ends, an optional UTF-8 byte order mark.
//
//   patient_id,time,concept,value,unit,code_system,code
//   p-001,1956-04-12,birth_date,,,,
//   p-001,2023-11-02,diagnosis,CLL,,http://snomed.info/sct,92814006
//   p-001,2024-01-05,lymphocytes,48,10*9/L,http://loinc.org,731-0
//   p-001,2024-01-05,,10.2,g/dL,http://loinc.org,718-7           <- concept from the code
//   p-001,2024-09-05,mrd_marrow,<0.005,%,,                       <- censored: comparator in the value
//   p-001,2024-09-05,marrow_cellularity,normocellular,,,
//   p-001,2024-09-05,hepatomegaly,false,,,
//   p-001,2024-01-10/2024-06-20,treatment,FCR,,,                 <- a course: start/end
//   p-003,2024-03-04,treatment,ibrutinib,,,                      <- no end: continuous, still running
//   p-003,2024-03-04,treatment,,,http://www.nlm.nih.gov/research/umls/rxnorm,1442981
//
// The header names the columns, in any order, ignoring case. Required:
// patient_id, time, concept, value. Optional: unit, code_system, code, and
// comparator (< <= > >= =), detection_limit (the assay's lower limit: a number
// in the row's unit, or "0.001 %"), site (blood / marrow / csf, as the YAML
// `site:`), phase (a treatment row's phase, as the YAML `phase:`: a name under the
// bindings' `phases:` or one of its `text:` phrases; empty on other rows), note
// (ignored). Another column is a warning and is ignored. A file
// named on the command line is recognised by a header starting `patient_id`.
//
// Rows, by `concept`:
//   a concept name   an observation, read as in YAML timelines: the value is a
//                    number (optionally "<0.01", or a comparator column) with its
//                    unit in `unit` (or in the value: "48 x10^9/L"), true/false
//                    (yes/no), or one of a coded concept's values. Converted to
//                    the concept's unit, never across dimensions.
//   (empty)          the concept comes from code_system + code through the
//                    bindings (with `site` for codes shared by specimens, such
//                    as LOINC 67128-9). With both a name and a code, they must agree.
//   treatment        a drug or regimen in `value`, matched by name as in YAML (an
//                    unbound name is kept with no classes), or by code_system +
//                    code (RxNorm). `time` is the start date, or `start/end`
//                    (ISO 8601 interval) for a course; without an end the therapy
//                    is continuous and still running (YAML without `until`).
//                    A `phase` gives the course that phase and its classes.
//   diagnosis        the diagnosis code as written (CLL, 92814006, C91.1) in
//                    `value` or `code`; `time` is the diagnosis date (may be empty).
//   birth_date       `time` is the birth date; `value` is empty.
// Dates: YYYY-MM-DD or a FHIR dateTime (the date as written in its own offset).
// Rows of one patient may be anywhere in the file; patients are emitted in the
// order of their first row once the file is read, so the file's timelines (not
// its text) are held in memory: the file is read a line at a time.
//
// Rejections (reason; origin = file, line of the row, the column at fault):
//   unknown-concept, unbound-code (a code no binding knows: a skip, not an
//   error), missing-site / site-mismatch (a code shared by specimens, such as
//   LOINC 67128-9, without a site that picks one), unknown-unit,
//   unit-dimension, missing-unit, bad-date, bad-period,
//   missing-value, bad-value, unknown-phase, bad-record (wrong number of fields, no patient_id,
//   no concept, an unclosed quote), conflicting-diagnosis. A header without the
//   required columns is a Diagnostic and the file is not read.
#pragma once
#include <string>
#include <vector>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "data/records.hpp"
#include "core/timeline.hpp"

namespace crit {

// Loads a CSV file; patients go to `sink` in the order of their first row.
// Returns false when the file cannot be read or its header is unusable.
bool load_csv(const std::string& path, const Bindings& b, const PatientSink& sink, std::vector<Rejection>& rejects,
              Diagnostics& diags);

// The same from text in memory; `name` stands for the file in origins.
bool load_csv_text(const std::string& name, const std::string& text, const Bindings& b, const PatientSink& sink,
                   std::vector<Rejection>& rejects, Diagnostics& diags);

}  // namespace crit
