#include "vm/temporal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>


namespace crit {

const char* truth_name(Truth t) {
    switch (t) {
        case Truth::NotMet: return "not met";
        case Truth::Met: return "met";
        case Truth::Unknown: return "unknown";
    }
    return "?";
}

Truth sample(const TruthSeries& s, const Domain& dom, Day d) {
    if (d < dom.lo || d > dom.hi || s.empty()) return Truth::Unknown;
    auto it = std::upper_bound(s.begin(), s.end(), d, [](Day x, const TSeg& g) { return x < g.start; });
    return it == s.begin() ? Truth::Unknown : std::prev(it)->v;
}

const QSeg* sample(const QuantSeries& s, const Domain& dom, Day d) {
    if (d < dom.lo || d > dom.hi || s.empty()) return nullptr;
    auto it = std::upper_bound(s.begin(), s.end(), d, [](Day x, const QSeg& g) { return x < g.start; });
    return it == s.begin() ? nullptr : &*std::prev(it);
}

void normalize(TruthSeries& s) {
    std::size_t w = 0;
    for (std::size_t r = 0; r < s.size(); ++r) {
        if (w > 0 && s[w - 1].v == s[r].v) continue;
        if (w > 0 && s[w - 1].start == s[r].start) {
            s[w - 1] = s[r];
            continue;
        }
        s[w++] = s[r];
    }
    s.resize(w);
}

void constant_series(Truth v, const Domain& dom, TruthSeries& out) {
    out.clear();
    out.push_back({dom.lo, v});
}

// ---- values and comparisons ----------------------------------------------------

Interval interval_of(const Observation& o) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    switch (o.comparator) {
        case Comparator::Eq:
            // Below the assay's detection limit a result only says "less than the limit":
            // "not detected" by an assay sensitive to 0.1% does not show < 0.01%.
            if (o.detection_limit > 0 && o.value < o.detection_limit) return {0, o.detection_limit, false, true};
            return {o.value, o.value, false, false};
        case Comparator::Lt: return {0, o.value, false, true};
        case Comparator::Le: return {0, o.value, false, false};
        case Comparator::Gt: return {o.value, inf, true, false};
        case Comparator::Ge: return {o.value, inf, false, false};
    }
    return {o.value, o.value, false, false};
}

namespace {
// Equality up to unit-conversion rounding (100000 /uL * 0.001 is 100 x10^9/L).
bool near(double a, double b) {
    if (a == b) return true;
    if (std::isinf(a) || std::isinf(b)) return false;
    return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}
bool less(double a, double b) { return a < b && !near(a, b); }
}  // namespace

Truth compare(const Interval& v, CmpOp op, double k) {
    // "x < k is met" needs every x in the interval below k; "not met" needs none.
    auto lt = [&]() -> Truth {
        if (less(v.hi, k) || (near(v.hi, k) && v.hi_open)) return Truth::Met;
        if (!less(v.lo, k)) return Truth::NotMet;
        return Truth::Unknown;
    };
    auto le = [&]() -> Truth {
        if (!less(k, v.hi)) return Truth::Met;
        if (less(k, v.lo) || (near(v.lo, k) && v.lo_open)) return Truth::NotMet;
        return Truth::Unknown;
    };
    auto flip = [](Truth t) { return t == Truth::Met ? Truth::NotMet : t == Truth::NotMet ? Truth::Met : t; };
    switch (op) {
        case CmpOp::Lt: return lt();
        case CmpOp::Le: return le();
        case CmpOp::Ge: return flip(lt());
        case CmpOp::Gt: return flip(le());
        case CmpOp::Eq:
        case CmpOp::Ne: {
            Truth eq;
            if (near(v.lo, k) && near(v.hi, k) && !v.lo_open && !v.hi_open) eq = Truth::Met;
            else if (less(k, v.lo) || less(v.hi, k) || (near(k, v.lo) && v.lo_open) || (near(k, v.hi) && v.hi_open))
                eq = Truth::NotMet;
            else eq = Truth::Unknown;
            return op == CmpOp::Eq ? eq : flip(eq);
        }
    }
    return Truth::Unknown;
}

