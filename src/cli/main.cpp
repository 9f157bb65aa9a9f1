// crit: check | run | explain | test | fmt | disasm
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <cstdio>
#include <iostream>
#include <algorithm>
#include <map>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "lang/ast.hpp"
#include "lang/driver.hpp"
#include "cli/explain.hpp"
#include "lang/format.hpp"
#include "data/load_data.hpp"
#include "cli/report.hpp"
#include "cli/rule_tests.hpp"
#include "vm/vm.hpp"

using namespace crit;

namespace {

// Bindings files rule headers may name outside their folder (--allow-bindings).
std::vector<std::string> g_allow_bindings;

int print_diags(const Diagnostics& d) {
    std::string s = render(d);
    if (!s.empty()) std::cerr << s;
    return d.has_errors() ? 1 : 0;
}

std::optional<Day> parse_as_of(const std::string& s) {
    if (s.empty()) return std::nullopt;
    auto d = parse_day(s);
    if (!d) throw CLI::ValidationError("--as-of", fmt::format("`{}` is not a date (YYYY-MM-DD)", s));
    return d;
}

int cmd_check(const std::vector<std::string>& files, const std::string& bindings, const std::string& dump) {
    int rc = 0;
    for (const auto& f : files) {
        Diagnostics d;
        auto c = compile_file(f, d, CompileOptions{bindings, dump, g_allow_bindings});
        if (!c.dump.empty()) std::cout << c.dump;
        rc = std::max(rc, print_diags(d));
        if (!d.has_errors())
            std::cerr << fmt::format("{}: ok ({} criteria, {} results)\n", f, c.module->criteria.size(),
                                     c.module->results.size());
    }
    return rc;
}

int cmd_disasm(const std::string& file, const std::string& bindings, bool opcodes) {
    if (opcodes) {
        std::cout << opcode_reference();
        return 0;
    }
    Diagnostics d;
    auto c = compile_file(file, d, CompileOptions{bindings, "", g_allow_bindings});
    int rc = print_diags(d);
    if (c.program) std::cout << disassemble(*c.program);
    return rc;
}

// The rejections of a run as they come: each is counted and written to --rejects at once;
// only data errors are kept (the summary lists them), so a run with millions of skipped
// records (unbound codes) holds none of them.
struct RejectTally {
    std::map<std::string, std::size_t> by_reason;  // by name: the summary lists reasons alphabetically
    std::size_t skipped = 0;
    std::vector<Rejection> errors;

