#include "cli/report_thresholds.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lang/ast.hpp"
#include "lang/ast_print.hpp"

namespace crit {

namespace {

// Deeper than any clause a person writes; a generated file nested past it loses only lines on a chart.
constexpr int kMaxDepth = 64;

void walk(const Expr* e, const std::string& where, std::vector<Threshold>& out, int depth) {
    if (!e || depth > kMaxDepth) return;
    if (e->kind == ExprKind::Compare && e->kids.size() == 2 && e->kids[0] && e->kids[1]) {
        const Expr& subj = *e->kids[0];
        const Expr& num = *e->kids[1];
        if (subj.r.type == Type::Quantity && subj.r.ref == Expr::Resolved::Ref::Concept && subj.r.subject_concept >= 0 &&
            num.kind == ExprKind::Quantity) {
            out.push_back(Threshold{static_cast<ConceptId>(subj.r.subject_concept), e->op, num.r.canonical,
                                    expr_source(num), num.text, where, e->span.line()});
        }
    }
    for (const auto& k : e->kids) walk(k.get(), where, out, depth + 1);
}

}  // namespace

std::vector<Threshold> thresholds(const Program& p) {
    std::vector<Threshold> out;
    const Module& m = *p.module;
    for (const auto& n : m.normals) walk(n.expr.get(), "normal", out, 0);
    for (const auto& d : m.definitions) walk(d.value.get(), d.name, out, 0);
    for (const auto& c : m.criteria) walk(c.body.get(), c.name, out, 0);
    for (const auto& r : m.results) {
        for (const auto& ch : r.choices) walk(ch.cond.get(), r.name, out, 0);
        walk(r.value.get(), r.name, out, 0);
    }
    std::stable_sort(out.begin(), out.end(), [](const Threshold& a, const Threshold& b) { return a.line < b.line; });
    return out;
}

std::vector<ConceptId> concepts_read(const Program& p) {
    std::vector<ConceptId> out;
    for (const Instr& in : p.code)
        if (op_info(in.op).a == OperandKind::Concept && std::find(out.begin(), out.end(), in.a) == out.end())
            out.push_back(static_cast<ConceptId>(in.a));
    return out;
}

std::string threshold_label(const Program& p, const Threshold& t) {
    return fmt::format("{} {} {} ({}, line {})", p.bindings->concepts[t.concept_id].name, cmp_name(t.op), t.written,
                       t.where, t.line);
}

}  // namespace crit
