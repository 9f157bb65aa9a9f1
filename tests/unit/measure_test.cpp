// A concept with measures of different dimensions (`measure_of` in the bindings):
// `lymphocytes` is the absolute count (LOINC 731-0, 10*9/L) and, through
// `lymphocytes_percent`, the share of leukocytes (LOINC 736-9, %). The unit a rule
// writes picks the measure; data that name concepts (YAML, CSV) file a value by its
// unit. Each stage: the bindings loader, the checker, the compiler, the loaders and
// a run of the project's one-liner `CR: lymphocytes < 30% for 2mo`.
#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include "lang/ast_print.hpp"
#include "lang/check.hpp"
#include "lang/driver.hpp"
#include "data/load_csv.hpp"
#include "data/load_yaml.hpp"
#include "lang/parse.hpp"
#include "vm/temporal.hpp"
#include "vm/vm.hpp"

using namespace crit;
namespace fs = std::filesystem;

namespace {


// Loads `text` as a bindings file (in a fresh temporary directory).
std::optional<Bindings> load_text(const std::string& text, Diagnostics& d) {
    static int n = 0;
    fs::path dir = fs::temp_directory_path() /
                   ("crit-measure-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir);
    fs::path p = dir / "b.yaml";
    std::ofstream(p) << text;
    return load_bindings(p.string(), d);
}

bool mentions(const Diagnostics& d, const std::string& text, int line) {
    for (const auto& x : d.items())
        if (x.message.find(text) != std::string::npos && x.at.line == line && x.code == DiagCode::Bindings)
            return true;
    return false;
}

// A quantity concept entry, as the tests below write them.
std::string quantity(const std::string& name, const std::string& unit, const std::string& extra = "") {
    return "  " + name + ":\n    unit: \"" + unit + "\"\n" + extra;
}

// Compiles `text` with the shipped bindings; the diagnostics go to `d`.
Compilation compile(const std::string& text, Diagnostics& d) {
    return compile_source(std::make_shared<SourceFile>("m.crit", text), d);
}

// The first criterion's body after check.
const Expr& body(const Compilation& c, std::size_t i = 0) { return *c.module->criteria.at(i).body; }

// The first Compare or Change node under `e`.
const Expr* relation(const Expr& e) {
    if (e.kind == ExprKind::Compare || e.kind == ExprKind::Change) return &e;
    for (const auto& k : e.kids)
        if (k)
            if (const Expr* r = relation(*k)) return r;
    return nullptr;
}

const Diagnostic* first_error(const Diagnostics& d) {
    for (const auto& x : d.items())
        if (x.severity == Severity::Error) return &x;
    return nullptr;
}

}  // namespace

// ---- bindings -------------------------------------------------------------------------

TEST_CASE("measures: the shipped lymphocyte share is a measure of lymphocytes", "[measures][bindings]") {
    const Bindings& b = bindings();
    const Concept& share = b.concepts[cid("lymphocytes_percent")];
    const Concept& count = b.concepts[cid("lymphocytes")];
    REQUIRE(share.measure_of.has_value());
    CHECK(*share.measure_of == cid("lymphocytes"));
    CHECK(share.unit.dim == Dimension::Fraction);
    CHECK(share.site == Site::Blood);
    CHECK(count.measures == std::vector<ConceptId>{cid("lymphocytes_percent")});
    CHECK_FALSE(count.measure_of.has_value());
    // The data contract: lymphocytes as a share of leukocytes, LOINC 736-9 (also 26478-8), %.
    CHECK(b.concept_by_code("http://loinc.org", "736-9") == cid("lymphocytes_percent"));
    CHECK(b.concept_by_code("http://loinc.org", "26478-8") == cid("lymphocytes_percent"));
    CHECK(b.concept_by_code("http://loinc.org", "731-0") == cid("lymphocytes"));
    // measure_with: the concept itself, its measure, or nothing.
    CHECK(b.measure_with(cid("lymphocytes"), Dimension::NumberConc) == cid("lymphocytes"));
    CHECK(b.measure_with(cid("lymphocytes"), Dimension::Fraction) == cid("lymphocytes_percent"));
    CHECK_FALSE(b.measure_with(cid("lymphocytes"), Dimension::Length));
    CHECK_FALSE(b.measure_with(cid("lymphocytes_percent"), Dimension::NumberConc));  // measures do not lead back
    CHECK_FALSE(b.measure_with(cid("hepatomegaly"), Dimension::None));
    // Appended last: the ids of the other concepts did not move.
    CHECK(cid("lymphocytes") == 0);
    CHECK(cid("lymphocytes_percent") == b.concepts.size() - 1);
}

TEST_CASE("measures: the bindings loader accepts measure_of in any order", "[measures][bindings]") {
    Diagnostics d;
    auto b = load_text("concepts:\n" + quantity("cells_pct", "%", "    measure_of: cells\n") +
                           quantity("cells", "10*9/L") + quantity("cells_mass", "g/L", "    measure_of: cells\n"),
                       d);
    INFO(render(d));
    REQUIRE(b.has_value());
    CHECK(d.items().empty());
    ConceptId cells = *b->concept_by_name("cells");
    CHECK(b->concepts[cells].measures.size() == 2);
    CHECK(b->measure_with(cells, Dimension::Fraction) == b->concept_by_name("cells_pct"));
    CHECK(b->measure_with(cells, Dimension::MassConc) == b->concept_by_name("cells_mass"));
}

TEST_CASE("measures: invalid measure_of is reported at its line", "[measures][bindings]") {
    Diagnostics d;
    SECTION("an unknown target, with a suggestion") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + quantity("cells_pct", "%", "    measure_of: cels\n"), d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "concept `cells_pct` is `measure_of: cels`, which `concepts:` does not declare", 6));
        CHECK(d.items().at(0).suggestion == "cells");
        CHECK(d.items().at(0).at.file.find("b.yaml") != std::string::npos);
    }
    SECTION("itself") {
        auto b = load_text("concepts:\n" + quantity("cells", "%", "    measure_of: cells\n"), d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "cannot be a measure of itself", 4));
    }
    SECTION("the same dimension as the target") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + quantity("cells_ul", "/uL", "    measure_of: cells\n"), d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "but `cells` is a cell count (per volume) too (in 10*9/L)", 6));
    }
    SECTION("the same dimension as another measure of the target") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + quantity("a_pct", "%", "    measure_of: cells\n") +
                               quantity("b_pct", "1", "    measure_of: cells\n"),
                           d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "concept `b_pct` is `measure_of: cells`, but its measure `a_pct` is a percentage too", 9));
    }
    SECTION("a target that is not a quantity") {
        auto b = load_text("concepts:\n  flag: {kind: boolean}\n" + quantity("flag_pct", "%", "    measure_of: flag\n"), d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "`measure_of` links quantity concepts, but `flag` is boolean", 5));
    }
    SECTION("a measure that is not a quantity") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") +
                               "  cells_seen:\n    kind: boolean\n    measure_of: cells\n",
                           d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "`measure_of` links quantity concepts, but `cells_seen` is boolean", 6));
    }
    SECTION("a measure of a measure") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + quantity("cells_pct", "%", "    measure_of: cells\n") +
                               quantity("cells_mass", "g/L", "    measure_of: cells_pct\n"),
                           d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "but `cells_pct` is itself a measure of another concept", 9));
    }
    SECTION("a measure without a unit") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + "  cells_n:\n    unit: none\n    measure_of: cells\n", d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "but `cells_n` has `unit: none`", 6));
    }
    SECTION("not a single name") {
        auto b = load_text("concepts:\n" + quantity("cells", "10*9/L") + quantity("cells_pct", "%", "    measure_of: [cells]\n"), d);
        CHECK_FALSE(b);
        CHECK(mentions(d, "`measure_of` must be a single value", 6));
    }
}

