// A hand-written C++ baseline for one criterion of iwCLL 2018, CR_clinical:
//
//   therapy = first treatment of class cll_therapy
//   assess  = therapy.end + 2mo or therapy.start + 2mo
//   CR_clinical: all of, from assess, for 2mo:
//     lymphocytes < 4 x10^9/L, node_longest_max < 1.5 cm, spleen_length < 13 cm,
//     not hepatomegaly, not b_symptoms, neutrophils >= 1.5 x10^9/L,
//     platelets >= 100 x10^9/L, hemoglobin >= 11 g/dL
//
// written directly against the Timeline model (what a programmer would write
// without crit: one function, fixed concepts, no bytecode, no generic series
// per clause), with crit's semantics (docs/semantics.md): the domain, results
// standing for 3 months or until the next result or the next antileukaemic
// course, censored values as intervals with the rounding tolerance, Kleene
// logic, the `from` window and `for 2mo` with calendar months.
//
// It checks that its answer (the whole truth series over the domain, not just
// the as-of day) equals crit's for every patient of a cohort, then times both,
// single-threaded, over the same in-memory timelines:
//
//   build-perf/handwritten_cr tools/bench/cr_clinical.crit /tmp/cohort.yaml [repeats]
//
// Built by tools/bench/build.sh (the CMake target handwritten_cr).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "lang/driver.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

using namespace crit;
using Clock = std::chrono::steady_clock;

