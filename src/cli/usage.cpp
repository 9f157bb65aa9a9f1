#include "cli/usage.hpp"

#include <iostream>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/build_info.hpp"
#include "core/diag.hpp"

namespace crit {

std::string version_text() {
    BuildInfo b = build_info();
    return fmt::format("crit {} (git {}, {})", b.version, b.revision, b.build_type);
}

namespace {

// Each a command line that works from the repository root, as README.md shows them.
const std::map<std::string, std::string, std::less<>>& examples() {
    static const std::map<std::string, std::string, std::less<>> m = {
        {"check",
         "  crit check rules/cll/iwcll-2018.crit\n"
         "  crit check --format sarif rules/cll/*.crit > crit.sarif\n"},
        {"run",
         "  crit run --rules rules/cll/iwcll-2018.crit examples/cll --format table\n"
         "  crit run --rules rules/cll/iwcll-2018.crit data/ --rejects rejects.jsonl --strict -o results.jsonl\n"
         "  crit run --rules rules/cll/iwcll-2018.crit examples/ndjson/cll --format fhir -o Observation.ndjson\n"},
        {"explain",
         "  crit explain --rules rules/cll/iwcll-2018.crit examples/cll --patient p-002\n"
         "  crit explain --rules rules/cll/iwcll-2018.crit examples/cll --patient p-002 --failing --result best_response\n"},
        {"compare",
         "  crit compare --rules rules/cll/iwcll-2008.crit --rules rules/cll/iwcll-2018.crit examples/cll\n"},
        {"report",
         "  crit report --rules rules/cll/iwcll-2018.crit examples/cll -o report.html\n"},
        {"test",
         "  crit test rules/cll/iwcll-2018.test.yaml\n"
         "  crit test rules/cll/iwcll-2018.test.yaml --coverage\n"},
        {"fmt",
         "  crit fmt rules/cll/iwcll-2018.crit\n"
         "  crit fmt --diff rules/cll/iwcll-2018.crit\n"},
        {"disasm",
         "  crit disasm rules/cll/iwcll-2018.crit\n"
         "  crit disasm --opcodes\n"},
        {"lsp", "  crit lsp    (an editor starts it; see docs/editors.md)\n"},
        {"concepts",
         "  crit concepts\n"
         "  crit --bindings site.yaml concepts --format json\n"},
        {"classes", "  crit classes\n"},
    };
    return m;
}

std::vector<std::string> option_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::Option* o : app.get_options()) {
        for (const auto& l : o->get_lnames()) names.push_back("--" + l);
        for (const auto& s : o->get_snames()) names.push_back("-" + s);
    }
    return names;
}

const CLI::Option* find_option(const CLI::App& app, std::string_view name) {
    for (const CLI::Option* o : app.get_options()) {
        for (const auto& l : o->get_lnames())
            if (name == "--" + l) return o;
        for (const auto& s : o->get_snames())
            if (name == "-" + s) return o;
    }
    return nullptr;
}

// The message for the first word of argv the command line does not know, with the closest
// known spelling:
// a subcommand where one is expected, an option of the top level or of the subcommand.
std::string hint(const CLI::App& app, int argc, char** argv) {
    const CLI::App* sub = nullptr;
    std::vector<std::string> subs;
    for (const CLI::App* s : app.get_subcommands({})) subs.push_back(s->get_name());
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") break;
        if (arg.size() > 1 && arg[0] == '-') {
            std::string name = arg.substr(0, arg.find('='));
            bool glued = name.size() > 2 && name[1] != '-';  // -j4: the value follows the letter
            if (glued) name = name.substr(0, 2);
            const CLI::Option* o = find_option(app, name);
            if (!o && sub) o = find_option(*sub, name);
            if (o) {
                if (o->get_type_size_max() > 0 && arg.find('=') == std::string::npos && !glued) ++i;
                continue;
            }
            std::vector<std::string> known = option_names(app);
            if (sub) {
                auto more = option_names(*sub);
                known.insert(known.end(), more.begin(), more.end());
            }
            std::string near = closest_name(name, known);
            std::string where = sub ? fmt::format("crit {}", sub->get_name()) : "crit";
            if (near.empty()) return fmt::format("{}: unknown option `{}`", where, name);
            return fmt::format("{}: unknown option `{}` (did you mean `{}`?)", where, name, near);
        }
        if (sub) continue;  // a positional argument of the subcommand
        for (const CLI::App* s : app.get_subcommands({}))
            if (s->get_name() == arg) sub = s;
        if (sub) continue;
        std::string near = closest_name(arg, subs);
        if (near.empty()) return fmt::format("crit: unknown command `{}`", arg);
        return fmt::format("crit: unknown command `{}` (did you mean `{}`?)", arg, near);
    }
    return "";
}

}  // namespace

CLI::Validator one_of(std::vector<std::string> allowed) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return CLI::Validator(
        [allowed, list](std::string& value) -> std::string {
            for (const auto& a : allowed)
                if (value == a) return "";
            std::string near = closest_name(value, allowed);
            return fmt::format("`{}` is not one of {}{}", value, list,
                               near.empty() ? "" : fmt::format(" (did you mean `{}`?)", near));
        },
        "{" + fmt::format("{}", fmt::join(allowed, ",")) + "}");
}

void add_examples(CLI::App& app) {
    for (CLI::App* s : app.get_subcommands({})) {
        auto it = examples().find(s->get_name());
        if (it != examples().end()) s->footer("Examples:\n" + it->second);
    }
    app.footer("Examples:\n" + examples().at("run") + examples().at("check") +
               "Run `crit COMMAND --help` for a command's options and examples; exit codes: docs/cli.md.\n");
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
    std::string name = e.get_name();
    if (name == "CallForHelp" || name == "CallForAllHelp" || name == "CallForVersion") {
        app.exit(e);
        return kExitOk;
    }
    std::string h = hint(app, argc, argv);
    std::cerr << (h.empty() ? fmt::format("crit: {}", e.what()) : h) << "\n";
    std::cerr << "Run `crit --help` or `crit COMMAND --help` for usage and examples.\n";
    return kExitUsage;
}

}  // namespace crit
