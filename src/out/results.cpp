#include "out/results.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "vm/temporal.hpp"

namespace crit {

std::vector<std::pair<Day, Day>> intervals(const TruthSeries& s, const Domain& dom, Truth v) {
    std::vector<std::pair<Day, Day>> out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].v == v) out.push_back({s[i].start, seg_end(s, i, dom)});
    return out;
}

ResultsWriter::ResultsWriter(const Program& p) : p_(p) {
    for (const Instr& in : p.code) {
        const OpInfo& info = op_info(in.op);
        if (info.a == OperandKind::Class && std::find(classes_.begin(), classes_.end(), in.a) == classes_.end())
            classes_.push_back(static_cast<ClassId>(in.a));
    }
    for (std::size_t i = 0; i < p.items.size(); ++i) {
        const Item& it = p.items[i];
        if ((it.kind == Item::Kind::Definition && (it.type == Type::Date || it.type == Type::Episode)) ||
            it.kind == Item::Kind::Baseline) {
            if (it.type == Type::Episode) anchors_.push_back(Anchor{i, true, it.name + ".start", it.name + ".end"});
            else anchors_.push_back(Anchor{i, false, it.kind == Item::Kind::Baseline ? "baseline" : it.name, ""});
        }
    }
    // Whether every object of a patient's line has distinct keys (json_line writes them
    // straight; nlohmann would keep one of a repeated key).
    auto distinct = [](std::vector<std::string> keys) {
        std::sort(keys.begin(), keys.end());
        return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
    };
    std::vector<std::string> results, anchors, criteria;
    for (const auto& r : p.results) results.push_back(r.name);
    for (const Anchor& a : anchors_) {
        anchors.push_back(a.key);
        if (a.episode) anchors.push_back(a.end_key);
    }
    for (int slot : p.criterion_item) criteria.push_back(p.items[static_cast<std::size_t>(slot)].name);
    unique_keys_ = distinct(results) && distinct(anchors) && distinct(criteria);
}

namespace {
using ojson = nlohmann::ordered_json;

ojson date_or_null(const std::optional<Day>& d) { return d ? ojson(format_day(*d)) : ojson(nullptr); }

// An anchor's dates in an evaluation: an episode definition's first start and last end, or
// a date (first). nullopt: never (a running therapy's end) or unknown.
std::pair<std::optional<Day>, std::optional<Day>> anchor_dates(bool episode, const Value& v) {
    if (episode) {
        if (v.e.empty()) return {};
        return {v.e.front().start, v.e.back().end};
    }
    if (v.d.state == DateVal::State::Known) return {v.d.day, std::nullopt};
    return {};
}
}  // namespace

ojson ResultsWriter::patient_json(const Timeline& t, const Evaluation& ev) const {
    ojson j;
    j["patient"] = ev.patient_id;
    j["as_of"] = ev.dated ? ojson(format_day(ev.domain.hi)) : ojson(nullptr);
    j["ruleset"] = {{"name", p_.name}, {"version", p_.version}, {"sha256", p_.sha256}};
    ojson results = ojson::object();
    for (const auto& r : ev.results) {
        switch (r.kind) {
            case ResultValue::Kind::Absent: results[r.name] = nullptr; break;
            case ResultValue::Kind::Boolean: results[r.name] = r.truth; break;
            case ResultValue::Kind::Label: results[r.name] = r.label; break;
            case ResultValue::Kind::Date: results[r.name] = format_day(r.day); break;
        }
    }
    j["results"] = results;
    // Episodes as the VM forms them (each class's episode_gap), up to the as-of date.
    ojson episodes = ojson::array();
    std::vector<Episode> eps;
    for (ClassId cls : classes_) {
        eps.clear();
        if (ev.dated) episodes_of(t, cls, p_.bindings->classes[cls].episode_gap, ev.domain.hi, eps);
        for (const Episode& e : eps)
            episodes.push_back({{"class", p_.bindings->classes[cls].name}, {"start", format_day(e.start)}, {"end", date_or_null(e.end)}});
    }
    j["episodes"] = episodes;
    // The pack's own dates: a date definition, an episode definition's start and end, the
    // baseline. null when never (a running therapy's end) or unknown.
    ojson anchors = ojson::object();
    for (const Anchor& a : anchors_) {
        auto [start, end] = anchor_dates(a.episode, ev.slots[a.slot]);
        anchors[a.key] = date_or_null(start);
        if (a.episode) anchors[a.end_key] = date_or_null(end);
    }
    j["anchors"] = anchors;
    ojson criteria = ojson::object();
    for (std::size_t i = 0; i < p_.criterion_item.size(); ++i) {
        const TruthSeries& s = ev.slots[p_.criterion_item[i]].t;
        ojson list = ojson::array();
        for (std::size_t k = 0; ev.dated && k < s.size(); ++k) {
            if (s[k].v == Truth::NotMet) continue;
            list.push_back({{"from", format_day(s[k].start)},
                            {"to", format_day(seg_end(s, k, ev.domain))},
                            {"state", s[k].v == Truth::Met ? "met" : "unknown"}});
        }
        criteria[p_.items[p_.criterion_item[i]].name] = list;
    }
    j["criteria"] = criteria;
    return j;
}