namespace hand {

enum T : std::uint8_t { N = 0, M = 1, U = 2 };  // not met, met, unknown (as crit::Truth)

struct Seg {
    Day start;
    T v;
};

// The fixed facts the criterion needs, looked up once.
struct Setup {
    enum Cmp { Lt, Ge, NotBool };
    struct Clause {
        ConceptId concept_id;
        Cmp cmp;
        double k;        // canonical unit of the concept
        Duration hold;   // the concept's valid_for, else 3 months
    };
    std::array<Clause, 8> clauses;
    ClassId cll_therapy, antileukemic;
};

// Reused buffers: nothing is allocated per patient once they have grown.
struct Scratch {
    std::vector<Day> cuts;                        // antileukaemic course starts
    std::array<std::vector<Seg>, 8> standing;     // per clause: value segments, gaps = unknown
    std::vector<Seg> y;                           // AND of the clauses, inside the window
    std::vector<std::pair<Day, Day>> bad, unk;    // for 2mo: days not met / unknown
};

bool near(double a, double b) {
    if (a == b) return true;
    if (std::isinf(a) || std::isinf(b)) return false;
    return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}
bool less(double a, double b) { return a < b && !near(a, b); }

// value < k for a result that may be censored ("<0.005") or below its detection limit.
T less_than(const Observation& o, double k) {
    double lo = o.value, hi = o.value;
    bool hi_open = false;
    switch (o.comparator) {
        case Comparator::Eq:
            if (o.detection_limit > 0 && o.value < o.detection_limit) lo = 0, hi = o.detection_limit, hi_open = true;
            break;
        case Comparator::Lt: lo = 0, hi_open = true; break;
        case Comparator::Le: lo = 0; break;
        case Comparator::Gt: hi = INFINITY; break;  // lo is open: does not matter for "<"
        case Comparator::Ge: hi = INFINITY; break;
    }
    if (less(hi, k) || (near(hi, k) && hi_open)) return M;
    if (!less(lo, k)) return N;
    return U;
}

T truth(const Setup::Clause& c, const Observation& o) {
    switch (c.cmp) {
        case Setup::Lt: return less_than(o, c.k);
        case Setup::Ge: {
            T t = less_than(o, c.k);
            return t == U ? U : t == M ? N : M;
        }
        case Setup::NotBool: return o.value != 0 ? N : M;
    }
    return U;
}

// The last day t whose window [t - 2mo, t] contains day x.
Day last_window_day(Day x, Duration d) {
    Day t = add(x, d);
    while (subtract(t + 1, d) <= x) ++t;
    while (subtract(t, d) > x) --t;
    return t;
}

// Appends [a, b] to a list of intervals whose starts never decrease, merging overlaps.
void paint(std::vector<std::pair<Day, Day>>& v, Day a, Day b) {
    if (a > b) return;
    if (!v.empty() && a <= v.back().second + 1) v.back().second = std::max(v.back().second, b);
    else v.push_back({a, b});
}

// Appends a segment starting on `start` (strictly after the last one), merging equal values.
void push(std::vector<Seg>& out, Day start, T v) {
    if (out.empty() || out.back().v != v) out.push_back({start, v});
}

// CR_clinical for one patient: its truth series over the domain [lo, hi].
void cr_clinical(const Setup& s, const Timeline& t, Scratch& w, std::vector<Seg>& out) {
    out.clear();
    // ---- Domain: first and last dated record (as of the last record).
    bool any = false;
    Day lo = 0, hi = 0;
    auto see = [&](Day d, bool first_too) {
        if (!any) lo = hi = d, any = true;
        if (first_too) lo = std::min(lo, d);
        hi = std::max(hi, d);
    };
    for (const auto& o : t.observations) see(o.day, true);
    for (const auto& tr : t.treatments) {
        see(tr.start, true);
        if (tr.end) see(*tr.end, false);
    }
    if (t.diagnosis_date) see(*t.diagnosis_date, true);
    lo = std::min(lo, hi);

    // ---- Therapy episodes (courses < 60 days apart are one), as of hi; cuts.
    std::optional<Day> th_start, th_end;
    bool th_open = false, th_done = false;  // first cll_therapy episode: continuous? closed by a later one?
    std::optional<Day> al_end;
    bool al_any = false, al_open = false;
    w.cuts.clear();
    auto has = [](const Treatment& tr, ClassId c) {
        return std::find(tr.classes.begin(), tr.classes.end(), c) != tr.classes.end();
    };
    for (const auto& tr : t.treatments) {  // sorted by start
        if (tr.start > hi) break;
        if (!th_done && has(tr, s.cll_therapy)) {
            if (!th_start) {
                th_start = tr.start, th_end = tr.end, th_open = !tr.end;
            } else if (th_open || tr.start - *th_end < 60) {
                if (!th_open) {
                    if (tr.end) th_end = std::max(*th_end, *tr.end);
                    else th_open = true;
                }
            } else {
                th_done = true;
            }
        }
        if (has(tr, s.antileukemic)) {
            if (al_any && (al_open || tr.start - *al_end < 60)) {
                if (!al_open) {
                    if (tr.end) al_end = std::max(*al_end, *tr.end);
                    else al_open = true;
                }
            } else {
                w.cuts.push_back(tr.start);
                al_any = true, al_end = tr.end, al_open = !tr.end;
            }
        }
    }
    // assess = therapy.end + 2mo, or therapy.start + 2mo for continuous therapy; never without therapy.
    constexpr Duration two_months{2, 0};
    std::optional<Day> assess;
    if (th_start) assess = add(th_open || *th_end > hi ? *th_start : *th_end, two_months);

    // ---- Each clause as segments of the days its results stand.
    for (std::size_t i = 0; i < s.clauses.size(); ++i) {
        const auto& c = s.clauses[i];
        auto& segs = w.standing[i];
        segs.clear();
        auto [b, e] = t.series(c.concept_id);
        for (const Observation* o = b; o != e; ++o) {
            const Observation* next = o + 1;
            if (next != e && next->day == o->day) continue;  // same day: the last wins
            Day to = add(o->day, c.hold) - 1;
            if (next != e) to = std::min(to, next->day - 1);
            auto cut = std::upper_bound(w.cuts.begin(), w.cuts.end(), o->day);
            if (cut != w.cuts.end()) to = std::min(to, *cut);
            Day from = std::max(o->day, lo);
            to = std::min(to, hi);
            if (from > to) continue;
            T v = truth(c, *o);
            if (!segs.empty() && segs.back().start == from) segs.pop_back();  // the gap closes at once
            else if (segs.empty() && from > lo) segs.push_back({lo, U});       // unknown before the first
            segs.push_back({from, v});
            if (to < hi) segs.push_back({to + 1, U});
        }
        if (segs.empty()) segs.push_back({lo, U});
    }

    // ---- y = (all of the clauses) from assess: a sweep over the segment starts.
    w.y.clear();
    std::array<std::size_t, 8> pos{};
    Day win = assess ? *assess : hi + 1;  // before: not met
    for (Day day = lo;;) {
        T v = day < win ? N : M;
        Day next = day < win ? win : hi + 1;
        for (std::size_t i = 0; i < s.clauses.size(); ++i) {
            const auto& segs = w.standing[i];
            std::size_t& p = pos[i];
            while (p + 1 < segs.size() && segs[p + 1].start <= day) ++p;
            T ci = segs[p].start > day ? U : segs[p].v;
            if (ci == N || v == N) v = N;
            else if (ci == U) v = U;
            if (p + 1 < segs.size()) next = std::min(next, segs[p + 1].start);
        }
        push(w.y, day, v);
        if (next > hi) break;
        day = next;
    }

    // ---- for 2mo: met on t when y is met on every day of [t - 2mo, t].
    w.bad.clear();
    w.unk.clear();
    paint(w.unk, lo, std::min(hi, last_window_day(lo - 1, two_months)));  // windows reaching before the data
    for (std::size_t i = 0; i < w.y.size(); ++i) {
        if (w.y[i].v == M) continue;
        Day to = i + 1 < w.y.size() ? w.y[i + 1].start - 1 : hi;
        paint(w.y[i].v == N ? w.bad : w.unk, w.y[i].start, std::min(hi, last_window_day(to, two_months)));
    }
    // Render: not met where painted bad, else unknown where painted unknown, else met.
    std::size_t bi = 0, ui = 0;
    for (Day day = lo;;) {
        while (bi < w.bad.size() && w.bad[bi].second < day) ++bi;
        while (ui < w.unk.size() && w.unk[ui].second < day) ++ui;
        bool in_bad = bi < w.bad.size() && w.bad[bi].first <= day;
        bool in_unk = ui < w.unk.size() && w.unk[ui].first <= day;
        push(out, day, in_bad ? N : in_unk ? U : M);
        Day next = hi + 1;
        if (bi < w.bad.size()) next = std::min(next, in_bad ? w.bad[bi].second + 1 : w.bad[bi].first);
        if (ui < w.unk.size()) next = std::min(next, in_unk ? w.unk[ui].second + 1 : w.unk[ui].first);
        if (next > hi) break;
        day = next;
    }
}

}  // namespace hand

