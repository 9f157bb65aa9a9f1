// FHIR R4 Bundles and Bulk NDJSON -> Timeline: the two loaders of load_fhir.hpp.
// Each finds the patient of every resource and hands the resource to a Reader
// (fhir_resources.hpp); JSON reading, positions and NDJSON lines are in
// fhir_json.hpp. Design, memory bound, fields read and rejection reasons:
// load_fhir.hpp.
#include "data/load_fhir.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "data/fhir_json.hpp"
#include "data/fhir_resources.hpp"
#include "data/line_spill.hpp"

namespace crit {

namespace {

using namespace fhir;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }
// CPU seconds of the calling thread: phase times that a busy machine does not inflate.
double thread_cpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// ===========================================================================
// Bundles

// Loads the Bundle that starts at byte `start` of `file`. Some exporters write several
// Bundles to one file, one after another (often one per line): `next` is set to where the
// following one starts, or to the end of the file.
//
// Bytes [start, end) are parsed. `probe`: the range is one line tried as a whole Bundle;
// if the Bundle goes on past it (a pretty-printed Bundle), nothing is reported and
// *probe is set, for the caller to try the rest of the file.
bool load_one_bundle(const SourcePtr& file, std::size_t start, std::size_t end, std::size_t& next, const Bindings& b,
                     const PatientSink& sink, std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats,
                     bool* probe = nullptr) {
    const std::string& name = file->name();
    next = end;
    simdjson::padded_string text(std::string_view(file->text()).substr(start, end - start));
    od::parser parser;
    JArena arena;
    Json json(arena, text.data(), static_cast<std::uint32_t>(start));

    struct Entry {
        std::size_t index = 0;
        std::string full_url;
        bool has_resource = false;
        JNode resource;
    };
    std::vector<Entry> entries;
    std::string rtype, btype;
    std::uint32_t rtype_pos = 0, btype_pos = 0;
    // Valid JSON that is not shaped like a Bundle.
    struct Shape {
        std::uint32_t pos;
        std::string msg;
    };
    auto expect = [&](od::value& v, od::json_type t, const char* what) {
        std::uint32_t p = json.pos(v);
        if (od::json_type(v.type()) != t) throw Shape{p, what};
    };
    try {
        od::document doc = parser.iterate(text);
        if (od::json_type(doc.type()) != od::json_type::object) {
            error_at(diags, *file, static_cast<std::uint32_t>(start), "a FHIR Bundle file holds one JSON object");
            return false;
        }
        od::object root = doc.get_object();
        for (auto f : root) {
            std::string_view key = f.unescaped_key();
            od::value v = f.value();
            if (key == "resourceType" || key == "type") {
                std::uint32_t p = json.pos(v);
                JNode n = json.read(v);
                (key == "type" ? btype : rtype) = n.str() ? n.text : std::string_view("(not a string)");
                (key == "type" ? btype_pos : rtype_pos) = p;
            } else if (key == "entry") {
                expect(v, od::json_type::array, "Bundle.entry must be an array of entries");
                od::array list = v.get_array();
                std::size_t i = 0;
                for (auto e : list) {
                    od::value ev = e.value();
                    Entry en;
                    en.index = i++;
                    expect(ev, od::json_type::object, "a Bundle entry must be an object {fullUrl, resource}");
                    od::object eo = ev.get_object();
                    for (auto ef : eo) {
                        std::string_view ek = ef.unescaped_key();
                        od::value evv = ef.value();
                        if (ek == "fullUrl") {
                            JNode u = json.read(evv);
                            if (u.str()) en.full_url = u.text;
                        } else if (ek == "resource") {
                            expect(evv, od::json_type::object,
                                   "entry.resource must be a JSON object (a FHIR resource)");
                            en.resource = json.resource(evv, Reader::reads_field);
                            en.has_resource = true;
                        } else {
                            json.skip(evv);
                        }
                    }
                    entries.push_back(std::move(en));
                }
            } else {
                json.skip(v);
            }
        }
        // Past the root object: the next value, if any (an error at the end of the input).
        auto loc = doc.current_location();
        if (!loc.error()) next = start + static_cast<std::size_t>(loc.value() - text.data());
    } catch (const simdjson::simdjson_error& e) {
        if (probe && truncation(e)) {
            *probe = true;
            return false;
        }
        std::uint32_t pos = truncation(e) ? static_cast<std::uint32_t>(end) : json.last();
        error_at(diags, *file, pos, fmt::format("not valid JSON: {}", json_error_text(e)))
            .notes.push_back("the Bundle is not loaded: its patients would miss data after this point");
        return false;
    } catch (const Shape& e) {
        error_at(diags, *file, e.pos, e.msg).notes.push_back("the Bundle is not loaded");
        return false;
    }
    if (rtype != "Bundle") {
        error_at(diags, *file, rtype_pos,
                 rtype.empty() ? "the JSON object has no resourceType; expected a FHIR Bundle"
                               : fmt::format("resourceType is `{}`; a .json data file holds one FHIR Bundle", rtype));
        return false;
    }
    if (btype != "collection" && btype != "searchset" && btype != "transaction") {
        error_at(diags, *file, btype_pos,
                 btype.empty()
                     ? "the Bundle has no type (collection, searchset or transaction)"
                     : fmt::format("Bundle type `{}` is not read (collection, searchset or transaction)", btype));
        return false;
    }

    // Medications first (medicationReference), then patients, then their records.
    MedicationIndex meds;
    for (const auto& e : entries) {
        if (!e.has_resource || !str_at(&e.resource, "resourceType") ||
            *str_at(&e.resource, "resourceType") != "Medication")
            continue;
        auto codes = codes_of(e.resource.get("code"));
        if (!e.full_url.empty()) meds[e.full_url] = codes;
        if (auto id = str_at(&e.resource, "id")) meds[fmt::format("Medication/{}", *id)] = codes;
    }
    Reader reader(b, rejects, meds);
    std::vector<PatientAcc> patients;
    std::unordered_map<std::string, std::size_t> by_url, by_id;
    // An accepted record is named as NDJSON names it, `Type/id` (FHIR output cites it as
    // derivedFrom), or by its entry when the resource has no id.
    auto place = [&](const Entry& e) {
        std::string path = fmt::format("entry[{}].resource", e.index);
        const std::string_view* type = e.has_resource ? str_at(&e.resource, "resourceType") : nullptr;
        const std::string_view* id = e.has_resource ? str_at(&e.resource, "id") : nullptr;
        std::string record = type && id ? fmt::format("{}/{}", *type, *id) : path;
        return Place(name, file.get(), 0, std::move(path), std::move(record));
    };
    for (const auto& e : entries) {
        const std::string_view* type = e.has_resource ? str_at(&e.resource, "resourceType") : nullptr;
        if (!type || *type != "Patient") continue;
        Place at = place(e);
        std::string id;
        if (auto s = str_at(&e.resource, "id")) id = *s;
        else if (starts_with(e.full_url, "urn:uuid:")) id = e.full_url.substr(9);
        if (id.empty()) {
            reader.reject(at, &e.resource, "id", "", RejectReason::BadRecord, "the Patient has no id (and no urn:uuid fullUrl)");
            continue;
        }
        if (by_id.count(id)) {
            reader.reject(at, &e.resource, "id", id, RejectReason::DuplicatePatient,
                          fmt::format("Patient `{}` appears twice in the Bundle; the later one is ignored", id));
            continue;
        }
        by_id[id] = patients.size();
        if (!e.full_url.empty()) by_url[e.full_url] = patients.size();
        PatientAcc acc;
        acc.t.patient_id = id;
        acc.t.birth_date = reader.birth_date(e.resource, at, id);
        patients.push_back(std::move(acc));
    }
    for (const auto& e : entries) {
        if (!e.has_resource) continue;
        Place at = place(e);
        const std::string_view* type = str_at(&e.resource, "resourceType");
        if (!type) {
            reader.reject(at, &e.resource, "resourceType", "", RejectReason::BadRecord,
                          "the entry's resource has no resourceType");
            continue;
        }
        if (*type == "Patient" || *type == "Medication") continue;
        if (!Reader::is_record_type(*type)) {
            if (stats) ++stats->skipped_types[std::string(*type)];
            continue;
        }
        const std::string_view* ref = reference_of(e.resource);
        std::optional<std::size_t> who;
        std::string wanted;
        if (ref) {
            if (auto it = by_url.find(std::string(*ref)); it != by_url.end()) who = it->second;
            else if (auto id = patient_id_of_reference(*ref)) {
                wanted = *id;
                // By id only for a relative reference: Patient/p1 on another server is not ours.
                if (is_relative_reference(*ref))
                    if (auto jt = by_id.find(*id); jt != by_id.end()) who = jt->second;
            }
        }
        if (!who) {
            const JNode* subj = e.resource.get("subject");
            const JNode* node = subj && subj->get("reference") ? subj->get("reference") : subj;
            reader.reject(at, node ? node : &e.resource, "subject.reference", wanted, RejectReason::MissingPatient,
                          ref ? fmt::format("{} refers to {}, which is not a Patient in the Bundle", *type, *ref)
                              : fmt::format("the {} has no subject reference", *type));
            continue;
        }
        reader.record(e.resource, *type, at, patients[*who]);
    }
    for (auto& p : patients) sink(reader.finish(std::move(p)));
    return true;
}

bool load_bundle(const SourcePtr& file, const Bindings& b, const PatientSink& sink, std::vector<Rejection>& rejects,
                 Diagnostics& diags, FhirStats* stats) {
    bool ok = true;
    const std::string& text = file->text();
    for (std::size_t start = 0; start == 0 || start < text.size();) {  // once at least: an empty file is an error
        std::size_t next = text.size();
        // One Bundle per line is tried first, so a broken line costs only its own Bundle;
        // a Bundle that goes on past its first line is read to the end of the file.
        std::size_t line_end = text.find('\n', start);
        bool more_lines = line_end != std::string::npos &&
                          text.find_first_not_of(" \t\r\n", line_end) != std::string::npos;
        bool spans_lines = false;
        if (more_lines) {
            bool line_ok = load_one_bundle(file, start, line_end, next, b, sink, rejects, diags, stats, &spans_lines);
            if (!spans_lines) ok = line_ok && ok;
            else next = text.size();
        }
        if (!more_lines || spans_lines) ok = load_one_bundle(file, start, text.size(), next, b, sink, rejects, diags, stats) && ok;
        while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next]))) ++next;
        if (next <= start || next >= text.size()) break;  // the end, or no progress: never loop
        start = next;
    }
    return ok;
}

