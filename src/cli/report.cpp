#include "cli/report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "out/explain.hpp"
#include "cli/gzip.hpp"
#include "cli/html.hpp"
#include "cli/report_assets.hpp"
#include "core/units.hpp"
#include "lang/ast.hpp"

namespace crit {

namespace {

using ojson = nlohmann::ordered_json;

std::string dump(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The kind of marker a criterion or date result stands for, or "" (docs/report.md).
std::string marker_kind(const std::string& name) {
    std::string n = lower(name);
    if (n == "pd" || n.find("progress") != std::string::npos) return "PD";
    if (n.find("relapse") != std::string::npos) return "relapse";
    return "";
}

bool date_result(const Program& p, const ResultInfo& r) {
    return r.kind == ResultKind::Value && r.value_item >= 0 && p.items[r.value_item].type == Type::Date;
}

// A result's value as the cohort counts it: a date result counts as dated or not.
std::string count_key(const Program& p, const ResultInfo& info, const ResultValue& v) {
    if (v.kind == ResultValue::Kind::Absent) return "(none)";
    if (date_result(p, info)) return "dated";
    return result_text(v);
}

// The values a result can take, in the order the pack ranks them.
std::vector<std::string> value_order(const Program& p, const ResultInfo& r) {
    std::vector<std::string> out;
    if (r.kind == ResultKind::Value) {
        if (date_result(p, r)) out = {"dated"};
        else out = {"true", "false"};
    } else {
        for (const auto& c : r.choices)
            if (std::find(out.begin(), out.end(), c.label) == out.end()) out.push_back(c.label);
        if (r.else_label) out.push_back(*r.else_label);
    }
    out.push_back("(none)");
    return out;
}

// The direction a threshold bounds its concept: thresholds of the same concept and
// direction in two packs are the same rule with (maybe) another number.
int direction(CmpOp op) {
    switch (op) {
        case CmpOp::Lt:
        case CmpOp::Le: return -1;
        case CmpOp::Gt:
        case CmpOp::Ge: return 1;
        default: return 0;
    }
}

bool same_number(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a)); }

// Fills a template: each {{NAME}} replaced once, in one pass, so nothing substituted is read again.
std::string fill(std::string_view tpl, const std::vector<std::pair<std::string, std::string>>& parts) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        std::size_t open = tpl.find("{{", at);
        if (open == std::string_view::npos) break;
        std::size_t close = tpl.find("}}", open);
        if (close == std::string_view::npos) break;
        std::string_view key = tpl.substr(open + 2, close - open - 2);
        out.append(tpl.substr(at, open - at));
        for (const auto& [k, v] : parts)
            if (k == key) out += v;
        at = close + 2;
    }
    out.append(tpl.substr(at));
    return out;
}

// `data`: the whole <script> element that carries the page's data.
std::string page(const std::string& title, const std::string& body, const std::string& data) {
    return fill(report_template(), {{"TITLE", html_escape(title)},
                                    {"CSS", std::string(report_css())},
                                    {"BODY", body},
                                    {"DATA", data},
                                    {"JS", std::string(report_js())}});
}

}  // namespace

ReportPack::ReportPack(const Program& p, std::string file_name)
    : program(&p), file(std::move(file_name)), label(p.name), writer(p), thresholds(crit::thresholds(p)) {}

PatientSections::PatientSections(const std::vector<ReportPack>& packs) : packs_(packs) {
    const Bindings& b = *packs.front().program->bindings;
    auto add = [&](const std::string& name) {
        auto c = std::find_if(b.concepts.begin(), b.concepts.end(), [&](const Concept& k) { return k.name == name; });
        if (c == b.concepts.end() || c->kind != ValueKind::Quantity) return;
        auto id = static_cast<ConceptId>(c - b.concepts.begin());
        if (std::any_of(charts_.begin(), charts_.end(), [&](const Chart& ch) { return ch.concept_id == id; })) return;
        charts_.push_back(Chart{id, canonical_unit(c->unit.dim), 1});
    };
    // Concepts are matched by name: a second pack may have bindings of its own.
    for (const auto& pk : packs)
        for (ConceptId c : concepts_read(*pk.program)) add(pk.program->bindings->concepts[c].name);
    for (const auto& pk : packs)
        for (const auto& t : pk.thresholds) add(pk.program->bindings->concepts[t.concept_id].name);
    // A chart reads in the unit the packs write their thresholds in (g/dL, not the canonical g/L).
    for (auto& ch : charts_) {
        const std::string& name = b.concepts[ch.concept_id].name;
        for (const auto& pk : packs)
            for (const auto& t : pk.thresholds) {
                if (pk.program->bindings->concepts[t.concept_id].name != name || t.unit.empty()) continue;
                auto u = find_unit(t.unit);
                if (u && u->dim == b.concepts[ch.concept_id].unit.dim && ch.factor == 1 && ch.unit == canonical_unit(u->dim)) {
                    ch.unit = t.unit;
                    ch.factor = u->factor;
                }
            }
    }
}

