// YAML timelines: short and long forms, unit conversion, censoring, therapy
// courses, every rejection reason, and located diagnostics for broken files.
#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "data/load_yaml.hpp"

using namespace crit;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {



struct Loaded {
    Timeline t;
    std::vector<Rejection> rejects;
};

Loaded load(const std::string& yaml) {
    Loaded l;
    l.t = timeline_from_yaml(YAML::Load(yaml), "case.yaml", bindings(), l.rejects);
    return l;
}

std::string write_temp(const std::string& name, const std::string& text) {
    static int n = 0;
    fs::path dir = fs::temp_directory_path() / ("crit-yaml-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
    fs::path p = dir / name;
    std::ofstream(p) << text;
    return p.string();
}

std::string classes_of(const Treatment& t) {
    std::string s;
    for (ClassId c : t.classes) s += bindings().classes[c].name + " ";
    return s;
}

}  // namespace

TEST_CASE("short form: quantities, booleans and coded values", "[load_yaml]") {
    auto l = load(R"(
patient: p-001
birth_date: 1950-03-02
diagnosis: {date: 2023-06-01, code: CLL}
timeline:
  - {date: 2024-09-01, platelets: 100 x10^9/L, hemoglobin: 12.1 g/dL, hepatomegaly: false,
     marrow_cellularity: normocellular, lymphocytes: 4500 /uL, node_spd: 2500 mm2}
  - {date: 2024-10-01, hepatomegaly: yes, marrow_cellularity: hypercellular, neutrophils: 1.8 10*3/uL}
)");
    INFO((l.rejects.empty() ? "" : l.rejects[0].detail));
    CHECK(l.rejects.empty());
    CHECK(l.t.patient_id == "p-001");
    CHECK(format_day(*l.t.birth_date) == "1950-03-02");
    CHECK(format_day(*l.t.diagnosis_date) == "2023-06-01");
    CHECK(l.t.diagnosis == "CLL");
    CHECK(l.t.observations.size() == 9);

    const auto& plt = only(l.t, "platelets");
    CHECK(plt.kind == ValueKind::Quantity);
    CHECK(plt.value == Approx(100));
    CHECK(plt.comparator == Comparator::Eq);
    CHECK(plt.original_unit == "x10^9/L");
    CHECK(plt.site == Site::Blood);
    CHECK(format_day(plt.day) == "2024-09-01");
    CHECK(plt.detection_limit < 0);

    const auto& hb = only(l.t, "hemoglobin");
    CHECK(hb.value == Approx(121));  // g/L
    CHECK(hb.original_value == Approx(12.1));
    CHECK(hb.original_unit == "g/dL");

    CHECK(only(l.t, "lymphocytes").value == Approx(4.5));
    CHECK(only(l.t, "neutrophils").value == Approx(1.8));
    CHECK(only(l.t, "node_spd").value == Approx(25));

    auto hep = obs(l.t, "hepatomegaly");
    REQUIRE(hep.size() == 2);
    CHECK(hep[0].kind == ValueKind::Boolean);
    CHECK(hep[0].value == 0);
    CHECK(hep[1].value == 1);
    CHECK(hep[0].day < hep[1].day);

    auto cell = obs(l.t, "marrow_cellularity");
    REQUIRE(cell.size() == 2);
    CHECK(cell[0].kind == ValueKind::Coded);
    CHECK(bindings().concepts[cid("marrow_cellularity")].values[static_cast<std::size_t>(cell[0].value)] == "normocellular");
    CHECK(cell[1].value == 2);  // hypercellular
    CHECK(cell[0].site == Site::Marrow);
}

TEST_CASE("hemoglobin in g/L and g/dL meet in the same unit", "[load_yaml]") {
    auto l = load(R"(
timeline:
  - {date: 2024-01-01, hemoglobin: 110 g/L}
  - {date: 2024-02-01, hemoglobin: 11 g/dL}
  - {date: 2024-03-01, hemoglobin: 10.9 g/dL}
)");
    CHECK(l.rejects.empty());
    auto hb = obs(l.t, "hemoglobin");
    REQUIRE(hb.size() == 3);
    CHECK(hb[0].value == Approx(110));
    CHECK(hb[1].value == Approx(110));
    CHECK(hb[2].value == Approx(109));
    CHECK(hb[0].original_unit == "g/L");
    CHECK(hb[1].original_unit == "g/dL");
}

TEST_CASE("censored values keep their comparator", "[load_yaml]") {
    auto l = load(R"(
timeline:
  - {date: 2024-09-01, mrd_blood: "<0.005 %"}
  - {date: 2024-10-01, mrd_blood: "<= 0.01%"}
  - {date: 2024-11-01, mrd_blood: ">5 %"}
  - {date: 2024-12-01, mrd_blood: ">=1e-4 1"}
)");
    CHECK(l.rejects.empty());
    auto m = obs(l.t, "mrd_blood");
    REQUIRE(m.size() == 4);
    CHECK(m[0].comparator == Comparator::Lt);
    CHECK(m[0].value == Approx(0.005));
    CHECK(m[0].site == Site::Blood);
    CHECK(m[1].comparator == Comparator::Le);
    CHECK(m[1].value == Approx(0.01));
    CHECK(m[2].comparator == Comparator::Gt);
    CHECK(m[2].value == Approx(5));
    CHECK(m[3].comparator == Comparator::Ge);
    CHECK(m[3].value == Approx(0.01));  // MRD 10^-4 = 0.01 %
    CHECK(m[3].original_value == Approx(1e-4));
}

TEST_CASE("long form and per-value maps", "[load_yaml]") {
    auto l = load(R"(
timeline:
  - {date: 2024-09-01, concept: mrd_marrow, value: 0.002, unit: "%", comparator: "<", detection_limit: 0.001 %}
  - {date: 2024-10-01, mrd_marrow: {value: "<0.002 %", detection_limit: 1e-5 1}}
  - {date: 2024-11-01, concept: hepatomegaly, value: true, note: palpable 2 cm}
  - {date: 2024-12-01, concept: mrd_marrow, value: "0.3 %", detection_limit: 0.0005}
)");
    CHECK(l.rejects.empty());
    auto m = obs(l.t, "mrd_marrow");
    REQUIRE(m.size() == 3);
    CHECK(m[0].comparator == Comparator::Lt);
    CHECK(m[0].value == Approx(0.002));
    CHECK(m[0].detection_limit == Approx(0.001));
    CHECK(m[0].site == Site::Marrow);
    CHECK(m[1].comparator == Comparator::Lt);
    CHECK(m[1].detection_limit == Approx(0.001));  // 1e-5 of 1 = 0.001 %
    CHECK(m[2].value == Approx(0.3));
    CHECK(m[2].comparator == Comparator::Eq);
    CHECK(m[2].detection_limit == Approx(0.0005));  // a bare limit takes the value's unit
    CHECK(only(l.t, "hepatomegaly").value == 1);
}

TEST_CASE("a record's site is kept, and one contradicting the concept's own is rejected", "[load_yaml]") {
    auto l = load(R"(
timeline:
  - {date: 2024-09-01, site: marrow, lymphocytes: 3 10*9/L}
  - {date: 2024-09-02, mrd_blood: {value: "0.1 %", site: csf}}
  - {date: 2024-09-03, site: blood, node_spd: 4 cm2}
)");
    REQUIRE(l.rejects.size() == 2);
    CHECK(reason_of(l.rejects[0]) == "site-mismatch");
    CHECK(reason_of(l.rejects[1]) == "site-mismatch");
    CHECK(only(l.t, "node_spd").site == Site::Blood);  // a concept without a site of its own keeps the record's
}

TEST_CASE("treatments: courses, continuous therapy and classes", "[load_yaml]") {
    auto l = load(R"(
patient: p-002
timeline:
  - {date: 2024-07-01, treatment: ibrutinib}
  - {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
  - {date: 2024-08-01, treatment: ibrutinb, until: 2024-08-01}
  - {date: 2024-08-15, treatment: fcr, platelets: 90 10*9/L, until: 2024-09-15}
  - {date: 2024-08-20, treatment: FCR, until: 2024-08-20}
)");
    // A name the bindings do not know is rejected with the drug it is closest to: kept, it would
    // carry no class and silently take the patient off BTK inhibitors (issue 9).
    REQUIRE(l.rejects.size() == 1);
    CHECK(reason_of(l.rejects[0]) == "unknown-drug");
    CHECK(l.rejects[0].detail == "`ibrutinb` is not a drug in the bindings (did you mean `ibrutinib`?)");
    CHECK(l.rejects[0].origin.line == 6);
    REQUIRE(l.t.treatments.size() == 4);
    const auto& fcr = l.t.treatments[0];  // sorted by start
    CHECK(fcr.drug == "FCR");
    CHECK(format_day(fcr.start) == "2024-01-10");
    REQUIRE(fcr.end.has_value());
    CHECK(format_day(*fcr.end) == "2024-06-20");
    CHECK(classes_of(fcr).find("cll_chemoimmunotherapy") != std::string::npos);

    const auto& ibr = l.t.treatments[1];
    CHECK(ibr.drug == "ibrutinib");
    CHECK_FALSE(ibr.end.has_value());  // continuous therapy, still running
    CHECK(classes_of(ibr).find("btk_inhibitor") != std::string::npos);
    CHECK(classes_of(ibr).find("bcr_inhibitor") != std::string::npos);

    CHECK(l.t.treatments[2].drug == "FCR");  // the bound name
    const auto& one_day = l.t.treatments[3];
    CHECK(*one_day.end == one_day.start);  // a one-day course
    CHECK(only(l.t, "platelets").value == Approx(90));
    CHECK(format_day(*l.t.last_day()) == "2024-09-15");
    CHECK(format_day(*l.t.first_day()) == "2024-01-10");
}

TEST_CASE("a treatment's phase: its classes join the drug's", "[load_yaml][phase]") {
    auto l = load(R"(
patient: p-all
timeline:
  - {date: 2024-01-10, treatment: vincristine, phase: induction, until: 2024-02-07}
  - {date: 2024-03-01, treatment: cytarabine, phase: Consolidation, until: 2024-03-20}
  - {date: 2024-04-01, treatment: mercaptopurine, phase: maintenance}
  - {date: 2024-02-01, treatment: dexamethasone, phase: remission induction, until: 2024-02-07}
  - {date: 2024-05-01, treatment: vincristine, until: 2024-05-01}
  - {date: 2024-06-01, treatment: induction, until: 2024-06-28}
)");
    INFO(l.rejects.size());
    CHECK(l.rejects.empty());
    REQUIRE(l.t.treatments.size() == 6);
    auto phase = [&](const Treatment& t) { return t.phase < 0 ? std::string("-") : bindings().phases[t.phase].name; };
    const auto& vcr = l.t.treatments[0];
    CHECK(phase(vcr) == "induction");
    CHECK(classes_of(vcr) == "all_therapy antileukemic all_induction ");
    const auto& dex = l.t.treatments[1];  // a `text:` phrase of the phase, any case
    CHECK(phase(dex) == "induction");
    CHECK(classes_of(dex) == "all_therapy all_induction ");
    const auto& ara = l.t.treatments[2];
    CHECK(phase(ara) == "consolidation");
    CHECK(classes_of(ara) == "all_therapy antileukemic all_consolidation ");
    const auto& mp = l.t.treatments[3];
    CHECK(phase(mp) == "maintenance");
    CHECK(classes_of(mp).find("all_maintenance") != std::string::npos);
    // No phase: the drug's classes only, so vincristine alone is not induction ...
    CHECK(phase(l.t.treatments[4]) == "-");
    CHECK(classes_of(l.t.treatments[4]) == "all_therapy antileukemic ");
    // ... but the regimen `induction` is, by definition.
    CHECK(phase(l.t.treatments[5]) == "-");
    CHECK(classes_of(l.t.treatments[5]).find("all_induction") != std::string::npos);
}

TEST_CASE("origins cite the file and line of each record", "[load_yaml]") {
    auto l = load("patient: p\n"
                  "timeline:\n"
                  "  - {date: 2024-01-10, treatment: FCR}\n"
                  "  - date: 2024-02-01\n"
                  "    platelets: 150 10*9/L\n"
                  "    hemoglobin: 130 g/L\n");
    CHECK(l.rejects.empty());
    const auto& plt = only(l.t, "platelets");
    const auto& o = l.t.origins[plt.origin];
    CHECK(o.file == "case.yaml");
    CHECK(o.line == 5);
    CHECK(o.path == "timeline[1].platelets");
    CHECK(l.t.origins[only(l.t, "hemoglobin").origin].line == 6);
    CHECK(l.t.origins[l.t.treatments[0].origin].line == 3);
    CHECK(l.t.origins[l.t.treatments[0].origin].path == "timeline[0]");
}

TEST_CASE("an inline list of records is a timeline without a patient id", "[load_yaml]") {
    auto l = load(R"(
- {date: 2024-01-10, treatment: FCR, until: 2024-06-20}
- {date: 2024-09-01, platelets: 100 x10^9/L}
)");
    CHECK(l.rejects.empty());
    CHECK(l.t.patient_id.empty());
    CHECK(l.t.treatments.size() == 1);
    CHECK(only(l.t, "platelets").value == Approx(100));
}

TEST_CASE("each rejection reason, with the rest of the timeline kept", "[load_yaml]") {
    struct Case {
        const char* record;
        const char* reason;
        const char* detail;  // a fragment of the message
    };
    const Case cases[] = {
        {"{date: 2024-01-01, plateletz: 100 10*9/L}", "unknown-concept", "did you mean `platelets`"},
        {"{date: 2024-01-01, concept: nothing, value: 1}", "unknown-concept", "`nothing`"},
        {"{date: 2024-01-01, platelets: 100 furlongs}", "unknown-unit", "`furlongs`"},
        {"{date: 2024-01-01, platelets: 100 g/L}", "unit-dimension", "a mass concentration"},
        {"{date: 2024-01-01, hemoglobin: 12 %}", "unit-dimension", "a percentage"},
        {"{date: 2024-01-01, platelets: 100}", "missing-unit", "needs a unit"},
        {"{date: 2024-01-01, concept: platelets, value: 100}", "missing-unit", "needs a unit"},
        {"{date: 2023-02-29, platelets: 100 10*9/L}", "bad-date", "2023-02-29"},
        {"{platelets: 100 10*9/L}", "bad-date", "no `date`"},
        {"{date: 2024-01-01, treatment: FCR, until: 2024-02-30}", "bad-date", "2024-02-30"},
        {"{date: 2024-01-01, platelets: }", "missing-value", "no value"},
        {"{date: 2024-01-01, concept: platelets}", "missing-value", "no value"},
        {"{date: 2024-01-01}", "missing-value", "no treatment and no values"},
        {"{date: 2024-01-01, marrow_cellularity: aplastic}", "bad-value", "normocellular"},
        {"{date: 2024-01-01, hepatomegaly: maybe}", "bad-value", "true or false"},
        {"{date: 2024-01-01, platelets: lots}", "bad-value", "not a number"},
        {"{date: 2024-01-01, platelets: nan 10*9/L}", "bad-value", "not a number"},
        {"{date: 2024-01-01, concept: platelets, value: 100 10*9/L, comparator: '~'}", "bad-value", "comparator"},
        {"{date: 2024-01-01, concept: hepatomegaly, value: true, unit: cm}", "bad-value", "takes no `unit`"},
        {"{date: 2024-01-01, site: liver, platelets: 100 10*9/L}", "bad-value", "unknown site"},
        {"{date: 2024-01-01, until: 2024-02-01, platelets: 100 10*9/L}", "bad-value", "no `treatment`"},
        {"{date: 2024-03-01, treatment: FCR, until: 2024-02-01}", "bad-period", "before it starts"},
        {"{date: 2024-01-01, treatment: vincristine, phase: salvage}", "unknown-phase",
         "`salvage` is not a phase in the bindings (induction, consolidation, maintenance)"},
        {"{date: 2024-01-01, treatment: vincristine, phase: inducton}", "unknown-phase", "did you mean `induction`"},
        {"{date: 2024-01-01, treatment: vincristine, phase: }", "unknown-phase", "is empty"},
        {"{date: 2024-01-01, phase: induction, platelets: 100 10*9/L}", "bad-value", "no `treatment`"},
        {"{date: 2024-01-01, concept: platelets, value: 100 10*9/L, colour: red}", "unknown-field", "`colour`"},
        {"{date: 2024-01-01, mrd_blood: {value: 1 %, when: later}}", "unknown-field", "`when`"},
        {"just a string", "bad-record", "a map"},
    };
    for (const auto& c : cases) {
        INFO(c.record);
        std::string yaml = std::string("patient: p-bad\ntimeline:\n"
                                       "  - {date: 2024-01-10, hemoglobin: 120 g/L}\n"
                                       "  - ") +
                           c.record + "\n  - {date: 2024-01-20, treatment: ibrutinib}\n";
        auto l = load(yaml);
        std::string all;
        for (const auto& r : l.rejects) all += reason_of(r) + ": " + r.detail + "\n";
        INFO(all);
        REQUIRE(l.rejects.size() == 1);
        const auto& r = l.rejects[0];
        CHECK(reason_of(r) == c.reason);
        CHECK(r.detail.find(c.detail) != std::string::npos);
        CHECK(r.patient_id == "p-bad");
        CHECK(r.origin.file == "case.yaml");
        CHECK(r.origin.line == 4);
        CHECK(r.origin.path.rfind("timeline[1]", 0) == 0);
        // Loading went on: the good records around the bad one are there.
        CHECK(obs(l.t, "hemoglobin").size() == 1);
        CHECK(l.t.treatments.size() == 1);
    }
}

TEST_CASE("a bad value rejects only itself, not its record", "[load_yaml]") {
    auto l = load(R"(
timeline:
  - {date: 2024-01-01, platelets: 100 furlongs, hemoglobin: 12 g/dL}
)");
    REQUIRE(l.rejects.size() == 1);
    CHECK(reason_of(l.rejects[0]) == "unknown-unit");
    CHECK(l.rejects[0].origin.path == "timeline[0].platelets");
    CHECK(only(l.t, "hemoglobin").value == Approx(120));
    CHECK(obs(l.t, "platelets").empty());
}

TEST_CASE("bad patient fields are rejected", "[load_yaml]") {
    auto l = load(R"(
patient: p-9
birth_date: 1950-02-30
diagnosis: {date: someday, code: CLL}
timeline: []
)");
    REQUIRE(l.rejects.size() == 2);
    CHECK(reason_of(l.rejects[0]) == "bad-date");
    CHECK(l.rejects[0].origin.line == 3);
    CHECK(reason_of(l.rejects[1]) == "bad-date");
    CHECK(l.rejects[1].origin.path == "diagnosis.date");
    CHECK(l.t.diagnosis == "CLL");
    CHECK_FALSE(l.t.birth_date);
    CHECK_FALSE(l.t.last_day());
}

TEST_CASE("load_yaml_timelines: one patient, a list, several documents", "[load_yaml]") {
    SECTION("one patient") {
        std::string p = write_temp("one.yaml",
                                   "patient: p-001\n"
                                   "timeline:\n"
                                   "  - {date: 2024-09-01, platelets: 100 x10^9/L}\n"
                                   "  - {date: 2024-09-02, platelets: 100 parsec}\n");
        LoadResult out;
        Diagnostics d;
        CHECK(load_yaml_timelines(p, bindings(), out, d));
        CHECK(d.items().empty());
        REQUIRE(out.patients.size() == 1);
        CHECK(out.patients[0].patient_id == "p-001");
        CHECK(out.patients[0].origins[0].file == p);
        REQUIRE(out.rejections.size() == 1);
        CHECK(reason_of(out.rejections[0]) == "unknown-unit");
        CHECK(out.rejections[0].origin.line == 4);
        CHECK(out.rejections[0].origin.file == p);
    }
    SECTION("patients: [...]") {
        std::string p = write_temp("many.yaml",
                                   "patients:\n"
                                   "  - patient: a\n"
                                   "    timeline: [{date: 2024-01-01, hemoglobin: 10 g/dL}]\n"
                                   "  - patient: b\n"
                                   "    timeline:\n"
                                   "      - {date: 2024-01-02, treatment: ibrutinib}\n");
        LoadResult out;
        Diagnostics d;
        CHECK(load_yaml_timelines(p, bindings(), out, d));
        CHECK(d.items().empty());
        REQUIRE(out.patients.size() == 2);
        CHECK(out.patients[0].patient_id == "a");
        CHECK(only(out.patients[0], "hemoglobin").value == Approx(100));
        CHECK(out.patients[1].patient_id == "b");
        CHECK(out.patients[1].treatments.size() == 1);
        CHECK(out.rejections.empty());
    }
    SECTION("documents separated by ---") {
        std::string p = write_temp("docs.yaml",
                                   "patient: a\n"
                                   "timeline: [{date: 2024-01-01, hepatomegaly: true}]\n"
                                   "---\n"
                                   "patient: b\n"
                                   "timeline: [{date: 2024-01-01, hepatomegaly: false}]\n");
        LoadResult out;
        Diagnostics d;
        CHECK(load_yaml_timelines(p, bindings(), out, d));
        REQUIRE(out.patients.size() == 2);
        CHECK(only(out.patients[1], "hepatomegaly").value == 0);
    }
}

TEST_CASE("load_yaml_timelines: hard errors are located diagnostics", "[load_yaml]") {
    SECTION("malformed YAML") {
        std::string p = write_temp("broken.yaml",
                                   "patient: p-001\n"
                                   "timeline:\n"
                                   "  - {date: 2024-09-01, platelets: 100 x10^9/L\n"
                                   "  - {date: 2024-09-02}\n");
        LoadResult out;
        Diagnostics d;
        CHECK_FALSE(load_yaml_timelines(p, bindings(), out, d));
        CHECK(out.patients.empty());
        REQUIRE(d.items().size() == 1);
        const auto& x = d.items()[0];
        CHECK(x.code == DiagCode::Timeline);
        CHECK(x.at.file == p);
        CHECK(x.at.line >= 3);
        CHECK(x.message.find("malformed YAML") != std::string::npos);
        CHECK(render(d).find(p + ":" + std::to_string(x.at.line) + ":") != std::string::npos);
    }
    SECTION("not a timeline") {
        std::string p = write_temp("list.yaml", "- 1\n- 2\n");
        LoadResult out;
        Diagnostics d;
        CHECK_FALSE(load_yaml_timelines(p, bindings(), out, d));
        REQUIRE(d.items().size() == 1);
        CHECK(d.items()[0].code == DiagCode::Timeline);
        CHECK(d.items()[0].at.line == 1);
        CHECK(d.items()[0].message.find("not a patient timeline") != std::string::npos);
    }
    SECTION("an empty file") {
        std::string p = write_temp("empty.yaml", "");
        LoadResult out;
        Diagnostics d;
        CHECK_FALSE(load_yaml_timelines(p, bindings(), out, d));
        REQUIRE(d.items().size() == 1);
        CHECK(d.items()[0].message.find("no patient") != std::string::npos);
    }
    SECTION("patients without ids, twice, or with a scalar timeline") {
        std::string p = write_temp("ids.yaml",
                                   "patients:\n"
                                   "  - timeline: []\n"
                                   "  - patient: a\n"
                                   "  - patient: a\n"
                                   "  - patient: b\n"
                                   "    timeline: soon\n"
                                   "  - patient: c\n");
        LoadResult out;
        Diagnostics d;
        CHECK_FALSE(load_yaml_timelines(p, bindings(), out, d));
        REQUIRE(d.items().size() == 3);
        CHECK(d.items()[0].message.find("no `patient:` id") != std::string::npos);
        CHECK(d.items()[0].at.line == 2);
        CHECK(d.items()[1].message.find("`a` appears twice") != std::string::npos);
        CHECK(d.items()[1].at.line == 4);
        CHECK(d.items()[2].message.find("must be a list") != std::string::npos);
        CHECK(d.items()[2].at.line == 6);
        REQUIRE(out.patients.size() == 2);  // a and c
        CHECK(out.patients[1].patient_id == "c");
    }
    SECTION("a misspelt patient field is a warning") {
        std::string p = write_temp("typo.yaml",
                                   "patient: a\n"
                                   "timline:\n"
                                   "  - {date: 2024-01-01, hepatomegaly: true}\n");
        LoadResult out;
        Diagnostics d;
        CHECK(load_yaml_timelines(p, bindings(), out, d));  // not a hard error
        REQUIRE(d.items().size() == 1);
        CHECK(d.items()[0].severity == Severity::Warning);
        CHECK(d.items()[0].at.line == 2);
        CHECK(d.items()[0].suggestion == "timeline");
        REQUIRE(out.patients.size() == 1);
        CHECK(out.patients[0].observations.empty());
    }
    SECTION("an unreadable file") {
        LoadResult out;
        Diagnostics d;
        CHECK_FALSE(load_yaml_timelines("/nonexistent/crit/p.yaml", bindings(), out, d));
        REQUIRE(d.items().size() == 1);
        CHECK(d.items()[0].code == DiagCode::Io);
    }
}
