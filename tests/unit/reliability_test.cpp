// Hostile inputs (issue 12): each is a stated rejection or diagnostic, never a crash,
// a hang, unbounded memory, or another patient's data.
#include <catch2/catch.hpp>

#include "support.hpp"

#include <filesystem>
#include <fstream>

#include <stdlib.h>
#include <sys/stat.h>

#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "data/load_data.hpp"
#include "lang/driver.hpp"

#include <fmt/format.h>

using namespace crit;
namespace fs = std::filesystem;

namespace {

using Dir = TempDir;


std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("deeply nested JSON is one rejected record or Bundle, not a crash", "[reliability]") {
    Dir d;
    SECTION("an NDJSON line 50,000 levels deep: that record only") {
        std::string p = d.write("export/Patient.ndjson", R"({"resourceType":"Patient","id":"p1"})" "\n");
        std::string o = d.write("export/Observation.ndjson",
                                R"({"resourceType":"Observation","subject":{"reference":"Patient/p1"},"x":)" +
                                    nested(50000) + "}\n");
        auto l = load_paths({(d.path / "export").string()});
        REQUIRE(l.patients.size() == 1);
        auto r = l.rejected("bad-json");
        CHECK(r.detail.find("nests more than 64 levels deep") != std::string::npos);
        CHECK(r.origin.line == 1);
    }
    SECTION("a Bundle with a resource 50,000 levels deep: the Bundle, with a diagnostic") {
        d.write("b.json", R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1","x":)" +
                              nested(50000) + "}}]}");
        auto l = load_paths({(d.path / "b.json").string()});
        CHECK(l.patients.empty());
        REQUIRE(l.diags.has_errors());
        CHECK(render(l.diags).find("nests more than 64 levels deep") != std::string::npos);
        CHECK(render(l.diags).size() < 2000);  // the 100 KB line is cited as a window
    }
    SECTION("a YAML value 100,000 levels deep: a diagnostic") {
        d.write("deep.yaml", "patient: p1\ntimeline:\n  - {date: 2024-01-01, platelets: " + nested(100000) + "}\n");
        auto l = load_paths({(d.path / "deep.yaml").string()});
        CHECK(l.patients.empty());
        CHECK(l.diags.has_errors());
    }
}

TEST_CASE("a YAML file holding just `,` is refused, without unbounded memory", "[reliability]") {
    Dir d;
    auto l = load_paths({d.write("comma.yaml", ",")});
    CHECK(l.patients.empty());
    REQUIRE(l.diags.has_errors());
    CHECK(render(l.diags).find("comma.yaml:1:1: error[timeline]: malformed YAML: the YAML parser makes no progress") !=
          std::string::npos);
    // Several real documents still load.
    auto two = load_paths({d.write("two.yaml", "patient: a\ntimeline: []\n---\npatient: b\ntimeline: []\n")});
    CHECK(two.patients.size() == 2);
    CHECK_FALSE(two.diags.has_errors());
}

TEST_CASE("an NDJSON file whose first line passes 64 KiB is read as NDJSON", "[reliability]") {
    Dir d;
    // A Patient with a 70 KB narrative, then an Observation: one resource per line.
    std::string narrative = R"({"resourceType":"Patient","id":"p1","text":{"div":")" + std::string(70000, 'x') + R"("}})";
    std::string obs_line =
        R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},)"
        R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":150,"unit":"10*9/L"}})";
    for (const char* name : {"Patient.ndjson", "export.json"}) {
        INFO(name);
        std::string f = d.write(std::string("x/") + name, narrative + "\n" + obs_line + "\n");
        CHECK(detect_format(f) == DataFormat::FhirNdjson);
        auto l = load_paths({f});
        INFO(render(l.diags) << l.summary());
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "platelets").size() == 1);
        fs::remove(f);
    }
    // A pretty-printed single resource is not NDJSON: the Bundle loader says what it is.
    std::string pretty = d.write("one.json", "{\n  \"resourceType\": \"Patient\",\n  \"id\": \"p1\"\n}\n");
    CHECK(detect_format(pretty) == DataFormat::FhirBundle);
    auto l = load_paths({pretty});
    CHECK(render(l.diags).find("resourceType is `Patient`; a .json data file holds one FHIR Bundle") != std::string::npos);
}

