#include "data/records.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace crit {

namespace {
struct ReasonRow {
    const char* name;
    RejectSeverity severity;
    const char* meaning;
};
constexpr ReasonRow kReasons[] = {
#define REJECT(name, text, severity, formats, meaning, example, fix) {text, RejectSeverity::severity, meaning},
#include "data/reject_reasons.def"
#undef REJECT
};
}  // namespace

const char* reject_reason_name(RejectReason r) { return kReasons[static_cast<std::size_t>(r)].name; }
const char* reject_reason_meaning(RejectReason r) { return kReasons[static_cast<std::size_t>(r)].meaning; }
bool is_skip(RejectReason r) { return kReasons[static_cast<std::size_t>(r)].severity == RejectSeverity::Skip; }

std::size_t reject_reason_count() { return std::size(kReasons); }

std::optional<RejectReason> reject_reason_by_name(std::string_view name) {
    for (std::size_t i = 0; i < std::size(kReasons); ++i)
        if (name == kReasons[i].name) return static_cast<RejectReason>(i);
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Shared record conversions

namespace facts {

std::optional<Fail> convert_unit(const Concept& c, double v, const std::string& unit_text, const Unit* known,
                                 double& out);

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

namespace {
// Reads a leading comparator; Eq (and false) when there is none.
bool take_comparator(std::string_view& s, Comparator& out) {
    auto eat = [&](std::string_view p) {
        if (s.substr(0, p.size()) != p) return false;
        s.remove_prefix(p.size());
        return true;
    };
    if (eat("<=") || eat("\u2264")) out = Comparator::Le;
    else if (eat(">=") || eat("\u2265")) out = Comparator::Ge;
    else if (eat("<")) out = Comparator::Lt;
    else if (eat(">")) out = Comparator::Gt;
    else if (eat("==") || eat("=")) out = Comparator::Eq;
    else {
        out = Comparator::Eq;
        return false;
    }
    return true;
}
}  // namespace

std::optional<Comparator> comparator_of(std::string_view s) {
    s = trim(s);
    Comparator c = Comparator::Eq;
    if (!take_comparator(s, c) || !s.empty()) return std::nullopt;
    return c;
}

std::optional<double> number_of(std::string_view s) {
    auto q = parse_qty_text(s);
    if (!q || q->has_cmp || !q->unit.empty()) return std::nullopt;
    return q->value;
}

std::optional<QtyText> parse_qty_text(std::string_view s) {
    QtyText q;
    s = trim(s);
    q.has_cmp = take_comparator(s, q.cmp);
    s = trim(s);
    if (!s.empty() && s.front() == '+') {
        s.remove_prefix(1);
        if (!s.empty() && s.front() == '-') return std::nullopt;  // `+-1` is not a number
    }
    // std::from_chars also reads "inf" and "nan"; only plain decimals are accepted.
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.' || s.front() == '-'))
        return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), q.value);
    if (ec != std::errc() || !std::isfinite(q.value)) return std::nullopt;
    q.unit = std::string(trim(s.substr(static_cast<std::size_t>(end - s.data()))));
    return q;
}

std::optional<Fail> to_concept_unit(const Concept& c, double v, const std::string& unit_text, double& out,
                                    const Unit* known) {
    if (auto f = convert_unit(c, v, unit_text, known, out)) return f;
    // Every quantity crit reads is a count, size, share or level: none is below zero, and
    // none is so large that the conversion overflows.
    if (v < 0 || out < 0)
        return Fail{RejectReason::BadValue, fmt::format("{} cannot be negative ({} {})", c.name, v, unit_text)};
    if (!std::isfinite(out))
        return Fail{RejectReason::BadValue, fmt::format("{} {} is out of range for {}", v, unit_text, c.name)};
    // A value no living patient has is a unit slip or a typo upstream: rejected, never
    // evaluated (a haemoglobin of 1,120 g/L would read as normal to every `>=` threshold).
    if (c.physiological && !c.physiological->contains(to_canonical(out, c.unit))) {
        bool below = to_canonical(out, c.unit) < c.physiological->lo;
        return Fail{RejectReason::Implausible,
                    fmt::format("{} {} is {} any physiological {} ({} to {} {})", v, unit_text.empty() ? c.unit.ucum : unit_text,
                                below ? "below" : "above", c.name, from_canonical(c.physiological->lo, c.unit),
                                from_canonical(c.physiological->hi, c.unit), c.unit.ucum)};
    }
    return std::nullopt;
}

