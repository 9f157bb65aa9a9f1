#include "cli/results.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace crit {

std::vector<std::pair<Day, Day>> met_intervals(const TruthSeries& s, const Domain& dom) {
    std::vector<std::pair<Day, Day>> out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].v == Truth::Met) out.push_back({s[i].start, seg_end(s, i, dom)});
    return out;
}

std::string json_line(const Program& p, const Evaluation& ev) {
    nlohmann::ordered_json j;
    j["patient"] = ev.patient_id;
    j["as_of"] = ev.dated ? nlohmann::ordered_json(format_day(ev.domain.hi)) : nlohmann::ordered_json(nullptr);
    j["ruleset"] = {{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}};
    nlohmann::ordered_json results = nlohmann::ordered_json::object();
    for (const auto& r : ev.results) {
        switch (r.kind) {
            case ResultValue::Kind::Absent: results[r.name] = nullptr; break;
            case ResultValue::Kind::Boolean: results[r.name] = r.truth; break;
            case ResultValue::Kind::Label: results[r.name] = r.label; break;
            case ResultValue::Kind::Date: results[r.name] = format_day(r.day); break;
        }
    }
    j["results"] = results;
    nlohmann::ordered_json criteria = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < p.criterion_item.size(); ++i) {
        const Item& it = p.items[p.criterion_item[i]];
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (auto [a, b] : met_intervals(ev.slots[p.criterion_item[i]].t, ev.domain))
            list.push_back({{"from", format_day(a)}, {"to", format_day(b)}, {"state", "met"}});
        criteria[it.name] = list;
    }
    j["criteria"] = criteria;
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

namespace {
std::string csv_escape(const std::string& raw) {
    // A cell starting like a formula (= + - @, tab, CR) is opened by a spreadsheet as one:
    // a leading ' keeps it text (patient ids come from data nobody here wrote).
    std::string s = !raw.empty() && std::string_view("=+-@\t\r").find(raw.front()) != std::string_view::npos ? "'" + raw : raw;
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}
}  // namespace

std::string csv_header(const Program& p) {
    std::string s = "patient,as_of";
    for (const auto& r : p.results) {
        s += ',';
        s += csv_escape(r.name);
    }
    return s + "\n";
}

std::string csv_row(const Program& p, const Evaluation& ev) {
    (void)p;
    std::string s = csv_escape(ev.patient_id) + "," + format_day(ev.domain.hi);
    for (const auto& r : ev.results) {
        s += ',';
        s += csv_escape(result_text(r));
    }
    return s + "\n";
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
