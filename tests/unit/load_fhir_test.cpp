// FHIR R4 loading: Bundles and Bulk NDJSON. Each resource type and field, unit
// conversion, censoring, specimen sites, status filtering, continuous therapy,
// time zones, every rejection reason with its file/line/path, broken JSON, and
// the same timeline from a Bundle, an NDJSON export and CSV.
#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <stdlib.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data/load_csv.hpp"
#include "data/load_data.hpp"
#include "data/fhir_json.hpp"
#include "data/fhir_resources.hpp"
#include "data/load_fhir.hpp"

using namespace crit;
using Catch::Detail::Approx;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

const std::string kLoinc = "http://loinc.org";
const std::string kSnomed = "http://snomed.info/sct";
const std::string kLocal = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings";
const std::string kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
const std::string kUcum = "http://unitsofmeasure.org";



// ---- resources ----

json cc(const std::string& system, const std::string& code) {
    return json{{"coding", json::array({json{{"system", system}, {"code", code}}})}};
}

json patient(const std::string& id, const std::string& birth = "1950-03-02") {
    json p{{"resourceType", "Patient"}, {"id", id}};
    if (!birth.empty()) p["birthDate"] = birth;
    return p;
}

json subject(const std::string& pid) { return json{{"reference", "Patient/" + pid}}; }

json observation(const std::string& system, const std::string& code, json value, const std::string& date = "2024-01-05",
                 const std::string& pid = "p1") {
    json o{{"resourceType", "Observation"},
           {"status", "final"},
           {"code", cc(system, code)},
           {"subject", subject(pid)},
           {"effectiveDateTime", date}};
    for (auto& [k, v] : value.items()) o[k] = v;
    return o;
}

json qty(double v, const std::string& unit, const std::string& cmp = "") {
    json q{{"value", v}};
    if (!cmp.empty()) q["comparator"] = cmp;
    q["unit"] = unit;
    q["system"] = kUcum;
    q["code"] = unit;
    return json{{"valueQuantity", q}};
}

json marrow() { return cc(kSnomed, "14016003"); }

json condition(const std::string& system, const std::string& code, const std::string& onset,
               const std::string& pid = "p1") {
    json c{{"resourceType", "Condition"}, {"code", cc(system, code)}, {"subject", subject(pid)}};
    if (!onset.empty()) c["onsetDateTime"] = onset;
    return c;
}

json administration(const std::string& rxnorm, const std::string& status, json period, const std::string& pid = "p1") {
    json m{{"resourceType", "MedicationAdministration"},
           {"status", status},
           {"medicationCodeableConcept", cc(kRxNorm, rxnorm)},
           {"subject", subject(pid)}};
    for (auto& [k, v] : period.items()) m[k] = v;
    return m;
}

json chemo(const std::string& status, json period, const std::string& pid = "p1") {
    json p{{"resourceType", "Procedure"},
           {"status", status},
           {"code", cc(kSnomed, "367336001")},
           {"subject", subject(pid)}};
    for (auto& [k, v] : period.items()) p[k] = v;
    return p;
}

// ---- loading ----

struct Loaded : LoadedData {
    std::string text;

    // The 1-based line of the first occurrence of `needle` in the loaded text;
    // with `key`, of the last `key` before it.
    std::uint32_t line_of(const std::string& needle, const std::string& key = "") const {
        auto at = text.find(needle);
        REQUIRE(at != std::string::npos);
        if (!key.empty()) at = text.rfind(key, at);
        REQUIRE(at != std::string::npos);
        return static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1);
    }
};

Loaded bundle_text(const std::string& text, const std::string& name = "b.json") {
    Loaded l;
    l.text = text;
    l.ok = load_fhir_bundle_text(
        name, text, bindings(), [&](Timeline&& t) { l.patients.push_back(std::move(t)); }, l.rejects, l.diags);
    return l;
}

// A Bundle of `resources`; entries get fullUrl urn:uuid:<n>. Pretty-printed, one field per line.
json bundle_json(const std::vector<json>& resources, const std::string& type = "collection") {
    json entries = json::array();
    int n = 0;
    for (const auto& r : resources)
        entries.push_back(json{{"fullUrl", "urn:uuid:00000000-0000-0000-0000-" + std::to_string(100000000000 + n++)},
                               {"resource", r}});
    return json{{"resourceType", "Bundle"}, {"type", type}, {"entry", entries}};
}

Loaded bundle(const std::vector<json>& resources, const std::string& type = "collection") {
    return bundle_text(bundle_json(resources, type).dump(1));
}

// One patient p1 and these records.
Loaded with_p1(std::vector<json> records) {
    records.insert(records.begin(), patient("p1"));
    return bundle(records);
}


std::string lines(const std::vector<json>& resources) {
    std::string s;
    for (const auto& r : resources) s += r.dump() + "\n";
    return s;
}

Loaded ndjson(const std::vector<std::string>& files, NdjsonOptions opt = {}) {
    Loaded l;
    l.ok = load_fhir_ndjson(
        files, bindings(), [&](Timeline&& t) { l.patients.push_back(std::move(t)); }, l.rejects, l.diags, opt);
    return l;
}

// A canonical text of a timeline's observations, for comparing loaders.
std::string observation_dump(const Timeline& t) {
    std::string s;
    for (const auto& o : t.observations)
        s += fmt::format("{} {} k{} c{} v{:.6g} s{} dl{:.6g}\n", bindings().concepts[o.concept_id].name,
                         format_day(o.day), static_cast<int>(o.kind), static_cast<int>(o.comparator), o.value,
                         static_cast<int>(o.site), o.detection_limit);
    return s;
}

// Treatments as periods with the union of their classes (a regimen and its
// component drugs compare equal), leaving out the classes in `ignore`.
std::string therapy_dump(const Timeline& t, const std::set<std::string>& ignore = {}) {
    std::map<std::pair<Day, Day>, std::set<std::string>> periods;
    for (const auto& tr : t.treatments) {
        auto& cls = periods[{tr.start, tr.end ? *tr.end : -1}];
        for (ClassId c : tr.classes)
            if (!ignore.count(bindings().classes[c].name)) cls.insert(bindings().classes[c].name);
    }
    std::string s;
    for (const auto& [p, cls] : periods) {
        s += format_day(p.first) + ".." + (p.second < 0 ? "running" : format_day(p.second)) + ":";
        for (const auto& c : cls) s += " " + c;
        s += "\n";
    }
    return s;
}

}  // namespace

// ===========================================================================
// Patient and Condition

TEST_CASE("Patient id and birthDate, Condition gives the diagnosis and its date", "[fhir]") {
    auto l = with_p1({condition(kSnomed, "92814006", "2023-11-02T10:00:00+01:00")});
    const Timeline& t = l.one();
    CHECK(t.patient_id == "p1");
    CHECK(t.birth_date == day("1950-03-02"));
    CHECK(t.diagnosis == "92814006");
    CHECK(t.diagnosis_date == day("2023-11-02"));
    CHECK(l.rejects.empty());
}

TEST_CASE("ICD-10 C91.1x is CLL, C91.0 ALL, other conditions are unbound, a second disease conflicts", "[fhir]") {
    auto l =
        with_p1({condition("http://hl7.org/fhir/sid/icd-10-cm", "C91.10", "2023-05-01"),
                 condition("http://hl7.org/fhir/sid/icd-10", "C91.1", "2023-03-01"),  // same disease: earliest onset
                 condition(kSnomed, "38341003", "2010-01-01"),                        // hypertension
                 condition(kSnomed, "91857003", "2024-01-01")});                      // ALL
    const Timeline& t = l.one();
    CHECK(t.diagnosis == "C91.10");
    CHECK(t.diagnosis_date == day("2023-03-01"));
    auto unbound = l.rejected("unbound-code");
    CHECK(unbound.origin.path == "entry[3].resource.code");
    CHECK(unbound.detail.find("SNOMED 38341003") != std::string::npos);
    // The diagnoses crit reads are listed from the bindings' `diagnoses:`.
    CHECK(unbound.detail.find("(CLL: SNOMED 92814006 / ICD-10 C91.1; ALL: SNOMED 91857003 / ICD-10 C91.0)") !=
          std::string::npos);
    CHECK(l.rejected("conflicting-diagnosis").origin.path == "entry[4].resource.code");
}

