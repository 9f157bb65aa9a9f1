#include "out/explain.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lang/ast_print.hpp"
#include "vm/temporal.hpp"

namespace crit {

namespace {

class Explainer {
public:
    Explainer(const Program& p, const Timeline& t, const Evaluation& ev) : p_(p), t_(t), ev_(ev) {
        by_node_.assign(p.module->nodes.size(), nullptr);
        for (const auto& [pc, v] : ev.trace) by_node_[p.nodes[pc]] = &v;
        note_.assign(p.module->nodes.size(), nullptr);
        for (const auto& n : ev.evidence) note_[p.nodes[n.pc]] = &n;
    }

    std::string summary_of(const std::string& name) {
        for (std::size_t i = 0; i < p_.results.size(); ++i)
            if (p_.results[i].name == name) summary(i);
        return out_;
    }

    std::string one(const std::string& name) {
        for (std::size_t i = 0; i < p_.results.size(); ++i)
            if (p_.results[i].name == name) result(i);
        return out_;
    }

    // The header, a summary of every result (what decided it; for a category, why each
    // better-ranked one failed), then, unless `summary_only`, each result's full tree.
    std::string run(const ExplainOptions& opt) {
        out_ += fmt::format("patient {} as of {}\nrules: {}{} ({}), sha256 {}\n", ev_.patient_id, format_day(ev_.domain.hi),
                            p_.name, p_.version.empty() ? "" : " version " + p_.version, p_.module->source->name(),
                            p_.sha256.substr(0, 16));
        if (!p_.source.empty()) out_ += fmt::format("source: {}\n", p_.source);
        if (ev_.baseline_day) out_ += fmt::format("baseline date: {}\n", format_day(*ev_.baseline_day));
        auto wanted = [&](std::size_t i) { return opt.result.empty() || p_.results[i].name == opt.result; };
        out_ += "\nsummary:\n";
        for (std::size_t i = 0; i < p_.results.size(); ++i)
            if (wanted(i)) summary(i);
        if (opt.failing) return out_;
        for (std::size_t i = 0; i < p_.results.size(); ++i)
            if (wanted(i)) result(i);
        return out_;
    }

private:
    std::string line_of(const Span& s) const { return fmt::format("{}:{}", s.file ? s.file->name() : "?", s.line()); }

    Truth truth_at(const Expr& e, Day d) const {
        const Value* v = by_node_[e.id];
        if (!v || v->kind != Type::Truth) return Truth::Unknown;
        return sample(v->t, ev_.domain, d);
    }

    static const char* mark(Truth t) {
        switch (t) {
            case Truth::Met: return "met    ";
            case Truth::NotMet: return "not met";
            case Truth::Unknown: return "unknown";
        }
        return "?";
    }

    // ---- the summary: the conditions that decided ------------------------------------

    // At most this many failing conditions are listed per criterion in the text summary.
    static constexpr std::size_t kSummaryConditions = 6;

    // One condition that kept a criterion from holding, and the record behind it.
    struct Condition {
        std::string text;  // the clause as written
        int line = 0;
        Truth truth = Truth::NotMet;
        std::string evidence;              // the data point in words ("" when none)
        std::optional<std::uint32_t> obs;  // index into Timeline::observations, when a record decided it
        std::optional<std::uint32_t> ref;  // a change: the baseline or nadir record it was compared with
    };
    struct Failed {
        std::string label;  // the category (or "unknown" / "false" for a value result)
        Truth truth = Truth::NotMet;
        Day on = 0;
        std::vector<Condition> conditions;
    };
    struct Summary {
        std::size_t result = 0;
        Day day = 0;
        std::vector<Condition> held;  // the conditions that made the winner (or a true value) hold
        std::vector<Failed> failed;
    };

