#include "lang/parse.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"

namespace crit {

namespace g = crit::grammar;
namespace pegtl = tao::pegtl;
namespace pt = tao::pegtl::parse_tree;

// Every commit point (`expect_*`). They must be selected: PEGTL 3.2's parse-tree
// control drops failure() for unselected inner rules, and with it must_if's error.
// flatten() splices them back out before the AST is built.
#define CRIT_EXPECT_RULES                                                                                          \
    g::expect_line_end, g::expect_name, g::expect_string, g::expect_string_close, g::expect_integer,               \
        g::expect_duration, g::expect_label, g::expect_cmp_op, g::expect_expr, g::expect_paren_close,              \
        g::expect_kw_class, g::expect_operand, g::expect_from, g::expect_ref_point, g::expect_date,                \
        g::expect_within_anchor, g::expect_since, g::expect_and_operand, g::expect_or_operand, g::expect_block_colon,               \
        g::expect_block, g::expect_baseline_rhs, g::expect_normal_body, g::expect_first_item, g::expect_equals,    \
        g::expect_result_value, g::expect_criterion_body, g::expect_top_item, g::expect_end_of_item

// The rules that become parse-tree nodes; everything else is folded away.
template <typename Rule>
using selector = pt::selector<
    Rule, pt::remove_content::on<CRIT_EXPECT_RULES>,
    pt::store_content::on<
        g::name, g::string_body, g::number, g::integer, g::date_lit, g::duration, g::unit, g::label, g::cmp_op,
        g::change_dir, g::change_by, g::ref_point, g::field, g::quantity, g::is_not, g::within_anchor,
        g::guideline, g::version_field, g::source_field, g::disease_field, g::bindings_field, g::hold_field,
        g::cite_line, g::note_line, g::baseline_def, g::normal_def, g::normal_expr, g::normal_rel, g::result_def,
        g::first_of_list, g::first_item, g::else_label, g::until_item, g::choice_list, g::choice, g::definition, g::criterion,
        g::criterion_title, g::group_clause, g::expr_clause, g::all_of, g::any_of, g::none_of, g::at_least_of,
        g::among_abnormal, g::t_for, g::t_within, g::t_at_least, g::t_after, g::t_before, g::t_from, g::t_at, g::t_measured,
        g::expr, g::or_expr, g::and_expr, g::unless_expr, g::not_op, g::ever_op, g::never_op, g::never_shown_op, g::known_op,
        g::unknown_op, g::temporal_expr,
        g::subject_relation, g::relation_only, g::compare, g::change, g::is_value, g::arith, g::plus_dur,
        g::minus_dur, g::first_of, g::last_of, g::postfix, g::on_class, g::treatment_of>>;

namespace {

using Node = pt::node;

template <typename... Rules>
bool is_any(const Node& n, pegtl::type_list<Rules...>) {
    return (n.is_type<Rules>() || ...);
}

// Splices the commit-point nodes out, leaving their children in place.
void flatten(Node& n) {
    std::vector<std::unique_ptr<Node>> kids;
    for (auto& c : n.children) {
        flatten(*c);
        if (is_any(*c, pegtl::type_list<CRIT_EXPECT_RULES>{}))
            for (auto& cc : c->children) kids.push_back(std::move(cc));
        else
            kids.push_back(std::move(c));
    }
    n.children = std::move(kids);
}

class Builder {
public:
    Builder(Module& m, Diagnostics& d) : m_(m), diags_(d) {}

    Span span(const Node& n) const {
        return Span{m_.source.get(), static_cast<std::uint32_t>(n.begin().byte),
                    static_cast<std::uint32_t>(n.end().byte)};
    }

    ExprPtr make(ExprKind k, const Node& n) {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->span = span(n);
        e->id = m_.node_count++;
        m_.nodes.push_back(e.get());
        return e;
    }

    static std::string unescape(std::string_view s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\\' && i + 1 < s.size()) ++i;
            out += s[i];
        }
        return out;
    }

    // The text of a string_lit/label/name node.
    static std::string text_of(const Node& n) {
        for (const auto& c : n.children)
            if (c->is_type<g::string_body>()) return unescape(c->string_view());
        if (n.is_type<g::string_body>()) return unescape(n.string_view());
        return std::string(n.string_view());
    }