// ---- building series from data ------------------------------------------------------

namespace {
// Calls f(first_obs_index_of_day_group_last, from, to) for each standing result, clipped to dom.
template <typename F>
void standing(const Observation* begin, const Observation* end, Standing st, const Domain& dom, F&& f) {
    for (const Observation* o = begin; o != end; ++o) {
        const Observation* next = o + 1;
        if (next != end && next->day == o->day) continue;  // same day: the last record wins
        Day from = o->day;
        Day to = add(o->day, st.hold) - 1;
        if (next != end) to = std::min(to, next->day - 1);
        // It still describes the patient on the day the new course starts (pre-dose).
        auto cut = std::upper_bound(st.cuts.begin(), st.cuts.end(), o->day);
        if (cut != st.cuts.end()) to = std::min(to, *cut);
        from = std::max(from, dom.lo);
        to = std::min(to, dom.hi);
        if (from <= to) f(o, from, to);
    }
}

// Appends [from, to] with value v into a series being built left to right,
// filling any gap before it with `gap`.
template <typename Seg>
void put(std::vector<Seg>& out, Day from, Day to, const Seg& seg, const Seg& gap, const Domain& dom) {
    if (out.empty() && from > dom.lo) {
        Seg g = gap;
        g.start = dom.lo;
        out.push_back(g);
    }
    Seg s = seg;
    s.start = from;
    out.push_back(s);
    if (to < dom.hi) {
        Seg g = gap;
        g.start = to + 1;
        out.push_back(g);
    }
}

template <typename Seg>
void finish(std::vector<Seg>& out, const Seg& gap, const Domain& dom) {
    if (out.empty()) {
        Seg g = gap;
        g.start = dom.lo;
        out.push_back(g);
    }
}

// Drops a trailing gap segment that the next put() starts on the same day.
template <typename Seg>
void put_merge(std::vector<Seg>& out, Day from, Day to, const Seg& seg, const Seg& gap, const Domain& dom) {
    if (!out.empty() && out.back().start == from) out.pop_back();
    put(out, from, to, seg, gap, dom);
}
}  // namespace

void build_quantity(const Observation* begin, const Observation* end, std::uint32_t base_index, Standing st,
                    const Domain& dom, QuantSeries& out) {
    out.clear();
    QSeg gap = st.absent ? QSeg{0, true, Interval{}, kAssumedAbsent} : QSeg{0, false, {}, 0};
    standing(begin, end, st, dom, [&](const Observation* o, Day from, Day to) {
        QSeg s{0, true, interval_of(*o), base_index + static_cast<std::uint32_t>(o - begin)};
        put_merge(out, from, to, s, gap, dom);
    });
    finish(out, gap, dom);
}

void build_boolean(const Observation* begin, const Observation* end, Standing st, const Domain& dom, TruthSeries& out) {
    out.clear();
    TSeg gap{0, st.absent ? Truth::NotMet : Truth::Unknown};
    standing(begin, end, st, dom, [&](const Observation* o, Day from, Day to) {
        put_merge(out, from, to, TSeg{0, o->value != 0 ? Truth::Met : Truth::NotMet}, gap, dom);
    });
    finish(out, gap, dom);
    normalize(out);
}

void build_coded(const Observation* begin, const Observation* end, Standing st, const Domain& dom, int code,
                 bool negate, TruthSeries& out) {
    out.clear();
    TSeg gap{0, Truth::Unknown};
    standing(begin, end, st, dom, [&](const Observation* o, Day from, Day to) {
        bool eq = static_cast<int>(o->value) == code;
        put_merge(out, from, to, TSeg{0, eq != negate ? Truth::Met : Truth::NotMet}, gap, dom);
    });
    finish(out, gap, dom);
    normalize(out);
}

void compare_series(const QuantSeries& q, CmpOp op, double k, TruthSeries& out) {
    out.clear();
    for (const auto& s : q) out.push_back({s.start, s.known ? compare(s.v, op, k) : Truth::Unknown});
    normalize(out);
}

