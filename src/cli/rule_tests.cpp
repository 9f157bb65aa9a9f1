#include "cli/rule_tests.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "out/explain.hpp"
#include "cli/rule_coverage.hpp"
#include "cli/rule_tests_report.hpp"
#include "data/load_yaml.hpp"
#include "lang/driver.hpp"
#include "vm/temporal.hpp"
#include "vm/vm.hpp"

namespace crit {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFileKeys = {"rules", "cases", "uncovered"};
const std::vector<std::string> kCaseKeys = {"name", "timeline", "patient", "at", "expect", "criteria"};
// The patient fields load_yaml.cpp reads in a `patient:` map.
const std::vector<std::string> kPatientKeys = {"patient", "birth_date", "diagnosis", "timeline", "gender", "sex", "note"};
const std::vector<std::string> kUncoveredKeys = {"criterion", "clause", "side", "reason"};
const std::vector<std::string> kStates = {"met", "not met", "unknown"};

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

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

void error_with_hint(Diagnostics& d, Span at, std::string msg, const std::string& name, const std::vector<std::string>& known) {
    auto& e = d.error(DiagCode::TestCase, at, std::move(msg));
    e.suggestion = closest_name(name, known);
}

// A misspelt key (`expected:`) would otherwise make a case check nothing.
void check_keys(const SourceFile& src, const YAML::Node& map, const std::vector<std::string>& known, const char* what,
                Diagnostics& d) {
    for (const auto& kv : map) {
        std::string k = scalar(kv.first);
        if (std::find(known.begin(), known.end(), k) == known.end())
            error_with_hint(d, span_of(src, kv.first), fmt::format("`{}` is not a key of {}", k, what), k, known);
    }
}

// What a result may be: its labels, true / false, or a date; null (absent) always.
bool in_vocabulary(const Program& p, const ResultInfo& r, const std::string& v, std::vector<std::string>& words) {
    words = {"null"};
    if (r.kind == ResultKind::Value) {
        Type t = r.value_item >= 0 ? p.items[r.value_item].type : Type::Unknown;
        if (t == Type::Date) return v == "null" || parse_day(v).has_value();
        words.insert(words.end(), {"true", "false"});
    } else {
        for (const auto& c : r.choices) words.push_back(c.label);
        if (r.else_label) words.push_back(*r.else_label);
    }
    return std::find(words.begin(), words.end(), v) != words.end();
}

std::string vocabulary_text(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "`" : ", `") + w + "`";
    return s;
}

struct Case {
    YAML::Node node;
    std::string name;
};

class FileRun {
public:
    FileRun(const std::string& file, const RuleTestOptions& opt, std::ostream& out, std::vector<CaseResult>& results)
        : file_(file), opt_(opt), out_(out), results_(results) {}

    // Returns how many thresholds lack a side (with --coverage), or 0.
    int run(std::set<std::string>& names, int& selected) {
        Diagnostics d;
        auto fail_file = [&] {
            results_.push_back(CaseResult{"(test file)", file_, 1, false, {}, render(d), ""});
            return 0;
        };
        src_ = read_source(file_, d);
        if (!src_) return fail_file();
        YAML::Node doc;
        try {
            doc = YAML::Load(src_->text());
        } catch (const YAML::Exception& e) {
            d.error(DiagCode::TestCase, span_of(*src_, e.mark), e.msg);
            return fail_file();
        }
        if (!doc.IsMap() || !doc["rules"] || !doc["rules"].IsScalar() || !doc["cases"] || !doc["cases"].IsSequence()) {
            d.error(DiagCode::TestCase, span_of(*src_, doc.IsDefined() ? doc.Mark() : YAML::Mark()),
                    "a test file has `rules:` (the rule file's path) and a list of `cases:`");
            return fail_file();
        }
        check_keys(*src_, doc, kFileKeys, "a test file (`rules`, `cases`, `uncovered`)", d);
        fs::path rules = fs::path(file_).parent_path() / doc["rules"].as<std::string>();
        auto c = compile_file(rules.string(), d, CompileOptions{opt_.bindings, "", {}});
        if (!c.program) {
            d.error(DiagCode::TestCase, span_of(*src_, doc["rules"]), fmt::format("the rules `{}` do not compile", rules.string()));
            return fail_file();
        }
        p_ = c.program.get();
        b_ = c.bindings.get();
        Coverage cov(*p_);
        if (doc["uncovered"]) read_uncovered(doc["uncovered"], cov, d);
        std::set<std::string> seen;
        for (const auto& tc : doc["cases"]) {
            std::string name = tc.IsMap() && tc["name"] && tc["name"].IsScalar() ? tc["name"].Scalar() : where(file_, tc);
            names.insert(name);
            if (!seen.insert(name).second)
                d.error(DiagCode::TestCase, span_of(*src_, tc["name"]), fmt::format("a second case named `{}`; --case needs names to differ", name));
            if (!opt_.only_case.empty() && name != opt_.only_case) continue;
            ++selected;
            run_one(tc, name, opt_.coverage ? &cov : nullptr);
        }
        if (d.has_errors()) return fail_file();
        if (!opt_.coverage) return 0;
        std::string table;
        int lacking = cov.print(table, fmt::format("{} ({})", rules.string(), file_));
        coverage_ += table;
        return lacking;
    }

