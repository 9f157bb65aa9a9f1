// `crit compare`: two rule packs (iwCLL 2008 and 2018) over the same patients. A summary
// first (per result, the reclassification matrix or, for dates, same / earlier / later),
// then the differences grouped by transition (`CR -> PR: 212 patients`), each listing at
// most --limit patients. Patients stream: memory holds the counts and the listed ids, not
// the cohort.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "out/explain.hpp"
#include "out/results.hpp"
#include "core/atomic_file.hpp"
#include "core/text.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace crit {

namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

// One patient in a transition: the two values as written (dates as YYYY-MM-DD), and, with
// --explain, both packs' explanations of the result.
struct Listed {
    std::string patient, a, b, explain_a, explain_b;
};

struct Transition {
    std::size_t n = 0;
    std::vector<Listed> listed;
};

// How a date result of B stands against A's.
std::string date_change(const ResultValue& a, const ResultValue& b) {
    bool ha = a.kind == ResultValue::Kind::Date, hb = b.kind == ResultValue::Kind::Date;
    if (!ha && !hb) return "neither";
    if (!hb) return "only in A";
    if (!ha) return "only in B";
    if (a.day == b.day) return "same";
    return b.day < a.day ? "earlier in B" : "later in B";
}

struct ResultCompare {
    std::string name;
    int ia = -1, ib = -1;  // index in each program's results (-1: the pack has no such result)
    bool dates = false;    // a date result of either pack: compared as same / earlier / later
    std::vector<std::string> order;  // the values in the packs' order (matrix rows and columns)
    // Categories and truths: (A's value, B's value) -> patients. Dates: (change, "") -> patients.
    // A result in one pack only: (its value, "") -> patients.
    std::map<std::pair<std::string, std::string>, Transition> cells;

    bool differs(const std::pair<std::string, std::string>& k) const {
        if (ia < 0 || ib < 0) return false;
        if (dates) return k.first != "same" && k.first != "neither";
        return k.first != k.second;
    }
};

struct Pack {
    const Program* p;
    std::string label, file;
};

// Two packs with the same name are told apart by their files.
void name_packs(Pack& a, Pack& b) {
    a.label = a.p->name;
    b.label = b.p->name;
    if (a.label != b.label) return;
    std::string fa = fs::path(a.file).filename().string(), fb = fs::path(b.file).filename().string();
    if (fa == fb) fa = a.file, fb = b.file;
    a.label += " (" + fa + ")";
    b.label += " (" + fb + ")";
}

std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = text.find('\n', i);
        if (j == std::string::npos) j = text.size();
        out += by + text.substr(i, j - i) + "\n";
        i = j + 1;
    }
    return out;
}

bool same_file_or_bytes(const std::string& a, const std::string& b) {
    std::error_code ec;
    if (fs::equivalent(a, b, ec)) return true;
    std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
    return fa && fb && std::equal(std::istreambuf_iterator<char>(fa), {}, std::istreambuf_iterator<char>(fb), {});
}

bool is_date(const Program& p, const ResultInfo& r) {
    return r.kind == ResultKind::Value && r.value_item >= 0 && p.items[r.value_item].type == Type::Date;
}

// A result's values as the pack lists them (choices, then else), then true, false and absent.
void add_order(ResultCompare& r, const ResultInfo& info) {
    auto add = [&](const std::string& v) {
        if (std::find(r.order.begin(), r.order.end(), v) == r.order.end()) r.order.push_back(v);
    };
    for (const auto& c : info.choices) add(c.label);
    if (info.else_label) add(*info.else_label);
}

class Comparison {
public:
    Comparison(const Pack& a, const Pack& b, const CompareOptions& o) : a_(a), b_(b), o_(o) {
        for (std::size_t i = 0; i < a.p->results.size(); ++i) {
            ResultCompare r;
            r.name = a.p->results[i].name;
            r.ia = static_cast<int>(i);
            r.dates = is_date(*a.p, a.p->results[i]);
            add_order(r, a.p->results[i]);
            results_.push_back(std::move(r));
        }
        for (std::size_t j = 0; j < b.p->results.size(); ++j) {
            auto it = std::find_if(results_.begin(), results_.end(), [&](const ResultCompare& r) { return r.name == b.p->results[j].name; });
            if (it != results_.end()) {
                it->ib = static_cast<int>(j);
                it->dates = it->dates || is_date(*b.p, b.p->results[j]);
                add_order(*it, b.p->results[j]);
            } else {
                ResultCompare r;
                r.name = b.p->results[j].name;
                r.ib = static_cast<int>(j);
                r.dates = is_date(*b.p, b.p->results[j]);
                add_order(r, b.p->results[j]);
                results_.push_back(std::move(r));
            }
        }
    }

