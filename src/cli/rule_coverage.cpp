#include "cli/rule_coverage.hpp"

#include <fmt/format.h>

#include "lang/ast.hpp"
#include "lang/ast_print.hpp"
#include "vm/temporal.hpp"

namespace crit {

namespace {

bool is_threshold(const Expr& e) {
    if (e.kind == ExprKind::Change) return true;
    return e.kind == ExprKind::Compare && e.kids.size() == 2 && e.kids[1] && e.kids[1]->kind == ExprKind::Quantity &&
           (!e.kids[0] || e.kids[0]->r.type == Type::Quantity);
}

void collect(const Expr& e, std::vector<const Expr*>& out) {
    if (is_threshold(e)) out.push_back(&e);
    for (const auto& k : e.kids)
        if (k) collect(*k, out);
}

// Walks a clause from day d to its thresholds, moving the day as the VM did (the same
// reading of the trace as explain.cpp), and records the side each threshold was on.
class Walker {
public:
    Walker(const Program& p, const Evaluation& ev, std::vector<CoveredThreshold>& th, const std::vector<int>& index,
           const std::string& name)
        : p_(p), ev_(ev), th_(th), index_(index), name_(name) {
        by_node_.assign(p.module->nodes.size(), nullptr);
        for (const auto& [pc, v] : ev.trace) by_node_[p.nodes[pc]] = &v;
        note_.assign(p.module->nodes.size(), nullptr);
        for (const auto& n : ev.evidence) note_[p.nodes[n.pc]] = &n;
    }

    void walk(const Expr& e, Day d, int depth) {
        if (depth > 32 || d < ev_.domain.lo || d > ev_.domain.hi) return;
        if (is_threshold(e)) mark(e, d);
        switch (e.kind) {
            case ExprKind::Name:
                if (e.r.ref == Expr::Resolved::Ref::Criterion) walk(*p_.module->criteria[e.r.index].body, d, depth + 1);
                else if (e.r.ref == Expr::Resolved::Ref::Definition)
                    walk(*p_.module->definitions[e.r.index].value, d, depth + 1);
                return;
            case ExprKind::Temporal: {
                const Expr& inner = *e.kids[0];
                if (e.kids.size() > 1 && e.kids[1]) walk(*e.kids[1], d, depth + 1);
                if (e.temporal == TemporalKind::For) {
                    // The day in the window that broke it, if any (as explain shows it).
                    Day from = subtract(d, e.dur), probe = d;
                    for (Day s = d; s >= from && s >= ev_.domain.lo; --s)
                        if (truth_at(inner, s) != Truth::Met) {
                            probe = s;
                            break;
                        }
                    walk(inner, probe, depth + 1);
                    return;
                }
                const Evidence* n = note_[e.id];
                if (n && n->read_on) return walk(inner, *n->read_on, depth + 1);
                if (n && n->from <= n->to && (d < n->from || d > n->to)) return;  // outside the window: not read
                return walk(inner, d, depth + 1);
            }
            case ExprKind::Ever:
            case ExprKind::Never:
            case ExprKind::First:
            case ExprKind::Last: {
                const Value* v = by_node_[e.kids[0]->id];
                DateVal f = v && v->kind == Type::Truth ? first_met(v->t, ev_.domain) : DateVal::unknown();
                return walk(*e.kids[0], f.state == DateVal::State::Known && f.day <= d ? f.day : d, depth + 1);
            }
            case ExprKind::NeverShown: {
                walk(*e.kids[1], d, depth + 1);
                const Evidence* n = note_[e.id];
                if (n && n->shown && *n->shown <= d) return walk(*e.kids[0], *n->shown, depth + 1);
                if (n && n->not_shown && *n->not_shown <= d) return walk(*e.kids[0], *n->not_shown, depth + 1);
                return;
            }
            default:
                for (const auto& k : e.kids)
                    if (k) walk(*k, d, depth + 1);
        }
    }

private:
    Truth truth_at(const Expr& e, Day d) const {
        const Value* v = by_node_[e.id];
        if (!v || v->kind != Type::Truth) return Truth::Unknown;
        return sample(v->t, ev_.domain, d);
    }