    void take(std::vector<Rejection>& batch, std::ostream* rejects_out) {
        for (auto& r : batch) {
            ++by_reason[reject_reason_name(r.reason)];
            if (rejects_out) write_one(*rejects_out, r);
            if (is_skip(r)) ++skipped;
            else errors.push_back(std::move(r));
        }
        batch.clear();
    }
    static void write_one(std::ostream& out, const Rejection& r) {
        nlohmann::ordered_json j{{"file", r.origin.file}, {"line", r.origin.line}, {"path", r.origin.path},
                                 {"patient", r.patient_id}, {"reason", reject_reason_name(r.reason)}, {"detail", r.detail}};
        // Text from data that is not UTF-8 (a file name) is written with U+FFFD, never dropped.
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
};

// The run's closing summary on stderr: patients, records, and every rejection by reason.
void summarize(std::size_t patients, std::size_t records, const RejectTally& tally) {
    std::cerr << fmt::format("crit: {} patients evaluated, {} records used, {} records rejected, {} skipped (no binding knows the code)\n",
                             patients, records, tally.errors.size(), tally.skipped);
    for (const auto& [reason, n] : tally.by_reason) std::cerr << fmt::format("  {:>7}  {}\n", n, reason);
    for (const auto& r : tally.errors)
        std::cerr << printable(fmt::format("  {}:{}: {}: {}{}", r.origin.file, r.origin.line, reject_reason_name(r.reason),
                                           r.detail, r.patient_id.empty() ? "" : " (patient " + r.patient_id + ")"))
                  << '\n';
}

int cmd_run(const std::string& rules, const std::vector<std::string>& data_paths, const std::string& as_of_text,
            const std::string& format, const std::string& bindings, unsigned jobs, bool strict,
            const std::string& rejects_path, const std::string& output_path, bool stats) {
    auto as_of = parse_as_of(as_of_text);
    Diagnostics d;
    auto c = compile_file(rules, d, CompileOptions{bindings, "", g_allow_bindings});
    if (print_diags(d) || !c.program) return 1;
    const Program& p = *c.program;
    // Output files are opened before the run (an unwritable path fails now, not after it) and
    // appear under their names only when complete.
    std::optional<AtomicFile> rejects_file, output_file;
    if (!rejects_path.empty()) rejects_file.emplace(rejects_path);
    if (!output_path.empty()) output_file.emplace(output_path);
    for (auto* f : {&rejects_file, &output_file})
        if (*f && !(*f)->ok()) {
            std::cerr << "crit: " << (*f)->error() << "\n";
            return 2;
        }
    std::ostream& out = output_file ? output_file->stream() : std::cout;

    // Patients stream in batches: the loader hands over each finished patient, a
    // batch is evaluated by `jobs` threads sharing the immutable program (one
    // context each), and its output is written in input order before the next.
    constexpr std::size_t kBatch = 512;
    std::vector<Timeline> batch;
    std::vector<std::string> lines;
    std::vector<EvalContext> contexts(std::max(1u, jobs));
    TableWriter table(p);
    std::size_t patients = 0, records = 0;
    double eval_seconds = 0;
    if (format == "csv") out << csv_header(p);
    auto flush = [&] {
        auto e0 = std::chrono::steady_clock::now();
        if (format == "table") {
            for (const auto& t : batch) table.add(evaluate(p, t, as_of, contexts[0]));
        } else {
            lines.assign(batch.size(), {});
            std::size_t n = batch.size(), threads = std::min<std::size_t>(contexts.size(), n);
            auto work = [&](std::size_t k) {
                for (std::size_t i = k; i < n; i += threads) {
                    const Evaluation& ev = evaluate(p, batch[i], as_of, contexts[k]);
                    lines[i] = format == "csv" ? csv_row(p, ev) : json_line(p, ev) + "\n";
                }
            };
            std::vector<std::thread> pool;
            for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work, k);
            if (threads > 0) work(0);
            for (auto& th : pool) th.join();
            for (const auto& line : lines) out << line;
            out.flush();
        }
        eval_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
        batch.clear();
    };
    auto t0 = std::chrono::steady_clock::now();
    std::vector<Rejection> rejections;
    RejectTally tally;
    std::ostream* rejects_out = rejects_file ? &rejects_file->stream() : nullptr;
    Diagnostics data_diags;
    for_each_patient(data_paths, *c.bindings, [&](Timeline&& t) {
        tally.take(rejections, rejects_out);
        ++patients;
        records += t.observations.size() + t.treatments.size();
        batch.push_back(std::move(t));
        if (batch.size() == kBatch) flush();
    }, rejections, data_diags);
    flush();
    if (format == "table") out << table.render() << std::flush;
    auto t1 = std::chrono::steady_clock::now();
    tally.take(rejections, rejects_out);
    // The last JSON line says the stream is whole: a consumer that does not find it knows the
    // run was cut (killed, disk full) however clean the lines before it look.
    if (format == "json")
        out << nlohmann::ordered_json{{"summary",
                                       {{"complete", true},
                                        {"patients", patients},
                                        {"rejected", tally.errors.size()},
                                        {"skipped", tally.skipped},
                                        {"data_errors", data_diags.error_count()}}}}
                   .dump()
            << '\n';
    print_diags(data_diags);
    summarize(patients, records, tally);
    if (stats) {
        double total = std::chrono::duration<double>(t1 - t0).count();
        std::cerr << fmt::format("crit: load {:.3f} s, evaluate + format {:.3f} s ({:.0f} patients/s, {} threads), {} instructions\n",
                                 total - eval_seconds, eval_seconds, eval_seconds > 0 ? patients / eval_seconds : 0.0,
                                 format == "table" ? 1u : contexts.size(), p.code.size());
    }
    // Every write is checked: a full disk or a closed stdout is an error, not a quiet exit 0.
    bool written = true;
    if (rejects_file) {
        if (!rejects_file->commit()) {
            std::cerr << "crit: " << rejects_file->error() << "\n";
            written = false;
        }
    }
    if (output_file ? !output_file->commit() : !flushed(std::cout)) {
        std::cerr << "crit: " << (output_file ? output_file->error() : "cannot write the results to standard output: " + std::string(std::strerror(errno ? errno : EIO))) << "\n";
        written = false;
    }
    if (!written) return 2;
    if (data_diags.has_errors()) return 2;
    if (strict && !tally.errors.empty()) return 2;
    return 0;
}

int cmd_explain(const std::string& rules, const std::vector<std::string>& data_paths, const std::string& patient,
                const std::string& as_of_text, const std::string& bindings, const ExplainOptions& opt) {
    auto as_of = parse_as_of(as_of_text);
    Diagnostics d;
    auto c = compile_file(rules, d, CompileOptions{bindings, "", g_allow_bindings});
    if (print_diags(d) || !c.program) return 1;
    if (!opt.result.empty() && std::none_of(c.program->results.begin(), c.program->results.end(),
                                            [&](const ResultInfo& r) { return r.name == opt.result; })) {
        std::vector<std::string> names;
        for (const auto& r : c.program->results) names.push_back(r.name);
        std::string hint = closest_name(opt.result, names);
        std::cerr << fmt::format("crit: the rules have no result `{}`{}\n", opt.result,
                                 hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint));
        return 2;
    }
    std::vector<Rejection> rejections;
    Diagnostics data_diags;
    bool found = false;
    EvalContext ctx;
    ctx.trace = true;
    for_each_patient(data_paths, *c.bindings, [&](Timeline&& t) {
        if (found || t.patient_id != patient) return;
        found = true;
        const Evaluation& ev = evaluate(*c.program, t, as_of, ctx);
        std::cout << printable(explain(*c.program, t, ev, opt));
    }, rejections, data_diags);
    print_diags(data_diags);
    for (const auto& r : rejections)
        if (r.patient_id == patient && !is_skip(r))
            std::cerr << fmt::format("note: {}:{}: record not used: {}: {}\n", r.origin.file, r.origin.line, reject_reason_name(r.reason), r.detail);
    if (found) return 0;
    std::cerr << fmt::format("crit: no patient `{}` in the data\n", patient);
    return 2;
}