namespace {

// Appends compact JSON, byte for byte what patient_json(...).dump() writes. A string
// that needs no escaping (ids, names, dates: nearly all) is copied as it is; any other,
// and any byte past ASCII, goes through nlohmann's serializer, so escapes and U+FFFD
// for text that is not UTF-8 are exactly its own.
class Line {
public:
    explicit Line(std::string& out) : out_(out) {}
    Line& raw(std::string_view s) {
        out_ += s;
        return *this;
    }
    Line& str(std::string_view s) {
        for (unsigned char c : s)
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) {
                out_ += ojson(std::string(s)).dump(-1, ' ', false, ojson::error_handler_t::replace);
                return *this;
            }
        out_ += '"';
        out_ += s;
        out_ += '"';
        return *this;
    }
    Line& key(std::string_view k) {
        str(k);
        out_ += ':';
        return *this;
    }
    Line& day(Day d) { return str(format_day(d)); }
    Line& day_or_null(const std::optional<Day>& d) { return d ? day(*d) : raw("null"); }

private:
    std::string& out_;
};

}  // namespace

std::string ResultsWriter::json_line(const Timeline& t, const Evaluation& ev) const {
    // An object whose keys repeat keeps one of each in nlohmann's output: such a program
    // (never a checked pack) is written through patient_json.
    bool same_results = ev.results.size() == p_.results.size();
    for (std::size_t i = 0; same_results && i < ev.results.size(); ++i)
        same_results = ev.results[i].name == p_.results[i].name;
    if (!unique_keys_ || !same_results) return patient_json(t, ev).dump(-1, ' ', false, ojson::error_handler_t::replace);

    std::string out;
    out.reserve(512);
    Line j(out);
    j.raw("{").key("patient").str(ev.patient_id).raw(",").key("as_of");
    if (ev.dated) j.day(ev.domain.hi);
    else j.raw("null");
    j.raw(",").key("ruleset").raw("{").key("name").str(p_.name).raw(",").key("version").str(p_.version);
    j.raw(",").key("sha256").str(p_.sha256).raw("},").key("results").raw("{");
    for (std::size_t i = 0; i < ev.results.size(); ++i) {
        const ResultValue& r = ev.results[i];
        if (i) j.raw(",");
        j.key(r.name);
        switch (r.kind) {
            case ResultValue::Kind::Absent: j.raw("null"); break;
            case ResultValue::Kind::Boolean: j.raw(r.truth ? "true" : "false"); break;
            case ResultValue::Kind::Label: j.str(r.label); break;
            case ResultValue::Kind::Date: j.day(r.day); break;
        }
    }
    j.raw("},").key("episodes").raw("[");
    std::vector<Episode> eps;
    bool first = true;
    for (ClassId cls : classes_) {
        eps.clear();
        if (ev.dated) episodes_of(t, cls, p_.bindings->classes[cls].episode_gap, ev.domain.hi, eps);
        for (const Episode& e : eps) {
            if (!first) j.raw(",");
            first = false;
            j.raw("{").key("class").str(p_.bindings->classes[cls].name).raw(",").key("start").day(e.start);
            j.raw(",").key("end").day_or_null(e.end).raw("}");
        }
    }
    j.raw("],").key("anchors").raw("{");
    first = true;
    for (const Anchor& a : anchors_) {
        auto [start, end] = anchor_dates(a.episode, ev.slots[a.slot]);
        if (!first) j.raw(",");
        first = false;
        j.key(a.key).day_or_null(start);
        if (a.episode) j.raw(",").key(a.end_key).day_or_null(end);
    }
    j.raw("},").key("criteria").raw("{");
    for (std::size_t i = 0; i < p_.criterion_item.size(); ++i) {
        const TruthSeries& s = ev.slots[p_.criterion_item[i]].t;
        if (i) j.raw(",");
        j.key(p_.items[p_.criterion_item[i]].name).raw("[");
        first = true;
        for (std::size_t k = 0; ev.dated && k < s.size(); ++k) {
            if (s[k].v == Truth::NotMet) continue;
            if (!first) j.raw(",");
            first = false;
            j.raw("{").key("from").day(s[k].start).raw(",").key("to").day(seg_end(s, k, ev.domain));
            j.raw(",").key("state").raw(s[k].v == Truth::Met ? "\"met\"}" : "\"unknown\"}");
        }
        j.raw("]");
    }
    j.raw("}}");
    return out;
}

