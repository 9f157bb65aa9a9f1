#include "lang/bytecode.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "lang/ast.hpp"
#include "lang/ast_print.hpp"

namespace crit {

const Expr& Program::node(NodeId id) const { return *module->nodes[id]; }

namespace {
constexpr OpInfo kOps[] = {
#define OP(name, x, a, b, pops, push, syn) \
    {#name, OperandKind::x, OperandKind::a, OperandKind::b, StackIn::pops, StackOut::push, syn},
#include "lang/opcodes.def"
#undef OP
};

const char* kind_name(OperandKind k) {
    switch (k) {
        case OperandKind::None: return "";
        case OperandKind::Concept: return "concept";
        case OperandKind::Class: return "class";
        case OperandKind::Slot: return "slot";
        case OperandKind::Count: return "count";
        case OperandKind::Const: return "const";
        case OperandKind::Code: return "code";
        case OperandKind::Cmp: return "cmp";
        case OperandKind::Change: return "change";
        case OperandKind::Window: return "window";
        case OperandKind::Negate: return "negate";
        case OperandKind::Unknown: return "unknown";
        case OperandKind::Abnormal: return "abnormal";
        case OperandKind::Patient: return "patient";
    }
    return "?";
}

// The operand fields an opcode uses.
struct Operand {
    char field;  // 'x', 'a' or 'b'
    OperandKind kind;
};
std::vector<Operand> operands_of(Op op) {
    const OpInfo& i = op_info(op);
    std::vector<Operand> v;
    for (Operand o : {Operand{'x', i.x}, Operand{'a', i.a}, Operand{'b', i.b}})
        if (o.kind != OperandKind::None) v.push_back(o);
    return v;
}

std::uint32_t field_value(const Instr& in, char f) { return f == 'x' ? in.x : f == 'a' ? in.a : in.b; }

// The types an instruction pops, for the item whose code it is in.
std::vector<Type> pops_of(const Instr& in, Type item_type) {
    switch (op_info(in.op).pops) {
        case StackIn::None: return {};
        case StackIn::T: return {Type::Truth};
        case StackIn::Q: return {Type::Quantity};
        case StackIn::D: return {Type::Date};
        case StackIn::E: return {Type::Episode};
        case StackIn::TD: return {Type::Truth, Type::Date};
        case StackIn::DD: return {Type::Date, Type::Date};
        case StackIn::Truths: return std::vector<Type>(in.a, Type::Truth);
        case StackIn::TruthsAndFlags: return std::vector<Type>(in.a * (in.x ? 2u : 1u), Type::Truth);
        case StackIn::Item: return {item_type};
    }
    return {};
}

std::optional<Type> push_of(const Program& p, const Instr& in) {
    switch (op_info(in.op).push) {
        case StackOut::None: return std::nullopt;
        case StackOut::T: return Type::Truth;
        case StackOut::Q: return Type::Quantity;
        case StackOut::D: return Type::Date;
        case StackOut::E: return Type::Episode;
        case StackOut::Slot: return p.items[in.a].type;
    }
    return std::nullopt;
}

std::string letters(const std::vector<Type>& ts) {
    std::string s;
    for (Type t : ts) s += type_letter(t);
    return s;
}

std::string item_kind_name(Item::Kind k) {
    switch (k) {
        case Item::Kind::Definition: return "definition";
        case Item::Kind::Criterion: return "criterion";
        case Item::Kind::Normal: return "normal range";
        case Item::Kind::Baseline: return "baseline anchor";
        case Item::Kind::ResultCond: return "result condition";
        case Item::Kind::ResultValue: return "result value";
    }
    return "?";
}

}  // namespace

const OpInfo& op_info(Op op) { return kOps[static_cast<int>(op)]; }
std::size_t op_count() { return std::size(kOps); }

std::string operand_signature(Op op) {
    std::string s;
    for (const auto& o : operands_of(op)) s += fmt::format("{}{}:{}", s.empty() ? "" : " ", o.field, kind_name(o.kind));
    return s;
}

std::string stack_signature(Op op) {
    const OpInfo& i = op_info(op);
    std::string s;
    switch (i.pops) {
        case StackIn::None: break;
        case StackIn::T: s = "T"; break;
        case StackIn::Q: s = "Q"; break;
        case StackIn::D: s = "D"; break;
        case StackIn::E: s = "E"; break;
        case StackIn::TD: s = "TD"; break;
        case StackIn::DD: s = "DD"; break;
        case StackIn::Truths: s = "T*"; break;
        case StackIn::TruthsAndFlags: s = "T*[T*]"; break;
        case StackIn::Item: s = "*"; break;
    }
    s += '>';
    switch (i.push) {
        case StackOut::None: break;
        case StackOut::T: s += "T"; break;
        case StackOut::Q: s += "Q"; break;
        case StackOut::D: s += "D"; break;
        case StackOut::E: s += "E"; break;
        case StackOut::Slot: s += "*"; break;
    }
    return s;
}

bool verify(const Program& p, Diagnostics& diags) {
    std::size_t before = diags.error_count();
    auto fail = [&](std::size_t pc, const std::string& msg) {
        Span s = pc < p.nodes.size() && p.module && p.nodes[pc] < p.module->nodes.size()
                     ? p.node(p.nodes[pc]).span
                     : Span{};
        diags.error(DiagCode::Verify, s, fmt::format("instruction {:04}: {}", pc, msg));
    };
    if (p.nodes.size() != p.code.size()) fail(0, "source node table does not match the code");
    std::uint32_t expected_begin = 0;
    for (std::size_t slot = 0; slot < p.items.size(); ++slot) {
        const Item& it = p.items[slot];
        if (it.begin != expected_begin || it.end > p.code.size() || it.begin >= it.end) {
            fail(it.begin, fmt::format("item `{}` has a bad code range", it.name));
            return false;
        }
        expected_begin = it.end;
        std::vector<Type> stack;
        for (std::uint32_t pc = it.begin; pc < it.end; ++pc) {
            const Instr& in = p.code[pc];
            if (static_cast<std::size_t>(in.op) >= op_count()) {
                fail(pc, "unknown opcode");
                return false;
            }
            for (const auto& o : operands_of(in.op)) {
                std::uint32_t v = field_value(in, o.field);
                bool ok = true;
                switch (o.kind) {
                    case OperandKind::Concept: ok = v < p.bindings->concepts.size(); break;
                    case OperandKind::Class: ok = v < p.bindings->classes.size(); break;
                    case OperandKind::Slot: ok = v < slot; break;
                    case OperandKind::Const: ok = v < p.consts.size(); break;
                    case OperandKind::Cmp: ok = v < kCmpOpCount; break;
                    case OperandKind::Window: ok = v < kWindowKindCount; break;
                    case OperandKind::Patient: ok = v < kPatientDateCount; break;
                    case OperandKind::Change: ok = (v >> 4) < kCmpOpCount; break;
                    case OperandKind::Code:
                        ok = in.a < p.bindings->concepts.size() && v < p.bindings->concepts[in.a].values.size();
                        break;
                    case OperandKind::Negate:
                    case OperandKind::Unknown:
                    case OperandKind::Abnormal: ok = v <= 1; break;
                    case OperandKind::None:
                    case OperandKind::Count: break;
                }
                if (!ok) {
                    // Later checks would index with this operand: stop here.
                    fail(pc, fmt::format("{} operand {}={} out of range", op_info(in.op).name, o.field, v));
                    return false;
                }
            }
            // Stack effect, from the table.
            std::vector<Type> need = pops_of(in, it.type);
            if (stack.size() < need.size() || !std::equal(need.begin(), need.end(), stack.end() - static_cast<long>(need.size()))) {
                fail(pc, fmt::format("{} needs [{}] on the stack, found [{}]", op_info(in.op).name, letters(need), letters(stack)));
                return false;
            }
            stack.resize(stack.size() - need.size());
            if (auto t = push_of(p, in)) stack.push_back(*t);
            if (in.op == Op::RETURN && pc + 1 != it.end) fail(pc, "RETURN before the end of the item");
        }
        if (p.code[it.end - 1].op != Op::RETURN) fail(it.end - 1, fmt::format("item `{}` does not end in RETURN", it.name));
        if (!stack.empty()) fail(it.end - 1, fmt::format("item `{}` leaves [{}] on the stack", it.name, letters(stack)));
    }
    if (expected_begin != p.code.size()) fail(expected_begin, "code after the last item");
    return diags.error_count() == before;
}

static std::string operand_text(const Program& p, const Instr& in, const Operand& o) {
    std::uint32_t v = field_value(in, o.field);
    switch (o.kind) {
        case OperandKind::Concept: return p.bindings->concepts[v].name;
        case OperandKind::Class: return "class " + p.bindings->classes[v].name;
        case OperandKind::Slot: return p.items[v].name;
        case OperandKind::Count: return std::to_string(v);
        case OperandKind::Const: return p.consts[v].display;
        case OperandKind::Cmp: return cmp_name(static_cast<CmpOp>(v));
        case OperandKind::Window: return window_name(static_cast<WindowKind>(v));
        case OperandKind::Patient: return kPatientDateNames[v];
        case OperandKind::Negate: return v ? "is not" : "is";
        case OperandKind::Unknown: return v ? "unknown" : "known";
        case OperandKind::Abnormal: return v ? "among abnormal at baseline" : "";
        case OperandKind::Code: return p.bindings->concepts[in.a].values[v];
        case OperandKind::Change: {
            std::string s = (v & kIncrease) ? "increased" : "decreased";
            if (v & kByAmount) s += " by";
            s += std::string(" ") + cmp_name(static_cast<CmpOp>(v >> 4));
            s += (v & kNadir) ? " (from nadir)" : " (from baseline)";
            return s;
        }
        case OperandKind::None: break;
    }
    return std::to_string(v);
}

std::string disassemble(const Program& p) {
    std::string out = fmt::format("; {} (version {}), {} instructions, {} constants, {} items\n", p.name,
                                  p.version.empty() ? "-" : p.version, p.code.size(), p.consts.size(), p.items.size());
    if (!p.source.empty()) out += fmt::format("; source: {}\n", p.source);
    for (std::size_t slot = 0; slot < p.items.size(); ++slot) {
        const Item& it = p.items[slot];
        out += fmt::format("\nslot {} {} `{}` : {}\n", slot, item_kind_name(it.kind), it.name,
                           it.type == Type::Truth ? "truth" : it.type == Type::Date ? "date" : "episodes");
        int last_line = -1;
        for (std::uint32_t pc = it.begin; pc < it.end; ++pc) {
            const Instr& in = p.code[pc];
            int line = p.node(p.nodes[pc]).span.line();
            std::string where = line == last_line ? "   |" : fmt::format("{:4}", line);
            last_line = line;
            std::string ops, notes;
            for (const auto& o : operands_of(in.op)) {
                ops += fmt::format("{}{}={}", ops.empty() ? "" : " ", o.field, field_value(in, o.field));
                std::string t = operand_text(p, in, o);
                if (!t.empty()) notes += (notes.empty() ? "" : ", ") + t;
            }
            out += fmt::format("{:04} {} {:<13}{:<16}{}\n", pc, where, op_info(in.op).name, ops,
                               notes.empty() ? "" : "; " + notes);
        }
    }
    return out;
}

std::string opcode_reference() {
    std::string out =
        "| opcode | operands | stack | meaning |\n"
        "|---|---|---|---|\n";
    for (std::size_t i = 0; i < op_count(); ++i)
        out += fmt::format("| `{}` | {} | `{}` | {} |\n", kOps[i].name,
                           kOps[i].x == OperandKind::None && kOps[i].a == OperandKind::None && kOps[i].b == OperandKind::None
                               ? "-"
                               : operand_signature(static_cast<Op>(i)),
                           stack_signature(static_cast<Op>(i)), kOps[i].synopsis);
    return out;
}

}  // namespace crit