ojson PatientSections::packs_json() const {
    ojson out = ojson::array();
    for (std::size_t k = 0; k < packs_.size(); ++k) {
        const ReportPack& pk = packs_[k];
        const Program& p = *pk.program;
        ojson j;
        j["name"] = p.name;
        j["label"] = pk.label;
        j["version"] = p.version;
        j["sha256"] = p.sha256;
        j["source"] = p.source;
        j["file"] = pk.file;
        ojson results = ojson::array();
        std::vector<std::string> ranked;
        for (const auto& r : p.results) {
            results.push_back({{"name", r.name},
                               {"kind", date_result(p, r) ? "date" : r.kind == ResultKind::Value ? "truth" : "category"},
                               {"values", value_order(p, r)}});
            if (r.kind == ResultKind::FirstOf)
                for (const auto& c : r.choices)
                    if (c.criterion >= 0) {
                        const std::string& n = p.module->criteria[c.criterion].name;
                        if (std::find(ranked.begin(), ranked.end(), n) == ranked.end()) ranked.push_back(n);
                    }
        }
        j["results"] = results;
        ojson criteria = ojson::array();
        for (const auto& c : p.module->criteria) criteria.push_back({{"name", c.name}, {"title", c.title}});
        j["criteria"] = criteria;
        j["shown"] = ranked;
        ojson th = ojson::array();
        for (const auto& t : pk.thresholds) {
            const std::string& cname = p.bindings->concepts[t.concept_id].name;
            auto chart = std::find_if(charts_.begin(), charts_.end(), [&](const Chart& ch) {
                return packs_.front().program->bindings->concepts[ch.concept_id].name == cname;
            });
            ojson jt{{"concept", cname},
                     {"op", cmp_name(t.op)},
                     {"value", chart != charts_.end() ? t.canonical / chart->factor : t.canonical},
                     {"written", t.written},
                     {"where", t.where},
                     {"line", t.line},
                     {"label", threshold_label(p, t)}};
            // Between two packs: the same concept bounded the same way with another number.
            if (packs_.size() == 2) {
                const ReportPack& other = packs_[1 - k];
                ojson others = ojson::array();
                bool same = false;
                for (const auto& u : other.thresholds) {
                    if (other.program->bindings->concepts[u.concept_id].name != cname || direction(u.op) != direction(t.op))
                        continue;
                    if (same_number(u.canonical, t.canonical) && u.op == t.op) same = true;
                    others.push_back(threshold_label(*other.program, u));
                }
                jt["changed"] = !same && !others.empty();
                if (!same && !others.empty()) jt["other"] = others;
            }
            th.push_back(std::move(jt));
        }
        j["thresholds"] = th;
        out.push_back(std::move(j));
    }
    return out;
}

