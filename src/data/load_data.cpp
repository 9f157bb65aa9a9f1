#include "data/load_data.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <charconv>
#include <cmath>
#include <cstring>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "data/load_csv.hpp"
#include "data/load_fhir.hpp"
#include "data/load_yaml.hpp"

namespace crit {

namespace fs = std::filesystem;


// ---------------------------------------------------------------------------
// Format detection

namespace {

bool has_ext(const fs::path& p, std::initializer_list<const char*> exts) {
    std::string e = facts::lower(p.extension().string());
    for (const char* x : exts)
        if (e == x) return true;
    return false;
}

bool is_data_name(const fs::path& p) { return has_ext(p, {".json", ".ndjson", ".jsonl", ".csv", ".yaml", ".yml"}); }

// The data files under `dir`, recursively. A directory that cannot be read, or a data file
// that is not a readable regular file (a dangling link, a device), is an error, never skipped
// in silence; the walk goes on with the rest.
void walk(const fs::path& dir, std::vector<fs::path>& files, Diagnostics& diags) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) {
        diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot read the directory: {}", dir.string(), ec.message()));
        return;
    }
    for (; it != end; it.increment(ec)) {
        if (ec) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot read the directory: {}", dir.string(), ec.message()));
            return;
        }
        const fs::path& p = it->path();
        std::error_code sec;
        if (fs::is_directory(fs::symlink_status(p, sec))) {  // linked directories are not followed: no loops
            walk(p, files, diags);
        } else if (is_data_name(p)) {
            auto st = fs::status(p, sec);
            if (fs::is_regular_file(st)) files.push_back(p);
            else
                diags.error(DiagCode::Io, Span{},
                            fmt::format("{}: not a readable file ({})", p.string(),
                                        sec ? sec.message() : fs::exists(st) ? "not a regular file" : "a dangling link"));
        }
    }
}

// Looks at the first JSON object of `s` (a prefix of the file) without parsing
// it whole: the value of its top-level "resourceType", and whether the object
// closes before the first line break (one resource per line: NDJSON).
struct JsonSniff {
    std::string resource_type;
    bool closes_on_first_line = false;
    bool breaks_line = false;  // the object goes on past a line break: a pretty-printed document
};

JsonSniff sniff_json(std::string_view s) {
    JsonSniff r;
    int depth = 0;
    bool expect_key = false, want_value = false;
    std::string last_key;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            // To the closing quote a run at a time (find_first_of is memchr-fast); only
            // strings of the top level are copied.
            std::size_t j = i + 1;
            std::string str;
            while (true) {
                std::size_t k = s.find_first_of("\"\\", j);
                if (k == std::string_view::npos) return r;  // the prefix ends inside a string
                if (depth == 1) str.append(s.substr(j, k - j));
                if (s[k] == '"') {
                    j = k;
                    break;
                }
                j = k + 2;  // a backslash and the character it escapes
                if (j > s.size()) return r;
            }
            if (depth == 1 && want_value) {
                if (last_key == "resourceType") {
                    r.resource_type = str;
                    // A Bundle is a Bundle however it goes on: no need to look further.
                    if (str == "Bundle") return r;
                }
                want_value = false;
            } else if (depth == 1 && expect_key) {
                last_key = str;
            }
            i = j;
            continue;
        }
        if (c == '\n' && depth > 0) {  // the object goes on past the first line
            r.breaks_line = true;
            return r;
        }
        if (c == '{' || c == '[') {
            ++depth;
            expect_key = c == '{' && depth == 1;
            want_value = false;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                r.closes_on_first_line = true;
                return r;
            }
        } else if (depth == 1 && c == ':') {
            expect_key = false;
            want_value = true;
        } else if (depth == 1 && c == ',') {
            expect_key = true;
            want_value = false;
        } else if (depth == 1 && !std::isspace(static_cast<unsigned char>(c))) {
            want_value = false;  // a number, true, false or null
        }
    }
    return r;
}