    void add(const Timeline& t, const Evaluation& ea, const Evaluation& eb) {
        ++patients_;
        bool differing = false;
        for (auto& r : results_) {
            const ResultValue* va = r.ia >= 0 ? &ea.results[r.ia] : nullptr;
            const ResultValue* vb = r.ib >= 0 ? &eb.results[r.ib] : nullptr;
            std::pair<std::string, std::string> key;
            if (va && vb && r.dates)
                key = {date_change(*va, *vb), ""};
            else
                key = {va ? result_text(*va, "-") : result_text(*vb, "-"), va && vb ? result_text(*vb, "-") : ""};
            Transition& cell = r.cells[key];
            ++cell.n;
            if (!r.differs(key)) continue;
            differing = true;
            if (o_.limit != 0 && cell.listed.size() >= o_.limit) continue;
            Listed l{t.patient_id, result_text(*va, "-"), result_text(*vb, "-"), "", ""};
            if (o_.explain) {
                l.explain_a = explain_summary(*a_.p, t, ea, r.name);
                l.explain_b = explain_summary(*b_.p, t, eb, r.name);
            }
            cell.listed.push_back(std::move(l));
        }
        differing_ += differing;
    }

    void write_text(std::ostream& out, const std::string& as_of) const {
        out << fmt::format("A = {} ({}), B = {} ({})\n", a_.p->name, a_.file, b_.p->name, b_.file);
        out << fmt::format("{} patients, as of {}; {} classified differently\n", patients_,
                           as_of.empty() ? "each patient's last record" : as_of, differing_);
        for (const auto& r : results_) {
            out << "\n";
            if (r.ia < 0 || r.ib < 0) {
                std::string values;
                for (const auto& [k, c] : r.cells) values += fmt::format("{}{} {}", values.empty() ? "" : ", ", k.first, c.n);
                out << fmt::format("{}: only in {} ({}): {}\n", r.name, r.ia >= 0 ? "A" : "B", r.ia >= 0 ? a_.label : b_.label, values);
            } else if (r.dates) {
                out << fmt::format("{} (dates of B against A):", r.name);
                for (const char* k : {"same", "earlier in B", "later in B", "only in A", "only in B", "neither"}) {
                    auto it = r.cells.find({k, ""});
                    out << fmt::format(" {} {}{}", k, it == r.cells.end() ? 0 : it->second.n, std::string_view(k) == "neither" ? "" : ",");
                }
                out << "\n";
            } else {
                matrix_text(out, r);
            }
        }
        bool any = false;
        for (const auto& r : results_)
            for (const auto& [k, c] : ordered(r)) {
                if (!any) {
                    out << fmt::format("\ndifferences, by transition{}\n",
                                       o_.limit ? fmt::format(" (at most {} patient{} each; --limit)", o_.limit, o_.limit == 1 ? "" : "s") : "");
                    any = true;
                }
                std::string what = r.dates ? fmt::format("{} {}", r.name, k->first)
                                           : fmt::format("{} {} -> {}", r.name, k->first, k->second);
                out << fmt::format("  {}: {} patient{}\n", what, c->n, c->n == 1 ? "" : "s");
                for (const auto& l : c->listed) {
                    out << "    " << printable(l.patient);
                    if (r.dates) out << fmt::format(" ({} -> {})", l.a, l.b);
                    out << "\n";
                    if (o_.explain) {
                        out << fmt::format("      A, {}:\n", a_.label) << indent(l.explain_a, "    ");
                        out << fmt::format("      B, {}:\n", b_.label) << indent(l.explain_b, "    ");
                    }
                }
                if (c->listed.size() < c->n) out << fmt::format("    ... and {} more\n", c->n - c->listed.size());
            }
        if (!any) out << "\nno differences\n";
    }