    static const Node* child(const Node& n, std::size_t i) {
        return i < n.children.size() ? n.children[i].get() : nullptr;
    }

    template <typename R>
    static const Node* find(const Node& n) {
        for (const auto& c : n.children)
            if (c->is_type<R>()) return c.get();
        return nullptr;
    }

    Duration duration(const Node& n) {
        auto d = parse_duration(n.string_view());
        if (!d) {
            diags_.error(DiagCode::BadLiteral, span(n), fmt::format("`{}` is not a duration", n.string_view()));
            return {};
        }
        return *d;
    }

    // Wraps `e` in the temporal qualifier node `t` (t_for, t_within, ...).
    ExprPtr wrap_temporal(ExprPtr e, const Node& t) {
        auto w = make(ExprKind::Temporal, t);
        w->span.begin = e->span.begin;
        if (t.is_type<g::t_for>()) {
            w->temporal = TemporalKind::For;
            w->dur = duration(*find<g::duration>(t));
            w->kids.push_back(std::move(e));
            return w;
        }
        if (t.is_type<g::t_within>()) w->temporal = TemporalKind::Within;
        else if (t.is_type<g::t_at_least>()) w->temporal = TemporalKind::AtLeastAfter;
        else if (t.is_type<g::t_after>()) w->temporal = TemporalKind::After;
        else if (t.is_type<g::t_before>()) w->temporal = TemporalKind::Before;
        else if (t.is_type<g::t_from>()) w->temporal = TemporalKind::From;
        else if (t.is_type<g::t_measured>()) w->temporal = TemporalKind::MeasuredFrom;
        else w->temporal = TemporalKind::At;
        if (auto d = find<g::duration>(t)) w->dur = duration(*d);
        w->kids.push_back(std::move(e));
        w->kids.push_back(expr(*find<g::arith>(t)));
        return w;
    }