TEST_CASE("inputs that cannot be read are reported errors, never skipped in silence", "[reliability]") {
    Dir d;
    d.write("data/ok.yaml", "patient: a\ntimeline: []\n");
    fs::create_symlink(d.path / "nowhere.json", d.path / "data" / "dangling.json");
    REQUIRE(mkfifo((d.path / "data" / "stream.ndjson").c_str(), 0600) == 0);
    fs::create_directories(d.path / "data" / "sub");
    fs::create_directory_symlink(d.path / "data", d.path / "data" / "sub" / "loop");  // not followed
    auto l = load_paths({(d.path / "data").string(), (d.path / "missing").string(), (d.path / "data" / "stream.ndjson").string()});
    std::string shown = render(l.diags);
    INFO(shown);
    CHECK(l.patients.size() == 1);
    CHECK(l.diags.error_count() == 4);
    CHECK(shown.find("dangling.json: not a readable file") != std::string::npos);
    CHECK(shown.find("data/stream.ndjson: not a readable file (not a regular file)") != std::string::npos);
    CHECK(shown.find("missing: no such file or directory") != std::string::npos);
    // Named on the command line, a pipe is refused before anything reads (and blocks on) it.
    CHECK(shown.find("stream.ndjson: not a regular file (a pipe or device)") != std::string::npos);
}

TEST_CASE("outputs appear whole or not at all", "[reliability][atomic]") {
    Dir d;
    std::string target = (d.path / "results.jsonl").string();
    SECTION("not committed (a failed or killed run): nothing under the final name, no temporary left") {
        {
            AtomicFile f(target);
            REQUIRE(f.ok());
            f.stream() << "{\"patient\":\"p1\"}\n";
        }
        CHECK_FALSE(fs::exists(target));
        CHECK(std::distance(fs::directory_iterator(d.path), fs::directory_iterator()) == 0);
    }
    SECTION("committed: the whole text; a new file is 0600, a replaced one keeps its mode") {
        {
            AtomicFile f(target);
            f.stream() << "one\n";
            REQUIRE(f.commit());
        }
        CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
        fs::permissions(target, fs::perms::owner_all | fs::perms::group_read);
        {
            AtomicFile f(target);
            f.stream() << "two\n";
            REQUIRE(f.commit());
        }
        std::ifstream in(target);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(text == "two\n");
        CHECK((fs::status(target).permissions() & fs::perms::all) == (fs::perms::owner_all | fs::perms::group_read));
    }
    SECTION("an unwritable place fails when opened, before any work") {
        AtomicFile f((d.path / "no" / "such" / "dir" / "r.jsonl").string());
        CHECK_FALSE(f.ok());
        CHECK(f.error().find("cannot write") != std::string::npos);
    }
    SECTION("a device is written in place, and a full one is an error") {
        AtomicFile f("/dev/full");
        REQUIRE(f.ok());
        f.stream() << std::string(1 << 16, 'x');
        CHECK_FALSE(f.commit());
        CHECK(fs::is_character_file("/dev/full"));
    }
}

TEST_CASE("text that is not UTF-8 is a stated rejection, and printed escaped", "[reliability][utf8]") {
    Dir d;
    SECTION("CSV: the row, naming the column and byte") {
        auto l = load_paths({d.write("u.csv", "patient_id,time,concept,value,unit\n"
                                        "p-\xff\xfe,2024-01-01,platelets,100,10*9/L\n"
                                        "p-2,2024-01-01,platelets,\xc3\x28,10*9/L\n"
                                        "p-3,2024-01-01,platelets,100,10*9/L\n")});
        auto bad = l.with("bad-text");
        REQUIRE(bad.size() == 2);
        CHECK(bad[0].detail == "the value of column `patient_id` is not valid UTF-8 (byte 3: \\xFF)");
        CHECK(bad[1].origin.path == "value");
        REQUIRE(l.patients.size() == 1);
        CHECK(l.patients[0].patient_id == "p-3");
    }
    SECTION("YAML: a record is rejected; a patient id is a diagnostic") {
        auto l = load_paths({d.write("u.yaml", "patient: p1\ntimeline:\n  - {date: 2024-01-01, platelets: \"1\xff" "0 10*9/L\"}\n"
                                         "  - {date: 2024-01-02, platelets: 100 10*9/L}\n")});
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "platelets").size() == 1);
        CHECK(l.rejected("bad-text").detail == "`1\\xFF0 10*9/L` is not valid UTF-8 (byte 2: \\xFF)");
        auto id = load_paths({d.write("id.yaml", "patient: \"p\xff\"\ntimeline: []\n")});
        CHECK(id.patients.empty());
        CHECK(render(id.diags).find("the patient id `p\\xFF` is not valid UTF-8") != std::string::npos);
    }
    SECTION("printable: broken bytes and terminal controls are escaped, valid text kept") {
        CHECK(printable("caf\xc3\xa9 \xe2\x89\xa5 5") == "caf\xc3\xa9 \xe2\x89\xa5 5");
        CHECK(printable("\x1b[31mred\x07") == "\\x1B[31mred\\x07");
        CHECK(printable("a\xc2\x9b" "b") == "a\\u009Bb");
        CHECK(printable("\xed\xa0\x80") == "\\xED\\xA0\\x80");  // a surrogate is not UTF-8
        CHECK(invalid_utf8_at("ok\xf4\x90\x80\x80") == 2);     // past U+10FFFF
    }
}

