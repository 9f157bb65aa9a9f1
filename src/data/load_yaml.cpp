// YAML timelines -> Timeline. The format is documented in load_yaml.hpp.
#include "data/load_yaml.hpp"

#include "data/records.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include "core/text.hpp"

namespace crit {

namespace {

// yaml-cpp's LoadAll never stops on some malformed streams: on a file holding just `,` the
// parser starts empty document after empty document at the same place, without bound (1.4 GB
// in 9 s). A first pass over the events refuses a stream whose next document starts where the
// previous one did, before LoadAll builds anything.
class ProgressGuard : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& m) override {
        if (started_ && m.pos <= last_.pos)
            throw YAML::ParserException(m, "the YAML parser makes no progress here (a stray `,`?)");
        started_ = true;
        last_ = m;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

private:
    bool started_ = false;
    YAML::Mark last_;
};

std::vector<YAML::Node> load_all_documents(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    ProgressGuard guard;
    while (parser.HandleNextDocument(guard)) {
    }
    return YAML::LoadAll(text);
}



// The record conversions the FHIR and CSV loaders use too (load_data.hpp), so the
// formats reject alike.
using facts::Fail;
using facts::lower;
using facts::parse_qty_text;
using facts::trim;

class Builder {
public:
    Builder(const std::string& file, const Bindings& b, Timeline& t, std::vector<Rejection>& rejects)
        : file_(file), b_(b), t_(t), rejects_(rejects) {}

    void patient(const YAML::Node& p) {
        if (p.IsSequence()) {
            records(p);
            return;
        }
        if (!p.IsMap()) {
            reject(p, "", RejectReason::BadRecord, "a patient is a map with `patient:` and `timeline:`");
            return;
        }
        if (p["patient"] && p["patient"].IsScalar()) t_.patient_id = printable(p["patient"].Scalar());
        if (const auto bd = p["birth_date"]) {
            if (auto d = day_of(bd)) t_.birth_date = *d;
            else reject(bd, "birth_date", RejectReason::BadDate, fmt::format("birth_date `{}` is not a date", text_of(bd)));
        }
        if (const auto dx = p["diagnosis"]) diagnosis(dx);
        if (const auto tl = p["timeline"]) {
            if (tl.IsSequence()) records(tl);
            else if (!tl.IsNull()) reject(tl, "timeline", RejectReason::BadRecord, "`timeline` must be a list of records");
        }
    }

private:
    const std::string& file_;
    const Bindings& b_;
    Timeline& t_;
    std::vector<Rejection>& rejects_;

    static std::uint32_t line_of(const YAML::Node& n) {
        return n.Mark().line >= 0 ? static_cast<std::uint32_t>(n.Mark().line + 1) : 0;
    }
    static std::string text_of(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : std::string("(not a value)"); }
    static std::optional<Day> day_of(const YAML::Node& n) {
        if (!n.IsScalar()) return std::nullopt;
        return parse_day(std::string(trim(n.Scalar())));
    }

    Origin origin(const YAML::Node& at, std::string path) const { return Origin{file_, line_of(at), std::move(path)}; }

    void reject(const YAML::Node& at, std::string path, RejectReason reason, std::string detail) {
        rejects_.push_back(Rejection{origin(at, std::move(path)), t_.patient_id, reason, std::move(detail)});
    }

    void diagnosis(const YAML::Node& dx) {
        if (dx.IsScalar()) {
            t_.diagnosis = dx.Scalar();
            return;
        }
        if (!dx.IsMap()) {
            reject(dx, "diagnosis", RejectReason::BadValue, "`diagnosis` is a code or a map {date, code}");
            return;
        }
        if (const auto c = dx["code"]; c && c.IsScalar()) t_.diagnosis = c.Scalar();
        if (const auto d = dx["date"]) {
            if (auto day = day_of(d)) t_.diagnosis_date = *day;
            else reject(d, "diagnosis.date", RejectReason::BadDate, fmt::format("diagnosis date `{}` is not a date", text_of(d)));
        }
    }

    void records(const YAML::Node& list) {
        std::size_t i = 0;
        for (const auto& r : list) record(r, fmt::format("timeline[{}]", i++));
    }

    static bool is_record_key(const std::string& k) {
        return k == "date" || k == "treatment" || k == "until" || k == "phase" || k == "site" || k == "note";
    }

