// Terminology bindings: the shipped file covers data-contract.md, lookups by
// code and site, and malformed files give located diagnostics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/bindings.hpp"

using namespace crit;
namespace fs = std::filesystem;

namespace {

const char* kLoinc = "http://loinc.org";
const char* kLocal = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings";
const char* kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

const Bindings& defaults() {
    static const Bindings b = [] {
        Diagnostics d;
        auto r = load_bindings(CRIT_SOURCE_DIR "/bindings/default.yaml", d);
        INFO(render(d));
        REQUIRE(r.has_value());
        REQUIRE(d.items().empty());
        return *r;
    }();
    return b;
}

std::string name_of(std::optional<ConceptId> id) {
    return id ? defaults().concepts[*id].name : std::string("<none>");
}

const Concept& concept_named(const std::string& name) {
    auto id = defaults().concept_by_name(name);
    INFO(name);
    REQUIRE(id.has_value());
    return defaults().concepts[*id];
}

bool has_class(const Drug& d, const std::string& cls) {
    auto id = defaults().class_by_name(cls);
    REQUIRE(id.has_value());
    return std::find(d.classes.begin(), d.classes.end(), *id) != d.classes.end();
}

const Drug& drug_named(const std::string& name) {
    auto i = defaults().drug_by_name(name);
    INFO(name);
    REQUIRE(i.has_value());
    return defaults().drugs[*i];
}

// A bindings file in a fresh temporary directory.
std::string write_temp(const std::string& name, const std::string& text) {
    static int n = 0;
    fs::path dir = fs::temp_directory_path() / ("crit-bindings-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
    fs::path p = dir / name;
    std::ofstream(p) << text;
    return p.string();
}

// Loads `text` as a bindings file; returns the diagnostics.
Diagnostics load_text(const std::string& text, bool expect_ok = false) {
    Diagnostics d;
    auto r = load_bindings(write_temp("b.yaml", text), d);
    INFO(render(d));
    CHECK(r.has_value() == expect_ok);
    return d;
}

bool mentions(const Diagnostics& d, const std::string& text, int line) {
    for (const auto& x : d.items())
        if (x.message.find(text) != std::string::npos && x.at.line == line && x.code == DiagCode::Bindings)
            return true;
    return false;
}

}  // namespace

TEST_CASE("default bindings load without diagnostics", "[bindings]") {
    const Bindings& b = defaults();
    CHECK(b.source_name == CRIT_SOURCE_DIR "/bindings/default.yaml");
    CHECK(b.concepts.size() >= 23);
    CHECK(b.concepts.size() == b.concept_names().size());
    CHECK(b.classes.size() == 10);  // with the ALL consolidation and maintenance phase classes
}

TEST_CASE("default bindings cover every code of data-contract.md", "[bindings]") {
    struct Row {
        const char* system;
        const char* code;
        const char* name;
    };
    const Row rows[] = {
        {kLoinc, "731-0", "lymphocytes"},
        {kLoinc, "26474-7", "lymphocytes"},
        {kLoinc, "751-8", "neutrophils"},
        {kLoinc, "777-3", "platelets"},
        {kLoinc, "718-7", "hemoglobin"},
        {kLoinc, "6690-2", "wbc"},
        {kLoinc, "26464-8", "wbc"},
        {kLoinc, "26446-5", "blood_blasts"},
        {kLoinc, "11150-0", "marrow_blasts"},
        {kLoinc, "11108-8", "marrow_lymphocytes"},
        {kLoinc, "806-0", "csf_wbc"},
        {kLoinc, "35068-6", "csf_blasts"},
        {kLoinc, "32489-7", "spleen_below_costal_margin"},
        {kLocal, "mrd-flow-pb", "mrd_blood"},
        {kLocal, "mrd-flow-bm", "mrd_marrow"},
        {kLocal, "ln-spd", "node_spd"},
        {kLocal, "ln-longest-diameter-max", "node_longest_max"},
        {kLocal, "spleen-craniocaudal-length", "spleen_length"},
        {kLocal, "hepatomegaly", "hepatomegaly"},
        {kLocal, "constitutional-symptoms", "b_symptoms"},
        {kLocal, "marrow-cll-infiltrate", "marrow_cll_infiltrate"},
        {kLocal, "marrow-b-lymphoid-nodules", "marrow_nodules"},
        {kLocal, "marrow-cellularity", "marrow_cellularity"},
        {kLocal, "bcr-abl1-detected", "bcr_abl1"},
        {kLocal, "extramedullary-disease", "extramedullary_disease"},
    };
    for (const auto& r : rows) {
        INFO(r.system << " " << r.code);
        CHECK(name_of(defaults().concept_by_code(r.system, r.code)) == r.name);
    }
    CHECK_FALSE(defaults().concept_by_code(kLoinc, "0000-0"));
    CHECK_FALSE(defaults().concept_by_code(kLocal, "731-0"));  // the system is part of the code
}

TEST_CASE("default bindings accept the units seen in the wild", "[bindings]") {
    struct Row {
        const char* name;
        std::vector<std::string> units;
        Dimension dim;
    };
    const Row rows[] = {
        {"lymphocytes", {"10*9/L", "10*3/uL", "/uL"}, Dimension::NumberConc},
        {"neutrophils", {"10*9/L", "/uL"}, Dimension::NumberConc},
        {"platelets", {"10*9/L", "10*3/uL", "/uL"}, Dimension::NumberConc},
        {"hemoglobin", {"g/dL", "g/L"}, Dimension::MassConc},
        {"wbc", {"10*9/L", "/uL"}, Dimension::NumberConc},
        {"blood_blasts", {"%"}, Dimension::Fraction},
        {"marrow_blasts", {"%"}, Dimension::Fraction},
        {"marrow_lymphocytes", {"%"}, Dimension::Fraction},
        {"csf_wbc", {"/uL"}, Dimension::NumberConc},
        {"csf_blasts", {"/uL"}, Dimension::NumberConc},
        {"spleen_below_costal_margin", {"cm"}, Dimension::Length},
        {"mrd_blood", {"%"}, Dimension::Fraction},
        {"mrd_marrow", {"%"}, Dimension::Fraction},
        {"node_spd", {"cm2"}, Dimension::Area},
        {"node_longest_max", {"cm"}, Dimension::Length},
        {"spleen_length", {"cm"}, Dimension::Length},
        {"marrow_cll_infiltrate", {"%"}, Dimension::Fraction},
    };
    for (const auto& r : rows) {
        const Concept& c = concept_named(r.name);
        INFO(r.name);
        CHECK(c.kind == ValueKind::Quantity);
        CHECK(c.unit.dim == r.dim);
        CHECK(c.unit.factor == 1.0);  // stored in the dimension's canonical unit
        CHECK(c.unit.ucum == canonical_unit(r.dim));
        for (const auto& u : r.units) {
            INFO(u);
            CHECK(std::find(c.units.begin(), c.units.end(), u) != c.units.end());
        }
    }
    for (const char* b : {"hepatomegaly", "b_symptoms", "marrow_nodules", "bcr_abl1", "extramedullary_disease"})
        CHECK(concept_named(b).kind == ValueKind::Boolean);
    const Concept& cell = concept_named("marrow_cellularity");
    CHECK(cell.kind == ValueKind::Coded);
    CHECK(cell.values == std::vector<std::string>{"normocellular", "hypocellular", "hypercellular"});
    CHECK(cell.site == Site::Marrow);
    CHECK(concept_named("marrow_blasts").site == Site::Marrow);
    CHECK(concept_named("lymphocytes").display == "Absolute lymphocyte count");
}

TEST_CASE("LOINC 67128-9 is told apart by site", "[bindings]") {
    const Bindings& b = defaults();
    CHECK(name_of(b.concept_by_code(kLoinc, "67128-9", Site::Blood)) == "mrd_blood");
    CHECK(name_of(b.concept_by_code(kLoinc, "67128-9", Site::Marrow)) == "mrd_marrow");
    // Without a site the shipped bindings read the record as blood (`unsited: blood`: the data
    // contract puts a bodySite on marrow observations); a site neither concept has is ambiguous.
    CHECK(b.unsited == Site::Blood);
    CHECK(name_of(b.concept_by_code(kLoinc, "67128-9", Site::Any)) == "mrd_blood");
    CHECK_FALSE(b.concept_by_code(kLoinc, "67128-9", Site::Csf));
    // Bindings that name no `unsited` specimen leave a record without a site ambiguous.
    Bindings plain = b;
    plain.unsited = Site::Any;
    CHECK_FALSE(plain.concept_by_code(kLoinc, "67128-9", Site::Any));
    // Local codes name the specimen themselves: the site does not matter.
    CHECK(name_of(b.concept_by_code(kLocal, "mrd-flow-pb", Site::Any)) == "mrd_blood");
    CHECK(name_of(b.concept_by_code(kLocal, "mrd-flow-bm", Site::Blood)) == "mrd_marrow");
    // Unshared codes ignore the site.
    CHECK(name_of(b.concept_by_code(kLoinc, "731-0", Site::Marrow)) == "lymphocytes");
    CHECK(concept_named("mrd_blood").site == Site::Blood);
    CHECK(concept_named("mrd_marrow").site == Site::Marrow);
}

TEST_CASE("drugs, classes and procedures of the default bindings", "[bindings]") {
    const Bindings& b = defaults();
    struct Row {
        const char* code;
        const char* drug;
    };
    // RxNorm ingredient codes: the data contract's, and those verified in docs/data.md
    // ("Drugs by RxNorm code"). Every other drug is bound by name only.
    const std::vector<Row> rows = {
        {"1442981", "ibrutinib"},     {"121191", "rituximab"},       {"24698", "fludarabine"},
        {"3002", "cyclophosphamide"}, {"1597258", "blinatumomab"},   {"1986808", "acalabrutinib"},
        {"2262435", "zanubrutinib"},  {"2629338", "pirtobrutinib"},  {"1747556", "venetoclax"},
        {"974779", "obinutuzumab"},   {"712566", "ofatumumab"},      {"2346", "chlorambucil"},
        {"134547", "bendamustine"},   {"11202", "vincristine"},      {"3109", "daunorubicin"},
        {"3639", "doxorubicin"},      {"1156", "asparaginase"},      {"34132", "pegaspargase"},
        {"8640", "prednisone"},       {"3264", "dexamethasone"},     {"282388", "imatinib"},
        {"475342", "dasatinib"},      {"1364347", "ponatinib"},      {"6851", "methotrexate"},
        {"3041", "cytarabine"},       {"103", "mercaptopurine"},     {"1942950", "inotuzumab ozogamicin"}};
    for (const Row& r : rows) {
        auto i = b.drug_by_code(kRxNorm, r.code);
        INFO(r.code);
        REQUIRE(i.has_value());
        CHECK(b.drugs[*i].name == r.drug);
    }
    CHECK_FALSE(b.drug_by_code(kRxNorm, "999999"));
    std::size_t coded = 0;
    for (const auto& d : b.drugs) coded += !d.codes.empty();
    CHECK(coded == rows.size());
    for (const char* n : {"idelalisib", "duvelisib", "FCR", "BR", "hyper-CVAD", "induction"}) {
        INFO(n);
        CHECK(drug_named(n).codes.empty());  // no verified code: by name only
    }

    for (const char* n : {"ibrutinib", "acalabrutinib", "zanubrutinib"}) {
        INFO(n);
        CHECK(has_class(drug_named(n), "btk_inhibitor"));
        CHECK(has_class(drug_named(n), "bcr_inhibitor"));
        CHECK(has_class(drug_named(n), "cll_therapy"));
    }
    for (const char* n : {"idelalisib", "duvelisib"}) {
        INFO(n);
        CHECK(has_class(drug_named(n), "pi3k_inhibitor"));
        CHECK(has_class(drug_named(n), "bcr_inhibitor"));
        CHECK_FALSE(has_class(drug_named(n), "btk_inhibitor"));
    }
    for (const char* n : {"venetoclax", "FCR", "BR", "chlorambucil", "bendamustine", "fludarabine", "rituximab"}) {
        INFO(n);
        CHECK_FALSE(has_class(drug_named(n), "bcr_inhibitor"));
        CHECK(has_class(drug_named(n), "cll_therapy"));
    }
    CHECK(has_class(drug_named("FCR"), "cll_chemoimmunotherapy"));
    CHECK(has_class(drug_named("BR"), "cll_chemoimmunotherapy"));
    CHECK_FALSE(has_class(drug_named("ibrutinib"), "cll_chemoimmunotherapy"));
    CHECK(has_class(drug_named("hyper-CVAD"), "all_induction"));
    CHECK(has_class(drug_named("induction"), "all_induction"));
    CHECK(has_class(drug_named("blinatumomab"), "all_therapy"));
    CHECK(has_class(drug_named("blinatumomab"), "antileukemic"));
    // ALL drugs are given in every phase: the phase, not the drug, makes a course induction.
    for (const char* n : {"vincristine", "daunorubicin", "doxorubicin", "asparaginase", "pegaspargase", "prednisone",
                          "dexamethasone", "imatinib", "dasatinib", "ponatinib", "cytarabine", "mercaptopurine"}) {
        INFO(n);
        CHECK(has_class(drug_named(n), "all_therapy"));
        CHECK_FALSE(has_class(drug_named(n), "all_induction"));
    }
    // Names match without regard to case.
    CHECK(drug_named("fcr").name == "FCR");
    CHECK(drug_named("Ibrutinib").name == "ibrutinib");
    CHECK_FALSE(b.drug_by_name("aspirin"));

    REQUIRE(b.procedures.size() == 1);
    CHECK(b.procedures[0].code.system == "http://snomed.info/sct");
    CHECK(b.procedures[0].code.code == "367336001");
    CHECK(b.class_by_name("bcr_inhibitor").has_value());
    CHECK_FALSE(b.class_by_name("kinase_inhibitor"));
    auto names = b.class_names();
    CHECK(std::find(names.begin(), names.end(), "pi3k_inhibitor") != names.end());
}

TEST_CASE("diagnoses and procedure classes of the default bindings", "[bindings]") {
    const Bindings& b = defaults();
    const std::string snomed = "http://snomed.info/sct", icd10 = "http://hl7.org/fhir/sid/icd-10";
    auto dx = [&](const std::string& system, const std::string& code) {
        auto i = b.diagnosis_by_code(system, code);
        return i ? b.diagnoses[*i].name : std::string("<none>");
    };
    CHECK(dx(snomed, "92814006") == "CLL");
    CHECK(dx(snomed, "91857003") == "ALL");
    CHECK(dx(snomed, "9281400") == "<none>");   // SNOMED codes match exactly
    CHECK(dx(snomed, "928140061") == "<none>");
    CHECK(dx(snomed, "C91.1") == "<none>");
    // ICD-10: the code and its subcodes, with or without the dot, either case, any national edition.
    for (const char* c : {"C91.1", "C91.10", "C91.12", "C911", "c91.1"}) {
        INFO(c);
        CHECK(dx(icd10, c) == "CLL");
        CHECK(dx(icd10 + "-cm", c) == "CLL");
    }
    CHECK(dx(icd10, "C91.0") == "ALL");
    CHECK(dx(icd10 + "-de", "C91.00") == "ALL");
    CHECK(dx(icd10, "C91") == "<none>");
    CHECK(dx(icd10, "C92.1") == "<none>");
    CHECK(dx("http://hl7.org/fhir/sid/icd-9-cm", "C91.1") == "<none>");

    REQUIRE(b.procedure_by_code(snomed, "367336001") == std::size_t{0});
    CHECK_FALSE(b.procedure_by_code(snomed, "86273004"));
    const Procedure& chemo = b.procedures[0];
    CHECK(chemo.display == "Chemotherapy");
    auto names = [&](const std::vector<ClassId>& ids) {
        std::vector<std::string> v;
        for (ClassId c : ids) v.push_back(b.classes[c].name);
        return v;
    };
    // As an unspecified regimen of the disease (chlorambucil, bendamustine).
    CHECK(names(chemo.classes_for("CLL")) ==
          std::vector<std::string>{"cll_therapy", "cll_chemoimmunotherapy", "antileukemic"});
    // ALL chemotherapy is not induction by itself: a stated phase adds all_induction.
    CHECK(names(chemo.classes_for("ALL")) == std::vector<std::string>{"all_therapy", "antileukemic"});
    CHECK(names(chemo.classes_for("")) == std::vector<std::string>{"antileukemic"});
    CHECK(names(chemo.classes_for("AML")) == std::vector<std::string>{"antileukemic"});
}

TEST_CASE("episode gaps, the classes that cut results, and phases of the default bindings", "[bindings][phase]") {
    const Bindings& b = defaults();
    auto cls = [&](const std::string& n) -> const DrugClass& {
        auto id = b.class_by_name(n);
        INFO(n);
        REQUIRE(id.has_value());
        return b.classes[*id];
    };
    // Only antileukemic cuts; every class keeps the 60 days of old (the engine's rule before
    // classes could set it), so nothing changes where no phase is stated.
    for (const auto& c : b.classes) {
        INFO(c.name);
        CHECK(c.cuts_results == (c.name == "antileukemic"));
        CHECK(c.episode_gap == kDefaultEpisodeGap);
    }
    CHECK(kDefaultEpisodeGap == Duration{0, 60});
    CHECK(cls("antileukemic").cuts_results);

    REQUIRE(b.phase_names() == std::vector<std::string>{"induction", "consolidation", "maintenance"});
    auto phase = [&](const std::string& n) -> const Phase& {
        auto i = b.phase_by_name(n);
        INFO(n);
        REQUIRE(i.has_value());
        return b.phases[*i];
    };
    auto names = [&](const std::vector<ClassId>& ids) {
        std::vector<std::string> v;
        for (ClassId c : ids) v.push_back(b.classes[c].name);
        return v;
    };
    CHECK(names(phase("induction").classes) == std::vector<std::string>{"all_induction"});
    CHECK(names(phase("consolidation").classes) == std::vector<std::string>{"all_consolidation"});
    CHECK(names(phase("maintenance").classes) == std::vector<std::string>{"all_maintenance"});
    CHECK(phase("induction").cuts_results);
    CHECK_FALSE(phase("consolidation").cuts_results);
    CHECK_FALSE(phase("maintenance").cuts_results);
    CHECK(phase("induction").codes.empty());  // text only: no code verified
    // Whole values, any case: the name or a `text:` phrase.
    CHECK(phase(" Remission Induction ").name == "induction");
    CHECK(phase("INTENSIFICATION").name == "consolidation");
    CHECK_FALSE(b.phase_by_name("salvage"));
    CHECK_FALSE(b.phase_by_name("induction chemotherapy"));  // a whole value, not words in it
    CHECK_FALSE(b.phase_by_name(""));
    // Words in free text: whole words, any case; a hyphen joins words.
    auto in_text = [&](const std::string& text) {
        std::vector<std::size_t> out;
        b.phases_in_text(text, out);
        std::string s;
        for (auto i : out) s += (s.empty() ? "" : " ") + b.phases[i].name;
        return s;
    };
    CHECK(in_text("Induction chemotherapy") == "induction");
    CHECK(in_text("REMISSION INDUCTION (course 1)") == "induction");
    CHECK(in_text("Delayed intensification") == "consolidation");
    CHECK(in_text("interim maintenance") == "maintenance");
    CHECK(in_text("induction/consolidation") == "induction consolidation");
    CHECK(in_text("post-induction therapy") == "");
    CHECK(in_text("reinduction") == "");
    CHECK(in_text("inductions") == "");
    CHECK(in_text("chemotherapy") == "");
}

TEST_CASE("episode_gap, cuts_results and phases are validated, each error at its line", "[bindings][phase]") {
    SECTION("a valid file") {
        Diagnostics d;
        auto r = load_bindings(write_temp("b.yaml", R"(
concepts:
  x: {kind: boolean}
classes:
  a: {display: A, episode_gap: 2mo, cuts_results: true}
  b: {episode_gap: 0d, cuts_results: true}
  c: {cuts_results: false}
  d: D
phases:
  first:
    classes: [a, c]
    text: [First line, 'Front line ']
    codes: [{system: s, code: p1}]
  later: {classes: [d], cuts_results: false}
)"),
                               d);
        INFO(render(d));
        REQUIRE(r.has_value());
        CHECK(d.items().empty());
        REQUIRE(r->classes.size() == 4);
        CHECK(r->classes[0].episode_gap == Duration{2, 0});
        CHECK(r->classes[1].episode_gap == Duration{0, 0});
        CHECK(r->classes[2].episode_gap == kDefaultEpisodeGap);
        CHECK(r->classes[0].cuts_results);
        CHECK(r->classes[1].cuts_results);  // several classes may cut
        CHECK_FALSE(r->classes[2].cuts_results);
        CHECK_FALSE(r->classes[3].cuts_results);
        REQUIRE(r->phases.size() == 2);
        CHECK(r->phases[0].classes == std::vector<ClassId>{0, 2});
        CHECK(r->phases[0].text == std::vector<std::string>{"first", "first line", "front line"});
        CHECK(r->phases[0].cuts_results);
        CHECK_FALSE(r->phases[1].cuts_results);
        CHECK(r->phase_by_code("s", "p1") == std::size_t{0});
        CHECK_FALSE(r->phase_by_code("s", "p2"));
        CHECK(r->phase_by_name("FRONT LINE") == std::size_t{0});
        CHECK(r->phase_by_name("later") == std::size_t{1});
    }
    SECTION("bad episode_gap and cuts_results") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "classes:\n"
            "  a: {episode_gap: soon}\n"
            "  b: {episode_gap: -14d}\n"
            "  c: {episode_gap: [14d]}\n"
            "  e: {cuts_results: yes}\n"
            "  f: {cut_results: true}\n");
        CHECK(mentions(d, "`episode_gap` of class `a` must be a duration such as 14d, 8wk or 2mo, not `soon`", 4));
        CHECK(mentions(d, "`episode_gap` of class `b` must be a duration", 5));
        CHECK(mentions(d, "`episode_gap` must be a single value", 6));
        CHECK(mentions(d, "`cuts_results` is true or false, not `yes`", 7));
        CHECK(mentions(d, "unknown field `cut_results` in class `f`", 8));
    }
    SECTION("malformed phases") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "classes: {all_induction: I, all_consolidation: C}\n"
            "phases:\n"
            "  induction: {classes: [all_inducton], text: [induction, remission induction]}\n"
            "  consolidation:\n"
            "    classes: [all_consolidation]\n"
            "    text: [consolidation, Remission Induction, '  ']\n"
            "    codes: [{system: s, code: '1'}]\n"
            "  maintenance: {text: maintenance, codes: [{system: s, code: '1'}], cuts_results: no}\n"
            "  Salvage: {classes: all_induction}\n"
            "  later: [all_consolidation]\n"
            "  other: {clases: [all_consolidation]}\n"
            "  consolidation: {}\n");
        CHECK(mentions(d, "phase `induction` names class `all_inducton`, which `classes:` does not declare", 5));
        CHECK(mentions(d, "text `Remission Induction` already names phase `induction`", 8));
        CHECK(mentions(d, "a phrase of phase `consolidation` must not be empty", 8));
        CHECK(mentions(d, "`text` of phase `maintenance` must be a list of words or phrases", 10));
        CHECK(mentions(d, "code 1 already names phase `consolidation`", 10));
        CHECK(mentions(d, "`cuts_results` is true or false, not `no`", 10));
        CHECK(mentions(d, "phase name `Salvage` must be lower_snake_case", 11));
        CHECK(mentions(d, "`classes` of phase `Salvage` must be a list of class names", 11));
        CHECK(mentions(d, "phase `later` must be a map", 12));
        CHECK(mentions(d, "unknown field `clases` in phase `other`", 13));
        CHECK(mentions(d, "duplicate name `consolidation` in `phases`", 14));
        // The unknown class names the file and the line, with a suggestion.
        auto unknown = std::find_if(d.items().begin(), d.items().end(), [](const Diagnostic& x) {
            return x.message.find("all_inducton") != std::string::npos;
        });
        REQUIRE(unknown != d.items().end());
        CHECK(unknown->suggestion == "all_induction");
        std::string shown = render(d);
        CHECK(shown.find("b.yaml:5:") != std::string::npos);
    }
}

