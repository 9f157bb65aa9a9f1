// The time model: civil days, dateTimes with offsets, calendar-month arithmetic.
#include <catch2/catch.hpp>

#include "core/dates.hpp"

using namespace crit;

namespace {
Day day(const char* s) {
    auto d = parse_day(s);
    REQUIRE(d.has_value());
    return *d;
}
}  // namespace

TEST_CASE("parse_day reads plain dates", "[dates]") {
    CHECK(parse_day("1970-01-01") == Day{0});
    CHECK(parse_day("1970-01-02") == Day{1});
    CHECK(parse_day("1969-12-31") == Day{-1});
    CHECK(parse_day("2000-03-01") == Day{11017});
    CHECK(format_day(day("2024-01-10")) == "2024-01-10");
    CHECK(format_day(day("2024-02-29")) == "2024-02-29");  // leap year
    CHECK(year_of(day("2024-12-31")) == 2024);
    CHECK(day("2024-03-01") - day("2024-02-28") == 2);
    CHECK(day("2023-03-01") - day("2023-02-28") == 1);
}

TEST_CASE("parse_day reads partial dates as their first day", "[dates]") {
    CHECK(format_day(day("2024-03")) == "2024-03-01");
    CHECK(format_day(day("2024")) == "2024-01-01");
}

TEST_CASE("parse_day keeps the calendar date of a dateTime in its own offset", "[dates]") {
    // Late evening in New York is the next day in UTC; crit keeps the date as written.
    CHECK(format_day(day("2024-03-01T23:30:00-05:00")) == "2024-03-01");
    CHECK(format_day(day("2024-03-01T00:30:00+14:00")) == "2024-03-01");
    CHECK(format_day(day("2024-03-01T10:00:00Z")) == "2024-03-01");
    CHECK(format_day(day("2024-03-01T10:00:00.123+02:00")) == "2024-03-01");
    CHECK(format_day(day("2024-03-01T10:00")) == "2024-03-01");
    CHECK(format_day(day("2024-03-01 10:00:00")) == "2024-03-01");
}

TEST_CASE("parse_day rejects invalid dates", "[dates]") {
    CHECK_FALSE(parse_day("2023-02-29"));  // 2023 is not a leap year
    CHECK_FALSE(parse_day("1900-02-29"));  // centuries are not leap years unless divisible by 400
    CHECK(parse_day("2000-02-29"));
    CHECK_FALSE(parse_day("2024-02-30"));
    CHECK_FALSE(parse_day("2024-04-31"));
    CHECK_FALSE(parse_day("2024-13-01"));
    CHECK_FALSE(parse_day("2024-00-10"));
    CHECK_FALSE(parse_day("2024-01-00"));
    CHECK_FALSE(parse_day("2024-1-05"));
    CHECK_FALSE(parse_day("24-01-05"));
    CHECK_FALSE(parse_day(""));
    CHECK_FALSE(parse_day("yesterday"));
    CHECK_FALSE(parse_day("2024-01-05junk"));
    CHECK_FALSE(parse_day("2024-01-05T25:00"));
    CHECK_FALSE(parse_day("2024-01-05T10:61"));
    CHECK_FALSE(parse_day("2024-01-05T10:00:00+5"));
    CHECK_FALSE(parse_day("1700-01-01"));  // outside the plausible range
}

TEST_CASE("add: months first, clamped to the month's last day", "[dates]") {
    CHECK(format_day(add(day("2023-01-31"), Duration{1, 0})) == "2023-02-28");
    CHECK(format_day(add(day("2024-01-31"), Duration{1, 0})) == "2024-02-29");
    CHECK(format_day(add(day("2024-02-29"), Duration{12, 0})) == "2025-02-28");
    CHECK(format_day(add(day("2024-02-29"), Duration{48, 0})) == "2028-02-29");
    CHECK(format_day(add(day("2024-03-31"), Duration{1, 0})) == "2024-04-30");
    CHECK(format_day(add(day("2024-11-15"), Duration{2, 0})) == "2025-01-15");
    CHECK(format_day(add(day("2024-01-10"), Duration{0, 0})) == "2024-01-10");
    // Months, then days: Jan 31 + 1mo = Feb 29, + 1d = Mar 1.
    CHECK(format_day(add(day("2024-01-31"), Duration{1, 1})) == "2024-03-01");
}