ojson PatientSections::patient(const Timeline& t, const std::vector<const Evaluation*>& evs) const {
    const Bindings& b = *packs_.front().program->bindings;
    ojson j;
    j["id"] = t.patient_id;
    j["as_of"] = evs.front()->dated ? ojson(format_day(evs.front()->domain.hi)) : ojson(nullptr);
    // The time axis starts at the first treatment episode of any pack, else the first record.
    std::optional<Day> t0;
    ojson packs = ojson::array();
    for (std::size_t k = 0; k < packs_.size(); ++k) {
        const ReportPack& pk = packs_[k];
        const Program& p = *pk.program;
        const Evaluation& ev = *evs[k];
        ojson pj = pk.writer.patient_json(t, ev);
        ojson out;
        out["as_of"] = pj["as_of"];
        out["results"] = pj["results"];
        out["episodes"] = pj["episodes"];
        out["anchors"] = pj["anchors"];
        out["criteria"] = pj["criteria"];
        for (const auto& e : pj["episodes"]) {
            Day d = parse_day(e["start"].get<std::string>()).value_or(0);
            if (!t0 || d < *t0) t0 = d;
        }
        // PD and relapse: the first met day of a criterion so named, and date results so named.
        ojson markers = ojson::array();
        auto mark = [&](const std::string& kind, const std::string& date, const std::string& source) {
            for (auto& m : markers)
                if (m["kind"] == kind && m["date"] == date) {
                    m["source"] = m["source"].get<std::string>() + ", " + source;
                    return;
                }
            markers.push_back({{"kind", kind}, {"date", date}, {"source", source}});
        };
        for (const auto& [name, runs] : pj["criteria"].items()) {
            std::string kind = marker_kind(name);
            if (kind.empty()) continue;
            for (const auto& r : runs)
                if (r["state"] == "met") {
                    mark(kind, r["from"].get<std::string>(), "criterion " + name);
                    break;
                }
        }
        for (std::size_t i = 0; i < p.results.size(); ++i) {
            std::string kind = marker_kind(p.results[i].name);
            if (!kind.empty() && ev.results[i].kind == ResultValue::Kind::Date)
                mark(kind, format_day(ev.results[i].day), "result " + p.results[i].name);
        }
        out["markers"] = markers;
        ExplainOptions json_opt;
        json_opt.format = "json";
        out["summary"] = ojson::parse(explain(p, t, ev, json_opt))["results"];
        out["tree"] = explain(p, t, ev, {});
        packs.push_back(std::move(out));
    }
    if (!t0) t0 = t.first_day();
    j["t0"] = t0 ? ojson(format_day(*t0)) : j["as_of"];
    ojson labs = ojson::object();
    for (const auto& ch : charts_) {
        auto [begin, end] = t.series(ch.concept_id);
        if (begin == end) continue;
        ojson points = ojson::array();
        static const char* cmp[] = {"", "<", "<=", ">", ">="};
        for (const Observation* o = begin; o != end; ++o) {
            const Origin& org = t.origins[o->origin];
            points.push_back({format_day(o->day), o->value / ch.factor,
                              fmt::format("{}{} {}", cmp[static_cast<int>(o->comparator)], o->original_value, o->original_unit),
                              fmt::format("{}:{}", org.file, org.line)});
        }
        labs[b.concepts[ch.concept_id].name] = {{"unit", ch.unit}, {"points", points}};
    }
    j["labs"] = labs;
    j["packs"] = packs;
    return j;
}

Report::Report(const std::vector<ReportPack>& packs, std::vector<std::string> data_paths, std::optional<Day> as_of,
               DataEncoding encoding)
    : packs_(packs), sections_(packs), data_paths_(std::move(data_paths)), as_of_(as_of), encoding_(encoding),
      counts_(packs.size()) {
    write_data("{\"mode\":\"" + std::string(packs_.size() == 2 ? "compare" : "cohort") + "\",\"packs\":" +
               dump(sections_.packs_json()) + ",\"patients\":[");
}

void Report::write_data(std::string_view text) {
    if (!gzip_ && (encoding_ == DataEncoding::Gzip || (encoding_ == DataEncoding::Auto && plain_.size() + text.size() > kPlainDataLimit))) {
        gzip_ = std::make_unique<GzipWriter>();
        gzip_->write(plain_);
        plain_ = std::string();
    }
    if (gzip_) gzip_->write(text);
    else plain_ += text;
}

