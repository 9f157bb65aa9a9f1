// FHIR R4 Bundles and Bulk NDJSON -> Timeline. Design, memory bound, fields
// read and rejection reasons: load_fhir.hpp.
#include "load_fhir.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <simdjson.h>

namespace crit {

namespace {

namespace od = simdjson::ondemand;
using facts::Fail;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kFindings = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings";
constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10";  // also icd-10-cm and other national editions
constexpr std::string_view kYesNo = "http://terminology.hl7.org/CodeSystem/v2-0136";

// Diagnostics point into their SourceFile: loaded files live as long as the process.
void keep_alive(SourcePtr f) {
    static std::mutex mu;
    static std::vector<SourcePtr> files;
    std::lock_guard<std::mutex> lock(mu);
    files.push_back(std::move(f));
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// ===========================================================================
// JSON: the fields crit reads, as a small tree that remembers positions.

struct JNode {
    enum class Kind : std::uint8_t { Null, Bool, Number, String, Object, Array };
    Kind kind = Kind::Null;
    bool flag = false;
    double number = 0;
    std::string text;  // String: unescaped; Number: the token as written
    std::vector<std::pair<std::string, JNode>> members;
    std::vector<JNode> items;
    std::uint32_t pos = 0;  // byte offset of the value in its document

    const JNode* get(std::string_view key) const {
        if (kind != Kind::Object) return nullptr;
        for (const auto& [k, v] : members)
            if (k == key) return &v;
        return nullptr;
    }
    const std::string* str() const { return kind == Kind::String ? &text : nullptr; }
    const char* kind_name() const {
        switch (kind) {
            case Kind::Null:
                return "null";
            case Kind::Bool:
                return "a boolean";
            case Kind::Number:
                return "a number";
            case Kind::String:
                return "a string";
            case Kind::Object:
                return "an object";
            case Kind::Array:
                return "an array";
        }
        return "?";
    }
};

const std::string* str_at(const JNode* n, std::string_view key) {
    return n ? (n->get(key) ? n->get(key)->str() : nullptr) : nullptr;
}

// The top-level fields of a resource that crit reads; the rest are validated and dropped.
bool wanted_field(std::string_view k) {
    static const std::string_view exact[] = {"resourceType",
                                             "id",
                                             "status",
                                             "subject",
                                             "patient",
                                             "code",
                                             "bodySite",
                                             "component",
                                             "birthDate",
                                             "reasonCode",
                                             "verificationStatus",
                                             "dataAbsentReason"};
    for (auto e : exact)
        if (k == e) return true;
    for (std::string_view p : {"value", "effective", "performed", "onset", "medication"})
        if (starts_with(k, p)) return true;
    return false;
}

// Walks On-Demand values. Every value is visited, so a document that is not
// valid JSON always throws, even where crit does not read it.
class Json {
public:
    explicit Json(const char* base) : base_(base) {}

    std::uint32_t last() const { return last_; }

    std::uint32_t pos(od::value& v) {
        last_ = static_cast<std::uint32_t>(v.raw_json_token().data() - base_);
        return last_;
    }

    JNode read(od::value v) {
        JNode n;
        n.pos = pos(v);
        od::json_type t = v.type();
        switch (t) {
            case od::json_type::object: {
                n.kind = JNode::Kind::Object;
                od::object o = v.get_object();
                for (auto f : o) {
                    std::string key(std::string_view(f.unescaped_key()));
                    n.members.emplace_back(std::move(key), read(f.value()));
                }
                break;
            }
            case od::json_type::array: {
                n.kind = JNode::Kind::Array;
                od::array a = v.get_array();
                for (auto e : a) n.items.push_back(read(e.value()));
                break;
            }
            case od::json_type::string:
                n.kind = JNode::Kind::String;
                n.text = std::string(std::string_view(v.get_string()));
                break;
            case od::json_type::number:
                n.kind = JNode::Kind::Number;
                n.text = std::string(facts::trim(v.raw_json_token()));
                n.number = v.get_double();
                break;
            case od::json_type::boolean:
                n.kind = JNode::Kind::Bool;
                n.flag = v.get_bool();
                break;
            case od::json_type::null:
                if (!bool(v.is_null())) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
                break;
        }
        return n;
    }

    // Validates a value without keeping it.
    void skip(od::value v) {
        pos(v);
        od::json_type t = v.type();
        switch (t) {
            case od::json_type::object: {
                od::object o = v.get_object();
                for (auto f : o) {
                    (void)std::string_view(f.unescaped_key());
                    skip(f.value());
                }
                break;
            }
            case od::json_type::array: {
                od::array a = v.get_array();
                for (auto e : a) skip(e.value());
                break;
            }
            case od::json_type::string:
                (void)std::string_view(v.get_string());
                break;
            case od::json_type::number:
                (void)double(v.get_double());
                break;
            case od::json_type::boolean:
                (void)bool(v.get_bool());
                break;
            case od::json_type::null:
                if (!bool(v.is_null())) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
                break;
        }
    }

    // A resource: the fields crit reads, materialised; the rest validated.
    JNode resource(od::value v) {
        std::uint32_t p = pos(v);
        return resource(v.get_object(), p);
    }
    JNode resource(od::object o, std::uint32_t p) {
        JNode n;
        n.pos = p;
        n.kind = JNode::Kind::Object;
        for (auto f : o) {
            std::string key(std::string_view(f.unescaped_key()));
            if (wanted_field(key)) n.members.emplace_back(std::move(key), read(f.value()));
            else skip(f.value());
        }
        return n;
    }

private:
    const char* base_;
    std::uint32_t last_ = 0;
};

std::string json_error_text(const simdjson::simdjson_error& e) {
    switch (e.error()) {
        case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
            return "the text ends inside an object or array (truncated?)";
        case simdjson::UNCLOSED_STRING:
            return "a string is not closed (truncated?)";
        case simdjson::EMPTY:
            return "the text is empty";
        default:
            return e.what();
    }
}

bool truncation(const simdjson::simdjson_error& e) {
    return e.error() == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || e.error() == simdjson::UNCLOSED_STRING;
}

// A reusable padded copy of one NDJSON line (On-Demand reads past the end).
class Padded {
public:
    const char* set(std::string_view s) {
        if (buf_.size() < s.size() + simdjson::SIMDJSON_PADDING) buf_.resize(s.size() + simdjson::SIMDJSON_PADDING);
        std::memcpy(buf_.data(), s.data(), s.size());
        std::memset(buf_.data() + s.size(), 0, simdjson::SIMDJSON_PADDING);
        len_ = s.size();
        return buf_.data();
    }
    od::document iterate(od::parser& p) {
        od::document doc = p.iterate(buf_.data(), len_, buf_.size());
        return doc;
    }

private:
    std::vector<char> buf_;
    std::size_t len_ = 0;
};

// ===========================================================================
// Codes

struct CodingView {
    std::string_view system, code, display;
};

std::vector<CodingView> codings(const JNode* cc) {
    std::vector<CodingView> out;
    const JNode* list = cc ? cc->get("coding") : nullptr;
    if (!list || list->kind != JNode::Kind::Array) return out;
    for (const auto& c : list->items) {
        CodingView v;
        if (auto s = str_at(&c, "system")) v.system = *s;
        if (auto s = str_at(&c, "code")) v.code = *s;
        if (auto s = str_at(&c, "display")) v.display = *s;
        if (!v.code.empty()) out.push_back(v);
    }
    return out;
}

std::string_view cc_text(const JNode* cc) {
    auto t = str_at(cc, "text");
    return t ? std::string_view(*t) : std::string_view();
}

std::string system_name(std::string_view s) {
    if (s == "http://loinc.org") return "LOINC";
    if (s == kSnomed) return "SNOMED";
    if (s == "http://www.nlm.nih.gov/research/umls/rxnorm") return "RxNorm";
    if (starts_with(s, kIcd10)) return "ICD-10";
    if (s == kFindings) return "local";
    return s.empty() ? "(no system)" : std::string(s);
}

// "LOINC 731-0, SNOMED 123 ('text')", for messages.
std::string describe(const JNode* cc) {
    std::string out;
    for (const auto& c : codings(cc))
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", system_name(c.system), c.code);
    auto t = cc_text(cc);
    if (!t.empty()) out += fmt::format("{}'{}'", out.empty() ? "" : " ", t);
    return out.empty() ? "(no code)" : out;
}

// The leukaemia a diagnosis code names, or "".
std::string disease_of(std::string_view system, std::string_view code) {
    if (system == kSnomed) {
        if (code == "92814006") return "CLL";
        if (code == "91857003") return "ALL";
    }
    if (starts_with(system, kIcd10)) {
        std::string c;
        for (char ch : code)
            if (ch != '.') c += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (starts_with(c, "C911")) return "CLL";
        if (starts_with(c, "C910")) return "ALL";
    }
    return "";
}

// The specimen a bodySite coding names.
std::optional<Site> body_site(const CodingView& c) {
    if (c.system != kSnomed) return std::nullopt;
    if (c.code == "14016003") return Site::Marrow;  // Bone marrow structure
    if (c.code == "87612001") return Site::Blood;   // Blood
    if (c.code == "65216001") return Site::Csf;     // Cerebrospinal fluid
    return std::nullopt;
}

// A yes/no answer given as a code.
std::optional<bool> coded_boolean(const CodingView& c) {
    if (c.system == kSnomed) {
        static const std::pair<std::string_view, bool> table[] = {
            {"373066001", true}, {"373067005", false},  // Yes / No
            {"260373001", true}, {"260415000", false},  // Detected / Not detected
            {"10828004", true},  {"260385009", false},  // Positive / Negative
            {"52101004", true},  {"2667000", false},    // Present / Absent
        };
        for (const auto& [code, v] : table)
            if (c.code == code) return v;
        return std::nullopt;
    }
    if (c.system == kYesNo) {
        if (c.code == "Y") return true;
        if (c.code == "N") return false;
    }
    return facts::boolean_of(c.code);
}

bool is_detection_limit(const JNode* cc) {
    auto says = [](std::string_view t) {
        std::string l = facts::lower(t);
        return l.find("detection limit") != std::string::npos || l.find("limit of detection") != std::string::npos;
    };
    for (const auto& c : codings(cc))
        if ((c.system == kFindings && c.code == "detection-limit") || says(c.display)) return true;
    return says(cc_text(cc));
}

// "Patient/p-1", ".../Patient/p-1/_history/2", "urn:uuid:x" -> the id ("x" for a uuid).
std::optional<std::string> patient_id_of_reference(std::string_view ref) {
    if (starts_with(ref, "urn:uuid:")) return std::string(ref.substr(9));
    std::size_t at = std::string_view::npos;
    for (std::size_t i = ref.find("Patient/"); i != std::string_view::npos; i = ref.find("Patient/", i + 1))
        if (i == 0 || ref[i - 1] == '/') at = i;
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view id = ref.substr(at + 8);
    id = id.substr(0, id.find('/'));
    if (id.empty()) return std::nullopt;
    return std::string(id);
}

const std::string* reference_of(const JNode& r) {
    for (const char* k : {"subject", "patient"})
        if (auto s = str_at(r.get(k), "reference")) return s;
    return nullptr;
}

// Medication resources by how they are referenced ("Medication/<id>", fullUrl).
using MedicationIndex = std::unordered_map<std::string, std::vector<Code>>;

std::vector<Code> codes_of(const JNode* cc) {
    std::vector<Code> out;
    for (const auto& c : codings(cc)) out.push_back(Code{std::string(c.system), std::string(c.code)});
    return out;
}

// ===========================================================================
// Resources -> timeline records

// Where a resource came from: for origins and rejections.
struct Place {
    Place(const std::string& f, const SourceFile* s, std::uint32_t l, std::string p = "", std::string r = "")
        : file(f), src(s), line(l), prefix(std::move(p)), record(std::move(r)) {}
    const std::string& file;
    const SourceFile* src = nullptr;  // a Bundle's text: byte offsets -> lines
    std::uint32_t line = 0;           // NDJSON: the resource's line
    std::string prefix;               // the resource's JSON path in its document ("entry[3].resource"), or ""
    std::string record;               // names an accepted record in its Origin

    std::uint32_t line_of(const JNode* n) const {
        if (src && n) return static_cast<std::uint32_t>(src->line_col(n->pos).first);
        return line;
    }
    std::string path(std::string_view sub) const {
        if (prefix.empty()) return std::string(sub);
        if (sub.empty()) return prefix;
        return prefix + "." + std::string(sub);
    }
};

// One patient being built.
struct PatientAcc {
    Timeline t;
    std::string disease;  // "CLL" / "ALL", from the first leukaemia Condition
    struct Pending {
        std::size_t treatment;
        std::string disease;  // from Procedure.reasonCode
    };
    std::vector<Pending> procedures;  // classes depend on the disease: set in finish()
};

// A date or a period: <base>DateTime / <base>Instant (one day) or <base>Period.
struct When {
    bool present = false;
    bool single = false;  // a dateTime: one day
    std::optional<Day> start, end;
    const JNode* start_node = nullptr;
    const JNode* end_node = nullptr;
    std::string start_path, end_path;
};

class Reader {
public:
    Reader(const Bindings& b, std::vector<Rejection>& rejects, const MedicationIndex& meds)
        : b_(b), rejects_(rejects), meds_(meds) {
        auto ids = [&](std::initializer_list<const char*> names) {
            std::vector<ClassId> v;
            for (const char* n : names)
                if (auto c = b_.class_by_name(n)) v.push_back(*c);
            return v;
        };
        cll_classes_ = ids({"cll_therapy", "cll_chemoimmunotherapy", "antileukemic"});
        all_classes_ = ids({"all_induction", "all_therapy", "antileukemic"});
        any_classes_ = ids({"antileukemic"});
    }

    void reject(const Place& at, const JNode* n, std::string_view sub, const std::string& patient, std::string reason,
                std::string detail) {
        rejects_.push_back(
            Rejection{Origin{at.file, at.line_of(n), at.path(sub)}, patient, std::move(reason), std::move(detail)});
    }

    // Patient.birthDate; a bad one is rejected (the patient is kept).
    std::optional<Day> birth_date(const JNode& r, const Place& at, const std::string& patient) {
        const JNode* n = r.get("birthDate");
        if (!n) return std::nullopt;
        if (auto d = day_of(n)) return d;
        reject(at, n, "birthDate", patient, "bad-date", fmt::format("birthDate {} is not a date", shown(n)));
        return std::nullopt;
    }

    // A Condition, Observation, MedicationAdministration or Procedure of this patient.
    void record(const JNode& r, std::string_view type, const Place& at, PatientAcc& acc) {
        if (type == "Observation") observation(r, at, acc);
        else if (type == "Condition") condition(r, at, acc);
        else if (type == "MedicationAdministration") medication(r, at, acc);
        else if (type == "Procedure") procedure(r, at, acc);
    }

    Timeline finish(PatientAcc&& acc) {
        for (const auto& p : acc.procedures) {
            const std::string& d = p.disease.empty() ? acc.disease : p.disease;
            acc.t.treatments[p.treatment].classes = d == "CLL"   ? cll_classes_
                                                    : d == "ALL" ? all_classes_
                                                                 : any_classes_;
        }
        acc.t.finalize(b_.concepts.size());
        return std::move(acc.t);
    }

    static bool is_record_type(std::string_view t) {
        return t == "Observation" || t == "Condition" || t == "MedicationAdministration" || t == "Procedure";
    }

private:
    const Bindings& b_;
    std::vector<Rejection>& rejects_;
    const MedicationIndex& meds_;
    std::vector<ClassId> cll_classes_, all_classes_, any_classes_;

    static std::string shown(const JNode* n) {
        if (!n) return "(missing)";
        if (n->kind == JNode::Kind::String) return "`" + n->text + "`";
        if (n->kind == JNode::Kind::Number) return n->text;
        return n->kind_name();
    }

    static std::optional<Day> day_of(const JNode* n) {
        if (!n || !n->str()) return std::nullopt;
        return parse_day(facts::trim(n->text));
    }

    // Reads <base>DateTime / <base>Instant or <base>Period; a value that is not a
    // date is rejected (nullopt). present=false when there is none.
    std::optional<When> when(const JNode& r, std::string_view base, const Place& at, const std::string& patient) {
        When w;
        for (const char* suffix : {"DateTime", "Instant"}) {
            std::string key = std::string(base) + suffix;
            if (const JNode* n = r.get(key)) {
                w.present = w.single = true;
                w.start_node = n;
                w.start_path = key;
                w.start = day_of(n);
                if (!w.start) {
                    reject(at, n, key, patient, "bad-date",
                           fmt::format("{} {} is not a FHIR date or dateTime", key, shown(n)));
                    return std::nullopt;
                }
                return w;
            }
        }
        std::string key = std::string(base) + "Period";
        const JNode* p = r.get(key);
        if (!p) return w;
        w.present = true;
        if (p->kind != JNode::Kind::Object) {
            reject(at, p, key, patient, "bad-date", fmt::format("{} must be an object with start and end", key));
            return std::nullopt;
        }
        w.start_path = key + ".start";
        w.end_path = key + ".end";
        w.start_node = p->get("start");
        w.end_node = p->get("end");
        for (auto [node, path, out] :
             {std::tuple{w.start_node, &w.start_path, &w.start}, std::tuple{w.end_node, &w.end_path, &w.end}}) {
            if (!node) continue;
            *out = day_of(node);
            if (!*out) {
                reject(at, node, *path, patient, "bad-date",
                       fmt::format("{} {} is not a FHIR date or dateTime", *path, shown(node)));
                return std::nullopt;
            }
        }
        if (!w.start) {
            reject(at, p, key, patient, "bad-date", fmt::format("{} has no start", key));
            return std::nullopt;
        }
        return w;
    }

    bool status_ok(const JNode& r, const Place& at, const std::string& patient, std::string_view type,
                   std::initializer_list<std::string_view> counted) {
        const JNode* s = r.get("status");
        std::string list;
        for (auto c : counted) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
        if (!s || !s->str()) {
            reject(at, s ? s : &r, "status", patient, "status",
                   fmt::format("the {} has no status; only {} count", type, list));
            return false;
        }
        for (auto c : counted)
            if (s->text == c) return true;
        reject(at, s, "status", patient, "status",
               fmt::format("{} with status `{}` is not counted (only {})", type, s->text, list));
        return false;
    }

    // ---- Condition -----------------------------------------------------
    void condition(const JNode& r, const Place& at, PatientAcc& acc) {
        const std::string& pid = acc.t.patient_id;
        for (const auto& c : codings(r.get("verificationStatus")))
            if (c.code == "entered-in-error" || c.code == "refuted") {
                reject(at, r.get("verificationStatus"), "verificationStatus", pid, "status",
                       fmt::format("a Condition whose verificationStatus is `{}` is not counted", c.code));
                return;
            }
        const JNode* code = r.get("code");
        std::string disease, as_written;
        for (const auto& c : codings(code))
            if (!(disease = disease_of(c.system, c.code)).empty()) {
                as_written = std::string(c.code);
                break;
            }
        if (disease.empty()) {
            reject(at, code ? code : &r, "code", pid, kUnboundCode,
                   fmt::format("Condition {} is not a diagnosis crit reads (CLL: SNOMED 92814006 / ICD-10 C91.1; "
                               "ALL: SNOMED 91857003 / ICD-10 C91.0)",
                               describe(code)));
            return;
        }
        auto w = when(r, "onset", at, pid);
        if (!w) return;
        if (acc.disease.empty()) {
            acc.disease = disease;
            acc.t.diagnosis = as_written;
            acc.t.diagnosis_date = w->start;
        } else if (acc.disease == disease) {
            if (w->start && (!acc.t.diagnosis_date || *w->start < *acc.t.diagnosis_date))
                acc.t.diagnosis_date = w->start;
        } else {
            reject(at, code, "code", pid, "conflicting-diagnosis",
                   fmt::format("the patient already has a {} diagnosis; this Condition says {}", acc.disease, disease));
        }
    }

    // ---- Observation ---------------------------------------------------
    void observation(const JNode& r, const Place& at, PatientAcc& acc) {
        const std::string& pid = acc.t.patient_id;
        if (!status_ok(r, at, pid, "Observation", {"final", "amended", "corrected"})) return;
        const JNode* code = r.get("code");
        auto codes = codings(code);
        if (codes.empty()) {
            reject(at, code ? code : &r, "code", pid, "bad-record", "the Observation has no code.coding");
            return;
        }
        const JNode* site_node = r.get("bodySite");
        Site site = Site::Any;
        for (const auto& c : codings(site_node))
            if (auto s = body_site(c)) {
                site = *s;
                break;
            }
        std::optional<ConceptId> id;
        for (const auto& c : codes)
            if ((id = b_.concept_by_code(std::string(c.system), std::string(c.code), site))) break;
        if (!id) {
            // A code that names one concept per specimen (LOINC 67128-9), without a site that picks one.
            std::string per_site;
            for (const auto& c : codes)
                for (Site s : {Site::Blood, Site::Marrow, Site::Csf})
                    if (auto o = b_.concept_by_code(std::string(c.system), std::string(c.code), s);
                        o && b_.concepts[*o].site == s)
                        per_site += fmt::format("{}{} ({})", per_site.empty() ? "" : ", ", b_.concepts[*o].name,
                                                facts::site_name(s));
            if (!per_site.empty()) {
                if (site == Site::Any)
                    reject(at, code, "bodySite", pid, "missing-site",
                           fmt::format("{} names a different concept per specimen: {}; the Observation needs a "
                                       "bodySite (SNOMED 14016003 bone marrow, 87612001 blood)",
                                       describe(code), per_site));
                else
                    reject(at, site_node, "bodySite", pid, "site-mismatch",
                           fmt::format("{} is read for {}, not for bodySite {}", describe(code), per_site,
                                       facts::site_name(site)));
                return;
            }
            reject(at, code, "code", pid, kUnboundCode,
                   fmt::format("no binding knows Observation code {}", describe(code)));
            return;
        }
        const Concept& c = b_.concepts[*id];
        if (site != Site::Any && c.site != Site::Any && site != c.site) {
            reject(at, site_node, "bodySite", pid, "site-mismatch",
                   fmt::format("{} ({}) is measured in {}, but bodySite says {}", c.name, describe(code),
                               facts::site_name(c.site), facts::site_name(site)));
            return;
        }
        auto w = when(r, "effective", at, pid);
        if (!w) return;
        if (!w->present) {
            reject(at, &r, "effectiveDateTime", pid, "bad-date",
                   "the Observation has no effectiveDateTime, effectivePeriod or effectiveInstant");
            return;
        }
        Observation o;
        o.concept_id = *id;
        o.day = *w->start;
        o.kind = c.kind;
        o.site = site != Site::Any ? site : c.site;
        if (!value(r, c, o, at, pid) || !detection_limit(r, c, o, at, pid)) return;
        o.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), at.record});
        acc.t.observations.push_back(std::move(o));
    }

