// FHIR resources -> timeline records. What is read of each resource, and the
// rejection reasons: load_fhir.hpp. See fhir_resources.hpp.
#include "data/fhir_resources.hpp"

#include <tuple>

#include <fmt/format.h>

namespace crit::fhir {

namespace {

using facts::Fail;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kFindings = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings";
constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10";  // also icd-10-cm and other national editions
constexpr std::string_view kYesNo = "http://terminology.hl7.org/CodeSystem/v2-0136";

constexpr DateKeys kOnset{"onset", "onsetDateTime", "onsetInstant", "onsetPeriod"};
constexpr DateKeys kEffective{"effective", "effectiveDateTime", "effectiveInstant", "effectivePeriod"};
constexpr DateKeys kPerformed{"performed", "performedDateTime", "performedInstant", "performedPeriod"};

// ===========================================================================
// Codes

struct CodingView {
    std::string_view system, code, display;
};

// The codings of a CodeableConcept that have a code. Nearly every one has one to
// three: they are held inline, so listing them costs no allocation per record.
class Codings {
public:
    void push_back(const CodingView& v) {
        if (n_ < kInline) {
            inline_[n_++] = v;
            return;
        }
        if (more_.empty()) more_.assign(inline_, inline_ + kInline);
        more_.push_back(v);
        ++n_;
    }
    const CodingView* begin() const { return n_ <= kInline ? inline_ : more_.data(); }
    const CodingView* end() const { return begin() + n_; }
    bool empty() const { return n_ == 0; }

private:
    static constexpr std::size_t kInline = 4;
    CodingView inline_[kInline];
    std::vector<CodingView> more_;
    std::size_t n_ = 0;
};

Codings codings(const JNode* cc) {
    Codings out;
    const JNode* list = cc ? cc->get("coding") : nullptr;
    if (!list || list->kind != JNode::Kind::Array) return out;
    for (const auto& c : list->items()) {
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

// A value as messages quote it: `text`, 12.5, or its kind ("an object").
std::string shown(const JNode* n) {
    if (!n) return "(missing)";
    if (n->kind == JNode::Kind::String) return fmt::format("`{}`", n->text);
    if (n->kind == JNode::Kind::Number) return std::string(n->text);
    return n->kind_name();
}

// A FHIR date or dateTime -> its day as written (in its own offset).
std::optional<Day> day_of(const JNode* n) {
    if (!n || !n->str()) return std::nullopt;
    return parse_day(facts::trim(n->text));
}

}  // namespace

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

bool is_relative_reference(std::string_view ref) {
    return ref.find("://") == std::string_view::npos && !starts_with(ref, "urn:");
}

const std::string_view* reference_of(const JNode& r) {
    for (const char* k : {"subject", "patient"})
        if (auto s = str_at(r.get(k), "reference")) return s;
    return nullptr;
}

std::vector<Code> codes_of(const JNode* cc) {
    std::vector<Code> out;
    for (const auto& c : codings(cc)) out.push_back(Code{std::string(c.system), std::string(c.code)});
    return out;
}

// ===========================================================================
// Resources -> timeline records

// The top-level fields of a resource that crit reads; the rest are validated and dropped.
bool Reader::reads_field(std::string_view k, std::string_view type) {
    // By first letter: this runs for every member of every resource.
    if (k.empty()) return false;
    switch (k.front()) {
        case 'b': return k == "bodySite" || k == "birthDate";
        case 'c':  // a course's category may name its phase; an Observation's ("laboratory") is never read
            return k == "code" || k == "component" || (k == "category" && type != "Observation");
        case 'd': return k == "dataAbsentReason";
        case 'e': return starts_with(k, "effective");
        case 'i': return k == "id";
        case 'm': return starts_with(k, "medication");
        case 'o': return starts_with(k, "onset");
        case 'p': return k == "patient" || starts_with(k, "performed");
        case 'r': return k == "resourceType" || k == "reasonCode";
        case 's': return k == "status" || k == "subject";
        case 'v': return k == "verificationStatus" || starts_with(k, "value");
        default: return false;
    }
}

bool Reader::is_record_type(std::string_view t) {
    return t == "Observation" || t == "Condition" || t == "MedicationAdministration" || t == "Procedure";
}

void Reader::reject(const Place& at, const JNode* n, std::string_view sub, const std::string& patient,
                    RejectReason reason, std::string detail) {
    rejects_.push_back(
        Rejection{Origin{at.file, at.line_of(n), at.path(sub)}, patient, reason, std::move(detail)});
}

std::optional<Day> Reader::birth_date(const JNode& r, const Place& at, const std::string& patient) {
    const JNode* n = r.get("birthDate");
    if (!n) return std::nullopt;
    if (auto d = day_of(n)) return d;
    reject(at, n, "birthDate", patient, RejectReason::BadDate, fmt::format("birthDate {} is not a date", shown(n)));
    return std::nullopt;
}

void Reader::record(const JNode& r, std::string_view type, const Place& at, PatientAcc& acc) {
    if (type == "Observation") observation(r, at, acc);
    else if (type == "Condition") condition(r, at, acc);
    else if (type == "MedicationAdministration") medication(r, at, acc);
    else if (type == "Procedure") procedure(r, at, acc);
}

Timeline Reader::finish(PatientAcc&& acc) {
    for (const auto& p : acc.procedures) {
        const std::string& d = p.disease.empty() ? acc.disease : p.disease;
        Treatment& t = acc.t.treatments[p.treatment];
        t.classes = b_.procedures[p.procedure].classes_for(d);
        if (t.phase >= 0) facts::set_phase(b_, static_cast<std::size_t>(t.phase), t);
    }
    acc.t.finalize(b_.concepts.size());
    return std::move(acc.t);
}

// The disease a diagnosis code names (a name under the bindings' `diagnoses:`), or "".
std::string Reader::disease_of(std::string_view system, std::string_view code) const {
    auto d = b_.diagnosis_by_code(system, code);
    return d ? b_.diagnoses[*d].name : std::string();
}

// "CLL: SNOMED 92814006 / ICD-10 C91.1; ALL: ...", for messages.
std::string Reader::diagnoses_read() const {
    std::string out;
    for (const auto& d : b_.diagnoses) {
        out += fmt::format("{}{}: ", out.empty() ? "" : "; ", d.name);
        for (std::size_t i = 0; i < d.codes.size(); ++i)
            out += fmt::format("{}{} {}", i ? " / " : "", system_name(d.codes[i].system), d.codes[i].code);
    }
    return out.empty() ? "the bindings declare no `diagnoses:`" : out;
}

// Reads <base>DateTime / <base>Instant or <base>Period; a value that is not a
// date is rejected (nullopt). present=false when there is none.
std::optional<Reader::When> Reader::when(const JNode& r, const DateKeys& keys, const Place& at,
                                         const std::string& patient) {
    When w;
    for (std::string_view key : {keys.date_time, keys.instant}) {
        if (const JNode* n = r.get(key)) {
            w.present = w.single = true;
            w.start_node = n;
            w.field = key;
            w.start = day_of(n);
            if (!w.start) {
                reject(at, n, key, patient, RejectReason::BadDate,
                       fmt::format("{} {} is not a FHIR date or dateTime", key, shown(n)));
                return std::nullopt;
            }
            return w;
        }
    }
    std::string_view key = keys.period;
    const JNode* p = r.get(key);
    if (!p) return w;
    w.present = true;
    w.field = key;
    if (p->kind != JNode::Kind::Object) {
        reject(at, p, key, patient, RejectReason::BadDate, fmt::format("{} must be an object with start and end", key));
        return std::nullopt;
    }
    w.start_node = p->get("start");
    w.end_node = p->get("end");
    for (auto [node, end, out] : {std::tuple{w.start_node, false, &w.start}, std::tuple{w.end_node, true, &w.end}}) {
        if (!node) continue;
        *out = day_of(node);
        if (!*out) {
            std::string path = fmt::format("{}.{}", key, end ? "end" : "start");
            reject(at, node, path, patient, RejectReason::BadDate,
                   fmt::format("{} {} is not a FHIR date or dateTime", path, shown(node)));
            return std::nullopt;
        }
    }
    if (!w.start) {
        reject(at, p, key, patient, RejectReason::BadDate, fmt::format("{} has no start", key));
        return std::nullopt;
    }
    return w;
}

bool Reader::status_ok(const JNode& r, const Place& at, const std::string& patient, std::string_view type,
                       std::initializer_list<std::string_view> counted) {
    const JNode* s = r.get("status");
    if (s && s->str())
        for (auto c : counted)
            if (s->text == c) return true;
    std::string list;  // only for the message: this runs once per record
    for (auto c : counted) list += fmt::format("{}{}", list.empty() ? "" : ", ", c);
    if (!s || !s->str())
        reject(at, s ? s : &r, "status", patient, RejectReason::Status,
               fmt::format("the {} has no status; only {} count", type, list));
    else
        reject(at, s, "status", patient, RejectReason::Status,
               fmt::format("{} with status `{}` is not counted (only {})", type, s->text, list));
    return false;
}

// ---- Condition -----------------------------------------------------
void Reader::condition(const JNode& r, const Place& at, PatientAcc& acc) {
    const std::string& pid = acc.t.patient_id;
    for (const auto& c : codings(r.get("verificationStatus")))
        if (c.code == "entered-in-error" || c.code == "refuted") {
            reject(at, r.get("verificationStatus"), "verificationStatus", pid, RejectReason::Status,
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
        reject(at, code ? code : &r, "code", pid, RejectReason::UnboundCode,
               fmt::format("Condition {} is not a diagnosis crit reads ({})", describe(code), diagnoses_read()));
        return;
    }
    auto w = when(r, kOnset, at, pid);
    if (!w) return;
    if (acc.disease.empty()) {
        acc.disease = disease;
        acc.t.diagnosis = as_written;
        acc.t.diagnosis_date = w->start;
    } else if (acc.disease == disease) {
        if (w->start && (!acc.t.diagnosis_date || *w->start < *acc.t.diagnosis_date)) acc.t.diagnosis_date = w->start;
    } else {
        reject(at, code, "code", pid, RejectReason::ConflictingDiagnosis,
               fmt::format("the patient already has a {} diagnosis; this Condition says {}", acc.disease, disease));
    }
}

// ---- Observation ---------------------------------------------------
void Reader::observation(const JNode& r, const Place& at, PatientAcc& acc) {
    const std::string& pid = acc.t.patient_id;
    if (!status_ok(r, at, pid, "Observation", {"final", "amended", "corrected"})) return;
    const JNode* code = r.get("code");
    auto codes = codings(code);
    if (codes.empty()) {
        reject(at, code ? code : &r, "code", pid, RejectReason::BadRecord, "the Observation has no code.coding");
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
        if ((id = b_.concept_by_code(c.system, c.code, site))) break;
    if (!id) {
        // A code that names one concept per specimen (LOINC 67128-9), without a site that picks one.
        std::string per_site;
        for (const auto& c : codes)
            for (Site s : {Site::Blood, Site::Marrow, Site::Csf})
                if (auto o = b_.concept_by_code(c.system, c.code, s);
                    o && b_.concepts[*o].site == s)
                    per_site += fmt::format("{}{} ({})", per_site.empty() ? "" : ", ", b_.concepts[*o].name,
                                            site_name(s));
        if (!per_site.empty()) {
            if (site == Site::Any)
                reject(at, code, "bodySite", pid, RejectReason::MissingSite,
                       fmt::format("{} names a different concept per specimen: {}; the Observation needs a "
                                   "bodySite (SNOMED 14016003 bone marrow, 87612001 blood)",
                                   describe(code), per_site));
            else
                reject(at, site_node, "bodySite", pid, RejectReason::SiteMismatch,
                       fmt::format("{} is read for {}, not for bodySite {}", describe(code), per_site,
                                   site_name(site)));
            return;
        }
        reject(at, code, "code", pid, RejectReason::UnboundCode,
               fmt::format("no binding knows Observation code {}", describe(code)));
        return;
    }
    const Concept& c = b_.concepts[*id];
    if (site != Site::Any && c.site != Site::Any && site != c.site) {
        reject(at, site_node, "bodySite", pid, RejectReason::SiteMismatch,
               fmt::format("{} ({}) is measured in {}, but bodySite says {}", c.name, describe(code),
                           site_name(c.site), site_name(site)));
        return;
    }
    auto w = when(r, kEffective, at, pid);
    if (!w) return;
    if (!w->present) {
        reject(at, &r, "effectiveDateTime", pid, RejectReason::BadDate,
               "the Observation has no effectiveDateTime, effectivePeriod or effectiveInstant");
        return;
    }
    Observation o;
    o.concept_id = *id;
    o.day = *w->start;
    o.kind = c.kind;
    o.site = site != Site::Any ? site : c.site;
    if (!value(r, c, o, at, pid) || !detection_limit(r, c, o, at, pid)) return;
    o.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), std::move(at.record)});
    acc.t.observations.push_back(std::move(o));
}

// A FHIR Quantity in the concept's unit. On failure `sub` names the field at
// fault ("" for the Quantity itself) and `where` its node.
std::optional<Fail> Reader::quantity(const JNode& q, const Concept& c, Qty& out, std::string& sub,
                                     const JNode*& where) {
    where = &q;
    sub.clear();
    if (q.kind != JNode::Kind::Object) return Fail{RejectReason::BadValue, "a Quantity is an object {value, unit, system, code}"};
    const JNode* v = q.get("value");
    if (!v) {
        sub = "value";
        return Fail{RejectReason::MissingValue, fmt::format("the Quantity for {} has no value", c.name)};
    }
    if (v->kind != JNode::Kind::Number) {
        sub = "value";
        where = v;
        return Fail{RejectReason::BadValue, fmt::format("Quantity.value must be a number, not {}", shown(v))};
    }
    // Read from the token as CSV and YAML read numbers, so all loaders accept the same
    // values (1e-400 underflows: rejected everywhere, not read as 0 here).
    auto num = facts::number_of(v->text);
    if (!num) {
        sub = "value";
        where = v;
        return Fail{RejectReason::BadValue, fmt::format("Quantity.value {} is out of range", v->text)};
    }
    out.value = *num;
    if (const JNode* cmp = q.get("comparator")) {
        auto parsed = cmp->str() ? facts::comparator_of(cmp->text) : std::nullopt;
        if (!parsed || *parsed == Comparator::Eq) {
            sub = "comparator";
            where = cmp;
            return Fail{RejectReason::BadValue, fmt::format("comparator {} is not one of < <= > >=", shown(cmp))};
        }
        out.cmp = *parsed;
        out.has_cmp = true;
    }
    const std::string_view* system = str_at(&q, "system");
    const std::string_view* code = str_at(&q, "code");
    const std::string_view* unit = str_at(&q, "unit");
    bool ucum = !system || *system == kUcum;
    // UCUM `code` first; the human `unit` when the code is not UCUM or not one crit knows.
    std::optional<Unit> known;  // the spelling chosen, when crit knows it
    if (code && (ucum || !unit) && ((known = find_unit(*code)) || !unit || !find_unit(*unit))) {
        out.unit = *code;
        sub = "code";
    } else if (unit) {
        out.unit = *unit;
        sub = "unit";
        known.reset();
    }
    auto f = facts::to_concept_unit(c, out.value, out.unit, out.canon, known ? &*known : nullptr);
    if (f && !sub.empty()) where = q.get(sub);
    return f;
}

// The value[x] of an Observation, by the concept's kind.
bool Reader::value(const JNode& r, const Concept& c, Observation& o, const Place& at, const std::string& pid) {
    const JNode* v = nullptr;
    std::string key;
    for (const auto& [k, n] : r.members())
        if (starts_with(k, "value") && k.size() > 5) {
            v = &n;
            key = k;
            break;
        }
    if (!v) {
        const JNode* dar = r.get("dataAbsentReason");
        reject(at, dar ? dar : &r, dar ? "dataAbsentReason" : "value[x]", pid, RejectReason::MissingValue,
               dar ? fmt::format("{} has no value (dataAbsentReason: {})", c.name, describe(dar))
                   : fmt::format("the Observation of {} has no value[x]", c.name));
        return false;
    }
    auto fail = [&](std::string sub, Fail f, const JNode* where = nullptr) {
        reject(at, where ? where : v, sub.empty() ? key : key + "." + sub, pid, f.reason,
               std::move(f.detail));
        return false;
    };
    auto wrong = [&](const char* kinds) {
        return fail("", Fail{RejectReason::BadValue, fmt::format("{} is {}; {} cannot give it", c.name, kinds, key)});
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
                    return fail("", Fail{RejectReason::BadValue,
                                         fmt::format("`{}` is not a number with a unit, for {}", v->text, c.name)});
                q.value = t->value;
                q.cmp = t->cmp;
                q.unit = t->unit;
                if (auto f = facts::to_concept_unit(c, q.value, q.unit, q.canon)) return fail("", *f);
            } else if (key == "valueInteger" && v->kind == JNode::Kind::Number) {
                auto num = facts::number_of(v->text);
                if (!num) return wrong("an integer in range (valueInteger)");
                q.value = *num;
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
                return fail("", Fail{RejectReason::BadValue, fmt::format("{} is true or false, not {}", c.name,
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
                return fail("", Fail{RejectReason::BadValue, fmt::format("{} is one of {}, not {}", c.name, facts::value_list(c),
                                                              key == "valueCodeableConcept" ? describe(v) : shown(v))});
            o.value = o.original_value = static_cast<double>(*i);
            return true;
        }
    }
    return false;
}

// component[] "detection limit" -> Observation::detection_limit.
bool Reader::detection_limit(const JNode& r, const Concept& c, Observation& o, const Place& at,
                             const std::string& pid) {
    const JNode* list = r.get("component");
    if (!list || list->kind != JNode::Kind::Array) return true;
    for (std::size_t i = 0; i < list->items().size(); ++i) {
        const JNode& comp = list->items()[i];
        if (!is_detection_limit(comp.get("code"))) continue;
        std::string path = fmt::format("component[{}]", i);
        if (c.kind != ValueKind::Quantity) {
            reject(at, &comp, path, pid, RejectReason::BadValue,
                   fmt::format("{} is not a quantity and takes no detection limit", c.name));
            return false;
        }
        const JNode* vq = comp.get("valueQuantity");
        if (!vq) {
            reject(at, &comp, path, pid, RejectReason::MissingValue, "the detection-limit component has no valueQuantity");
            return false;
        }
        Qty q;
        std::string sub;
        const JNode* where = nullptr;
        auto f = quantity(*vq, c, q, sub, where);
        if (!f && q.has_cmp) f = Fail{RejectReason::BadValue, "a detection limit takes no comparator"}, sub = "comparator";
        if (!f && q.canon < 0) f = Fail{RejectReason::BadValue, "a detection limit must not be negative"}, sub = "value";
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
bool Reader::course(const JNode& r, const DateKeys& keys, const JNode* status, const Place& at, const std::string& pid,
                    Treatment& t) {
    auto w = when(r, keys, at, pid);
    if (!w) return false;
    if (!w->present) {
        reject(at, &r, keys.period, pid, RejectReason::BadDate, fmt::format("no {0}Period or {0}DateTime", keys.base));
        return false;
    }
    t.start = *w->start;
    if (w->single) t.end = t.start;
    else if (w->end) {
        if (*w->end < t.start) {
            reject(at, w->end_node, w->end_path(), pid, RejectReason::BadPeriod,
                   fmt::format("{} ends ({}) before it starts ({})", t.drug, format_day(*w->end), format_day(t.start)));
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

// The phase a course's record states: its `category` (each coding's code among a phase's
// `codes:`, or its code or display naming a phase in words, then the text; R5 allows a list)
// and, for a Procedure, its `code` (text and coding displays: "Induction chemotherapy").
// Sets Treatment::phase (-1 when nothing names one); false, with a rejection, when the record
// names more than one phase.
bool Reader::phase(const JNode& r, bool procedure, const Place& at, const std::string& pid, Treatment& t) {
    if (b_.phases.empty()) return true;
    std::vector<std::size_t> found;
    auto read = [&](const JNode* cc, bool codes_are_words) {
        if (!cc || cc->kind != JNode::Kind::Object) return;
        for (const auto& c : codings(cc)) {
            if (auto p = b_.phase_by_code(c.system, c.code)) {
                if (std::find(found.begin(), found.end(), *p) == found.end()) found.push_back(*p);
            } else if (codes_are_words) {
                b_.phases_in_text(c.code, found);
            }
            b_.phases_in_text(c.display, found);
        }
        b_.phases_in_text(cc_text(cc), found);
    };
    const JNode* category = r.get("category");
    if (category && category->kind == JNode::Kind::Array)
        for (const auto& c : category->items()) read(&c, true);
    else
        read(category, true);
    // A Procedure's code is a procedure code (SNOMED 367336001): its words may say the phase,
    // its code itself only when the bindings list it under a phase.
    if (procedure) read(r.get("code"), false);
    if (found.size() > 1) {
        std::string names;
        for (auto p : found) names += fmt::format("{}{}", names.empty() ? "" : ", ", b_.phases[p].name);
        reject(at, category ? category : r.get("code"), category ? "category" : "code", pid, RejectReason::ConflictingPhase,
               fmt::format("{} names more than one phase of therapy ({}); crit does not guess which",
                           procedure ? "the Procedure" : "the MedicationAdministration", names));
        return false;
    }
    t.phase = found.empty() ? -1 : static_cast<int>(found.front());
    return true;
}

void Reader::medication(const JNode& r, const Place& at, PatientAcc& acc) {
    const std::string& pid = acc.t.patient_id;
    if (!status_ok(r, at, pid, "MedicationAdministration", {"completed", "in-progress", "on-hold", "stopped"})) return;
    std::vector<Code> codes;
    const JNode* med = r.get("medicationCodeableConcept");
    std::string sub = "medicationCodeableConcept";
    std::string shown_codes;
    if (med) {
        codes = codes_of(med);
        shown_codes = describe(med);
    } else if (const JNode* ref = r.get("medicationReference")) {
        sub = "medicationReference.reference";
        const std::string_view* s = str_at(ref, "reference");
        auto it = s ? meds_.find(std::string(*s)) : meds_.end();
        if (it == meds_.end()) {
            reject(at, ref, sub, pid, RejectReason::BadRecord,
                   fmt::format("medicationReference {} is not a Medication in the data", s ? *s : "(none)"));
            return;
        }
        codes = it->second;
        for (const auto& c : codes)
            shown_codes += fmt::format("{}{} {}", shown_codes.empty() ? "" : ", ", system_name(c.system), c.code);
        med = ref;
    } else {
        reject(at, &r, sub, pid, RejectReason::BadRecord, "the MedicationAdministration names no medication");
        return;
    }
    std::optional<std::size_t> drug;
    for (const auto& c : codes)
        if ((drug = b_.drug_by_code(c.system, c.code))) break;
    if (!drug && med == r.get("medicationCodeableConcept")) {
        // An unbound code (a clinical-drug or brand RxCUI, a local code) whose text or display names
        // exactly one bound ingredient: "Venetoclax 100 MG Oral Tablet" is venetoclax.
        std::vector<std::size_t> named;
        b_.drugs_in_text(cc_text(med), named);
        for (const auto& c : codings(med)) b_.drugs_in_text(c.display, named);
        if (named.size() == 1) drug = named.front();
    }
    if (!drug) {
        reject(at, med, sub, pid, RejectReason::UnboundCode,
               fmt::format("no binding knows medication {}", shown_codes.empty() ? "(no code)" : shown_codes));
        return;
    }
    Treatment t;
    t.drug = b_.drugs[*drug].name;
    t.classes = b_.drugs[*drug].classes;
    if (!course(r, kEffective, r.get("status"), at, pid, t)) return;
    if (!phase(r, false, at, pid, t)) return;
    if (t.phase >= 0) facts::set_phase(b_, static_cast<std::size_t>(t.phase), t);
    t.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), std::move(at.record)});
    acc.t.treatments.push_back(std::move(t));
}

void Reader::procedure(const JNode& r, const Place& at, PatientAcc& acc) {
    const std::string& pid = acc.t.patient_id;
    if (!status_ok(r, at, pid, "Procedure", {"completed", "in-progress", "on-hold", "stopped"})) return;
    const JNode* code = r.get("code");
    std::optional<CodingView> bound;
    std::optional<std::size_t> proc;
    for (const auto& c : codings(code))
        if ((proc = b_.procedure_by_code(c.system, c.code))) {
            bound = c;
            break;
        }
    if (!bound) {
        reject(at, code ? code : &r, "code", pid, RejectReason::UnboundCode,
               fmt::format("Procedure {} is not a therapy in the bindings", describe(code)));
        return;
    }
    Treatment t;
    std::string_view name = cc_text(code);
    if (name.empty()) name = bound->display;
    t.drug = name.empty() ? fmt::format("{} {}", system_name(bound->system), bound->code) : std::string(name);
    if (!course(r, kPerformed, r.get("status"), at, pid, t)) return;
    if (!phase(r, true, at, pid, t)) return;  // its classes are added in finish(), after the procedure's
    std::string disease;
    if (const JNode* reasons = r.get("reasonCode"); reasons && reasons->kind == JNode::Kind::Array)
        for (const auto& rc : reasons->items()) {
            for (const auto& c : codings(&rc))
                if (!(disease = disease_of(c.system, c.code)).empty()) break;
            if (!disease.empty()) break;
        }
    t.origin = acc.t.add_origin(Origin{at.file, at.line_of(&r), std::move(at.record)});
    acc.procedures.push_back(PatientAcc::Pending{acc.t.treatments.size(), *proc, disease});
    acc.t.treatments.push_back(std::move(t));
}

}  // namespace crit::fhir
