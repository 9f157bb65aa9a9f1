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

}  // namespace crit