    struct Qty {
        double canon = 0, value = 0;
        Comparator cmp = Comparator::Eq;
        bool has_cmp = false;
        std::string unit;
    };

    // A FHIR Quantity in the concept's unit. On failure `sub` names the field at
    // fault ("" for the Quantity itself) and `where` its node.
    std::optional<Fail> quantity(const JNode& q, const Concept& c, Qty& out, std::string& sub, const JNode*& where) {
        where = &q;
        sub.clear();
        if (q.kind != JNode::Kind::Object)
            return Fail{"bad-value", "a Quantity is an object {value, unit, system, code}"};
        const JNode* v = q.get("value");
        if (!v) {
            sub = "value";
            return Fail{"missing-value", fmt::format("the Quantity for {} has no value", c.name)};
        }
        if (v->kind != JNode::Kind::Number) {
            sub = "value";
            where = v;
            return Fail{"bad-value", fmt::format("Quantity.value must be a number, not {}", shown(v))};
        }
        out.value = v->number;
        if (const JNode* cmp = q.get("comparator")) {
            auto parsed = cmp->str() ? facts::comparator_of(cmp->text) : std::nullopt;
            if (!parsed || *parsed == Comparator::Eq) {
                sub = "comparator";
                where = cmp;
                return Fail{"bad-value", fmt::format("comparator {} is not one of < <= > >=", shown(cmp))};
            }
            out.cmp = *parsed;
            out.has_cmp = true;
        }
        const std::string* system = str_at(&q, "system");
        const std::string* code = str_at(&q, "code");
        const std::string* unit = str_at(&q, "unit");
        bool ucum = !system || *system == kUcum;
        // UCUM `code` first; the human `unit` when the code is not UCUM or not one crit knows.
        if (code && (ucum || !unit) && (find_unit(*code) || !unit || !find_unit(*unit))) {
            out.unit = *code;
            sub = "code";
        } else if (unit) {
            out.unit = *unit;
            sub = "unit";
        }
        auto f = facts::to_concept_unit(c, out.value, out.unit, out.canon);
        if (f && !sub.empty()) where = q.get(sub);
        return f;
    }