// Two rule packs over the same patients: who is classified differently, and why.
int cmd_compare(const std::vector<std::string>& packs, const std::vector<std::string>& data_paths,
                const std::string& as_of_text, const std::string& bindings, bool explain_each) {
    auto as_of = parse_as_of(as_of_text);
    Diagnostics d;
    auto a = compile_file(packs[0], d, CompileOptions{bindings, "", g_allow_bindings});
    auto b = compile_file(packs[1], d, CompileOptions{bindings, "", g_allow_bindings});
    if (print_diags(d) || !a.program || !b.program) return 1;
    LoadResult data;
    Diagnostics data_diags;
    load_patients(data_paths, *a.bindings, data, data_diags);
    print_diags(data_diags);
    const Program& pa = *a.program;
    const Program& pb = *b.program;
    std::map<std::string, std::map<std::pair<std::string, std::string>, int>> matrix;  // result -> (A, B) -> n
    std::size_t differing = 0;
    EvalContext ca, cb;
    ca.trace = cb.trace = explain_each;
    for (const auto& t : data.patients) {
        const Evaluation& ea = evaluate(pa, t, as_of, ca);
        const Evaluation& eb = evaluate(pb, t, as_of, cb);
        bool first = true;
        for (const auto& ra : ea.results) {
            auto rb = std::find_if(eb.results.begin(), eb.results.end(), [&](const ResultValue& r) { return r.name == ra.name; });
            if (rb == eb.results.end()) continue;
            std::string va = result_text(ra, "-");
            std::string vb = result_text(*rb, "-");
            ++matrix[ra.name][{va, vb}];
            if (va == vb) continue;
            if (first) {
                ++differing;
                std::cout << fmt::format("patient {} (as of {})\n", printable(t.patient_id), format_day(ea.domain.hi));
                first = false;
            }
            std::cout << fmt::format("  {}: {} = {}, {} = {}\n", ra.name, pa.name, va, pb.name, vb);
            if (explain_each) {
                std::cout << fmt::format("  --- {} ---", pa.name) << explain_result(pa, t, ea, ra.name);
                std::cout << fmt::format("  --- {} ---", pb.name) << explain_result(pb, t, eb, ra.name) << "\n";
            }
        }
    }
    std::cout << fmt::format("\n{} of {} patients classified differently by {} and {}\n", differing,
                             data.patients.size(), pa.name, pb.name);
    for (const auto& [result, cells] : matrix) {
        std::cout << fmt::format("{}: ({} -> {})\n", result, pa.name, pb.name);
        for (const auto& [pair, n] : cells)
            std::cout << fmt::format("  {:>14} -> {:<14} {:>6}{}\n", pair.first, pair.second, n,
                                     pair.first == pair.second ? "" : "   *");
    }
    return data_diags.has_errors() ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"crit: clinical response criteria, compiled and run over patient timelines"};
    app.require_subcommand(1);
    app.fallthrough();  // `crit run ... --bindings f` as well as `crit --bindings f run ...`
    std::string bindings;
    app.add_option("--bindings", bindings, "terminology binding file (default: the rule file's, else the shipped one)");
    app.add_option("--allow-bindings", g_allow_bindings,
                   "a bindings file or folder a rule file's header may name outside its own folder (repeatable)");

    std::vector<std::string> files;
    std::string dump;
    auto* check = app.add_subcommand("check", "check criteria files and print diagnostics (exit 1 on errors)");
    check->add_option("files", files, "criteria files")->required();
    check->add_option("--dump-after", dump, "print the AST after a stage")->check(CLI::IsMember({"parse", "check"}));

    std::string rules, as_of, format = "json", patient;
    std::vector<std::string> data;
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    bool strict = false;
    auto* run = app.add_subcommand("run", "evaluate criteria over patient data; results as JSON lines, CSV or a table");
    run->add_option("--rules", rules, "criteria file")->required();
    run->add_option("data", data, "patient data files or directories")->required();
    run->add_option("--as-of", as_of, "evaluate as of this date (default: each patient's last record)");
    run->add_option("--format", format, "json | csv | table")->check(CLI::IsMember({"json", "csv", "table"}));
    run->add_option("--jobs,-j", jobs, "threads (1 to 256)")->check(CLI::Range(1u, 256u));
    run->add_flag("--strict", strict, "exit 2 if any record is rejected");
    std::string rejects, output;
    run->add_option("--rejects", rejects, "write every rejected record as a JSON line to this file");
    run->add_option("-o,--output", output, "write the results to this file (whole or not at all) instead of standard output");
    bool stats = false;
    run->add_flag("--stats", stats, "print load and evaluation times to stderr");

    auto* expl = app.add_subcommand("explain", "explain one patient's results: clauses, dates, data points, citations");
    expl->add_option("--rules", rules, "criteria file")->required();
    expl->add_option("data", data, "patient data files or directories")->required();
    expl->add_option("--patient", patient, "patient id")->required();
    expl->add_option("--as-of", as_of, "evaluate as of this date");
    ExplainOptions explain_opt;
    expl->add_option("--result", explain_opt.result, "explain only this result");
    expl->add_flag("--failing", explain_opt.failing, "only the summary: for each result, the conditions that decided it");
    expl->add_option("--format", explain_opt.format, "text | json (the summary as data, with each condition's record)")
        ->check(CLI::IsMember({"text", "json"}));

    std::vector<std::string> packs;
    bool cmp_explain = false;
    auto* cmp = app.add_subcommand("compare", "run two rule packs (e.g. iwCLL 2008 and 2018) and show who is classified differently, and why");
    cmp->add_option("--rules", packs, "a criteria file; give --rules twice (e.g. iwCLL 2008, then 2018)")
        ->required()
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmp->add_option("data", data, "patient data files or directories")->required();
    cmp->add_option("--as-of", as_of, "evaluate as of this date");
    cmp->add_flag("--explain", cmp_explain, "explain each difference with the clauses and data of both packs");

    std::vector<std::string> tests;
    auto* test = app.add_subcommand("test", "run rule-pack test cases (*.test.yaml)");
    test->add_option("files", tests, "test files")->required();

    bool fmt_check = false;
    auto* fmtc = app.add_subcommand("fmt", "rewrite criteria files in canonical layout (comments kept)");
    fmtc->add_option("files", files, "criteria files")->required();
    fmtc->add_flag("--check", fmt_check, "only report files that are not formatted (exit 1)");

    std::string disasm_file;
    bool opcodes = false;
    auto* dis = app.add_subcommand("disasm", "print the bytecode of a criteria file");
    dis->add_option("file", disasm_file, "criteria file");
    dis->add_flag("--opcodes", opcodes, "print the opcode reference instead");

    CLI11_PARSE(app, argc, argv);
    try {
        if (check->parsed()) return cmd_check(files, bindings, dump);
        if (run->parsed()) return cmd_run(rules, data, as_of, format, bindings, jobs, strict, rejects, output, stats);
        if (expl->parsed()) return cmd_explain(rules, data, patient, as_of, bindings, explain_opt);
        if (test->parsed()) return run_rule_tests(tests, bindings, std::cout);
        if (cmp->parsed()) {
            if (packs.size() != 2) {
                std::cerr << "crit compare: give exactly two --rules files\n";
                return 2;
            }
            return cmd_compare(packs, data, as_of, bindings, cmp_explain);
        }
        if (fmtc->parsed()) return format_files(files, fmt_check, std::cout, std::cerr);
        if (dis->parsed()) {
            if (!opcodes && disasm_file.empty()) {
                std::cerr << "crit disasm: give a criteria file, or --opcodes\n";
                return 2;
            }
            return cmd_disasm(disasm_file, bindings, opcodes);
        }
    } catch (const CLI::Error& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "crit: internal error: " << e.what() << "\n";
        return 3;
    }
    return 0;
}
