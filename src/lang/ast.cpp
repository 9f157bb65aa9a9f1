#include "lang/ast.hpp"

namespace crit {

int subject_concept_of(const Expr& e) {
    if (e.r.subject_concept >= 0 && (e.kind == ExprKind::Compare || e.kind == ExprKind::Change ||
                                     e.kind == ExprKind::IsValue || e.kind == ExprKind::Name))
        return e.r.subject_concept;
    for (const auto& k : e.kids)
        if (k)
            if (int c = subject_concept_of(*k); c >= 0) return c;
    return -1;
}

const char* temporal_name(TemporalKind k) {
    switch (k) {
        case TemporalKind::For: return "for";
        case TemporalKind::Within: return "within";
        case TemporalKind::AtLeastAfter: return "at least";
        case TemporalKind::After: return "after";
        case TemporalKind::Before: return "before";
        case TemporalKind::From: return "from";
        case TemporalKind::At: return "at";
        case TemporalKind::MeasuredFrom: return "measured from";
    }
    return "?";
}

}  // namespace crit