    void write_json(std::ostream& out, const std::string& as_of) const {
        auto pack = [](const Pack& p) {
            return ojson{{"name", p.p->name}, {"label", p.label}, {"version", p.p->version}, {"sha256", p.p->sha256}, {"file", p.file}};
        };
        ojson j{{"a", pack(a_)}, {"b", pack(b_)}, {"as_of", as_of.empty() ? ojson(nullptr) : ojson(as_of)},
                {"patients", patients_}, {"differing", differing_}, {"limit", o_.limit}};
        ojson results = ojson::array();
        for (const auto& r : results_) {
            ojson jr{{"name", r.name}, {"in", r.ia < 0 ? "B" : r.ib < 0 ? "A" : "both"}, {"kind", r.dates ? "date" : "value"}};
            ojson cells = ojson::array();
            for (const auto& [k, c] : r.cells) {
                if (r.ia < 0 || r.ib < 0) cells.push_back({{"value", k.first}, {"n", c.n}});
                else if (r.dates) cells.push_back({{"change", k.first}, {"n", c.n}});
                else cells.push_back({{"a", k.first}, {"b", k.second}, {"n", c.n}});
            }
            jr[r.ia >= 0 && r.ib >= 0 ? "matrix" : "values"] = cells;
            ojson trans = ojson::array();
            for (const auto& [k, c] : ordered(r)) {
                ojson jt = r.dates ? ojson{{"change", k->first}} : ojson{{"a", k->first}, {"b", k->second}};
                jt["n"] = c->n;
                ojson listed = ojson::array();
                for (const auto& l : c->listed) listed.push_back({{"patient", l.patient}, {"a", l.a}, {"b", l.b}});
                jt["patients"] = listed;
                trans.push_back(jt);
            }
            jr["transitions"] = trans;
            results.push_back(jr);
        }
        j["results"] = results;
        out << j.dump(2, ' ', false, ojson::error_handler_t::replace) << "\n";
    }

private:
    using Cell = std::pair<const std::pair<std::string, std::string>*, const Transition*>;
    // The differing cells of a result, the largest first.
    std::vector<Cell> ordered(const ResultCompare& r) const {
        std::vector<Cell> v;
        for (const auto& [k, c] : r.cells)
            if (r.differs(k)) v.push_back({&k, &c});
        std::stable_sort(v.begin(), v.end(), [](const Cell& x, const Cell& y) { return x.second->n > y.second->n; });
        return v;
    }

    void matrix_text(std::ostream& out, const ResultCompare& r) const {
        std::vector<std::string> rows, cols;
        auto rank = [&](const std::string& v) {
            auto it = std::find(r.order.begin(), r.order.end(), v);
            if (it != r.order.end()) return it - r.order.begin();
            return static_cast<std::ptrdiff_t>(r.order.size()) + (v == "true" ? 0 : v == "false" ? 1 : v == "-" ? 3 : 2);
        };
        for (const auto& [k, c] : r.cells) {
            if (std::find(rows.begin(), rows.end(), k.first) == rows.end()) rows.push_back(k.first);
            if (std::find(cols.begin(), cols.end(), k.second) == cols.end()) cols.push_back(k.second);
        }
        auto by_rank = [&](const std::string& x, const std::string& y) { return rank(x) < rank(y); };
        std::stable_sort(rows.begin(), rows.end(), by_rank);
        std::stable_sort(cols.begin(), cols.end(), by_rank);
        std::size_t w0 = 4, w = 4;
        for (const auto& s : rows) w0 = std::max(w0, s.size());
        for (const auto& s : cols) w = std::max(w, s.size() + 1);
        out << fmt::format("{} (rows: A, columns: B; * differs)\n", r.name);
        out << fmt::format("  {:<{}}", "", w0);
        for (const auto& c : cols) out << fmt::format(" {:>{}}", c, w);
        out << "\n";
        for (const auto& rw : rows) {
            out << fmt::format("  {:<{}}", rw, w0);
            for (const auto& c : cols) {
                auto it = r.cells.find({rw, c});
                std::string cell = it == r.cells.end() ? "." : fmt::format("{}{}", it->second.n, rw == c ? "" : "*");
                out << fmt::format(" {:>{}}", cell, w);
            }
            out << "\n";
        }
    }