    Summary summarize(std::size_t i) {
        const ResultInfo& r = p_.results[i];
        const ResultValue& v = ev_.results[i];
        Summary sum{i, v.decided_on ? v.decided_on : ev_.domain.hi, {}, {}};
        if (r.kind == ResultKind::Value) {
            const Item& it = p_.items[r.value_item];
            if (it.type == Type::Truth && v.kind == ResultValue::Kind::Boolean && v.truth)
                holding(p_.node(it.node), sum.day, sum.held, 0);
            if (it.type == Type::Truth && !(v.kind == ResultValue::Kind::Boolean && v.truth)) {
                Failed f{v.kind == ResultValue::Kind::Absent ? "unknown" : "false",
                         v.kind == ResultValue::Kind::Absent ? Truth::Unknown : Truth::NotMet, ev_.domain.hi, {}};
                failing(p_.node(it.node), ev_.domain.hi, f.conditions, 0);
                sum.failed.push_back(std::move(f));
            }
            return sum;
        }
        if (v.choice >= 0) {
            const auto& ch = r.choices[v.choice];
            holding(ch.criterion >= 0 ? *p_.module->criteria[ch.criterion].body : p_.node(p_.items[ch.item].node), sum.day,
                    sum.held, 0);
        }
        // Each choice ranked before the winner: why it did not hold on the decision day.
        std::size_t last = v.choice >= 0 ? static_cast<std::size_t>(v.choice) : r.choices.size();
        for (std::size_t c = 0; c < last && c < r.choices.size(); ++c) {
            const auto& ch = r.choices[c];
            const Expr& body = ch.criterion >= 0 ? *p_.module->criteria[ch.criterion].body : p_.node(p_.items[ch.item].node);
            Truth tr = ch.criterion >= 0 ? sample(ev_.slots[p_.criterion_item[ch.criterion]].t, ev_.domain, sum.day)
                                         : sample(ev_.slots[ch.item].t, ev_.domain, sum.day);
            Failed f{ch.label, tr, sum.day, {}};
            failing(body, sum.day, f.conditions, 0);
            sum.failed.push_back(std::move(f));
        }
        return sum;
    }

    void summary(std::size_t i) { summary(i, summarize(i)); }

    void summary(std::size_t i, const Summary& sum) {
        const ResultInfo& r = p_.results[i];
        const ResultValue& v = ev_.results[i];
        const ResultDef& def = p_.module->results[r.def_index];
        std::string head = fmt::format("  {} = {}", r.name, result_text(v, "(none)"));
        if (r.kind == ResultKind::Value)
            out_ += fmt::format("{}    [{}]\n", head, line_of(def.span));
        else if (v.choice >= 0)
            out_ += fmt::format("{}: `{}` held from {}    [{}]\n", head, r.choices[v.choice].label, format_day(sum.day),
                                line_of(def.span));
        else
            out_ += fmt::format("{}: no choice held on {}{}    [{}]\n", head, format_day(ev_.domain.hi),
                                v.kind == ResultValue::Kind::Label ? ", so the else label" : "", line_of(def.span));
        if (!sum.held.empty()) out_ += fmt::format("    because: {}\n", condition_list(sum.held));
        for (const auto& f : sum.failed) {
            std::string list = condition_list(f.conditions);
            std::string what = r.kind == ResultKind::Value
                                   ? "    " + f.label
                                   : fmt::format("    {} {} on {}", f.label,
                                                 f.truth == Truth::Unknown ? "unknown" : "not met", format_day(f.on));
            out_ += fmt::format("{}: {}\n", what, list.empty() ? "(no single condition: see the tree)" : list);
        }
    }

    // "a [line 3] (evidence); b [line 4]; and 2 more": at most kSummaryConditions.
    static std::string condition_list(const std::vector<Condition>& cs) {
        std::string list;
        for (std::size_t k = 0; k < cs.size() && k < kSummaryConditions; ++k) {
            const Condition& c = cs[k];
            list += fmt::format("{}{}{} [line {}]{}", k ? "; " : "", c.truth == Truth::Unknown ? "unknown: " : "", c.text,
                                c.line, c.evidence.empty() ? "" : " (" + c.evidence + ")");
        }
        if (cs.size() > kSummaryConditions) list += fmt::format("; and {} more", cs.size() - kSummaryConditions);
        return list;
    }

