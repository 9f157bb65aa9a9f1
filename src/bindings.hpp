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

class Bindings {
public:
    std::string source_name;                // file the bindings came from
    std::vector<Concept> concepts;
    std::vector<Drug> drugs;
    std::vector<DrugClass> classes;
    std::vector<Code> procedure_codes;      // procedures that count as therapy (e.g. SNOMED 367336001)

    std::optional<ConceptId> concept_by_name(const std::string& name) const;
    // Finds the concept for a code; `site` refines codes shared by several specimens.
    std::optional<ConceptId> concept_by_code(const std::string& system, const std::string& code, Site site = Site::Any) const;
    std::optional<ClassId> class_by_name(const std::string& name) const;
    std::optional<std::size_t> drug_by_code(const std::string& system, const std::string& code) const;
    std::optional<std::size_t> drug_by_name(const std::string& name) const;
    std::vector<std::string> concept_names() const;
    std::vector<std::string> class_names() const;

    // Rebuilds the lookup indexes after concepts/drugs/classes change.
    void index();

private:
    std::map<std::string, ConceptId> by_name_;
    std::multimap<std::string, ConceptId> by_code_;  // key: system|code
    std::map<std::string, ClassId> class_by_name_;
    std::map<std::string, std::size_t> drug_by_code_;
    std::map<std::string, std::size_t> drug_by_name_;
};

// Loads a binding file; errors (with file:line) go to `diags`. Returns nullopt on error.
std::optional<Bindings> load_bindings(const std::string& path, Diagnostics& diags);
// The shipped default bindings (bindings/default.yaml under the source tree or next to the binary).
std::string default_bindings_path();

}  // namespace crit
