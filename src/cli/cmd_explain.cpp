#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "out/explain.hpp"
#include "out/results.hpp"
#include "core/text.hpp"
#include "data/load_data.hpp"
#include "lang/ast.hpp"
#include "vm/vm.hpp"

namespace crit {

int cmd_explain(const std::string& rules, const std::vector<std::string>& data_paths, const std::string& patient,
                const std::string& as_of_text, const CompileOptions& copt, const ExplainOptions& opt) {
    auto as_of = parse_as_of(as_of_text);
    Diagnostics d;
    auto c = compile_file(rules, d, copt);
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
    bool found = false, other = false;
    EvalContext ctx;
    ctx.trace = true;
    for_each_patient(data_paths, *c.bindings, [&](Timeline&& t) {
        if (found || t.patient_id != patient) return;
        found = true;
        if (auto r = other_disease(*c.program, t)) {
            std::cerr << "crit: " << printable(r->detail) << "\n";
            other = true;
            return;
        }
        const Evaluation& ev = evaluate(*c.program, t, as_of, ctx);
        // html is the report's patient section (cli/report), not an explanation format of out/.
        std::cout << printable(opt.format == "html" ? patient_page(*c.program, c.program->module->source->name(), t, ev)
                                                   : explain(*c.program, t, ev, opt));
    }, rejections, data_diags);
    print_diags(data_diags);
    for (const auto& r : rejections)
        if (r.patient_id == patient && !is_skip(r))
            std::cerr << fmt::format("note: {}:{}: record not used: {}: {}\n", r.origin.file, r.origin.line, reject_reason_name(r.reason), r.detail);
    if (found) return other ? 2 : 0;
    std::cerr << fmt::format("crit: no patient `{}` in the data\n", patient);
    return 2;
}

}  // namespace crit
