// Terminology bindings: concept names used in rules <-> codes and units in data.
// Loaded from YAML (bindings/default.yaml, or a site's own file). Rules name
// concepts, never codes; loaders map codes to concepts through this table.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/code_map.hpp"
#include "core/dates.hpp"
#include "core/diag.hpp"
#include "core/units.hpp"

namespace crit {

using ConceptId = std::uint16_t;
using ClassId = std::uint16_t;

enum class ValueKind : std::uint8_t { Quantity, Boolean, Coded };

// Where a specimen came from (FHIR bodySite / the concept's own specimen).
enum class Site : std::uint8_t { Any, Blood, Marrow, Csf };
// blood / marrow / csf / any (also peripheral-blood, bone-marrow; any case): the one
// reading of a site as bindings and data write it.
std::optional<Site> site_of(std::string_view s);
const char* site_name(Site s);

struct Code {
    std::string system;  // e.g. "http://loinc.org"
    std::string code;    // e.g. "731-0"
};

// A closed range of values in a concept's canonical unit.
struct ValueRange {
    double lo = 0, hi = 0;
    bool contains(double v) const { return v >= lo && v <= hi; }
};

struct Concept {
    std::string name;                       // as used in rules: "lymphocytes"
    std::string display;                    // "Absolute lymphocyte count"
    ValueKind kind = ValueKind::Quantity;
    Unit unit;                              // canonical unit for quantities (dimension + display)
    std::vector<std::string> units;         // units accepted in data (UCUM)
    std::vector<std::string> values;        // allowed codes of a Coded concept
    std::vector<Code> codes;                // codes that denote this concept
    Site site = Site::Any;                  // required specimen site, when the code alone is ambiguous
    std::optional<Duration> valid_for;      // how long one result stands (default: the rule file's hold)
    bool persistent = false;                // a fixed property (e.g. BCR::ABL1 of the clone): stands through treatment
    // `recorded: when-present`: systems record this finding only when it is found, so a day on
    // which no record stands reads as absent (boolean: not present; quantity: 0), not unknown.
    bool when_present = false;
    // `measure_of: <concept>`: this concept is another measure of that one, of another
    // dimension (the lymphocyte share of leukocytes, %, of `lymphocytes`, a count). A rule
    // naming the concept with a unit of this dimension reads this measure (check.cpp), and
    // so does a value of that concept in data that names concepts (YAML, CSV).
    std::optional<ConceptId> measure_of;
    std::vector<ConceptId> measures;        // the concepts that are `measure_of` this one (set by index())
    // `plausible: [lo, hi]` (quantity, in `unit`, stored canonical): where a threshold a rule
    // compares the concept with can sensibly lie. The checker refuses one outside it and names
    // the unit that would put the number inside (`11 g/L` for haemoglobin: meant g/dL).
    std::optional<ValueRange> plausible;
    // `physiological: [lo, hi]` (quantity, wider): a value in data outside it is no measurement
    // of a living patient (a unit slip, a typo) and is rejected (implausible-value).
    std::optional<ValueRange> physiological;
};

struct Drug {
    std::string name;                       // "ibrutinib"
    std::vector<Code> codes;                // RxNorm etc.
    std::vector<ClassId> classes;
};

// How far apart two courses of one class may start and still be one episode, when the
// class does not say (`episode_gap:`): the engine's rule before classes could set it.
inline constexpr Duration kDefaultEpisodeGap{0, 60};

struct DrugClass {
    std::string name;                       // "btk_inhibitor"
    std::string display;
    // A course starting less than this after the end of the class's current episode joins it
    // (`episode_gap: 14d`); see docs/semantics.md, "Treatments".
    Duration episode_gap = kDefaultEpisodeGap;
    // `cuts_results: true`: a new episode of this class is a new course of therapy, which ends
    // the results standing before it (docs/semantics.md, "How a result stands over time").
    bool cuts_results = false;
};

// A phase of therapy the data may state (induction, consolidation, maintenance): the words and
// codes that name it in data, and the classes a course in that phase gets besides its drug's.
struct Phase {
    std::string name;                       // "induction", as YAML `phase:` and CSV write it
    std::vector<ClassId> classes;           // given to a course in this phase, with its drug's
    std::vector<std::string> text;          // words or phrases (lower case) naming it in free text
    std::vector<Code> codes;                // codes naming it (FHIR category, Procedure.code)
    // false: a course in this phase continues the therapy under way: an episode it starts is
    // not a new course of therapy and ends no standing result, whatever its classes
    // (consolidation does not end the remission). See course_cuts (temporal.hpp).
    bool cuts_results = true;
};

// A code that diagnoses a disease (FHIR Condition.code, Procedure.reasonCode).
struct DiagnosisCode {
    std::string system;                     // e.g. "http://hl7.org/fhir/sid/icd-10"
    std::string code;                       // as written in the bindings: "C91.1"
    bool prefix = false;                    // `match: prefix`: the code and the codes under it (ICD-10 style)
};

// A disease that data is told apart by (CLL, ALL), and the codes that diagnose it.
struct Diagnosis {
    std::string name;                       // "CLL": as in messages and procedure classes
    std::string display;
    std::vector<DiagnosisCode> codes;
};

// A procedure code that counts as therapy (FHIR Procedure), and the classes of
// its course, by the diagnosis the course treats.
struct Procedure {
    Code code;                              // e.g. SNOMED 367336001
    std::string display;                    // "Chemotherapy"
    std::vector<ClassId> classes;           // whatever the diagnosis, or `default:` of a map
    std::map<std::string, std::vector<ClassId>> by_diagnosis;  // diagnosis name -> classes

