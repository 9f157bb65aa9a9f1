// The owning AST of a criteria file. Every node has a Span into the source and
// a NodeId; instructions, traces and explanations refer back to nodes by id.
// Parsing fills the syntax fields; the checker fills the `Resolved` part.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bindings.hpp"
#include "core/dates.hpp"
#include "core/source.hpp"
#include "core/vocabulary.hpp"

namespace crit {

enum class ExprKind : std::uint8_t {
    Name,        // text: a concept, criterion or definition
    Quantity,    // number (+ unit text)
    DateLit,     // day
    Compare,     // kids: [subject or null, operand]; op
    Change,      // kids: [subject or null, amount]; increase, by_amount, ref
    IsValue,     // kids: [subject or null]; text = label; negated
    Not, Ever, Never,          // kids: [operand]
    NeverShown,                // kids: [operand, anchor date]: `never shown A since X`
    Known, IsUnknown,          // kids: [operand]: whether the data decide it
    And, Or,                   // kids: operands (n-ary); Or of dates: the first that has happened
    Unless,                    // kids: [operand, exception]
    Temporal,                  // kids: [operand, date (not for For)]; temporal, dur
    Group,                     // kids: clauses; combinator, count, among_abnormal
    First, Last,               // kids: [operand]: date of first met day / first or last treatment episode
    Field,                     // kids: [episode]; text = "start" | "end"
    DateOffset,                // kids: [date]; dur (negative when `-`)
    OnClass,                   // text: class name
    TreatmentOf,               // text: class name
};

enum class TemporalKind : std::uint8_t { For, Within, AtLeastAfter, After, Before, From, At, MeasuredFrom };
enum class Combinator : std::uint8_t { All, Any, None, AtLeast };
enum class RefPoint : std::uint8_t { Baseline, Nadir };



const char* temporal_name(TemporalKind k);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    ExprKind kind = ExprKind::Name;
    NodeId id = 0;
    Span span;
    std::string text;             // name, unit, label or field
    double number = 0;            // Quantity literal
    Day day = 0;                  // DateLit
    Duration dur;                 // Temporal, DateOffset
    CmpOp op = CmpOp::Eq;
    TemporalKind temporal = TemporalKind::For;
    Combinator combinator = Combinator::All;
    RefPoint ref = RefPoint::Baseline;
    int count = 0;                // at least N
    bool negated = false;         // `is not`
    bool increase = false;        // Change direction
    bool by_amount = false;       // `decreased by >= 2 g/dL` (absolute) vs relative
    bool among_abnormal = false;  // Group: count only parameters abnormal at baseline
    std::vector<std::string> cites;  // `cite` lines inside a group
    std::vector<ExprPtr> kids;

    // Filled by the checker.
    struct Resolved {
        Type type = Type::Unknown;
        enum class Ref : std::uint8_t { None, Concept, Criterion, Definition, Builtin } ref = Ref::None;
        int index = -1;           // concept id, criterion or definition index, or PatientDate
        Dimension dim = Dimension::None;
        double canonical = 0;     // Quantity literal in canonical units
        int code = -1;            // IsValue: index into the concept's values
        int class_id = -1;        // OnClass / TreatmentOf
        int subject_concept = -1; // the concept a relation is about (explicit or borrowed)
        // Name: when the unit compared with it picked another measure of the concept written
        // (`measure_of` in the bindings), that measure's name; `text` keeps what was written.
        std::string measure;
    } r;
};

// The concept a (checked) clause is about: the subject of its first relation or concept
// name, or -1. `among abnormal at baseline` judges a group member by this concept.
int subject_concept_of(const Expr& e);

struct Header {
    Span span;
    std::string name, version, source, disease, bindings;
    std::optional<Duration> hold;
    std::vector<std::string> cites, notes;
};

struct Criterion {
    Span span;       // the whole item
    Span name_span;
    std::string name, title;
    std::vector<std::string> cites, notes;
    ExprPtr body;
};

struct Definition {
    Span span, name_span;
    std::string name;
    ExprPtr value;
};

struct NormalDef {
    Span span, name_span;
    std::string concept_name;
    ExprPtr expr;    // truth expression; a bare relation gets the concept as its subject
};

struct BaselineDef {
    Span span;
    Duration window;
    ExprPtr anchor;
};

struct ResultDef {
    using Kind = ResultKind;
    Kind kind = Kind::Value;
    struct Choice {
        Span span;
        std::string label;
        ExprPtr cond;    // FirstOf: Name of a criterion
    };
    Span span, name_span;
    std::string name;
    std::vector<Choice> choices;
    std::optional<std::string> else_label;
    ExprPtr until;       // FirstOf: `until PD`, Name of the terminating criterion (or null)
    ExprPtr value;       // Kind::Value
};

// One parsed criteria file.
struct Module {
    SourcePtr source;
    std::optional<Header> header;
    std::vector<Criterion> criteria;
    std::vector<Definition> definitions;
    std::vector<NormalDef> normals;
    std::optional<BaselineDef> baseline;
    std::vector<ResultDef> results;
    NodeId node_count = 0;
    // All expression nodes by id (non-owning), for traces and explanations.
    std::vector<const Expr*> nodes;
};

}  // namespace crit
