// The patient timeline: what every loader (YAML, CSV, FHIR) produces and the VM reads.
// Values are stored in the concept's canonical unit; each record keeps its origin
// (file and line or JSON path) so explanations can cite the data point.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bindings.hpp"
#include "core/dates.hpp"

namespace crit {

// Censoring comparator of a result: "<0.01 %" is {Lt, 0.01}.
enum class Comparator : std::uint8_t { Eq, Lt, Le, Gt, Ge };

struct Origin {
    std::string file;
    std::uint32_t line = 0;      // 1-based line in the file (NDJSON line, YAML/CSV line), 0 if unknown
    std::string path;            // JSON path or record id, when useful
};

struct Observation {
    ConceptId concept_id = 0;
    Day day = 0;
    ValueKind kind = ValueKind::Quantity;
    Comparator comparator = Comparator::Eq;
    Site site = Site::Any;
    double value = 0;            // canonical unit; Boolean: 0 or 1; Coded: index into Concept::values
    double detection_limit = -1; // assay lower limit in canonical unit (MRD sensitivity); <0 = not given
    double original_value = 0;   // as written in the data, for explanations
    std::string original_unit;
    std::uint32_t origin = 0;    // index into Timeline::origins
};

// One administration or course: [start, end]; end empty = continuous therapy still running.
struct Treatment {
    std::string drug;            // bound drug name, or the code as written when unbound
    Day start = 0;
    std::optional<Day> end;
    std::vector<ClassId> classes;  // the drug's (or procedure's), and its phase's
    int phase = -1;              // index into Bindings::phases when the data state one, else -1
    std::uint32_t origin = 0;
};

struct Timeline {
    std::string patient_id;
    std::optional<Day> birth_date;
    std::optional<Day> diagnosis_date;
    std::string diagnosis;       // the diagnosis code as given (e.g. SNOMED 92814006)
    std::string disease;         // the bindings' diagnosis it names (CLL, ALL); empty when unknown
    std::vector<Observation> observations;   // sorted by (concept, day) after finalize()
    std::vector<Treatment> treatments;       // sorted by start after finalize()
    std::vector<Origin> origins;

    std::uint32_t add_origin(Origin o) {
        origins.push_back(std::move(o));
        return static_cast<std::uint32_t>(origins.size() - 1);
    }
    // Sorts records and builds the per-concept index; call once after loading.
    void finalize(std::size_t concept_count);
    // The observations of one concept, in date order (valid after finalize()).
    std::pair<const Observation*, const Observation*> series(ConceptId c) const;
    // The last dated record of any kind (the default as-of date); nullopt when empty.
    std::optional<Day> last_day() const;
    std::optional<Day> first_day() const;

private:
    std::vector<std::uint32_t> concept_start_;  // concept_start_[c]..concept_start_[c+1]
};

}  // namespace crit