void Report::add(const Timeline& t, const std::vector<const Evaluation*>& evs) {
    records_ += t.observations.size() + t.treatments.size();
    std::size_t index = ids_.size();
    write_data((index ? ",\n" : "") + dump(sections_.patient(t, evs)));
    ids_.push_back(t.patient_id);
    for (std::size_t k = 0; k < packs_.size(); ++k) {
        const Program& p = *packs_[k].program;
        for (std::size_t i = 0; i < p.results.size(); ++i) ++counts_[k][p.results[i].name][count_key(p, p.results[i], evs[k]->results[i])];
    }
    if (packs_.size() != 2) return;
    const Program& pa = *packs_[0].program;
    const Program& pb = *packs_[1].program;
    // Results are matched by name, and valued as `crit compare` values them.
    for (std::size_t i = 0; i < pa.results.size(); ++i) {
        const ResultValue& ra = evs[0]->results[i];
        auto rb = std::find_if(evs[1]->results.begin(), evs[1]->results.end(), [&](const ResultValue& r) { return r.name == ra.name; });
        if (rb == evs[1]->results.end()) continue;
        std::string va = result_text(ra, "-"), vb = result_text(*rb, "-");
        if (date_result(pa, pa.results[i])) {
            // A date matrix would have a row per day: A dated or not, and B's day against A's,
            // in `crit compare`'s words (same day / earlier in B / later in B).
            if (va != "-" && vb != "-") vb = va == vb ? "same day" : vb < va ? "earlier in B" : "later in B";
            else if (vb != "-") vb = "dated";
            if (va != "-") va = "dated";
        }
        matrix_[ra.name][{va, vb}].push_back(index);
    }
    (void)pb;
}

void Report::take(std::vector<Rejection>& batch) {
    for (const auto& r : batch) {
        auto& [n, skip] = rejected_by_reason_[reject_reason_name(r.reason)];
        ++n;
        skip = is_skip(r);
        if (is_skip(r)) ++skipped_;
        else ++rejected_;
    }
    batch.clear();
}

void Report::data_diagnostics(const Diagnostics& d) {
    data_error_count_ = d.error_count();
    for (const auto& item : d.items()) data_errors_.push_back(render(item));
}

std::string Report::summary_html() const {
    std::string h = "<section id=\"summary\"><h2>Cohort summary</h2>\n<table class=\"meta\">\n";
    for (std::size_t k = 0; k < packs_.size(); ++k) {
        const ReportPack& pk = packs_[k];
        const Program& p = *pk.program;
        std::string tag = packs_.size() == 2 ? (k == 0 ? "Pack A" : "Pack B") : "Rule pack";
        h += fmt::format("<tr><th>{}</th><td><b>{}</b>{} <span class=\"file\">{}</span><br>sha256 <code>{}</code>{}</td></tr>\n",
                         tag, html_escape(pk.label), p.version.empty() ? "" : " version " + html_escape(p.version),
                         html_escape(pk.file), p.sha256,
                         p.source.empty() ? "" : "<br><span class=\"cite\">" + html_escape(p.source) + "</span>");
    }
    std::string data;
    for (const auto& d : data_paths_) data += (data.empty() ? "" : ", ") + ("<code>" + html_escape(d) + "</code>");
    h += fmt::format("<tr><th>Data</th><td>{}</td></tr>\n", data);
    h += fmt::format("<tr><th>Evaluated as of</th><td>{}</td></tr>\n",
                     as_of_ ? "<b>" + format_day(*as_of_) + "</b> (--as-of), for every patient"
                            : std::string("each patient's last record (no --as-of)"));
    h += fmt::format("<tr><th>Patients</th><td id=\"patient-count\">{}</td></tr>\n", ids_.size());
    h += fmt::format("<tr><th>Records</th><td>{} used, {} rejected, {} skipped (no binding knows the code){}</td></tr>\n",
                     records_, rejected_, skipped_,
                     data_error_count_ ? fmt::format(", {} data file errors", data_error_count_) : std::string());
    h += "</table>\n";
    if (!rejected_by_reason_.empty()) {
        h += "<h3>Records not used, by reason</h3>\n<table class=\"counts\" id=\"rejections\"><tr><th>reason</th><th>records</th><th></th></tr>\n";
        for (const auto& [reason, tally] : rejected_by_reason_)
            h += fmt::format("<tr><td><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>\n", html_escape(reason),
                             tally.first, tally.second ? "skipped" : "rejected");
        h += "</table>\n";
    }
    if (!data_errors_.empty()) {
        h += "<h3>Data file errors</h3>\n<pre class=\"errors\">";
        for (const auto& e : data_errors_) h += html_escape(e) + "\n";
        h += "</pre>\n";
    }
    for (std::size_t k = 0; k < packs_.size(); ++k) {
        const Program& p = *packs_[k].program;
        h += fmt::format("<h3>Results{}</h3>\n<div class=\"result-counts\">\n",
                         packs_.size() == 2 ? " of " + html_escape(packs_[k].label) : "");
        for (const auto& r : p.results) {
            const auto found = counts_[k].find(r.name);
            h += fmt::format("<table class=\"counts\" data-pack=\"{}\" data-result=\"{}\"><tr><th colspan=\"2\">{}</th></tr>\n", k,
                             html_escape(r.name), html_escape(r.name));
            std::vector<std::string> order = value_order(p, r);
            if (found != counts_[k].end())
                for (const auto& [v, n] : found->second)
                    if (std::find(order.begin(), order.end(), v) == order.end()) order.push_back(v);
            for (const auto& v : order) {
                std::size_t n = 0;
                if (found != counts_[k].end()) {
                    auto c = found->second.find(v);
                    if (c != found->second.end()) n = c->second;
                }
                h += fmt::format("<tr class=\"{}\"><td>{}</td><td class=\"n\" data-value=\"{}\">{}</td></tr>\n",
                                 n ? "" : "zero", html_escape(v), html_escape(v), n);
            }
            h += "</table>\n";
        }
        h += "</div>\n";
    }
    return h + "</section>\n";
}

