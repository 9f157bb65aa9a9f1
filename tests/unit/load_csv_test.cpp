// CSV long format: columns, RFC 4180 quoting, observations by name or code,
// censoring, treatments and their periods, patient rows, and every rejection
// reason with its line and column.
#include <catch2/catch.hpp>

#include "support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <stdlib.h>

#include "data/load_csv.hpp"
#include "data/load_data.hpp"

using namespace crit;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {



const std::string kHeader = "patient_id,time,concept,value,unit,code_system,code\n";

struct Loaded : LoadedData {};

Loaded load(const std::string& text) {
    Loaded l;
    l.ok = load_csv_text(
        "c.csv", text, bindings(), [&](Timeline&& t) { l.patients.push_back(std::move(t)); }, l.rejects, l.diags);
    return l;
}

}  // namespace

TEST_CASE("CSV: observations by concept name, converted to the concept's unit", "[csv]") {
    auto l = load(kHeader +
                  "p1,2024-01-05,lymphocytes,48,10*9/L,,\n"
                  "p1,2024-01-06,lymphocytes,1500,/uL,,\n"
                  "p1,2024-01-07,lymphocytes,1.6,10*3/uL,,\n"
                  "p1,2024-01-05,hemoglobin,10.2,g/dL,,\n"
                  "p1,2024-01-06,hemoglobin,\"12.9 g/dL\",,,\n"  // the unit in the value, as in YAML
                  "p1,2024-01-05,hepatomegaly,false,,,\n"
                  "p1,2024-01-05,b_symptoms,YES,,,\n"
                  "p1,2024-01-05,marrow_cellularity,Normocellular,,,\n");
    INFO(l.summary());
    REQUIRE(l.rejects.empty());
    const Timeline& t = l.one();
    auto ly = obs(t, "lymphocytes");
    REQUIRE(ly.size() == 3);
    CHECK(ly[0].value == Approx(48));
    CHECK(ly[1].value == Approx(1.5));
    CHECK(ly[1].original_unit == "/uL");
    CHECK(ly[2].value == Approx(1.6));
    auto hb = obs(t, "hemoglobin");
    REQUIRE(hb.size() == 2);
    CHECK(hb[0].value == Approx(102));
    CHECK(hb[1].value == Approx(129));
    CHECK(only(t, "hepatomegaly").value == 0);
    CHECK(only(t, "b_symptoms").value == 1);
    CHECK(only(t, "marrow_cellularity").value == 0);
    const Origin& o = t.origins[ly[1].origin];
    CHECK(o.file == "c.csv");
    CHECK(o.line == 3);
}

TEST_CASE("CSV: the concept from code_system + code, with site for shared codes", "[csv]") {
    auto l = load(
        "patient_id,time,concept,value,unit,code_system,code,site\n"
        "p1,2024-01-05,,48,10*9/L,http://loinc.org,731-0,\n"
        "p1,2024-09-05,,<0.005,%,http://loinc.org,67128-9,marrow\n"
        "p1,2024-09-06,,0.5,%,http://loinc.org,67128-9,blood\n"
        "p1,2024-09-07,mrd_marrow,0.1,%,http://loinc.org,67128-9,\n"
        "p1,2024-09-08,,0.7,%,http://loinc.org,67128-9,\n"                // no site: blood (unsited)
        "p1,2024-09-08,,5.5,mmol/L,http://loinc.org,2345-7,\n"            // glucose: unbound
        "p1,2024-09-08,platelets,100,10*9/L,http://loinc.org,731-0,\n");  // disagree
    const Timeline& t = l.one();
    CHECK(only(t, "lymphocytes").value == Approx(48));
    auto bm = obs(t, "mrd_marrow");
    REQUIRE(bm.size() == 2);
    CHECK(bm[0].comparator == Comparator::Lt);
    CHECK(bm[0].site == Site::Marrow);
    auto pb = obs(t, "mrd_blood");
    REQUIRE(pb.size() == 2);
    CHECK(pb[0].site == Site::Blood);
    CHECK(pb[1].value == Approx(0.7));  // no site: read as blood (`unsited: blood` in the bindings)
    CHECK(l.with("missing-site").empty());
    auto ub = l.rejected("unbound-code");
    CHECK(ub.origin.line == 7);
    CHECK(ub.origin.path == "code");
    auto bad = l.rejected("bad-value");
    CHECK(bad.origin.line == 8);
    CHECK(bad.detail.find("lymphocytes") != std::string::npos);
}

