#include "cli/rule_tests.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "lang/driver.hpp"
#include "data/load_yaml.hpp"
#include "vm/temporal.hpp"
#include "vm/vm.hpp"

namespace crit {

namespace fs = std::filesystem;

namespace {

struct Counts {
    int passed = 0, failed = 0;
};

std::string where(const std::string& file, const YAML::Node& n) {
    return fmt::format("{}:{}", file, n.Mark().line + 1);
}

// The span of a YAML node (or mark) in the test file, for test-case diagnostics.
Span span_of(const SourceFile& f, const YAML::Mark& m, std::size_t len = 1) {
    if (m.line < 0) return Span{&f, 0, 0};
    std::uint32_t begin = f.offset_of(m.line + 1, m.column + 1);
    return Span{&f, begin, begin + static_cast<std::uint32_t>(std::max<std::size_t>(len, 1))};
}
Span span_of(const SourceFile& f, const YAML::Node& n) {
    return span_of(f, n.Mark(), n.IsScalar() ? n.Scalar().size() : 1);
}

// Runs one case. A malformed case (no timeline, a bad date, a result the rules do not
// have) is a test-case diagnostic in `errs`; a case that runs and disagrees with its
// expectations returns the failure messages. Either fails the case.
std::vector<std::string> run_case(const Program& p, const Bindings& b, const SourceFile& src, const YAML::Node& c,
                                  Diagnostics& errs) {
    const std::string& file = src.name();
    std::vector<std::string> fails;
    std::vector<Rejection> rejects;
    Timeline t;
    if (c["patient"] && c["patient"].IsMap()) t = timeline_from_yaml(c["patient"], file, b, rejects);
    else if (c["timeline"] && !c["timeline"].IsSequence())
        errs.error(DiagCode::TestCase, span_of(src, c["timeline"]), "`timeline` is a list of records");
    else if (c["timeline"]) t = timeline_from_yaml(c["timeline"], file, b, rejects);
    else errs.error(DiagCode::TestCase, span_of(src, c), "the case has no `timeline` (or `patient`)");
    if (t.patient_id.empty()) t.patient_id = c["name"] ? c["name"].as<std::string>() : "case";
    for (const auto& r : rejects)
        fails.push_back(fmt::format("{}:{}: record rejected ({}): {}", r.origin.file, r.origin.line, reject_reason_name(r.reason), r.detail));
    std::optional<Day> at;
    if (c["at"]) {
        at = c["at"].IsScalar() ? parse_day(c["at"].Scalar()) : std::nullopt;
        if (!at) errs.error(DiagCode::TestCase, span_of(src, c["at"]), "`at` is not a date (YYYY-MM-DD)");
    }
    if (!fails.empty() || errs.has_errors()) return fails;
    EvalContext ctx;
    const Evaluation& ev = evaluate(p, t, at, ctx);
    for (const char* key : {"expect", "criteria"})
        if (c[key] && !c[key].IsMap())
            errs.error(DiagCode::TestCase, span_of(src, c[key]), fmt::format("`{}` is a map of names to values", key));
    if (errs.has_errors()) return fails;
    if (const auto& want = c["expect"]) {
        for (const auto& kv : want) {
            std::string name = kv.first.as<std::string>();
            std::string expected = kv.second.IsNull() ? "null" : kv.second.as<std::string>();
            auto it = std::find_if(ev.results.begin(), ev.results.end(), [&](const ResultValue& r) { return r.name == name; });
            if (it == ev.results.end()) {
                errs.error(DiagCode::TestCase, span_of(src, kv.first), fmt::format("the rules have no result `{}`", name));
                continue;
            }
            std::string got = result_text(*it, "null");
            if (got != expected)
                fails.push_back(fmt::format("{}: {}: expected {}, got {}", where(file, kv.second), name, expected, got));
        }
    }
    if (const auto& crit = c["criteria"]) {
        for (const auto& kv : crit) {
            std::string name = kv.first.as<std::string>();
            std::string expected = kv.second.as<std::string>();
            int slot = -1;
            for (std::size_t i = 0; i < p.criterion_item.size(); ++i)
                if (p.items[p.criterion_item[i]].name == name) slot = p.criterion_item[i];
            if (slot < 0) {
                errs.error(DiagCode::TestCase, span_of(src, kv.first), fmt::format("the rules have no criterion `{}`", name));
                continue;
            }
            std::string got = truth_name(sample(ev.slots[slot].t, ev.domain, ev.domain.hi));
            if (got != expected)
                fails.push_back(fmt::format("{}: criterion {} on {}: expected {}, got {}", where(file, kv.second), name,
                                            format_day(ev.domain.hi), expected, got));
        }
    }
    if (!c["expect"] && !c["criteria"])
        errs.error(DiagCode::TestCase, span_of(src, c), "the case expects nothing: add `expect:` or `criteria:`");
    return fails;
}

// Test-case diagnostics, indented under the case they belong to.
std::string indented(const Diagnostics& d) {
    std::string out, text = render(d);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string::npos) nl = text.size();
        out += "      " + text.substr(at, nl - at) + "\n";
        at = nl + 1;
    }
    return out;
}

