// Results out: JSON lines (one object per patient), CSV and a human table, all views of
// the same Evaluation. The JSON object carries what a plot needs besides the results:
// the treatment episodes, the pack's anchor dates, and each criterion's met and unknown
// intervals (docs/semantics.md, "Results out").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/timeline.hpp"
#include "data/records.hpp"
#include "lang/bytecode.hpp"
#include "vm/vm.hpp"

namespace crit {

// What the outputs need from a program, found once and shared by every patient and thread.
class ResultsWriter {
public:
    explicit ResultsWriter(const Program& p);

    // The patient's object: patient, as_of, ruleset, results, episodes, anchors, criteria.
    nlohmann::ordered_json patient_json(const Timeline& t, const Evaluation& ev) const;
    // patient_json as one line (text that is not UTF-8 is written as U+FFFD).
    std::string json_line(const Timeline& t, const Evaluation& ev) const;
    // CSV: patient, as_of, one column per result, then ruleset, ruleset_version, ruleset_sha256.
    std::string csv_header() const;
    std::string csv_row(const Evaluation& ev) const;

    // The drug classes the pack names (their episodes are written), in order of first use.
    const std::vector<ClassId>& classes() const { return classes_; }

private:
    const Program& p_;
    std::vector<ClassId> classes_;
    // The date and episode definitions and the baseline, with their keys in `anchors`
    // (an episode has two: NAME.start and NAME.end).
    struct Anchor {
        std::size_t slot;
        bool episode;
        std::string key, end_key;
    };
    std::vector<Anchor> anchors_;
    bool unique_keys_ = true;           // no object of a line repeats a key (see json_line)
};

// The days of a truth series in state `v`, as [from, to] runs.
std::vector<std::pair<Day, Day>> intervals(const TruthSeries& s, const Domain& dom, Truth v);

// A patient diagnosed with another disease than the pack's (`disease` in its header): the
// rejection saying so (other-disease, a skip), and the patient is not evaluated. nullopt
// when the pack names no disease or the patient's diagnosis is not known.
std::optional<Rejection> other_disease(const Program& p, const Timeline& t);

// One CSV cell: quoted when it must be, and a leading ' on text a spreadsheet would run
// as a formula (= + - @): patient ids come from data nobody here wrote.
std::string csv_cell(const std::string& raw);

// The human table: one row per patient, one column per result.
class TableWriter {
public:
    explicit TableWriter(const Program& p);
    void add(const Evaluation& ev);
    std::string render() const;

private:
    std::vector<std::string> head_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace crit
