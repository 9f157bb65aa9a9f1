// What the report draws from a pack besides results: the concepts it reads (their lab
// series are charted) and its thresholds (a concept compared with a number), drawn on
// those charts as labelled lines and compared between two packs.
#pragma once
#include <string>
#include <vector>

#include "lang/bytecode.hpp"

namespace crit {

struct Threshold {
    ConceptId concept_id = 0;
    CmpOp op = CmpOp::Eq;
    double canonical = 0;   // the number in the concept's canonical unit
    std::string written;    // the number and unit as the pack writes them: "100 x10^9/L"
    std::string unit;       // the unit as written ("" for a bare number)
    std::string where;      // the criterion, definition or result it is written in; "normal" for a normal range
    int line = 0;
};

// Every `concept OP number` clause of the checked AST, in source order. A clause the
// checker pointed at another measure (`lymphocytes < 30%`) is about that measure.
std::vector<Threshold> thresholds(const Program& p);

// The concepts the compiled code reads (LOAD_Q, CHANGE, LOAD_BOOL, ...), in order of first use.
std::vector<ConceptId> concepts_read(const Program& p);

// "platelets >= 100 x10^9/L (CR_clinical, line 50)".
std::string threshold_label(const Program& p, const Threshold& t);

}  // namespace crit