    // The classes of a course that treats `diagnosis` ("" when none is known).
    const std::vector<ClassId>& classes_for(const std::string& diagnosis) const;
};

class Bindings {
public:
    std::string source_name;                // file the bindings came from
    std::vector<Concept> concepts;
    std::vector<Drug> drugs;
    std::vector<DrugClass> classes;
    std::vector<Diagnosis> diagnoses;
    std::vector<Procedure> procedures;      // procedures that count as therapy (e.g. SNOMED 367336001)
    std::vector<Phase> phases;              // phases of therapy the data may state (`phases:`)
    // `unsited: blood`: the specimen of a record that names none, for codes bound per site
    // (LOINC 67128-9). Any: such a record is rejected (missing-site).
    Site unsited = Site::Any;

    std::optional<ConceptId> concept_by_name(const std::string& name) const;
    // Finds the concept for a code; `site` refines codes shared by several specimens.
    std::optional<ConceptId> concept_by_code(std::string_view system, std::string_view code, Site site = Site::Any) const;
    // The measure of concept `c` whose unit has dimension `d`: `c` itself, or one of its
    // `measures`; nullopt when none has it (or `c` is not a quantity).
    std::optional<ConceptId> measure_with(ConceptId c, Dimension d) const;
    std::optional<ClassId> class_by_name(const std::string& name) const;
    std::optional<std::size_t> drug_by_code(std::string_view system, std::string_view code) const;
    std::optional<std::size_t> drug_by_name(const std::string& name) const;
    // The diagnosis a code names: an exact code first, then the longest `prefix` code that covers it.
    std::optional<std::size_t> diagnosis_by_code(std::string_view system, std::string_view code) const;
    // The diagnosis a patient record names without a code system (YAML, CSV, or a FHIR code as
    // written): a diagnosis name, ignoring case (`CLL`), or a code of any of its systems.
    std::optional<std::size_t> diagnosis_by_text(const std::string& text) const;
    std::optional<std::size_t> procedure_by_code(std::string_view system, std::string_view code) const;
    // The phase a value names as a whole (YAML `phase:`, the CSV `phase` column): its name or one
    // of its `text:` phrases, ignoring case and surrounding blanks.
    std::optional<std::size_t> phase_by_name(std::string_view name) const;
    std::optional<std::size_t> phase_by_code(std::string_view system, std::string_view code) const;
    // Adds to `out` (without repeats) each phase one of whose `text:` phrases occurs in `text`
    // as whole words, ignoring case ("Induction chemotherapy" names induction; "post-induction"
    // does not, a hyphen joining words).
    void phases_in_text(std::string_view text, std::vector<std::size_t>& out) const;
    // Drugs bound by code (ingredients, not regimens) whose name stands as a whole word in `text`
    // ("Venetoclax 100 MG Oral Tablet"), added to `out` once each.
    void drugs_in_text(std::string_view text, std::vector<std::size_t>& out) const;
    std::vector<std::string> phase_names() const;
    std::vector<std::string> concept_names() const;
    std::vector<std::string> class_names() const;
    std::vector<std::string> drug_names() const;
    std::vector<std::string> diagnosis_names() const;

    // Rebuilds the lookup indexes after concepts/drugs/classes/diagnoses/procedures change.
    void index();

private:
    struct PrefixCode {
        std::string system;                 // matches this system and its editions (icd-10-cm, ...)
        std::string key;                    // the code without dots, in capitals: "C911"
        std::size_t diagnosis;
    };
    std::map<std::string, ConceptId> by_name_;
    CodeMap<ConceptId> by_code_;
    std::map<std::string, ClassId> class_by_name_;
    CodeMap<std::size_t> drug_by_code_;
    std::map<std::string, std::size_t> drug_by_name_;
    CodeMap<std::size_t> diagnosis_by_code_;  // exact codes
    std::vector<PrefixCode> diagnosis_prefixes_;            // longest key first
    CodeMap<std::size_t> procedure_by_code_;
    CodeMap<std::size_t> phase_by_code_;
};

// Loads a binding file; errors (with file:line) go to `diags`. Returns nullopt on error.
std::optional<Bindings> load_bindings(const std::string& path, Diagnostics& diags);
// The shipped default bindings (bindings/default.yaml under the source tree or next to the binary).
std::string default_bindings_path();

}  // namespace crit