    const std::string& coverage_text() const { return coverage_; }

private:
    void read_uncovered(const YAML::Node& list, Coverage& cov, Diagnostics& d) {
        if (!list.IsSequence()) {
            d.error(DiagCode::TestCase, span_of(*src_, list), "`uncovered` is a list of {criterion, clause, side, reason}");
            return;
        }
        std::vector<std::string> owners;
        for (const auto& t : cov.thresholds()) owners.push_back(t.criterion);
        for (const auto& u : list) {
            if (!u.IsMap()) {
                d.error(DiagCode::TestCase, span_of(*src_, u), "an `uncovered` entry is a map with criterion, clause, side and reason");
                continue;
            }
            check_keys(*src_, u, kUncoveredKeys, "an `uncovered` entry (`criterion`, `clause`, `side`, `reason`)", d);
            std::string crit = scalar(u["criterion"]), clause = scalar(u["clause"]), side = scalar(u["side"]);
            if (scalar(u["reason"]).empty())
                d.error(DiagCode::TestCase, span_of(*src_, u), "an `uncovered` entry says why: add `reason:`");
            if (side != "met" && side != "not met") {
                error_with_hint(d, span_of(*src_, u["side"] ? u["side"] : u), fmt::format("`side` is `met` or `not met`, not `{}`", side),
                                side, {"met", "not met"});
                continue;
            }
            if (std::find(owners.begin(), owners.end(), crit) == owners.end()) {
                error_with_hint(d, span_of(*src_, u["criterion"] ? u["criterion"] : u),
                                fmt::format("the rules have no criterion `{}` with a threshold", crit), crit, owners);
                continue;
            }
            std::vector<std::string> clauses;
            CoveredThreshold* hit = nullptr;
            for (auto& t : cov.thresholds())
                if (t.criterion == crit) {
                    clauses.push_back(t.clause);
                    if (t.clause == clause) hit = &t;
                }
            if (!hit) {
                error_with_hint(d, span_of(*src_, u["clause"] ? u["clause"] : u),
                                fmt::format("criterion `{}` has no threshold `{}`", crit, clause), clause, clauses);
                continue;
            }
            (side == "met" ? hit->excuse_met : hit->excuse_not_met) = true;
        }
    }

    void run_one(const YAML::Node& tc, const std::string& name, Coverage* cov) {
        Diagnostics errs;
        std::vector<std::string> fails;
        try {
            if (!tc.IsMap()) throw YAML::Exception(tc.Mark(), "a case is a map with `name`, `timeline` and `expect`");
            fails = run_case(tc, name, errs, cov);
        } catch (const YAML::Exception& e) {
            errs.error(DiagCode::TestCase, span_of(*src_, e.mark), e.msg);
        }
        bool passed = fails.empty() && !errs.has_errors();
        results_.push_back(CaseResult{name, file_, tc.Mark().line + 1, passed, fails, errs.items().empty() ? "" : render(errs), ""});
        if (!explanation_.empty()) {
            results_.back().explanation = std::move(explanation_);
            explanation_.clear();
        }
    }