std::optional<std::uint32_t> baseline_index(const Observation* begin, const Observation* end, Day anchor,
                                            Duration window, Day until) {
    Day from = subtract(anchor, window);
    Day to = std::min(anchor, until);
    std::optional<std::uint32_t> found;
    for (const Observation* o = begin; o != end; ++o)
        if (o->day >= from && o->day <= to) found = static_cast<std::uint32_t>(o - begin);
    return found;
}

namespace {
// The change interval (relative fraction or absolute amount) of v against ref.
std::optional<Interval> change_of(const Interval& v, const Interval& ref, const ChangeSpec& spec) {
    Interval c;
    if (spec.by_amount) {
        if (spec.increase) c = {v.lo - ref.hi, v.hi - ref.lo, false, false};
        else c = {ref.lo - v.hi, ref.hi - v.lo, false, false};
        return c;
    }
    if (ref.lo == 0 && ref.hi == 0 && !ref.hi_open) {
        // From exactly zero (a spleen not palpable): staying at zero is no change, anything
        // above it is an unbounded increase (a new finding); in between is unknown.
        constexpr double inf = std::numeric_limits<double>::infinity();
        bool zero = v.lo == 0 && v.hi == 0 && !v.hi_open;
        bool above = v.lo > 0 || (v.lo == 0 && v.lo_open);
        if (!zero && !above) return std::nullopt;
        double up = zero ? 0 : inf;
        return spec.increase ? Interval{up, up, false, false} : Interval{-up, -up, false, false};
    }
    if (!(ref.lo > 0)) return std::nullopt;  // relative change from an uncertain near-zero reference is undefined
    if (spec.increase) c = {v.lo / ref.hi - 1.0, v.hi / ref.lo - 1.0, false, false};
    else c = {1.0 - v.hi / ref.lo, 1.0 - v.lo / ref.hi, false, false};
    // Exact inputs keep exact bounds; censored ones widen the interval.
    return c;
}
}  // namespace

void change_series(const QuantSeries& q, const Observation* begin, const Observation* end, std::optional<Day> anchor,
                   std::optional<Interval> baseline, const ChangeSpec& spec, const Domain& dom, TruthSeries& out,
                   ChangeRefs refs) {
    out.clear();
    if (refs.out) refs.out->clear();
    auto note = [&](Day start, const std::optional<Interval>& ref, std::uint32_t obs) {
        if (refs.out) refs.out->push_back(QSeg{start, ref.has_value(), ref.value_or(Interval{}), obs});
    };
    if (!spec.nadir) {
        for (const auto& s : q) {
            Truth t = Truth::Unknown;
            if (s.known && baseline)
                if (auto c = change_of(s.v, *baseline, spec)) t = compare(*c, spec.op, spec.k);
            out.push_back({s.start, t});
        }
        normalize(out);
        note(dom.lo, baseline, refs.baseline_obs);
        return;
    }
    // Nadir: the lowest result from the baseline anchor (or the first result) up to day t.
    // It changes only on result days, so walk the results alongside the segments.
    const Observation* o = begin;
    std::optional<Interval> nadir;
    std::uint32_t nadir_obs = refs.baseline_obs;
    Day from = anchor ? *anchor : (begin != end ? begin->day : dom.lo);
    if (anchor && baseline) nadir = baseline;
    for (std::size_t i = 0; i < q.size(); ++i) {
        const QSeg& s = q[i];
        // Results up to the segment start update the nadir; a result inside the
        // segment starts a new segment (build_quantity guarantees that).
        while (o != end && o->day <= s.start) {
            if (o->day >= from) {
                Interval v = interval_of(*o);
                if (!nadir || v.hi < nadir->hi) {
                    nadir = v;
                    nadir_obs = refs.base_index + static_cast<std::uint32_t>(o - begin);
                }
            }
            ++o;
        }
        Truth t = Truth::Unknown;
        if (s.known && nadir)
            if (auto c = change_of(s.v, *nadir, spec)) t = compare(*c, spec.op, spec.k);
        out.push_back({s.start, t});
        note(s.start, nadir, nadir_obs);
    }
    normalize(out);
}