    // The value[x] of an Observation, by the concept's kind.
    bool value(const JNode& r, const Concept& c, Observation& o, const Place& at, const std::string& pid) {
        const JNode* v = nullptr;
        std::string key;
        for (const auto& [k, n] : r.members)
            if (starts_with(k, "value") && k.size() > 5) {
                v = &n;
                key = k;
                break;
            }
        if (!v) {
            const JNode* dar = r.get("dataAbsentReason");
            reject(at, dar ? dar : &r, dar ? "dataAbsentReason" : "value[x]", pid, "missing-value",
                   dar ? fmt::format("{} has no value (dataAbsentReason: {})", c.name, describe(dar))
                       : fmt::format("the Observation of {} has no value[x]", c.name));
            return false;
        }
        auto fail = [&](std::string sub, Fail f, const JNode* where = nullptr) {
            reject(at, where ? where : v, sub.empty() ? key : key + "." + sub, pid, std::move(f.reason),
                   std::move(f.detail));
            return false;
        };
        auto wrong = [&](const char* kinds) {
            return fail("", Fail{"bad-value", fmt::format("{} is {}; {} cannot give it", c.name, kinds, key)});
        };
        switch (c.kind) {
            case ValueKind::Quantity: {
                Qty q;
                if (key == "valueQuantity") {
                    std::string sub;
                    const JNode* where = nullptr;
                    if (auto f = quantity(*v, c, q, sub, where)) return fail(sub, *f, where);
                } else if (key == "valueString" && v->str()) {
                    auto t = facts::parse_qty_text(v->text);
                    if (!t)
                        return fail("", Fail{"bad-value",
                                             fmt::format("`{}` is not a number with a unit, for {}", v->text, c.name)});
                    q.value = t->value;
                    q.cmp = t->cmp;
                    q.unit = t->unit;
                    if (auto f = facts::to_concept_unit(c, q.value, q.unit, q.canon)) return fail("", *f);
                } else if (key == "valueInteger" && v->kind == JNode::Kind::Number) {
                    q.value = v->number;
                    if (auto f = facts::to_concept_unit(c, q.value, "", q.canon)) return fail("", *f);
                } else {
                    return wrong("a quantity (valueQuantity)");
                }
                o.comparator = q.cmp;
                o.value = q.canon;
                o.original_value = q.value;
                o.original_unit = q.unit;
                return true;
            }
            case ValueKind::Boolean: {
                std::optional<bool> b;
                if (key == "valueBoolean" && v->kind == JNode::Kind::Bool) b = v->flag;
                else if (key == "valueString" && v->str()) b = facts::boolean_of(v->text);
                else if (key == "valueCodeableConcept") {
                    for (const auto& cd : codings(v))
                        if ((b = coded_boolean(cd))) break;
                    if (!b) b = facts::boolean_of(cc_text(v));
                } else {
                    return wrong("a yes/no finding (valueBoolean)");
                }
                if (!b)
                    return fail("",
                                Fail{"bad-value", fmt::format("{} is true or false, not {}", c.name,
                                                              key == "valueCodeableConcept" ? describe(v) : shown(v))});
                o.value = o.original_value = *b ? 1 : 0;
                return true;
            }
            case ValueKind::Coded: {
                std::optional<std::size_t> i;
                if (key == "valueCodeableConcept") {
                    for (const auto& cd : codings(v))
                        if ((i = facts::coded_index(c, cd.code)) || (i = facts::coded_index(c, cd.display))) break;
                    if (!i && !cc_text(v).empty()) i = facts::coded_index(c, cc_text(v));
                } else if (key == "valueString" && v->str()) {
                    i = facts::coded_index(c, v->text);
                } else {
                    return wrong("coded (valueCodeableConcept)");
                }
                if (!i)
                    return fail("",
                                Fail{"bad-value", fmt::format("{} is one of {}, not {}", c.name, facts::value_list(c),
                                                              key == "valueCodeableConcept" ? describe(v) : shown(v))});
                o.value = o.original_value = static_cast<double>(*i);
                return true;
            }
        }
        return false;
    }