namespace {
// A matrix cell on the diagonal: the same value, or a date both packs put on the same day.
bool agree(const std::string& a, const std::string& b) { return a == b || (a == "dated" && b == "same day"); }
}  // namespace

std::string Report::comparison_html() const {
    if (packs_.size() != 2) return "";
    const std::string& a = packs_[0].label;
    const std::string& b = packs_[1].label;
    std::size_t differing = 0;
    {
        std::vector<bool> diff(ids_.size(), false);
        for (const auto& [result, cells] : matrix_)
            for (const auto& [pair, list] : cells)
                if (!agree(pair.first, pair.second))
                    for (auto i : list) diff[i] = true;
        differing = static_cast<std::size_t>(std::count(diff.begin(), diff.end(), true));
    }
    std::string h = fmt::format("<section id=\"comparison\"><h2>Reclassification: {} (rows) against {} (columns)</h2>\n"
                                "<p>{} of {} patients classified differently. A cell counts the patients with that pair "
                                "of values; off the diagonal (<span class=\"diff-swatch\"></span>) they differ. Click a "
                                "count for the list of patients.</p>\n",
                                html_escape(a), html_escape(b), differing, ids_.size());
    std::string lists;
    int cell_id = 0;
    for (const auto& entry : matrix_) {
        // Named, not a structured binding: lambdas below capture it (clang 14 refuses bindings).
        const std::string& result = entry.first;
        const auto& cells = entry.second;
        std::vector<std::string> rows, cols;
        for (const auto& [pair, list] : cells) {
            if (std::find(rows.begin(), rows.end(), pair.first) == rows.end()) rows.push_back(pair.first);
            if (std::find(cols.begin(), cols.end(), pair.second) == cols.end()) cols.push_back(pair.second);
        }
        // Rows and columns in the packs' own ranking where they have one.
        auto rank = [&](std::vector<std::string>& v, const Program& p) {
            auto info = std::find_if(p.results.begin(), p.results.end(), [&](const ResultInfo& r) { return r.name == result; });
            std::vector<std::string> order = info != p.results.end() ? value_order(p, *info) : std::vector<std::string>{};
            order.insert(order.end() - 1, {"same day", "earlier in B", "later in B"});
            auto pos = [&](const std::string& s) {
                auto it = std::find(order.begin(), order.end(), s == "-" ? "(none)" : s);
                return it - order.begin();
            };
            std::stable_sort(v.begin(), v.end(), [&](const std::string& x, const std::string& y) { return pos(x) < pos(y); });
        };
        rank(rows, *packs_[0].program);
        rank(cols, *packs_[1].program);
        h += fmt::format("<table class=\"matrix\" data-result=\"{}\"><caption>{}</caption>\n<tr><th class=\"corner\">{} &darr; / {} &rarr;</th>",
                         html_escape(result), html_escape(result), html_escape(a), html_escape(b));
        for (const auto& c : cols) h += "<th>" + html_escape(c) + "</th>";
        h += "<th>total</th></tr>\n";
        for (const auto& r : rows) {
            h += "<tr><th>" + html_escape(r) + "</th>";
            std::size_t total = 0;
            for (const auto& c : cols) {
                auto it = cells.find({r, c});
                if (it == cells.end()) {
                    h += "<td class=\"empty\"></td>";
                    continue;
                }
                std::string id = fmt::format("cell-{}", cell_id++);
                total += it->second.size();
                h += fmt::format("<td class=\"{}\" data-a=\"{}\" data-b=\"{}\" data-n=\"{}\"><a href=\"#{}\">{}</a></td>",
                                 agree(r, c) ? "same" : "diff", html_escape(r), html_escape(c), it->second.size(), id, it->second.size());
                lists += fmt::format("<div class=\"cell-list\" id=\"{}\"><h4>{}: {} = {}, {} = {} ({} patients)</h4><p>", id,
                                     html_escape(result), html_escape(a), html_escape(r), html_escape(b), html_escape(c),
                                     it->second.size());
                for (std::size_t n = 0; n < it->second.size(); ++n) {
                    const std::string& pid = ids_[it->second[n]];
                    lists += fmt::format("{}<a class=\"plink\" data-patient=\"{}\" href=\"#patient={}\">{}</a>", n ? ", " : "",
                                         html_escape(pid), html_escape(pid), html_escape(pid));
                }
                lists += "</p></div>\n";
            }
            h += fmt::format("<td class=\"n\">{}</td></tr>\n", total);
        }
        h += "</table>\n";
    }
    h += "<details class=\"cell-lists\" id=\"cell-lists\"><summary>Patients of each cell</summary>\n" + lists + "</details>\n";
    h += "<h3>Patients classified differently, and the clauses that made the difference</h3>\n"
         "<p class=\"hint\">For each result that differs: the conditions that failed in each pack (from <code>crit explain "
         "--failing</code>). <mark>Highlighted</mark>: a threshold that the other pack sets at another number.</p>\n"
         "<div id=\"differences\"></div>\n";
    return h + "</section>\n";
}

