#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <unistd.h>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "out/fhir_results.hpp"
#include "vm/batch.hpp"
#include "out/results.hpp"
#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace crit {

namespace {

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
    std::cerr << fmt::format("crit: {} patients evaluated, {} records used, {} records rejected, {} skipped\n",
                             patients, records, tally.errors.size(), tally.skipped);
    for (const auto& [reason, n] : tally.by_reason) std::cerr << fmt::format("  {:>7}  {}\n", n, reason);
    for (const auto& r : tally.errors)
        std::cerr << printable(fmt::format("  {}:{}: {}: {}{}", r.origin.file, r.origin.line, reject_reason_name(r.reason),
                                           r.detail, r.patient_id.empty() ? "" : " (patient " + r.patient_id + ")"))
                  << '\n';
}

// A line on stderr every few seconds while data loads: patients done, MB read and MB/s.
// On a terminal it rewrites itself (\r) and is cleared at the end; elsewhere (--progress
// into a log) each is a line of its own.
class Progress {
public:
    Progress(bool on, const LoadStats& stats, const std::atomic<std::size_t>& patients)
        : stats_(stats), patients_(patients), tty_(isatty(2) != 0) {
        if (on) thread_ = std::thread([this] { loop(); });
    }
    ~Progress() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard<std::mutex> lock(m_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
        if (tty_ && printed_) std::cerr << "\r\033[K" << std::flush;
    }

private:
    void loop() {
        auto t0 = std::chrono::steady_clock::now();
        std::unique_lock<std::mutex> lock(m_);
        while (!cv_.wait_for(lock, std::chrono::seconds(2), [this] { return done_; })) {
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            double mb = static_cast<double>(stats_.bytes.load(std::memory_order_relaxed)) / 1e6;
            std::cerr << fmt::format("{}crit: {} patients, {:.0f} MB read, {:.0f} MB/s, {:.0f} s{}", tty_ ? "\r\033[K" : "",
                                     patients_.load(std::memory_order_relaxed), mb, s > 0 ? mb / s : 0.0, s,
                                     tty_ ? "" : "\n")
                      << std::flush;
            printed_ = true;
        }
    }
    const LoadStats& stats_;
    const std::atomic<std::size_t>& patients_;
    bool tty_;
    bool printed_ = false;
    bool done_ = false;
    std::mutex m_;
    std::condition_variable cv_;
    std::thread thread_;
};

}  // namespace

