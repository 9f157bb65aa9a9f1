#include "lang/lint.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "lang/ast_print.hpp"

namespace crit {

namespace {

// `# crit: allow gap` on the cited line marks a finding as deliberate (the DECISION beside it says why).
bool allowed(const Span& s, std::string_view code) {
    if (!s.file) return false;
    std::string_view text = s.file->text();
    std::size_t b = text.rfind('\n', s.begin == 0 ? 0 : s.begin - 1);
    b = (b == std::string_view::npos || s.begin == 0) ? 0 : b + 1;
    std::size_t e = text.find('\n', s.begin);
    std::string_view line = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
    std::size_t at = line.find("crit: allow");
    if (at == std::string_view::npos) return false;
    std::string_view rest = line.substr(at + 11);
    for (std::size_t i = rest.find(code); i != std::string_view::npos; i = rest.find(code, i + 1)) {
        auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
        bool starts = i == 0 || !word(rest[i - 1]);
        bool ends = i + code.size() == rest.size() || !word(rest[i + code.size()]);
        if (starts && ends) return true;
    }
    return false;
}

CmpOp negate(CmpOp op) {
    switch (op) {
        case CmpOp::Lt: return CmpOp::Ge;
        case CmpOp::Le: return CmpOp::Gt;
        case CmpOp::Gt: return CmpOp::Le;
        case CmpOp::Ge: return CmpOp::Lt;
        case CmpOp::Eq: return CmpOp::Ne;
        case CmpOp::Ne: return CmpOp::Eq;
    }
    return op;
}

// One side of the values a category admits for a concept: `< 4 x10^9/L` at that comparison.
struct Side {
    double value = 0;
    bool inclusive = false;
    CmpOp op = CmpOp::Lt;
    const Expr* at = nullptr;  // the comparison
};
struct Range {
    std::optional<Side> lo, hi;
};
using Ranges = std::map<int, Range>;  // concept -> the tightest conjunct bounds

class Linter {
public:
    Linter(const Module& m, const Bindings& b, Diagnostics& d) : m_(m), b_(b), d_(d) {
        for (std::size_t i = 0; i < m.definitions.size(); ++i) defs_[m.definitions[i].name] = static_cast<int>(i);
        for (std::size_t i = 0; i < m.criteria.size(); ++i) crits_[m.criteria[i].name] = static_cast<int>(i);
    }

    void run() {
        for (const auto& r : m_.results)
            if (r.kind != ResultDef::Kind::Value) categories(r);
        reach();
        for (const Expr* e : m_.nodes)
            if (e && e->kind == ExprKind::Temporal && e->kids[0]) inner_.insert(e->kids[0].get());
        for (const Expr* e : m_.nodes)
            if (e) {
                if (e->kind == ExprKind::Or) unless_scope(*e);
                if (e->kind == ExprKind::Temporal) windows(*e);
            }
    }

private:
    void warn(DiagCode c, std::string_view code, const Span& s, const Span* other, std::string msg,
              std::vector<std::string> notes = {}) {
        if (allowed(s, code) || (other && allowed(*other, code))) return;
        auto& diag = d_.warning(c, s, std::move(msg));
        for (auto& n : notes) diag.notes.push_back(std::move(n));
    }

    // ---- gap and overlap ------------------------------------------------------
    // A category's condition as alternatives (a disjunctive normal form over the
    // comparisons of a concept with a literal): each Branch holds the bounds that must
    // all hold for that alternative. `and`, `all of`, time qualifiers, `ever`, the clause
    // before `unless`, `not` of a comparison and `none of` narrow a branch; `or`,
    // `any of` and `at least N of` split it (for N > 1 each member is a necessary
    // part of some alternative, so its bounds still mark where the category can change).
    // Named criteria are followed while `follow` lasts.
    static constexpr std::size_t kMaxBranches = 256;
    using Branches = std::vector<Ranges>;

    static void tighten(Range& r, const Side& s) {
        if (s.op == CmpOp::Lt || s.op == CmpOp::Le) {
            if (!r.hi || s.value < r.hi->value || (s.value == r.hi->value && !s.inclusive)) r.hi = s;
        } else if (s.op == CmpOp::Gt || s.op == CmpOp::Ge) {
            if (!r.lo || s.value > r.lo->value || (s.value == r.lo->value && !s.inclusive)) r.lo = s;
        }
    }

