#include "lang/bytecode.hpp"

#include <string_view>

#include <fmt/format.h>

#include "lang/ast.hpp"
#include "lang/ast_print.hpp"

namespace crit {

const Expr& Program::node(NodeId id) const { return *module->nodes[id]; }

namespace {
constexpr OpInfo kOps[] = {
#define OP(name, operands, sig, syn) {#name, operands, sig, syn},
#include "lang/opcodes.def"
#undef OP
};

char type_char(Type t) {
    switch (t) {
        case Type::Truth: return 'T';
        case Type::Date: return 'D';
        case Type::Episode: return 'E';
        case Type::Quantity: return 'Q';
        default: return '?';
    }
}

// The operand fields an opcode uses, parsed from its descriptor ("x:cmp b:const").
struct Operand {
    char field;            // 'x', 'a' or 'b'
    std::string_view kind;
};
std::vector<Operand> operands_of(Op op) {
    std::vector<Operand> v;
    std::string_view d = op_info(op).operands;
    while (!d.empty()) {
        auto sp = d.find(' ');
        std::string_view tok = d.substr(0, sp);
        v.push_back({tok[0], tok.substr(2)});
        d = sp == std::string_view::npos ? std::string_view() : d.substr(sp + 1);
    }
    return v;
}

std::uint32_t field_value(const Instr& in, char f) { return f == 'x' ? in.x : f == 'a' ? in.a : in.b; }

const char* kCmpNames[] = {"<", "<=", ">", ">=", "=", "!="};
const char* kWindowNames[] = {"after", "before", "from", "at", "within", "at least after"};

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
std::size_t op_count() { return sizeof(kOps) / sizeof(kOps[0]); }

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
        std::string stack;
        for (std::uint32_t pc = it.begin; pc < it.end; ++pc) {
            const Instr& in = p.code[pc];
            if (static_cast<std::size_t>(in.op) >= op_count()) {
                fail(pc, "unknown opcode");
                return false;
            }
            for (const auto& o : operands_of(in.op)) {
                std::uint32_t v = field_value(in, o.field);
                bool ok = true;
                if (o.kind == "concept") ok = v < p.bindings->concepts.size();
                else if (o.kind == "class") ok = v < p.bindings->classes.size();
                else if (o.kind == "slot") ok = v < slot;
                else if (o.kind == "const") ok = v < p.consts.size();
                else if (o.kind == "cmp") ok = v < 6;
                else if (o.kind == "window") ok = v < 6;
                else if (o.kind == "patient") ok = v < 2;
                else if (o.kind == "change") ok = (v >> 4) < 6;
                else if (o.kind == "code") ok = in.a < p.bindings->concepts.size() && v < p.bindings->concepts[in.a].values.size();
                if (!ok) {
                    // Later checks would index with this operand: stop here.
                    fail(pc, fmt::format("{} operand {}={} out of range", op_info(in.op).name, o.field, v));
                    return false;
                }
            }
            // Stack effect from the signature.
            std::string_view sig = op_info(in.op).signature;
            auto arrow = sig.find('>');
            std::string_view pops = sig.substr(0, arrow), pushes = sig.substr(arrow + 1);
            std::string need;
            if (pops == "T*") need.assign(in.a * ((in.op == Op::AT_LEAST && in.x) ? 2 : 1), 'T');
            else if (pops == "*") need = std::string(1, type_char(it.type));
            else need = pops;
            if (stack.size() < need.size() || stack.compare(stack.size() - need.size(), need.size(), need) != 0) {
                fail(pc, fmt::format("{} needs [{}] on the stack, found [{}]", op_info(in.op).name, need, stack));
                return false;
            }
            stack.resize(stack.size() - need.size());
            if (pushes == "*") stack += type_char(p.items[in.a].type);
            else stack += pushes;
            if (in.op == Op::RETURN && pc + 1 != it.end) fail(pc, "RETURN before the end of the item");
        }
        if (p.code[it.end - 1].op != Op::RETURN) fail(it.end - 1, fmt::format("item `{}` does not end in RETURN", it.name));
        if (!stack.empty()) fail(it.end - 1, fmt::format("item `{}` leaves [{}] on the stack", it.name, stack));
    }
    if (expected_begin != p.code.size()) fail(expected_begin, "code after the last item");
    return diags.error_count() == before;
}

static std::string operand_text(const Program& p, const Instr& in, const Operand& o) {
    std::uint32_t v = field_value(in, o.field);
    if (o.kind == "concept") return p.bindings->concepts[v].name;
    if (o.kind == "class") return "class " + p.bindings->classes[v].name;
    if (o.kind == "slot") return p.items[v].name;
    if (o.kind == "count") return std::to_string(v);
    if (o.kind == "const") return p.consts[v].display;
    if (o.kind == "cmp") return kCmpNames[v];
    if (o.kind == "window") return kWindowNames[v];
    if (o.kind == "patient") return kPatientDateNames[v];
    if (o.kind == "negate") return v ? "is not" : "is";
    if (o.kind == "unknown") return v ? "unknown" : "known";
    if (o.kind == "abnormal") return v ? "among abnormal at baseline" : "";
    if (o.kind == "code") return p.bindings->concepts[in.a].values[v];
    if (o.kind == "change") {
        std::string s = (v & kIncrease) ? "increased" : "decreased";
        if (v & kByAmount) s += " by";
        s += std::string(" ") + kCmpNames[v >> 4];
        s += (v & kNadir) ? " (from nadir)" : " (from baseline)";
        return s;
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
        out += fmt::format("| `{}` | {} | `{}` | {} |\n", kOps[i].name, *kOps[i].operands ? kOps[i].operands : "-",
                           kOps[i].signature, kOps[i].synopsis);
    return out;
}

}  // namespace crit
