// The compiled program: flat code, constant pool, per-instruction source
// nodes, and the table of named items (slots) in evaluation order.
// A Program is immutable after compile() and shared across threads.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bindings.hpp"
#include "core/diag.hpp"
#include "core/vocabulary.hpp"

namespace crit {

struct Module;
struct Expr;

enum class Op : std::uint8_t {
#define OP(name, x, a, b, pops, push, syn) name,
#include "lang/opcodes.def"
#undef OP
};

// What an instruction field holds (the x, a, b columns of opcodes.def).
enum class OperandKind : std::uint8_t {
    None, Concept, Class, Slot, Count, Const, Code, Cmp, Change, Window, Negate, Unknown, Abnormal, Patient
};
// The values an opcode takes from the stack (rightmost on top) and the one it leaves.
enum class StackIn : std::uint8_t { None, T, Q, D, E, TD, DD, Truths, TruthsAndFlags, Item };
enum class StackOut : std::uint8_t { None, T, Q, D, E, Slot };

struct OpInfo {
    const char* name;
    OperandKind x, a, b;
    StackIn pops;
    StackOut push;
    const char* synopsis;
};
const OpInfo& op_info(Op op);
std::size_t op_count();
// "x:cmp b:const": the fields an opcode uses and what they hold (disassembler, docs).
std::string operand_signature(Op op);
// "QT>T": the stack effect as docs/bytecode.md writes it.
std::string stack_signature(Op op);

struct Instr {
    Op op;
    std::uint8_t x = 0;
    std::uint16_t a = 0;
    std::uint32_t b = 0;
};
static_assert(sizeof(Instr) == 8);

// Flags of CHANGE (x).
enum ChangeFlags : std::uint8_t { kIncrease = 1, kByAmount = 2, kNadir = 4 };
// The cmp op sits in the high nibble of CHANGE's x.
inline std::uint8_t change_x(CmpOp op, std::uint8_t flags) { return static_cast<std::uint8_t>((static_cast<int>(op) << 4) | flags); }

// A constant: a number (canonical units), a duration, or a date.
struct Constant {
    enum class Kind : std::uint8_t { Number, Duration, Date } kind = Kind::Number;
    double number = 0;
    Duration duration;
    Day day = 0;
    std::string display;   // as written in the source, for the disassembler
};

// A named item: its code range and what its slot holds.
struct Item {
    enum class Kind : std::uint8_t { Definition, Criterion, Normal, Baseline, ResultCond, ResultValue } kind;
    std::string name;
    Type type = Type::Unknown;       // Truth, Date or Episode
    std::uint32_t begin = 0, end = 0;  // code range, ending in RETURN
    NodeId node = 0;                 // the AST node of the item's body
    int source_index = -1;           // index into the Module's list of that kind
    int result = -1, choice = -1;    // ResultCond: which result and choice
};

// A named result and where its conditions live.
struct ResultInfo {
    std::string name;
    ResultKind kind = ResultKind::Value;
    struct Choice {
        std::string label;
        int item = -1;           // slot of the condition (truth)
        int criterion = -1;      // FirstOf: the criterion it names
    };
    std::vector<Choice> choices;
    std::optional<std::string> else_label;
    int value_item = -1;         // Kind::Value: slot of the value (truth or date)
    int until_item = -1;         // FirstOf `until X`: slot of criterion X (categories rank only before it)
    int until_criterion = -1;    // ... and X's criterion index
    int def_index = -1;          // index into Module::results
};

struct Program {
    std::shared_ptr<Module> module;          // the checked AST (explanations cite it)
    std::shared_ptr<const Bindings> bindings;
    std::string name, version, source, sha256;
    std::string disease;                     // the bindings' diagnosis the pack is for ("" = any)
    Duration hold{3, 0};                     // default validity of one result
    std::vector<Instr> code;
    std::vector<NodeId> nodes;               // nodes[i]: source node of code[i]
    std::vector<Constant> consts;
    std::vector<Item> items;                 // evaluation order; slot i = items[i]
    int baseline_item = -1;                  // slot of the baseline anchor date, or -1
    Duration baseline_window{0, 90};
    std::vector<ClassId> cut_classes;        // classes whose new episodes end standing results (`cuts_results: true`)
    std::vector<int> normal_item_of_concept; // concept id -> slot of its normal range, or -1
    std::vector<int> criterion_item;         // criterion index -> slot
    std::vector<ResultInfo> results;

    // The AST node behind an instruction or item (for the language side and explanations).
    const Expr& node(NodeId id) const;
};

// Checks that every item's code is well typed on the stack and every operand
// is in range; a failure is a compiler bug, reported rather than run.
bool verify(const Program& p, Diagnostics& diags);

// The listing of `crit disasm`: one line per instruction with source line and synopsis.
std::string disassemble(const Program& p);
// The opcode reference (docs/bytecode.md) generated from opcodes.def.
std::string opcode_reference();

}  // namespace crit