std::string Report::html() {
    write_data("]}");
    std::string data = gzip_ ? "<script type=\"application/octet-stream\" id=\"crit-data\" data-encoding=\"gzip+base64\">" +
                                   base64(gzip_->finish()) + "</script>"
                             : "<script type=\"application/json\" id=\"crit-data\">" + script_json(plain_) + "</script>";
    gzip_.reset();
    plain_ = std::string();
    std::string title = packs_.size() == 2 ? fmt::format("crit report: {} vs {}", packs_[0].label, packs_[1].label)
                                           : fmt::format("crit report: {}", packs_[0].label);
    std::string body = "<header><h1>" + html_escape(title) + "</h1></header>\n" + summary_html() + comparison_html() +
                       "<section id=\"swimmer\"><h2>Swimmer plot</h2><noscript>The swimmer plot and the patient sections "
                       "are drawn by the page's script.</noscript></section>\n"
                       "<section id=\"patients\"><h2>Patients</h2></section>\n";
    return page(title, body, data);
}

std::string patient_page(const Program& p, const std::string& rules_file, const Timeline& t, const Evaluation& ev) {
    std::vector<ReportPack> packs;
    packs.emplace_back(p, rules_file);
    PatientSections sections(packs);
    std::string data = "<script type=\"application/json\" id=\"crit-data\">" +
                       script_json("{\"mode\":\"patient\",\"packs\":" + dump(sections.packs_json()) + ",\"patients\":[" +
                                   dump(sections.patient(t, {&ev})) + "]}") +
                       "</script>";
    std::string title = fmt::format("crit explain: patient {} ({})", t.patient_id, p.name);
    std::string body = "<header><h1>" + html_escape(title) + "</h1></header>\n<section id=\"patients\"></section>\n";
    return page(title, body, data);
}

}  // namespace crit