    // The conditions, as leaves with their evidence, that made `e` met on day d: every part
    // of an `and` or `all of`, the parts of an `or` or `any of` that held.
    void holding(const Expr& e, Day d, std::vector<Condition>& out, int depth) {
        if (depth > 24 || e.r.type != Type::Truth || truth_at(e, d) != Truth::Met) return;
        switch (e.kind) {
            case ExprKind::And:
            case ExprKind::Or:
            case ExprKind::Group:
                for (const auto& k : e.kids)
                    if (k) holding(*k, d, out, depth + 1);
                return;
            case ExprKind::Name:
                if (e.r.ref == Expr::Resolved::Ref::Criterion) {
                    holding(*p_.module->criteria[e.r.index].body, d, out, depth + 1);
                    return;
                }
                break;
            case ExprKind::Unless:
                holding(*e.kids[0], d, out, depth + 1);
                return;
            case ExprKind::Ever: {
                // `ever X` holds from the first day X held: the reasons are X's on that day.
                const Value* v = by_node_[e.kids[0]->id];
                DateVal first = v && v->kind == Type::Truth ? first_met(v->t, ev_.domain) : DateVal::unknown();
                if (first.state == DateVal::State::Known && first.day <= d) {
                    holding(*e.kids[0], first.day, out, depth + 1);
                    return;
                }
                break;
            }
            case ExprKind::Temporal:
                if (e.temporal != TemporalKind::For && e.temporal != TemporalKind::Within) {
                    const Evidence* n = note_[e.id];
                    holding(*e.kids[0], n && n->read_on ? *n->read_on : d, out, depth + 1);
                    return;
                }
                break;
            default: break;
        }
        out.push_back(leaf(e, d, Truth::Met));
    }

    // The conditions, as leaves with their evidence, that made `e` not met (or unknown) on day d.
    void failing(const Expr& e, Day d, std::vector<Condition>& out, int depth) {
        if (depth > 24 || e.r.type != Type::Truth) return;
        Truth tr = truth_at(e, d);
        if (tr == Truth::Met) return;
        switch (e.kind) {
            case ExprKind::And:
            case ExprKind::Or:
            case ExprKind::Group:
                for (const auto& k : e.kids)
                    if (k) failing(*k, d, out, depth + 1);
                return;
            case ExprKind::Name:
                if (e.r.ref == Expr::Resolved::Ref::Criterion) {
                    failing(*p_.module->criteria[e.r.index].body, d, out, depth + 1);
                    return;
                }
                break;
            case ExprKind::Unless:
                if (truth_at(*e.kids[0], d) != Truth::Met) failing(*e.kids[0], d, out, depth + 1);
                else out.push_back(Condition{expr_source(e), e.span.line(), tr, "", std::nullopt, std::nullopt});
                return;
            case ExprKind::Temporal:
                if (e.temporal != TemporalKind::For && e.temporal != TemporalKind::Within) {
                    const Evidence* n = note_[e.id];
                    Day on = n && n->read_on ? *n->read_on : d;
                    if (n && !n->read_on && n->from <= n->to && (d < n->from || d > n->to)) {
                        out.push_back(Condition{expr_source(e), e.span.line(), tr,
                                                fmt::format("{} is outside the window, {} to {}", format_day(d),
                                                            format_day(n->from), format_day(n->to)),
                                                std::nullopt, std::nullopt});
                        return;
                    }
                    failing(*e.kids[0], on, out, depth + 1);
                    return;
                }
                break;
            default: break;
        }
        out.push_back(leaf(e, d, tr));
    }