    // The first scalar (key or value) of `n` whose text is not valid UTF-8, or null.
    static std::optional<YAML::Node> broken_text(const YAML::Node& n, int depth = 0) {
        if (n.IsScalar()) return valid_utf8(n.Scalar()) ? std::nullopt : std::optional<YAML::Node>(n);
        if (depth > 16) return std::nullopt;  // records are flat; yaml-cpp bounds deeper nesting itself
        if (n.IsSequence())
            for (const auto& k : n)
                if (auto b = broken_text(k, depth + 1)) return b;
        if (n.IsMap())
            for (const auto& kv : n) {
                if (auto b = broken_text(kv.first, depth + 1)) return b;
                if (auto b = broken_text(kv.second, depth + 1)) return b;
            }
        return std::nullopt;
    }

    void record(const YAML::Node& r, const std::string& path) {
        if (!r.IsMap()) {
            reject(r, path, RejectReason::BadRecord, "a timeline record is a map with `date:` and values or a treatment");
            return;
        }
        if (auto bad = broken_text(r)) {
            const std::string& text = bad->Scalar();
            std::size_t at = invalid_utf8_at(text);
            reject(*bad, path, RejectReason::BadText,
                   fmt::format("`{}` is not valid UTF-8 (byte {}: \\x{:02X})", printable(text), at + 1,
                               static_cast<unsigned char>(text[at])));
            return;
        }
        const auto date_node = r["date"];
        if (!date_node) {
            reject(r, path, RejectReason::BadDate, "the record has no `date`");
            return;
        }
        auto day = day_of(date_node);
        if (!day) {
            reject(date_node, path, RejectReason::BadDate, fmt::format("`{}` is not a date (YYYY-MM-DD)", text_of(date_node)));
            return;
        }
        std::optional<Site> site;
        if (const auto s = r["site"]) {
            site = s.IsScalar() ? site_of(s.Scalar()) : std::nullopt;
            if (!site) {
                reject(s, path, RejectReason::BadValue, fmt::format("unknown site `{}` (blood, marrow or csf)", text_of(s)));
                return;
            }
        }

        if (const auto c = r["concept"]) {  // long form
            static const std::set<std::string> fields = {"date",       "concept", "value",           "unit",
                                                          "comparator", "site",    "detection_limit", "note"};
            for (const auto& kv : r) {
                std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
                if (!fields.count(k))
                    reject(kv.first, path, RejectReason::UnknownField,
                           fmt::format("`{}` is not a field of a long-form record (value, unit, comparator, "
                                       "detection_limit, site, note)",
                                       k));
            }
            if (!c.IsScalar()) {
                reject(c, path, RejectReason::UnknownConcept, "`concept` must name a concept");
                return;
            }
            observation(c.Scalar(), r, r["value"], r, *day, site, path);
            return;
        }

        bool any = false;
        for (const auto& kv : r) {
            if (!kv.first.IsScalar()) {
                reject(kv.first, path, RejectReason::BadRecord, "record keys must be names");
                continue;
            }
            const std::string& k = kv.first.Scalar();
            if (is_record_key(k)) continue;
            any = true;
            const YAML::Node v = kv.second;
            if (v.IsMap()) observation(k, v, v["value"], kv.first, *day, site, path + "." + k, true);
            else observation(k, YAML::Node(), v, kv.first, *day, site, path + "." + k);
        }

        if (const auto tr = r["treatment"]) {
            any = true;
            treatment(r, tr, *day, path);
        } else {
            if (const auto u = r["until"])
                reject(u, path, RejectReason::BadValue, "`until` ends a treatment, but the record has no `treatment`");
            if (const auto ph = r["phase"])
                reject(ph, path, RejectReason::BadValue, "`phase` is the phase of a treatment, but the record has no `treatment`");
        }
        if (!any) reject(r, path, RejectReason::MissingValue, "the record has a date but no treatment and no values");
    }