void run_file(const std::string& file, const std::string& bindings, std::ostream& out, Counts& counts) {
    Diagnostics d;
    auto fail_file = [&] {
        out << render(d);
        ++counts.failed;
    };
    SourcePtr src = read_source(file, d);
    if (!src) return fail_file();
    YAML::Node doc;
    try {
        doc = YAML::Load(src->text());
    } catch (const YAML::Exception& e) {
        d.error(DiagCode::TestCase, span_of(*src, e.mark), e.msg);
        return fail_file();
    }
    if (!doc.IsMap() || !doc["rules"] || !doc["rules"].IsScalar() || !doc["cases"] || !doc["cases"].IsSequence()) {
        d.error(DiagCode::TestCase, span_of(*src, doc.IsDefined() ? doc.Mark() : YAML::Mark()),
                "a test file has `rules:` (the rule file's path) and a list of `cases:`");
        return fail_file();
    }
    fs::path rules = fs::path(file).parent_path() / doc["rules"].as<std::string>();
    auto c = compile_file(rules.string(), d, CompileOptions{bindings, "", {}});
    if (!c.program) {
        d.error(DiagCode::TestCase, span_of(*src, doc["rules"]),
                fmt::format("the rules `{}` do not compile", rules.string()));
        return fail_file();
    }
    for (const auto& tc : doc["cases"]) {
        std::string name = tc.IsMap() && tc["name"] && tc["name"].IsScalar() ? tc["name"].Scalar() : where(file, tc);
        std::vector<std::string> fails;
        Diagnostics errs;
        try {
            if (!tc.IsMap()) throw YAML::Exception(tc.Mark(), "a case is a map with `name`, `timeline` and `expect`");
            fails = run_case(*c.program, *c.bindings, *src, tc, errs);
        } catch (const YAML::Exception& e) {
            errs.error(DiagCode::TestCase, span_of(*src, e.mark), e.msg);
        }
        if (fails.empty() && !errs.has_errors()) {
            ++counts.passed;
            out << fmt::format("ok    {}\n", name);
        } else {
            ++counts.failed;
            out << fmt::format("FAIL  {}  ({})\n", name, where(file, tc));
            out << indented(errs);
            for (const auto& f : fails) out << "      " << f << "\n";
        }
    }
}

}  // namespace

int run_rule_tests(const std::vector<std::string>& files, const std::string& bindings, std::ostream& out) {
    Counts counts;
    for (const auto& f : files) run_file(f, bindings, out, counts);
    out << fmt::format("{} passed, {} failed\n", counts.passed, counts.failed);
    return counts.failed ? 1 : 0;
}

}  // namespace crit