    ExprPtr expr(const Node& n) {
        if (n.is_type<g::expr>() || n.is_type<g::normal_expr>()) return expr(*child(n, 0));
        if (n.is_type<g::or_expr>() || n.is_type<g::and_expr>()) {
            if (n.children.size() == 1) return expr(*child(n, 0));
            auto e = make(n.is_type<g::or_expr>() ? ExprKind::Or : ExprKind::And, n);
            for (const auto& c : n.children) e->kids.push_back(expr(*c));
            return e;
        }
        if (n.is_type<g::unless_expr>()) {
            if (n.children.size() == 1) return expr(*child(n, 0));
            auto e = make(ExprKind::Unless, n);
            e->kids.push_back(expr(*child(n, 0)));
            e->kids.push_back(expr(*child(n, 1)));
            return e;
        }
        if (n.is_type<g::never_shown_op>()) {
            auto e = make(ExprKind::NeverShown, n);
            e->kids.push_back(expr(*child(n, 0)));
            e->kids.push_back(expr(*child(n, 1)));
            return e;
        }
        if (n.is_type<g::not_op>() || n.is_type<g::ever_op>() || n.is_type<g::never_op>() ||
            n.is_type<g::known_op>() || n.is_type<g::unknown_op>()) {
            auto e = make(n.is_type<g::not_op>()     ? ExprKind::Not
                          : n.is_type<g::ever_op>()  ? ExprKind::Ever
                          : n.is_type<g::never_op>() ? ExprKind::Never
                          : n.is_type<g::known_op>() ? ExprKind::Known
                                                     : ExprKind::IsUnknown,
                          n);
            e->kids.push_back(expr(*child(n, 0)));
            return e;
        }
        if (n.is_type<g::temporal_expr>()) {
            ExprPtr e = expr(*child(n, 0));
            for (std::size_t i = 1; i < n.children.size(); ++i) e = wrap_temporal(std::move(e), *child(n, i));
            return e;
        }
        if (n.is_type<g::relation_only>()) return relation(n, *child(n, 0), nullptr);
        if (n.is_type<g::subject_relation>()) {
            ExprPtr subject = expr(*child(n, 0));
            if (n.children.size() == 1) return subject;
            return relation(n, *child(n, 1), std::move(subject));
        }
        if (n.is_type<g::arith>()) {
            ExprPtr e = expr(*child(n, 0));
            for (std::size_t i = 1; i < n.children.size(); ++i) {
                const Node& op = *child(n, i);
                auto w = make(ExprKind::DateOffset, op);
                w->span.begin = e->span.begin;
                w->dur = duration(*find<g::duration>(op));
                if (op.is_type<g::minus_dur>()) w->dur = Duration{-w->dur.months, -w->dur.days};
                w->kids.push_back(std::move(e));
                e = std::move(w);
            }
            return e;
        }
        if (n.is_type<g::first_of>() || n.is_type<g::last_of>()) {
            auto e = make(n.is_type<g::first_of>() ? ExprKind::First : ExprKind::Last, n);
            e->kids.push_back(expr(*child(n, 0)));
            return e;
        }
        if (n.is_type<g::postfix>()) {
            ExprPtr e = expr(*child(n, 0));
            for (std::size_t i = 1; i < n.children.size(); ++i) {
                auto f = make(ExprKind::Field, *child(n, i));
                f->span.begin = e->span.begin;
                f->text = std::string(child(n, i)->string_view().substr(1));
                f->kids.push_back(std::move(e));
                e = std::move(f);
            }
            return e;
        }
        if (n.is_type<g::on_class>() || n.is_type<g::treatment_of>()) {
            auto e = make(n.is_type<g::on_class>() ? ExprKind::OnClass : ExprKind::TreatmentOf, n);
            e->text = std::string(find<g::name>(n)->string_view());
            return e;
        }
        if (n.is_type<g::quantity>()) {
            auto e = make(ExprKind::Quantity, n);
            auto num = find<g::number>(n)->string_view();
            auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), e->number);
            if (ec != std::errc() || !std::isfinite(e->number))
                diags_.error(DiagCode::BadLiteral, e->span, fmt::format("`{}` is not a usable number", num));
            if (auto u = find<g::unit>(n)) e->text = std::string(u->string_view());
            return e;
        }
        if (n.is_type<g::date_lit>()) {
            auto e = make(ExprKind::DateLit, n);
            auto d = parse_day(n.string_view());
            if (!d) diags_.error(DiagCode::BadLiteral, e->span, fmt::format("`{}` is not a valid date", n.string_view()));
            e->day = d.value_or(0);
            return e;
        }
        if (n.is_type<g::name>()) {
            auto e = make(ExprKind::Name, n);
            e->text = std::string(n.string_view());
            return e;
        }
        if (n.is_type<g::group_clause>()) return group(n);
        if (n.is_type<g::expr_clause>()) return expr(*child(n, 0));
        // Unreachable with the selector above; reported rather than asserted.
        diags_.error(DiagCode::Syntax, span(n), fmt::format("internal: unexpected parse node {}", n.type));
        return make(ExprKind::Name, n);
    }

    // rel: the compare/change/is_value node; subject may be null (borrowed later by the checker).
    ExprPtr relation(const Node& whole, const Node& rel, ExprPtr subject) {
        ExprPtr e;
        if (rel.is_type<g::compare>()) {
            e = make(ExprKind::Compare, whole);
            e->op = cmp_op(*find<g::cmp_op>(rel));
            e->kids.push_back(std::move(subject));
            e->kids.push_back(expr(*find<g::arith>(rel)));
        } else if (rel.is_type<g::change>()) {
            e = make(ExprKind::Change, whole);
            e->increase = find<g::change_dir>(rel)->string_view() == "increased";
            e->by_amount = find<g::change_by>(rel) != nullptr;
            e->op = cmp_op(*find<g::cmp_op>(rel));
            e->ref = find<g::ref_point>(rel)->string_view() == "nadir" ? RefPoint::Nadir : RefPoint::Baseline;
            e->kids.push_back(std::move(subject));
            e->kids.push_back(expr(*find<g::arith>(rel)));
        } else {
            e = make(ExprKind::IsValue, whole);
            e->negated = find<g::is_not>(rel) != nullptr;
            e->text = text_of(*find<g::label>(rel));
            e->kids.push_back(std::move(subject));
        }
        return e;
    }

    static CmpOp cmp_op(const Node& n) {
        auto s = n.string_view();
        if (s == "<") return CmpOp::Lt;
        if (s == "<=" || s == "\u2264") return CmpOp::Le;
        if (s == ">") return CmpOp::Gt;
        if (s == ">=" || s == "\u2265") return CmpOp::Ge;
        if (s == "!=") return CmpOp::Ne;
        return CmpOp::Eq;
    }

    // A block of clauses; cite/note lines attach to the enclosing group.
    void block_items(const Node& n, std::size_t from, std::vector<ExprPtr>& clauses, std::vector<std::string>& cites,
                     std::vector<std::string>* notes) {
        for (std::size_t i = from; i < n.children.size(); ++i) {
            const Node& c = *child(n, i);
            if (c.is_type<g::cite_line>()) cites.push_back(text_of(c));
            else if (c.is_type<g::note_line>()) {
                if (notes) notes->push_back(text_of(c));
            } else
                clauses.push_back(expr(c));
        }
    }

    ExprPtr group(const Node& n) {
        auto e = make(ExprKind::Group, n);
        std::vector<const Node*> qualifiers;
        std::size_t i = 0;
        for (; i < n.children.size(); ++i) {
            const Node& c = *child(n, i);
            if (c.is_type<g::all_of>()) e->combinator = Combinator::All;
            else if (c.is_type<g::any_of>()) e->combinator = Combinator::Any;
            else if (c.is_type<g::none_of>()) e->combinator = Combinator::None;
            else if (c.is_type<g::at_least_of>()) {
                e->combinator = Combinator::AtLeast;
                auto digits = find<g::integer>(c)->string_view();
                auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), e->count);
                if (ec != std::errc()) diags_.error(DiagCode::BadLiteral, span(c), "count is too large");
            } else if (c.is_type<g::among_abnormal>()) e->among_abnormal = true;
            else if (c.is_type<g::t_for>() || c.is_type<g::t_within>() || c.is_type<g::t_at_least>() ||
                     c.is_type<g::t_after>() || c.is_type<g::t_before>() || c.is_type<g::t_from>() ||
                     c.is_type<g::t_at>() || c.is_type<g::t_measured>())
                qualifiers.push_back(&c);
            else
                break;
        }
        block_items(n, i, e->kids, e->cites, nullptr);
        // The group's own span is its header line, so diagnostics point at it.
        auto first_line_end = m_.source->text().find('\n', e->span.begin);
        if (first_line_end != std::string::npos && first_line_end < e->span.end)
            e->span.end = static_cast<std::uint32_t>(first_line_end);
        ExprPtr out = std::move(e);
        for (const Node* q : qualifiers) {
            Span head = out->span;
            out = wrap_temporal(std::move(out), *q);
            out->span = head;
        }
        return out;
    }

    void item(const Node& n) {
        if (n.is_type<g::guideline>()) return header(n);
        if (n.is_type<g::criterion>()) return criterion(n);
        if (n.is_type<g::definition>()) {
            Definition d;
            d.span = span(n);
            d.name_span = span(*child(n, 0));
            d.name = std::string(child(n, 0)->string_view());
            d.value = expr(*child(n, 1));
            m_.definitions.push_back(std::move(d));
            return;
        }
        if (n.is_type<g::baseline_def>()) {
            BaselineDef b;
            b.span = span(n);
            b.window = duration(*find<g::duration>(n));
            b.anchor = expr(*find<g::arith>(n));
            if (m_.baseline) diags_.error(DiagCode::Redefined, b.span, "the baseline is defined twice");
            m_.baseline = std::move(b);
            return;
        }
        if (n.is_type<g::normal_def>()) {
            NormalDef d;
            d.span = span(n);
            d.name_span = span(*child(n, 0));
            d.concept_name = std::string(child(n, 0)->string_view());
            const Node& body = *child(n, 1);
            if (body.is_type<g::normal_rel>()) {
                auto subject = make(ExprKind::Name, *child(n, 0));
                subject->text = d.concept_name;
                d.expr = relation(body, *child(body, 0), std::move(subject));
            } else {
                d.expr = expr(body);
            }
            m_.normals.push_back(std::move(d));
            return;
        }
        if (n.is_type<g::result_def>()) return result(n);
    }

    void header(const Node& n) {
        Header h;
        h.span = span(n);
        for (const auto& c : n.children) {
            if (c->is_type<g::string_body>()) h.name = unescape(c->string_view());
            else if (c->is_type<g::version_field>()) h.version = text_of(*find<g::label>(*c));
            else if (c->is_type<g::source_field>()) h.source = text_of(*c);
            else if (c->is_type<g::disease_field>()) h.disease = text_of(*find<g::label>(*c));
            else if (c->is_type<g::bindings_field>()) h.bindings = text_of(*c);
            else if (c->is_type<g::hold_field>()) h.hold = duration(*find<g::duration>(*c));
            else if (c->is_type<g::cite_line>()) h.cites.push_back(text_of(*c));
            else if (c->is_type<g::note_line>()) h.notes.push_back(text_of(*c));
        }
        if (m_.header) diags_.error(DiagCode::Header, h.span, "a file has one `guideline` header");
        m_.header = std::move(h);
    }

    void criterion(const Node& n) {
        Criterion c;
        c.span = span(n);
        c.name_span = span(*child(n, 0));
        c.name = std::string(child(n, 0)->string_view());
        std::size_t i = 1;
        if (auto t = child(n, 1); t && t->is_type<g::criterion_title>()) {
            c.title = text_of(*t);
            i = 2;
        }
        std::vector<ExprPtr> clauses;
        block_items(n, i, clauses, c.cites, &c.notes);
        if (clauses.size() == 1) {
            c.body = std::move(clauses.front());
        } else if (!clauses.empty()) {
            // Several clauses directly under a criterion: all must hold (implicit `all of`).
            auto g = make(ExprKind::Group, n);
            g->span = c.name_span;
            g->combinator = Combinator::All;
            g->kids = std::move(clauses);
            c.body = std::move(g);
        } else {
            diags_.error(DiagCode::Syntax, c.name_span,
                         fmt::format("criterion `{}` has no clause; add one after `cite`", c.name));
            return;
        }
        m_.criteria.push_back(std::move(c));
    }

    void result(const Node& n) {
        ResultDef r;
        r.span = span(n);
        r.name_span = span(*child(n, 0));
        r.name = std::string(child(n, 0)->string_view());
        const Node& v = *child(n, 1);
        auto else_of = [&](const Node& c) { r.else_label = text_of(*find<g::label>(c)); };
        if (v.is_type<g::first_of_list>()) {
            r.kind = ResultDef::Kind::FirstOf;
            for (const auto& c : v.children) {
                if (c->is_type<g::else_label>()) {
                    else_of(*c);
                    continue;
                }
                if (c->is_type<g::until_item>()) {
                    const Node& nm = *find<g::name>(*c);
                    r.until = make(ExprKind::Name, nm);
                    r.until->text = std::string(nm.string_view());
                    continue;
                }
                ResultDef::Choice ch;
                ch.span = span(*c);
                const Node& nm = *find<g::name>(*c);
                ch.cond = make(ExprKind::Name, nm);
                ch.cond->text = std::string(nm.string_view());
                auto lbl = find<g::label>(*c);
                ch.label = lbl ? text_of(*lbl) : ch.cond->text;
                r.choices.push_back(std::move(ch));
            }
        } else if (v.is_type<g::choice_list>()) {
            r.kind = ResultDef::Kind::Choices;
            for (const auto& c : v.children) {
                if (c->is_type<g::else_label>()) {
                    else_of(*c);
                    continue;
                }
                ResultDef::Choice ch;
                ch.span = span(*c);
                ch.label = text_of(*find<g::label>(*c));
                ch.cond = expr(*find<g::expr>(*c));
                r.choices.push_back(std::move(ch));
            }
        } else {
            r.kind = ResultDef::Kind::Value;
            r.value = expr(v);
        }
        m_.results.push_back(std::move(r));
    }

