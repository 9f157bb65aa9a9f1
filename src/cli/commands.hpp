// The commands of the crit binary, one file each (cmd_*.cpp); main.cpp reads the
// arguments and calls them. Each returns the process exit code: 0 ok, 1 errors in the
// rules, 2 errors in the data or the output, as docs/cli.md lists (cli/usage.hpp).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "out/explain.hpp"
#include "core/diag.hpp"
#include "lang/driver.hpp"

namespace crit {

// A command line that cannot be run as given (main prints it and exits 64, kExitUsage).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Prints the diagnostics to stderr; 1 if any is an error.
int print_diags(const Diagnostics& d);
// The --as-of date, or none; a UsageError when it is not a date.
std::optional<Day> parse_as_of(const std::string& text);
// `copt` with an AST dump requested after a stage.
CompileOptions with_dump(CompileOptions copt, const std::string& dump_after);

// format: text (on stderr, as always) | json | sarif (on stdout; docs/cli.md).
int cmd_check(const std::vector<std::string>& files, const CompileOptions& copt, const std::string& dump,
              const std::string& format);

// `crit concepts` and `crit classes`: what the bindings know; format: text | json.
int cmd_concepts(const CompileOptions& copt, const std::string& format);
int cmd_classes(const CompileOptions& copt, const std::string& format);
int cmd_disasm(const std::string& file, const CompileOptions& copt, bool opcodes);

struct RunOptions {
    std::string rules, as_of, format = "json", rejects, output;
    std::vector<std::string> data;
    unsigned jobs = 1;
    bool strict = false, stats = false, progress = false;
};
int cmd_run(const RunOptions& o, const CompileOptions& copt);

int cmd_explain(const std::string& rules, const std::vector<std::string>& data_paths, const std::string& patient,
                const std::string& as_of_text, const CompileOptions& copt, const ExplainOptions& opt);

struct CompareOptions {
    std::vector<std::string> packs, data;  // two packs: A, then B
    std::string as_of, format = "text";    // text | json | csv
    std::size_t limit = 20;                // patients listed per transition (0: all)
    bool explain = false;                  // explain each listed difference in both packs
};
int cmd_compare(const CompareOptions& o, const CompileOptions& copt);


// `crit report`: one self-contained HTML page; two --rules files compare them (docs/report.md).
struct ReportOptions {
    std::vector<std::string> rules, data;
    std::string as_of, output, encoding = "auto";  // encoding: auto | json | gzip (the page's embedded data)
};
int cmd_report(const ReportOptions& o, const CompileOptions& copt);

// `crit lsp`: a Language Server on standard input and output (docs/editors.md).
int cmd_lsp(const CompileOptions& copt);

}  // namespace crit