TEST_CASE("CSV: censored values, comparator and detection_limit columns", "[csv]") {
    auto l = load(
        "patient_id,time,concept,value,unit,comparator,detection_limit\n"
        "p1,2024-01-01,mrd_blood,<0.01,%,,\n"
        "p1,2024-01-02,mrd_blood,<=0.01,%,,\n"
        "p1,2024-01-03,mrd_blood,0.02,%,>,\n"
        "p1,2024-01-04,mrd_blood,\">=0.03\",%,,\n"
        "p1,2024-01-05,mrd_marrow,0.002,%,<,0.001\n"
        "p1,2024-01-06,mrd_marrow,0.0001,1,<,0.01 %\n"
        "p1,2024-01-07,mrd_marrow,<0.002,%,>,\n");  // disagree
    const Timeline& t = l.one();
    auto pb = obs(t, "mrd_blood");
    REQUIRE(pb.size() == 4);
    CHECK(pb[0].comparator == Comparator::Lt);
    CHECK(pb[0].value == Approx(0.01));
    CHECK(pb[1].comparator == Comparator::Le);
    CHECK(pb[2].comparator == Comparator::Gt);
    CHECK(pb[3].comparator == Comparator::Ge);
    auto bm = obs(t, "mrd_marrow");
    REQUIRE(bm.size() == 2);
    CHECK(bm[0].detection_limit == Approx(0.001));
    CHECK(bm[1].value == Approx(0.01));
    CHECK(bm[1].detection_limit == Approx(0.01));
    auto r = l.rejected("bad-value");
    CHECK(r.origin.line == 8);
    CHECK(r.origin.path == "comparator");
}

TEST_CASE("CSV: treatments, periods and continuous therapy, diagnosis and birth date", "[csv]") {
    auto l = load(kHeader +
                  "p1,1956-04-12,birth_date,,,,\n"
                  "p1,2023-11-02,diagnosis,CLL,,,\n"
                  "p1,2024-01-10/2024-06-20,treatment,FCR,,,\n"
                  "p1,2024-07-01,treatment,ibrutinib,,,\n"
                  "p1,2024-08-01/,treatment,venetoclax,,,\n"
                  "p1,2024-09-01,treatment,,,http://www.nlm.nih.gov/research/umls/rxnorm,121191\n"
                  "p1,2024-10-01T08:00:00-04:00/2024-10-02,treatment,chlorambucil,,,\n"
                  "p1,2024-11-01,treatment,experimental-x,,,\n");
    INFO(l.summary());
    // A drug the bindings do not name is a rejection (unknown-drug), not a treatment without classes.
    REQUIRE(l.rejects.size() == 1);
    CHECK(l.rejected("unknown-drug").origin.line == 9);
    const Timeline& t = l.one();
    CHECK(t.birth_date == day("1956-04-12"));
    CHECK(t.diagnosis == "CLL");
    CHECK(t.diagnosis_date == day("2023-11-02"));
    REQUIRE(t.treatments.size() == 5);
    CHECK(t.treatments[0].drug == "FCR");
    CHECK(t.treatments[0].end == day("2024-06-20"));
    CHECK(has_class(t.treatments[0], "cll_chemoimmunotherapy"));
    CHECK(t.treatments[1].drug == "ibrutinib");
    CHECK_FALSE(t.treatments[1].end);
    CHECK(has_class(t.treatments[1], "btk_inhibitor"));
    CHECK_FALSE(t.treatments[2].end);
    CHECK(t.treatments[3].drug == "rituximab");
    CHECK(t.treatments[4].drug == "chlorambucil");
    CHECK(t.treatments[4].start == day("2024-10-01"));  // the date as written in its own offset
}