    // component[] "detection limit" -> Observation::detection_limit.
    bool detection_limit(const JNode& r, const Concept& c, Observation& o, const Place& at, const std::string& pid) {
        const JNode* list = r.get("component");
        if (!list || list->kind != JNode::Kind::Array) return true;
        for (std::size_t i = 0; i < list->items.size(); ++i) {
            const JNode& comp = list->items[i];
            if (!is_detection_limit(comp.get("code"))) continue;
            std::string path = fmt::format("component[{}]", i);
            if (c.kind != ValueKind::Quantity) {
                reject(at, &comp, path, pid, "bad-value",
                       fmt::format("{} is not a quantity and takes no detection limit", c.name));
                return false;
            }
            const JNode* vq = comp.get("valueQuantity");
            if (!vq) {
                reject(at, &comp, path, pid, "missing-value", "the detection-limit component has no valueQuantity");
                return false;
            }
            Qty q;
            std::string sub;
            const JNode* where = nullptr;
            auto f = quantity(*vq, c, q, sub, where);
            if (!f && q.has_cmp) f = Fail{"bad-value", "a detection limit takes no comparator"}, sub = "comparator";
            if (!f && q.canon < 0) f = Fail{"bad-value", "a detection limit must not be negative"}, sub = "value";
            if (f) {
                reject(at, where ? where : vq, path + ".valueQuantity" + (sub.empty() ? "" : "." + sub), pid, f->reason,
                       "detection limit: " + f->detail);
                return false;
            }
            o.detection_limit = q.canon;
        }
        return true;
    }