    // Every pairing of an alternative of `a` with one of `b`; nullopt past kMaxBranches.
    static std::optional<Branches> both(const Branches& a, const Branches& b) {
        if (a.size() * b.size() > kMaxBranches) return std::nullopt;
        Branches out;
        for (const auto& x : a)
            for (const auto& y : b) {
                Ranges m = x;
                for (const auto& [c, r] : y) {
                    if (r.lo) tighten(m[c], *r.lo);
                    if (r.hi) tighten(m[c], *r.hi);
                }
                out.push_back(std::move(m));
            }
        return out;
    }

    // nullopt: too many alternatives to analyse.
    std::optional<Branches> branches(const Expr& e, int follow, int depth = 0) const {
        Branches one{Ranges{}};
        if (depth > 64) return one;
        auto all = [&](const std::vector<ExprPtr>& kids) -> std::optional<Branches> {
            Branches acc = one;
            for (const auto& k : kids) {
                auto b = branches(*k, follow, depth + 1);
                if (!b) return std::nullopt;
                auto m = both(acc, *b);
                if (!m) return std::nullopt;
                acc = std::move(*m);
            }
            return acc;
        };
        auto any = [&](const std::vector<ExprPtr>& kids) -> std::optional<Branches> {
            Branches acc;
            for (const auto& k : kids) {
                auto b = branches(*k, follow, depth + 1);
                if (!b || acc.size() + b->size() > kMaxBranches) return std::nullopt;
                for (auto& x : *b) acc.push_back(std::move(x));
            }
            return acc.empty() ? one : acc;
        };
        switch (e.kind) {
            case ExprKind::And: return all(e.kids);
            case ExprKind::Or: return any(e.kids);
            case ExprKind::Group:
                switch (e.combinator) {
                    case Combinator::All: return all(e.kids);
                    case Combinator::Any:
                    case Combinator::AtLeast: return any(e.kids);
                    case Combinator::None:
                        for (const auto& k : e.kids)
                            if (k->kind == ExprKind::Compare) bound(*k, true, one[0]);
                        return one;
                }
                return one;
            case ExprKind::Temporal:
                // `at X` judges its clause on another day than the category's; leave it out.
                if (e.temporal != TemporalKind::At) return branches(*e.kids[0], follow, depth + 1);
                return one;
            case ExprKind::Ever:
            case ExprKind::Unless: return branches(*e.kids[0], follow, depth + 1);
            case ExprKind::Not:
                if (e.kids[0]->kind == ExprKind::Compare) bound(*e.kids[0], true, one[0]);
                return one;
            case ExprKind::Compare: bound(e, false, one[0]); return one;
            case ExprKind::Name:
                if (follow > 0 && e.r.ref == Expr::Resolved::Ref::Criterion && e.r.index >= 0)
                    return branches(*m_.criteria[e.r.index].body, follow - 1, depth + 1);
                return one;
            default: return one;
        }
    }

    static void bound(const Expr& c, bool negated, Ranges& out) {
        const Expr* subj = c.kids[0].get();
        const Expr* lit = c.kids[1].get();
        if (!subj || !lit || subj->kind != ExprKind::Name || subj->r.subject_concept < 0 ||
            lit->kind != ExprKind::Quantity || subj->r.type != Type::Quantity)
            return;
        CmpOp op = negated ? negate(c.op) : c.op;
        if (op != CmpOp::Lt && op != CmpOp::Le && op != CmpOp::Gt && op != CmpOp::Ge) return;
        tighten(out[subj->r.subject_concept], Side{lit->r.canonical, op == CmpOp::Le || op == CmpOp::Ge, op, &c});
    }

    struct Category {
        std::string label;
        Branches alts;  // empty: too many alternatives to analyse
    };

    static std::string literal(const Side& s) { return expr_source(*s.at->kids[1]); }
    static std::string side(const Side& s, bool alternative) {
        return fmt::format("`{} {}`, line {}{}", cmp_name(s.op), literal(s), s.at->span.line(),
                           alternative ? ", one of its alternatives" : "");
    }

    // Whether a range on the concept admits a value of the gap (lo, hi), ends as given.
    static bool takes(const Range& r, const Side& glo, const Side& ghi) {
        // The gap runs from glo.value (included when the lower category's bound excluded it) to ghi.value.
        double lo = glo.value, hi = ghi.value;
        bool lo_in = !glo.inclusive, hi_in = !ghi.inclusive;
        if (r.lo) {
            if (r.lo->value > lo || (r.lo->value == lo && !r.lo->inclusive)) {
                lo = r.lo->value;
                lo_in = r.lo->inclusive;
            }
        }
        if (r.hi) {
            if (r.hi->value < hi || (r.hi->value == hi && !r.hi->inclusive)) {
                hi = r.hi->value;
                hi_in = r.hi->inclusive;
            }
        }
        return lo < hi || (lo == hi && lo_in && hi_in);
    }