TEST_CASE("CSV: the optional phase column gives a treatment its phase and the phase's classes", "[csv][phase]") {
    auto l = load("patient_id,time,concept,value,unit,phase\n"
                  "p1,2024-01-10/2024-02-07,treatment,vincristine,,Induction\n"
                  "p1,2024-03-01/2024-03-20,treatment,cytarabine,,intensification\n"
                  "p1,2024-04-01,treatment,mercaptopurine,,maintenance\n"
                  "p1,2024-05-01,treatment,vincristine,,\n"
                  "p1,2024-06-01,treatment,blinatumomab,,salvage\n"     // 6 unknown-phase
                  "p1,2024-02-08,platelets,160,10*9/L,induction\n");  // 7 a phase on a result row
    INFO(l.summary());
    const Timeline& t = l.one();
    REQUIRE(t.treatments.size() == 4);
    auto phase = [&](const Treatment& tr) { return tr.phase < 0 ? std::string("-") : bindings().phases[tr.phase].name; };
    CHECK(phase(t.treatments[0]) == "induction");
    CHECK(has_class(t.treatments[0], "all_induction"));
    CHECK(phase(t.treatments[1]) == "consolidation");
    CHECK(has_class(t.treatments[1], "all_consolidation"));
    CHECK_FALSE(has_class(t.treatments[1], "all_induction"));
    CHECK(phase(t.treatments[2]) == "maintenance");
    CHECK(phase(t.treatments[3]) == "-");
    CHECK_FALSE(has_class(t.treatments[3], "all_induction"));
    auto unknown = l.rejected("unknown-phase");
    CHECK(unknown.origin.line == 6);
    CHECK(unknown.origin.path == "phase");
    CHECK(unknown.detail.find("`salvage` is not a phase") != std::string::npos);
    auto stray = l.rejected("bad-value");
    CHECK(stray.origin.line == 7);
    CHECK(stray.origin.path == "phase");
    CHECK(only(t, "platelets").value == Approx(160));  // the result itself is still read
}

TEST_CASE("CSV: RFC 4180 quoting, CRLF, byte order mark, rows of patients interleaved", "[csv]") {
    auto l = load(
        "\xEF\xBB\xBFpatient_id,time,concept,value,unit,note\r\n"
        "\"p,2\",2024-01-05,platelets,100,10*9/L,\"said \"\"fine\"\", then\r\nleft\"\r\n"
        "p1,2024-01-05,platelets,90,10*9/L,\r\n"
        "\r\n"
        "\"p,2\",2024-01-06,\"platelets\",110,\"10*9/L\",\r\n");
    INFO(l.summary() << render(l.diags));
    REQUIRE(l.rejects.empty());
    REQUIRE(l.patients.size() == 2);
    CHECK(l.patients[0].patient_id == "p,2");
    CHECK(obs(l.patients[0], "platelets").size() == 2);
    CHECK(l.patients[1].patient_id == "p1");
    const Origin& o = l.patients[1].origins[only(l.patients[1], "platelets").origin];
    CHECK(o.line == 4);  // the quoted field of line 2 ran over line 3
}

TEST_CASE("CSV: every rejection reason with line and column", "[csv]") {
    auto l = load(kHeader +
                  "p1,2024-01-01,lymphocytez,1,10*9/L,,\n"       // 2 unknown-concept
                  "p1,2024-01-01,lymphocytes,1,furlongs,,\n"     // 3 unknown-unit
                  "p1,2024-01-01,hemoglobin,12,10*9/L,,\n"       // 4 unit-dimension
                  "p1,2024-01-01,lymphocytes,1,,,\n"             // 5 missing-unit
                  "p1,2024-02-30,lymphocytes,1,10*9/L,,\n"       // 6 bad-date
                  "p1,2024-01-01,lymphocytes,,10*9/L,,\n"        // 7 missing-value
                  "p1,2024-01-01,hepatomegaly,maybe,,,\n"        // 8 bad-value
                  "p1,2024-06-01/2024-01-01,treatment,FCR,,,\n"  // 9 bad-period
                  "p1,2024-01-01,lymphocytes,1\n"                // 10 bad-record: fields
                  ",2024-01-01,lymphocytes,1,10*9/L,,\n"         // 11 bad-record: no patient
                  "p1,2024-01-01,treatment,,,http://www.nlm.nih.gov/research/umls/rxnorm,999\n"  // 12 unbound-code
                  "p1,2024-01-01,diagnosis,CLL,,,\n"                                             // 13
                  "p1,2024-01-01,diagnosis,ALL,,,\n"               // 14 conflicting-diagnosis
                  "p1,2024-01-01,,1,,,\n"                          // 15 bad-record: no concept, no code
                  "p1,2024-01-01,hepatomegaly,true,cm,,\n"         // 16 bad-value: unit on a boolean
                  "p1,2024-01-01,lymphocytes,1,10*9/L,\"open\n");  // 17 bad-record: unclosed quote
    INFO(l.summary());
    CHECK(l.one().observations.empty());
    auto at = [&](const std::string& reason, std::uint32_t line, const std::string& column) {
        INFO(reason << " line " << line);
        bool found = false;
        for (const auto& r : l.with(reason))
            if (r.origin.line == line) {
                found = true;
                CHECK(r.origin.file == "c.csv");
                CHECK(r.origin.path == column);
                CHECK_FALSE(r.detail.empty());
            }
        CHECK(found);
    };
    at("unknown-concept", 2, "concept");
    at("unknown-unit", 3, "unit");
    at("unit-dimension", 4, "unit");
    at("missing-unit", 5, "value");
    at("bad-date", 6, "time");
    at("missing-value", 7, "value");
    at("bad-value", 8, "value");
    at("bad-period", 9, "time");
    at("bad-record", 10, "");
    at("bad-record", 11, "patient_id");
    at("unbound-code", 12, "code");
    at("conflicting-diagnosis", 14, "value");
    at("bad-record", 15, "concept");
    at("bad-value", 16, "unit");
    at("bad-record", 17, "");
    CHECK(l.rejected("unknown-concept").detail.find("did you mean `lymphocytes`") != std::string::npos);
    CHECK(l.rejects.size() == 15);
}