// ---- checker and compiler ----------------------------------------------------------------

TEST_CASE("measures: the one-liner checks clean and reads the lymphocyte share", "[measures][check]") {
    Diagnostics d;
    auto c = compile("CR: lymphocytes < 30% for 2mo\n", d);
    INFO(render(d));
    CHECK_FALSE(d.has_errors());
    for (const auto& x : d.items()) CHECK(x.code == DiagCode::NoCitation);  // the only warning
    REQUIRE(c.program);
    const Expr* rel = relation(body(c));
    REQUIRE(rel);
    const Expr& subj = *rel->kids[0];
    CHECK(subj.text == "lymphocytes");  // the AST keeps what the author wrote
    CHECK(subj.r.index == cid("lymphocytes_percent"));
    CHECK(subj.r.subject_concept == cid("lymphocytes_percent"));
    CHECK(rel->r.subject_concept == cid("lymphocytes_percent"));
    CHECK(subj.r.measure == "lymphocytes_percent");
    CHECK(dump_module(*c.module) == "(criterion CR (for 2mo (< lymphocytes[lymphocytes_percent] 30%)))\n");
    CHECK(expr_source(*rel) == "lymphocytes < 30%");
    // The compiler loads the measure the unit picked.
    const Program& p = *c.program;
    REQUIRE(p.code.size() >= 1);
    CHECK(p.code[0].op == Op::LOAD_Q);
    CHECK(p.code[0].a == cid("lymphocytes_percent"));
}