    void categories(const ResultDef& r) {
        std::vector<Category> cats;
        for (const auto& ch : r.choices) {
            // The criterion a category names, and the criteria its body names: two steps.
            auto alts = branches(*ch.cond, 4);
            // A category too branched to analyse might take any value: no finding is sure.
            if (!alts) return;
            cats.push_back(Category{ch.label, std::move(*alts)});
        }
        reported_.clear();
        for (std::size_t i = 0; i < cats.size(); ++i)
            for (std::size_t j = i + 1; j < cats.size(); ++j)
                for (const auto& ai : cats[i].alts)
                    for (const auto& aj : cats[j].alts)
                        for (const auto& [concept_id, ri] : ai) {
                            auto it = aj.find(concept_id);
                            if (it == aj.end()) continue;
                            // i below j, then j below i.
                            if (ri.hi && it->second.lo)
                                compare_pair(r, cats, {i, &ai}, {j, &aj}, concept_id, *ri.hi, *it->second.lo);
                            if (it->second.hi && ri.lo)
                                compare_pair(r, cats, {j, &aj}, {i, &ai}, concept_id, *it->second.hi, *ri.lo);
                        }
    }

    // Whether every alternative of the category carries the comparison: a condition of the
    // category itself, not of one way to meet it.
    static bool in_every(const Category& c, int concept_id, const Expr* at) {
        for (const auto& alt : c.alts) {
            auto it = alt.find(concept_id);
            if (it == alt.end() || !((it->second.lo && it->second.lo->at == at) || (it->second.hi && it->second.hi->at == at)))
                return false;
        }
        return true;
    }

    struct Alt {
        std::size_t cat;
        const Ranges* ranges;
    };

    // `below` admits values up to `hi`; `above` from `lo`.
    void compare_pair(const ResultDef& r, const std::vector<Category>& cats, Alt below, Alt above, int concept_id,
                      const Side& hi, const Side& lo) {
        // The same two comparisons meet again in other pairings of alternatives: one finding.
        if (!reported_.insert({hi.at, lo.at}).second) return;
        const std::string& name = b_.concepts[concept_id].name;
        std::size_t first = std::min(below.cat, above.cat);
        const Side& cite = first == below.cat ? hi : lo;
        const Side& other = first == below.cat ? lo : hi;
        const Span* other_span = &other.at->span;
        bool below_alt = !in_every(cats[below.cat], concept_id, hi.at), above_alt = !in_every(cats[above.cat], concept_id, lo.at);
        if (hi.value == lo.value && hi.inclusive && lo.inclusive) {
            warn(DiagCode::Overlap, "overlap", cite.at->span, other_span,
                 fmt::format("`{}` = {} meets both {} ({}) and {} ({}); result `{}` gives it to {}", name, literal(hi),
                             cats[below.cat].label, side(hi, below_alt), cats[above.cat].label, side(lo, above_alt),
                             r.name, cats[first].label),
                 {"make one side strict (`<` or `>`) so the boundary value belongs to one category"});
            return;
        }
        bool gap = hi.value < lo.value || (hi.value == lo.value && !hi.inclusive && !lo.inclusive);
        if (!gap) return;
        // Another alternative, of any category, with a bound on the concept that admits part of the gap takes it.
        for (const auto& c : cats)
            for (const auto& alt : c.alts) {
                if (&alt == below.ranges || &alt == above.ranges) continue;
                auto it = alt.find(concept_id);
                if (it != alt.end() && takes(it->second, hi, lo)) return;
            }
        std::string values =
            hi.value == lo.value
                ? fmt::format("`{}` = {}", name, literal(hi))
                : fmt::format("`{}` in {}{}, {}{}", name, hi.inclusive ? "(" : "[", literal(hi), literal(lo),
                              lo.inclusive ? ")" : "]");
        warn(DiagCode::Gap, "gap", cite.at->span, other_span,
             fmt::format("{} meets neither {} ({}) nor {} ({}) of result `{}`", values, cats[below.cat].label,
                         side(hi, below_alt), cats[above.cat].label, side(lo, above_alt), r.name),
             {fmt::format("no category takes these values by `{}`: they fall to {}; if the gap is deliberate, say why "
                          "in a comment ending `# crit: allow gap` on either line",
                          name, fallthrough(r, cats, concept_id))});
    }