std::optional<Fail> convert_unit(const Concept& c, double v, const std::string& unit_text, const Unit* known,
                                 double& out) {
    if (unit_text.empty()) {
        if (c.unit.dim == Dimension::None) {
            out = v;
            return std::nullopt;
        }
        return Fail{RejectReason::MissingUnit, fmt::format("{} needs a unit, e.g. {} {}", c.name, v, c.unit.ucum)};
    }
    std::optional<Unit> u = known ? std::optional<Unit>(*known) : find_unit(unit_text);
    if (!u) {
        std::string hint = closest_name(unit_text, unit_spellings());
        return Fail{RejectReason::UnknownUnit, fmt::format("unknown unit `{}` for {}{}", unit_text, c.name,
                                                hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint))};
    }
    if (u->dim != c.unit.dim)
        return Fail{RejectReason::UnitDimension,
                    fmt::format("`{}` is {}, but {} is {} (in {})", unit_text, dimension_name(u->dim), c.name,
                                dimension_name(c.unit.dim), c.unit.ucum.empty() ? "no unit" : c.unit.ucum)};
    out = v * u->factor / c.unit.factor;
    return std::nullopt;
}

ConceptId measure_for_unit(const Bindings& b, ConceptId c, std::string_view unit) {
    if (b.concepts[c].measures.empty()) return c;
    auto u = find_unit(trim(unit));
    if (!u) return c;
    return b.measure_with(c, u->dim).value_or(c);
}

std::optional<bool> boolean_of(std::string_view s) {
    std::string t = lower(trim(s));
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
    return std::nullopt;
}

std::optional<std::size_t> coded_index(const Concept& c, std::string_view s) {
    std::string t = lower(trim(s));
    for (std::size_t i = 0; i < c.values.size(); ++i)
        if (lower(c.values[i]) == t) return i;
    return std::nullopt;
}

std::string value_list(const Concept& c) {
    std::string list;
    for (const auto& v : c.values) list += (list.empty() ? "" : ", ") + v;
    return list;
}

void set_phase(const Bindings& b, std::size_t phase, Treatment& t) {
    t.phase = static_cast<int>(phase);
    for (ClassId c : b.phases[phase].classes)
        if (std::find(t.classes.begin(), t.classes.end(), c) == t.classes.end()) t.classes.push_back(c);
}

std::optional<Fail> phase_of(const Bindings& b, std::string_view value, Treatment& t) {
    std::string_view v = trim(value);
    if (auto p = b.phase_by_name(v)) {
        set_phase(b, *p, t);
        return std::nullopt;
    }
    auto names = b.phase_names();
    std::string known;
    for (const auto& n : names) known += fmt::format("{}{}", known.empty() ? "" : ", ", n);
    if (v.empty()) return Fail{RejectReason::UnknownPhase, fmt::format("the phase of treatment {} is empty", t.drug)};
    std::string hint = closest_name(lower(v), names);
    return Fail{RejectReason::UnknownPhase,
                fmt::format("`{}` is not a phase in the bindings ({}){}", v,
                            known.empty() ? "the bindings declare no `phases:`" : known,
                            hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint))};
}

std::string unknown_drug(const Bindings& b, const std::string& name) {
    std::string hint = closest_name(name, b.drug_names());
    return fmt::format("`{}` is not a drug in the bindings{}", name, hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint));
}

}  // namespace facts

}  // namespace crit