TEST_CASE("several Bundles in one file, one per line, are all read", "[reliability]") {
    Dir d;
    std::string text;
    for (int i = 0; i < 3; ++i)
        text += fmt::format(
            R"({{"resourceType":"Bundle","type":"collection","entry":[{{"resource":{{"resourceType":"Patient","id":"p{0}"}}}},)"
            R"({{"resource":{{"resourceType":"Observation","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"777-3"}}]}},)"
            R"("subject":{{"reference":"Patient/p{0}"}},"effectiveDateTime":"2024-01-0{1}","valueQuantity":{{"value":{2},"unit":"10*9/L"}}}}}}]}})"
            "\n",
            i, i + 1, 100 + i);
    auto l = load_paths({d.write("three.json", text)});
    INFO(render(l.diags) << l.summary());
    REQUIRE(l.patients.size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(l.patients[i].patient_id == fmt::format("p{}", i));
        CHECK(only(l.patients[i], "platelets").value == Approx(100 + i));
    }
    CHECK_FALSE(l.diags.has_errors());
    // A broken second Bundle is reported (it runs to the end of the file); the first is kept.
    auto broken = load_paths({d.write("broken.json", text.substr(0, text.find('\n') + 1) + "{\"resourceType\":\"Bundle\",\"type\":\n")});
    CHECK(broken.patients.size() == 1);
    CHECK(render(broken.diags).find("broken.json:3:1: error[timeline]: not valid JSON") != std::string::npos);
}

TEST_CASE("chains of definitions: 250 deep of 60 terms compile, 4,990 deep is a stated error", "[reliability]") {
    auto chain = [](int n) {
        std::string text = "guideline \"g\"\n  source \"s\"\nd0 = platelets >= 100 x10^9/L\n";
        for (int i = 1; i < n; ++i) {
            text += fmt::format("d{} = d{}", i, i - 1);
            for (int k = 1; k < 60; ++k) text += fmt::format(" or d{}", i - 1);
            text += '\n';
        }
        return text + fmt::format("C:\n  d{}\n  cite \"x\"\nresult r = C\n", n - 1);
    };
    Diagnostics ok;
    auto c = compile_source(std::make_shared<SourceFile>("chain.crit", chain(250)), ok);
    INFO(render(ok));
    CHECK(c.program);
    std::string deep = chain(4990);
    REQUIRE(deep.size() < 4u << 20);  // inside the 4 MiB file limit
    Diagnostics d;
    auto too = compile_source(std::make_shared<SourceFile>("chain.crit", deep), d);
    CHECK_FALSE(too.program);
    CHECK(render(d).find("error[too-deep]: this is reached through a chain of more than 256 definitions and criteria") !=
          std::string::npos);
}

TEST_CASE("a patient read twice: the right file is named and the dropped copy's records are rejections",
          "[reliability]") {
    Dir d;
    const std::string yaml = "patient: p1\ntimeline:\n  - {date: 2024-01-01, platelets: 100 10*9/L, hemoglobin: 12 g/dL}\n";
    d.write("dup/a.yaml", yaml);
    d.write("dup/b.yaml", yaml);
    auto l = load_paths({(d.path / "dup").string()});
    CHECK(l.patients.size() == 1);
    CHECK(render(l.diags).find("dup/b.yaml: patient `p1` appears twice (also in ") != std::string::npos);
    auto dropped = l.with("duplicate-patient");
    REQUIRE(dropped.size() == 2);
    CHECK(dropped[0].origin.file.find("b.yaml") != std::string::npos);
    CHECK(dropped[0].origin.line == 3);
}