TEST_CASE("diagnoses and procedure classes come from the bindings: a site's own file", "[fhir]") {
    TempDir dir;
    Diagnostics d;
    auto site = load_bindings(dir.write("site.yaml", R"(
concepts:
  platelets: {unit: 10*9/L, codes: [{system: http://loinc.org, code: 777-3}]}
classes:
  aml_induction: {display: AML induction}
  antileukemic: {display: Any antileukemic therapy}
  transplant: {display: Stem cell transplant}
diagnoses:
  AML:
    codes:
      - {system: http://snomed.info/sct, code: '91861009'}
      - {system: http://hl7.org/fhir/sid/icd-10, code: C92.0, match: prefix}
procedures:
  - system: http://snomed.info/sct
    code: '367336001'
    classes: {AML: [aml_induction, antileukemic], default: [antileukemic]}
  - {system: http://snomed.info/sct, code: '234336002', classes: [transplant]}
)"),
                              d);
    INFO(render(d));
    REQUIRE(site.has_value());
    json cll_reason = chemo("completed", json{{"performedDateTime", "2024-02-01"}});
    cll_reason["reasonCode"] = json::array({cc(kSnomed, "92814006")});  // not a diagnosis of these bindings
    json transplant = chemo("completed", json{{"performedDateTime", "2024-03-01"}});
    transplant["code"] = cc(kSnomed, "234336002");
    std::string text =
        bundle_json({patient("p1"), condition("http://hl7.org/fhir/sid/icd-10-cm", "C92.00", "2023-06-01"),
                     condition(kSnomed, "92814006", "2023-01-01"),  // CLL: unknown to these bindings
                     chemo("completed", json{{"performedDateTime", "2024-01-01"}}), cll_reason, transplant,
                     patient("p2"), chemo("completed", json{{"performedDateTime", "2024-01-01"}}, "p2")})
            .dump(1);
    Loaded l;
    l.ok = load_fhir_bundle_text(
        "b.json", text, *site, [&](Timeline&& t) { l.patients.push_back(std::move(t)); }, l.rejects, l.diags);
    REQUIRE(l.patients.size() == 2);
    auto names = [&](const Treatment& t) {
        std::vector<std::string> v;
        for (ClassId c : t.classes) v.push_back(site->classes[c].name);
        return v;
    };
    const Timeline& p1 = l.patients[0];
    CHECK(p1.diagnosis == "C92.00");
    CHECK(p1.diagnosis_date == day("2023-06-01"));
    REQUIRE(p1.treatments.size() == 3);
    CHECK(names(p1.treatments[0]) == std::vector<std::string>{"aml_induction", "antileukemic"});
    CHECK(names(p1.treatments[1]) == std::vector<std::string>{"aml_induction", "antileukemic"});  // the patient's AML
    CHECK(names(p1.treatments[2]) == std::vector<std::string>{"transplant"});  // a list: whatever the diagnosis
    const Timeline& p2 = l.patients[1];
    REQUIRE(p2.treatments.size() == 1);
    CHECK(names(p2.treatments[0]) == std::vector<std::string>{"antileukemic"});  // no diagnosis: `default`
    auto unbound = l.rejected("unbound-code");
    CHECK(unbound.origin.path == "entry[2].resource.code");
    CHECK(unbound.detail.find("(AML: SNOMED 91861009 / ICD-10 C92.0)") != std::string::npos);
}

TEST_CASE("a refuted or entered-in-error Condition is rejected with reason status", "[fhir]") {
    json c = condition(kSnomed, "92814006", "2023-01-01");
    c["verificationStatus"] = cc("http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error");
    auto l = with_p1({c});
    CHECK(l.one().diagnosis.empty());
    CHECK(l.rejected("status").origin.path == "entry[1].resource.verificationStatus");
}

TEST_CASE("a bad birthDate is rejected, the patient is kept", "[fhir]") {
    auto l = bundle({patient("p1", "1950-02-30")});
    CHECK_FALSE(l.one().birth_date);
    auto r = l.rejected("bad-date");
    CHECK(r.origin.path == "entry[0].resource.birthDate");
    CHECK(r.patient_id == "p1");
    CHECK(r.origin.line == l.line_of("1950-02-30"));
}

// ===========================================================================
// Observations: codes, units, censoring

TEST_CASE("valueQuantity is converted to the concept's unit", "[fhir]") {
    auto l = with_p1({observation(kLoinc, "731-0", qty(1.6, "10*3/uL"), "2024-01-01"),
                      observation(kLoinc, "731-0", qty(1500, "/uL"), "2024-01-02"),
                      observation(kLoinc, "731-0", qty(48, "10*9/L"), "2024-01-03"),
                      observation(kLoinc, "26474-7", qty(2.5, "10*9/L"), "2024-01-04"),  // second LOINC code
                      observation(kLoinc, "718-7", qty(12.1, "g/dL"), "2024-01-01"),
                      observation(kLoinc, "718-7", qty(121, "g/L"), "2024-01-02"),
                      observation(kLoinc, "777-3", qty(92000, "/uL"), "2024-01-01"),
                      observation(kLoinc, "6690-2", qty(7.5, "10*3/uL"), "2024-01-01")});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    auto ly = obs(t, "lymphocytes");
    REQUIRE(ly.size() == 4);
    CHECK(ly[0].value == Approx(1.6));
    CHECK(ly[1].value == Approx(1.5));
    CHECK(ly[1].original_value == Approx(1500));
    CHECK(ly[1].original_unit == "/uL");
    CHECK(ly[2].value == Approx(48));
    CHECK(ly[3].value == Approx(2.5));
    auto hb = obs(t, "hemoglobin");
    REQUIRE(hb.size() == 2);
    CHECK(hb[0].value == Approx(121));
    CHECK(hb[1].value == Approx(121));
    CHECK(only(t, "platelets").value == Approx(92));
    CHECK(only(t, "wbc").value == Approx(7.5));
    CHECK(ly[0].site == Site::Blood);
}

TEST_CASE("the unit comes from the UCUM code, else from the unit text", "[fhir]") {
    json no_code =
        observation(kLoinc, "718-7", json{{"valueQuantity", {{"value", 12.0}, {"unit", "g/dL"}}}}, "2024-01-01");
    json local_code =
        observation(kLoinc, "718-7",
                    json{{"valueQuantity",
                          {{"value", 120}, {"unit", "g/L"}, {"system", "http://lab.example/units"}, {"code", "GPL"}}}},
                    "2024-01-02");
    json unknown_code =
        observation(kLoinc, "718-7",
                    json{{"valueQuantity", {{"value", 13}, {"unit", "g/dL"}, {"system", kUcum}, {"code", "g.dL-1"}}}},
                    "2024-01-03");
    auto l = with_p1({no_code, local_code, unknown_code});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    auto hb = obs(l.one(), "hemoglobin");
    REQUIRE(hb.size() == 3);
    CHECK(hb[0].value == Approx(120));
    CHECK(hb[1].value == Approx(120));
    CHECK(hb[2].value == Approx(130));
}

TEST_CASE("comparators censor results", "[fhir]") {
    auto l = with_p1({observation(kLocal, "mrd-flow-pb", qty(0.005, "%", "<"), "2024-01-01"),
                      observation(kLocal, "mrd-flow-pb", qty(0.01, "%", "<="), "2024-01-02"),
                      observation(kLocal, "mrd-flow-pb", qty(5, "%", ">"), "2024-01-03"),
                      observation(kLocal, "mrd-flow-pb", qty(6, "%", ">="), "2024-01-04"),
                      observation(kLocal, "mrd-flow-pb", qty(0.0001, "1", "<"), "2024-01-05"),
                      observation(kLocal, "mrd-flow-pb", qty(0.1, "%", "ad"), "2024-01-06")});
    auto m = obs(l.one(), "mrd_blood");
    REQUIRE(m.size() == 5);
    CHECK(m[0].comparator == Comparator::Lt);
    CHECK(m[0].value == Approx(0.005));
    CHECK(m[1].comparator == Comparator::Le);
    CHECK(m[2].comparator == Comparator::Gt);
    CHECK(m[3].comparator == Comparator::Ge);
    CHECK(m[4].comparator == Comparator::Lt);
    CHECK(m[4].value == Approx(0.01));  // 10^-4 = 0.01 %
    auto bad = l.rejected("bad-value");
    CHECK(bad.origin.path == "entry[6].resource.valueQuantity.comparator");
}

TEST_CASE("bodySite tells marrow from blood for LOINC 67128-9", "[fhir]") {
    json bm = observation(kLoinc, "67128-9", qty(0.002, "%", "<"), "2024-01-01");
    bm["bodySite"] = marrow();
    json pb = observation(kLoinc, "67128-9", qty(0.5, "%"), "2024-01-02");
    pb["bodySite"] = cc(kSnomed, "87612001");
    json none = observation(kLoinc, "67128-9", qty(0.5, "%"), "2024-01-03");
    json csf = observation(kLoinc, "67128-9", qty(0.5, "%"), "2024-01-04");
    csf["bodySite"] = cc(kSnomed, "65216001");
    json ly_marrow = observation(kLoinc, "731-0", qty(1.5, "10*9/L"), "2024-01-05");
    ly_marrow["bodySite"] = marrow();
    json infiltrate = observation(kLocal, "marrow-cll-infiltrate", qty(0, "%"), "2024-01-06");
    infiltrate["bodySite"] = marrow();
    auto l = with_p1({bm, pb, none, csf, ly_marrow, infiltrate});
    const Timeline& t = l.one();
    auto m = only(t, "mrd_marrow");
    CHECK(m.site == Site::Marrow);
    CHECK(m.comparator == Comparator::Lt);
    // No bodySite: read as blood (`unsited: blood`: the data contract puts one on marrow observations).
    auto blood = obs(t, "mrd_blood");
    REQUIRE(blood.size() == 2);
    CHECK(blood[0].site == Site::Blood);
    CHECK(only(t, "marrow_cll_infiltrate").site == Site::Marrow);
    CHECK(obs(t, "lymphocytes").empty());
    CHECK(l.with("missing-site").empty());
    auto mismatch = l.with("site-mismatch");
    REQUIRE(mismatch.size() == 2);
    CHECK(mismatch[0].origin.path == "entry[4].resource.bodySite");
    CHECK(mismatch[1].origin.path == "entry[5].resource.bodySite");
}

TEST_CASE("only final, amended and corrected Observations count", "[fhir]") {
    std::vector<json> records;
    for (const char* s :
         {"final", "amended", "corrected", "preliminary", "entered-in-error", "cancelled", "registered"}) {
        json o = observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01");
        o["status"] = s;
        records.push_back(o);
    }
    json no_status = observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01");
    no_status.erase("status");
    records.push_back(no_status);
    auto l = with_p1(records);
    CHECK(obs(l.one(), "platelets").size() == 3);
    auto st = l.with("status");
    REQUIRE(st.size() == 5);
    CHECK(st[0].origin.path == "entry[4].resource.status");
    CHECK(st[0].detail.find("preliminary") != std::string::npos);
    CHECK(st[1].detail.find("entered-in-error") != std::string::npos);
    CHECK(st[4].detail.find("no status") != std::string::npos);
    CHECK(st[0].patient_id == "p1");
}

TEST_CASE("valueBoolean, valueCodeableConcept and valueString", "[fhir]") {
    json hepato = observation(kLocal, "hepatomegaly", json{{"valueBoolean", true}}, "2024-01-01");
    json b_sym = observation(kLocal, "constitutional-symptoms",
                             json{{"valueCodeableConcept", cc(kSnomed, "373067005")}}, "2024-01-01");  // No
    json bcr = observation(kLocal, "bcr-abl1-detected", json{{"valueCodeableConcept", cc(kSnomed, "260373001")}},
                           "2024-01-01");  // Detected
    json cell = observation(kLocal, "marrow-cellularity", json{{"valueCodeableConcept", cc(kLocal, "Hypocellular")}},
                            "2024-01-01");
    json cell2 = observation(kLocal, "marrow-cellularity", json{{"valueString", "normocellular"}}, "2024-02-01");
    json nod = observation(kLocal, "marrow-b-lymphoid-nodules", json{{"valueString", "no"}}, "2024-01-01");
    json mrd_text = observation(kLocal, "mrd-flow-bm", json{{"valueString", "<0.01 %"}}, "2024-01-01");
    auto l = with_p1({hepato, b_sym, bcr, cell, cell2, nod, mrd_text});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    CHECK(only(t, "hepatomegaly").value == 1);
    CHECK(only(t, "b_symptoms").value == 0);
    CHECK(only(t, "bcr_abl1").value == 1);
    auto c = obs(t, "marrow_cellularity");
    REQUIRE(c.size() == 2);
    CHECK(c[0].value == 1);  // hypocellular
    CHECK(c[1].value == 0);  // normocellular
    CHECK(only(t, "marrow_nodules").value == 0);
    auto m = only(t, "mrd_marrow");
    CHECK(m.comparator == Comparator::Lt);
    CHECK(m.value == Approx(0.01));
}

TEST_CASE("a value of the wrong type or outside a coded concept's values is bad-value", "[fhir]") {
    auto l = with_p1(
        {observation(kLocal, "hepatomegaly", qty(1, "cm"), "2024-01-01"),
         observation(kLocal, "marrow-cellularity", json{{"valueCodeableConcept", cc(kLocal, "fibrotic")}},
                     "2024-01-01"),
         observation(kLoinc, "777-3", json{{"valueBoolean", true}}, "2024-01-01"),
         observation(kLoinc, "777-3", json{{"valueQuantity", {{"value", "100"}, {"code", "10*9/L"}}}}, "2024-01-02")});
    auto bad = l.with("bad-value");
    REQUIRE(bad.size() == 4);
    CHECK(bad[0].origin.path == "entry[1].resource.valueQuantity");
    CHECK(bad[1].detail.find("normocellular") != std::string::npos);
    CHECK(bad[2].origin.path == "entry[3].resource.valueBoolean");
    CHECK(bad[3].origin.path == "entry[4].resource.valueQuantity.value");
}

TEST_CASE("a detection-limit component sets the assay's lower limit", "[fhir]") {
    json o = observation(kLoinc, "67128-9", qty(0.002, "%", "<"), "2024-01-01");
    o["bodySite"] = marrow();
    o["component"] = json::array(
        {json{{"code", cc(kLoinc, "12345-6")}, {"valueQuantity", {{"value", 3}, {"unit", "%"}}}},  // not read
         json{{"code", json{{"text", "Lower limit of detection"}}},
              {"valueQuantity", {{"value", 0.0001}, {"system", kUcum}, {"code", "1"}}}}});
    json local = observation(kLocal, "mrd-flow-pb", qty(0.5, "%"), "2024-01-02");
    local["component"] = json::array(
        {json{{"code", cc(kLocal, "detection-limit")}, {"valueQuantity", {{"value", 0.001}, {"code", "%"}}}}});
    json bad = observation(kLocal, "mrd-flow-pb", qty(0.5, "%"), "2024-01-03");
    bad["component"] = json::array(
        {json{{"code", json{{"text", "detection limit"}}}, {"valueQuantity", {{"value", 0.001}, {"code", "g/L"}}}}});
    auto l = with_p1({o, local, bad});
    const Timeline& t = l.one();
    CHECK(only(t, "mrd_marrow").detection_limit == Approx(0.01));
    CHECK(only(t, "mrd_blood").detection_limit == Approx(0.001));
    auto r = l.rejected("unit-dimension");
    CHECK(r.origin.path == "entry[3].resource.component[0].valueQuantity.code");
    CHECK(r.detail.rfind("detection limit:", 0) == 0);
}

TEST_CASE("effectiveDateTime keeps the date as written in its own offset, effectivePeriod.start", "[fhir]") {
    json late_west = observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-03-01T23:30:00-05:00");
    json early_east = observation(kLoinc, "751-8", qty(2, "10*9/L"), "2024-03-02T00:30:00+09:00");
    json utc = observation(kLoinc, "718-7", qty(12, "g/dL"), "2024-03-03T12:00:00Z");
    json period = observation(kLoinc, "731-0", qty(2, "10*9/L"));
    period.erase("effectiveDateTime");
    period["effectivePeriod"] = json{{"start", "2024-03-04T08:00:00+02:00"}, {"end", "2024-03-05"}};
    auto l = with_p1({late_west, early_east, utc, period});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    CHECK(only(t, "platelets").day == day("2024-03-01"));
    CHECK(only(t, "neutrophils").day == day("2024-03-02"));
    CHECK(only(t, "hemoglobin").day == day("2024-03-03"));
    CHECK(only(t, "lymphocytes").day == day("2024-03-04"));
}

TEST_CASE("every Observation rejection carries file, line and JSON path", "[fhir]") {
    json unknown_unit = observation(kLoinc, "731-0", qty(1.5, "furlongs"), "2024-01-01");
    json wrong_dim = observation(kLoinc, "718-7", qty(12, "10*9/L"), "2024-01-01");
    json no_unit = observation(kLoinc, "731-0", json{{"valueQuantity", {{"value", 1.5}}}}, "2024-01-01");
    json no_value =
        observation(kLoinc, "731-0", json{{"dataAbsentReason", cc("http://x", "not-performed")}}, "2024-01-01");
    json no_qty_value = observation(kLoinc, "731-0", json{{"valueQuantity", {{"code", "10*9/L"}}}}, "2024-01-01");
    json bad_date = observation(kLoinc, "731-0", qty(1.5, "10*9/L"), "2024-13-01");
    json no_date = observation(kLoinc, "731-0", qty(1.5, "10*9/L"));
    no_date.erase("effectiveDateTime");
    json unbound = observation(kLoinc, "2345-7", qty(5.5, "mmol/L"), "2024-01-01");  // glucose
    json no_code = observation(kLoinc, "731-0", qty(1.5, "10*9/L"), "2024-01-01");
    no_code["code"] = json{{"text", "lymphs"}};
    auto l = with_p1({unknown_unit, wrong_dim, no_unit, no_value, no_qty_value, bad_date, no_date, unbound, no_code});
    CHECK(l.one().observations.empty());
    auto check = [&](const std::string& reason, const std::string& path, const std::string& near,
                     const std::string& key = "") {
        INFO(reason);
        auto r = l.rejected(reason);
        CHECK(r.origin.file == "b.json");
        CHECK(r.origin.path == path);
        CHECK(r.origin.line == l.line_of(near, key));
        CHECK(r.patient_id == "p1");
        CHECK_FALSE(r.detail.empty());
    };
    check("unknown-unit", "entry[1].resource.valueQuantity.code", "\"code\": \"furlongs\"");
    check("unit-dimension", "entry[2].resource.valueQuantity.code", "\"code\": \"10*9/L\"");
    check("missing-unit", "entry[3].resource.valueQuantity", "\"value\": 1.5\n", "\"valueQuantity\"");
    auto mv = l.with("missing-value");
    REQUIRE(mv.size() == 2);
    CHECK(mv[0].origin.path == "entry[4].resource.dataAbsentReason");
    CHECK(mv[1].origin.path == "entry[5].resource.valueQuantity.value");
    auto bd = l.with("bad-date");
    REQUIRE(bd.size() == 2);
    CHECK(bd[0].origin.path == "entry[6].resource.effectiveDateTime");
    CHECK(bd[0].origin.line == l.line_of("2024-13-01"));
    CHECK(bd[1].origin.path == "entry[7].resource.effectiveDateTime");
    check("unbound-code", "entry[8].resource.code", "\"2345-7\"", "\"code\": {");
    CHECK(l.rejected("bad-record").origin.path == "entry[9].resource.code");
}

TEST_CASE("the line of a record in a Bundle is the line of its resource", "[fhir]") {
    auto l = with_p1({observation(kLoinc, "731-0", qty(1.5, "10*9/L"), "2024-01-01")});
    const Timeline& t = l.one();
    const Origin& o = t.origins[only(t, "lymphocytes").origin];
    CHECK(o.file == "b.json");
    CHECK(o.path == "entry[1].resource");
    // The resource object starts on the line after `"resource":` of entry 1.
    auto entry1 = l.text.find("\"resourceType\": \"Observation\"");
    CHECK(o.line + 1 == std::count(l.text.begin(), l.text.begin() + static_cast<long>(entry1), '\n') + 1);
}

TEST_CASE("a Bundle record with an id is named Type/id, as in NDJSON (FHIR output cites it)", "[fhir]") {
    json o = observation(kLoinc, "731-0", qty(1.5, "10*9/L"), "2024-01-01");
    o["id"] = "lym-1";
    auto l = with_p1({o, observation(kLoinc, "718-7", qty(12.1, "g/dL"), "2024-01-01")});
    const Timeline& t = l.one();
    CHECK(t.origins[only(t, "lymphocytes").origin].path == "Observation/lym-1");
    CHECK(t.origins[only(t, "hemoglobin").origin].path == "entry[2].resource");  // no id: its entry
}

// ===========================================================================
// Therapy

TEST_CASE("MedicationAdministration: RxNorm drug and classes, period, continuous therapy", "[fhir]") {
    auto l = with_p1({administration("1442981", "in-progress", json{{"effectivePeriod", {{"start", "2024-03-04"}}}}),
                      administration("24698", "completed",
                                     json{{"effectivePeriod", {{"start", "2024-01-10"}, {"end", "2024-06-20"}}}}),
                      administration("121191", "completed", json{{"effectiveDateTime", "2024-02-01T09:00:00+01:00"}}),
                      administration("3002", "stopped", json{{"effectivePeriod", {{"start", "2024-01-10"}}}})});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 4);
    const Treatment& flu = t.treatments[0];  // sorted by start
    CHECK(flu.drug == "fludarabine");
    CHECK(flu.start == day("2024-01-10"));
    CHECK(flu.end == day("2024-06-20"));
    CHECK(has_class(flu, "cll_chemoimmunotherapy"));
    const Treatment& cyc = t.treatments[1];
    CHECK(cyc.drug == "cyclophosphamide");
    CHECK(cyc.end == cyc.start);  // finished, no end recorded: the start day
    const Treatment& rit = t.treatments[2];
    CHECK(rit.drug == "rituximab");
    CHECK(rit.start == day("2024-02-01"));
    CHECK(rit.end == day("2024-02-01"));
    const Treatment& ibr = t.treatments[3];
    CHECK(ibr.drug == "ibrutinib");
    CHECK_FALSE(ibr.end.has_value());  // in-progress without end: still running
    CHECK(has_class(ibr, "btk_inhibitor"));
    CHECK(has_class(ibr, "bcr_inhibitor"));
}

TEST_CASE("MedicationAdministration: drugs bound by RxNorm ingredient code (venetoclax, vincristine)", "[fhir]") {
    // Codes verified for issue 6 part 9 (docs/data.md, "Drugs by RxNorm code"). Before they
    // were bound, these administrations were skipped as unbound-code and lost their courses.
    auto l = with_p1({administration("1747556", "in-progress", json{{"effectivePeriod", {{"start", "2024-03-04"}}}}),
                      administration("11202", "completed", json{{"effectiveDateTime", "2024-01-09"}})});
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 2);
    const Treatment& vcr = t.treatments[0];  // sorted by start
    CHECK(vcr.drug == "vincristine");
    CHECK(vcr.start == day("2024-01-09"));
    CHECK(vcr.end == day("2024-01-09"));
    CHECK(has_class(vcr, "all_therapy"));
    CHECK_FALSE(has_class(vcr, "all_induction"));  // given in every phase: the drug does not say induction
    CHECK(has_class(vcr, "antileukemic"));
    const Treatment& ven = t.treatments[1];
    CHECK(ven.drug == "venetoclax");
    CHECK(ven.start == day("2024-03-04"));
    CHECK_FALSE(ven.end.has_value());  // in-progress without end: still running
    CHECK(has_class(ven, "cll_therapy"));
    CHECK(has_class(ven, "antileukemic"));
    CHECK_FALSE(has_class(ven, "bcr_inhibitor"));  // BCL2 inhibitor, not BCR signalling
    // The code and the name reach the same drug.
    auto by_code = bindings().drug_by_code(kRxNorm, "1747556");
    REQUIRE(by_code.has_value());
    CHECK(by_code == bindings().drug_by_name("Venetoclax"));
}

TEST_CASE("MedicationAdministration: an unbound clinical-drug code is read by the one ingredient its text names", "[fhir]") {
    // RxNorm 1747560 is a clinical drug (SCD), not the ingredient: its display names venetoclax.
    json scd = administration("1747560", "completed", json{{"effectiveDateTime", "2024-03-04"}});
    scd["medicationCodeableConcept"]["coding"][0]["display"] = "venetoclax 100 MG Oral Tablet";
    // A text naming two ingredients is not guessed: it stays unbound (skipped and counted).
    json two = administration("1234567", "completed", json{{"effectiveDateTime", "2024-03-05"}});
    two["medicationCodeableConcept"]["text"] = "Bendamustine and rituximab (BR)";
    // A regimen name is not an ingredient: "FCR" in a text binds nothing.
    json regimen = administration("7654321", "completed", json{{"effectiveDateTime", "2024-03-06"}});
    regimen["medicationCodeableConcept"]["text"] = "FCR cycle 1";
    auto l = with_p1({scd, two, regimen});
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 1);
    CHECK(t.treatments[0].drug == "venetoclax");
    CHECK(has_class(t.treatments[0], "cll_therapy"));
    CHECK(l.with("unbound-code").size() == 2);
}

TEST_CASE("MedicationAdministration rejections", "[fhir]") {
    json ref = administration("0", "completed", json{{"effectiveDateTime", "2024-01-01"}});
    ref.erase("medicationCodeableConcept");
    ref["medicationReference"] = json{{"reference", "Medication/ibr"}};
    json dangling = ref;
    dangling["medicationReference"] = json{{"reference", "Medication/none"}};
    json medication{{"resourceType", "Medication"}, {"id", "ibr"}, {"code", cc(kRxNorm, "1442981")}};
    auto l = with_p1({administration("999999", "completed", json{{"effectiveDateTime", "2024-01-01"}}),
                      administration("1442981", "not-done", json{{"effectiveDateTime", "2024-01-01"}}),
                      administration("1442981", "entered-in-error", json{{"effectiveDateTime", "2024-01-01"}}),
                      administration("24698", "completed",
                                     json{{"effectivePeriod", {{"start", "2024-06-01"}, {"end", "2024-01-01"}}}}),
                      administration("24698", "completed", json::object()), ref, dangling, medication});
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 1);  // the medicationReference one
    CHECK(t.treatments[0].drug == "ibrutinib");
    auto ub = l.rejected("unbound-code");
    CHECK(ub.origin.path == "entry[1].resource.medicationCodeableConcept");
    CHECK(ub.detail.find("RxNorm 999999") != std::string::npos);
    CHECK(l.with("status").size() == 2);
    auto bp = l.rejected("bad-period");
    CHECK(bp.origin.path == "entry[4].resource.effectivePeriod.end");
    CHECK(l.rejected("bad-date").origin.path == "entry[5].resource.effectivePeriod");
    CHECK(l.rejected("bad-record").origin.path == "entry[7].resource.medicationReference.reference");
}

TEST_CASE("Procedure chemotherapy: a course with the disease's therapy classes", "[fhir]") {
    json with_reason = chemo("completed", json{{"performedPeriod", {{"start", "2023-09-04"}, {"end", "2024-01-15"}}}});
    with_reason["reasonCode"] = json::array({cc(kSnomed, "91857003")});  // ALL
    auto l = with_p1({condition(kSnomed, "92814006", "2023-02-20"),
                      chemo("completed", json{{"performedPeriod", {{"start", "2023-09-04"}, {"end", "2024-01-15"}}}}),
                      with_reason, chemo("in-progress", json{{"performedPeriod", {{"start", "2024-05-01"}}}}),
                      chemo("not-done", json{{"performedDateTime", "2024-05-01"}}),
                      json{{"resourceType", "Procedure"},
                           {"status", "completed"},
                           {"code", cc(kSnomed, "86273004")},
                           {"subject", subject("p1")},
                           {"performedDateTime", "2024-01-01"}}});  // biopsy
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 3);
    const Treatment& cll = t.treatments[0];
    CHECK(cll.end == day("2024-01-15"));
    CHECK(has_class(cll, "cll_therapy"));
    CHECK(has_class(cll, "cll_chemoimmunotherapy"));
    CHECK(has_class(cll, "antileukemic"));
    CHECK_FALSE(has_class(cll, "bcr_inhibitor"));
    const Treatment& all = t.treatments[1];
    CHECK(has_class(all, "all_therapy"));
    CHECK_FALSE(has_class(all, "all_induction"));  // chemotherapy that names no phase is not induction by itself
    CHECK_FALSE(has_class(all, "cll_therapy"));
    CHECK_FALSE(t.treatments[2].end.has_value());  // in-progress, no end
    CHECK(l.rejected("status").origin.path == "entry[5].resource.status");
    CHECK(l.rejected("unbound-code").origin.path == "entry[6].resource.code");
}

TEST_CASE("phase of therapy: from category and the Procedure's code text, with the phase's classes", "[fhir][phase]") {
    auto with_category = [](json r, json category) {
        r["category"] = std::move(category);
        return r;
    };
    json all = json::array({cc(kSnomed, "91857003")});
    // Procedure.category text "Consolidation": consolidation, not induction.
    json consolidation = with_category(chemo("completed", json{{"performedPeriod", {{"start", "2024-03-01"}, {"end", "2024-03-20"}}}}),
                                       json{{"text", "Consolidation"}});
    consolidation["reasonCode"] = all;
    // MedicationAdministration.category coding display "Induction" (a local code).
    json induction = with_category(administration("11202", "completed", json{{"effectiveDateTime", "2024-01-09"}}),
                                   json{{"coding", json::array({json{{"system", "http://example.org/phases"},
                                                                     {"code", "ph-1"},
                                                                     {"display", "Induction"}}})}});
    // A chemotherapy Procedure whose code text says so.
    json text = chemo("completed", json{{"performedDateTime", "2024-01-02"}});
    text["code"]["text"] = "Induction chemotherapy";
    text["reasonCode"] = all;
    // R5 allows a list of categories; "maintenance" as a coding's code.
    json maintenance = with_category(administration("103", "in-progress", json{{"effectivePeriod", {{"start", "2024-06-01"}}}}),
                                     json::array({json{{"coding", json::array({json{{"code", "maintenance"}}})}}}));
    // Words that are not a phase: HL7 medication-admin-category, and "post-induction" (a hyphen joins words).
    json outpatient = with_category(
        administration("3041", "completed", json{{"effectiveDateTime", "2024-04-01"}}),
        json{{"coding", json::array({json{{"system", "http://terminology.hl7.org/CodeSystem/medication-admin-category"},
                                          {"code", "outpatient"}}})}});
    json post = with_category(administration("6851", "completed", json{{"effectiveDateTime", "2024-04-02"}}),
                              json{{"text", "Post-induction therapy"}});
    // Two phases named: rejected, never guessed.
    json both = with_category(administration("3109", "completed", json{{"effectiveDateTime", "2024-04-03"}}),
                              json{{"text", "Induction/consolidation"}});
    auto l = with_p1({consolidation, induction, text, maintenance, outpatient, post, both});
    INFO(l.summary());
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 6);
    auto phase = [&](const Treatment& tr) { return tr.phase < 0 ? std::string("-") : bindings().phases[tr.phase].name; };
    const Treatment& chemo_text = t.treatments[0];  // 2024-01-02
    CHECK(phase(chemo_text) == "induction");
    CHECK(has_class(chemo_text, "all_induction"));
    CHECK(has_class(chemo_text, "all_therapy"));  // the procedure's classes for ALL, and the phase's
    const Treatment& vcr = t.treatments[1];       // 2024-01-09
    CHECK(vcr.drug == "vincristine");
    CHECK(phase(vcr) == "induction");
    CHECK(has_class(vcr, "all_induction"));
    CHECK(has_class(vcr, "antileukemic"));
    const Treatment& cons = t.treatments[2];  // 2024-03-01
    CHECK(phase(cons) == "consolidation");
    CHECK(has_class(cons, "all_consolidation"));
    CHECK_FALSE(has_class(cons, "all_induction"));
    CHECK(has_class(cons, "antileukemic"));  // still antileukaemic therapy for rules; it just does not cut
    CHECK(phase(t.treatments[3]) == "-");    // outpatient
    CHECK(phase(t.treatments[4]) == "-");    // post-induction
    CHECK_FALSE(has_class(t.treatments[4], "all_induction"));
    const Treatment& mp = t.treatments[5];  // 2024-06-01
    CHECK(mp.drug == "mercaptopurine");
    CHECK(phase(mp) == "maintenance");
    CHECK(has_class(mp, "all_maintenance"));
    auto r = l.rejected("conflicting-phase");
    CHECK(r.origin.path == "entry[7].resource.category");
    CHECK(r.detail.find("induction, consolidation") != std::string::npos);
}