// ---- logic ------------------------------------------------------------------------

void not_series(TruthSeries& s) {
    for (auto& g : s)
        if (g.v != Truth::Unknown) g.v = g.v == Truth::Met ? Truth::NotMet : Truth::Met;
}

namespace {
// Walks all segment boundaries of n series; f(values) gives the combined value.
template <typename F>
void zip(std::span<const TruthSeries* const> in, const Domain& dom, TruthSeries& out, F&& f) {
    out.clear();
    // Per-thread scratch: evaluation of a patient should not allocate per instruction.
    thread_local std::vector<std::size_t> pos;
    thread_local std::vector<Truth> vals;
    pos.assign(in.size(), 0);
    vals.assign(in.size(), Truth::Unknown);
    Day t = dom.lo;
    for (;;) {
        Day next = dom.hi + 1;
        for (std::size_t i = 0; i < in.size(); ++i) {
            const TruthSeries& s = *in[i];
            while (pos[i] + 1 < s.size() && s[pos[i] + 1].start <= t) ++pos[i];
            vals[i] = s.empty() || s[pos[i]].start > t ? Truth::Unknown : s[pos[i]].v;
            if (pos[i] + 1 < s.size()) next = std::min(next, s[pos[i] + 1].start);
        }
        out.push_back({t, f(vals)});
        if (next > dom.hi) break;
        t = next;
    }
    normalize(out);
}
}  // namespace

void and_series(std::span<const TruthSeries* const> in, const Domain& dom, TruthSeries& out) {
    zip(in, dom, out, [](const std::vector<Truth>& v) {
        Truth r = Truth::Met;
        for (Truth t : v) {
            if (t == Truth::NotMet) return Truth::NotMet;
            if (t == Truth::Unknown) r = Truth::Unknown;
        }
        return r;
    });
}

void or_series(std::span<const TruthSeries* const> in, const Domain& dom, TruthSeries& out) {
    zip(in, dom, out, [](const std::vector<Truth>& v) {
        Truth r = Truth::NotMet;
        for (Truth t : v) {
            if (t == Truth::Met) return Truth::Met;
            if (t == Truth::Unknown) r = Truth::Unknown;
        }
        return r;
    });
}

void at_least_series(std::span<const TruthSeries* const> members, std::span<const Truth> abnormal, int need,
                     const Domain& dom, TruthSeries& out) {
    thread_local std::vector<std::size_t> unknown_flags;
    unknown_flags.clear();
    for (std::size_t i = 0; i < abnormal.size(); ++i)
        if (abnormal[i] == Truth::Unknown) unknown_flags.push_back(i);
    // Unknown eligibility is settled by trying every completion (few members, so few cases).
    constexpr std::size_t kMaxUnknownFlags = 10;
    zip(members, dom, out, [&](const std::vector<Truth>& v) {
        if (unknown_flags.size() > kMaxUnknownFlags) return Truth::Unknown;
        bool any_met = false, any_not = false, any_unknown = false;
        for (std::uint32_t mask = 0; mask < (1u << unknown_flags.size()); ++mask) {
            thread_local std::vector<bool> eligible;
            eligible.assign(v.size(), true);
            if (!abnormal.empty()) {
                std::size_t count = 0;
                for (std::size_t i = 0; i < v.size(); ++i) eligible[i] = abnormal[i] == Truth::Met;
                for (std::size_t u = 0; u < unknown_flags.size(); ++u) eligible[unknown_flags[u]] = (mask >> u) & 1u;
                for (bool e : eligible) count += e;
                if (count == 0) eligible.assign(v.size(), true);  // nothing abnormal: every parameter counts
            }
            int size = 0, met = 0, possible = 0;
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (!eligible[i]) continue;
                ++size;
                met += v[i] == Truth::Met;
                possible += v[i] != Truth::NotMet;
            }
            int k = std::min(need, size);
            if (met >= k) any_met = true;
            else if (possible < k) any_not = true;
            else any_unknown = true;
        }
        if (any_met && !any_not && !any_unknown) return Truth::Met;
        if (any_not && !any_met && !any_unknown) return Truth::NotMet;
        return Truth::Unknown;
    });
}