    void treatment(const YAML::Node& r, const YAML::Node& tr, Day start, const std::string& path) {
        if (!tr.IsScalar() || trim(tr.Scalar()).empty()) {
            reject(tr, path, RejectReason::MissingValue, "`treatment` must name a drug or regimen");
            return;
        }
        Treatment t;
        t.drug = std::string(trim(tr.Scalar()));
        t.start = start;
        if (const auto u = r["until"]) {
            auto end = day_of(u);
            if (!end) {
                reject(u, path, RejectReason::BadDate, fmt::format("until `{}` is not a date (YYYY-MM-DD)", text_of(u)));
                return;
            }
            if (*end < start) {
                reject(u, path, RejectReason::BadPeriod,
                       fmt::format("treatment {} ends ({}) before it starts ({})", t.drug, format_day(*end),
                                   format_day(start)));
                return;
            }
            t.end = *end;
        }
        // A name the bindings do not know would carry no class, and a misspelt ibrutinib would
        // silently take the patient off BTK inhibitors: rejected, with the name it is closest to.
        if (auto d = b_.drug_by_name(t.drug)) {
            t.drug = b_.drugs[*d].name;
            t.classes = b_.drugs[*d].classes;
        } else {
            reject(tr, path, RejectReason::UnknownDrug, facts::unknown_drug(b_, t.drug));
            return;
        }
        if (const auto ph = r["phase"]) {
            auto fail = facts::phase_of(b_, ph.IsScalar() ? ph.Scalar() : std::string(), t);
            if (fail) {
                reject(ph, path, fail->reason, fail->detail);
                return;
            }
        }
        t.origin = t_.add_origin(origin(r, path));
        t_.treatments.push_back(std::move(t));
    }

    // One value. `fields` holds the long-form fields (unit, comparator,
    // detection_limit) or is null; `nested` marks a short-form value written as a
    // map, whose own `site` applies; `at` locates the value for origins.
    void observation(const std::string& name, const YAML::Node& fields, const YAML::Node& value, const YAML::Node& at,
                     Day day, std::optional<Site> site, const std::string& path, bool nested = false) {
        auto id = b_.concept_by_name(name);
        if (!id) {
            std::string hint = closest_name(name, b_.concept_names());
            reject(at, path, RejectReason::UnknownConcept,
                   fmt::format("`{}` is not a concept in the bindings{}", name,
                               hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint)));
            return;
        }
        // A unit of another measure of the concept (`lymphocytes: 25 %`) files the value there.
        if (!b_.concepts[*id].measures.empty()) {
            std::string unit;
            if (auto u = field(fields, "unit")) unit = *u;
            else if (value && value.IsScalar())
                if (auto q = parse_qty_text(value.Scalar())) unit = q->unit;
            id = facts::measure_for_unit(b_, *id, unit);
        }
        const Concept& c = b_.concepts[*id];
        Observation o;
        o.concept_id = *id;
        o.day = day;
        o.kind = c.kind;
        o.site = site.value_or(c.site);
        if (nested) {
            static const std::set<std::string> known = {"value", "unit", "comparator", "detection_limit", "site", "note"};
            for (const auto& kv : fields) {
                std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
                if (!known.count(k)) {
                    reject(kv.first, path, RejectReason::UnknownField,
                           fmt::format("`{}` is not a field of a value (value, unit, comparator, detection_limit, "
                                       "site, note)",
                                       k));
                    return;
                }
            }
            if (const auto s = fields["site"]) {
                auto fs = s.IsScalar() ? site_of(s.Scalar()) : std::nullopt;
                if (!fs) {
                    reject(s, path, RejectReason::BadValue, fmt::format("unknown site `{}` (blood, marrow or csf)", text_of(s)));
                    return;
                }
                o.site = *fs;
            }
        }
        if (c.site != Site::Any && o.site != Site::Any && o.site != c.site) {
            reject(at, path, RejectReason::SiteMismatch,
                   fmt::format("{} is measured in {}, but the record says site {}", c.name, site_name(c.site),
                               site_name(o.site)));
            return;
        }
        if (!value || value.IsNull() || (value.IsScalar() && trim(value.Scalar()).empty())) {
            reject(at, path, RejectReason::MissingValue, fmt::format("{} has no value", name));
            return;
        }
        if (!value.IsScalar()) {
            reject(value, path, RejectReason::BadValue, fmt::format("the value of {} must be a single value", name));
            return;
        }
        std::optional<Fail> fail;
        switch (c.kind) {
            case ValueKind::Quantity: fail = quantity(c, fields, value.Scalar(), o); break;
            case ValueKind::Boolean: fail = boolean(c, fields, value.Scalar(), o); break;
            case ValueKind::Coded: fail = coded(c, fields, value.Scalar(), o); break;
        }
        if (fail) {
            reject(at, path, fail->reason, fail->detail);
            return;
        }
        o.origin = t_.add_origin(origin(at, path));
        t_.observations.push_back(o);
    }