int cmd_run(const RunOptions& o, const CompileOptions& copt) {
    auto as_of = parse_as_of(o.as_of);
    const std::string& format = o.format;
    Diagnostics d;
    auto c = compile_file(o.rules, d, copt);
    if (print_diags(d) || !c.program) return 1;
    const Program& p = *c.program;
    std::string issued;
    if (format == "fhir") {
        std::string why;
        issued = fhir_issued_instant(why);
        if (!why.empty()) {
            std::cerr << "crit run: " << why << "\n";
            return 64;
        }
    }
    // Output files are opened before the run (an unwritable path fails now, not after it) and
    // appear under their names only when complete.
    std::optional<AtomicFile> rejects_file, output_file;
    if (!o.rejects.empty()) rejects_file.emplace(o.rejects);
    if (!o.output.empty()) output_file.emplace(o.output);
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
    std::vector<std::string> lines;
    std::vector<EvalContext> contexts(std::max(1u, o.jobs));
    // FHIR cites the records each result used: the VM's trace, as explain reads it.
    for (auto& ctx : contexts) ctx.trace = format == "fhir";
    TableWriter table(p);
    const ResultsWriter writer(p);
    const FhirResultsWriter fhir(p, issued);
    std::size_t patients = 0, records = 0;
    double eval_seconds = 0;
    if (format == "csv") out << writer.csv_header();
    auto run_batch = [&](std::vector<Timeline>& batch) {
        auto e0 = std::chrono::steady_clock::now();
        if (format == "table") {
            for (const auto& t : batch) table.add(evaluate(p, t, as_of, contexts[0]));
        } else {
            evaluate_batch(p, batch, as_of, contexts, lines, [&](const Timeline& t, const Evaluation& ev) {
                return format == "csv"    ? writer.csv_row(ev)
                       : format == "fhir" ? fhir.ndjson(t, ev)
                                          : writer.json_line(t, ev) + "\n";
            });
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
    LoadStats load_stats;
    std::atomic<std::size_t> done{0};
    Progress progress(o.progress || isatty(2), load_stats, done);
    LoadOptions lopt;
    lopt.jobs = o.jobs;
    lopt.stats = &load_stats;
    load_stats.phases = o.stats;
    // With threads to spare, loading and evaluation overlap: the loader runs on a thread of
    // its own and hands over full batches through a queue of at most two (memory stays
    // bounded); this thread evaluates and writes them in the order they came. The loader
    // alone touches the rejections, the tally and data_diags until it is joined.
    const bool pipelined = o.jobs > 1;
    std::mutex qm;
    std::condition_variable qcv;
    std::deque<std::vector<Timeline>> queue;
    bool loaded = false;
    std::vector<Timeline> batch;
    auto hand_over = [&] {
        if (!pipelined) {
            run_batch(batch);
            return;
        }
        std::unique_lock<std::mutex> lock(qm);
        qcv.wait(lock, [&] { return queue.size() < 2; });
        queue.push_back(std::move(batch));
        batch.clear();
        qcv.notify_all();
    };
    std::exception_ptr load_error;
    auto load = [&] {
        try {
            for_each_patient(o.data, *c.bindings, [&](Timeline&& t) {
                tally.take(rejections, rejects_out);
                if (auto r = other_disease(p, t)) {
                    rejections.push_back(std::move(*r));
                    return;
                }
                ++patients;
                records += t.observations.size() + t.treatments.size();
                batch.push_back(std::move(t));
                if (batch.size() == kBatch) {
                    hand_over();
                    done.store(patients, std::memory_order_relaxed);
                }
            }, rejections, data_diags, lopt);
            if (!batch.empty()) hand_over();
        } catch (...) {
            load_error = std::current_exception();
        }
        std::lock_guard<std::mutex> lock(qm);
        loaded = true;
        qcv.notify_all();
    };
    if (!pipelined) {
        load();
    } else {
        std::thread loader(load);
        while (true) {
            std::vector<Timeline> next;
            {
                std::unique_lock<std::mutex> lock(qm);
                qcv.wait(lock, [&] { return loaded || !queue.empty(); });
                if (queue.empty()) break;
                next = std::move(queue.front());
                queue.pop_front();
                qcv.notify_all();
            }
            run_batch(next);
        }
        loader.join();
    }
    if (load_error) std::rethrow_exception(load_error);
    progress.stop();
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
    if (o.stats) {
        double total = std::chrono::duration<double>(t1 - t0).count();
        std::cerr << fmt::format("crit: load {:.3f} s, evaluate + format {:.3f} s ({:.0f} patients/s, {} threads), {} instructions{}\n",
                                 total - eval_seconds, eval_seconds, eval_seconds > 0 ? patients / eval_seconds : 0.0,
                                 format == "table" ? 1u : contexts.size(), p.code.size(),
                                 pipelined ? fmt::format(" (overlapped: {:.3f} s wall in all)", total) : "");
        const LoadStats& ls = load_stats;
        std::cerr << fmt::format("crit: load phases (thread seconds): detect {:.3f}, index {:.3f} ({:.3f} s wall), group {:.3f}, read back "
                                 "{:.3f}, parse {:.3f}, records {:.3f}, finish {:.3f}, bundles {:.3f}; {:.1f} MB read, "
                                 "{:.1f} MB/s end to end\n",
                                 ls.detect, ls.index, ls.index_wall, ls.group, ls.read_back, ls.parse, ls.records, ls.finish, ls.bundle,
                                 static_cast<double>(ls.bytes.load()) / 1e6,
                                 total > 0 ? static_cast<double>(ls.bytes.load()) / 1e6 / total : 0.0);
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
    if (o.strict && !tally.errors.empty()) return 2;
    return 0;
}

}  // namespace crit