TEST_CASE("default_bindings_path honours CRIT_BINDINGS", "[bindings]") {
    const char* old = std::getenv("CRIT_BINDINGS");
    std::string saved = old ? old : "";
    ::unsetenv("CRIT_BINDINGS");
    CHECK(default_bindings_path() == CRIT_SOURCE_DIR "/bindings/default.yaml");
    ::setenv("CRIT_BINDINGS", "/site/bindings.yaml", 1);
    CHECK(default_bindings_path() == "/site/bindings.yaml");
    if (old) ::setenv("CRIT_BINDINGS", saved.c_str(), 1);
    else ::unsetenv("CRIT_BINDINGS");
}

TEST_CASE("index() builds the lookups of hand-made bindings", "[bindings]") {
    Bindings b;
    Concept a;
    a.name = "alpha";
    a.codes = {{"sys", "1"}};
    Concept m1;
    m1.name = "mrd_b";
    m1.site = Site::Blood;
    m1.codes = {{"sys", "shared"}};
    Concept m2;
    m2.name = "mrd_any";
    m2.codes = {{"sys", "shared"}};
    b.concepts = {a, m1, m2};
    b.classes = {{"c1", "Class one"}};
    b.drugs = {{"Drug", {{"rx", "42"}}, {0}}};
    b.index();
    CHECK(b.concept_by_name("alpha") == ConceptId{0});
    CHECK_FALSE(b.concept_by_name("beta"));
    CHECK(b.concept_by_code("sys", "1") == ConceptId{0});
    // Exact site first, then the concept without a site.
    CHECK(b.concept_by_code("sys", "shared", Site::Blood) == ConceptId{1});
    CHECK(b.concept_by_code("sys", "shared", Site::Marrow) == ConceptId{2});
    CHECK(b.concept_by_code("sys", "shared", Site::Any) == ConceptId{2});
    CHECK(b.class_by_name("c1") == ClassId{0});
    CHECK(b.drug_by_code("rx", "42") == std::size_t{0});
    CHECK(b.drug_by_name("drug") == std::size_t{0});
    CHECK(b.concept_names() == std::vector<std::string>{"alpha", "mrd_b", "mrd_any"});

    // Diagnoses: an exact code first, then the longest prefix, whatever the order of the file.
    b.diagnoses = {{"lymphoid", "", {{"icd", "C91", true}}},
                   {"cll", "", {{"icd", "C91.1", true}, {"sct", "92814006", false}}},
                   {"odd", "", {{"icd", "C91.15", false}}}};
    b.procedures = {{{"sct", "1"}, "", {0}, {{"cll", {}}}}};
    b.index();
    CHECK(b.diagnosis_by_code("icd", "C91.0") == std::size_t{0});
    CHECK(b.diagnosis_by_code("icd", "C91.13") == std::size_t{1});
    CHECK(b.diagnosis_by_code("icd-cm", "c9113") == std::size_t{1});
    CHECK(b.diagnosis_by_code("icd", "C91.15") == std::size_t{2});
    CHECK(b.diagnosis_by_code("sct", "92814006") == std::size_t{1});
    CHECK_FALSE(b.diagnosis_by_code("sct", "928140060"));
    CHECK_FALSE(b.diagnosis_by_code("ic", "C91.1"));
    CHECK(b.procedure_by_code("sct", "1") == std::size_t{0});
    CHECK(b.procedures[0].classes_for("cll").empty());
    CHECK(b.procedures[0].classes_for("other") == std::vector<ClassId>{0});
}

