#include "core/dates.hpp"

#include <cctype>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace crit {

namespace ch = std::chrono;

static bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

static Day to_day(const ch::year_month_day& ymd) {
    return static_cast<Day>(ch::sys_days(ymd).time_since_epoch().count());
}

static ch::year_month_day to_ymd(Day d) { return ch::year_month_day(ch::sys_days(ch::days(d))); }

std::optional<Day> parse_day(std::string_view s) {
    int y = 0, m = 1, dd = 1;
    if (!digits(s, 0, 4, y)) return std::nullopt;
    std::size_t pos = 4;
    if (pos < s.size()) {
        if (s[pos] != '-' || !digits(s, pos + 1, 2, m)) return std::nullopt;
        pos += 3;
        if (pos < s.size()) {
            if (s[pos] != '-' || !digits(s, pos + 1, 2, dd)) return std::nullopt;
            pos += 3;
        }
    }
    if (pos < s.size()) {
        // Time part: the date is kept as written in the record's own offset.
        if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
        int hh, mi;
        if (!digits(s, pos + 1, 2, hh) || s.size() < pos + 6 || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mi))
            return std::nullopt;
        if (hh > 23 || mi > 59) return std::nullopt;  // FHIR times run 00:00 to 23:59 (no 24:00)
        std::size_t p = pos + 6;
        if (p < s.size() && s[p] == ':') {
            int ss;
            if (!digits(s, p + 1, 2, ss) || ss > 60) return std::nullopt;
            p += 3;
            if (p < s.size() && s[p] == '.') {
                ++p;
                while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
            }
        }
        if (p < s.size()) {
            if (s[p] == 'Z') {
                ++p;
            } else if (s[p] == '+' || s[p] == '-') {
                int oh, om;
                if (!digits(s, p + 1, 2, oh) || s.size() < p + 6 || s[p + 3] != ':' || !digits(s, p + 4, 2, om))
                    return std::nullopt;
                if (oh > 14 || om > 59) return std::nullopt;  // UTC offsets run -12:00 .. +14:00
                p += 6;
            }
        }
        if (p != s.size()) return std::nullopt;
    }
    ch::year_month_day ymd{ch::year(y), ch::month(static_cast<unsigned>(m)), ch::day(static_cast<unsigned>(dd))};
    if (!ymd.ok() || y < 1800 || y > 2400) return std::nullopt;
    return to_day(ymd);
}

std::string format_day(Day d) {
    auto ymd = to_ymd(d);
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

int year_of(Day d) { return static_cast<int>(to_ymd(d).year()); }

static Day add_months(Day d, std::int32_t months) {
    if (months == 0) return d;
    auto ymd = to_ymd(d);
    auto moved = ch::year_month(ymd.year(), ymd.month()) + ch::months(months);
    auto last = ch::year_month_day_last(moved.year(), ch::month_day_last(moved.month())).day();
    auto day = ymd.day() > last ? last : ymd.day();
    return to_day(ch::year_month_day(moved.year(), moved.month(), day));
}

Day add(Day d, Duration dur) { return add_months(d, dur.months) + dur.days; }
Day subtract(Day d, Duration dur) { return add_months(d, -dur.months) - dur.days; }

std::string format_duration(Duration d) {
    std::string out;
    if (d.months) out += d.months % 12 == 0 ? fmt::format("{}y", d.months / 12) : fmt::format("{}mo", d.months);
    if (d.days || out.empty()) {
        if (!out.empty()) out += ' ';
        out += d.days % 7 == 0 && d.days ? fmt::format("{}wk", d.days / 7) : fmt::format("{}d", d.days);
    }
    return out;
}

std::optional<Duration> parse_duration(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || i > 6) return std::nullopt;
    int n = 0;
    std::from_chars(s.data(), s.data() + i, n);
    while (i < s.size() && s[i] == ' ') ++i;
    std::string_view u = s.substr(i);
    if (u == "d" || u == "day" || u == "days") return Duration{0, n};
    if (u == "wk" || u == "w" || u == "week" || u == "weeks") return Duration{0, 7 * n};
    if (u == "mo" || u == "month" || u == "months") return Duration{n, 0};
    if (u == "y" || u == "yr" || u == "year" || u == "years") return Duration{12 * n, 0};
    return std::nullopt;
}

std::int64_t max_days(Duration d) { return 31LL * d.months + d.days; }

}  // namespace crit
