// The VM: runs a compiled Program over one patient's timeline. The Program is
// shared and immutable; an EvalContext holds one thread's reusable buffers, so
// evaluating a patient allocates little once the buffers have grown.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/bytecode.hpp"
#include "vm/series.hpp"
#include "core/timeline.hpp"

namespace crit {

// One named result of a patient, typed: a category label, a truth, or a date.
struct ResultValue {
    std::string name;
    enum class Kind : std::uint8_t { Absent, Label, Boolean, Date } kind = Kind::Absent;
    std::string label;         // Label: the category (from the program's result table)
    bool truth = false;        // Boolean
    Day day = 0;               // Date
    int choice = -1;           // which choice decided a label (-1: the else label)
    Day decided_on = 0;        // the day the deciding condition held (explanations start there)
};

// A result as output writes it: the label, true / false, or the date (YYYY-MM-DD);
// `absent` when the result has no value.
std::string result_text(const ResultValue& r, std::string_view absent = "");

// What an instruction read, recorded by the VM when tracing, so that explanations
// cite the evidence the verdict was computed from instead of deriving it again.
struct Evidence {
    std::uint32_t pc = 0;
    // LOAD_Q / LOAD_BOOL / IS_CODE: how long one result stands.
    Duration hold;
    // LOAD_BOOL / IS_CODE: the record standing each day (QSeg::obs; known = false where
    // none stands; obs = kAssumedAbsent where `recorded: when-present` reads absence).
    QuantSeries records;
    // CHANGE: the record compared with each day (the baseline, or the nadir so far).
    QuantSeries reference;
    // AT_LEAST among abnormal at baseline: for each member, whether it was abnormal at
    // baseline (met: counted; not met: normal, left out; unknown: not known).
    std::vector<Truth> counted;
    // NEVER_SHOWN: the first day from the anchor on that the operand held, and that it did not.
    std::optional<Day> shown, not_shown;
    // WINDOW: `at` reads its operand on one day; the others keep the days [from, to].
    std::optional<Day> read_on;
    Day from = 0, to = 0;
};

struct Evaluation {
    std::string patient_id;
    Domain domain;
    bool dated = true;                 // false: no dated record and no --as-of (the domain is meaningless)
    std::vector<Value> slots;          // every item's value, by slot
    std::vector<ResultValue> results;  // in Program::results order
    std::optional<Day> baseline_day;
    // Trace (only when requested): the value each instruction left on the stack,
    // and what the instructions that read data, baselines or windows used.
    std::vector<std::pair<std::uint32_t, Value>> trace;
    std::vector<Evidence> evidence;
};

// Per-thread scratch space reused across patients.
class EvalContext {
public:
    bool trace = false;
    // Scratch reused by every instruction (their capacity survives across patients).
    struct Scratch {
        TruthSeries series;
        std::vector<const TruthSeries*> inputs;
        std::vector<Truth> flags;
        std::vector<Day> cuts;
        std::vector<DateVal> floors;
    };
private:
    friend Evaluation& evaluate(const Program&, const Timeline&, std::optional<Day>, EvalContext&);
    std::vector<Value> stack_;
    std::size_t top_ = 0;
    Evaluation eval_;
    Scratch scratch_;
};

// Evaluates `p` for one patient as of `as_of` (default: the last dated record).
// The returned reference lives in `ctx` until its next evaluate().
Evaluation& evaluate(const Program& p, const Timeline& t, std::optional<Day> as_of, EvalContext& ctx);

}  // namespace crit
