// The command line's own help: the exit codes every command shares (docs/cli.md), the
// examples under each subcommand's --help, `crit --version`, and a parse error reworded
// with the closest spelling of what was mistyped.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace crit {

// docs/cli.md lists what each command means by them; 64 is sysexits.h's EX_USAGE.
enum ExitCode : int {
    kExitOk = 0,
    kExitFindings = 1,   // diagnostics in rules, failing tests, unformatted files
    kExitData = 2,       // data rejected under --strict, unreadable data, unwritable output
    kExitInternal = 3,   // an unexpected exception: a bug
    kExitUsage = 64,     // the command line itself is wrong
};

// "crit 0.1.0 (git 1a2b3c4d5e6f, Release)".
std::string version_text();

// Sets the --help footer of every subcommand of `app` to its examples.
void add_examples(CLI::App& app);

// Accepts one of `allowed`; a mistyped value is told the closest one:
// "--format: `tabel` is not one of json, csv, table (did you mean `table`?)".
CLI::Validator one_of(std::vector<std::string> allowed);

// Prints a parse error (or the help or version asked for) and returns the exit code:
// 0 for --help and --version, kExitUsage for any mistake, with "did you mean" when an
// unknown subcommand or option in argv is close to a known one.
int report_parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv);

}  // namespace crit