// ===========================================================================
// References, Bundle structure, broken JSON

TEST_CASE("references by urn:uuid fullUrl or Patient/<id>, a missing patient is reported", "[fhir]") {
    json p = patient("p-7");
    json o1 = observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "p-7");
    o1["subject"] = json{{"reference", "urn:uuid:00000000-0000-0000-0000-100000000000"}};
    json o2 = observation(kLoinc, "777-3", qty(110, "10*9/L"), "2024-01-02", "p-7");  // Patient/p-7
    json o3 = observation(kLoinc, "777-3", qty(120, "10*9/L"), "2024-01-03", "p-7");
    o3["subject"] = json{{"reference", "https://fhir.example.org/r4/Patient/p-7/_history/3"}};
    json o4 = observation(kLoinc, "777-3", qty(130, "10*9/L"), "2024-01-04", "nobody");
    json o5 = observation(kLoinc, "777-3", qty(140, "10*9/L"), "2024-01-05");
    o5.erase("subject");
    auto l = bundle({p, o1, o2, o3, o4, o5}, "transaction");
    INFO(l.summary());
    // An absolute reference to another server names a patient of that server, not this Bundle's p-7.
    CHECK(obs(l.one(), "platelets").size() == 2);
    auto m = l.with("missing-patient");
    REQUIRE(m.size() == 3);
    CHECK(m[0].origin.path == "entry[3].resource.subject.reference");
    CHECK(m[1].origin.path == "entry[4].resource.subject.reference");
    CHECK(m[1].patient_id == "nobody");
    CHECK(m[1].origin.line == l.line_of("Patient/nobody"));
    CHECK(m[2].detail.find("no subject") != std::string::npos);
}