Day today() {
    using namespace std::chrono;
    return static_cast<Day>(floor<days>(system_clock::now()).time_since_epoch().count());
}

void drop_future_records(Timeline& t, Day horizon, std::size_t concept_count, std::vector<Rejection>& rejections) {
    auto future = [&](Day d, std::uint32_t origin) {
        if (d <= horizon) return false;
        rejections.push_back(Rejection{t.origins[origin], t.patient_id, RejectReason::BadDate,
                                       fmt::format("dated {}, more than a year after today: a typo? The record is not "
                                                   "used (to evaluate as of a date, give --as-of)",
                                                   format_day(d))});
        return true;
    };
    auto obs_end = std::remove_if(t.observations.begin(), t.observations.end(),
                                  [&](const Observation& o) { return future(o.day, o.origin); });
    auto tr_end = std::remove_if(t.treatments.begin(), t.treatments.end(), [&](const Treatment& tr) {
        return future(tr.end ? std::max(tr.start, *tr.end) : tr.start, tr.origin);
    });
    if (obs_end == t.observations.end() && tr_end == t.treatments.end()) return;
    t.observations.erase(obs_end, t.observations.end());
    t.treatments.erase(tr_end, t.treatments.end());
    t.finalize(concept_count);
}

}  // namespace

DataFormat detect_format(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return DataFormat::Unreadable;
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::string_view s = head;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte order mark
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    if (!s.empty() && s.front() == '{') {
        // Named as NDJSON, it is NDJSON, however long its first line (a resource can pass 64 KiB).
        if (has_ext(path, {".ndjson", ".jsonl"})) return DataFormat::FhirNdjson;
        JsonSniff j = sniff_json(s);
        if (j.resource_type == "Bundle") return DataFormat::FhirBundle;
        if (j.closes_on_first_line) return DataFormat::FhirNdjson;
        // A first line longer than the look: one resource per line, unless it is a Bundle.
        if (!j.breaks_line && !j.resource_type.empty()) return DataFormat::FhirNdjson;
        return DataFormat::FhirBundle;  // a pretty-printed document: the Bundle loader says what is wrong
    }
    // An empty export file (no resources of that type) is an export, not an error.
    if (s.empty() && has_ext(path, {".ndjson", ".jsonl"})) return DataFormat::FhirNdjson;
    std::string first = facts::lower(s.substr(0, std::min<std::size_t>(s.size(), 12)));
    if (first.rfind("patient_id", 0) == 0 || first.rfind("\"patient_id\"", 0) == 0) return DataFormat::Csv;
    if (has_ext(path, {".csv"})) return DataFormat::Csv;  // the CSV loader says what its header lacks
    if (has_ext(path, {".yaml", ".yml"})) return DataFormat::Yaml;
    return DataFormat::Unknown;
}

// ---------------------------------------------------------------------------
// Dispatch

