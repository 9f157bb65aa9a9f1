// FHIR R4 Bundles and Bulk NDJSON -> Timeline: the two loaders of load_fhir.hpp.
// Each finds the patient of every resource and hands the resource to a Reader
// (fhir_resources.hpp); JSON reading, positions and NDJSON lines are in
// fhir_json.hpp. Design, memory bound, fields read and rejection reasons:
// load_fhir.hpp.
#include "data/load_fhir.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include <fmt/format.h>

#include "data/fhir_json.hpp"
#include "data/fhir_resources.hpp"

namespace crit {

namespace {

using namespace fhir;

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
    Json json(text.data(), static_cast<std::uint32_t>(start));

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
                (key == "type" ? btype : rtype) = n.str() ? n.text : "(not a string)";
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
        if (auto id = str_at(&e.resource, "id")) meds["Medication/" + *id] = codes;
    }
    Reader reader(b, rejects, meds);
    std::vector<PatientAcc> patients;
    std::unordered_map<std::string, std::size_t> by_url, by_id;
    // An accepted record is named as NDJSON names it, `Type/id` (FHIR output cites it as
    // derivedFrom), or by its entry when the resource has no id.
    auto place = [&](const Entry& e) {
        std::string path = fmt::format("entry[{}].resource", e.index);
        const std::string* type = e.has_resource ? str_at(&e.resource, "resourceType") : nullptr;
        const std::string* id = e.has_resource ? str_at(&e.resource, "id") : nullptr;
        std::string record = type && id ? *type + "/" + *id : path;
        return Place(name, file.get(), 0, std::move(path), std::move(record));
    };
    for (const auto& e : entries) {
        const std::string* type = e.has_resource ? str_at(&e.resource, "resourceType") : nullptr;
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
        const std::string* type = str_at(&e.resource, "resourceType");
        if (!type) {
            reader.reject(at, &e.resource, "resourceType", "", RejectReason::BadRecord,
                          "the entry's resource has no resourceType");
            continue;
        }
        if (*type == "Patient" || *type == "Medication") continue;
        if (!Reader::is_record_type(*type)) {
            if (stats) ++stats->skipped_types[*type];
            continue;
        }
        const std::string* ref = reference_of(e.resource);
        std::optional<std::size_t> who;
        std::string wanted;
        if (ref) {
            if (auto it = by_url.find(*ref); it != by_url.end()) who = it->second;
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
    std::vector<FileStamp> stamps(files.size());
    od::parser parser;
    Padded pad;
    MedicationIndex no_meds;
    Reader patient_reader(b, rejects, no_meds);
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
        stamps[fi] = stamp_of(files[fi]);
        std::ifstream in(files[fi], std::ios::binary);
        if (!in) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot open the file", files[fi]));
            ok = false;
            continue;
        }
        bool read_ok = for_each_line(in, [&](std::uint64_t offset, std::uint32_t line, std::string_view text,
                                             bool terminated) {
            if (blank(text)) return;
            pad.set(text);
            LineHead head;
            try {
                if (!read_head(parser, pad, head)) {
                    reject(fi, line, "", "", RejectReason::BadJson, "an NDJSON line holds one JSON object (a FHIR resource)");
                    return;
                }
            } catch (const simdjson::simdjson_error& e) {
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
                    Json json(pad.set(text));
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
        });
        if (!read_ok) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: read error", files[fi]));
            ok = false;
        }
        // A file written to while it was indexed: pass 2 will not read it back.
        if (stamp_of(files[fi]) != stamps[fi]) stamps[fi] = FileStamp{};
    }

    // Records of patients the export does not have.
    auto orphan =
        std::stable_partition(refs.begin(), refs.end(), [&](const LineRef& r) { return keys[r.key].has_patient; });
    for (auto it = orphan; it != refs.end(); ++it)
        reject(it->file, it->line, "subject.reference", keys[it->key].id, RejectReason::MissingPatient,
               fmt::format("{} refers to Patient/{}, which is not in the export", kRecordTypes[it->type],
                           keys[it->key].id));
    refs.erase(orphan, refs.end());

    if (opt.between_passes) opt.between_passes();
    // ---- Pass 2: build, a batch of whole patients at a time --------------------
    std::vector<std::size_t> first =  // refs of patient rank i: [first[i], first[i+1])
        group_by_patient(refs, order.size(), [&](std::uint32_t key) { return keys[key].rank; });

    Reader reader(b, rejects, meds);
    LineBatch batch(files, stamps);
    for (std::size_t pi = 0; pi < order.size();) {
        std::size_t bytes = 0;
        std::size_t pj = batch_end(refs, first, pi, opt.batch_bytes, bytes);
        batch.read(refs, first[pi], first[pj], bytes);
        for (std::size_t p = pi; p < pj; ++p) {
            const Key& key = keys[order[p]];
            PatientAcc acc;
            acc.t.patient_id = key.id;
            acc.t.birth_date = key.birth;
            for (std::size_t r = first[p]; r < first[p + 1]; ++r) {
                const LineRef& ref = refs[r];
                auto text = batch.text(refs, r);
                if (!text) {
                    reject(ref.file, ref.line, "", key.id, RejectReason::FileChanged,
                           "the line could not be read back: the file changed (size or modification time) or vanished "
                           "since it was indexed");
                    continue;
                }
                JNode res;
                try {
                    Json json(pad.set(*text));
                    od::document doc = pad.iterate(parser);
                    res = json.resource(doc.get_object(), 0, Reader::reads_field);
                } catch (const simdjson::simdjson_error& e) {
                    reject(ref.file, ref.line, "", key.id, RejectReason::BadJson, json_error_text(e));
                    continue;
                }
                // The line read back must be the one indexed for this patient: never build a
                // patient from another patient's record.
                const std::string* subject = reference_of(res);
                auto pid = subject ? patient_id_of_reference(*subject) : std::nullopt;
                if (!pid || *pid != key.id) {
                    reject(ref.file, ref.line, "subject.reference", key.id, RejectReason::FileChanged,
                           fmt::format("the line read back refers to {}, not to Patient/{}: the file changed since it "
                                       "was indexed; the record is not used",
                                       subject ? *subject : std::string("no patient"), key.id));
                    continue;
                }
                const std::string* id = str_at(&res, "id");
                Place at(files[ref.file], nullptr, ref.line, "",
                         id ? fmt::format("{}/{}", kRecordTypes[ref.type], *id) : std::string(kRecordTypes[ref.type]));
                reader.record(res, kRecordTypes[ref.type], at, acc);
            }
            sink(reader.finish(std::move(acc)));
        }
        pi = pj;
    }
    return ok;
}

}  // namespace crit