TEST_CASE("a Patient without id takes its urn:uuid, a duplicate Patient is rejected", "[fhir]") {
    json p{{"resourceType", "Patient"}, {"birthDate", "1950-01-01"}};
    auto l = bundle({p, patient("00000000-0000-0000-0000-100000000000")}, "searchset");
    CHECK(l.one().patient_id == "00000000-0000-0000-0000-100000000000");
    CHECK(l.rejected("duplicate-patient").origin.path == "entry[1].resource.id");
}

TEST_CASE("a Bundle that is not valid JSON is a located diagnostic and yields no patient", "[fhir]") {
    std::string good = bundle_json({patient("p1"), observation(kLoinc, "777-3", qty(100, "10*9/L"))}).dump(1);
    SECTION("truncated") {
        auto l = bundle_text(good.substr(0, good.size() / 2));
        CHECK_FALSE(l.ok);
        CHECK(l.patients.empty());
        REQUIRE(l.diags.has_errors());
        CHECK(render(l.diags).find("truncated") != std::string::npos);
    }
    SECTION("a bad token in a field crit does not read") {
        std::string bad = good;
        bad.insert(bad.find("\"type\""), "\"meta\": {\"versionId\": tru},\n ");
        auto l = bundle_text(bad);
        CHECK_FALSE(l.ok);
        CHECK(l.patients.empty());
        std::string d = render(l.diags);
        CHECK(d.find("b.json:3:") != std::string::npos);
        CHECK(d.find("not valid JSON") != std::string::npos);
    }
    SECTION("a trailing comma") {
        std::string bad = good;
        bad.insert(bad.find("\"birthDate\""), "\"x\": 1,,");
        auto l = bundle_text(bad);
        CHECK_FALSE(l.ok);
        CHECK(l.diags.has_errors());
    }
    SECTION("not a Bundle") {
        auto l = bundle_text(patient("p1").dump(1));
        CHECK_FALSE(l.ok);
        CHECK(render(l.diags).find("resourceType is `Patient`") != std::string::npos);
    }
    SECTION("a Bundle type crit does not read") {
        auto l = bundle_text(bundle_json({patient("p1")}, "history").dump(1));
        CHECK_FALSE(l.ok);
        CHECK(render(l.diags).find("history") != std::string::npos);
    }
    SECTION("an entry that is not an object") {
        auto l = bundle_text("{\"resourceType\": \"Bundle\", \"type\": \"collection\",\n \"entry\": [\n  42\n ]}");
        CHECK_FALSE(l.ok);
        std::string d = render(l.diags);
        CHECK(d.find("b.json:3:3") != std::string::npos);
        CHECK(d.find("entry must be an object") != std::string::npos);
    }
    SECTION("not an object") {
        auto l = bundle_text("[1, 2]");
        CHECK_FALSE(l.ok);
        CHECK(l.diags.has_errors());
    }
    SECTION("empty") {
        auto l = bundle_text("");
        CHECK_FALSE(l.ok);
        CHECK(l.diags.has_errors());
    }
}

