// Unit spellings and conversions, against the unit facts of data-contract.md.
#include <catch2/catch.hpp>

#include "core/units.hpp"

using namespace crit;
using Catch::Detail::Approx;

namespace {
Unit unit(const char* s) {
    auto u = find_unit(s);
    INFO(s);
    REQUIRE(u.has_value());
    return *u;
}
double canon(double v, const char* s) { return to_canonical(v, unit(s)); }
}  // namespace

TEST_CASE("cell counts: 1 10*3/uL = 1 10*9/L and 1 /uL = 0.001 10*9/L", "[units]") {
    CHECK(unit("10*9/L").dim == Dimension::NumberConc);
    CHECK(canon(1, "10*9/L") == Approx(1.0));
    CHECK(canon(1, "10*3/uL") == Approx(1.0));
    CHECK(canon(1, "/uL") == Approx(0.001));
    CHECK(canon(4500, "/uL") == Approx(4.5));
    CHECK(canon(150, "x10^9/L") == Approx(150));
    CHECK(canon(150, "x 10^9/L") == Approx(150));  // spaces are ignored
    CHECK(canon(150, "10^9/L") == Approx(150));
    CHECK(canon(150, "G/L") == Approx(150));
    CHECK(canon(150, "K/uL") == Approx(150));
    CHECK(canon(150, "10*3/mm3") == Approx(150));
    CHECK(canon(1500, "/mm3") == Approx(1.5));
    CHECK(canon(1500, "/\xC2\xB5L") == Approx(1.5));  // "/µL"
    CHECK(canon(1500, "10*6/L") == Approx(1.5));
    CHECK(canon(2e9, "/L") == Approx(2.0));
    // The canonical spelling of each unit is its UCUM form.
    CHECK(unit("x10^9/L").ucum == "10*9/L");
    CHECK(unit("K/uL").ucum == "10*3/uL");
    CHECK(unit("/\xC2\xB5L").ucum == "/uL");
}

TEST_CASE("mass concentration: 1 g/dL = 10 g/L", "[units]") {
    CHECK(unit("g/L").dim == Dimension::MassConc);
    CHECK(unit("g/dL").dim == Dimension::MassConc);
    CHECK(canon(1, "g/dL") == Approx(10.0));
    CHECK(canon(12.1, "g/dL") == Approx(121.0));
    CHECK(canon(110, "g/L") == Approx(110.0));
    CHECK(canon(11000, "mg/dL") == Approx(110.0));
    CHECK(from_canonical(110.0, unit("g/dL")) == Approx(11.0));
}

TEST_CASE("fractions: % and the UCUM unity, MRD 10^-4 = 0.01 %", "[units]") {
    CHECK(unit("%").dim == Dimension::Fraction);
    CHECK(canon(30, "%") == Approx(30));
    CHECK(unit("1").dim == Dimension::Fraction);
    CHECK(canon(1e-4, "1") == Approx(0.01));
}

TEST_CASE("lengths and areas", "[units]") {
    CHECK(canon(13, "cm") == Approx(13));
    CHECK(canon(15, "mm") == Approx(1.5));
    CHECK(canon(25, "cm2") == Approx(25));
    CHECK(canon(25, "cm^2") == Approx(25));
    CHECK(canon(2500, "mm2") == Approx(25));
    CHECK(unit("cm").dim == Dimension::Length);
    CHECK(unit("mm2").dim == Dimension::Area);
    CHECK(canon(2, "a") == Approx(730.5));
    CHECK(unit("d").dim == Dimension::Time);
}

TEST_CASE("every canonical unit is a unit of its own dimension with factor 1", "[units]") {
    for (Dimension d : {Dimension::NumberConc, Dimension::MassConc, Dimension::Fraction, Dimension::Length,
                        Dimension::Area, Dimension::Time}) {
        INFO(dimension_name(d));
        Unit u = unit(canonical_unit(d));
        CHECK(u.dim == d);
        CHECK(u.factor == 1.0);
        CHECK(u.ucum == canonical_unit(d));
    }
    CHECK(std::string(canonical_unit(Dimension::NumberConc)) == "10*9/L");
    CHECK(std::string(canonical_unit(Dimension::MassConc)) == "g/L");
    CHECK(std::string(canonical_unit(Dimension::None)).empty());
}

TEST_CASE("every listed spelling is found and has a positive factor", "[units]") {
    auto all = unit_spellings();
    CHECK(all.size() >= 20);
    for (const auto& s : all) {
        INFO(s);
        auto u = find_unit(s);
        REQUIRE(u.has_value());
        CHECK(u->factor > 0);
        CHECK(u->dim != Dimension::None);
    }
}

TEST_CASE("unknown units are not found", "[units]") {
    CHECK_FALSE(find_unit("furlong"));
    CHECK_FALSE(find_unit(""));
    CHECK_FALSE(find_unit("mg"));
    CHECK_FALSE(find_unit("cells"));
    CHECK_FALSE(find_unit("10*9"));
}