    // Where values the thresholds leave out can still go: categories with a way to be met that
    // puts no bound on the concept, then `else`.
    static std::string fallthrough(const ResultDef& r, const std::vector<Category>& cats, int concept_id) {
        std::vector<std::string> to;
        for (const auto& c : cats)
            for (const auto& alt : c.alts)
                if (!alt.count(concept_id)) {
                    to.push_back(c.label);
                    break;
                }
        std::string out;
        for (std::size_t i = 0; i < to.size(); ++i) out += (i ? ", " : "") + to[i];
        if (!to.empty()) out += " (by other parameters)";
        if (r.else_label)
            out += to.empty() ? fmt::format("the `else` value {}", *r.else_label) : fmt::format(", else {}", *r.else_label);
        if (out.empty()) out = "no value of the result";
        return out;
    }

    // ---- unused definitions, unread criteria ---------------------------------------
    void mark(const Expr& e, std::vector<char>& defs, std::vector<char>& crits, int depth = 0) const {
        if (depth > 512) return;
        if (e.kind == ExprKind::Name) {
            // By name: a definition that renames a concept resolves to the concept.
            if (auto it = defs_.find(e.text); it != defs_.end()) {
                if (!defs[it->second]) {
                    defs[it->second] = 1;
                    mark(*m_.definitions[it->second].value, defs, crits, depth + 1);
                }
            } else if (auto ct = crits_.find(e.text); ct != crits_.end()) {
                if (!crits[ct->second]) {
                    crits[ct->second] = 1;
                    mark(*m_.criteria[ct->second].body, defs, crits, depth + 1);
                }
            }
        }
        for (const auto& k : e.kids)
            if (k) mark(*k, defs, crits, depth + 1);
    }

    void reach() {
        std::vector<char> defs(m_.definitions.size(), 0), crits(m_.criteria.size(), 0);
        for (const auto& r : m_.results) {
            if (r.value) mark(*r.value, defs, crits);
            if (r.until) mark(*r.until, defs, crits);
            for (const auto& ch : r.choices) mark(*ch.cond, defs, crits);
        }
        std::vector<char> read = crits;
        // Named anywhere: criteria no result reads still name definitions and each other.
        std::vector<char> any_crit = crits;
        for (std::size_t i = 0; i < m_.criteria.size(); ++i) mark(*m_.criteria[i].body, defs, any_crit);
        if (m_.baseline) mark(*m_.baseline->anchor, defs, any_crit);
        for (const auto& n : m_.normals) mark(*n.expr, defs, any_crit);
        for (std::size_t i = 0; i < m_.definitions.size(); ++i)
            if (!defs[i])
                warn(DiagCode::Unused, "unused", m_.definitions[i].name_span, nullptr,
                     fmt::format("`{}` is defined but named nowhere in the file", m_.definitions[i].name));
        // A file without results is a library of criteria: every criterion is its output.
        if (m_.results.empty()) return;
        for (std::size_t i = 0; i < m_.criteria.size(); ++i)
            if (!read[i])
                warn(DiagCode::Unread, "unread", m_.criteria[i].name_span, nullptr,
                     fmt::format("no result reads criterion `{}`, directly or through other criteria and definitions",
                                 m_.criteria[i].name),
                     {"it is still exported in `criteria`; if that is its purpose, say so with `# crit: allow unread`"});
    }

    // ---- A or B unless C ---------------------------------------------------------
    static bool parenthesised(const Expr& e) {
        if (!e.span.file) return true;
        std::string_view text = e.span.file->text();
        std::size_t i = e.span.begin;
        while (i > 0 && text[i - 1] == ' ') --i;
        return i > 0 && text[i - 1] == '(';
    }

    void unless_scope(const Expr& e) {
        for (std::size_t i = 1; i < e.kids.size(); ++i) {
            const Expr& k = *e.kids[i];
            if (k.kind != ExprKind::Unless || parenthesised(k)) continue;
            std::string before = expr_source(*k.kids[0]), exception = expr_source(*k.kids[1]);
            std::string head;
            for (std::size_t j = 0; j < i; ++j) head += expr_source(*e.kids[j]) + " or ";
            warn(DiagCode::UnlessScope, "unless-scope", k.span, nullptr,
                 fmt::format("`unless {}` excepts only `{}`, not the whole `or`: this reads `{}({} unless {})`", exception,
                             before, head, before, exception),
                 {fmt::format("write `({}{}) unless {}` to except the whole clause, or `{}({} unless {})` to keep this "
                              "meaning without the warning",
                              head, before, exception, head, before, exception)});
        }
    }