// ===========================================================================
// Bulk NDJSON

// The resource types an NDJSON line is indexed as (LineRef::type).
constexpr std::string_view kRecordTypes[] = {"Observation", "Condition", "MedicationAdministration", "Procedure"};

std::uint8_t record_type_index(std::string_view t) {
    for (std::uint8_t i = 0; i < 4; ++i)
        if (kRecordTypes[i] == t) return i;
    return 255;
}

// Pass 1 reads lines in blocks of this many bytes, and parses their heads in parallel.
constexpr std::size_t kIndexBlock = std::size_t{4} << 20;

// A spilled index is cut into at most this many parts (temporary files open at once); an
// export whose index is larger than this many budgets gets larger parts.
constexpr std::size_t kMaxSpillParts = 256;

struct PendingLine {
    std::uint64_t offset;
    std::uint32_t line;
    std::size_t at, len;  // in the block's text
    bool terminated;
};

// The head of one line, parsed (on any thread) before the line is indexed.
struct Head {
    enum State : std::uint8_t { Ok, Blank, NotObject, Error };
    State state = Ok;
    simdjson::error_code error = simdjson::SUCCESS;
    LineHead head;  // on Error: what was read before it
};

struct HeadParser {
    od::parser parser;
    Padded pad;
};

void parse_head(HeadParser& hp, std::string_view text, Head& h) {
    if (blank(text)) {
        h.state = Head::Blank;
        return;
    }
    hp.pad.set(text);
    try {
        if (!read_head(hp.parser, hp.pad, h.head)) h.state = Head::NotObject;
    } catch (const simdjson::simdjson_error& e) {
        h.state = Head::Error;
        h.error = e.error();
    }
}

}  // namespace