std::optional<Rejection> other_disease(const Program& p, const Timeline& t) {
    if (p.disease.empty() || t.disease.empty() || t.disease == p.disease) return std::nullopt;
    Origin where = t.origins.empty() ? Origin{} : t.origins.front();
    return Rejection{where, t.patient_id, RejectReason::OtherDisease,
                     fmt::format("patient {} is diagnosed with {} ({}); {} is for {}: not evaluated", t.patient_id, t.disease,
                                 t.diagnosis, p.name, p.disease)};
}

std::string csv_cell(const std::string& raw) {
    // A cell starting like a formula (= + - @, tab, CR) is opened by a spreadsheet as one:
    // a leading ' keeps it text (patient ids come from data nobody here wrote).
    std::string s = !raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos ? "'" + raw : raw;
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string ResultsWriter::csv_header() const {
    std::string s = "patient,as_of";
    for (const auto& r : p_.results) {
        s += ',';
        s += csv_cell(r.name);
    }
    return s + ",ruleset,ruleset_version,ruleset_sha256\n";
}

std::string ResultsWriter::csv_row(const Evaluation& ev) const {
    std::string s = csv_cell(ev.patient_id) + "," + (ev.dated ? format_day(ev.domain.hi) : "");
    for (const auto& r : ev.results) {
        s += ',';
        s += csv_cell(result_text(r));
    }
    return s + fmt::format(",{},{},{}\n", csv_cell(p_.name), csv_cell(p_.version), p_.sha256);
}

TableWriter::TableWriter(const Program& p) {
    head_ = {"patient", "as of"};
    for (const auto& r : p.results) head_.push_back(r.name);
}

void TableWriter::add(const Evaluation& ev) {
    std::vector<std::string> row{printable(ev.patient_id), format_day(ev.domain.hi)};  // a terminal table: no control codes
    for (const auto& r : ev.results) row.push_back(result_text(r, "-"));
    rows_.push_back(std::move(row));
}

std::string TableWriter::render() const {
    std::vector<std::size_t> w(head_.size(), 0);
    for (std::size_t i = 0; i < head_.size(); ++i) w[i] = head_[i].size();
    for (const auto& r : rows_)
        for (std::size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], r[i].size());
    auto line = [&](const std::vector<std::string>& r) {
        std::string s;
        for (std::size_t i = 0; i < r.size(); ++i) s += fmt::format("{:<{}}{}", r[i], w[i], i + 1 < r.size() ? "  " : "");
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s + "\n";
    };
    std::string out = line(head_);
    std::vector<std::string> rule;
    for (auto n : w) rule.push_back(std::string(n, '-'));
    out += line(rule);
    for (const auto& r : rows_) out += line(r);
    return out;
}

}  // namespace crit
