// Plausibility (issue 9): the bindings declare, per quantity concept, where a rule's
// threshold can lie (`plausible`) and where a patient's value can (`physiological`). A
// threshold outside is a checker error naming the unit meant; a value outside is a
// rejection in every loader, never a silent classification.
#include <catch2/catch.hpp>

#include "support.hpp"

#include "data/load_data.hpp"
#include "lang/driver.hpp"

using namespace crit;

namespace {


std::string check(const std::string& body) {
    Diagnostics d;
    compile_source(std::make_shared<SourceFile>("t.crit", body), d);
    return render(d);
}

}  // namespace

TEST_CASE("plausible thresholds: each shipped range on both sides, with the unit meant", "[plausibility]") {
    SECTION("hemoglobin: 30 g/L is the lowest plausible threshold, 29 g/L a slip for g/dL") {
        CHECK(check("A:\n  cite \"x\"\n  hemoglobin >= 30 g/L\n").empty());
        std::string m = check("A:\n  cite \"x\"\n  hemoglobin >= 11 g/L\n");
        CHECK(m.find("error[implausible-threshold]: `11 g/L` is below any plausible hemoglobin (30 to 250 g/L)") != std::string::npos);
        CHECK(m.find("did you mean `11 g/dL`?") != std::string::npos);
        CHECK(check("A:\n  cite \"x\"\n  hemoglobin >= 25 g/dL\n").empty());
        CHECK(check("A:\n  cite \"x\"\n  hemoglobin >= 26 g/dL\n").find("above any plausible hemoglobin") != std::string::npos);
    }
    SECTION("platelets: 1 x10^9/L is plausible, 100 /uL (0.1) is not") {
        CHECK(check("A:\n  cite \"x\"\n  platelets >= 1 x10^9/L\n").empty());
        CHECK(check("A:\n  cite \"x\"\n  platelets >= 100000 /uL\n").empty());
        std::string m = check("A:\n  cite \"x\"\n  platelets >= 100 /uL\n");
        CHECK(m.find("`100 /uL` is below any plausible platelets") != std::string::npos);
        CHECK(m.find("did you mean `100 10*9/L`?") != std::string::npos);
    }
    SECTION("a missing unit is hinted with the unit that makes the number plausible") {
        CHECK(check("A:\n  cite \"x\"\n  neutrophils > 1000\n").find("write the unit, e.g. `1000 /uL`") != std::string::npos);
        CHECK(check("A:\n  cite \"x\"\n  neutrophils > 1.5\n").find("write the unit, e.g. `1.5 10*9/L`") != std::string::npos);
    }
    SECTION("every shipped pack is inside the ranges") {
        for (const char* pack : {"rules/cll/iwcll-2018.crit", "rules/cll/iwcll-2008.crit", "rules/all/all-response.crit"}) {
            Diagnostics d;
            auto c = compile_file(pack, d);
            INFO(pack << "\n" << render(d));
            CHECK(c.program);
        }
    }
}

TEST_CASE("bindings: plausible and physiological are ranges of a quantity, one inside the other", "[plausibility][bindings]") {
    TempDir dir;
    std::string path = dir.write("b.yaml",
                                 "concepts:\n"
                                 "  a: {kind: boolean, plausible: [0, 1]}\n"
                                 "  b: {unit: g/L, plausible: [5]}\n"
                                 "  c: {unit: g/L, plausible: [9, 1]}\n"
                                 "  d: {unit: g/L, plausible: [1, 500], physiological: [0, 300]}\n"
                                 "  e: {unit: g/L, plausible: [1, x]}\n");
    Diagnostics d;
    CHECK_FALSE(load_bindings(path, d).has_value());
    std::string m = render(d);
    CHECK(m.find("b.yaml:2:") != std::string::npos);
    CHECK(m.find("only quantities take `plausible`") != std::string::npos);
    CHECK(m.find("b.yaml:3:") != std::string::npos);
    CHECK(m.find("b.yaml:4:") != std::string::npos);
    CHECK(m.find("`plausible` must lie inside `physiological`") != std::string::npos);
    CHECK(m.find("b.yaml:6:") != std::string::npos);
}

TEST_CASE("data outside the physiological range is rejected in every format, at the edge included", "[plausibility]") {
    TempDir d;
    SECTION("YAML: hemoglobin 300 g/L is read, 301 g/L and 0.5 g/dL are rejected") {
        auto l = load_paths({d.write("h.yaml", "patient: p1\ntimeline:\n"
                                         "  - {date: 2024-01-01, hemoglobin: 300 g/L}\n"
                                         "  - {date: 2024-01-02, hemoglobin: 301 g/L}\n"
                                         "  - {date: 2024-01-03, hemoglobin: 0.5 g/dL}\n"
                                         "  - {date: 2024-01-04, hemoglobin: 1 g/dL}\n")});
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "hemoglobin").size() == 2);
        auto bad = l.with("implausible-value");
        REQUIRE(bad.size() == 2);
        CHECK(bad[0].detail == "301 g/L is above any physiological hemoglobin (10 to 300 g/L)");
        CHECK(bad[1].detail == "0.5 g/dL is below any physiological hemoglobin (10 to 300 g/L)");
    }
    SECTION("CSV: platelets 150000 x10^9/L (meant /uL) is rejected") {
        auto l = load_paths({d.write("p.csv", "patient_id,time,concept,value,unit\n"
                                        "p1,2024-01-01,platelets,150000,10*9/L\n"
                                        "p1,2024-01-02,platelets,150000,/uL\n")});
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "platelets").size() == 1);
        CHECK(l.rejected("implausible-value").origin.line == 2);
    }
    SECTION("FHIR: a valueQuantity outside the range is rejected with its path") {
        auto l = load_paths({d.write("f.json",
            R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1"}},)"
            R"({"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},)"
            R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":1120,"unit":"g/L"}}}]})")});
        auto r = l.rejected("implausible-value");
        CHECK(r.detail.find("1120 g/L is above any physiological hemoglobin") != std::string::npos);
    }
}