    void mark(const Expr& e, Day d) {
        int i = index_[e.id];
        if (i < 0) return;
        auto& list = truth_at(e, d) == Truth::Met ? th_[i].met : truth_at(e, d) == Truth::NotMet ? th_[i].not_met : unknown_;
        if (list.empty() || list.back() != name_) list.push_back(name_);
    }

    const Program& p_;
    const Evaluation& ev_;
    std::vector<CoveredThreshold>& th_;
    const std::vector<int>& index_;
    const std::string& name_;
    std::vector<const Value*> by_node_;
    std::vector<const Evidence*> note_;
    std::vector<std::string> unknown_;
};

std::string cases_text(const std::vector<std::string>& cases, bool excused) {
    if (cases.empty()) return excused ? "uncovered (excused)" : "NONE";
    std::string n = cases.size() == 1 ? "1 case" : fmt::format("{} cases", cases.size());
    // An excuse a case has since disproved must go, or it would hide a later loss.
    return excused ? n + ", STALE uncovered:" : n;
}

}  // namespace

Coverage::Coverage(const Program& p) : p_(p) {
    index_of_node_.assign(p.module->nodes.size(), -1);
    auto add_all = [&](const Expr& body, const std::string& owner) {
        std::vector<const Expr*> found;
        collect(body, found);
        for (const Expr* e : found) {
            if (index_of_node_[e->id] >= 0) continue;
            index_of_node_[e->id] = static_cast<int>(thresholds_.size());
            thresholds_.push_back(CoveredThreshold{e->id, owner, static_cast<int>(e->span.line()), expr_source(*e), {}, {}, false, false});
        }
    };
    for (const auto& c : p.module->criteria) add_all(*c.body, c.name);
    for (const auto& d : p.module->definitions) add_all(*d.value, "definition " + d.name);
    for (const auto& n : p.module->normals) add_all(*n.expr, "normal " + n.concept_name);
}

void Coverage::add(const Evaluation& ev, const std::string& case_name) {
    if (!ev.dated || ev.trace.empty()) return;
    Walker w(p_, ev, thresholds_, index_of_node_, case_name);
    for (const auto& c : p_.module->criteria) w.walk(*c.body, ev.domain.hi, 0);
    // A normal range is read on the baseline day (`among abnormal at baseline`).
    if (ev.baseline_day)
        for (const auto& n : p_.module->normals) w.walk(*n.expr, *ev.baseline_day, 0);
    // Results read criteria on other days too (`positive if MRD_positive at mrd_last`).
    for (const auto& r : p_.module->results) {
        if (r.value) w.walk(*r.value, ev.domain.hi, 0);
        for (const auto& c : r.choices)
            if (c.cond) w.walk(*c.cond, ev.domain.hi, 0);
    }
}

int Coverage::print(std::string& out, const std::string& title) const {
    std::size_t wc = 9, wl = 6;
    for (const auto& t : thresholds_) {
        wc = std::max(wc, t.criterion.size());
        wl = std::max(wl, t.clause.size());
    }
    wl = std::min<std::size_t>(wl, 60);
    out += fmt::format("coverage of {}\n", title);
    out += fmt::format("{:<{}}  {:>4}  {:<{}}  {:<20}  {}\n", "criterion", wc, "line", "clause", wl, "met side", "not-met side");
    int both = 0, excused = 0, lacking = 0, stale = 0;
    for (const auto& t : thresholds_) {
        bool disproved = (t.excuse_met && !t.met.empty()) || (t.excuse_not_met && !t.not_met.empty());
        bool met = !t.met.empty() || t.excuse_met, not_met = !t.not_met.empty() || t.excuse_not_met;
        stale += disproved;
        if (disproved || !met || !not_met) ++lacking;
        else if (t.excuse_met || t.excuse_not_met) ++excused;
        else ++both;
        out += fmt::format("{:<{}}  {:>4}  {:<{}}  {:<20}  {}\n", t.criterion, wc, t.line, t.clause, wl,
                           cases_text(t.met, t.excuse_met), cases_text(t.not_met, t.excuse_not_met));
    }
    out += fmt::format("{} of {} thresholds exercised on both sides, {} excused (uncovered:), {} lacking a side{}\n", both,
                       thresholds_.size(), excused, lacking,
                       stale ? fmt::format(" (of which {} excused by a stale uncovered: that a case disproves)", stale) : "");
    return lacking;
}

}  // namespace crit