TEST_CASE("measures: the unit picks the measure, in every kind of relation", "[measures][check]") {
    const char* text =
        "therapy = first treatment of class cll_therapy\n"
        "baseline = last value within 90d before therapy.start\n"
        "normal lymphocytes < 4 x10^9/L\n"
        "normal lymphocytes < 30%\n"
        "Count: lymphocytes < 4 x10^9/L\n"
        "Share: lymphocytes < 30%\n"
        "Both: lymphocytes < 4 x10^9/L or < 30%\n"
        "Relative: lymphocytes decreased >= 50% from baseline\n"
        "AbsCount: lymphocytes decreased by >= 1 x10^9/L from baseline\n"
        "AbsShare: lymphocytes decreased by >= 10% from baseline\n"
        "Direct: lymphocytes_percent < 30%\n"
        "Known: known lymphocytes\n"
        "Among:\n"
        "  at least 1 of, among abnormal at baseline:\n"
        "    lymphocytes < 4 x10^9/L\n"
        "    lymphocytes < 30%\n";
    Diagnostics d;
    auto c = compile(text, d);
    INFO(render(d));
    REQUIRE_FALSE(d.has_errors());
    REQUIRE(c.program);
    auto subject_of = [&](std::size_t i) { return subject_concept_of(body(c, i)); };
    const int count = cid("lymphocytes"), share = cid("lymphocytes_percent");
    CHECK(subject_of(0) == count);
    CHECK(subject_of(1) == share);
    // `or < 30%` borrows the name and picks its own measure.
    const Expr& both = body(c, 2);
    REQUIRE(both.kind == ExprKind::Or);
    CHECK(both.kids[0]->r.subject_concept == count);
    CHECK(both.kids[1]->r.subject_concept == share);
    CHECK(both.kids[1]->kids[0]->text == "lymphocytes");
    CHECK(subject_of(3) == count);  // a relative change (a percentage of the reference) keeps the concept written
    CHECK(subject_of(4) == count);
    CHECK(subject_of(5) == share);  // an absolute change picks by the amount's unit
    CHECK(subject_of(6) == share);
    CHECK(body(c, 6).kids[0]->r.measure.empty());  // named directly: no measure was picked
    CHECK(subject_of(7) == count);
    // Each normal range belongs to the measure its unit picked.
    const Program& p = *c.program;
    CHECK(p.normal_item_of_concept.at(count) >= 0);
    CHECK(p.normal_item_of_concept.at(share) >= 0);
    CHECK(p.normal_item_of_concept.at(count) != p.normal_item_of_concept.at(share));
    CHECK(p.items.at(p.normal_item_of_concept.at(share)).name == "normal lymphocytes[lymphocytes_percent]");
    CHECK(p.items.at(p.normal_item_of_concept.at(count)).name == "normal lymphocytes");
    // The CHANGE instruction names the measure too.
    bool change_share = false;
    for (const auto& in : p.code)
        if (in.op == Op::CHANGE && in.a == share) change_share = true;
    CHECK(change_share);
}