TEST_CASE("resources crit does not read are counted, not rejected", "[fhir]") {
    json enc{{"resourceType", "Encounter"}, {"subject", subject("p1")}};
    Loaded l;
    FhirStats stats;
    std::string text = bundle_json({patient("p1"), enc, enc}).dump();
    CHECK(load_fhir_bundle_text(
        "b.json", text, bindings(), [&](Timeline&& t) { l.patients.push_back(std::move(t)); }, l.rejects, l.diags,
        &stats));
    CHECK(l.rejects.empty());
    CHECK(stats.skipped_types["Encounter"] == 2);
}

TEST_CASE("FHIR: the members of a resource that are read, and those validated and dropped", "[fhir]") {
    using fhir::Reader;
    for (const char* k : {"resourceType", "id", "status", "subject", "patient", "code", "bodySite", "component",
                          "birthDate", "reasonCode", "verificationStatus", "dataAbsentReason", "valueQuantity",
                          "valueCodeableConcept", "value", "effectiveDateTime", "effectivePeriod", "performedPeriod",
                          "onsetDateTime", "medicationCodeableConcept", "medicationReference"}) {
        INFO(k);
        CHECK(Reader::reads_field(k, "Observation"));
        CHECK(Reader::reads_field(k, "Procedure"));
    }
    for (const char* k : {"", "meta", "text", "note", "identifier", "encounter", "issued", "performer", "interpretation",
                          "referenceRange", "hasMember", "derivedFrom", "extension", "contained", "basedOn", "Code",
                          "ID", "specimen", "method", "device", "focus", "partOf", "dosage", "request", "reasonReference"}) {
        INFO(k);
        CHECK_FALSE(Reader::reads_field(k, "Observation"));
        CHECK_FALSE(Reader::reads_field(k, "MedicationAdministration"));
    }
    // A course's category may name its phase; an Observation's is never read.
    CHECK_FALSE(Reader::reads_field("category", "Observation"));
    CHECK(Reader::reads_field("category", "MedicationAdministration"));
    CHECK(Reader::reads_field("category", "Procedure"));
    CHECK(Reader::reads_field("category", ""));  // resourceType not read yet: kept
}

