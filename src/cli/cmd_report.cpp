#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "core/atomic_file.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace crit {

int cmd_report(const ReportOptions& o, const CompileOptions& copt) {
    if (o.rules.empty() || o.rules.size() > 2) throw UsageError("crit report: give one --rules file, or two to compare them");
    auto as_of = parse_as_of(o.as_of);
    Diagnostics d;
    std::vector<Compilation> compiled;
    for (const auto& r : o.rules) compiled.push_back(compile_file(r, d, copt));
    if (print_diags(d)) return 1;
    for (const auto& c : compiled)
        if (!c.program) return 1;
    std::vector<ReportPack> packs;
    packs.reserve(compiled.size());
    for (std::size_t k = 0; k < compiled.size(); ++k) packs.emplace_back(*compiled[k].program, o.rules[k]);
    // Two packs of one name (two versions of a file) are told apart by their file names.
    if (packs.size() == 2 && packs[0].label == packs[1].label) {
        for (auto& pk : packs) pk.label = std::filesystem::path(pk.file).filename().string();
        if (packs[0].label == packs[1].label)
            for (auto& pk : packs) pk.label = pk.file;
    }
    std::optional<AtomicFile> output_file;
    if (!o.output.empty()) {
        output_file.emplace(o.output);
        if (!output_file->ok()) {
            std::cerr << "crit: " << output_file->error() << "\n";
            return 2;
        }
    }

    DataEncoding encoding = o.encoding == "json" ? DataEncoding::Json : o.encoding == "gzip" ? DataEncoding::Gzip : DataEncoding::Auto;
    Report report(packs, o.data, as_of, encoding);
    std::vector<EvalContext> contexts(packs.size());
    for (auto& c : contexts) c.trace = true;  // the sections carry each result's explanation
    std::vector<Rejection> rejections;
    Diagnostics data_diags;
    std::size_t patients = 0;
    // The data are read through the first pack's bindings, as `crit compare` reads them.
    for_each_patient(o.data, *compiled.front().bindings, [&](Timeline&& t) {
        report.take(rejections);
        for (const auto& pk : packs)
            if (auto r = other_disease(*pk.program, t)) {
                rejections.push_back(std::move(*r));
                return;
            }
        std::vector<const Evaluation*> evs;
        for (std::size_t k = 0; k < packs.size(); ++k) evs.push_back(&evaluate(*packs[k].program, t, as_of, contexts[k]));
        report.add(t, evs);
        ++patients;
    }, rejections, data_diags);
    report.take(rejections);
    report.data_diagnostics(data_diags);
    print_diags(data_diags);

    std::ostream& out = output_file ? output_file->stream() : std::cout;
    out << report.html();
    if (output_file ? !output_file->commit() : !flushed(std::cout)) {
        std::cerr << "crit: "
                  << (output_file ? output_file->error()
                                  : "cannot write the report to standard output: " + std::string(std::strerror(errno ? errno : EIO)))
                  << "\n";
        return 2;
    }
    if (!o.output.empty()) std::cerr << fmt::format("crit: report of {} patients written to {}\n", patients, o.output);
    return data_diags.has_errors() ? 2 : 0;
}

}  // namespace crit