TEST_CASE("an empty NDJSON file is an export with nothing in it, not an error", "[reliability]") {
    Dir d;
    d.write("x/Patient.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
    d.write("x/Observation.ndjson", "");
    auto l = load_paths({(d.path / "x").string()});
    CHECK(l.patients.size() == 1);
    CHECK_FALSE(l.diags.has_errors());
}

TEST_CASE("a rule file's header reads bindings only from its folder, the shipped ones, or --allow-bindings",
          "[reliability]") {
    Dir d;
    fs::copy_file(CRIT_SOURCE_DIR "/bindings/default.yaml", d.path / "site.yaml");
    std::string rule = "guideline \"g\"\n  source \"s\"\n  bindings \"../site.yaml\"\nC:\n  platelets >= 100 x10^9/L\n"
                       "  cite \"x\"\nresult r = C\n";
    std::string path = d.write("pack/r.crit", rule);
    Diagnostics refused;
    auto c = compile_file(path, refused);
    CHECK_FALSE(c.program);
    CHECK(render(refused).find("error[bindings]: the bindings `../site.yaml` are outside the rule file's folder") !=
          std::string::npos);
    Diagnostics allowed;
    CompileOptions opt;
    opt.allow_bindings = {(d.path / "site.yaml").string()};
    CHECK(compile_file(path, allowed, opt).program);
    // In its own folder, or a device, which is never read.
    d.write("pack/z.crit", "guideline \"g\"\n  source \"s\"\n  bindings \"/dev/zero\"\nC:\n  platelets >= 100 x10^9/L\n"
                           "  cite \"x\"\nresult r = C\n");
    Diagnostics zero;
    opt.allow_bindings = {"/dev"};
    CHECK_FALSE(compile_file((d.path / "pack" / "z.crit").string(), zero, opt).program);
    CHECK(render(zero).find("/dev/zero: not a regular file") != std::string::npos);
}

TEST_CASE("validation gaps: each is a stated rejection", "[reliability][validation]") {
    Dir d;
    SECTION("negative counts, `+-1`, and values that overflow when converted") {
        auto l = load_paths({d.write("v.csv", "patient_id,time,concept,value,unit\n"
                                        "p1,2024-01-01,platelets,-5,10*9/L\n"
                                        "p1,2024-01-02,platelets,+-1,10*9/L\n"
                                        "p1,2024-01-03,marrow_cll_infiltrate,1e308,1\n"
                                        "p1,2024-01-04,platelets,150,10*9/L\n")});
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "platelets").size() == 1);
        auto bad = l.with("bad-value");
        REQUIRE(bad.size() == 3);
        CHECK(bad[0].detail.find("platelets cannot be negative") != std::string::npos);
        CHECK(bad[1].detail.find("is not a number") != std::string::npos);
    }
    SECTION("a date centuries ahead (a typo) is rejected with a hint, not the evaluation date") {
        auto l = load_paths({d.write("f.yaml", "patient: p1\ntimeline:\n  - {date: 2024-01-01, platelets: 100 10*9/L}\n"
                                         "  - {date: 2204-01-01, platelets: 50 10*9/L}\n")});
        REQUIRE(l.patients.size() == 1);
        CHECK(format_day(*l.patients[0].last_day()) == "2024-01-01");
        CHECK(l.rejected("bad-date").detail.find("dated 2204-01-01, more than a year after today: a typo?") !=
              std::string::npos);
    }
    SECTION("a value that underflows a double (1e-400) is rejected alike in CSV and FHIR") {
        auto csv = load_paths({d.write("u.csv", "patient_id,time,concept,value,unit\np1,2024-01-01,mrd_marrow,1e-400,%\n")});
        CHECK(csv.with("bad-value").size() == 1);
        auto fhir = load_paths({d.write("u.json",
            R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1"}},)"
            R"({"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},)"
            R"("subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":1e-400,"unit":"10*9/L"}}}]})")});
        INFO(fhir.summary());
        CHECK(fhir.rejected("bad-value").detail.find("1e-400 is out of range") != std::string::npos);
    }
    SECTION("times past 23:59 and offsets past +14:00 are not dates") {
        CHECK_FALSE(parse_day("2024-01-01T24:00:00Z"));
        CHECK_FALSE(parse_day("2024-01-01T10:00:00+99:99"));
        CHECK(parse_day("2024-01-01T23:59:59+14:00"));
        CHECK(parse_day("2024-01-01T00:00:00-12:00"));
    }
    SECTION("an NDJSON record naming a patient by an absolute URL or a urn:uuid is not matched to a local patient") {
        d.write("x/Patient.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
        std::string obs_text;
        for (const char* ref : {"http://elsewhere.org/fhir/Patient/p1", "urn:uuid:p1", "Patient/p1"})
            obs_text += fmt::format(
                R"({{"resourceType":"Observation","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"777-3"}}]}},)"
                R"("subject":{{"reference":"{}"}},"effectiveDateTime":"2024-01-05","valueQuantity":{{"value":150,"unit":"10*9/L"}}}})"
                "\n",
                ref);
        d.write("x/Observation.ndjson", obs_text);
        auto l = load_paths({(d.path / "x").string()});
        REQUIRE(l.patients.size() == 1);
        CHECK(obs(l.patients[0], "platelets").size() == 1);
        CHECK(l.with("missing-patient").size() == 2);
    }
}