// ===========================================================================
// Bulk NDJSON

TEST_CASE("NDJSON: patients mixed across files are grouped, in Patient.ndjson order", "[fhir]") {
    TempDir dir;
    auto pat = dir.write("Patient.ndjson", lines({patient("b", "1940-01-01"), patient("a", "1960-01-01")}));
    std::vector<json> o;
    for (int i = 0; i < 10; ++i)
        o.push_back(observation(kLoinc, "777-3", qty(100 + i, "10*9/L"), fmt::format("2024-01-{:02}", i + 1),
                                i % 2 ? "a" : "b"));
    auto ob = dir.write("Observation.ndjson", lines(o));
    auto co = dir.write("Condition.ndjson", lines({condition(kSnomed, "92814006", "2023-01-01", "a")}));
    auto ma = dir.write(
        "MedicationAdministration.ndjson",
        lines({administration("1442981", "in-progress", json{{"effectivePeriod", {{"start", "2024-01-01"}}}}, "b")}));
    auto pr =
        dir.write("Procedure.ndjson", lines({chemo("completed", json{{"performedDateTime", "2024-01-01"}}, "a")}));
    for (std::size_t batch : {std::size_t{1}, std::size_t{64} << 20}) {
        INFO("batch_bytes " << batch);
        auto l = ndjson({co, ma, ob, pat, pr}, NdjsonOptions{batch});
        INFO(l.summary());
        CHECK(l.ok);
        CHECK(l.rejects.empty());
        REQUIRE(l.patients.size() == 2);
        const Timeline& b = l.patients[0];
        const Timeline& a = l.patients[1];
        CHECK(b.patient_id == "b");
        CHECK(b.birth_date == day("1940-01-01"));
        CHECK(a.patient_id == "a");
        CHECK(obs(b, "platelets").size() == 5);
        CHECK(obs(a, "platelets").size() == 5);
        CHECK(obs(a, "platelets")[0].value == Approx(101));
        CHECK(a.diagnosis == "92814006");
        REQUIRE(b.treatments.size() == 1);
        CHECK_FALSE(b.treatments[0].end);
        REQUIRE(a.treatments.size() == 1);
        CHECK(has_class(a.treatments[0], "cll_therapy"));  // from a's Condition
        const Origin& org = a.origins[obs(a, "platelets")[0].origin];
        CHECK(org.file == ob);
        CHECK(org.line == 2);
        CHECK(org.path == "Observation");
    }
}

// Pass 2 builds a batch's patients on several threads: what comes out (patients, their
// records and origins, and every rejection, in order) must not depend on how many.
TEST_CASE("NDJSON: any number of parsing threads gives the same patients and rejections, in the same order",
          "[fhir]") {
    TempDir dir;
    std::vector<json> pats, o, cond;
    for (int p = 0; p < 23; ++p) pats.push_back(patient(fmt::format("p{}", (p * 7) % 23), "1950-01-01"));
    for (int i = 0; i < 230; ++i) {
        std::string pid = fmt::format("p{}", (i * 5) % 23);
        if (i % 17 == 0) o.push_back(observation(kLoinc, "99999-9", qty(1, "10*9/L"), "2024-01-01", pid));  // unbound
        else if (i % 19 == 0) o.push_back(observation(kLoinc, "777-3", qty(100, "furlongs"), "2024-01-01", pid));
        else o.push_back(observation(kLoinc, "777-3", qty(100 + i, "10*9/L"), fmt::format("2024-{:02}-01", i % 12 + 1), pid));
    }
    o.push_back(observation(kLoinc, "777-3", qty(5, "10*9/L"), "2024-01-01", "nobody"));
    for (int p = 0; p < 23; p += 3) cond.push_back(condition(kSnomed, "92814006", "2023-01-01", fmt::format("p{}", p)));
    std::string obs_text = lines(o);
    obs_text.insert(obs_text.find('\n', obs_text.size() / 2) + 1, "{\"resourceType\": \"Observation\", \"subject\": {\"reference\": \"Patient/p3\"}, bad}\n");
    auto ob = dir.write("Observation.ndjson", obs_text);
    auto pa = dir.write("Patient.ndjson", lines(pats));
    auto co = dir.write("Condition.ndjson", lines(cond));
    auto dump = [](const Loaded& l) {
        std::string s;
        for (const auto& t : l.patients) {
            s += t.patient_id + " " + t.diagnosis + "\n" + observation_dump(t);
            for (const auto& org : t.origins) s += fmt::format("  {}:{} {}\n", org.file, org.line, org.path);
        }
        for (const auto& r : l.rejects)
            s += fmt::format("R {}:{} {} {} {} {}\n", r.origin.file, r.origin.line, r.origin.path, r.patient_id,
                             reject_reason_name(r.reason), r.detail);
        return s;
    };
    NdjsonOptions one;
    one.batch_bytes = 700;  // a few patients a batch: many batches
    auto base = ndjson({ob, pa, co}, one);
    REQUIRE(base.patients.size() == 23);
    CHECK(base.rejects.size() >= 4);  // unbound, unknown unit, no such patient, bad JSON
    std::string expected = dump(base);
    for (unsigned jobs : {2u, 3u, 8u}) {
        for (std::size_t batch : {std::size_t{700}, std::size_t{64} << 20}) {
            INFO("jobs " << jobs << ", batch_bytes " << batch);
            NdjsonOptions opt;
            opt.batch_bytes = batch;
            opt.jobs = jobs;
            CHECK(dump(ndjson({ob, pa, co}, opt)) == expected);
        }
    }
}

// Past its memory budget the index goes to a temporary file and is cut into parts of
// consecutive patients: the patients, their records and every rejection come out the same,
// in the same order, whether the index stayed in memory or not, and in how many parts.
TEST_CASE("NDJSON: an index spilled to disk, in any number of parts, gives the same output", "[fhir]") {
    TempDir dir;
    std::vector<json> pats, o;
    for (int p = 0; p < 31; ++p) pats.push_back(patient(fmt::format("p{}", (p * 11) % 31), "1950-01-01"));
    for (int i = 0; i < 400; ++i) {
        std::string pid = fmt::format("p{}", (i * 7) % 31);
        if (i % 23 == 0) o.push_back(observation(kLoinc, "99999-9", qty(1, "10*9/L"), "2024-01-01", pid));  // unbound
        else o.push_back(observation(kLoinc, "777-3", qty(100 + i, "10*9/L"), fmt::format("2024-{:02}-01", i % 12 + 1), pid));
        if (i % 97 == 0) o.push_back(observation(kLoinc, "777-3", qty(5, "10*9/L"), "2024-01-01", "nobody"));
    }
    // Observations before the Patients they belong to: parts are formed after the whole index is read.
    auto ob = dir.write("Observation.ndjson", lines(o));
    auto pa = dir.write("Patient.ndjson", lines(pats));
    auto dump = [](const Loaded& l) {
        std::string s;
        for (const auto& t : l.patients) {
            s += t.patient_id + "\n" + observation_dump(t);
            for (const auto& org : t.origins) s += fmt::format("  {}:{} {}\n", org.file, org.line, org.path);
        }
        for (const auto& r : l.rejects)
            s += fmt::format("R {}:{} {} {} {}\n", r.origin.file, r.origin.line, r.patient_id,
                             reject_reason_name(r.reason), r.detail);
        return s;
    };
    auto base = ndjson({ob, pa});
    REQUIRE(base.ok);
    REQUIRE(base.patients.size() == 31);
    CHECK(base.rejects.size() == 18 + 5);  // unbound codes, records of a patient the export lacks
    std::string expected = dump(base);
    // 1 ref per budget: 418 refs, capped at 31 parts (one patient each); 40: 11 parts; 200: 3.
    for (std::size_t refs : {1, 40, 200, 417}) {
        for (unsigned jobs : {1u, 2u}) {
            INFO("index budget " << refs << " refs, jobs " << jobs);
            NdjsonOptions opt;
            opt.index_bytes = refs * sizeof(fhir::LineRef);
            opt.batch_bytes = 3000;
            opt.jobs = jobs;
            opt.spill_dir = dir.path;
            auto l = ndjson({ob, pa}, opt);
            CHECK(l.ok);
            CHECK(dump(l) == expected);
        }
    }
    // The temporary files are unlinked when made: nothing is left in the directory.
    std::size_t left = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path)) left += e.path().filename().string().rfind("crit-index", 0) == 0;
    CHECK(left == 0);
}

