#include "core/vocabulary.hpp"

namespace crit {

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

char type_letter(Type t) {
    switch (t) {
        case Type::Truth: return 'T';
        case Type::Quantity: return 'Q';
        case Type::Date: return 'D';
        case Type::Episode: return 'E';
        case Type::Unknown:
        case Type::Coded: return '?';
    }
    return '?';
}

const char* window_name(WindowKind w) {
    switch (w) {
        case WindowKind::After: return "after";
        case WindowKind::Before: return "before";
        case WindowKind::From: return "from";
        case WindowKind::At: return "at";
        case WindowKind::Within: return "within";
        case WindowKind::AtLeastAfter: return "at least after";
    }
    return "?";
}

}  // namespace crit
