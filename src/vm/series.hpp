// Runtime values: everything a criterion says is a function of the patient's
// days, stored as piecewise-constant segments over the evaluation domain
// [lo, hi] (first data day .. as-of date). docs/semantics.md defines them.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/dates.hpp"
#include "core/vocabulary.hpp"

namespace crit {

// Three-valued truth (Kleene). Missing data is Unknown, never Met or NotMet.
enum class Truth : std::uint8_t { NotMet = 0, Met = 1, Unknown = 2 };
const char* truth_name(Truth t);

struct Domain {
    Day lo = 0, hi = 0;  // inclusive
};

// Segment [start, next.start) of a truth series; the last runs to Domain::hi.
struct TSeg {
    Day start;
    Truth v;
};
using TruthSeries = std::vector<TSeg>;

// A value known to lie in an interval: exact results have lo == hi;
// a censored "<0.01 %" is [0, 0.01) (hi_open).
struct Interval {
    double lo = 0, hi = 0;
    bool lo_open = false, hi_open = false;
};

struct QSeg {
    Day start;
    bool known = false;
    Interval v;
    std::uint32_t obs = 0;  // index into Timeline::observations of the result standing here
};
using QuantSeries = std::vector<QSeg>;

// A date that may be unknown (missing data) or never (has not happened).
struct DateVal {
    enum class State : std::uint8_t { Known, Never, Unknown } state = State::Unknown;
    Day day = 0;
    static DateVal known(Day d) { return {State::Known, d}; }
    static DateVal never() { return {State::Never, 0}; }
    static DateVal unknown() { return {State::Unknown, 0}; }
};

struct Episode {
    Day start = 0;
    std::optional<Day> end;  // empty: continuous therapy, still running
};

// One stack or slot value; `kind` says which member is live: Truth (t), Quantity (q),
// Date (d) or Episode (e).
struct Value {
    Type kind = Type::Truth;
    TruthSeries t;
    QuantSeries q;
    DateVal d;
    std::vector<Episode> e;
};

// Truth of a series on day `d` (Unknown outside the domain).
Truth sample(const TruthSeries& s, const Domain& dom, Day d);
// The segment standing on day `d`, or nullptr outside the domain.
const QSeg* sample(const QuantSeries& s, const Domain& dom, Day d);
// Last day of segment i.
inline Day seg_end(const TruthSeries& s, std::size_t i, const Domain& dom) {
    return i + 1 < s.size() ? s[i + 1].start - 1 : dom.hi;
}

}  // namespace crit