TEST_CASE("measures: a unit that fits no measure is still unit-dimension, with every measure in the notes",
          "[measures][check]") {
    Diagnostics d;
    auto c = compile("CR: lymphocytes < 3 cm\n", d);
    const Diagnostic* e = first_error(d);
    REQUIRE(e);
    CHECK(e->code == DiagCode::UnitMismatch);
    CHECK(e->message ==
          "`3 cm` is a length, but it is compared with `lymphocytes`, which is a cell count (per volume) or a percentage");
    REQUIRE(e->notes.size() == 2);
    CHECK(e->notes[0] == "`lymphocytes` (Absolute lymphocyte count) is measured in 10*9/L");
    CHECK(e->notes[1] ==
          "compared with a percentage (in %), `lymphocytes` reads its measure `lymphocytes_percent` (Lymphocytes (% of "
          "leukocytes))");
    CHECK(d.error_count() == 1);
}

TEST_CASE("measures: other unit errors are unchanged", "[measures][check]") {
    SECTION("a missing unit is not a plain-number measure") {
        Diagnostics d;
        compile("CR: lymphocytes < 30\n", d);
        const Diagnostic* e = first_error(d);
        REQUIRE(e);
        CHECK(e->code == DiagCode::MissingUnit);
        CHECK(e->message == "`30` has no unit, but `lymphocytes` is a cell count (per volume) or a percentage");
    }
    SECTION("a measure named directly takes only its own unit; the help names its concept") {
        Diagnostics d;
        compile("CR: lymphocytes_percent < 4 x10^9/L\n", d);
        const Diagnostic* e = first_error(d);
        REQUIRE(e);
        CHECK(e->code == DiagCode::UnitMismatch);
        CHECK(e->suggestion == "lymphocytes");
    }
    SECTION("a relative change still needs a percentage") {
        Diagnostics d;
        compile("therapy = first treatment of class cll_therapy\n"
                "baseline = last value within 90d before therapy.start\n"
                "CR: lymphocytes decreased >= 1 x10^9/L from baseline\n",
                d);
        const Diagnostic* e = first_error(d);
        REQUIRE(e);
        CHECK(e->code == DiagCode::UnitMismatch);
        CHECK(e->message.find("a relative change is a percentage of the reference") != std::string::npos);
    }
    SECTION("two normal ranges of one measure") {
        Diagnostics d;
        compile("therapy = first treatment of class cll_therapy\n"
                "baseline = last value within 90d before therapy.start\n"
                "normal lymphocytes < 30%\n"
                "normal lymphocytes <= 35%\n",
                d);
        const Diagnostic* e = first_error(d);
        REQUIRE(e);
        CHECK(e->code == DiagCode::Redefined);
        CHECK(e->message == "the normal range of `lymphocytes` as `lymphocytes_percent` is given twice");
    }
}

// ---- data ----------------------------------------------------------------------------------

TEST_CASE("measures: YAML values of lymphocytes go to the measure their unit fits", "[measures][yaml]") {
    std::vector<Rejection> rejects;
    Timeline t = timeline_from_yaml(YAML::Load(R"(
patient: y
timeline:
  - {date: 2024-01-10, lymphocytes: 25 %}
  - {date: 2024-01-11, lymphocytes: 2500 /uL}
  - {date: 2024-01-12, concept: lymphocytes, value: 20, unit: "%"}
  - {date: 2024-01-13, lymphocytes: {value: "<10 %"}}
  - {date: 2024-01-14, lymphocytes: 3 cm}
)"),
                                    "m.yaml", bindings(), rejects);
    auto [cb, ce] = t.series(cid("lymphocytes"));
    auto [sb, se] = t.series(cid("lymphocytes_percent"));
    REQUIRE(ce - cb == 1);
    CHECK(cb->value == Approx(2.5));
    REQUIRE(se - sb == 3);
    CHECK(sb[0].value == 25);
    CHECK(sb[0].original_unit == "%");
    CHECK(sb[0].site == Site::Blood);
    CHECK(sb[1].value == 20);
    CHECK(sb[2].comparator == Comparator::Lt);
    // A unit no measure fits is rejected as before, against the concept written.
    REQUIRE(rejects.size() == 1);
    CHECK(reason_of(rejects[0]) == "unit-dimension");
    CHECK(rejects[0].detail.find("lymphocytes is a cell count") != std::string::npos);
}