TEST_CASE("CSV: a header without the required columns is a diagnostic, unknown columns warn", "[csv]") {
    auto bad = load("patient,time,concept,value\np1,2024-01-01,platelets,100\n");
    CHECK_FALSE(bad.ok);
    CHECK(bad.patients.empty());
    CHECK(render(bad.diags).find("lacks patient_id") != std::string::npos);
    auto warn = load("patient_id,time,concept,value,unit,comment\np1,2024-01-01,platelets,100,10*9/L,x\n");
    CHECK(warn.ok);
    CHECK_FALSE(warn.diags.has_errors());
    CHECK(render(warn.diags).find("`comment`") != std::string::npos);
    CHECK(only(warn.one(), "platelets").value == Approx(100));
    auto semi = load("patient_id;time;concept;value;unit\np1;2024-01-01;platelets;100;10*9/L\n");
    CHECK_FALSE(semi.ok);
    CHECK(render(semi.diags).find("semicolon-separated") != std::string::npos);
    auto empty = load("");
    CHECK_FALSE(empty.ok);
}

TEST_CASE("CSV files are found by load_patients, with or without the .csv name", "[csv][data]") {
    std::string tmpl = (fs::temp_directory_path() / "crit-csv-XXXXXX").string();
    fs::path dir = mkdtemp(tmpl.data());
    std::ofstream(dir / "a.csv") << kHeader << "p1,2024-01-01,platelets,100,10*9/L,,\n";
    std::ofstream(dir / "export.txt") << kHeader << "p2,2024-01-01,platelets,100,10*9/L,,\n";
    std::ofstream(dir / "README.md") << "# not data\n";
    LoadResult r;
    Diagnostics d;
    load_patients({dir.string(), (dir / "export.txt").string()}, bindings(), r, d);
    INFO(render(d));
    CHECK_FALSE(d.has_errors());
    REQUIRE(r.patients.size() == 2);
    CHECK(r.patients[0].patient_id == "p1");
    CHECK(r.patients[1].patient_id == "p2");
    fs::remove_all(dir);
}

TEST_CASE("the reject reason table: stable strings, unique, found by name", "[records]") {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < reject_reason_count(); ++i) {
        auto r = static_cast<RejectReason>(i);
        std::string name = reject_reason_name(r);
        INFO(name);
        CHECK(seen.insert(name).second);
        CHECK(reject_reason_by_name(name) == r);
        CHECK(std::string(reject_reason_meaning(r)).size() > 10);
    }
    CHECK(reject_reason_name(RejectReason::UnboundCode) == std::string("unbound-code"));
    CHECK(is_skip(RejectReason::UnboundCode));
    CHECK_FALSE(is_skip(RejectReason::Status));
    CHECK_FALSE(reject_reason_by_name("unbound_code").has_value());
}
