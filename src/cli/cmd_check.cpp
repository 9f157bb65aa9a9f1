#include "cli/commands.hpp"

#include <iostream>

#include <fmt/format.h>

#include "cli/build_info.hpp"
#include "cli/diag_formats.hpp"
#include "lang/ast.hpp"
#include "lang/bytecode.hpp"

namespace crit {

int print_diags(const Diagnostics& d) {
    std::string s = render(d);
    if (!s.empty()) std::cerr << s;
    return d.has_errors() ? 1 : 0;
}

std::optional<Day> parse_as_of(const std::string& s) {
    if (s.empty()) return std::nullopt;
    auto d = parse_day(s);
    if (!d) throw UsageError(fmt::format("--as-of: `{}` is not a date (YYYY-MM-DD)", s));
    return d;
}

CompileOptions with_dump(CompileOptions copt, const std::string& dump_after) {
    copt.dump_after = dump_after;
    return copt;
}

int cmd_check(const std::vector<std::string>& files, const CompileOptions& copt, const std::string& dump,
              const std::string& format) {
    int rc = 0;
    std::vector<Diagnostic> all;
    for (const auto& f : files) {
        Diagnostics d;
        auto c = compile_file(f, d, with_dump(copt, dump));
        if (!c.dump.empty()) std::cout << c.dump;
        if (format == "text") {
            rc = std::max(rc, print_diags(d));
        } else {
            d.sort();
            all.insert(all.end(), d.items().begin(), d.items().end());
            rc = std::max(rc, d.has_errors() ? 1 : 0);
        }
        if (!d.has_errors())
            std::cerr << fmt::format("{}: ok ({} criteria, {} results)\n", f, c.module->criteria.size(),
                                     c.module->results.size());
    }
    if (format == "json") std::cout << diagnostics_json(all);
    if (format == "sarif") std::cout << diagnostics_sarif(all, build_info().version);
    return rc;
}

int cmd_disasm(const std::string& file, const CompileOptions& copt, bool opcodes) {
    if (opcodes) {
        std::cout << opcode_reference();
        return 0;
    }
    Diagnostics d;
    auto c = compile_file(file, d, copt);
    int rc = print_diags(d);
    if (c.program) std::cout << disassemble(*c.program);
    return rc;
}

}  // namespace crit
