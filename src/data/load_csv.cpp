// CSV long format -> Timeline. The format and its conventions: load_csv.hpp.
#include "data/load_csv.hpp"

#include <fstream>
#include <istream>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.hpp"

namespace crit {

namespace {

using facts::Fail;

// One CSV record: its fields and the line it starts on.
struct Row {
    std::vector<std::string> fields;
    std::uint32_t line = 0;
    std::string error;  // a malformed record (unclosed quote, text after a closing quote)
};

// Reads RFC 4180 records a physical line at a time; a quoted field may go on
// over several lines.
class RecordReader {
public:
    explicit RecordReader(std::istream& in) : in_(in) {}

    bool next(Row& row) {
        row.fields.clear();
        row.error.clear();
        std::string line;
        do {
            if (!std::getline(in_, line)) return false;
            ++line_no_;
            if (line_no_ == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
            if (!line.empty() && line.back() == '\r') line.pop_back();
        } while (facts::trim(line).empty());
        row.line = line_no_;
        std::string field;
        std::size_t i = 0;
        while (true) {
            field.clear();
            if (i < line.size() && line[i] == '"') {
                ++i;
                while (true) {
                    if (i >= line.size()) {  // the quoted field goes on past the line break
                        std::string more;
                        if (!std::getline(in_, more)) {
                            row.error = "a quoted field is not closed before the end of the file";
                            return true;
                        }
                        ++line_no_;
                        if (!more.empty() && more.back() == '\r') more.pop_back();
                        field += '\n';
                        line = std::move(more);
                        i = 0;
                        continue;
                    }
                    if (line[i] == '"') {
                        if (i + 1 < line.size() && line[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    field += line[i++];
                }
                if (i < line.size() && line[i] != ',') {
                    row.error = "text after a closing quote (a quote inside a quoted field is written \"\")";
                    return true;
                }
            } else {
                std::size_t comma = line.find(',', i);
                std::size_t end = comma == std::string::npos ? line.size() : comma;
                field.assign(line, i, end - i);
                i = end;
            }
            row.fields.push_back(field);
            if (i >= line.size()) break;
            ++i;                     // the comma
            if (i == line.size()) {  // a trailing comma: one more, empty, field
                row.fields.emplace_back();
                break;
            }
        }
        return true;
    }

private:
    std::istream& in_;
    std::uint32_t line_no_ = 0;
};

enum Col { PatientId, Time, ConceptCol, Value, UnitCol, CodeSystem, CodeCol, CmpCol, LimitCol, SiteCol, Note, PhaseCol, NCols };
constexpr const char* kColNames[NCols] = {"patient_id", "time",       "concept",         "value", "unit", "code_system",
                                          "code",       "comparator", "detection_limit", "site",  "note", "phase"};

class CsvLoader {
public:
    CsvLoader(const std::string& file, const Bindings& b, std::vector<Rejection>& rejects)
        : file_(file), b_(b), rejects_(rejects) {}

    bool run(std::istream& in, const PatientSink& sink, Diagnostics& diags) {
        RecordReader reader(in);
        Row header;
        if (!reader.next(header)) {
            diags.error(DiagCode::Timeline, Span{},
                        fmt::format("{}: the CSV file is empty (expected a header row "
                                    "patient_id,time,concept,value,unit)",
                                    file_));
            return false;
        }
        if (!columns(header, diags)) return false;
        Row row;
        while (reader.next(row)) this->row(row);
        for (auto& t : patients_) {
            t.finalize(b_.concepts.size());
            sink(std::move(t));
        }
        return true;
    }

private:
    const std::string& file_;
    const Bindings& b_;
    std::vector<Rejection>& rejects_;
    int col_[NCols];
    std::size_t width_ = 0;
    std::vector<Timeline> patients_;  // in order of first row
    std::unordered_map<std::string, std::size_t> index_;

    bool columns(const Row& header, Diagnostics& diags) {
        std::fill(std::begin(col_), std::end(col_), -1);
        width_ = header.fields.size();
        std::vector<std::string> names(std::begin(kColNames), std::end(kColNames));
        bool ok = header.error.empty();
        if (!ok) diags.error(DiagCode::Timeline, Span{}, fmt::format("{}:{}: {}", file_, header.line, header.error));
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            std::string name = facts::lower(facts::trim(header.fields[i]));
            auto it = std::find(names.begin(), names.end(), name);
            if (it == names.end()) {
                auto& w = diags.warning(DiagCode::Timeline, Span{},
                                        fmt::format("{}:{}: column `{}` is not a column of the CSV long format; it "
                                                    "is ignored",
                                                    file_, header.line, header.fields[i]));
                w.suggestion = closest_name(name, names);
                continue;
            }
            int& c = col_[it - names.begin()];
            if (c >= 0) {
                diags.error(DiagCode::Timeline, Span{},
                            fmt::format("{}:{}: column `{}` appears twice in the header", file_, header.line, name));
                ok = false;
            }
            c = static_cast<int>(i);
        }
        std::string missing;
        for (Col c : {PatientId, Time, ConceptCol, Value})
            if (col_[c] < 0) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", kColNames[c]);
        if (!missing.empty()) {
            diags
                .error(DiagCode::Timeline, Span{},
                       fmt::format("{}:{}: the CSV header lacks {} (expected patient_id,time,concept,value,unit"
                                   "[,code_system,code])",
                                   file_, header.line, missing))
                .notes.push_back(header.fields.size() == 1 && header.fields[0].find(';') != std::string::npos
                                     ? "the file is not read; it looks semicolon-separated, and the CSV long "
                                       "format is comma-separated"
                                     : "the file is not read");
            ok = false;
        }
        return ok;
    }

    std::string get(const Row& r, Col c) const {
        return col_[c] < 0 ? std::string() : std::string(facts::trim(r.fields[static_cast<std::size_t>(col_[c])]));
    }

    void reject(const Row& r, Col c, const std::string& patient, RejectReason reason, std::string detail) {
        rejects_.push_back(Rejection{Origin{file_, r.line, c == NCols ? "" : kColNames[c]}, patient, reason,
                                     std::move(detail)});
    }
    void reject(const Row& r, Col c, const std::string& patient, Fail f) {
        reject(r, c, patient, f.reason, std::move(f.detail));
    }

    Timeline& patient(const std::string& id) {
        auto [it, fresh] = index_.emplace(id, patients_.size());
        if (fresh) {
            patients_.emplace_back();
            patients_.back().patient_id = id;
        }
        return patients_[it->second];
    }

    void row(const Row& r) {
        if (!r.error.empty()) {
            reject(r, NCols, "", RejectReason::BadRecord, r.error);
            return;
        }
        if (r.fields.size() != width_) {
            reject(r, NCols, "", RejectReason::BadRecord,
                   fmt::format("the row has {} fields, the header {}", r.fields.size(), width_));
            return;
        }
        for (int c = 0; c < NCols; ++c) {
            if (col_[c] < 0) continue;
            const std::string& f = r.fields[static_cast<std::size_t>(col_[c])];
            if (std::size_t at = invalid_utf8_at(f); at != std::string::npos) {
                reject(r, static_cast<Col>(c), "", RejectReason::BadText,
                       fmt::format("the value of column `{}` is not valid UTF-8 (byte {}: \\x{:02X})", kColNames[c],
                                   at + 1, static_cast<unsigned char>(f[at])));
                return;
            }
        }
        std::string pid = get(r, PatientId);
        if (pid.empty()) {
            reject(r, PatientId, "", RejectReason::BadRecord, "the row has no patient_id");
            return;
        }
        Timeline& t = patient(pid);
        std::string concept_name = get(r, ConceptCol);
        std::string key = facts::lower(concept_name);
        if (key != "treatment")
            if (std::string ph = get(r, PhaseCol); !ph.empty())
                reject(r, PhaseCol, t.patient_id, RejectReason::BadValue,
                       fmt::format("`phase` is the phase of a treatment, but this is a {} row",
                                   concept_name.empty() ? "result" : concept_name));
        if (key == "birth_date") birth(r, t);
        else if (key == "diagnosis") diagnosis(r, t);
        else if (key == "treatment") treatment(r, t);
        else observation(r, t, concept_name);
    }

    void birth(const Row& r, Timeline& t) {
        if (!get(r, Value).empty()) {
            reject(r, Value, t.patient_id, RejectReason::BadValue, "a birth_date row gives the date in `time`; `value` is empty");
            return;
        }
        auto d = parse_day(get(r, Time));
        if (!d) {
            reject(r, Time, t.patient_id, RejectReason::BadDate, fmt::format("birth date `{}` is not a date", get(r, Time)));
            return;
        }
        t.birth_date = d;
    }

    void diagnosis(const Row& r, Timeline& t) {
        std::string code = get(r, Value);
        if (code.empty()) code = get(r, CodeCol);
        if (code.empty()) {
            reject(r, Value, t.patient_id, RejectReason::MissingValue, "a diagnosis row gives the diagnosis code in `value`");
            return;
        }
        std::optional<Day> day;
        if (std::string time = get(r, Time); !time.empty()) {
            day = parse_day(time);
            if (!day) {
                reject(r, Time, t.patient_id, RejectReason::BadDate, fmt::format("diagnosis date `{}` is not a date", time));
                return;
            }
        }
        if (t.diagnosis.empty()) {
            t.diagnosis = code;
            t.diagnosis_date = day;
        } else if (facts::lower(t.diagnosis) == facts::lower(code)) {
            if (day && (!t.diagnosis_date || *day < *t.diagnosis_date)) t.diagnosis_date = day;
        } else {
            reject(r, Value, t.patient_id, RejectReason::ConflictingDiagnosis,
                   fmt::format("the patient already has diagnosis {}; this row says {}", t.diagnosis, code));
        }
    }

    void treatment(const Row& r, Timeline& t) {
        Treatment tr;
        std::string name = get(r, Value), system = get(r, CodeSystem), code = get(r, CodeCol);
        if (!code.empty()) {
            auto d = b_.drug_by_code(system, code);
            if (!d) {
                reject(r, CodeCol, t.patient_id, RejectReason::UnboundCode,
                       fmt::format("no binding knows drug code {} {}", system.empty() ? "(no system)" : system, code));
                return;
            }
            if (!name.empty() && facts::lower(name) != facts::lower(b_.drugs[*d].name)) {
                reject(r, Value, t.patient_id, RejectReason::BadValue,
                       fmt::format("treatment `{}`, but code {} is {}", name, code, b_.drugs[*d].name));
                return;
            }
            tr.drug = b_.drugs[*d].name;
            tr.classes = b_.drugs[*d].classes;
        } else if (name.empty()) {
            reject(r, Value, t.patient_id, RejectReason::MissingValue, "a treatment row names a drug or regimen in `value`");
            return;
        } else if (auto d = b_.drug_by_name(name)) {
            tr.drug = b_.drugs[*d].name;
            tr.classes = b_.drugs[*d].classes;
        } else {
            reject(r, Value, t.patient_id, RejectReason::UnknownDrug, facts::unknown_drug(b_, name));
            return;
        }
        std::string time = get(r, Time);
        std::string_view start_text = time, end_text;
        if (auto slash = time.find('/'); slash != std::string::npos) {
            start_text = facts::trim(std::string_view(time).substr(0, slash));
            end_text = facts::trim(std::string_view(time).substr(slash + 1));
        }
        auto start = parse_day(start_text);
        if (!start) {
            reject(r, Time, t.patient_id, RejectReason::BadDate,
                   fmt::format("`{}` is not a date, or a period start/end (YYYY-MM-DD/YYYY-MM-DD)", time));
            return;
        }
        tr.start = *start;
        if (!end_text.empty()) {
            auto end = parse_day(end_text);
            if (!end) {
                reject(r, Time, t.patient_id, RejectReason::BadDate, fmt::format("the end of `{}` is not a date", time));
                return;
            }
            if (*end < *start) {
                reject(r, Time, t.patient_id, RejectReason::BadPeriod,
                       fmt::format("treatment {} ends ({}) before it starts ({})", tr.drug, format_day(*end),
                                   format_day(*start)));
                return;
            }
            tr.end = *end;
        }
        if (std::string ph = get(r, PhaseCol); !ph.empty())
            if (auto f = facts::phase_of(b_, ph, tr)) {
                reject(r, PhaseCol, t.patient_id, std::move(*f));
                return;
            }
        tr.origin = t.add_origin(Origin{file_, r.line, ""});
        t.treatments.push_back(std::move(tr));
    }

    void observation(const Row& r, Timeline& t, const std::string& name) {
        const std::string& pid = t.patient_id;
        std::string system = get(r, CodeSystem), code = get(r, CodeCol);
        std::optional<Site> site;
        if (std::string s = get(r, SiteCol); !s.empty()) {
            site = site_of(s);
            if (!site) {
                reject(r, SiteCol, pid, RejectReason::BadValue, fmt::format("unknown site `{}` (blood, marrow or csf)", s));
                return;
            }
        }
        std::optional<ConceptId> id;
        if (!name.empty()) {
            id = b_.concept_by_name(name);
            if (!id) {
                std::string hint = closest_name(name, b_.concept_names());
                reject(r, ConceptCol, pid, RejectReason::UnknownConcept,
                       fmt::format("`{}` is not a concept in the bindings{}", name,
                                   hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint)));
                return;
            }
            if (!code.empty()) {
                auto by_code = b_.concept_by_code(system, code, site.value_or(b_.concepts[*id].site));
                if (by_code && b_.concepts[*by_code].measure_of == id) {
                    id = by_code;  // the code of another measure of the named concept (LOINC 736-9 of lymphocytes)
                } else if (by_code != id) {
                    reject(r, CodeCol, pid, RejectReason::BadValue,
                           fmt::format("concept `{}`, but code {} {} is {}", name, system, code,
                                       by_code ? "`" + b_.concepts[*by_code].name + "`" : "not a code of it"));
                    return;
                }
            }
            // No code: a unit of another measure of the concept (`lymphocytes,25,%`) files the value there.
            if (code.empty()) {
                std::string unit = get(r, UnitCol);
                if (unit.empty())
                    if (auto q = facts::parse_qty_text(get(r, Value))) unit = q->unit;
                id = facts::measure_for_unit(b_, *id, unit);
            }
        } else if (!code.empty()) {
            id = b_.concept_by_code(system, code, site.value_or(Site::Any));
            if (!id) {
                // A code that names one concept per specimen (LOINC 67128-9) needs the site.
                bool per_site = false;
                for (Site s : {Site::Blood, Site::Marrow, Site::Csf})
                    if (auto o = b_.concept_by_code(system, code, s); o && b_.concepts[*o].site == s) per_site = true;
                if (per_site)
                    reject(r, site ? SiteCol : CodeCol, pid, site ? RejectReason::SiteMismatch : RejectReason::MissingSite,
                           fmt::format("code {} {} names a different concept per specimen; {}", system, code,
                                       site ? "none for this site" : "give the `site` column (blood or marrow)"));
                else
                    reject(r, CodeCol, pid, RejectReason::UnboundCode,
                           fmt::format("no binding knows code {} {}", system.empty() ? "(no system)" : system, code));
                return;
            }
        } else {
            reject(r, ConceptCol, pid, RejectReason::BadRecord, "the row names no concept and no code");
            return;
        }
        const Concept& c = b_.concepts[*id];
        std::string time = get(r, Time);
        auto day = parse_day(time);
        if (!day) {
            reject(r, Time, pid, RejectReason::BadDate, fmt::format("`{}` is not a date (YYYY-MM-DD)", time));
            return;
        }
        Observation o;
        o.concept_id = *id;
        o.day = *day;
        o.kind = c.kind;
        o.site = site.value_or(c.site);
        if (c.site != Site::Any && o.site != Site::Any && o.site != c.site) {
            reject(r, SiteCol, pid, RejectReason::SiteMismatch,
                   fmt::format("{} is measured in {}, but the site column says {}", c.name, site_name(c.site),
                               site_name(o.site)));
            return;
        }
        std::string value = get(r, Value);
        if (value.empty()) {
            reject(r, Value, pid, RejectReason::MissingValue, fmt::format("{} has no value", c.name));
            return;
        }
        Col at = Value;
        std::optional<Fail> fail;
        switch (c.kind) {
            case ValueKind::Quantity:
                fail = quantity(r, c, value, o, at);
                break;
            case ValueKind::Boolean:
            case ValueKind::Coded: {
                for (Col k : {UnitCol, CmpCol, LimitCol})
                    if (!get(r, k).empty()) {
                        at = k;
                        fail =
                            Fail{RejectReason::BadValue, fmt::format("{} is {} and takes no {}", c.name,
                                                          c.kind == ValueKind::Boolean ? "a yes/no finding" : "coded",
                                                          kColNames[k])};
                    }
                if (fail) break;
                if (c.kind == ValueKind::Boolean) {
                    auto b = facts::boolean_of(value);
                    if (!b) fail = Fail{RejectReason::BadValue, fmt::format("{} is true or false, not `{}`", c.name, value)};
                    else o.value = o.original_value = *b ? 1 : 0;
                } else {
                    auto i = facts::coded_index(c, value);
                    if (!i)
                        fail = Fail{RejectReason::BadValue,
                                    fmt::format("{} is one of {}, not `{}`", c.name, facts::value_list(c), value)};
                    else o.value = o.original_value = static_cast<double>(*i);
                }
                break;
            }
        }
        if (fail) {
            reject(r, at, pid, std::move(*fail));
            return;
        }
        o.origin = t.add_origin(Origin{file_, r.line, ""});
        t.observations.push_back(std::move(o));
    }

    std::optional<Fail> quantity(const Row& r, const Concept& c, const std::string& value, Observation& o, Col& at) {
        auto q = facts::parse_qty_text(value);
        if (!q) return Fail{RejectReason::BadValue, fmt::format("`{}` is not a number, for {}", value, c.name)};
        if (std::string unit = get(r, UnitCol); !unit.empty()) {
            if (!q->unit.empty() && q->unit != unit) {
                at = UnitCol;
                return Fail{RejectReason::BadValue, fmt::format("the value gives unit `{}` but `unit` says `{}`", q->unit, unit)};
            }
            q->unit = unit;
        }
        if (std::string cmp = get(r, CmpCol); !cmp.empty()) {
            at = CmpCol;
            auto parsed = facts::comparator_of(cmp);
            if (!parsed) return Fail{RejectReason::BadValue, fmt::format("comparator `{}` is not one of < <= > >= =", cmp)};
            if (q->has_cmp && *parsed != q->cmp)
                return Fail{RejectReason::BadValue, "the value's comparator and the comparator column disagree"};
            q->cmp = *parsed;
            at = Value;
        }
        double canon = 0;
        if (auto f = facts::to_concept_unit(c, q->value, q->unit, canon)) {
            if (!get(r, UnitCol).empty()) at = UnitCol;
            return f;
        }
        o.comparator = q->cmp;
        o.value = canon;
        o.original_value = q->value;
        o.original_unit = q->unit;
        if (std::string dl = get(r, LimitCol); !dl.empty()) {
            at = LimitCol;
            auto lim = facts::parse_qty_text(dl);
            if (!lim || lim->has_cmp)
                return Fail{RejectReason::BadValue, fmt::format("detection_limit `{}` is not a number with a unit", dl)};
            std::string lu = lim->unit.empty() ? q->unit : lim->unit;  // a bare limit takes the value's unit
            double lc = 0;
            if (auto f = facts::to_concept_unit(c, lim->value, lu, lc)) {
                f->detail = "detection_limit: " + f->detail;
                return f;
            }
            if (lc < 0) return Fail{RejectReason::BadValue, "detection_limit must not be negative"};
            o.detection_limit = lc;
            at = Value;
        }
        return std::nullopt;
    }
};

}  // namespace

bool load_csv_text(const std::string& name, const std::string& text, const Bindings& b, const PatientSink& sink,
                   std::vector<Rejection>& rejects, Diagnostics& diags) {
    std::istringstream in(text);
    return CsvLoader(name, b, rejects).run(in, sink, diags);
}

bool load_csv(const std::string& path, const Bindings& b, const PatientSink& sink, std::vector<Rejection>& rejects,
              Diagnostics& diags) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        diags.error(DiagCode::Io, Span{}, fmt::format("{}: cannot open the file", path));
        return false;
    }
    return CsvLoader(path, b, rejects).run(in, sink, diags);
}

}  // namespace crit