    // ---- Therapy ---------------------------------------------------------
    // The period of an administration or procedure; rejects and returns false when unusable.
    bool course(const JNode& r, std::string_view base, const JNode* status, const Place& at, const std::string& pid,
                Treatment& t) {
        auto w = when(r, base, at, pid);
        if (!w) return false;
        if (!w->present) {
            reject(at, &r, std::string(base) + "Period", pid, "bad-date",
                   fmt::format("no {0}Period or {0}DateTime", base));
            return false;
        }
        t.start = *w->start;
        if (w->single) t.end = t.start;
        else if (w->end) {
            if (*w->end < t.start) {
                reject(at, w->end_node, w->end_path, pid, "bad-period",
                       fmt::format("{} ends ({}) before it starts ({})", t.drug, format_day(*w->end),
                                   format_day(t.start)));
                return false;
            }
            t.end = *w->end;
        } else if (status && status->str() && (status->text == "in-progress" || status->text == "on-hold")) {
            t.end.reset();  // continuous therapy, still running
        } else {
            t.end = t.start;  // finished, end not recorded: the start day
        }
        return true;
    }

    void medication(const JNode& r, const Place& at, PatientAcc& acc) {
        const std::string& pid = acc.t.patient_id;
        if (!status_ok(r, at, pid, "MedicationAdministration", {"completed", "in-progress", "on-hold", "stopped"}))
            return;
        std::vector<Code> codes;
        const JNode* med = r.get("medicationCodeableConcept");
        std::string sub = "medicationCodeableConcept";
        std::string shown_codes;
        if (med) {
            codes = codes_of(med);
            shown_codes = describe(med);
        } else if (const JNode* ref = r.get("medicationReference")) {
            sub = "medicationReference.reference";
            const std::string* s = str_at(ref, "reference");
            auto it = s ? meds_.find(*s) : meds_.end();
            if (it == meds_.end()) {
                reject(at, ref, sub, pid, "bad-record",
                       fmt::format("medicationReference {} is not a Medication in the data", s ? *s : "(none)"));
                return;
            }
            codes = it->second;
            for (const auto& c : codes)
                shown_codes += fmt::format("{}{} {}", shown_codes.empty() ? "" : ", ", system_name(c.system), c.code);
            med = ref;
        } else {
            reject(at, &r, sub, pid, "bad-record", "the MedicationAdministration names no medication");
            return;
        }
        std::optional<std::size_t> drug;
        for (const auto& c : codes)
            if ((drug = b_.drug_by_code(c.system, c.code))) break;
        if (!drug) {
            reject(at, med, sub, pid, kUnboundCode,
                   fmt::format("no binding knows medication {}", shown_codes.empty() ? "(no code)" : shown_codes));
            return;
        }
        Treatment t;
        t.drug = b_.drugs[*drug].name;
        t.classes = b_.drugs[*drug].classes;
        if (!course(r, "effective", r.get("status"), at, pid, t)) return;
        t.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), at.record});
        acc.t.treatments.push_back(std::move(t));
    }

    void procedure(const JNode& r, const Place& at, PatientAcc& acc) {
        const std::string& pid = acc.t.patient_id;
        if (!status_ok(r, at, pid, "Procedure", {"completed", "in-progress", "on-hold", "stopped"})) return;
        const JNode* code = r.get("code");
        std::optional<CodingView> bound;
        for (const auto& c : codings(code)) {
            for (const auto& p : b_.procedure_codes)
                if (p.system == c.system && p.code == c.code) bound = c;
            if (bound) break;
        }
        if (!bound) {
            reject(at, code ? code : &r, "code", pid, kUnboundCode,
                   fmt::format("Procedure {} is not a therapy in the bindings", describe(code)));
            return;
        }
        Treatment t;
        std::string_view name = cc_text(code);
        if (name.empty()) name = bound->display;
        t.drug = name.empty() ? fmt::format("{} {}", system_name(bound->system), bound->code) : std::string(name);
        if (!course(r, "performed", r.get("status"), at, pid, t)) return;
        std::string disease;
        if (const JNode* reasons = r.get("reasonCode"); reasons && reasons->kind == JNode::Kind::Array)
            for (const auto& rc : reasons->items) {
                for (const auto& c : codings(&rc))
                    if (!(disease = disease_of(c.system, c.code)).empty()) break;
                if (!disease.empty()) break;
            }
        t.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), at.record});
        acc.procedures.push_back(PatientAcc::Pending{acc.t.treatments.size(), disease});
        acc.t.treatments.push_back(std::move(t));
    }
};