TEST_CASE("measures: CSV rows by name go by unit, rows with a code by the code", "[measures][csv]") {
    const char* csv =
        "patient_id,time,concept,value,unit,code_system,code\n"
        "c,2024-01-10,lymphocytes,25,%,,\n"
        "c,2024-01-11,lymphocytes,20 %,,,\n"
        "c,2024-01-12,lymphocytes,1.5,10*9/L,,\n"
        "c,2024-01-13,lymphocytes,22,%,http://loinc.org,736-9\n"
        "c,2024-01-14,,21,%,http://loinc.org,26478-8\n"
        "c,2024-01-15,lymphocytes,22,%,http://loinc.org,731-0\n"
        "c,2024-01-16,lymphocytes_percent,1.5,10*9/L,,\n";
    std::vector<Timeline> out;
    std::vector<Rejection> rejects;
    Diagnostics d;
    load_csv_text("m.csv", csv, bindings(), [&](Timeline&& t) { out.push_back(std::move(t)); }, rejects, d);
    INFO(render(d));
    REQUIRE(out.size() == 1);
    auto [cb, ce] = out[0].series(cid("lymphocytes"));
    auto [sb, se] = out[0].series(cid("lymphocytes_percent"));
    CHECK(ce - cb == 1);
    CHECK(se - sb == 4);
    // The code decides (731-0 is the count, so % does not fit); a measure named directly takes only its unit.
    REQUIRE(rejects.size() == 2);
    CHECK(reason_of(rejects[0]) == "unit-dimension");
    CHECK(rejects[0].origin.line == 7);
    CHECK(reason_of(rejects[1]) == "unit-dimension");
    CHECK(rejects[1].origin.line == 8);
}

// ---- a run -----------------------------------------------------------------------------------

TEST_CASE("measures: the one-liner over a YAML timeline of lymphocyte shares", "[measures][vm]") {
    Diagnostics d;
    auto c = compile("CR: lymphocytes < 30% for 2mo\n", d);
    INFO(render(d));
    REQUIRE(c.program);
    std::vector<Rejection> rejects;
    Timeline t = timeline_from_yaml(YAML::Load(R"(
patient: demo
timeline:
  - {date: 2024-01-10, lymphocytes: 25 %}
  - {date: 2024-02-10, lymphocytes: 20 %}
  - {date: 2024-04-20, lymphocytes: 22 %}
)"),
                                    "demo.yaml", *c.bindings, rejects);
    CHECK(rejects.empty());
    EvalContext ctx;
    auto& ev = evaluate(*c.program, t, std::nullopt, ctx);
    const Value& v = ev.slots.at(0);
    REQUIRE(v.kind == Type::Truth);
    // Met once two months of results below 30% lie behind the day; unknown before, when the
    // window reaches back before the first data.
    std::string segments;
    for (const auto& g : v.t)
        segments += (segments.empty() ? "" : " | ") + format_day(g.start) + " " +
                    (g.v == Truth::Met ? "M" : g.v == Truth::NotMet ? "N" : "U");
    CHECK(segments == "2024-01-10 U | 2024-03-10 M");
    CHECK(format_day(ev.domain.hi) == "2024-04-20");

    // A 35 % result in the window breaks it.
    Timeline high = timeline_from_yaml(YAML::Load(R"(
patient: high
timeline:
  - {date: 2024-01-10, lymphocytes: 25 %}
  - {date: 2024-02-10, lymphocytes: 35 %}
  - {date: 2024-04-20, lymphocytes: 22 %}
)"),
                                       "high.yaml", *c.bindings, rejects);
    auto& ev2 = evaluate(*c.program, high, std::nullopt, ctx);
    CHECK(sample(ev2.slots.at(0).t, ev2.domain, *parse_day("2024-04-20")) == Truth::NotMet);
    // Absolute counts are another measure: they say nothing about the share.
    Timeline counts = timeline_from_yaml(YAML::Load(R"(
patient: counts
timeline:
  - {date: 2024-01-10, lymphocytes: 1 x10^9/L}
  - {date: 2024-04-20, lymphocytes: 1 x10^9/L}
)"),
                                         "counts.yaml", *c.bindings, rejects);
    auto& ev3 = evaluate(*c.program, counts, std::nullopt, ctx);
    CHECK(sample(ev3.slots.at(0).t, ev3.domain, *parse_day("2024-04-20")) == Truth::Unknown);
}