void for_each_patient(const std::vector<std::string>& paths, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejections, Diagnostics& diags, const LoadOptions& opt) {
    using Clock = std::chrono::steady_clock;
    auto since = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    // One unit of work: a file, or the NDJSON files of one cohort.
    struct Unit {
        DataFormat format;
        std::vector<std::string> files;
    };
    std::vector<Unit> units;
    std::map<std::string, std::size_t> ndjson_unit;  // cohort key -> unit
    auto add = [&](const fs::path& p, const std::string& cohort, bool walked) {
        auto t0 = Clock::now();
        DataFormat f = detect_format(p.string());
        if (opt.stats) opt.stats->detect += since(t0);
        if (f == DataFormat::Unreadable) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot read the file: {}", p.string(), std::strerror(errno)));
            return;
        }
        if (f == DataFormat::Unknown) {
            if (walked && !has_ext(p, {".json", ".ndjson", ".jsonl", ".csv"})) return;
            diags.error(DiagCode::Io, Span{},
                        fmt::format("{}: unsupported data format (expected a FHIR Bundle or Bulk NDJSON, a CSV "
                                    "with a `patient_id,time,concept,value,unit` header, or a YAML timeline)",
                                    p.string()));
            return;
        }
        if (f == DataFormat::FhirNdjson) {
            auto [it, fresh] = ndjson_unit.emplace(cohort, units.size());
            if (!fresh) {
                units[it->second].files.push_back(p.string());
                return;
            }
        }
        units.push_back(Unit{f, {p.string()}});
    };
    for (const auto& path : paths) {
        std::error_code ec;
        fs::path p(path);
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> files;
            walk(p, files, diags);
            std::sort(files.begin(), files.end());
            // The NDJSON files of one directory are one export: one cohort.
            for (const auto& f : files) add(f, "dir:" + f.parent_path().string(), true);
        } else if (fs::is_regular_file(p, ec)) {
            add(p, "args", false);  // NDJSON files named on the command line form one cohort
        } else if (fs::exists(p, ec)) {
            // A pipe or device could be read only once, and format detection and the NDJSON
            // index read a file more than once: refused, never half-read.
            diags.error(DiagCode::Io, Span{},
                        fmt::format("{}: not a regular file (a pipe or device); crit reads data from files: save "
                                    "the stream to a file first",
                                    path));
        } else if (ec) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot read: {}", path, ec.message()));
        } else {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: no such file or directory", path));
        }
    }

    // A patient id seen in an earlier file: reported, and the later patient dropped.
    std::unordered_map<std::string, std::size_t> seen;  // patient id -> unit that gave it
    std::size_t current = 0;
    FhirStats stats;
    // Records dated more than a year after today are typos (2204 for 2024): kept, they would
    // move the patient's evaluation date centuries ahead. Rejected, with a hint.
    const Day horizon = today() + 366;
    auto emit = [&](Timeline&& t) {
        drop_future_records(t, horizon, b.concepts.size(), rejections);
        // The disease, by the bindings' names, so a rule pack can refuse another disease's patients.
        if (!t.diagnosis.empty())
            if (auto dx = b.diagnosis_by_text(t.diagnosis)) t.disease = b.diagnoses[*dx].name;
        auto [it, fresh] = seen.emplace(t.patient_id, current);
        if (!fresh) {
            // Named by the file its records came from (an NDJSON cohort has many), and every
            // record of the copy dropped is listed among the rejections.
            const std::string& where = t.origins.empty() ? units[current].files.front() : t.origins.front().file;
            diags.error(DiagCode::Timeline, Span{},
                        fmt::format("{}: patient `{}` appears twice (also in {}); the later one is ignored",
                                    where, t.patient_id, units[it->second].files.front()));
            for (const Origin& o : t.origins)
                rejections.push_back(Rejection{o, t.patient_id, RejectReason::DuplicatePatient,
                                               fmt::format("patient `{}` was already read from {}; this record of the "
                                                           "later copy is not used",
                                                           t.patient_id, units[it->second].files.front())});
            return;
        }
        sink(std::move(t));
    };
    // Bundle files are loaded a window at a time on `jobs` threads, each into its own
    // patients, rejections and diagnostics, with marks of how many rejections and
    // diagnostics came before each patient; they are then replayed here in file order, so
    // the sink sees exactly what one thread would have shown it. Memory: a window of files.
    struct BundleLoad {
        struct Patient {
            Timeline t;
            std::size_t rejects = 0, diags = 0;  // how many came before it
        };
        std::vector<Patient> patients;
        std::vector<Rejection> rejects;
        Diagnostics diags{std::size_t{1} << 40};  // all kept: the caller's diags apply its limit
        FhirStats stats;
        double seconds = 0;
    };
    const std::size_t jobs = std::max(1u, opt.jobs);
    auto load_window = [&](std::size_t from, std::size_t to) {
        std::vector<BundleLoad> loads(to - from);
        std::size_t threads = std::min(jobs, to - from);
        auto work = [&](std::size_t k) {
            for (std::size_t i = k; i < loads.size(); i += threads) {
                BundleLoad& l = loads[i];
                auto t0 = Clock::now();
                load_fhir_bundle(
                    units[from + i].files.front(), b,
                    [&l](Timeline&& t) {
                        l.patients.push_back(BundleLoad::Patient{std::move(t), l.rejects.size(), l.diags.items().size()});
                    },
                    l.rejects, l.diags, &l.stats);
                l.seconds = since(t0);
            }
        };
        std::vector<std::thread> pool;
        for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work, k);
        work(0);
        for (auto& th : pool) th.join();
        for (std::size_t i = 0; i < loads.size(); ++i) {
            current = from + i;
            BundleLoad& l = loads[i];
            std::size_t r = 0, d = 0;
            auto catch_up = [&](std::size_t rejects_to, std::size_t diags_to) {
                for (; r < rejects_to; ++r) rejections.push_back(std::move(l.rejects[r]));
                for (; d < diags_to; ++d) diags.add(l.diags.items()[d]);
            };
            for (auto& pt : l.patients) {
                catch_up(pt.rejects, pt.diags);
                emit(std::move(pt.t));
            }
            catch_up(l.rejects.size(), l.diags.items().size());
            for (const auto& [type, n] : l.stats.skipped_types) stats.skipped_types[type] += n;
            if (opt.stats) {
                opt.stats->bundle += l.seconds;
                std::error_code ec;
                opt.stats->bytes.fetch_add(fs::file_size(units[current].files.front(), ec), std::memory_order_relaxed);
            }
        }
    };
    for (current = 0; current < units.size(); ++current) {
        const Unit& u = units[current];
        if (u.format == DataFormat::FhirBundle && jobs > 1) {
            std::size_t to = current + 1;
            while (to < units.size() && to - current < 8 * jobs && units[to].format == DataFormat::FhirBundle) ++to;
            load_window(current, to);
            current = to - 1;
            continue;
        }
        switch (u.format) {
            case DataFormat::Yaml: {
                LoadResult r;
                load_yaml_timelines(u.files.front(), b, r, diags);
                for (auto& rej : r.rejections) rejections.push_back(std::move(rej));
                for (auto& t : r.patients) emit(std::move(t));
                break;
            }
            case DataFormat::FhirBundle: {
                auto t0 = Clock::now();
                load_fhir_bundle(u.files.front(), b, emit, rejections, diags, &stats);
                if (opt.stats) {
                    opt.stats->bundle += since(t0);
                    std::error_code ec;
                    opt.stats->bytes.fetch_add(fs::file_size(u.files.front(), ec), std::memory_order_relaxed);
                }
                break;
            }
            case DataFormat::FhirNdjson: {
                NdjsonOptions nopt;
                nopt.jobs = opt.jobs;
                nopt.stats = opt.stats;
                load_fhir_ndjson(u.files, b, emit, rejections, diags, nopt, &stats);
                break;
            }
            case DataFormat::Csv:
                load_csv(u.files.front(), b, emit, rejections, diags);
                break;
            case DataFormat::Unknown:
            case DataFormat::Unreadable:  // reported when the file was listed; never a unit
                break;
        }
    }
    if (!stats.skipped_types.empty()) {
        std::string list;
        for (const auto& [type, n] : stats.skipped_types)
            list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, type);
        diags.warning(DiagCode::Timeline, Span{},
                      fmt::format("FHIR resources crit does not read were skipped: {} (crit reads Patient, Condition, "
                                  "Observation, MedicationAdministration, Procedure, and Medication for references)",
                                  list));
    }
}

void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags) {
    for_each_patient(
        paths, b, [&](Timeline&& t) { out.patients.push_back(std::move(t)); }, out.rejections, diags);
}

}  // namespace crit