// ---- time ------------------------------------------------------------------------

namespace {
// The last day t whose window [t - d, t] still contains day x (windows are
// monotone in t even with calendar months).
Day last_window_day(Day x, Duration d) {
    Day t = add(x, d);
    while (subtract(t + 1, d) <= x) ++t;
    while (subtract(t, d) > x) --t;
    return t;
}

// Paints [from, to] with v over `out` where v is "worse" (NotMet > Unknown > Met).
struct Painter {
    // References to per-thread buffers, cleared on construction (no allocation once grown).
    std::vector<std::pair<Day, Day>>& not_met = buffer(0);
    std::vector<std::pair<Day, Day>>& unknown = buffer(1);
    std::vector<Day>& cuts = cut_buffer();
    static std::vector<std::pair<Day, Day>>& buffer(int i) {
        thread_local std::vector<std::pair<Day, Day>> b[2];
        b[i].clear();
        return b[i];
    }
    static std::vector<Day>& cut_buffer() {
        thread_local std::vector<Day> c;
        c.clear();
        return c;
    }
    void paint(Day from, Day to, Truth v) {
        if (from > to) return;
        (v == Truth::NotMet ? not_met : unknown).push_back({from, to});
    }
    static void merge(std::vector<std::pair<Day, Day>>& v) {
        std::sort(v.begin(), v.end());
        std::size_t w = 0;
        for (auto& iv : v) {
            if (w > 0 && iv.first <= v[w - 1].second + 1) v[w - 1].second = std::max(v[w - 1].second, iv.second);
            else v[w++] = iv;
        }
        v.resize(w);
    }
    void render(const Domain& dom, TruthSeries& out) {
        merge(not_met);
        merge(unknown);
        // Day-by-boundary sweep: the value at t is NotMet if in not_met, else Unknown if in unknown, else Met.
        cuts.push_back(dom.lo);
        for (auto& [a, b] : not_met) cuts.insert(cuts.end(), {a, b + 1});
        for (auto& [a, b] : unknown) cuts.insert(cuts.end(), {a, b + 1});
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        out.clear();
        auto inside = [](const std::vector<std::pair<Day, Day>>& v, Day t) {
            auto it = std::upper_bound(v.begin(), v.end(), std::make_pair(t, std::numeric_limits<Day>::max()));
            return it != v.begin() && std::prev(it)->second >= t;
        };
        for (Day c : cuts) {
            if (c < dom.lo || c > dom.hi) continue;
            Truth v = inside(not_met, c) ? Truth::NotMet : inside(unknown, c) ? Truth::Unknown : Truth::Met;
            out.push_back({c, v});
        }
        normalize(out);
    }
};
}  // namespace

void for_series(const TruthSeries& in, Duration d, const Domain& dom, TruthSeries& out) {
    Painter p;
    // Days before the domain have no data: the windows that reach them are unknown.
    p.paint(dom.lo, std::min(dom.hi, last_window_day(dom.lo - 1, d)), Truth::Unknown);
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i].v == Truth::Met) continue;
        Day from = in[i].start, to = seg_end(in, i, dom);
        p.paint(from, std::min(dom.hi, last_window_day(to, d)), in[i].v);
    }
    p.render(dom, out);
}

ShownDays never_shown_series(const TruthSeries& in, DateVal anchor, const Domain& dom, TruthSeries& out) {
    out.clear();
    ShownDays days;
    if (anchor.state != DateVal::State::Known || anchor.day > dom.hi) {
        constant_series(anchor.state == DateVal::State::Unknown ? Truth::Unknown : Truth::NotMet, dom, out);
        return days;
    }
    Day from = std::max(anchor.day, dom.lo);
    if (from > dom.lo) out.push_back({dom.lo, Truth::NotMet});
    Truth state = Truth::Unknown;  // nothing shown either way yet
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (seg_end(in, i, dom) < from) continue;
        Day start = std::max(in[i].start, from);
        if (in[i].v == Truth::Met && !days.shown) days.shown = start;
        if (in[i].v == Truth::NotMet && !days.not_shown) days.not_shown = start;
        if (state != Truth::NotMet && in[i].v != Truth::Unknown)
            state = in[i].v == Truth::Met ? Truth::NotMet : Truth::Met;
        out.push_back({start, state});
    }
    normalize(out);
    return days;
}

