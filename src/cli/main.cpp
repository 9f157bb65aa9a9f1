// crit: check | run | explain | compare | report | test | fmt | disasm | lsp | concepts | classes.
// This file reads the command line; the commands are in cmd_*.cpp (commands.hpp), the help,
// examples and exit codes in usage.cpp.
#include <algorithm>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/rule_tests.hpp"
#include "cli/usage.hpp"
#include "lang/format.hpp"

using namespace crit;

int main(int argc, char** argv) {
    CLI::App app{"crit: clinical response criteria, compiled and run over patient timelines"};
    app.require_subcommand(1);
    app.fallthrough();  // `crit run ... --bindings f` as well as `crit --bindings f run ...`
    app.set_version_flag("--version", version_text());
    CompileOptions copt;
    app.add_option("--bindings", copt.bindings, "terminology binding file (default: the rule file's, else the shipped one)");
    app.add_option("--allow-bindings", copt.allow_bindings,
                   "a bindings file or folder a rule file's header may name outside its own folder (repeatable)");

    std::vector<std::string> files;
    std::string dump;
    auto* check = app.add_subcommand("check", "check criteria files and print diagnostics (exit 1 on errors)");
    check->add_option("files", files, "criteria files")->required();
    check->add_option("--dump-after", dump, "print the AST after a stage")->check(one_of({"parse", "check"}));
    std::string check_format = "text";
    check->add_option("--format", check_format, "text (on stderr) | json | sarif (SARIF 2.1.0 for CI), on stdout")
        ->check(one_of({"text", "json", "sarif"}));

    RunOptions ro;
    ro.jobs = std::max(1u, std::thread::hardware_concurrency());
    std::string rules, as_of, patient;
    std::vector<std::string> data;
    auto* run = app.add_subcommand("run", "evaluate criteria over patient data; results as JSON lines, CSV or a table");
    run->add_option("--rules", ro.rules, "criteria file")->required();
    run->add_option("data", ro.data, "patient data files or directories")->required();
    run->add_option("--as-of", ro.as_of, "evaluate as of this date (default: each patient's last record)");
    run->add_option("--format", ro.format, "json | csv | table | fhir (FHIR R4 Observations as NDJSON)")
        ->check(one_of({"json", "csv", "table", "fhir"}));
    run->add_option("--jobs,-j", ro.jobs, "threads (1 to 256)")->check(CLI::Range(1u, 256u));
    run->add_flag("--strict", ro.strict, "exit 2 if any record is rejected");
    run->add_option("--rejects", ro.rejects, "write every rejected record as a JSON line to this file");
    run->add_option("-o,--output", ro.output, "write the results to this file (whole or not at all) instead of standard output");
    run->add_flag("--stats", ro.stats, "print load and evaluation times to stderr");

    auto* expl = app.add_subcommand("explain", "explain one patient's results: clauses, dates, data points, citations");
    expl->add_option("--rules", rules, "criteria file")->required();
    expl->add_option("data", data, "patient data files or directories")->required();
    expl->add_option("--patient", patient, "patient id")->required();
    expl->add_option("--as-of", as_of, "evaluate as of this date");
    ExplainOptions explain_opt;
    expl->add_option("--result", explain_opt.result, "explain only this result");
    expl->add_flag("--failing", explain_opt.failing, "only the summary: for each result, the conditions that decided it");
    expl->add_option("--format", explain_opt.format,
                     "text | json (the summary as data, with each condition's record) | html (the report's patient section as a page)")
        ->check(one_of({"text", "json", "html"}));

    CompareOptions co;
    auto* cmp = app.add_subcommand("compare", "run two rule packs (e.g. iwCLL 2008 and 2018) and show who is classified differently, and why");
    cmp->add_option("--rules", co.packs, "a criteria file; give --rules twice (e.g. iwCLL 2008, then 2018)")
        ->required()
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmp->add_option("data", co.data, "patient data files or directories")->required();
    cmp->add_option("--as-of", co.as_of, "evaluate as of this date");
    cmp->add_option("--format", co.format, "text (summary, then differences by transition) | json | csv (every difference, one per row)")
        ->check(one_of({"text", "json", "csv"}));
    cmp->add_option("--limit", co.limit, "patients listed per transition (0: all; default 20)");
    cmp->add_flag("--explain", co.explain, "explain each listed difference with the clauses and data of both packs");


    ReportOptions rpo;
    auto* rep = app.add_subcommand("report", "write one self-contained HTML report: cohort summary, swimmer plot, patients; two --rules compare");
    rep->add_option("--rules", rpo.rules, "a criteria file; give --rules twice to compare two packs")
        ->required()
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    rep->add_option("data", rpo.data, "patient data files or directories")->required();
    rep->add_option("--as-of", rpo.as_of, "evaluate as of this date (default: each patient's last record)");
    rep->add_option("-o,--output", rpo.output, "write the report to this file (whole or not at all) instead of standard output");
    rep->add_option("--data-encoding", rpo.encoding, "auto (gzip past 4 MB) | json | gzip: how the page embeds its data")
        ->check(one_of({"auto", "json", "gzip"}));

    std::vector<std::string> tests;
    auto* test = app.add_subcommand("test", "run rule-pack test cases (*.test.yaml)");
    test->add_option("files", tests, "test files")->required();
    RuleTestOptions to;
    test->add_option("--case", to.only_case, "run only the case of this name");
    test->add_option("--format", to.format, "text | junit (JUnit XML for CI) | json")->check(one_of({"text", "junit", "json"}));
    test->add_flag("--explain", to.explain, "print the explanation of each case's patient (with --case: of that case)");
    test->add_flag("--coverage", to.coverage, "report which thresholds the cases exercise on the met and the not-met side");
    test->add_flag("--require-both-sides", to.require_both_sides, "with --coverage: exit 1 when a threshold lacks a side");

    bool fmt_check = false, fmt_diff = false;
    auto* fmtc = app.add_subcommand("fmt", "rewrite criteria files in canonical layout (comments kept)");
    fmtc->add_option("files", files, "criteria files")->required();
    auto* fmt_check_opt = fmtc->add_flag("--check", fmt_check, "only report files that are not formatted (exit 1)");
    fmtc->add_flag("--diff", fmt_diff, "print a unified diff of what fmt would change, change nothing (exit 1 if any)")
        ->excludes(fmt_check_opt);

    std::string disasm_file;
    bool opcodes = false;
    auto* dis = app.add_subcommand("disasm", "print the bytecode of a criteria file");
    dis->add_option("file", disasm_file, "criteria file");
    dis->add_flag("--opcodes", opcodes, "print the opcode reference instead");

    auto* lsp = app.add_subcommand("lsp", "run the language server for editors (LSP over standard input and output)");

    std::string list_format = "text";
    auto* concepts = app.add_subcommand("concepts", "list the concepts the bindings define: kind, unit, plausible range, codes");
    auto* classes = app.add_subcommand("classes", "list the drug classes the bindings define, with their drugs");
    for (auto* sub : {concepts, classes})
        sub->add_option("--format", list_format, "text | json")->check(one_of({"text", "json"}));

    add_examples(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return report_parse_error(app, e, argc, argv);
    }
    try {
        if (check->parsed()) return cmd_check(files, copt, dump, check_format);
        if (concepts->parsed()) return cmd_concepts(copt, list_format);
        if (classes->parsed()) return cmd_classes(copt, list_format);
        if (run->parsed()) return cmd_run(ro, copt);
        if (expl->parsed()) return cmd_explain(rules, data, patient, as_of, copt, explain_opt);
        if (rep->parsed()) return cmd_report(rpo, copt);
        if (lsp->parsed()) return cmd_lsp(copt);
        if (test->parsed()) {
            if (to.coverage && to.format != "text") throw UsageError("--coverage prints a table: use it with --format text");
            if (to.require_both_sides && !to.coverage) throw UsageError("--require-both-sides goes with --coverage");
            to.bindings = copt.bindings;
            return run_rule_tests(tests, to, std::cout);
        }
        if (cmp->parsed()) {
            if (co.packs.size() != 2) {
                std::cerr << "crit compare: give exactly two --rules files\n";
                return kExitUsage;
            }
            return cmd_compare(co, copt);
        }
        if (fmtc->parsed())
            return format_files(files, fmt_diff ? FormatMode::Diff : fmt_check ? FormatMode::Check : FormatMode::Write,
                                std::cout, std::cerr);
        if (dis->parsed()) {
            if (!opcodes && disasm_file.empty()) {
                std::cerr << "crit disasm: give a criteria file, or --opcodes\n";
                return kExitUsage;
            }
            return cmd_disasm(disasm_file, copt, opcodes);
        }
    } catch (const CLI::Error& e) {
        return app.exit(e);
    } catch (const UsageError& e) {
        std::cerr << "crit: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "crit: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
    return 0;
}
