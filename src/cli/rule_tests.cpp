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

// Runs one case; returns the failure messages (empty = pass).
std::vector<std::string> run_case(const Program& p, const Bindings& b, const std::string& file, const YAML::Node& c) {
    std::vector<std::string> fails;
    std::vector<Rejection> rejects;
    Timeline t;
    if (c["patient"] && c["patient"].IsMap()) t = timeline_from_yaml(c["patient"], file, b, rejects);
    else if (c["timeline"]) t = timeline_from_yaml(c["timeline"], file, b, rejects);
    else fails.push_back("the case has no `timeline` (or `patient`)");
    if (t.patient_id.empty()) t.patient_id = c["name"] ? c["name"].as<std::string>() : "case";
    for (const auto& r : rejects)
        fails.push_back(fmt::format("{}:{}: record rejected ({}): {}", r.origin.file, r.origin.line, reject_reason_name(r.reason), r.detail));
    std::optional<Day> at;
    if (c["at"]) {
        at = parse_day(c["at"].as<std::string>());
        if (!at) fails.push_back(fmt::format("{}: `at` is not a date", where(file, c["at"])));
    }
    if (!fails.empty()) return fails;
    EvalContext ctx;
    const Evaluation& ev = evaluate(p, t, at, ctx);
    if (const auto& want = c["expect"]) {
        for (const auto& kv : want) {
            std::string name = kv.first.as<std::string>();
            std::string expected = kv.second.IsNull() ? "null" : kv.second.as<std::string>();
            auto it = std::find_if(ev.results.begin(), ev.results.end(), [&](const ResultValue& r) { return r.name == name; });
            if (it == ev.results.end()) {
                fails.push_back(fmt::format("{}: the rules have no result `{}`", where(file, kv.first), name));
                continue;
            }
            std::string got = it->kind == ResultValue::Kind::Absent ? "null" : it->text;
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
                fails.push_back(fmt::format("{}: the rules have no criterion `{}`", where(file, kv.first), name));
                continue;
            }
            std::string got = truth_name(sample(ev.slots[slot].t, ev.domain, ev.domain.hi));
            if (got != expected)
                fails.push_back(fmt::format("{}: criterion {} on {}: expected {}, got {}", where(file, kv.second), name,
                                            format_day(ev.domain.hi), expected, got));
        }
    }
    if (!c["expect"] && !c["criteria"]) fails.push_back("the case expects nothing: add `expect:` or `criteria:`");
    return fails;
}

void run_file(const std::string& file, const std::string& bindings, std::ostream& out, Counts& counts) {
    YAML::Node doc;
    try {
        doc = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
        out << fmt::format("{}:{}:{}: error[test-case]: {}\n", file, e.mark.line + 1, e.mark.column + 1, e.msg);
        ++counts.failed;
        return;
    }
    if (!doc.IsMap() || !doc["rules"] || !doc["cases"] || !doc["cases"].IsSequence()) {
        out << fmt::format("{}: error[test-case]: a test file has `rules:` and a list of `cases:`\n", file);
        ++counts.failed;
        return;
    }
    fs::path rules = fs::path(file).parent_path() / doc["rules"].as<std::string>();
    Diagnostics d;
    auto c = compile_file(rules.string(), d, CompileOptions{bindings, ""});
    if (!c.program) {
        out << render(d);
        out << fmt::format("{}: error[test-case]: the rules `{}` do not compile\n", file, rules.string());
        ++counts.failed;
        return;
    }
    for (const auto& tc : doc["cases"]) {
        std::string name = tc["name"] ? tc["name"].as<std::string>() : where(file, tc);
        std::vector<std::string> fails;
        try {
            fails = run_case(*c.program, *c.bindings, file, tc);
        } catch (const YAML::Exception& e) {
            fails.push_back(fmt::format("{}:{}: {}", file, e.mark.line + 1, e.msg));
        }
        if (fails.empty()) {
            ++counts.passed;
            out << fmt::format("ok    {}\n", name);
        } else {
            ++counts.failed;
            out << fmt::format("FAIL  {}  ({})\n", name, where(file, tc));
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