TEST_CASE("NDJSON: an index that cannot be spilled is an error naming the directory", "[fhir]") {
    TempDir dir;
    auto ob = dir.write("Observation.ndjson",
                        lines({observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "p1"),
                               observation(kLoinc, "777-3", qty(110, "10*9/L"), "2024-01-02", "p1")}));
    auto pa = dir.write("Patient.ndjson", lines({patient("p1")}));
    NdjsonOptions opt;
    opt.index_bytes = sizeof(fhir::LineRef);
    opt.spill_dir = dir.path / "no-such-directory";
    auto l = ndjson({ob, pa}, opt);
    CHECK_FALSE(l.ok);
    CHECK(l.patients.empty());
    std::string text = render(l.diags);
    CHECK(text.find("no-such-directory") != std::string::npos);
    CHECK(text.find("TMPDIR") != std::string::npos);
}

TEST_CASE("NDJSON: a truncated file keeps every patient before (and beside) the bad line", "[fhir]") {
    TempDir dir;
    auto pat = dir.write("Patient.ndjson", lines({patient("p1"), patient("p2"), patient("p3")}));
    std::string text = lines({observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "p1"),
                              observation(kLoinc, "777-3", qty(110, "10*9/L"), "2024-01-01", "p2"),
                              observation(kLoinc, "777-3", qty(120, "10*9/L"), "2024-01-02", "p2")});
    std::string last = observation(kLoinc, "777-3", qty(130, "10*9/L"), "2024-01-03", "p3").dump();
    auto ob = dir.write("Observation.ndjson", text + last.substr(0, last.size() - 20));  // cut mid-resource, no newline
    auto l = ndjson({ob, pat});
    REQUIRE(l.patients.size() == 3);
    CHECK(obs(l.patients[0], "platelets").size() == 1);
    CHECK(obs(l.patients[1], "platelets").size() == 2);
    CHECK(obs(l.patients[2], "platelets").empty());
    auto r = l.rejected("bad-json");
    CHECK(r.origin.file == ob);
    CHECK(r.origin.line == 4);
    CHECK(r.patient_id == "p3");
    CHECK(r.detail.find("ends inside this resource") != std::string::npos);
}

TEST_CASE("NDJSON: an invalid line is rejected with its line, later lines still load", "[fhir]") {
    TempDir dir;
    auto pat =
        dir.write("Patient.ndjson", lines({patient("p1")}) + "{\"resourceType\": \"Patient\", \"id\": \"p2\",}\n" +
                                        lines({patient("p3")}));
    json with_bad_meta = observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "p1");
    std::string bad_meta = with_bad_meta.dump();
    bad_meta.insert(bad_meta.size() - 1, ",\"meta\":{\"versionId\":nul}");
    std::string text = bad_meta + "\n" + "not json at all\n" + "\n" + "[1,2]\n" +
                       lines({observation(kLoinc, "777-3", qty(120, "10*9/L"), "2024-01-02", "p1"),
                              observation(kLoinc, "777-3", qty(130, "10*9/L"), "2024-01-02", "p3")});
    auto ob = dir.write("Observation.ndjson", text);
    auto l = ndjson({pat, ob});
    INFO(l.summary());
    REQUIRE(l.patients.size() == 2);  // p2's Patient line is not valid JSON
    CHECK(l.patients[0].patient_id == "p1");
    CHECK(obs(l.patients[0], "platelets").size() == 1);
    CHECK(obs(l.patients[1], "platelets").size() == 1);
    auto bad = l.with("bad-json");
    REQUIRE(bad.size() == 4);
    std::set<std::pair<std::string, std::uint32_t>> where;
    for (const auto& r : bad) where.insert({r.origin.file, r.origin.line});
    CHECK(where.count({pat, 2}));
    CHECK(where.count({ob, 1}));  // an invalid atom in a field crit does not read
    CHECK(where.count({ob, 2}));
    CHECK(where.count({ob, 4}));
}

TEST_CASE("NDJSON: records of a patient missing from the export, duplicates, rejections by line", "[fhir]") {
    TempDir dir;
    auto pat = dir.write("Patient.ndjson", lines({patient("p1"), patient("p1")}));
    auto ob =
        dir.write("Observation.ndjson", lines({observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "ghost"),
                                               observation(kLoinc, "718-7", qty(12, "mmol/L"), "2024-01-01", "p1"),
                                               observation(kLoinc, "777-3", qty(100, "10*9/L"), "2024-01-01", "p1")}));
    auto l = ndjson({pat, ob});
    REQUIRE(l.patients.size() == 1);
    auto m = l.rejected("missing-patient");
    CHECK(m.origin.file == ob);
    CHECK(m.origin.line == 1);
    CHECK(m.origin.path == "subject.reference");
    CHECK(m.patient_id == "ghost");
    auto d = l.rejected("duplicate-patient");
    CHECK(d.origin.line == 2);
    auto u = l.rejected("unknown-unit");
    CHECK(u.origin.file == ob);
    CHECK(u.origin.line == 2);
    CHECK(u.origin.path == "valueQuantity.code");
    CHECK(u.patient_id == "p1");
}

// ===========================================================================
// Format detection, and the same patient from every format

TEST_CASE("load_data detects formats by content", "[fhir][data]") {
    TempDir dir;
    CHECK(detect_format(dir.write("b.json", bundle_json({patient("p1")}).dump(1))) == DataFormat::FhirBundle);
    CHECK(detect_format(dir.write("m.json", bundle_json({patient("p1")}).dump())) == DataFormat::FhirBundle);
    CHECK(detect_format(dir.write("x.data",
                                  "{\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"}}],"
                                  "\"resourceType\":\"Bundle\"}")) == DataFormat::FhirBundle);
    CHECK(detect_format(dir.write("Patient.ndjson", lines({patient("p1")}))) == DataFormat::FhirNdjson);
    CHECK(detect_format(dir.write("export.json", lines({patient("p1"), patient("p2")}))) == DataFormat::FhirNdjson);
    CHECK(detect_format(dir.write("c.txt", "patient_id,time,concept,value,unit\n")) == DataFormat::Csv);
    CHECK(detect_format(dir.write("t.yaml", "patient: p1\n")) == DataFormat::Yaml);
    CHECK(detect_format(dir.write("notes.txt", "hello\n")) == DataFormat::Unknown);
}

TEST_CASE("the example patients give the same timelines as YAML, Bundle, NDJSON and CSV", "[fhir][csv][data]") {
    std::string disease = GENERATE(as<std::string>{}, "cll", "all");
    INFO(disease);
    auto load = [&](const std::string& dir) {
        LoadResult r;
        Diagnostics d;
        load_patients({std::string(CRIT_SOURCE_DIR) + "/examples/" + dir}, bindings(), r, d);
        INFO(dir << ": " << render(d));
        CHECK_FALSE(d.has_errors());
        CHECK(r.rejections.empty());
        return r;
    };
    // The FHIR, NDJSON and CSV examples are generated from the YAML ones by
    // tools/yaml2fhir (see examples/fhir/README.md): rerun it when these change.
    auto yaml = load(disease), fhir = load("fhir/" + disease), nd = load("ndjson/" + disease),
         csv = load("csv/" + disease);
    REQUIRE_FALSE(yaml.patients.empty());
    for (const LoadResult* other : {&fhir, &nd, &csv}) REQUIRE(other->patients.size() == yaml.patients.size());
    // FCR in FHIR is its three drugs; cyclophosphamide is also an ALL drug in the
    // bindings (all_therapy), which the regimen FCR is not, and a CLL drug
    // (cll_therapy, cll_chemoimmunotherapy), which hyper-CVAD is not. Only the
    // other disease's classes may differ.
    const std::set<std::string> other_disease = disease == "cll"
                                                    ? std::set<std::string>{"all_therapy", "all_induction"}
                                                    : std::set<std::string>{"cll_therapy", "cll_chemoimmunotherapy"};
    for (std::size_t i = 0; i < yaml.patients.size(); ++i) {
        const Timeline& y = yaml.patients[i];
        INFO(y.patient_id);
        for (const LoadResult* other : {&fhir, &nd, &csv}) {
            const Timeline& t = other->patients[i];
            CHECK(t.patient_id == y.patient_id);
            CHECK(t.birth_date == y.birth_date);
            CHECK(t.diagnosis_date == y.diagnosis_date);
            CHECK(observation_dump(t) == observation_dump(y));
            CHECK(therapy_dump(t, other_disease) == therapy_dump(y, other_disease));
        }
        // Bundle and NDJSON hold the same resources: the same records exactly.
        CHECK(fhir.patients[i].treatments.size() == nd.patients[i].treatments.size());
        // CSV writes the regimen as YAML does.
        CHECK(csv.patients[i].treatments.size() == y.treatments.size());
    }
}