static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: handwritten_cr RULES(cr_clinical.crit) DATA [repeats]\n");
        return 2;
    }
    int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    Diagnostics d;
    auto c = compile_file(argv[1], d);
    if (!c.program) {
        std::fprintf(stderr, "%s", render(d).c_str());
        return 1;
    }
    const Program& p = *c.program;
    const Bindings& b = *c.bindings;
    int slot = -1;
    for (std::size_t i = 0; i < p.items.size(); ++i)
        if (p.items[i].name == "CR_clinical" && p.items[i].kind == Item::Kind::Criterion) slot = static_cast<int>(i);
    if (slot < 0) {
        std::fprintf(stderr, "%s has no criterion CR_clinical\n", argv[1]);
        return 1;
    }

    hand::Setup s;
    auto clause = [&](const char* name, hand::Setup::Cmp cmp, double k) {
        auto id = b.concept_by_name(name);
        if (!id) {
            std::fprintf(stderr, "no concept %s in the bindings\n", name);
            std::exit(1);
        }
        return hand::Setup::Clause{*id, cmp, k, b.concepts[*id].valid_for.value_or(p.hold)};
    };
    using hand::Setup;
    // Thresholds in the canonical units the timeline stores (10*9/L, cm, g/L).
    s.clauses = {clause("lymphocytes", Setup::Lt, 4),      clause("node_longest_max", Setup::Lt, 1.5),
                 clause("spleen_length", Setup::Lt, 13),   clause("hepatomegaly", Setup::NotBool, 0),
                 clause("b_symptoms", Setup::NotBool, 0),  clause("neutrophils", Setup::Ge, 1.5),
                 clause("platelets", Setup::Ge, 100),      clause("hemoglobin", Setup::Ge, 110)};
    s.cll_therapy = *b.class_by_name("cll_therapy");
    s.antileukemic = *b.class_by_name("antileukemic");

    LoadResult data;
    load_patients({argv[2]}, b, data, d);
    if (d.has_errors()) std::fprintf(stderr, "%s", render(d).c_str());
    std::size_t n = data.patients.size();

    // ---- Agreement: the whole series, every patient.
    EvalContext ctx;
    hand::Scratch w;
    std::vector<hand::Seg> mine;
    std::size_t differ = 0, met_as_of = 0, ever_met = 0, unknown_as_of = 0;
    for (const auto& t : data.patients) {
        const Evaluation& ev = evaluate(p, t, std::nullopt, ctx);
        const TruthSeries& theirs = ev.slots[slot].t;
        hand::cr_clinical(s, t, w, mine);
        bool same = theirs.size() == mine.size();
        for (std::size_t i = 0; same && i < mine.size(); ++i)
            same = theirs[i].start == mine[i].start && static_cast<int>(theirs[i].v) == static_cast<int>(mine[i].v);
        if (!same) {
            if (++differ <= 5) {
                std::string a, h;
                for (const auto& g : theirs) a += fmt::format(" {}:{}", format_day(g.start), truth_name(g.v));
                for (const auto& g : mine) h += fmt::format(" {}:{}", format_day(g.start), int(g.v));
                std::fprintf(stderr, "DIFFER %s\n  crit:%s\n  hand:%s\n", t.patient_id.c_str(), a.c_str(), h.c_str());
            }
        }
        ever_met += std::any_of(mine.begin(), mine.end(), [](const hand::Seg& g) { return g.v == hand::M; });
        met_as_of += mine.back().v == hand::M;
        unknown_as_of += mine.back().v == hand::U;
    }
    std::printf("agreement: %zu patients, %zu differ (CR_clinical met on the as-of date: %zu, unknown: %zu, met on some day: %zu)\n",
                n, differ, met_as_of, unknown_as_of, ever_met);

    // ---- Timing: 3 trials each, interleaved; the median is reported.
    std::size_t sink = 0;
    auto time_crit = [&] {
        auto t0 = Clock::now();
        for (int r = 0; r < repeats; ++r)
            for (const auto& t : data.patients) sink += evaluate(p, t, std::nullopt, ctx).slots[slot].t.size();
        return seconds(t0, Clock::now());
    };
    auto time_hand = [&] {
        auto t0 = Clock::now();
        for (int r = 0; r < repeats; ++r)
            for (const auto& t : data.patients) {
                hand::cr_clinical(s, t, w, mine);
                sink += mine.size();
            }
        return seconds(t0, Clock::now());
    };
    std::vector<double> tc, th;
    for (int trial = 0; trial < 3; ++trial) {
        tc.push_back(time_crit());
        th.push_back(time_hand());
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    double per = static_cast<double>(repeats) * static_cast<double>(n);
    double mc = median(tc), mh = median(th);
    std::printf("crit (%zu instructions):  %.2f us/patient, %.0f patients/s   (trials %.3f %.3f %.3f s)\n",
                p.code.size(), 1e6 * mc / per, per / mc, tc[0], tc[1], tc[2]);
    std::printf("hand-written:           %.2f us/patient, %.0f patients/s   (trials %.3f %.3f %.3f s)\n",
                1e6 * mh / per, per / mh, th[0], th[1], th[2]);
    std::printf("crit / hand-written: %.1fx   (checksum %zu)\n", mc / mh, sink);
    return differ ? 1 : 0;
}