    // The case's structure, names and values, before anything runs.
    void check_case(const YAML::Node& c, Diagnostics& errs) {
        check_keys(*src_, c, kCaseKeys, "a case (`name`, `timeline` or `patient`, `at`, `expect`, `criteria`)", errs);
        if (!c["name"] || !c["name"].IsScalar()) errs.error(DiagCode::TestCase, span_of(*src_, c), "the case has no `name`");
        if (c["patient"] && c["timeline"])
            errs.error(DiagCode::TestCase, span_of(*src_, c["patient"]), "a case has `timeline` or `patient`, not both");
        if (c["patient"] && c["patient"].IsMap()) check_keys(*src_, c["patient"], kPatientKeys, "a patient", errs);
        else if (c["patient"]) errs.error(DiagCode::TestCase, span_of(*src_, c["patient"]), "`patient` is a map (patient, birth_date, diagnosis, timeline)");
        for (const char* key : {"expect", "criteria"})
            if (c[key] && !c[key].IsMap())
                errs.error(DiagCode::TestCase, span_of(*src_, c[key]), fmt::format("`{}` is a map of names to values", key));
        if (c["expect"] && c["expect"].IsMap()) {
            std::vector<std::string> names;
            for (const auto& r : p_->results) names.push_back(r.name);
            for (const auto& kv : c["expect"]) {
                std::string n = scalar(kv.first);
                auto it = std::find_if(p_->results.begin(), p_->results.end(), [&](const ResultInfo& r) { return r.name == n; });
                if (it == p_->results.end()) {
                    error_with_hint(errs, span_of(*src_, kv.first), fmt::format("the rules have no result `{}`", n), n, names);
                    continue;
                }
                std::string v = kv.second.IsNull() ? "null" : scalar(kv.second);
                std::vector<std::string> words;
                if (!in_vocabulary(*p_, *it, v, words))
                    error_with_hint(errs, span_of(*src_, kv.second),
                                    fmt::format("`{}` is not a value of result `{}`: it is one of {}{}", v, n, vocabulary_text(words),
                                                it->kind == ResultKind::Value && words.size() == 1 ? " or a date (YYYY-MM-DD)" : ""),
                                    v, words);
            }
        }
        if (c["criteria"] && c["criteria"].IsMap()) {
            std::vector<std::string> names;
            for (int slot : p_->criterion_item) names.push_back(p_->items[slot].name);
            for (const auto& kv : c["criteria"]) {
                std::string n = scalar(kv.first);
                if (std::find(names.begin(), names.end(), n) == names.end())
                    error_with_hint(errs, span_of(*src_, kv.first), fmt::format("the rules have no criterion `{}`", n), n, names);
                std::string v = scalar(kv.second);
                if (std::find(kStates.begin(), kStates.end(), v) == kStates.end())
                    error_with_hint(errs, span_of(*src_, kv.second),
                                    fmt::format("`{}` is not a criterion state; it is `met`, `not met` or `unknown`", v), v, kStates);
            }
        }
        if (!c["expect"] && !c["criteria"])
            errs.error(DiagCode::TestCase, span_of(*src_, c), "the case expects nothing: add `expect:` or `criteria:`");
        if (c["at"] && !(c["at"].IsScalar() && parse_day(c["at"].Scalar())))
            errs.error(DiagCode::TestCase, span_of(*src_, c["at"]), "`at` is not a date (YYYY-MM-DD)");
        if (c["timeline"] && !c["timeline"].IsSequence())
            errs.error(DiagCode::TestCase, span_of(*src_, c["timeline"]), "`timeline` is a list of records");
        else if (!c["timeline"] && !c["patient"])
            errs.error(DiagCode::TestCase, span_of(*src_, c), "the case has no `timeline` (or `patient`)");
    }

    // A record key that names no concept is a misspelt key of the test file: a located error
    // on the key (the loader's rejection knows only the record's line).
    bool locate_unknown_key(const YAML::Node& c, const Rejection& r, Diagnostics& errs) {
        if (std::string(reject_reason_name(r.reason)) != "unknown-concept") return false;
        const YAML::Node records = c["patient"] && c["patient"].IsMap() ? c["patient"]["timeline"] : c["timeline"];
        if (!records || !records.IsSequence()) return false;
        for (const auto& rec : records) {
            if (!rec.IsMap() || rec.Mark().line + 1 != static_cast<int>(r.origin.line)) continue;
            for (const auto& kv : rec) {
                std::string k = scalar(kv.first);
                if (k.empty() || r.detail.rfind("`" + k + "`", 0) != 0) continue;
                errs.error(DiagCode::TestCase, span_of(*src_, kv.first), r.detail);
                return true;
            }
        }
        return false;
    }

