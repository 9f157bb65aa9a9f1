// Units of measure: a small, data-driven table of the UCUM units crit meets in
// rules and in data (docs/units.md). Each unit maps to a dimension and a factor
// to that dimension's canonical unit; conversion never crosses dimensions.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crit {

enum class Dimension {
    None,          // a bare number (counts of items, ages in years as numbers)
    NumberConc,    // cells per volume; canonical 10*9/L
    MassConc,      // mass per volume; canonical g/L
    Fraction,      // proportion; canonical %
    Length,        // canonical cm
    Area,          // canonical cm2
    Time,          // canonical days (ages)
};

const char* dimension_name(Dimension d);
// The canonical UCUM unit of a dimension, e.g. "10*9/L".
const char* canonical_unit(Dimension d);

struct Unit {
    std::string ucum;          // canonical UCUM spelling of this unit, e.g. "g/dL"
    Dimension dim = Dimension::None;
    double factor = 1.0;       // value_in_canonical = value * factor
};

// Looks up a unit as written in a rule or in data ("x10^9/L", "10*9/L", "/uL",
// "/µL", "g/dL", "%", "cm2", ...). nullopt when unknown.
std::optional<Unit> find_unit(std::string_view spelling);
// The units of a dimension, one spelling each (UCUM), canonical first.
std::vector<Unit> units_of(Dimension d);
// All accepted spellings (for "did you mean" and docs).
std::vector<std::string> unit_spellings();

// A quantity in canonical units of its dimension.
struct Quantity {
    double value = 0;
    Dimension dim = Dimension::None;
};

// Converts value in `unit` to the canonical unit of its dimension.
inline double to_canonical(double v, const Unit& u) { return v * u.factor; }
inline double from_canonical(double v, const Unit& u) { return v / u.factor; }

}  // namespace crit
