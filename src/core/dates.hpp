// Calendar days and durations: the time model of crit (docs/semantics.md, "Time").
// A Day is a civil date (no time of day); month arithmetic is calendar-correct.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crit {

// Days since 1970-01-01 (proleptic Gregorian).
using Day = std::int32_t;

// Parses "YYYY-MM-DD", or a FHIR dateTime "YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm]",
// or a partial "YYYY-MM" / "YYYY" (taken as the first day). A dateTime gives the
// calendar date as written in its own offset. Returns nullopt when invalid.
std::optional<Day> parse_day(std::string_view text);
std::string format_day(Day d);
int year_of(Day d);

// A duration literal: calendar months plus days (2mo = {2,0}; 4wk = {0,28}).
struct Duration {
    std::int32_t months = 0;
    std::int32_t days = 0;
    bool operator==(const Duration&) const = default;
};

// d + dur: months first (clamped to the month's last day: Jan 31 + 1mo = Feb 28/29), then days.
Day add(Day d, Duration dur);
// d - dur, with the same clamping rule.
Day subtract(Day d, Duration dur);
// "2mo", "4wk", "90d", "3y" (months that are whole years print as years).
std::string format_duration(Duration d);
// Parses "2mo", "8wk", "90d", "3y", "6 months"; nullopt if not a duration.
std::optional<Duration> parse_duration(std::string_view text);
// An upper bound in days, for sanity checks (a month counts 31 days).
std::int64_t max_days(Duration d);

}  // namespace crit