bool load_fhir_bundle_text(const std::string& name, std::string text, const Bindings& b, const PatientSink& sink,
                           std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats) {
    auto file = std::make_shared<const SourceFile>(name, std::move(text));
    return load_bundle(file, b, sink, rejects, diags, stats);
}

bool load_fhir_bundle(const std::string& path, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats) {
    SourcePtr file = read_source(path, diags);
    if (!file) return false;
    return load_bundle(file, b, sink, rejects, diags, stats);
}

bool load_fhir_ndjson(const std::vector<std::string>& files, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejects, Diagnostics& diags, const NdjsonOptions& opt, FhirStats* stats) {
    struct Key {
        std::string id;
        bool has_patient = false;
        std::optional<Day> birth;
        std::uint32_t rank = 0;  // order of its Patient resource
    };
    std::vector<Key> keys;
    std::unordered_map<std::string, std::uint32_t> key_of;
    std::vector<std::uint32_t> order;  // keys with a Patient resource, in file order
    std::vector<LineRef> refs;
    MedicationIndex meds;
    bool ok = true;

    auto key_for = [&](const std::string& id) {
        auto [it, fresh] = key_of.emplace(id, static_cast<std::uint32_t>(keys.size()));
        if (fresh) keys.push_back(Key{id, false, std::nullopt, 0});
        return it->second;
    };
    auto reject = [&](std::size_t fi, std::uint32_t line, std::string path, std::string patient, RejectReason reason,
                      std::string detail) {
        rejects.push_back(Rejection{Origin{files[fi], line, std::move(path)}, std::move(patient), reason,
                                    std::move(detail)});
    };

    if (files.size() > kMaxNdjsonFiles) {
        diags.error(DiagCode::Io, Span{},
                    fmt::format("{}: an export of {} NDJSON files is more than crit indexes ({}); split it",
                                files.front(), files.size(), kMaxNdjsonFiles));
        return false;
    }
    // ---- Pass 1: index -------------------------------------------------------
    double t_index = thread_cpu();
    auto w_index = Clock::now();
    std::vector<FileStamp> stamps(files.size());
    // The index is held in memory up to opt.index_bytes; past that, it is appended to a
    // temporary file in file order and partitioned by patient after pass 1.
    const std::size_t spill_at = std::max<std::size_t>(1, opt.index_bytes / sizeof(LineRef));
    LineSpill spill;
    bool ok_spill = true;
    std::error_code dir_error;  // when the system names no temporary directory
    const std::filesystem::path spill_dir =
        opt.spill_dir.empty() ? std::filesystem::temp_directory_path(dir_error) : opt.spill_dir;
    auto spill_open = [&](LineSpill& f) { return dir_error ? dir_error.message() : f.open(spill_dir); };
    auto write_failed = [&] {
        diags.error(DiagCode::Io, Span{},
                    fmt::format("{}: writing the export's index to a temporary file failed (disk full?)", files.front()));
        return false;
    };
    auto spill_refs = [&] {
        if (!spill.is_open()) {
            std::string why = spill_open(spill);
            if (!why.empty()) {
                diags.error(DiagCode::Io, Span{},
                            fmt::format("{}: the export's index outgrew {} MiB of memory and cannot be written to "
                                        "{}: {} (set TMPDIR to a directory with room)",
                                        files.front(), opt.index_bytes >> 20, spill_dir.string(), why));
                return ok_spill = false;
            }
        }
        if (!spill.write(refs.data(), refs.size())) return ok_spill = write_failed();
        refs.clear();
        return true;
    };
    od::parser parser;
    Padded pad;
    JArena arena;
    MedicationIndex no_meds;
    Reader patient_reader(b, rejects, no_meds);
    // Pass 1's blocks of lines: two, so that one is parsed while the other is read.
    struct Block {
        std::string text;
        std::vector<PendingLine> lines;
        std::vector<Head> heads;
        std::vector<HeadParser> parsers;
        std::vector<std::thread> pool;  // parsing this block's heads
        // An exception while a block is parsed (out of memory) unwinds through here: its
        // threads finish before what they read is freed.
        ~Block() {
            for (auto& th : pool)
                if (th.joinable()) th.join();
        }
    };
    Block blocks[2];
    for (auto& blk : blocks) blk.parsers = std::vector<HeadParser>(std::max(1u, opt.jobs));
    const bool background = opt.jobs > 1;
    int current = 0;         // the block being filled
    bool in_flight = false;  // the other block is being parsed
    // Room for the index up front, from the export's size: a resource line is rarely under
    // 128 bytes. Pages never written are never resident, and the vector is not copied as it
    // grows (a doubling held the index twice: 800 MB at 100k patients for a 425 MB index).
    {
        std::uintmax_t total = 0;
        for (const auto& f : files) {
            std::error_code ec;
            auto size = std::filesystem::file_size(f, ec);
            if (!ec) total += size;
        }
        // At most the budget: past it the index goes to disk (spill_refs).
        refs.reserve(static_cast<std::size_t>(std::min<std::uintmax_t>(total / 128, spill_at)));
    }
    for (std::size_t fi = 0; fi < files.size() && ok_spill; ++fi) {
        stamps[fi] = stamp_of(files[fi]);
        std::ifstream in(files[fi], std::ios::binary);
        if (!in) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot open the file", files[fi]));
            ok = false;
            continue;
        }
        // Lines are gathered into blocks of about 4 MiB; the heads of a block's lines are
        // parsed on `jobs` threads, then indexed in line order on this one (the same index
        // whatever the number of threads).
        auto index_line = [&](std::uint64_t offset, std::uint32_t line, std::string_view text, bool terminated,
                              Head& h) {
            LineHead& head = h.head;
            if (!ok_spill) return;  // the load has failed: the rest of the file is not indexed
            if (h.state == Head::Blank) return;
            if (h.state == Head::NotObject) {
                reject(fi, line, "", "", RejectReason::BadJson, "an NDJSON line holds one JSON object (a FHIR resource)");
                return;
            }
            if (h.state == Head::Error) {
                simdjson::simdjson_error e(h.error);
                std::string patient;
                if (head.ref.empty()) head.ref = reference_in_text(text);
                if (auto pid = patient_id_of_reference(head.ref)) patient = *pid;
                else if (head.type == "Patient") patient = head.id;
                reject(fi, line, "", patient, RejectReason::BadJson,
                       fmt::format("{}{}", !terminated && truncation(e) ? "the file ends inside this resource: " : "",
                                   json_error_text(e)));
                return;
            }
            if (head.type.empty()) {
                reject(fi, line, "resourceType", "", RejectReason::BadRecord, "the line's resource has no resourceType");
                return;
            }
            if (head.type == "Patient" || head.type == "Medication") {
                // Few and small: read whole now (validated), kept for pass 2.
                JNode r;
                try {
                    Json json(arena, pad.set(text));
                    od::document doc = pad.iterate(parser);
                    r = json.resource(doc.get_object(), 0, Reader::reads_field);
                } catch (const simdjson::simdjson_error& e) {
                    reject(fi, line, "", head.type == "Patient" ? head.id : "", RejectReason::BadJson, json_error_text(e));
                    return;
                }
                if (head.type == "Medication") {
                    if (!head.id.empty()) meds["Medication/" + head.id] = codes_of(r.get("code"));
                    return;
                }
                Place at(files[fi], nullptr, line);
                if (head.id.empty()) {
                    reject(fi, line, "id", "", RejectReason::BadRecord, "the Patient has no id");
                    return;
                }
                std::uint32_t k = key_for(head.id);
                if (keys[k].has_patient) {
                    reject(fi, line, "id", head.id, RejectReason::DuplicatePatient,
                           fmt::format("Patient `{}` appears twice in the export; the later one is ignored", head.id));
                    return;
                }
                keys[k].has_patient = true;
                keys[k].rank = static_cast<std::uint32_t>(order.size());
                keys[k].birth = patient_reader.birth_date(r, at, head.id);
                order.push_back(k);
                return;
            }
            std::uint8_t type = record_type_index(head.type);
            if (type == 255) {
                if (stats) ++stats->skipped_types[head.type];
                return;
            }
            if (!head.ref.empty() && !is_relative_reference(head.ref)) {
                reject(fi, line, "subject.reference", "", RejectReason::MissingPatient,
                       fmt::format("{} refers to {}: in a Bulk export a patient is named `Patient/ID`; an absolute URL "
                                   "or a urn:uuid names no patient of this export",
                                   head.type, head.ref));
                return;
            }
            auto pid = patient_id_of_reference(head.ref);
            if (!pid) {
                reject(fi, line, "subject.reference", "", RejectReason::MissingPatient,
                       head.ref.empty() ? fmt::format("the {} has no subject reference", head.type)
                                        : fmt::format("{} refers to {}, which is not a Patient", head.type, head.ref));
                return;
            }
            if (offset > kMaxNdjsonOffset) {
                reject(fi, line, "", *pid, RejectReason::BadRecord, "the line starts more than 1 TiB into the file, past what crit indexes");
                return;
            }
            refs.push_back(LineRef{offset, fi, static_cast<std::uint32_t>(text.size()), line, key_for(*pid), type});
            if (refs.size() >= spill_at && ok_spill) spill_refs();
        };
        // With `jobs` > 1 the heads of a block are parsed on `jobs` threads in the background
        // while this thread reads the next block and indexes the one before, in line order.
        auto index_block = [&](Block& blk) {
            for (auto& th : blk.pool) th.join();
            blk.pool.clear();
            for (std::size_t i = 0; i < blk.lines.size(); ++i) {
                const PendingLine& l = blk.lines[i];
                index_line(l.offset, l.line, std::string_view(blk.text).substr(l.at, l.len), l.terminated,
                           blk.heads[i]);
            }
            blk.lines.clear();
            blk.text.clear();
        };
        auto flush = [&] {
            Block& blk = blocks[current];
            if (blk.lines.empty()) return;
            blk.heads.assign(blk.lines.size(), Head{});
            std::size_t n = blk.lines.size(), threads = std::min<std::size_t>(blk.parsers.size(), n / 256 + 1);
            auto work = [&blk, n, threads](std::size_t k) {
                HeadParser& hp = blk.parsers[k];
                for (std::size_t i = k * n / threads; i < (k + 1) * n / threads; ++i)
                    parse_head(hp, std::string_view(blk.text).substr(blk.lines[i].at, blk.lines[i].len), blk.heads[i]);
            };
            if (!background) {
                work(0);
                index_block(blk);
                return;
            }
            for (std::size_t k = 0; k < threads; ++k) blk.pool.emplace_back(work, k);
            if (in_flight) index_block(blocks[1 - current]);
            in_flight = true;
            current = 1 - current;
        };
        auto drain = [&] {
            if (in_flight) index_block(blocks[1 - current]);
            in_flight = false;
        };
        bool read_ok = for_each_line(in, [&](std::uint64_t offset, std::uint32_t line, std::string_view text,
                                             bool terminated) {
            if (opt.stats) opt.stats->bytes.fetch_add(text.size() + 1, std::memory_order_relaxed);
            Block& blk = blocks[current];
            blk.lines.push_back(PendingLine{offset, line, blk.text.size(), text.size(), terminated});
            blk.text.append(text);
            if (blk.text.size() >= kIndexBlock) flush();
        });
        flush();
        drain();
        if (!read_ok) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: read error", files[fi]));
            ok = false;
        }
        // A file written to while it was indexed: pass 2 will not read it back.
        if (stamp_of(files[fi]) != stamps[fi]) stamps[fi] = FileStamp{};
    }

    if (opt.stats) {
        opt.stats->index += thread_cpu() - t_index;
        opt.stats->index_wall += seconds_since(w_index);
    }
    if (!ok_spill) return false;
    auto missing = [&](const LineRef& r) {
        reject(r.file, r.line, "subject.reference", keys[r.key].id, RejectReason::MissingPatient,
               fmt::format("{} refers to Patient/{}, which is not in the export", kRecordTypes[r.type],
                           keys[r.key].id));
    };
    // The index, by patient: one part in memory, or (spilled) parts of consecutive patients,
    // each within about opt.index_bytes, written to temporary files and read back one by one.
    double t_group = thread_cpu();
    std::vector<LineSpill> parts;
    const std::size_t patients = order.size();
    auto part_of = [&](std::uint32_t rank) { return parts.empty() ? 0 : rank * parts.size() / patients; };
    if (!spill.is_open()) {
        // Records of patients the export does not have: rejected in file order, then dropped
        // in place (std::stable_partition would borrow a buffer as large as the index).
        for (const LineRef& r : refs)
            if (!keys[r.key].has_patient) missing(r);
        refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const LineRef& r) { return !keys[r.key].has_patient; }),
                   refs.end());
    } else {
        if (!refs.empty() && !spill_refs()) return false;
        std::vector<LineRef>().swap(refs);
        std::uint64_t bytes = spill.count() * sizeof(LineRef);
        std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(
            kMaxSpillParts, std::max<std::uint64_t>(1, (bytes + opt.index_bytes - 1) / opt.index_bytes)));
        n = std::max<std::size_t>(1, std::min(n, patients));
        parts.resize(n);
        for (auto& part : parts)
            if (std::string why = spill_open(part); !why.empty()) {
                diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot partition the export's index in {}: {}",
                                                              files.front(), spill_dir.string(), why));
                return false;
            }
        bool written = spill.rewind();
        std::vector<LineRef> chunk(std::size_t{1} << 16);
        for (std::size_t got; written && (got = spill.read(chunk.data(), chunk.size())) > 0;)
            for (std::size_t i = 0; i < got && written; ++i) {
                const LineRef& r = chunk[i];
                if (!keys[r.key].has_patient) missing(r);  // in file order, as in memory
                else written = parts[part_of(keys[r.key].rank)].write(&r, 1);
            }
        written = written && !spill.bad();
        for (auto& part : parts) written = written && part.rewind();
        if (!written) return write_failed();
        spill.close();
    }
    if (opt.stats) opt.stats->group += thread_cpu() - t_group;

    if (opt.between_passes) opt.between_passes();
    // ---- Pass 2: build, a batch of whole patients at a time --------------------
    // A batch's patients are built by `jobs` workers, each with its own parser and its
    // own rejections; they are handed on in Patient order, each patient's rejections
    // just before it, so the output is the same for any number of workers.
    struct Worker {
        od::parser parser;
        Padded pad;
        JArena arena;
        std::vector<Rejection> rejects;
        double parse = 0, records = 0, finish = 0;  // wall seconds, line by line: the split of `cpu`
        double cpu = 0;                              // thread CPU seconds building patients
    };
    struct Built {
        Timeline t;
        std::vector<Rejection> rejects;
    };
    const std::size_t jobs = std::max<std::size_t>(1, opt.jobs);
    std::vector<Worker> workers(jobs);
    std::vector<Built> built;
    LineBatch batch(files, stamps);
    const bool timed = opt.stats && opt.stats->phases;
    std::vector<std::size_t> first;  // the refs of the patient of rank lo + i: [first[i], first[i + 1])
    std::size_t lo = 0;              // the first patient of the part being built
    auto build = [&](Worker& w, std::size_t p, Built& out) {
        Reader reader(b, w.rejects, meds);
        auto wreject = [&](const LineRef& ref, std::string path, const std::string& patient, RejectReason reason,
                           std::string detail) {
            w.rejects.push_back(Rejection{Origin{files[ref.file], ref.line, std::move(path)}, patient, reason,
                                          std::move(detail)});
        };
        const Key& key = keys[order[p]];
        PatientAcc acc;
        acc.t.patient_id = key.id;
        acc.t.birth_date = key.birth;
        for (std::size_t r = first[p - lo]; r < first[p - lo + 1]; ++r) {
            const LineRef& ref = refs[r];
            auto text = batch.text(refs, r);
            if (!text) {
                wreject(ref, "", key.id, RejectReason::FileChanged,
                        "the line could not be read back: the file changed (size or modification time) or vanished "
                        "since it was indexed");
                continue;
            }
            // The split of a worker's CPU time between parse and records needs a clock read a
            // line: only when the phases are asked for (--stats).
            auto t0 = timed ? Clock::now() : Clock::time_point{};
            JNode res;
            try {
                Json json(w.arena, w.pad.set(*text));
                od::document doc = w.pad.iterate(w.parser);
                res = json.resource(doc.get_object(), 0, Reader::reads_field);
            } catch (const simdjson::simdjson_error& e) {
                wreject(ref, "", key.id, RejectReason::BadJson, json_error_text(e));
                continue;
            }
            auto t1 = timed ? Clock::now() : Clock::time_point{};
            if (timed) w.parse += std::chrono::duration<double>(t1 - t0).count();
            // The line read back must be the one indexed for this patient: never build a
            // patient from another patient's record.
            const std::string_view* subject = reference_of(res);
            auto pid = subject ? patient_id_of_reference(*subject) : std::nullopt;
            if (!pid || *pid != key.id) {
                wreject(ref, "subject.reference", key.id, RejectReason::FileChanged,
                        fmt::format("the line read back refers to {}, not to Patient/{}: the file changed since it "
                                    "was indexed; the record is not used",
                                    subject ? std::string(*subject) : std::string("no patient"), key.id));
                continue;
            }
            const std::string_view* id = str_at(&res, "id");
            std::string record(kRecordTypes[ref.type]);  // `Type/id`, as FHIR output cites it
            if (id) record.append("/").append(*id);
            Place at(files[ref.file], nullptr, ref.line, "", std::move(record));
            reader.record(res, kRecordTypes[ref.type], at, acc);
            if (timed) w.records += seconds_since(t1);
        }
        auto t2 = Clock::now();
        out.t = reader.finish(std::move(acc));
        w.finish += seconds_since(t2);
        out.rejects.swap(w.rejects);
        w.rejects.clear();
    };
    for (std::size_t part = 0; part < std::max<std::size_t>(1, parts.size()); ++part) {
        std::size_t hi = patients;
        if (!parts.empty()) {
            lo = (part * patients + parts.size() - 1) / parts.size();
            hi = ((part + 1) * patients + parts.size() - 1) / parts.size();
            refs.resize(static_cast<std::size_t>(parts[part].count()));
            if (parts[part].read(refs.data(), refs.size()) != refs.size()) {
                diags.error(DiagCode::Io, Span{},
                            fmt::format("{}: reading the export's index back from a temporary file failed",
                                        files.front()));
                return false;
            }
            parts[part].close();
        }
        double t_group = thread_cpu();
        first = group_by_patient(refs, hi - lo, [&](std::uint32_t key) { return keys[key].rank - lo; });
        if (opt.stats) opt.stats->group += thread_cpu() - t_group;
        for (std::size_t pi = 0; pi < hi - lo;) {
            std::size_t bytes = 0;
            std::size_t pj = batch_end(refs, first, pi, opt.batch_bytes, bytes);
            double t_read = thread_cpu();
            batch.read(refs, first[pi], first[pj], bytes);
            if (opt.stats) opt.stats->read_back += thread_cpu() - t_read;
            built.clear();
            built.resize(pj - pi);
            std::size_t threads = std::min(jobs, pj - pi);
            auto work = [&](std::size_t k) {
                double c0 = thread_cpu();
                for (std::size_t p = pi + k; p < pj; p += threads) build(workers[k], lo + p, built[p - pi]);
                workers[k].cpu += thread_cpu() - c0;
            };
            std::vector<std::thread> pool;
            for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work, k);
            work(0);
            for (auto& th : pool) th.join();
            for (auto& one : built) {
                for (auto& r : one.rejects) rejects.push_back(std::move(r));
                sink(std::move(one.t));
            }
            pi = pj;
        }
    }
    // Timing each line by thread CPU time would cost a system call a line: each worker's
    // CPU time is split in the proportions of its wall-clock times.
    if (opt.stats)
        for (const auto& w : workers) {
            double wall = w.parse + w.records + w.finish;
            double scale = wall > 0 ? w.cpu / wall : 0;
            opt.stats->parse += w.parse * scale;
            opt.stats->records += w.records * scale;
            opt.stats->finish += w.finish * scale;
        }
    return ok;
}

}  // namespace crit
