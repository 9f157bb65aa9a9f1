#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/impl.hpp"
#include "core/dates.hpp"
#include "data/load_data.hpp"
#include "out/explain.hpp"
#include "vm/batch.hpp"
#include "vm/vm.hpp"

namespace crit::api {

const std::string& Patient::id() const { return impl_->timeline.patient_id; }
std::size_t Patient::records() const { return impl_->timeline.observations.size() + impl_->timeline.treatments.size(); }

std::string DataReport::summary_line() const {
    return nlohmann::ordered_json{{"summary",
                                   {{"complete", true},
                                    {"patients", patients},
                                    {"rejected", rejected},
                                    {"skipped", skipped},
                                    {"data_errors", data_errors}}}}
        .dump();
}

namespace {

std::optional<Day> as_of_day(const EvalOptions& o) {
    if (!o.as_of) return std::nullopt;
    auto d = parse_day(*o.as_of);
    if (!d) throw Error("usage", fmt::format("as_of: `{}` is not a date (YYYY-MM-DD)", *o.as_of));
    return d;
}

// One evaluation as the facade hands it out; the intervals are read back from the JSON
// object `crit run` writes, so the two can never disagree.
Result detach(const Pack::Impl& pk, const Timeline& t, const Evaluation& ev, bool explain_too) {
    Result r;
    r.patient = ev.patient_id;
    if (ev.dated) r.as_of = format_day(ev.domain.hi);
    for (const auto& v : ev.results) {
        Value x;
        x.name = v.name;
        x.kind = static_cast<Value::Kind>(v.kind);
        x.text = result_text(v);
        x.truth = v.truth;
        r.values.push_back(std::move(x));
    }
    nlohmann::ordered_json j = pk.writer->patient_json(t, ev);
    for (const auto& [criterion, list] : j["criteria"].items())
        for (const auto& iv : list)
            r.intervals.push_back(Interval{criterion, iv["from"].get<std::string>(), iv["to"].get<std::string>(),
                                           iv["state"].get<std::string>()});
    r.json_line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    if (explain_too) {
        r.explanation = explain(pk.program(), t, ev);
        ExplainOptions jo;
        jo.format = "json";
        r.explanation_json = explain(pk.program(), t, ev, jo);
    }
    return r;
}

struct Tally {
    DataReport& report;
    void take(std::vector<crit::Rejection>& batch) {
        for (auto& r : batch) {
            bool skip = is_skip(r);
            (skip ? report.skipped : report.rejected) += 1;
            report.rejections.push_back(Rejection{r.origin.file, static_cast<int>(r.origin.line), r.origin.path, r.patient_id,
                                                  reject_reason_name(r.reason), r.detail, skip});
        }
        batch.clear();
    }
};

// Streams the patients of `paths` to `take`, which says whether it kept the patient (a kept
// patient is counted in the report, with its records). Each patient's rejections are in
// the report before `take` sees it; `take` may add rejections of its own.
DataReport stream(const Bindings& b, const std::vector<std::string>& paths,
                  const std::function<bool(Timeline&&, std::vector<crit::Rejection>&)>& take) {
    DataReport report;
    Tally tally{report};
    std::vector<crit::Rejection> rejections;
    Diagnostics diags;
    for_each_patient(paths, b, [&](Timeline&& t) {
        tally.take(rejections);
        std::size_t records = t.observations.size() + t.treatments.size();
        if (!take(std::move(t), rejections)) return;
        ++report.patients;
        report.records += records;
    }, rejections, diags);
    tally.take(rejections);
    report.data_errors = diags.error_count();
    report.diagnostics = to_api(diags);
    return report;
}

}  // namespace

DataReport Pack::each_patient(const std::vector<std::string>& paths, const std::function<void(Patient&&)>& sink) const {
    return stream(*impl_->c.bindings, paths, [&](Timeline&& t, std::vector<crit::Rejection>&) {
        auto impl = std::make_shared<Patient::Impl>();
        impl->timeline = std::move(t);
        sink(Patient(std::move(impl)));
        return true;
    });
}

std::optional<Patient> Pack::find(const std::vector<std::string>& paths, const std::string& id) const {
    std::optional<Patient> found;
    DataReport report = each_patient(paths, [&](Patient&& p) {
        if (!found && p.id() == id) found = std::move(p);
    });
    if (report.data_errors > 0 && !found)
        throw Error("data", report.diagnostics.empty() ? "the data cannot be read" : report.diagnostics.front().rendered,
                    report.diagnostics);
    return found;
}

Result Pack::evaluate(const Patient& patient, const EvalOptions& opt) const {
    const Timeline& t = patient.impl().timeline;
    if (auto r = other_disease(impl_->program(), t)) throw Error("data", r->detail);
    EvalContext ctx;
    ctx.trace = opt.explain;
    return detach(*impl_, t, crit::evaluate(impl_->program(), t, as_of_day(opt), ctx), opt.explain);
}

DataReport Pack::run(const std::vector<std::string>& paths, const RunOptions& opt,
                     const std::function<void(Result&&)>& sink) const {
    // As `crit run`: whole patients stream in batches; a batch is evaluated by `threads`
    // threads sharing the immutable program (one context each), handed on in input order.
    auto as_of = as_of_day(opt);
    const Program& p = impl_->program();
    constexpr std::size_t kBatch = 512;
    std::vector<Timeline> batch;
    std::vector<Result> done;
    std::vector<EvalContext> contexts(std::max(1u, opt.threads));
    for (auto& c : contexts) c.trace = opt.explain;
    auto flush = [&] {
        evaluate_batch(p, batch, as_of, contexts, done, [&](const Timeline& t, const Evaluation& ev) {
            return detach(*impl_, t, ev, opt.explain);
        });
        for (auto& r : done) sink(std::move(r));
        batch.clear();
    };
    DataReport report = stream(*impl_->c.bindings, paths, [&](Timeline&& t, std::vector<crit::Rejection>& rejections) {
        if (auto r = other_disease(p, t)) {
            rejections.push_back(std::move(*r));
            return false;
        }
        batch.push_back(std::move(t));
        if (batch.size() == kBatch) flush();
        return true;
    });
    flush();
    return report;
}

}  // namespace crit::api
