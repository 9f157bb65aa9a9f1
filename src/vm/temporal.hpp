// The series algorithms behind the opcodes: how results stand over time,
// Kleene logic over segments, windows, `for`, `ever`, baselines and change.
// Each works on segments, not days, so per-patient cost follows the number of
// data points, not the length of follow-up.
#pragma once
#include <span>

#include "core/bindings.hpp"
#include "core/vocabulary.hpp"
#include "vm/series.hpp"
#include "core/timeline.hpp"

namespace crit {

// The interval a recorded result stands for (censoring kept).
Interval interval_of(const Observation& o);
// Compares an interval with a constant; tolerant to unit-conversion rounding.
Truth compare(const Interval& v, CmpOp op, double k);

// Results of one concept as a series: each stands from its day until the next
// result, but at most `hold`; elsewhere unknown. Same-day results: the last wins.
// A result also stops standing when a new course of treatment starts after its day
// (`cuts`: sorted start days; empty for persistent concepts): it described the patient before.
// `absent`: the concept is recorded only when present, so days on which no result stands read
// as absent (a boolean not met, a quantity exactly 0 with obs = kAssumedAbsent) instead of unknown.
struct Standing {
    Duration hold;
    std::span<const Day> cuts;
    bool absent = false;
};
// QSeg::obs of a value that no record gave: `recorded: when-present` read the absence as 0.
inline constexpr std::uint32_t kAssumedAbsent = 0xFFFFFFFFu;
void build_quantity(const Observation* begin, const Observation* end, std::uint32_t base_index, Standing st,
                    const Domain& dom, QuantSeries& out);
void build_boolean(const Observation* begin, const Observation* end, Standing st, const Domain& dom, TruthSeries& out);
void build_coded(const Observation* begin, const Observation* end, Standing st, const Domain& dom, int code,
                 bool negate, TruthSeries& out);
void compare_series(const QuantSeries& q, CmpOp op, double k, TruthSeries& out);

// The baseline result: the last one on a day in [anchor - window, anchor].
// Results after `until` (the as-of date) are not known yet and never count.
std::optional<std::uint32_t> baseline_index(const Observation* begin, const Observation* end, Day anchor, Duration window,
                                            Day until);

// Change of a quantity against its baseline or nadir, compared with k
// (relative: a fraction of the reference; by amount: in canonical units).
struct ChangeSpec {
    bool increase = false, by_amount = false, nadir = false;
    CmpOp op;
    double k = 0;
};
// Where change_series reports the reference it compared with on each day (for explanations):
// into `out` when not null, as record indices (base_index + position; the baseline is baseline_obs).
struct ChangeRefs {
    std::uint32_t base_index = 0, baseline_obs = 0;
    QuantSeries* out = nullptr;
};
void change_series(const QuantSeries& q, const Observation* begin, const Observation* end, std::optional<Day> anchor,
                   std::optional<Interval> baseline, const ChangeSpec& spec, const Domain& dom, TruthSeries& out,
                   ChangeRefs refs = {});

void not_series(TruthSeries& s);
// Kleene and/or over n series.
void and_series(std::span<const TruthSeries* const> in, const Domain& dom, TruthSeries& out);
void or_series(std::span<const TruthSeries* const> in, const Domain& dom, TruthSeries& out);
// At least `need` of `members` met; with `abnormal` flags (one per member, judged
// once), only members abnormal at baseline count (all of them when none was).
void at_least_series(std::span<const TruthSeries* const> members, std::span<const Truth> abnormal, int need,
                     const Domain& dom, TruthSeries& out);

// Met on t when met on every day of [t - d, t]; days before the domain are unknown.
void for_series(const TruthSeries& in, Duration d, const Domain& dom, TruthSeries& out);
void ever_series(const TruthSeries& in, const Domain& dom, TruthSeries& out);
// `never shown A since X`: days on which A is unknown are passed over, so a documented
// non-response is decided by the days the data speak for; not met before X.
// Returns the days that decide it: the first day from X on that A held (shown) and the first
// it was known not to hold (a documented non-response), when there are such days.
struct ShownDays {
    std::optional<Day> shown, not_shown;
};
ShownDays never_shown_series(const TruthSeries& in, DateVal anchor, const Domain& dom, TruthSeries& out);
// Restricts `in` to a window anchored at `anchor`. Returns the days it used: the day `at`
// read `in` on, or the window [from, to] kept (empty, from > to, when the anchor is not a known day).
struct WindowDays {
    std::optional<Day> read_on;
    Day from = 1, to = 0;
};
WindowDays window_series(const TruthSeries& in, WindowKind kind, DateVal anchor, Duration d, const Domain& dom,
                         TruthSeries& out);

void constant_series(Truth v, const Domain& dom, TruthSeries& out);
// Merges adjacent segments with equal values.
void normalize(TruthSeries& s);

// Treatments of a class as episodes: a course starting less than `gap` after the end of the
// episode before it (or while that one is continuous) joins it. Courses starting after `until`
// (the as-of date) have not happened and are left out.
void episodes_of(const Timeline& t, ClassId cls, Duration gap, Day until, std::vector<Episode>& out);
// The days new courses of therapy start, which end standing results (Standing::cuts): the
// starts of the episodes (as episodes_of, each class with its own episode_gap) of the classes
// in `classes` (those whose `cuts_results` is set). Stated phases refine this:
//  - an episode that a course in a phase with `cuts_results: false` starts (consolidation,
//    maintenance) continues the therapy under way and is not a cut; such courses still extend
//    the episodes they join, as every course does;
//  - a course in a cutting phase (induction) that joins an episode whose last stated phase
//    was a continuing one is a cut on its own day (re-induction during maintenance).
// On an episode's first day a stated cutting phase wins over a continuing one, which wins
// over none. Courses after `until` are left out. Sorted, without repeats.
void course_cuts(const Timeline& t, const Bindings& b, std::span<const ClassId> classes, Day until,
                 std::vector<Day>& out);
void on_class_series(const Timeline& t, ClassId cls, const Domain& dom, TruthSeries& out);

DateVal first_met(const TruthSeries& s, const Domain& dom);
DateVal last_met(const TruthSeries& s, const Domain& dom);
Truth compare_dates(DateVal a, CmpOp op, DateVal b);

}  // namespace crit
