// Diagnostics own their location: they outlive the file they cite, and a long
// line (a minified Bundle) is cited as a window around the span.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "core/diag.hpp"

using namespace crit;

TEST_CASE("a diagnostic outlives the file it cites", "[diag]") {
    Diagnostics d;
    {
        auto f = std::make_shared<SourceFile>("data.yaml", "patient: p1\ntimeline:\n  - {date: 2024-13-01}\n");
        std::uint32_t at = f->offset_of(3, 12);
        d.error(DiagCode::Timeline, Span{f.get(), at, at + 10}, "not a date");
        CHECK(f.use_count() == 1);  // nothing else holds the file
    }
    REQUIRE(d.items().size() == 1);
    const Location& l = d.items()[0].at;
    CHECK(l.where() == "data.yaml:3:12");
    CHECK(l.offset == 33);
    CHECK(render(d) ==
          "data.yaml:3:12: error[timeline]: not a date\n"
          "    3 |   - {date: 2024-13-01}\n"
          "      |            ^^^^^^^^^^\n");
}

TEST_CASE("a long line is cited as a window around the span", "[diag]") {
    std::string line = std::string(5000, 'x') + "\"BAD\"" + std::string(5000, 'y');
    auto f = std::make_shared<SourceFile>("bundle.json", line + "\n");
    Diagnostics d;
    d.error(DiagCode::Timeline, Span{f.get(), 5000, 5005}, "bad value");
    f.reset();
    const Location& l = d.items()[0].at;
    CHECK(l.column == 5001);
    CHECK(l.excerpt.size() <= 240);
    CHECK(l.excerpt.substr(static_cast<std::size_t>(l.excerpt_column - 1), 5) == "\"BAD\"");
    std::string shown = render(d);
    CHECK(shown.rfind("bundle.json:1:5001: error[timeline]: bad value\n", 0) == 0);
    CHECK(shown.find(std::string(80, ' ') + "^^^^^") != std::string::npos);
    CHECK(shown.size() < 700);
}
