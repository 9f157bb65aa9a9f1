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

const char* cmp_name(CmpOp op) {
    switch (op) {
        case CmpOp::Lt: return "<";
        case CmpOp::Le: return "<=";
        case CmpOp::Gt: return ">";
        case CmpOp::Ge: return ">=";
        case CmpOp::Eq: return "=";
        case CmpOp::Ne: return "!=";
    }
    return "?";
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

const char* type_name(Type t) {
    switch (t) {
        case Type::Unknown: return "unknown";
        case Type::Truth: return "a truth (met / not met)";
        case Type::Quantity: return "a quantity";
        case Type::Date: return "a date";
        case Type::Episode: return "a treatment episode";
        case Type::Coded: return "a coded value";
    }
    return "?";
}

}  // namespace crit