private:
    Module& m_;
    Diagnostics& diags_;
};

// Depth and width of an expression tree, measured without recursion.
bool within_bounds(const Expr& root, Diagnostics& diags) {
    std::vector<std::pair<const Expr*, int>> todo{{&root, 1}};
    while (!todo.empty()) {
        auto [e, depth] = todo.back();
        todo.pop_back();
        if (depth > kMaxExprDepth) {
            diags.error(DiagCode::TooDeep, e->span,
                        fmt::format("this clause is nested more than {} levels deep; split it into named criteria", kMaxExprDepth));
            return false;
        }
        if (e->kids.size() > kMaxOperands) {
            diags.error(DiagCode::TooDeep, e->span,
                        fmt::format("this clause has {} operands; at most {} are allowed", e->kids.size(), kMaxOperands));
            return false;
        }
        for (const auto& k : e->kids)
            if (k) todo.push_back({k.get(), depth + 1});
    }
    return true;
}

bool starts_item(std::string_view line) {
    return !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '#' && line[0] != '\r';
}

}  // namespace

std::unique_ptr<Module> parse_module(SourcePtr src, Diagnostics& diags) {
    auto m = std::make_unique<Module>();
    m->source = src;
    const std::string& text = src->text();
    if (text.size() > kMaxSourceBytes) {
        diags.error(DiagCode::Syntax, Span{src.get(), 0, 0},
                    fmt::format("file is {} bytes; criteria files are limited to {} bytes", text.size(), kMaxSourceBytes));
        return m;
    }
    if (text.find('\0') != std::string::npos) {
        auto at = static_cast<std::uint32_t>(text.find('\0'));
        diags.error(DiagCode::Syntax, Span{src.get(), at, at + 1}, "file contains a NUL byte; is it a text file?");
        return m;
    }
    Builder b(*m, diags);
    // Split into top-level items: a line starting in column 1 opens one.
    std::vector<int> starts;
    for (int line = 1; line <= src->line_count(); ++line) {
        std::string_view lt = src->line_text(line);
        if (line == 1 && lt.substr(0, 3) == "\xEF\xBB\xBF") lt.remove_prefix(3);
        if (starts_item(lt)) starts.push_back(line);
        else if (starts.empty() && !lt.empty()) {
            auto content = lt.find_first_not_of(" \t\r");
            if (content != std::string_view::npos && lt[content] != '#') {
                auto off = src->offset_of(line, static_cast<int>(content) + 1);
                diags.error(DiagCode::BadIndent, Span{src.get(), off, off + 1},
                            "indented line before any criterion; top-level items start in column 1");
            }
        }
    }
    if (starts.size() > kMaxItems) {
        diags.error(DiagCode::TooDeep, Span{src.get(), 0, 0},
                    fmt::format("file has {} top-level items; at most {} are allowed", starts.size(), kMaxItems));
        return m;
    }
    for (std::size_t i = 0; i < starts.size(); ++i) {
        std::uint32_t begin = src->offset_of(starts[i], 1);
        if (begin == 0 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) begin = 3;  // UTF-8 byte order mark
        std::uint32_t end = i + 1 < starts.size() ? src->offset_of(starts[i + 1], 1) : static_cast<std::uint32_t>(text.size());
        pegtl::memory_input<> in(text.data() + begin, text.data() + end, src->name(), begin, starts[i], 1);
        g::Layout layout;
        try {
            auto root = pt::parse<g::item_file, selector, pegtl::nothing, g::control>(in, layout);
            if (root) {
                flatten(*root);
                for (const auto& c : root->children) b.item(*c);
            } else {
                diags.error(DiagCode::Syntax, Span{src.get(), begin, begin + 1},
                            "this line does not start a criterion, definition, result or header");
            }
        } catch (const g::grammar_error& e) {
            const auto& p = e.positions().front();
            auto off = static_cast<std::uint32_t>(p.byte);
            DiagCode code = e.kind == g::ErrorKind::TooDeep       ? DiagCode::TooDeep
                            : e.kind == g::ErrorKind::Indentation ? DiagCode::BadIndent
                                                                  : DiagCode::Syntax;
            diags.error(code, Span{src.get(), off, off + 1}, std::string(e.message()));
        } catch (const pegtl::parse_error& e) {
            // Raised by PEGTL itself (not by the table): reported as a syntax error.
            const auto& p = e.positions().front();
            auto off = static_cast<std::uint32_t>(p.byte);
            diags.error(DiagCode::Syntax, Span{src.get(), off, off + 1}, std::string(e.message()));
        }
    }
    // Later stages recurse over expressions: drop the items that exceed the bounds.
    auto ok = [&](const ExprPtr& e) { return !e || within_bounds(*e, diags); };
    std::erase_if(m->criteria, [&](const Criterion& c) { return !ok(c.body); });
    std::erase_if(m->definitions, [&](const Definition& d) { return !ok(d.value); });
    std::erase_if(m->normals, [&](const NormalDef& n) { return !ok(n.expr); });
    std::erase_if(m->results, [&](const ResultDef& r) {
        bool good = ok(r.value);
        for (const auto& c : r.choices) good = good && ok(c.cond);
        return !good;
    });
    if (m->baseline && !ok(m->baseline->anchor)) m->baseline.reset();
    return m;
}

}  // namespace crit