TEST_CASE("malformed YAML gives one located diagnostic", "[bindings]") {
    std::string path = write_temp("broken.yaml",
                                  "concepts:\n"
                                  "  lymphocytes:\n"
                                  "    kind: quantity\n"
                                  "    units: [10*9/L, /uL\n"
                                  "classes: {}\n");
    Diagnostics d;
    CHECK_FALSE(load_bindings(path, d));
    REQUIRE(d.items().size() == 1);
    const auto& x = d.items()[0];
    CHECK(x.code == DiagCode::Bindings);
    CHECK(x.at.valid());
    CHECK(x.at.file == path);
    CHECK(x.at.line >= 4);
    CHECK(x.message.find("malformed YAML") != std::string::npos);
    std::string shown = render(d);
    CHECK(shown.find(path + ":" + std::to_string(x.at.line) + ":") != std::string::npos);
    CHECK(shown.find("error[bindings]") != std::string::npos);
}

TEST_CASE("a missing bindings file is an io error", "[bindings]") {
    Diagnostics d;
    CHECK_FALSE(load_bindings("/nonexistent/crit/bindings.yaml", d));
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].code == DiagCode::Io);
    CHECK(d.items()[0].message.find("/nonexistent/crit/bindings.yaml") != std::string::npos);
}

TEST_CASE("bindings are validated, each error at its line", "[bindings]") {
    SECTION("a valid minimal file") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n",
            true);
        CHECK(d.items().empty());
    }
    SECTION("unknown kind") {
        auto d = load_text(
            "concepts:\n"
            "  x:\n"
            "    kind: quantty\n"
            "    unit: cm\n");
        CHECK(mentions(d, "unknown kind `quantty`", 3));
        CHECK(d.items()[0].suggestion == "quantity");
    }
    SECTION("unknown unit") {
        auto d = load_text(
            "concepts:\n"
            "  x: {unit: furlong}\n"
            "  y:\n"
            "    unit: cm\n"
            "    units: [cm, parsec]\n");
        CHECK(mentions(d, "unknown unit `furlong`", 2));
        CHECK(mentions(d, "unknown unit `parsec`", 5));
    }
    SECTION("a unit of the wrong dimension") {
        auto d = load_text(
            "concepts:\n"
            "  platelets:\n"
            "    unit: 10*9/L\n"
            "    units: [10*9/L, g/L]\n");
        CHECK(mentions(d, "unit `g/L` is a mass concentration", 4));
    }
    SECTION("a quantity without a unit") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: quantity}\n");
        CHECK(mentions(d, "needs a canonical `unit:`", 2));
    }
    SECTION("a coded concept without values") {
        auto d = load_text(
            "concepts:\n"
            "  cellularity:\n"
            "    kind: coded\n");
        CHECK(mentions(d, "needs `values:`", 2));
    }
    SECTION("duplicate names") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "  x: {kind: boolean}\n"
            "classes:\n"
            "  c: {display: C}\n"
            "drugs:\n"
            "  Foo: {classes: [c]}\n"
            "  foo: {classes: [c]}\n");
        CHECK(mentions(d, "duplicate name `x`", 3));
        CHECK(mentions(d, "duplicate name `foo`", 8));
    }
    SECTION("a class a drug names but no one declares") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "classes:\n"
            "  btk_inhibitor: {display: BTK}\n"
            "drugs:\n"
            "  ibrutinib: {classes: [btk_inhibitr]}\n");
        CHECK(mentions(d, "class `btk_inhibitr`, which `classes:` does not declare", 6));
        CHECK(d.items()[0].suggestion == "btk_inhibitor");
    }
    SECTION("a shared code needs distinct sites") {
        auto d = load_text(
            "concepts:\n"
            "  a:\n"
            "    kind: boolean\n"
            "    codes: [{system: s, code: '1'}]\n"
            "  b:\n"
            "    kind: boolean\n"
            "    codes: [{system: s, code: '1'}]\n");
        CHECK(mentions(d, "code 1 is bound to both `a` and `b`", 7));
    }
    SECTION("a code's site must agree with its concept's") {
        auto d = load_text(
            "concepts:\n"
            "  a:\n"
            "    kind: boolean\n"
            "    site: blood\n"
            "    codes: [{system: s, code: '1', site: marrow}]\n");
        CHECK(mentions(d, "restricted to site blood", 5));
    }
    SECTION("unknown fields and sections, with suggestions") {
        auto d = load_text(
            "concepts:\n"
            "  a: {kind: boolean, dispaly: A}\n"
            "drgus: {}\n");
        CHECK(mentions(d, "unknown field `dispaly`", 2));
        CHECK(mentions(d, "unknown section `drgus`", 3));
    }
    SECTION("diagnoses and procedure classes: a valid file") {
        Diagnostics d;
        // `procedures:` comes before the sections it names: the order of sections does not matter.
        auto r = load_bindings(write_temp("b.yaml", R"(
concepts:
  x: {kind: boolean}
procedures:
  - system: s
    code: '1'
    classes: {B-ALL: [c1], default: [c2, c2]}
  - {system: s, code: '2', classes: [c2]}
  - {system: s, code: '3'}
classes: {c1: One, c2: Two}
diagnoses:
  B-ALL:
    display: B-lineage ALL
    codes:
      - {system: s, code: '10'}
      - {system: i, code: C91.0, match: prefix}
      - {system: i, code: C91.00, match: exact}
)"),
                               d);
        INFO(render(d));
        REQUIRE(r.has_value());
        CHECK(d.items().empty());
        REQUIRE(r->diagnoses.size() == 1);
        CHECK(r->diagnoses[0].display == "B-lineage ALL");
        CHECK(r->diagnoses[0].codes.size() == 3);
        CHECK(r->diagnosis_by_code("i", "C91.01") == std::size_t{0});
        CHECK(r->diagnosis_by_code("s", "10") == std::size_t{0});
        REQUIRE(r->procedures.size() == 3);
        CHECK(r->procedures[0].classes_for("B-ALL") == std::vector<ClassId>{0});
        CHECK(r->procedures[0].classes_for("") == std::vector<ClassId>{1});  // repeats dropped
        CHECK(r->procedures[1].classes_for("B-ALL") == std::vector<ClassId>{1});
        CHECK(r->procedures[2].classes_for("B-ALL").empty());
    }
    SECTION("malformed diagnoses") {
        auto d = load_text(
            "concepts:\n"
            "  x:\n"
            "    kind: boolean\n"
            "    codes: [{system: s, code: '1', match: prefix}]\n"
            "diagnoses:\n"
            "  CLL:\n"
            "    codes:\n"
            "      - {system: i, code: C91.1, match: prefx}\n"
            "      - {system: s, code: '92814006'}\n"
            "  ALL:\n"
            "    codes: [{system: s, code: '92814006'}, {system: i, code: ., match: prefix}]\n"
            "  default: {codes: [{system: s, code: '3'}]}\n"
            "  AML: {display: no codes}\n"
            "  T cell: {codes: [{system: s, code: '4'}]}\n"
            "  MDS: [{system: s, code: '5'}]\n"
            "  CML: {codes: [{system: s, code: '6'}], dispay: x}\n");
        CHECK(mentions(d, "only diagnosis codes take `match`", 4));
        CHECK(mentions(d, "unknown match `prefx` (exact or prefix)", 8));
        CHECK(mentions(d, "code 92814006 is already bound to diagnosis `CLL`", 11));
        CHECK(mentions(d, "code `.` has nothing to match by prefix", 11));
        CHECK(mentions(d, "`default` names the fallback in a procedure's `classes:`, not a diagnosis", 12));
        CHECK(mentions(d, "diagnosis `AML` needs `codes:`", 13));
        CHECK(mentions(d, "diagnosis name `T cell` must be a plain word", 14));
        CHECK(mentions(d, "diagnosis `MDS` must be a map with `codes`", 15));
        CHECK(mentions(d, "unknown field `dispay` in diagnosis `CML`", 16));
        auto prefx = std::find_if(d.items().begin(), d.items().end(),
                                  [](const Diagnostic& x) { return x.message.find("prefx") != std::string::npos; });
        REQUIRE(prefx != d.items().end());
        CHECK(prefx->suggestion == "prefix");
    }
    SECTION("malformed procedures and their classes") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "classes: {cll_therapy: CLL}\n"
            "diagnoses:\n"
            "  CLL: {codes: [{system: s, code: '1'}]}\n"
            "procedures:\n"
            "  - {system: s, code: '10', classes: {CLL: [cll_therapy], CCL: [cll_therapy]}}\n"
            "  - {system: s, code: '11', classes: {CLL: [cll_theraphy]}}\n"
            "  - {system: s, code: '12', classes: cll_therapy}\n"
            "  - {system: s, code: '10'}\n"
            "  - {system: s, code: '13', site: marrow}\n"
            "  - {system: s, code: '14', classes: {default: cll_therapy}}\n"
            "  - {code: '15'}\n"
            "  - just a code\n");
        CHECK(mentions(d, "`classes` of procedure 10 names diagnosis `CCL`, which `diagnoses:` does not declare", 7));
        CHECK(mentions(d, "procedure 11 for CLL names class `cll_theraphy`, which `classes:` does not declare", 8));
        CHECK(mentions(d, "`classes` of procedure 12 must be a list of class names, or a map", 9));
        CHECK(mentions(d, "procedure code 10 is listed twice", 10));
        CHECK(mentions(d, "unknown field `site` in a procedure", 11));
        CHECK(mentions(d, "the classes of procedure 14 for default must be a list of class names", 12));
        CHECK(mentions(d, "a procedure needs both `system` and `code`", 13));
        CHECK(mentions(d, "a procedure is a map", 14));
        auto ccl = std::find_if(d.items().begin(), d.items().end(),
                                [](const Diagnostic& x) { return x.message.find("`CCL`") != std::string::npos; });
        REQUIRE(ccl != d.items().end());
        CHECK(ccl->suggestion == "CLL");
    }
    SECTION("procedures and diagnoses of the wrong shape") {
        auto d = load_text(
            "concepts:\n"
            "  x: {kind: boolean}\n"
            "diagnoses: [CLL]\n"
            "procedures: {chemo: 1}\n");
        CHECK(mentions(d, "`diagnoses` must be a map from names to entries", 3));
        CHECK(mentions(d, "`procedures` must be a list of {system, code, display, classes}", 4));
    }
    SECTION("not a map at all") {
        auto d = load_text("- just\n- a list\n");
        CHECK(mentions(d, "a bindings file is a map", 1));
    }
}
