#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/explain.hpp"
#include "core/text.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace crit {

// Two rule packs over the same patients: who is classified differently, and why.
int cmd_compare(const std::vector<std::string>& packs, const std::vector<std::string>& data_paths,
                const std::string& as_of_text, const CompileOptions& copt, bool explain_each) {
    auto as_of = parse_as_of(as_of_text);
    Diagnostics d;
    auto a = compile_file(packs[0], d, copt);
    auto b = compile_file(packs[1], d, copt);
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

}  // namespace crit