void ever_series(const TruthSeries& in, const Domain& dom, TruthSeries& out) {
    out.clear();
    Truth acc = Truth::NotMet;
    for (const auto& s : in) {
        if (s.v == Truth::Met) acc = Truth::Met;
        else if (s.v == Truth::Unknown && acc == Truth::NotMet) acc = Truth::Unknown;
        out.push_back({s.start, acc});
        if (acc == Truth::Met) break;
    }
    if (out.empty()) out.push_back({dom.lo, Truth::NotMet});
    normalize(out);
}

WindowDays window_series(const TruthSeries& in, WindowKind kind, DateVal anchor, Duration d, const Domain& dom,
                         TruthSeries& out) {
    thread_local TruthSeries mask;
    WindowDays days;
    if (anchor.state == DateVal::State::Unknown) {
        constant_series(Truth::Unknown, dom, mask);
    } else if (anchor.state == DateVal::State::Never) {
        // Nothing is after (or within) a date that has not come; everything is before it.
        constant_series(kind == WindowKind::Before ? Truth::Met : Truth::NotMet, dom, mask);
    } else if (kind == WindowKind::At) {
        // `P at X`: P as it stood on day X, known from X on.
        Truth v = sample(in, dom, anchor.day);
        out.clear();
        if (anchor.day > dom.lo) out.push_back({dom.lo, Truth::Unknown});
        if (anchor.day <= dom.hi) out.push_back({std::max(anchor.day, dom.lo), v});
        if (out.empty()) out.push_back({dom.lo, Truth::Unknown});
        normalize(out);
        days.read_on = anchor.day;
        return days;
    } else {
        Day x = anchor.day;
        Day from = dom.lo, to = dom.hi;
        switch (kind) {
            case WindowKind::After: from = x + 1; break;
            case WindowKind::From: from = x; break;
            case WindowKind::Before: to = x - 1; break;
            case WindowKind::Within: from = x; to = add(x, d); break;
            case WindowKind::AtLeastAfter: from = add(x, d); break;
            case WindowKind::At: break;
        }
        days.from = from;
        days.to = to;
        mask.clear();
        mask.push_back({dom.lo, Truth::NotMet});
        if (from <= to && from <= dom.hi && to >= dom.lo) {
            mask.push_back({std::max(from, dom.lo), Truth::Met});
            if (to < dom.hi) mask.push_back({to + 1, Truth::NotMet});
        }
        normalize(mask);
    }
    const TruthSeries* both[] = {&in, &mask};
    and_series(both, dom, out);
    return days;
}

// ---- treatments and dates -------------------------------------------------------------

namespace {
// Whether a course starting on `start` joins an episode ending on `end` (empty: continuous):
// it starts less than `gap` after the end, or overlaps the episode whatever the gap.
bool joins(std::optional<Day> end, Day start, Duration gap) {
    return !end || start <= *end || start < add(*end, gap);
}
}  // namespace

void episodes_of(const Timeline& t, ClassId cls, Duration gap, Day until, std::vector<Episode>& out) {
    out.clear();
    for (const auto& tr : t.treatments) {
        if (tr.start > until) break;  // sorted by start
        if (std::find(tr.classes.begin(), tr.classes.end(), cls) == tr.classes.end()) continue;
        if (!out.empty()) {
            Episode& last = out.back();
            if (joins(last.end, tr.start, gap)) {
                if (last.end) last.end = tr.end ? std::optional<Day>(std::max(*last.end, *tr.end)) : std::nullopt;
                continue;
            }
        }
        out.push_back({tr.start, tr.end});
    }
}