    static std::optional<std::string> field(const YAML::Node& fields, const char* key) {
        if (!fields.IsMap()) return std::nullopt;
        const auto f = fields[key];
        if (!f || f.IsNull()) return std::nullopt;
        return f.IsScalar() ? f.Scalar() : std::string("?");
    }

    static std::optional<Fail> convert(const Concept& c, double v, const std::string& unit_text, double& out) {
        return facts::to_concept_unit(c, v, unit_text, out);
    }

    std::optional<Fail> quantity(const Concept& c, const YAML::Node& fields, const std::string& text, Observation& o) {
        auto q = parse_qty_text(text);
        if (!q) return Fail{RejectReason::BadValue, fmt::format("`{}` is not a number with a unit, for {}", text, c.name)};
        if (auto u = field(fields, "unit")) {
            std::string ut(trim(*u));
            if (!q->unit.empty() && q->unit != ut)
                return Fail{RejectReason::BadValue, fmt::format("the value gives unit `{}` but `unit:` says `{}`", q->unit, ut)};
            q->unit = ut;
        }
        if (auto cs = field(fields, "comparator")) {
            auto parsed = facts::comparator_of(trim(*cs));
            if (!parsed) return Fail{RejectReason::BadValue, fmt::format("comparator `{}` is not one of < <= > >= =", *cs)};
            Comparator cmp = *parsed;
            if (q->has_cmp && cmp != q->cmp)
                return Fail{RejectReason::BadValue, "the value's comparator and `comparator:` disagree"};
            q->cmp = cmp;
        }
        double canon = 0;
        if (auto f = convert(c, q->value, q->unit, canon)) return f;
        o.comparator = q->cmp;
        o.value = canon;
        o.original_value = q->value;
        o.original_unit = q->unit;
        if (auto dl = field(fields, "detection_limit")) {
            auto lim = parse_qty_text(*dl);
            if (!lim || lim->has_cmp)
                return Fail{RejectReason::BadValue, fmt::format("detection_limit `{}` is not a number with a unit", *dl)};
            std::string lu = lim->unit.empty() ? q->unit : lim->unit;  // a bare limit takes the value's unit
            double lc = 0;
            if (auto f = convert(c, lim->value, lu, lc)) {
                f->detail = "detection_limit: " + f->detail;
                return f;
            }
            if (lc < 0) return Fail{RejectReason::BadValue, "detection_limit must not be negative"};
            o.detection_limit = lc;
        }
        return std::nullopt;
    }

    static std::optional<Fail> no_quantity_fields(const Concept& c, const YAML::Node& fields, const char* kind) {
        for (const char* k : {"unit", "comparator", "detection_limit"})
            if (field(fields, k))
                return Fail{RejectReason::BadValue, fmt::format("{} is {} and takes no `{}`", c.name, kind, k)};
        return std::nullopt;
    }

    static std::optional<Fail> boolean(const Concept& c, const YAML::Node& fields, const std::string& text,
                                       Observation& o) {
        if (auto f = no_quantity_fields(c, fields, "a yes/no finding")) return f;
        std::string t = lower(std::string(trim(text)));
        if (t == "true" || t == "yes") o.value = 1;
        else if (t == "false" || t == "no") o.value = 0;
        else return Fail{RejectReason::BadValue, fmt::format("{} is true or false, not `{}`", c.name, text)};
        o.original_value = o.value;
        return std::nullopt;
    }

    static std::optional<Fail> coded(const Concept& c, const YAML::Node& fields, const std::string& text,
                                     Observation& o) {
        if (auto f = no_quantity_fields(c, fields, "coded")) return f;
        std::string t(trim(text));
        for (std::size_t i = 0; i < c.values.size(); ++i)
            if (lower(c.values[i]) == lower(t)) {
                o.value = static_cast<double>(i);
                o.original_value = o.value;
                return std::nullopt;
            }
        std::string list;
        for (const auto& v : c.values) list += (list.empty() ? "" : ", ") + v;
        return Fail{RejectReason::BadValue, fmt::format("{} is one of {}, not `{}`", c.name, list, text)};
    }
};

}  // namespace