    // A condition and the data point behind it.
    Condition leaf(const Expr& e, Day d, Truth tr) const {
        Condition c{expr_source(e), e.span.line(), tr, "", std::nullopt, std::nullopt};
        const Expr* subject = e.kind == ExprKind::Not && !e.kids.empty() ? e.kids[0].get() : &e;
        auto record_of_quantity = [&](const Expr& q) -> std::optional<std::uint32_t> {
            const Value* v = by_node_[q.id];
            const QSeg* s = v && v->kind == Type::Quantity ? sample(v->q, ev_.domain, d) : nullptr;
            if (s && s->known && s->obs != kAssumedAbsent) return s->obs;
            return std::nullopt;
        };
        auto record_of_note = [&](const Expr& at) -> std::optional<std::uint32_t> {
            const Evidence* n = note_[at.id];
            const QSeg* s = n ? sample(n->records, ev_.domain, d) : nullptr;
            if (s && s->known && s->obs != kAssumedAbsent) return s->obs;
            return std::nullopt;
        };
        switch (subject->kind) {
            case ExprKind::Compare:
                if (subject->kids[0] && subject->kids[0]->r.type == Type::Quantity) {
                    c.evidence = evidence(*subject->kids[0], d);
                    c.obs = record_of_quantity(*subject->kids[0]);
                }
                break;
            case ExprKind::Change:
                if (subject->kids[0] && subject->kids[0]->r.type == Type::Quantity) {
                    c.evidence = evidence(*subject->kids[0], d) + reference(*subject, d);
                    c.obs = record_of_quantity(*subject->kids[0]);
                    const Evidence* n = note_[subject->id];
                    const QSeg* ref = n ? sample(n->reference, ev_.domain, d) : nullptr;
                    if (ref && ref->known && ref->obs != kAssumedAbsent) c.ref = ref->obs;
                }
                break;
            case ExprKind::IsValue:
                c.evidence = record_text(*subject, subject->kids[0] ? subject->kids[0]->r.subject_concept : -1, d);
                c.obs = record_of_note(*subject);
                break;
            case ExprKind::Name:
                if (subject->r.ref == Expr::Resolved::Ref::Concept) {
                    c.evidence = record_text(*subject, subject->r.subject_concept, d);
                    c.obs = record_of_note(*subject);
                }
                break;
            default: break;
        }
        return c;
    }

public:
    // Each result's summary text and the records behind the conditions it cites.
    std::vector<ResultGrounds> grounds() {
        std::vector<ResultGrounds> all(p_.results.size());
        for (std::size_t i = 0; i < p_.results.size(); ++i) {
            Summary sum = summarize(i);
            out_.clear();
            summary(i, sum);
            all[i].summary = std::move(out_);
            std::vector<std::uint32_t>& recs = all[i].records;
            auto cite = [&recs](const std::optional<std::uint32_t>& o) {
                if (o && std::find(recs.begin(), recs.end(), *o) == recs.end()) recs.push_back(*o);
            };
            auto cite_all = [&cite](const std::vector<Condition>& cs) {
                for (const Condition& c : cs) {
                    cite(c.obs);
                    cite(c.ref);
                }
            };
            cite_all(sum.held);
            for (const Failed& f : sum.failed) cite_all(f.conditions);
        }
        out_.clear();
        return all;
    }

    // The summary as JSON: per result its value, rule line and, for each better-ranked
    // category (or a false / unknown value), the conditions that failed with their records.
    nlohmann::ordered_json summary_json(const ExplainOptions& opt) {
        nlohmann::ordered_json j;
        j["patient"] = ev_.patient_id;
        j["as_of"] = format_day(ev_.domain.hi);
        j["ruleset"] = {{"name", p_.name}, {"version", p_.version}, {"sha256", p_.sha256}, {"source", p_.source}};
        j["baseline"] = ev_.baseline_day ? nlohmann::ordered_json(format_day(*ev_.baseline_day)) : nlohmann::ordered_json();
        nlohmann::ordered_json results = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < p_.results.size(); ++i) {
            const ResultInfo& r = p_.results[i];
            if (!opt.result.empty() && r.name != opt.result) continue;
            const ResultValue& v = ev_.results[i];
            const ResultDef& def = p_.module->results[r.def_index];
            Summary sum = summarize(i);
            nlohmann::ordered_json jr;
            jr["name"] = r.name;
            jr["value"] = v.kind == ResultValue::Kind::Absent ? nlohmann::ordered_json() : nlohmann::ordered_json(result_text(v));
            jr["rule"] = {{"file", def.span.file ? def.span.file->name() : ""}, {"line", def.span.line()}};
            if (v.choice >= 0) {
                jr["decided_by"] = r.choices[v.choice].label;
                jr["held_from"] = format_day(sum.day);
            }
            jr["held"] = conditions_json(sum.held);
            nlohmann::ordered_json failed = nlohmann::ordered_json::array();
            for (const auto& f : sum.failed) {
                nlohmann::ordered_json jf{{"label", f.label}, {"truth", truth_name(f.truth)}, {"on", format_day(f.on)}};
                jf["conditions"] = conditions_json(f.conditions);
                failed.push_back(std::move(jf));
            }
            jr["failed"] = std::move(failed);
            results.push_back(std::move(jr));
        }
        j["results"] = std::move(results);
        return j;
    }

private:
    nlohmann::ordered_json conditions_json(const std::vector<Condition>& cs) const {
                nlohmann::ordered_json conds = nlohmann::ordered_json::array();
                for (const auto& c : cs) {
                    nlohmann::ordered_json jc{{"condition", c.text}, {"line", c.line}, {"truth", truth_name(c.truth)},
                                              {"evidence", c.evidence}};
                    if (c.obs) {
                        const Observation& o = t_.observations[*c.obs];
                        const Origin& org = t_.origins[o.origin];
                        jc["record"] = {{"concept", p_.bindings->concepts[o.concept_id].name},
                                        {"value", o.original_value},
                                        {"unit", o.original_unit},
                                        {"date", format_day(o.day)},
                                        {"file", org.file},
                                        {"line", org.line}};
                    }
                    conds.push_back(std::move(jc));
                }
                return conds;
    }


