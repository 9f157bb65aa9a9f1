// FHIR output (src/out/fhir_results.cpp): which records become derivedFrom (those the VM's
// trace gives explain's summary, baselines included), which origins are references, and
// how a result's kind becomes value[x] or dataAbsentReason. tests/cli/fhir_output.py checks
// the whole output of the shipped examples against the R4 rules.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "out/fhir_results.hpp"
#include "data/load_yaml.hpp"
#include "lang/driver.hpp"
#include "vm/vm.hpp"

using namespace crit;

namespace {

struct FhirCase {
    Compilation c;
    Timeline t;
    std::map<std::string, nlohmann::json> by_result;  // the Observations by result name
};

// Compiles `rules`, loads the YAML timeline, names every record `Observation/o<line>` as the
// FHIR loaders name a resource with an id, evaluates with the trace and writes the NDJSON.
FhirCase run_fhir(const std::string& rules, const std::string& yaml) {
    FhirCase fc;
    Diagnostics d;
    fc.c = compile_source(std::make_shared<SourceFile>("f.crit", rules), d);
    INFO(render(d));
    REQUIRE(fc.c.program);
    std::vector<Rejection> rejects;
    fc.t = timeline_from_yaml(YAML::Load(yaml), "f.yaml", *fc.c.bindings, rejects);
    REQUIRE(rejects.empty());
    fc.t.patient_id = "p-1";
    for (auto& o : fc.t.origins) o.path = "Observation/o" + std::to_string(o.line);
    EvalContext ctx;
    ctx.trace = true;
    const Evaluation& ev = evaluate(*fc.c.program, fc.t, std::nullopt, ctx);
    std::string out = FhirResultsWriter(*fc.c.program, "2026-01-01T00:00:00Z").ndjson(fc.t, ev);
    std::size_t at = 0;
    while (at < out.size()) {
        std::size_t end = out.find('\n', at);
        REQUIRE(end != std::string::npos);
        auto j = nlohmann::json::parse(out.substr(at, end - at));
        fc.by_result[j["code"]["coding"].back()["code"].get<std::string>()] = j;
        at = end + 1;
    }
    return fc;
}

std::vector<std::string> derived(const nlohmann::json& o) {
    std::vector<std::string> refs;
    if (o.contains("derivedFrom"))
        for (const auto& d : o["derivedFrom"]) refs.push_back(d["reference"]);
    return refs;
}

const char* const kRules =
    "therapy = first treatment of class cll_therapy\n"
    "baseline = last value within 90d before therapy.start\n"
    "CR: lymphocytes decreased >= 50% from baseline\n"
    "PD: lymphocytes increased >= 50% over nadir\n"
    "Plt: platelets >= 100 x10^9/L\n"
    "result best = first of CR, PD, else NE\n"
    "result plt = Plt\n"
    "result pd_date = first PD\n"
    "result other = yes if PD\n";

}  // namespace

TEST_CASE("fhir: FHIR ids and the origins that are references", "[fhir-out]") {
    CHECK(is_fhir_id("p-002-obs-1"));
    CHECK(is_fhir_id(std::string(64, 'a')));
    CHECK_FALSE(is_fhir_id(std::string(65, 'a')));
    CHECK_FALSE(is_fhir_id(""));
    CHECK_FALSE(is_fhir_id("patient_1"));
    CHECK_FALSE(is_fhir_id("a b"));
    CHECK(fhir_reference(Origin{"x.ndjson", 3, "Observation/o-1"}) == "Observation/o-1");
    CHECK(fhir_reference(Origin{"x.ndjson", 3, "Observation"}).empty());          // NDJSON line without id
    CHECK(fhir_reference(Origin{"b.json", 9, "entry[3].resource"}).empty());      // Bundle entry without id
    CHECK(fhir_reference(Origin{"b.json", 9, "Observation/bad id"}).empty());
    CHECK(fhir_reference(Origin{"b.json", 9, "Condition/c-1"}).empty());         // not an Observation
    CHECK(fhir_reference(Origin{"c.csv", 4, ""}).empty());
    CHECK(fhir_reference(Origin{"p.yaml", 5, "timeline[2].platelets"}).empty());
}

TEST_CASE("fhir: derivedFrom is the records the summary cites, the baseline included", "[fhir-out]") {
    auto fc = run_fhir(kRules, R"(
- {date: 2023-06-01, lymphocytes: 30 x10^9/L}
- {date: 2024-01-02, lymphocytes: 40 x10^9/L, platelets: 150 x10^9/L}
- {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
- {date: 2024-04-01, lymphocytes: 20 x10^9/L}
- {date: 2024-05-01, lymphocytes: 18 x10^9/L, platelets: 90 x10^9/L}
)");
    const auto& best = fc.by_result.at("best");
    INFO(best.dump(1));
    // CR held from 2024-04-01 (20 against the baseline 40 of 2024-01-02): those two records,
    // not the 30 of 2023-06-01 before the baseline window nor the later 18.
    CHECK(derived(best) == std::vector<std::string>{"Observation/o5", "Observation/o3"});
    CHECK(best["code"]["coding"][0]["code"] == "97509-4");
    CHECK(best["valueCodeableConcept"]["coding"][0]["code"] == "103338009");  // In full remission
    CHECK(best["valueCodeableConcept"]["text"] == "CR");
    CHECK(best["effectiveDateTime"] == "2024-06-20");  // the as-of date: the end of the course
    CHECK(best["note"][0]["text"].get<std::string>().find("[f.crit:6]") != std::string::npos);
    // A truth: valueBoolean, from the platelets standing on the as-of date.
    const auto& plt = fc.by_result.at("plt");
    CHECK(plt["valueBoolean"] == false);
    CHECK(derived(plt) == std::vector<std::string>{"Observation/o6"});
    CHECK(plt["code"]["coding"].size() == 1);  // not a disease status: crit's code only
    // No PD: the date is absent, and the choices result has no choice that held.
    CHECK(fc.by_result.at("pd_date").contains("dataAbsentReason"));
    CHECK_FALSE(fc.by_result.at("pd_date").contains("valueDateTime"));
    CHECK(fc.by_result.at("other")["dataAbsentReason"]["coding"][0]["code"] == "not-applicable");
    // Why `yes` failed: 18 against the nadir 18, one record of one resource, cited once.
    CHECK(derived(fc.by_result.at("other")) == std::vector<std::string>{"Observation/o6"});
}

TEST_CASE("fhir: a record whose origin names no FHIR resource is not cited", "[fhir-out]") {
    auto fc = run_fhir(kRules, R"(
- {date: 2024-01-02, lymphocytes: 40 x10^9/L, platelets: 150 x10^9/L}
- {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
- {date: 2024-05-01, lymphocytes: 18 x10^9/L, platelets: 120 x10^9/L}
)");
    CHECK(derived(fc.by_result.at("plt")) == std::vector<std::string>{"Observation/o4"});
    // The same patient from YAML (no ids): the same results, no derivedFrom.
    for (auto& o : fc.t.origins) o.path = "timeline[0]";
    EvalContext ctx;
    ctx.trace = true;
    const Evaluation& ev = evaluate(*fc.c.program, fc.t, std::nullopt, ctx);
    std::string out = FhirResultsWriter(*fc.c.program, "2026-01-01T00:00:00Z").ndjson(fc.t, ev);
    CHECK(out.find("derivedFrom") == std::string::npos);
    CHECK(out.find("\"valueBoolean\":true") != std::string::npos);
}