TEST_CASE("one patient from a Bundle, NDJSON and CSV: identical timelines", "[fhir][csv]") {
    std::vector<json> res = {
        patient("p1", "1956-04-12"),
        condition(kSnomed, "92814006", "2023-11-02"),
        observation(kLoinc, "731-0", qty(48000, "/uL"), "2024-01-05"),
        observation(kLoinc, "718-7", qty(102, "g/L"), "2024-01-05"),
        observation(kLocal, "hepatomegaly", json{{"valueBoolean", false}}, "2024-01-05"),
        administration("1442981", "in-progress", json{{"effectivePeriod", {{"start", "2024-01-10"}}}})};
    json mrd = observation(kLoinc, "67128-9", qty(0.005, "%", "<"), "2024-09-05");
    mrd["bodySite"] = marrow();
    res.push_back(mrd);
    auto b = bundle(res);
    TempDir dir;
    std::map<std::string, std::string> by_type;
    for (const auto& r : res) by_type[r["resourceType"].get<std::string>()] += r.dump() + "\n";
    std::vector<std::string> files;
    for (const auto& [type, text] : by_type) files.push_back(dir.write(type + ".ndjson", text));
    auto n = ndjson(files);
    Loaded c;
    load_csv_text(
        "c.csv",
        "patient_id,time,concept,value,unit,code_system,code,site\n"
        "p1,1956-04-12,birth_date,,,,,\n"
        "p1,2023-11-02,diagnosis,92814006,,http://snomed.info/sct,,\n"
        "p1,2024-01-05,,48000,/uL,http://loinc.org,731-0,\n"
        "p1,2024-01-05,hemoglobin,10.2,g/dL,,,\n"
        "p1,2024-01-05,hepatomegaly,false,,,,\n"
        "p1,2024-01-10,treatment,ibrutinib,,,,\n"
        "p1,2024-09-05,,<0.005,%,http://loinc.org,67128-9,marrow\n",
        bindings(), [&](Timeline&& t) { c.patients.push_back(std::move(t)); }, c.rejects, c.diags);
    for (const Loaded* l : {&b, &n, &c}) {
        INFO(l->summary() << render(l->diags));
        CHECK(l->rejects.empty());
    }
    const Timeline &tb = b.one(), &tn = n.one(), &tc = c.one();
    CHECK(observation_dump(tb) == observation_dump(tn));
    CHECK(observation_dump(tb) == observation_dump(tc));
    CHECK(therapy_dump(tb) == therapy_dump(tn));
    CHECK(therapy_dump(tb) == therapy_dump(tc));
    for (const Timeline* t : {&tn, &tc}) {
        CHECK(t->birth_date == tb.birth_date);
        CHECK(t->diagnosis == tb.diagnosis);
        CHECK(t->diagnosis_date == tb.diagnosis_date);
        REQUIRE(t->treatments.size() == 1);
        CHECK(t->treatments[0].drug == "ibrutinib");
        CHECK(t->treatments[0].classes == tb.treatments[0].classes);
    }
    CHECK(only(tb, "lymphocytes").value == Approx(48));
    CHECK(only(tb, "hemoglobin").value == Approx(102));
}

TEST_CASE("mutated Bundles and NDJSON files give diagnostics or rejections, never crashes", "[fhir]") {
    std::string err;
    auto src = read_source(CRIT_SOURCE_DIR "/examples/fhir/cll/p-001.json", err);
    REQUIRE(src);
    const std::string good = src->text();
    std::mt19937 rng(20261121);
    static const std::string alphabet = "{}[]\",:\\ \n0123456789.-+eEtrufalsn/<>%x";
    auto mutate = [&](std::string s) {
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < edits && !s.empty(); ++i) {
            std::size_t pos = rng() % s.size();
            switch (rng() % 4) {
                case 0:
                    s.erase(pos, 1 + rng() % 8);
                    break;
                case 1:
                    s.insert(pos, 1, alphabet[rng() % alphabet.size()]);
                    break;
                case 2:
                    s[pos] = alphabet[rng() % alphabet.size()];
                    break;
                default:
                    s.resize(pos);
                    break;  // truncated
            }
        }
        return s;
    };
    int loaded = 0, refused = 0;
    for (int i = 0; i < 300; ++i) {
        Loaded l;
        REQUIRE_NOTHROW(l = bundle_text(mutate(good)));
        if (l.ok) ++loaded;
        else {
            ++refused;
            CHECK(l.diags.has_errors());
            CHECK(l.patients.empty());
        }
    }
    CHECK(refused > 0);
    TempDir dir;
    std::vector<std::string> names = {"Patient", "Condition", "Observation", "MedicationAdministration", "Procedure"};
    std::map<std::string, std::string> texts;
    for (const auto& n : names) {
        auto s = read_source(std::string(CRIT_SOURCE_DIR) + "/examples/ndjson/cll/" + n + ".ndjson", err);
        REQUIRE(s);
        texts[n] = s->text();
    }
    auto cohort = static_cast<std::size_t>(std::count(texts["Patient"].begin(), texts["Patient"].end(), '\n'));
    for (int i = 0; i < 40; ++i) {
        std::vector<std::string> files;
        for (const auto& n : names) files.push_back(dir.write(n + ".ndjson", i % 5 == 0 ? texts[n] : mutate(texts[n])));
        Loaded l;
        REQUIRE_NOTHROW(l = ndjson(files, NdjsonOptions{std::size_t{1} << (rng() % 20)}));
        CHECK(l.patients.size() <= cohort);
        for (const auto& r : l.rejects) CHECK_FALSE(reason_of(r).empty());
    }
    (void)loaded;
}

// ---- the two passes read back the line they indexed, for the patient they index ----

TEST_CASE("ndjson: past 65,536 files each record is read from its own file", "[load_fhir][ndjson][reliability]") {
    TempDir d;
    std::vector<std::string> files;
    files.push_back(d.write("Patient.ndjson", lines({patient("a"), patient("b")})));
    files.push_back(
        d.write("obs-a.ndjson", lines({observation(kLoinc, "777-3", qty(250, "10*9/L"), "2024-01-05", "a")})));
    // 65,535 files of a resource type crit does not read, so that b's record sits in file 65,537.
    const std::string filler = lines({json{{"resourceType", "Encounter"}, {"id", "e"}}});
    for (int i = 0; i < 65535; ++i) files.push_back(d.write(fmt::format("enc-{:05}.ndjson", i), filler));
    files.push_back(
        d.write("obs-b.ndjson", lines({observation(kLoinc, "777-3", qty(50, "10*9/L"), "2024-02-07", "b")})));
    REQUIRE(files.size() == 65538);
    auto l = ndjson(files);
    INFO(render(l.diags) << l.summary());
    REQUIRE(l.patients.size() == 2);
    const Timeline& b = l.patients[1];
    CHECK(b.patient_id == "b");
    auto platelets = obs(b, "platelets");
    REQUIRE(platelets.size() == 1);
    CHECK(platelets[0].value == Approx(50));
    CHECK(format_day(platelets[0].day) == "2024-02-07");
    CHECK(only(l.patients[0], "platelets").value == Approx(250));
    CHECK(l.rejects.empty());
}

TEST_CASE("ndjson: a file that changes between the passes is a stated rejection, never another patient's data",
          "[load_fhir][ndjson][reliability]") {
    TempDir d;
    std::string pat = d.write("Patient.ndjson", lines({patient("a"), patient("b")}));
    auto obs_text = [](double a, double b) {
        return lines({observation(kLoinc, "777-3", qty(a, "10*9/L"), "2024-01-05", "a"),
                      observation(kLoinc, "777-3", qty(b, "10*9/L"), "2024-01-05", "b")});
    };
    std::string obs_file = d.write("Observation.ndjson", obs_text(250, 150));
    SECTION("rewritten with other sizes: the file's lines are rejected") {
        NdjsonOptions opt;
        opt.between_passes = [&] { d.write("Observation.ndjson", obs_text(1250, 5)); };
        auto l = ndjson({pat, obs_file}, opt);
        REQUIRE(l.patients.size() == 2);
        CHECK(obs(l.patients[0], "platelets").empty());
        CHECK(obs(l.patients[1], "platelets").empty());
        CHECK(l.with("file-changed").size() == 2);
    }
    SECTION("the same bytes in another order, same size and time: the subject check catches it") {
        NdjsonOptions opt;
        auto before = fs::last_write_time(obs_file);
        opt.between_passes = [&] {
            d.write("Observation.ndjson",
                    lines({observation(kLoinc, "777-3", qty(150, "10*9/L"), "2024-01-05", "b"),
                           observation(kLoinc, "777-3", qty(250, "10*9/L"), "2024-01-05", "a")}));
            fs::last_write_time(obs_file, before);
        };
        auto l = ndjson({pat, obs_file}, opt);
        REQUIRE(l.patients.size() == 2);
        // Neither patient gets the other's platelets.
        CHECK(obs(l.patients[0], "platelets").empty());
        CHECK(obs(l.patients[1], "platelets").empty());
        auto changed = l.with("file-changed");
        REQUIRE(changed.size() == 2);
        CHECK(changed[0].detail.find("refers to Patient/b, not to Patient/a") != std::string::npos);
    }
}