    // A malformed case is a test-case diagnostic in `errs`; a case that runs and disagrees
    // with its expectations returns the failure messages. Either fails the case.
    std::vector<std::string> run_case(const YAML::Node& c, const std::string& name, Diagnostics& errs, Coverage* cov) {
        check_case(c, errs);
        if (errs.has_errors()) return {};
        std::vector<std::string> fails;
        std::vector<Rejection> rejects;
        Timeline t = c["patient"] ? timeline_from_yaml(c["patient"], file_, *b_, rejects) : timeline_from_yaml(c["timeline"], file_, *b_, rejects);
        if (t.patient_id.empty()) t.patient_id = name;
        for (const auto& r : rejects)
            if (!locate_unknown_key(c, r, errs))
                fails.push_back(fmt::format("{}:{}: record rejected ({}): {}", r.origin.file, r.origin.line, reject_reason_name(r.reason), r.detail));
        if (errs.has_errors()) return {};
        if (!fails.empty()) return fails;
        std::optional<Day> at = c["at"] ? parse_day(c["at"].Scalar()) : std::nullopt;
        EvalContext ctx;
        ctx.trace = cov || opt_.explain;
        const Evaluation& ev = evaluate(*p_, t, at, ctx);
        if (cov) cov->add(ev, name);
        if (opt_.explain) explanation_ = explain(*p_, t, ev);
        if (const auto& want = c["expect"]) {
            for (const auto& kv : want) {
                std::string n = kv.first.as<std::string>();
                std::string expected = kv.second.IsNull() ? "null" : kv.second.as<std::string>();
                auto it = std::find_if(ev.results.begin(), ev.results.end(), [&](const ResultValue& r) { return r.name == n; });
                std::string got = result_text(*it, "null");
                if (got != expected) fails.push_back(fmt::format("{}: {}: expected {}, got {}", where(file_, kv.second), n, expected, got));
            }
        }
        if (const auto& crit = c["criteria"]) {
            for (const auto& kv : crit) {
                std::string n = kv.first.as<std::string>();
                std::string expected = kv.second.as<std::string>();
                int slot = -1;
                for (int s : p_->criterion_item)
                    if (p_->items[s].name == n) slot = s;
                std::string got = truth_name(sample(ev.slots[slot].t, ev.domain, ev.domain.hi));
                if (got != expected)
                    fails.push_back(fmt::format("{}: criterion {} on {}: expected {}, got {}", where(file_, kv.second), n,
                                                format_day(ev.domain.hi), expected, got));
            }
        }
        return fails;
    }

    const std::string& file_;
    const RuleTestOptions& opt_;
    std::ostream& out_;
    std::vector<CaseResult>& results_;
    SourcePtr src_;
    const Program* p_ = nullptr;
    const Bindings* b_ = nullptr;
    std::string coverage_, explanation_;
};

}  // namespace

int run_rule_tests(const std::vector<std::string>& files, const RuleTestOptions& opt, std::ostream& out) {
    std::vector<CaseResult> results;
    std::set<std::string> names;
    std::string coverage;
    int selected = 0, lacking = 0;
    for (const auto& f : files) {
        FileRun run(f, opt, out, results);
        lacking += run.run(names, selected);
        coverage += run.coverage_text();
    }
    if (!opt.only_case.empty() && selected == 0) {
        std::string hint = closest_name(opt.only_case, std::vector<std::string>(names.begin(), names.end()));
        out << fmt::format("crit test: no case named `{}`{}\n", opt.only_case, hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint));
        return 2;
    }
    bool failed = std::any_of(results.begin(), results.end(), [](const CaseResult& r) { return !r.passed; });
    write_test_results(results, opt.format, out);
    if (opt.coverage) out << coverage;
    if (opt.coverage && opt.require_both_sides && lacking > 0) {
        out << fmt::format("crit test: {} threshold{} not exercised on both sides (--require-both-sides)\n", lacking, lacking == 1 ? "" : "s");
        return 1;
    }
    return failed ? 1 : 0;
}

}  // namespace crit