    const Pack& a_;
    const Pack& b_;
    const CompareOptions& o_;
    std::vector<ResultCompare> results_;
    std::size_t patients_ = 0, differing_ = 0;
};

// CSV: one row per patient and differing result, every one (no limit): the table to join on.
class CsvDifferences {
public:
    explicit CsvDifferences(std::ostream& out) : out_(out) { out_ << "patient,result,a,b,change\n"; }
    void add(const Timeline& t, const Program& pa, const Evaluation& ea, const Program& pb, const Evaluation& eb) {
        (void)pa;
        for (std::size_t i = 0; i < ea.results.size(); ++i) {
            const ResultValue& va = ea.results[i];
            auto vb = std::find_if(eb.results.begin(), eb.results.end(), [&](const ResultValue& r) { return r.name == va.name; });
            if (vb == eb.results.end()) continue;
            std::string a = result_text(va), b = result_text(*vb);
            if (a == b) continue;
            bool dates = va.kind == ResultValue::Kind::Date || vb->kind == ResultValue::Kind::Date;
            out_ << cell(t.patient_id) << ',' << cell(va.name) << ',' << cell(a) << ',' << cell(b) << ','
                 << (dates ? date_change(va, *vb) : "reclassified") << '\n';
        }
        (void)pb;
    }

private:
    static std::string cell(const std::string& raw) { return csv_cell(raw); }
    std::ostream& out_;
};

}  // namespace

int cmd_compare(const CompareOptions& o, const CompileOptions& copt) {
    auto as_of = parse_as_of(o.as_of);
    Diagnostics d;
    auto ca = compile_file(o.packs[0], d, copt);
    auto cb = compile_file(o.packs[1], d, copt);
    if (print_diags(d) || !ca.program || !cb.program) return 1;
    // One stream of patients is read with one terminology: both packs must share it.
    if (!same_file_or_bytes(ca.bindings_path, cb.bindings_path)) {
        std::cerr << fmt::format("crit compare: {} reads the bindings {} and {} reads {}; compare reads the data once, "
                                 "with one terminology: give --bindings FILE for both\n",
                                 o.packs[0], ca.bindings_path, o.packs[1], cb.bindings_path);
        return 2;
    }
    Pack a{ca.program.get(), "", o.packs[0]}, b{cb.program.get(), "", o.packs[1]};
    name_packs(a, b);
    Comparison cmp(a, b, o);
    std::optional<CsvDifferences> csv;
    if (o.format == "csv") csv.emplace(std::cout);
    EvalContext xa, xb;
    xa.trace = xb.trace = o.explain;
    std::vector<Rejection> rejections;
    Diagnostics data_diags;
    std::size_t rejected = 0, other = 0;
    // Counted as they come, so a cohort's rejections are never all held at once.
    auto drain = [&] {
        for (const auto& r : rejections) rejected += !is_skip(r), other += r.reason == RejectReason::OtherDisease;
        rejections.clear();
    };
    for_each_patient(o.data, *ca.bindings, [&](Timeline&& t) {
        for (const Program* p : {a.p, b.p})
            if (auto r = other_disease(*p, t)) {
                rejections.push_back(std::move(*r));
                return;
            }
        const Evaluation& ea = evaluate(*a.p, t, as_of, xa);
        const Evaluation& eb = evaluate(*b.p, t, as_of, xb);
        if (csv) csv->add(t, *a.p, ea, *b.p, eb);
        else cmp.add(t, ea, eb);
        drain();
    }, rejections, data_diags);
    drain();
    print_diags(data_diags);
    if (o.format == "json") cmp.write_json(std::cout, o.as_of);
    else if (o.format == "text") cmp.write_text(std::cout, o.as_of);
    if (other) std::cerr << fmt::format("crit compare: {} patients of another disease than the packs' not compared\n", other);
    if (rejected) std::cerr << fmt::format("crit compare: {} records rejected (crit run --rejects FILE lists them)\n", rejected);
    if (!flushed(std::cout)) {
        std::cerr << "crit: cannot write the comparison to standard output\n";
        return 2;
    }
    return data_diags.has_errors() ? 2 : 0;
}

}  // namespace crit
