// Terminology bindings: concept names used in rules <-> codes and units in data.
// Loaded from YAML (bindings/default.yaml, or a site's own file). Rules name
// concepts, never codes; loaders map codes to concepts through this table.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dates.hpp"
#include "diag.hpp"
#include "units.hpp"

namespace crit {

using ConceptId = std::uint16_t;
using ClassId = std::uint16_t;

enum class ValueKind : std::uint8_t { Quantity, Boolean, Coded };

// Where a specimen came from (FHIR bodySite / the concept's own specimen).
enum class Site : std::uint8_t { Any, Blood, Marrow, Csf };

struct Code {
    std::string system;  // e.g. "http://loinc.org"
    std::string code;    // e.g. "731-0"
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
};

struct Drug {
    std::string name;                       // "ibrutinib"
    std::vector<Code> codes;                // RxNorm etc.
    std::vector<ClassId> classes;
};

struct DrugClass {
    std::string name;                       // "btk_inhibitor"
    std::string display;
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

    std::optional<ConceptId> concept_by_name(const std::string& name) const;
    // Finds the concept for a code; `site` refines codes shared by several specimens.
    std::optional<ConceptId> concept_by_code(const std::string& system, const std::string& code, Site site = Site::Any) const;
    std::optional<ClassId> class_by_name(const std::string& name) const;
    std::optional<std::size_t> drug_by_code(const std::string& system, const std::string& code) const;
    std::optional<std::size_t> drug_by_name(const std::string& name) const;
    // The diagnosis a code names: an exact code first, then the longest `prefix` code that covers it.
    std::optional<std::size_t> diagnosis_by_code(const std::string& system, const std::string& code) const;
    std::optional<std::size_t> procedure_by_code(const std::string& system, const std::string& code) const;
    std::vector<std::string> concept_names() const;
    std::vector<std::string> class_names() const;

    // Rebuilds the lookup indexes after concepts/drugs/classes/diagnoses/procedures change.
    void index();

private:
    struct PrefixCode {
        std::string system;                 // matches this system and its editions (icd-10-cm, ...)
        std::string key;                    // the code without dots, in capitals: "C911"
        std::size_t diagnosis;
    };
    std::map<std::string, ConceptId> by_name_;
    std::multimap<std::string, ConceptId> by_code_;  // key: system|code
    std::map<std::string, ClassId> class_by_name_;
    std::map<std::string, std::size_t> drug_by_code_;
    std::map<std::string, std::size_t> drug_by_name_;
    std::map<std::string, std::size_t> diagnosis_by_code_;  // exact codes
    std::vector<PrefixCode> diagnosis_prefixes_;            // longest key first
    std::map<std::string, std::size_t> procedure_by_code_;
};

// Loads a binding file; errors (with file:line) go to `diags`. Returns nullopt on error.
std::optional<Bindings> load_bindings(const std::string& path, Diagnostics& diags);
// The shipped default bindings (bindings/default.yaml under the source tree or next to the binary).
std::string default_bindings_path();

}  // namespace crit
