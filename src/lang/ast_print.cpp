#include "lang/ast_print.hpp"

#include <fmt/format.h>

namespace crit {

namespace {

const char* combinator_name(const Expr& e) {
    switch (e.combinator) {
        case Combinator::All: return "all of";
        case Combinator::Any: return "any of";
        case Combinator::None: return "none of";
        case Combinator::AtLeast: return "at least";
    }
    return "?";
}

std::string number_text(double v) {
    std::string s = fmt::format("{}", v);
    return s;
}

std::string quantity_text(const Expr& e) {
    if (e.text.empty()) return number_text(e.number);
    bool tight = e.text == "%";
    return number_text(e.number) + (tight ? "" : " ") + e.text;
}

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

bool label_is_bare(const std::string& s) {
    if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != '+') return false;
    return true;
}

}  // namespace

std::string dump_expr(const Expr& e) {
    auto kid = [&](std::size_t i) { return i < e.kids.size() && e.kids[i] ? dump_expr(*e.kids[i]) : std::string("_"); };
    switch (e.kind) {
        // After check: `lymphocytes[lymphocytes_percent]` when a unit picked another measure.
        case ExprKind::Name: return e.r.measure.empty() ? e.text : e.text + "[" + e.r.measure + "]";
        case ExprKind::Quantity: return quantity_text(e);
        case ExprKind::DateLit: return format_day(e.day);
        case ExprKind::Compare: return fmt::format("({} {} {})", cmp_name(e.op), kid(0), kid(1));
        case ExprKind::Change:
            return fmt::format("({}{} {} {} {} {})", e.increase ? "increased" : "decreased", e.by_amount ? "-by" : "",
                               cmp_name(e.op), kid(0), kid(1), e.ref == RefPoint::Nadir ? "nadir" : "baseline");
        case ExprKind::IsValue: return fmt::format("({} {} {})", e.negated ? "is-not" : "is", kid(0), e.text);
        case ExprKind::Not: return "(not " + kid(0) + ")";
        case ExprKind::Ever: return "(ever " + kid(0) + ")";
        case ExprKind::Never: return "(never " + kid(0) + ")";
        case ExprKind::NeverShown: return "(never-shown " + kid(0) + " since " + kid(1) + ")";
        case ExprKind::Known: return "(known " + kid(0) + ")";
        case ExprKind::IsUnknown: return "(unknown " + kid(0) + ")";
        case ExprKind::And:
        case ExprKind::Or: {
            std::string s = e.kind == ExprKind::And ? "(and" : "(or";
            for (std::size_t i = 0; i < e.kids.size(); ++i) {
                s += ' ';
                s += kid(i);
            }
            return s + ")";
        }
        case ExprKind::Unless: return fmt::format("(unless {} {})", kid(0), kid(1));
        case ExprKind::Temporal:
            if (e.temporal == TemporalKind::For) return fmt::format("(for {} {})", format_duration(e.dur), kid(0));
            if (e.temporal == TemporalKind::Within || e.temporal == TemporalKind::AtLeastAfter)
                return fmt::format("({} {} {} {})", e.temporal == TemporalKind::Within ? "within" : "at-least-after",
                                   format_duration(e.dur), kid(1), kid(0));
            if (e.temporal == TemporalKind::MeasuredFrom) return fmt::format("(measured-from {} {})", kid(1), kid(0));
            return fmt::format("({} {} {})", temporal_name(e.temporal), kid(1), kid(0));
        case ExprKind::Group: {
            std::string s = fmt::format("({}", e.combinator == Combinator::AtLeast
                                                   ? fmt::format("at-least {}", e.count)
                                                   : std::string(combinator_name(e)));
            if (e.among_abnormal) s += " among-abnormal";
            for (std::size_t i = 0; i < e.kids.size(); ++i) {
                s += ' ';
                s += kid(i);
            }
            return s + ")";
        }
        case ExprKind::First: return "(first " + kid(0) + ")";
        case ExprKind::Last: return "(last " + kid(0) + ")";
        case ExprKind::Field: return fmt::format("(.{} {})", e.text, kid(0));
        case ExprKind::DateOffset:
            return fmt::format("({} {} {})", e.dur.months < 0 || e.dur.days < 0 ? "-" : "+", kid(0),
                               format_duration(Duration{std::abs(e.dur.months), std::abs(e.dur.days)}));
        case ExprKind::OnClass: return "(on-class " + e.text + ")";
        case ExprKind::TreatmentOf: return "(treatment-of " + e.text + ")";
    }
    return "?";
}