    // ---- windows no day can meet ----------------------------------------------------
    static constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;
    static std::int64_t min_days(Duration d) { return (d.months >= 0 ? d.months * 28LL : d.months * 31LL) + d.days; }
    static std::int64_t upper_days(Duration d) { return (d.months >= 0 ? d.months * 31LL : d.months * 28LL) + d.days; }

    static std::string qualifier(const Expr& t) {
        std::string anchor = t.kids.size() > 1 && t.kids[1] ? expr_source(*t.kids[1]) : "";
        switch (t.temporal) {
            case TemporalKind::For: return fmt::format("for {}", format_duration(t.dur));
            case TemporalKind::Within: return fmt::format("within {} after {}", format_duration(t.dur), anchor);
            case TemporalKind::AtLeastAfter: return fmt::format("at least {} after {}", format_duration(t.dur), anchor);
            case TemporalKind::After: return fmt::format("after {}", anchor);
            case TemporalKind::Before: return fmt::format("before {}", anchor);
            case TemporalKind::From: return fmt::format("from {}", anchor);
            default: return temporal_name(t.temporal);
        }
    }

    // Days relative to one anchor (written the same way), with the qualifiers that set each end.
    struct Window {
        std::int64_t lo = -kInf, hi = kInf;
        const Expr* lo_at = nullptr;
        const Expr* hi_at = nullptr;
    };

    void windows(const Expr& top) {
        // Only the outermost qualifier of a chain reports.
        if (inner_.count(&top)) return;
        std::vector<const Expr*> chain;
        for (const Expr* e = &top; e && e->kind == ExprKind::Temporal; e = e->kids[0].get()) chain.push_back(e);
        std::map<std::string, Window> by_anchor;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            const Expr& q = **it;
            if (q.temporal == TemporalKind::At) {
                by_anchor.clear();  // what is inside is judged on day X, not on the day t
                continue;
            }
            if (q.temporal == TemporalKind::MeasuredFrom) continue;
            if (q.temporal == TemporalKind::For) {
                std::int64_t need = min_days(q.dur);
                for (auto& [anchor, w] : by_anchor) {
                    if (w.lo > -kInf && w.hi < kInf && w.hi - w.lo < need) {
                        warn(DiagCode::EmptyWindow, "empty-window", top.span, nullptr,
                             fmt::format("no day can meet `{}`: `{}` needs {} days of a window at most {} days long ({})",
                                         expr_source(top), qualifier(q), need + 1, w.hi - w.lo + 1,
                                         w.lo_at == w.hi_at ? fmt::format("`{}`", qualifier(*w.lo_at))
                                                            : fmt::format("`{}`, `{}`", qualifier(*w.lo_at),
                                                                          qualifier(*w.hi_at))),
                             {"a `for D` window must fit inside the windows it qualifies; write `(A for D) within ...` to "
                              "let it start before the window, or lengthen the window"});
                        return;
                    }
                    if (w.lo > -kInf) w.lo += need;
                }
                continue;
            }
            std::string anchor = expr_source(*q.kids[1]);
            std::int64_t lo = -kInf, hi = kInf;
            switch (q.temporal) {
                case TemporalKind::From: lo = 0; break;
                case TemporalKind::After: lo = 1; break;
                case TemporalKind::Before: hi = -1; break;
                case TemporalKind::Within: lo = 0, hi = upper_days(q.dur); break;
                case TemporalKind::AtLeastAfter: lo = min_days(q.dur); break;
                default: continue;
            }
            Window& w = by_anchor[anchor];
            if (lo > w.lo) w.lo = lo, w.lo_at = &q;
            if (hi < w.hi) w.hi = hi, w.hi_at = &q;
            if (w.lo > w.hi) {
                warn(DiagCode::EmptyWindow, "empty-window", top.span, nullptr,
                     fmt::format("no day can meet `{}`: no day is both `{}` and `{}`", expr_source(top),
                                 qualifier(*w.lo_at), qualifier(*w.hi_at)),
                     {"the two qualifiers name the same date; one of them is probably meant to be another"});
                return;
            }
        }
    }

    const Module& m_;
    const Bindings& b_;
    Diagnostics& d_;
    std::map<std::string, int> defs_, crits_;
    std::set<const Expr*> inner_;
    std::set<std::pair<const Expr*, const Expr*>> reported_;  // gap and overlap findings of one result
};

}  // namespace

void lint(const Module& m, const Bindings& b, Diagnostics& d) { Linter(m, b, d).run(); }

}  // namespace crit