    // ---- the tree ----------------------------------------------------------------------

    void result(std::size_t i) {
        expanded_.clear();
        const ResultInfo& r = p_.results[i];
        const ResultValue& v = ev_.results[i];
        const ResultDef& def = p_.module->results[r.def_index];
        out_ += fmt::format("\n{} = {}    [{}]\n", r.name, result_text(v, "(none)"),
                            line_of(def.span));
        if (r.kind == ResultDef::Kind::Value) {
            const Item& it = p_.items[r.value_item];
            clause(p_.node(it.node), v.decided_on ? v.decided_on : ev_.domain.hi, 1);
            return;
        }
        Day day = v.decided_on ? v.decided_on : ev_.domain.hi;
        if (r.until_item >= 0) {
            DateVal cut = first_met(ev_.slots[r.until_item].t, ev_.domain);
            const std::string& u = p_.module->criteria[r.until_criterion].name;
            if (cut.state == DateVal::State::Known)
                out_ += fmt::format("  categories count only before `{}` first held on {} (`until {}`)\n", u,
                                    format_day(cut.day), u);
        }
        if (v.choice >= 0)
            out_ += fmt::format("  decided by `{}`, first holding on {}\n", r.choices[v.choice].label, format_day(day));
        else if (v.kind == ResultValue::Kind::Label)
            out_ += fmt::format("  no choice holds on {}: the else label applies\n", format_day(ev_.domain.hi));
        // Every choice before the winner says why it did not hold; the winner says why it did.
        std::size_t last = v.choice >= 0 ? static_cast<std::size_t>(v.choice) : r.choices.size() - 1;
        for (std::size_t c = 0; c <= last && c < r.choices.size(); ++c) {
            const auto& ch = r.choices[c];
            if (ch.criterion >= 0) criterion(ch.criterion, day, static_cast<int>(c) == v.choice);
            else {
                const Item& it = p_.items[ch.item];
                out_ += fmt::format("  {} if ...: {}\n", ch.label, truth_name(sample(ev_.slots[ch.item].t, ev_.domain, ev_.domain.hi)));
                clause(p_.node(it.node), ev_.domain.hi, 2);
            }
        }
    }

    void criterion(int index, Day day, bool winner) {
        const Criterion& c = p_.module->criteria[index];
        expanded_.insert(index);
        const Value& v = ev_.slots[p_.criterion_item[index]];
        DateVal first = first_met(v.t, ev_.domain);
        std::string held = first.state == DateVal::State::Known ? "held from " + format_day(first.day)
                           : first.state == DateVal::State::Never ? "never held"
                                                                   : "never shown to hold (data missing)";
        out_ += fmt::format("  {} {}{} [{}]: {}\n", winner ? "*" : "-", c.name, c.title.empty() ? "" : " \"" + c.title + "\"",
                            line_of(c.name_span), held);
        for (const auto& ci : c.cites) out_ += fmt::format("      cite: {}\n", ci);
        // The winner is explained on its first day; the others on the decision day.
        Day at = winner && first.state == DateVal::State::Known ? first.day : day;
        out_ += fmt::format("      on {}:\n", format_day(at));
        clause(*c.body, at, 3);
    }