TEST_CASE("add: weeks and days are exact day counts", "[dates]") {
    CHECK(format_day(add(day("2024-01-01"), Duration{0, 28})) == "2024-01-29");
    CHECK(format_day(add(day("2024-02-25"), Duration{0, 7})) == "2024-03-03");
    CHECK(format_day(add(day("2023-02-25"), Duration{0, 7})) == "2023-03-04");
    CHECK(add(day("2024-01-01"), Duration{0, 90}) - day("2024-01-01") == 90);
}

TEST_CASE("subtract mirrors add with the same clamping", "[dates]") {
    CHECK(format_day(subtract(day("2024-03-31"), Duration{1, 0})) == "2024-02-29");
    CHECK(format_day(subtract(day("2023-03-31"), Duration{1, 0})) == "2023-02-28");
    CHECK(format_day(subtract(day("2025-02-28"), Duration{12, 0})) == "2024-02-28");
    CHECK(format_day(subtract(day("2024-01-15"), Duration{2, 0})) == "2023-11-15");
    CHECK(format_day(subtract(day("2024-03-01"), Duration{0, 1})) == "2024-02-29");
    CHECK(format_day(subtract(day("2024-03-03"), Duration{0, 14})) == "2024-02-18");
}

TEST_CASE("format_duration prints the shortest unit", "[dates]") {
    CHECK(format_duration(Duration{2, 0}) == "2mo");
    CHECK(format_duration(Duration{12, 0}) == "1y");
    CHECK(format_duration(Duration{36, 0}) == "3y");
    CHECK(format_duration(Duration{18, 0}) == "18mo");
    CHECK(format_duration(Duration{0, 28}) == "4wk");
    CHECK(format_duration(Duration{0, 90}) == "90d");
    CHECK(format_duration(Duration{0, 0}) == "0d");
    CHECK(format_duration(Duration{2, 3}) == "2mo 3d");
}

TEST_CASE("parse_duration reads literals and words", "[dates]") {
    CHECK(parse_duration("2mo") == Duration{2, 0});
    CHECK(parse_duration("8wk") == Duration{0, 56});
    CHECK(parse_duration("90d") == Duration{0, 90});
    CHECK(parse_duration("3y") == Duration{36, 0});
    CHECK(parse_duration("6 months") == Duration{6, 0});
    CHECK(parse_duration("1 week") == Duration{0, 7});
    CHECK(parse_duration("2 years") == Duration{24, 0});
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("mo"));
    CHECK_FALSE(parse_duration("-2mo"));
    CHECK_FALSE(parse_duration("2 fortnights"));
    CHECK_FALSE(parse_duration("2.5mo"));
    CHECK_FALSE(parse_duration("1234567d"));  // more than 6 digits
}

TEST_CASE("format_duration and parse_duration round-trip", "[dates]") {
    for (Duration d : {Duration{2, 0}, Duration{12, 0}, Duration{36, 0}, Duration{5, 0}, Duration{0, 28},
                       Duration{0, 90}, Duration{0, 1}, Duration{0, 0}}) {
        INFO(format_duration(d));
        auto back = parse_duration(format_duration(d));
        REQUIRE(back.has_value());
        CHECK(*back == d);
    }
}

TEST_CASE("max_days bounds a duration with 31-day months", "[dates]") {
    CHECK(max_days(Duration{2, 3}) == 65);
    CHECK(max_days(Duration{0, 90}) == 90);
    CHECK(max_days(Duration{12, 0}) == 372);
}