// ===========================================================================
// Bundles

Span span_at(const SourceFile& f, std::uint32_t pos) {
    pos = std::min<std::uint32_t>(pos, static_cast<std::uint32_t>(f.text().size()));
    return Span{&f, pos, std::min<std::uint32_t>(pos + 1, static_cast<std::uint32_t>(f.text().size()))};
}

// An error at `pos`: with the source line when it is short enough to show (a
// minified Bundle is one long line).
Diagnostic& bundle_error(Diagnostics& diags, const SourceFile& f, std::uint32_t pos, const std::string& msg) {
    Span s = span_at(f, pos);
    if (f.line_text(s.line()).size() <= 240) return diags.error(DiagCode::Timeline, s, msg);
    auto [line, col] = f.line_col(pos);
    return diags.error(DiagCode::Timeline, Span{}, fmt::format("{}:{}:{}: {}", f.name(), line, col, msg));
}

bool load_bundle(const SourcePtr& file, const Bindings& b, const PatientSink& sink, std::vector<Rejection>& rejects,
                 Diagnostics& diags, FhirStats* stats) {
    const std::string& name = file->name();
    simdjson::padded_string text(file->text());
    od::parser parser;
    Json json(text.data());

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
            bundle_error(diags, *file, 0, "a FHIR Bundle file holds one JSON object");
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
                            en.resource = json.resource(evv);
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
    } catch (const simdjson::simdjson_error& e) {
        std::uint32_t pos = truncation(e) ? static_cast<std::uint32_t>(file->text().size()) : json.last();
        bundle_error(diags, *file, pos, fmt::format("not valid JSON: {}", json_error_text(e)))
            .notes.push_back("the Bundle is not loaded: its patients would miss data after this point");
        return false;
    } catch (const Shape& e) {
        bundle_error(diags, *file, e.pos, e.msg).notes.push_back("the Bundle is not loaded");
        return false;
    }
    if (rtype != "Bundle") {
        bundle_error(diags, *file, rtype_pos,
                     rtype.empty()
                         ? "the JSON object has no resourceType; expected a FHIR Bundle"
                         : fmt::format("resourceType is `{}`; a .json data file holds one FHIR Bundle", rtype));
        return false;
    }
    if (btype != "collection" && btype != "searchset" && btype != "transaction") {
        bundle_error(diags, *file, btype_pos,
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
    auto place = [&](const Entry& e) {
        std::string path = fmt::format("entry[{}].resource", e.index);
        return Place(name, file.get(), 0, path, path);
    };
    for (const auto& e : entries) {
        const std::string* type = e.has_resource ? str_at(&e.resource, "resourceType") : nullptr;
        if (!type || *type != "Patient") continue;
        Place at = place(e);
        std::string id;
        if (auto s = str_at(&e.resource, "id")) id = *s;
        else if (starts_with(e.full_url, "urn:uuid:")) id = e.full_url.substr(9);
        if (id.empty()) {
            reader.reject(at, &e.resource, "id", "", "bad-record", "the Patient has no id (and no urn:uuid fullUrl)");
            continue;
        }
        if (by_id.count(id)) {
            reader.reject(at, &e.resource, "id", id, "duplicate-patient",
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
            reader.reject(at, &e.resource, "resourceType", "", "bad-record",
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
                if (auto jt = by_id.find(*id); jt != by_id.end()) who = jt->second;
            }
        }
        if (!who) {
            const JNode* subj = e.resource.get("subject");
            const JNode* node = subj && subj->get("reference") ? subj->get("reference") : subj;
            reader.reject(at, node ? node : &e.resource, "subject.reference", wanted, "missing-patient",
                          ref ? fmt::format("{} refers to {}, which is not a Patient in the Bundle", *type, *ref)
                              : fmt::format("the {} has no subject reference", *type));
            continue;
        }
        reader.record(e.resource, *type, at, patients[*who]);
    }
    for (auto& p : patients) sink(reader.finish(std::move(p)));
    return true;
}

// ===========================================================================
// Bulk NDJSON

// One indexed resource line (24 bytes).
struct LineRef {
    std::uint64_t offset;
    std::uint32_t length;
    std::uint32_t line;
    std::uint32_t key;  // patient key
    std::uint16_t file;
    std::uint8_t type;  // index into kRecordTypes
};
static_assert(sizeof(LineRef) <= 24);

constexpr std::string_view kRecordTypes[] = {"Observation", "Condition", "MedicationAdministration", "Procedure"};

std::uint8_t record_type_index(std::string_view t) {
    for (std::uint8_t i = 0; i < 4; ++i)
        if (kRecordTypes[i] == t) return i;
    return 255;
}

// Calls fn(offset, line_no, text, terminated) for each line of a file, read in blocks.
template <class Fn>
bool for_each_line(std::ifstream& in, Fn&& fn) {
    constexpr std::size_t block = std::size_t{1} << 20;
    std::string carry;
    std::vector<char> buf(block);
    std::uint64_t offset = 0;  // of carry's first byte
    std::uint32_t line = 0;
    while (true) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        std::size_t got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        std::string_view chunk(buf.data(), got);
        std::size_t start = 0;
        while (true) {
            std::size_t nl = chunk.find('\n', start);
            if (nl == std::string_view::npos) {
                carry.append(chunk.substr(start));
                break;
            }
            std::string_view text;
            std::uint64_t at = offset;
            if (!carry.empty()) {
                carry.append(chunk.substr(start, nl - start));
                text = carry;
            } else {
                text = chunk.substr(start, nl - start);
            }
            std::size_t len = text.size();
            if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
            fn(at, ++line, text, true);
            offset = at + len + 1;
            carry.clear();
            start = nl + 1;
        }
    }
    if (!carry.empty()) {
        std::string_view text = carry;
        if (text.back() == '\r') text.remove_suffix(1);
        fn(offset, ++line, text, false);
    }
    return !in.bad();
}

bool blank(std::string_view s) { return facts::trim(s).empty(); }

// The subject reference of a line that is not valid JSON, read from its text
// when it can be (a truncated line usually still names its patient): the
// rejection then says whose record was lost.
std::string reference_in_text(std::string_view s) {
    std::size_t at = s.find("\"subject\"");
    if (at == std::string_view::npos) return "";
    at = s.find("\"reference\"", at);
    if (at == std::string_view::npos) return "";
    at = s.find('"', s.find(':', at + 11));
    if (at == std::string_view::npos) return "";
    std::size_t end = s.find('"', at + 1);
    return end == std::string_view::npos ? "" : std::string(s.substr(at + 1, end - at - 1));
}

}  // namespace