    // A criterion named inside a clause: its citation and body, once per result.
    void expand(int index, Day d, int depth) {
        if (!expanded_.insert(index).second) return;
        const Criterion& c = p_.module->criteria[index];
        std::string pad(2 * depth, ' ');
        out_ += fmt::format("{}{} [{}]{}\n", pad, c.name, line_of(c.name_span),
                            c.cites.empty() ? "" : "  cite: " + c.cites.front());
        clause(*c.body, d, depth + 1);
    }

    std::string evidence(const Expr& subject, Day d) const {
        const Value* v = by_node_[subject.id];
        if (!v || v->kind != Type::Quantity) return "";
        const QSeg* s = sample(v->q, ev_.domain, d);
        const std::string& concept_name = subject.r.subject_concept >= 0 ? p_.bindings->concepts[subject.r.subject_concept].name : subject.text;
        if (!s || !s->known) return missing(concept_name, subject, d);
        if (s->obs == kAssumedAbsent)
            return fmt::format("{} assumed absent (0): no record standing on {}; the bindings say it is recorded only "
                               "when present", concept_name, format_day(d));
        const Observation& o = t_.observations[s->obs];
        const Origin& org = t_.origins[o.origin];
        static const char* cmp[] = {"", "<", "<=", ">", ">="};
        return fmt::format("{} {}{} {} on {} ({}:{})", concept_name, cmp[static_cast<int>(o.comparator)],
                           fmt::format("{}", o.original_value), o.original_unit, format_day(o.day), org.file, org.line);
    }

    // No result stood on day d for the instruction of node `at`: how long one would have stood.
    std::string missing(const std::string& concept_name, const Expr& at, Day d) const {
        const Evidence* n = note_[at.id];
        std::string hold = n ? fmt::format(" (a result stands {} unless replaced)", format_duration(n->hold)) : "";
        return fmt::format("no {} result standing on {}{}: missing data", concept_name, format_day(d), hold);
    }

    // The reference the VM compared a change with on day d: the baseline result, or the nadir so far.
    std::string reference(const Expr& change, Day d) const {
        const Evidence* n = note_[change.id];
        const char* what = change.ref == RefPoint::Nadir ? "nadir" : "baseline";
        const QSeg* ref = n ? sample(n->reference, ev_.domain, d) : nullptr;
        if (!ref || !ref->known) return fmt::format("; no {} result: missing data", what);
        const Observation& o = t_.observations[ref->obs];
        const Origin& org = t_.origins[o.origin];
        return fmt::format("; {} {} {} on {} ({}:{})", what, o.original_value, o.original_unit, format_day(o.day),
                           org.file, org.line);
    }

    // The boolean or coded record the VM read for node `at` (a concept name or `is`) on day d.
    std::string record_text(const Expr& at, int c, Day d) const {
        const Evidence* n = note_[at.id];
        if (c < 0 || !n) return "";
        const Concept& k = p_.bindings->concepts[c];
        const QSeg* s = sample(n->records, ev_.domain, d);
        if (s && s->known && s->obs == kAssumedAbsent)
            return fmt::format("{} assumed absent: no record standing on {}; the bindings say it is recorded only when "
                               "present", k.name, format_day(d));
        if (!s || !s->known) return missing(k.name, at, d);
        const Observation& o = t_.observations[s->obs];
        const Origin& org = t_.origins[o.origin];
        auto code = static_cast<std::size_t>(o.value);
        std::string val = k.kind == ValueKind::Coded && code < k.values.size() ? k.values[code]
                                                                               : (o.value != 0 ? "true" : "false");
        return fmt::format("{} {} on {} ({}:{})", k.name, val, format_day(o.day), org.file, org.line);
    }

    // `among abnormal at baseline`: which members the VM counted.
    std::string counted_text(const Expr& group) const {
        const Evidence* n = note_[group.id];
        if (!n || n->counted.size() != group.kids.size()) return "";
        std::string counted, normal, unknown;
        for (std::size_t i = 0; i < group.kids.size(); ++i) {
            std::string& list = n->counted[i] == Truth::Met ? counted : n->counted[i] == Truth::NotMet ? normal : unknown;
            int c = subject_concept_of(*group.kids[i]);
            list += (list.empty() ? "" : ", ") + (c >= 0 ? p_.bindings->concepts[c].name : expr_source(*group.kids[i]));
        }
        std::string out = "among abnormal at baseline: counted " +
                          (!counted.empty()    ? counted
                           : unknown.empty()   ? std::string("all (none was abnormal)")
                                               : std::string("none known to be abnormal"));
        if (!normal.empty()) out += "; left out (normal at baseline) " + normal;
        if (!unknown.empty()) out += "; not known at baseline (each reading tried) " + unknown;
        return out;
    }

