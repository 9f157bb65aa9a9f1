#include "core/units.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace crit {

namespace {
struct Row {
    const char* spelling;
    const char* ucum;
    Dimension dim;
    double factor;
};
// Spellings as written in rules (x10^9/L) and in data (UCUM 10*9/L). Facts from
// data-contract.md: 1 10*3/uL = 1 10*9/L; 1 /uL = 0.001 10*9/L; 1 g/dL = 10 g/L.
constexpr Row kUnits[] = {
    {"10*9/L", "10*9/L", Dimension::NumberConc, 1.0},
    {"x10^9/L", "10*9/L", Dimension::NumberConc, 1.0},
    {"10^9/L", "10*9/L", Dimension::NumberConc, 1.0},
    {"x10*9/L", "10*9/L", Dimension::NumberConc, 1.0},
    {"G/L", "10*9/L", Dimension::NumberConc, 1.0},
    {"10*3/uL", "10*3/uL", Dimension::NumberConc, 1.0},
    {"x10^3/uL", "10*3/uL", Dimension::NumberConc, 1.0},
    {"10^3/uL", "10*3/uL", Dimension::NumberConc, 1.0},
    {"10*3/mm3", "10*3/uL", Dimension::NumberConc, 1.0},
    {"K/uL", "10*3/uL", Dimension::NumberConc, 1.0},
    {"/uL", "/uL", Dimension::NumberConc, 0.001},
    {"/µL", "/uL", Dimension::NumberConc, 0.001},
    {"/mm3", "/uL", Dimension::NumberConc, 0.001},
    {"10*6/L", "10*6/L", Dimension::NumberConc, 0.001},
    {"/L", "/L", Dimension::NumberConc, 1e-9},
    {"g/L", "g/L", Dimension::MassConc, 1.0},
    {"g/dL", "g/dL", Dimension::MassConc, 10.0},
    {"mg/dL", "mg/dL", Dimension::MassConc, 0.01},
    {"%", "%", Dimension::Fraction, 1.0},
    {"1", "1", Dimension::Fraction, 100.0},
    {"cm", "cm", Dimension::Length, 1.0},
    {"mm", "mm", Dimension::Length, 0.1},
    {"cm2", "cm2", Dimension::Area, 1.0},
    {"cm^2", "cm2", Dimension::Area, 1.0},
    {"mm2", "mm2", Dimension::Area, 0.01},
    {"d", "d", Dimension::Time, 1.0},
    {"a", "a", Dimension::Time, 365.25},
    {"years", "a", Dimension::Time, 365.25},
};
}  // namespace

const char* dimension_name(Dimension d) {
    switch (d) {
        case Dimension::None: return "a plain number";
        case Dimension::NumberConc: return "a cell count (per volume)";
        case Dimension::MassConc: return "a mass concentration";
        case Dimension::Fraction: return "a percentage";
        case Dimension::Length: return "a length";
        case Dimension::Area: return "an area";
        case Dimension::Time: return "a time";
    }
    return "?";
}

const char* canonical_unit(Dimension d) {
    switch (d) {
        case Dimension::None: return "";
        case Dimension::NumberConc: return "10*9/L";
        case Dimension::MassConc: return "g/L";
        case Dimension::Fraction: return "%";
        case Dimension::Length: return "cm";
        case Dimension::Area: return "cm2";
        case Dimension::Time: return "d";
    }
    return "";
}

std::optional<Unit> find_unit(std::string_view s) {
    // Every record with a quantity looks its unit up: a table sorted once by spelling,
    // searched without copying the text unless it has spaces to drop.
    static const std::vector<std::pair<std::string_view, const Row*>> sorted = [] {
        std::vector<std::pair<std::string_view, const Row*>> v;
        for (const auto& r : kUnits) v.emplace_back(r.spelling, &r);
        std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        return v;
    }();
    // "x 10^9/L" and "10⁹/L"-style variants are normalised by dropping spaces.
    std::string compact;
    if (s.find(' ') != std::string_view::npos) {
        for (char c : s)
            if (c != ' ') compact += c;
        s = compact;
    }
    auto it = std::lower_bound(sorted.begin(), sorted.end(), s,
                               [](const auto& e, std::string_view k) { return e.first < k; });
    if (it == sorted.end() || it->first != s) return std::nullopt;
    const Row& r = *it->second;
    return Unit{r.ucum, r.dim, r.factor};
}

std::vector<Unit> units_of(Dimension d) {
    std::vector<Unit> v;
    if (d != Dimension::None) v.push_back(*find_unit(canonical_unit(d)));
    for (const auto& r : kUnits)
        if (r.dim == d && std::none_of(v.begin(), v.end(), [&](const Unit& u) { return u.ucum == r.ucum; }))
            v.push_back(Unit{r.ucum, r.dim, r.factor});
    return v;
}

std::vector<std::string> unit_spellings() {
    std::vector<std::string> v;
    for (const auto& r : kUnits) v.emplace_back(r.spelling);
    return v;
}

}  // namespace crit