std::string dump_module(const Module& m) {
    std::string out;
    if (m.header) {
        const auto& h = *m.header;
        out += fmt::format("(guideline {} version={} disease={} source={}{}{})\n", quote(h.name), quote(h.version),
                           quote(h.disease), quote(h.source), h.bindings.empty() ? "" : " bindings=" + quote(h.bindings),
                           h.hold ? " hold=" + format_duration(*h.hold) : "");
    }
    if (m.baseline)
        out += fmt::format("(baseline window={} {})\n", format_duration(m.baseline->window), dump_expr(*m.baseline->anchor));
    for (const auto& d : m.definitions) out += fmt::format("(define {} {})\n", d.name, dump_expr(*d.value));
    for (const auto& n : m.normals) out += fmt::format("(normal {} {})\n", n.concept_name, dump_expr(*n.expr));
    for (const auto& c : m.criteria) {
        out += fmt::format("(criterion {}", c.name);
        if (!c.title.empty()) out += fmt::format(" {}", quote(c.title));
        for (const auto& ci : c.cites) out += fmt::format(" (cite {})", quote(ci));
        out += fmt::format(" {})\n", dump_expr(*c.body));
    }
    for (const auto& r : m.results) {
        out += fmt::format("(result {}", r.name);
        if (r.kind == ResultDef::Kind::Value) out += fmt::format(" {}", dump_expr(*r.value));
        else {
            out += r.kind == ResultDef::Kind::FirstOf ? " (first-of" : " (choices";
            for (const auto& ch : r.choices) out += fmt::format(" ({} {})", quote(ch.label), dump_expr(*ch.cond));
            if (r.else_label) out += fmt::format(" (else {})", quote(*r.else_label));
            if (r.until) out += fmt::format(" (until {})", dump_expr(*r.until));
            out += ")";
        }
        out += ")\n";
    }
    return out;
}

std::string expr_source(const Expr& e) {
    auto kid = [&](std::size_t i) -> std::string {
        if (i >= e.kids.size() || !e.kids[i]) return "";
        const Expr& k = *e.kids[i];
        bool wrap = (k.kind == ExprKind::Or || k.kind == ExprKind::And || k.kind == ExprKind::Unless) &&
                    (e.kind != k.kind);
        return wrap ? fmt::format("({})", expr_source(k)) : expr_source(k);
    };
    auto subject = [&]() { return e.kids[0] ? kid(0) + " " : std::string(); };
    switch (e.kind) {
        case ExprKind::Name: return e.text;
        case ExprKind::Quantity: return quantity_text(e);
        case ExprKind::DateLit: return format_day(e.day);
        case ExprKind::Compare: return fmt::format("{}{} {}", subject(), cmp_name(e.op), kid(1));
        case ExprKind::Change:
            return fmt::format("{}{}{} {} {} {} {}", subject(), e.increase ? "increased" : "decreased",
                               e.by_amount ? " by" : "", cmp_name(e.op), kid(1), e.increase ? "over" : "from",
                               e.ref == RefPoint::Nadir ? "nadir" : "baseline");
        case ExprKind::IsValue:
            return fmt::format("{}is {}{}", subject(), e.negated ? "not " : "",
                               label_is_bare(e.text) ? e.text : quote(e.text));
        case ExprKind::Not: return "not " + kid(0);
        case ExprKind::Ever: return "ever " + kid(0);
        case ExprKind::Never: return "never " + kid(0);
        case ExprKind::NeverShown: return "never shown " + kid(0) + " since " + kid(1);
        case ExprKind::Known: return "known " + kid(0);
        case ExprKind::IsUnknown: return "unknown " + kid(0);
        case ExprKind::And:
        case ExprKind::Or: {
            std::string s;
            for (std::size_t i = 0; i < e.kids.size(); ++i)
                s += (i ? (e.kind == ExprKind::And ? " and " : " or ") : "") + kid(i);
            return s;
        }
        case ExprKind::Unless: return kid(0) + " unless " + kid(1);
        case ExprKind::Temporal:
            switch (e.temporal) {
                case TemporalKind::For: return fmt::format("{} for {}", kid(0), format_duration(e.dur));
                case TemporalKind::Within:
                    return fmt::format("{} within {} after {}", kid(0), format_duration(e.dur), kid(1));
                case TemporalKind::AtLeastAfter:
                    return fmt::format("{} at least {} after {}", kid(0), format_duration(e.dur), kid(1));
                default: return fmt::format("{} {} {}", kid(0), temporal_name(e.temporal), kid(1));
            }
        case ExprKind::Group:
            return e.combinator == Combinator::AtLeast ? fmt::format("at least {} of", e.count)
                                                       : std::string(combinator_name(e));
        case ExprKind::First: return "first " + kid(0);
        case ExprKind::Last: return "last " + kid(0);
        case ExprKind::Field: return kid(0) + "." + e.text;
        case ExprKind::DateOffset:
            return fmt::format("{} {} {}", kid(0), e.dur.months < 0 || e.dur.days < 0 ? "-" : "+",
                               format_duration(Duration{std::abs(e.dur.months), std::abs(e.dur.days)}));
        case ExprKind::OnClass: return "on class " + e.text;
        case ExprKind::TreatmentOf: return "treatment of class " + e.text;
    }
    return "?";
}

}  // namespace crit