    static std::string date_text(const DateVal& v) {
        return v.state == DateVal::State::Known   ? format_day(v.day)
               : v.state == DateVal::State::Never ? "never (has not happened)"
                                                  : "unknown (data missing)";
    }

    void clause(const Expr& e, Day d, int depth) {
        if (depth > 24) return;  // deep enough for every shipped pack: evidence is never cut off
        std::string pad(2 * depth, ' ');
        if (e.r.type == Type::Date) {
            // A date: its value, then (for `first X`) why X first held on that day.
            const Value* v = by_node_[e.id];
            DateVal dv = v && v->kind == Type::Date ? v->d : DateVal::unknown();
            out_ += fmt::format("{}{} = {}   [line {}]\n", pad, expr_source(e), date_text(dv), e.span.line());
            if ((e.kind == ExprKind::First || e.kind == ExprKind::Last) && e.kids[0]->r.type == Type::Truth)
                clause(*e.kids[0], dv.state == DateVal::State::Known ? dv.day : d, depth + 1);
            return;
        }
        Truth tr = truth_at(e, d);
        std::string text = expr_source(e);
        std::string where = fmt::format("line {}", e.span.line());
        std::string ev;
        switch (e.kind) {
            case ExprKind::Compare:
                if (e.kids[0] && e.kids[0]->r.type == Type::Quantity) ev = evidence(*e.kids[0], d);
                break;
            case ExprKind::Change:
                if (e.kids[0] && e.kids[0]->r.type == Type::Quantity) ev = evidence(*e.kids[0], d) + reference(e, d);
                break;
            case ExprKind::IsValue: ev = record_text(e, e.kids[0] ? e.kids[0]->r.subject_concept : -1, d); break;
            case ExprKind::Name:
                if (e.r.ref == Expr::Resolved::Ref::Concept) ev = record_text(e, e.r.subject_concept, d);
                break;
            case ExprKind::Group:
                if (e.among_abnormal) ev = counted_text(e);
                break;
            default: break;
        }
        if (e.kind == ExprKind::Group && !e.cites.empty()) text += "  (cite: " + e.cites.front() + ")";
        out_ += fmt::format("{}{}  {}   [{}]{}\n", pad, mark(tr), text, where, ev.empty() ? "" : "\n" + pad + "           " + ev);
        switch (e.kind) {
            case ExprKind::Name:
                if (e.r.ref == Expr::Resolved::Ref::Criterion) expand(e.r.index, d, depth + 1);
                break;
            case ExprKind::And:
            case ExprKind::Or:
            case ExprKind::Group:
            case ExprKind::Unless:
            case ExprKind::Not:
                for (const auto& k : e.kids)
                    if (k) clause(*k, d, depth + 1);
                break;
            case ExprKind::Temporal: {
                const Expr& inner = *e.kids[0];
                if (e.temporal == TemporalKind::For) {
                    // Show the day in the window that broke it, if any.
                    Day from = subtract(d, e.dur);
                    Day probe = d;
                    for (Day s = d; s >= from && s >= ev_.domain.lo; --s)
                        if (truth_at(inner, s) != Truth::Met) {
                            probe = s;
                            break;
                        }
                    if (from < ev_.domain.lo && tr != Truth::Met && probe == d && truth_at(inner, d) == Truth::Met)
                        out_ += fmt::format("{}  (the {} window from {} reaches before the first data on {})\n", pad,
                                            format_duration(e.dur), format_day(from), format_day(ev_.domain.lo));
                    if (probe != d) out_ += fmt::format("{}  on {}, inside the {} window:\n", pad, format_day(probe), format_duration(e.dur));
                    clause(inner, probe, depth + 1);
                } else {
                    const Value* anchor = by_node_[e.kids[1]->id];
                    std::string a = anchor && anchor->kind == Type::Date ? date_text(anchor->d) : "unknown";
                    out_ += fmt::format("{}  anchor `{}` = {}\n", pad, expr_source(*e.kids[1]), a);
                    // The day the VM read the operand on (`at`), or the window it kept.
                    const Evidence* n = note_[e.id];
                    Day on = d;
                    if (n && n->read_on) {
                        on = *n->read_on;
                        out_ += fmt::format("{}  read on {}:\n", pad, format_day(on));
                    } else if (n && n->from <= n->to && (d < n->from || d > n->to)) {
                        out_ += fmt::format("{}  {} is outside the window ({} to {})\n", pad, format_day(d),
                                            format_day(n->from), format_day(n->to));
                    }
                    clause(inner, on, depth + 1);
                }
                break;
            }
            case ExprKind::NeverShown: {
                // The day that decided it: the first day the operand held (shown), else the first
                // day it was known not to hold (a documented non-response); unknown days are skipped.
                const Value* v = by_node_[e.kids[0]->id];
                const Value* anchor = by_node_[e.kids[1]->id];
                DateVal a = anchor && anchor->kind == Type::Date ? anchor->d : DateVal::unknown();
                out_ += fmt::format("{}  anchor `{}` = {}\n", pad, expr_source(*e.kids[1]), date_text(a));
                if (!v || v->kind != Type::Truth || a.state != DateVal::State::Known) break;
                if (d < a.day) {
                    out_ += fmt::format("{}  {} is before the anchor: nothing can have been shown yet\n", pad, format_day(d));
                    break;
                }
                // The days the VM found deciding it, as they stood on day d.
                const Evidence* n = note_[e.id];
                std::optional<Day> shown = n && n->shown && *n->shown <= d ? n->shown : std::nullopt;
                std::optional<Day> not_shown = n && n->not_shown && *n->not_shown <= d ? n->not_shown : std::nullopt;
                if (shown) {
                    out_ += fmt::format("{}  `{}` was shown on {}\n", pad, expr_source(*e.kids[0]), format_day(*shown));
                    clause(*e.kids[0], *shown, depth + 1);
                } else if (not_shown) {
                    out_ += fmt::format("{}  `{}` was not shown on {} (days on which the data could not tell are passed over)\n",
                                        pad, expr_source(*e.kids[0]), format_day(*not_shown));
                    clause(*e.kids[0], *not_shown, depth + 1);
                } else {
                    out_ += fmt::format("{}  no day from {} to {} could tell: unknown\n", pad, format_day(a.day), format_day(d));
                }
                break;
            }
            case ExprKind::Ever:
            case ExprKind::Never: {
                const Value* v = by_node_[e.kids[0]->id];
                if (v && v->kind == Type::Truth) {
                    DateVal f = first_met(v->t, ev_.domain);
                    out_ += fmt::format("{}  `{}` first held: {}\n", pad, expr_source(*e.kids[0]),
                                        f.state == DateVal::State::Known ? format_day(f.day) : f.state == DateVal::State::Never ? "never" : "unknown");
                    clause(*e.kids[0], f.state == DateVal::State::Known ? f.day : d, depth + 1);
                }
                break;
            }
            default: break;
        }
    }

    const Program& p_;
    const Timeline& t_;
    const Evaluation& ev_;
    std::vector<const Value*> by_node_;
    std::vector<const Evidence*> note_;  // node -> what its instruction read (the VM's evidence)
    std::set<int> expanded_;
    std::string out_;
};

}  // namespace

std::string explain(const Program& p, const Timeline& t, const Evaluation& ev, const ExplainOptions& opt) {
    if (opt.format == "json")
        return Explainer(p, t, ev).summary_json(opt).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
               "\n";
    return Explainer(p, t, ev).run(opt);
}

std::string explain_summary(const Program& p, const Timeline& t, const Evaluation& ev, const std::string& result) {
    return Explainer(p, t, ev).summary_of(result);
}

std::vector<ResultGrounds> result_grounds(const Program& p, const Timeline& t, const Evaluation& ev) {
    return Explainer(p, t, ev).grounds();
}

std::string explain_result(const Program& p, const Timeline& t, const Evaluation& ev, const std::string& result) {
    return Explainer(p, t, ev).one(result);
}

}  // namespace crit