void course_cuts(const Timeline& t, const Bindings& b, std::span<const ClassId> classes, Day until,
                 std::vector<Day>& out) {
    out.clear();
    // What a course's stated phase says: none; the therapy under way goes on (consolidation,
    // maintenance: `cuts_results: false`); or a phase that begins therapy (induction).
    enum Says : int { Unphased, Continues, Begins };
    auto says = [&](const Treatment& tr) {
        if (tr.phase < 0 || static_cast<std::size_t>(tr.phase) >= b.phases.size()) return Unphased;
        return b.phases[tr.phase].cuts_results ? Begins : Continues;
    };
    for (ClassId c : classes) {
        const Duration gap = b.classes[c].episode_gap;
        bool open = false;         // an episode is being formed
        Day start = 0;
        std::optional<Day> end;    // its end so far; empty: continuous
        Says first_day = Unphased; // the strongest statement among the courses of its first day
        Says now = Unphased;       // the phase the episode is in: the last one stated
        auto close = [&] {
            if (open && first_day != Continues) out.push_back(start);
        };
        for (const auto& tr : t.treatments) {
            if (tr.start > until) break;  // sorted by start
            if (std::find(tr.classes.begin(), tr.classes.end(), c) == tr.classes.end()) continue;
            Says s = says(tr);
            if (open && joins(end, tr.start, gap)) {
                if (end) end = tr.end ? std::optional<Day>(std::max(*end, *tr.end)) : std::nullopt;
                if (tr.start == start) {
                    first_day = now = std::max(first_day, s);
                } else if (s == Begins && now == Continues) {
                    out.push_back(tr.start);  // induction again after consolidation or maintenance
                    now = Begins;
                } else if (s != Unphased) {
                    now = s;
                }
                continue;
            }
            close();
            open = true;
            start = tr.start;
            end = tr.end;
            first_day = now = s;
        }
        close();
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

void on_class_series(const Timeline& t, ClassId cls, const Domain& dom, TruthSeries& out) {
    thread_local std::vector<std::pair<Day, Day>> on;
    on.clear();
    for (const auto& tr : t.treatments)
        if (std::find(tr.classes.begin(), tr.classes.end(), cls) != tr.classes.end())
            on.push_back({tr.start, tr.end.value_or(dom.hi)});
    Painter::merge(on);
    out.clear();
    out.push_back({dom.lo, Truth::NotMet});
    for (auto [a, b] : on) {
        if (b < dom.lo || a > dom.hi) continue;
        out.push_back({std::max(a, dom.lo), Truth::Met});
        if (b < dom.hi) out.push_back({b + 1, Truth::NotMet});
    }
    normalize(out);
}

DateVal first_met(const TruthSeries& s, const Domain& dom) {
    bool unknown = false;
    for (const auto& g : s) {
        if (g.v == Truth::Met) return DateVal::known(g.start);
        unknown = unknown || g.v == Truth::Unknown;
    }
    (void)dom;
    return unknown ? DateVal::unknown() : DateVal::never();
}

DateVal last_met(const TruthSeries& s, const Domain& dom) {
    bool unknown = false;
    for (std::size_t i = s.size(); i-- > 0;) {
        if (s[i].v == Truth::Met) return DateVal::known(seg_end(s, i, dom));
        unknown = unknown || s[i].v == Truth::Unknown;
    }
    return unknown ? DateVal::unknown() : DateVal::never();
}

Truth compare_dates(DateVal a, CmpOp op, DateVal b) {
    using S = DateVal::State;
    if (a.state == S::Unknown || b.state == S::Unknown) return Truth::Unknown;
    // A date that never came sorts after every real date.
    auto key = [](DateVal d) { return d.state == S::Never ? std::numeric_limits<std::int64_t>::max() : std::int64_t{d.day}; };
    std::int64_t x = key(a), y = key(b);
    bool r = false;
    switch (op) {
        case CmpOp::Lt: r = x < y; break;
        case CmpOp::Le: r = x <= y; break;
        case CmpOp::Gt: r = x > y; break;
        case CmpOp::Ge: r = x >= y; break;
        case CmpOp::Eq: r = x == y; break;
        case CmpOp::Ne: r = x != y; break;
    }
    return r ? Truth::Met : Truth::NotMet;
}

}  // namespace crit
