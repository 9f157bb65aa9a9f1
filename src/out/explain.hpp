// `crit explain`: why a patient got each result. Every line cites the rule
// line, the criterion's source, and the data points (with their file and line)
// that decided it; unknowns say what data was missing.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lang/bytecode.hpp"
#include "core/timeline.hpp"
#include "vm/vm.hpp"

namespace crit {

struct ExplainOptions {
    std::string result;    // only this result ("": all)
    bool failing = false;  // only the summary: the conditions that decided
    std::string format = "text";  // text; json: the summary as data (conditions with their records); html: a page, written by cli (report.hpp patient_page)
};

// `ev` must come from evaluate() with EvalContext::trace set. Starts with a summary per
// result (what decided it and, for a category, why each better-ranked one failed, with
// the data points), then the full tree of every result.
std::string explain(const Program& p, const Timeline& t, const Evaluation& ev, const ExplainOptions& opt = {});
// The summary of one named result only (no header): what decided it, why each better-ranked
// category failed; for `crit compare`.
std::string explain_summary(const Program& p, const Timeline& t, const Evaluation& ev, const std::string& result);
// What decided one result, as the summary states it: for outputs that cite it (FHIR).
struct ResultGrounds {
    std::string summary;  // the result's lines of the summary (the rule line cited)
    // The records (indices into Timeline::observations) behind the conditions the summary
    // gives: those that held, those that kept a better-ranked choice from holding, and the
    // baseline or nadir a change was compared with. First citation first, no repeats.
    std::vector<std::uint32_t> records;
};
// Every result's grounds, in Program::results order; `ev` as for explain().
std::vector<ResultGrounds> result_grounds(const Program& p, const Timeline& t, const Evaluation& ev);
// The explanation of one named result only (no header).
std::string explain_result(const Program& p, const Timeline& t, const Evaluation& ev, const std::string& result);

}  // namespace crit