Timeline timeline_from_yaml(const YAML::Node& patient, const std::string& file, const Bindings& b,
                            std::vector<Rejection>& rejects) {
    Timeline t;
    Builder(file, b, t, rejects).patient(patient);
    t.finalize(b.concepts.size());
    return t;
}

bool load_yaml_timelines(const std::string& path, const Bindings& b, LoadResult& out, Diagnostics& diags) {
    SourcePtr file = read_source(path, diags);
    if (!file) return false;
    auto span = [&](const YAML::Mark& m, std::size_t len) {
        if (m.line < 0) return Span{file.get(), 0, 0};
        std::uint32_t begin = file->offset_of(m.line + 1, m.column + 1);
        auto [line, col] = file->line_col(begin);
        auto rest = static_cast<std::uint32_t>(file->line_text(line).size()) - static_cast<std::uint32_t>(col - 1);
        return Span{file.get(), begin, begin + std::max<std::uint32_t>(1, std::min<std::uint32_t>(rest, len))};
    };
    auto at = [&](const YAML::Node& n) { return span(n.Mark(), n.IsScalar() ? n.Scalar().size() : 1); };

    std::vector<YAML::Node> docs;
    try {
        docs = load_all_documents(file->text());
    } catch (const YAML::ParserException& e) {
        diags.error(DiagCode::Timeline, span(e.mark, 1), fmt::format("malformed YAML: {}", e.msg));
        return false;
    }

    bool ok = true;
    std::set<std::string> ids;
    for (const auto& p : out.patients) ids.insert(p.patient_id);
    auto not_a_timeline = [&](Span s, std::string msg) {
        diags.error(DiagCode::Timeline, s, std::move(msg)).notes.push_back(
            "a timeline file is a map with `patient:` and `timeline:`, or `patients:` with a list of them");
        ok = false;
    };
    auto take = [&](const YAML::Node& p) {
        if (!p.IsMap()) {
            not_a_timeline(at(p), "expected a patient (a map with `patient:` and `timeline:`)");
            return;
        }
        const YAML::Node id = p["patient"];
        if (!id || !id.IsScalar() || id.Scalar().empty()) {
            not_a_timeline(id ? at(id) : at(p), "the patient has no `patient:` id");
            return;
        }
        if (const YAML::Node tl = p["timeline"]; tl && !tl.IsSequence() && !tl.IsNull()) {
            not_a_timeline(at(tl), "`timeline` must be a list of records");
            return;
        }
        // A misspelt key (`timline:`) would otherwise leave an empty timeline unnoticed.
        static const std::vector<std::string> known = {"patient", "birth_date", "diagnosis", "timeline",
                                                       "gender",  "sex",        "note"};
        for (const auto& kv : p) {
            std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
            if (std::find(known.begin(), known.end(), k) != known.end()) continue;
            auto& w = diags.warning(DiagCode::Timeline, at(kv.first),
                                    fmt::format("`{}` is not a patient field; it is ignored", k));
            w.suggestion = closest_name(k, known);
        }
        if (!valid_utf8(id.Scalar())) {
            diags.error(DiagCode::Timeline, at(id),
                        fmt::format("the patient id `{}` is not valid UTF-8; the patient is not loaded", printable(id.Scalar())));
            ok = false;
            return;
        }
        if (!ids.insert(id.Scalar()).second) {
            diags.error(DiagCode::Timeline, at(id), fmt::format("patient `{}` appears twice", id.Scalar()));
            ok = false;
            return;
        }
        out.patients.push_back(timeline_from_yaml(p, path, b, out.rejections));
    };

    if (docs.empty()) not_a_timeline(Span{file.get(), 0, 0}, "the file holds no patient");
    for (const auto& doc : docs) {
        if (doc.IsMap() && doc["patients"]) {
            const YAML::Node list = doc["patients"];
            if (!list.IsSequence()) {
                not_a_timeline(at(list), "`patients` must be a list of patients");
                continue;
            }
            for (const auto& p : list) take(p);
        } else if (doc.IsMap() && doc["patient"]) {
            take(doc);
        } else {
            not_a_timeline(doc.IsNull() ? Span{file.get(), 0, 0} : at(doc), "this is not a patient timeline");
        }
    }
    return ok;
}

}  // namespace crit