bool load_fhir_bundle_text(const std::string& name, std::string text, const Bindings& b, const PatientSink& sink,
                           std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats) {
    auto file = std::make_shared<const SourceFile>(name, std::move(text));
    keep_alive(file);
    return load_bundle(file, b, sink, rejects, diags, stats);
}

bool load_fhir_bundle(const std::string& path, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejects, Diagnostics& diags, FhirStats* stats) {
    std::string err;
    SourcePtr file = read_source(path, err);
    if (!file) {
        diags.error(DiagCode::Io, Span{}, err);
        return false;
    }
    keep_alive(file);
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
    auto reject = [&](std::size_t fi, std::uint32_t line, std::string path, std::string patient, std::string reason,
                      std::string detail) {
        rejects.push_back(Rejection{Origin{files[fi], line, std::move(path)}, std::move(patient), std::move(reason),
                                    std::move(detail)});
    };

    // ---- Pass 1: index -------------------------------------------------------
    od::parser parser;
    Padded pad;
    MedicationIndex no_meds;
    Reader patient_reader(b, rejects, no_meds);
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
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
            std::string rtype, id, ref;
            try {
                od::document doc = pad.iterate(parser);
                if (od::json_type(doc.type()) != od::json_type::object) {
                    reject(fi, line, "", "", "bad-json", "an NDJSON line holds one JSON object (a FHIR resource)");
                    return;
                }
                od::object o = doc.get_object();
                for (auto f : o) {
                    std::string_view k = f.unescaped_key();
                    if (k == "resourceType" || k == "id") {
                        od::value v = f.value();
                        if (od::json_type(v.type()) == od::json_type::string)
                            (k == "id" ? id : rtype) = std::string(std::string_view(v.get_string()));
                    } else if ((k == "subject" || k == "patient") && ref.empty()) {
                        od::value v = f.value();
                        if (od::json_type(v.type()) != od::json_type::object) continue;
                        od::object so = v.get_object();
                        for (auto sf : so) {
                            std::string_view sk = sf.unescaped_key();
                            if (sk != "reference") continue;
                            od::value sv = sf.value();
                            if (od::json_type(sv.type()) == od::json_type::string)
                                ref = std::string(std::string_view(sv.get_string()));
                        }
                    }
                    // other values are skipped by the iteration (structure checked; pass 2 validates the rest)
                }
            } catch (const simdjson::simdjson_error& e) {
                std::string patient;
                if (ref.empty()) ref = reference_in_text(text);
                if (auto pid = patient_id_of_reference(ref)) patient = *pid;
                else if (rtype == "Patient") patient = id;
                reject(fi, line, "", patient, "bad-json",
                       fmt::format("{}{}", !terminated && truncation(e) ? "the file ends inside this resource: " : "",
                                   json_error_text(e)));
                return;
            }
            if (rtype.empty()) {
                reject(fi, line, "resourceType", "", "bad-record", "the line's resource has no resourceType");
                return;
            }
            if (rtype == "Patient" || rtype == "Medication") {
                // Few and small: read whole now (validated), kept for pass 2.
                JNode r;
                try {
                    Json json(pad.set(text));
                    od::document doc = pad.iterate(parser);
                    r = json.resource(doc.get_object(), 0);
                } catch (const simdjson::simdjson_error& e) {
                    reject(fi, line, "", rtype == "Patient" ? id : "", "bad-json", json_error_text(e));
                    return;
                }
                if (rtype == "Medication") {
                    if (!id.empty()) meds["Medication/" + id] = codes_of(r.get("code"));
                    return;
                }
                Place at(files[fi], nullptr, line);
                if (id.empty()) {
                    reject(fi, line, "id", "", "bad-record", "the Patient has no id");
                    return;
                }
                std::uint32_t k = key_for(id);
                if (keys[k].has_patient) {
                    reject(fi, line, "id", id, "duplicate-patient",
                           fmt::format("Patient `{}` appears twice in the export; the later one is ignored", id));
                    return;
                }
                keys[k].has_patient = true;
                keys[k].rank = static_cast<std::uint32_t>(order.size());
                keys[k].birth = patient_reader.birth_date(r, at, id);
                order.push_back(k);
                return;
            }
            std::uint8_t type = record_type_index(rtype);
            if (type == 255) {
                if (stats) ++stats->skipped_types[rtype];
                return;
            }
            auto pid = patient_id_of_reference(ref);
            if (!pid) {
                reject(fi, line, "subject.reference", "", "missing-patient",
                       ref.empty() ? fmt::format("the {} has no subject reference", rtype)
                                   : fmt::format("{} refers to {}, which is not a Patient", rtype, ref));
                return;
            }
            refs.push_back(LineRef{offset, static_cast<std::uint32_t>(text.size()), line, key_for(*pid),
                                   static_cast<std::uint16_t>(fi), type});
        });
        if (!read_ok) {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: read error", files[fi]));
            ok = false;
        }
    }

    // Records of patients the export does not have.
    auto orphan =
        std::stable_partition(refs.begin(), refs.end(), [&](const LineRef& r) { return keys[r.key].has_patient; });
    for (auto it = orphan; it != refs.end(); ++it)
        reject(it->file, it->line, "subject.reference", keys[it->key].id, "missing-patient",
               fmt::format("{} refers to Patient/{}, which is not in the export", kRecordTypes[it->type],
                           keys[it->key].id));
    refs.erase(orphan, refs.end());

    // ---- Pass 2: build, a batch of whole patients at a time --------------------
    std::sort(refs.begin(), refs.end(), [&](const LineRef& a, const LineRef& c) {
        if (keys[a.key].rank != keys[c.key].rank) return keys[a.key].rank < keys[c.key].rank;
        if (a.file != c.file) return a.file < c.file;
        return a.offset < c.offset;
    });
    std::vector<std::size_t> first(order.size() + 1, refs.size());  // refs of patient rank i: [first[i], first[i+1])
    for (std::size_t i = refs.size(); i-- > 0;) first[keys[refs[i].key].rank] = i;
    for (std::size_t i = order.size(); i-- > 0;) first[i] = std::min(first[i], first[i + 1]);

    Reader reader(b, rejects, meds);
    std::vector<std::ifstream> streams(files.size());
    std::string arena;
    for (std::size_t pi = 0; pi < order.size();) {
        std::size_t pj = pi, bytes = 0;
        while (pj < order.size()) {
            std::size_t size = 0;
            for (std::size_t r = first[pj]; r < first[pj + 1]; ++r) size += refs[r].length;
            if (pj > pi && bytes + size > opt.batch_bytes) break;
            bytes += size;
            ++pj;
        }
        // Read the batch's lines in file order.
        std::size_t lo = first[pi], hi = first[pj];
        std::vector<std::size_t> by_file(hi - lo);
        for (std::size_t i = 0; i < by_file.size(); ++i) by_file[i] = lo + i;
        std::sort(by_file.begin(), by_file.end(), [&](std::size_t a, std::size_t c) {
            return refs[a].file != refs[c].file ? refs[a].file < refs[c].file : refs[a].offset < refs[c].offset;
        });
        arena.resize(bytes);
        std::vector<std::size_t> where(hi - lo);
        std::vector<bool> readable(hi - lo, true);
        std::size_t fill = 0;
        for (std::size_t r : by_file) {
            const LineRef& ref = refs[r];
            std::ifstream& s = streams[ref.file];
            if (!s.is_open()) s.open(files[ref.file], std::ios::binary);
            s.clear();
            s.seekg(static_cast<std::streamoff>(ref.offset));
            s.read(arena.data() + fill, ref.length);
            where[r - lo] = fill;
            readable[r - lo] = static_cast<std::size_t>(s.gcount()) == ref.length;
            fill += ref.length;
        }
        for (std::size_t p = pi; p < pj; ++p) {
            const Key& key = keys[order[p]];
            PatientAcc acc;
            acc.t.patient_id = key.id;
            acc.t.birth_date = key.birth;
            for (std::size_t r = first[p]; r < first[p + 1]; ++r) {
                const LineRef& ref = refs[r];
                if (!readable[r - lo]) {
                    reject(ref.file, ref.line, "", key.id, "bad-json",
                           "the line could not be read again (file changed?)");
                    continue;
                }
                std::string_view text(arena.data() + where[r - lo], ref.length);
                if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
                JNode res;
                try {
                    Json json(pad.set(text));
                    od::document doc = pad.iterate(parser);
                    res = json.resource(doc.get_object(), 0);
                } catch (const simdjson::simdjson_error& e) {
                    reject(ref.file, ref.line, "", key.id, "bad-json", json_error_text(e));
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
