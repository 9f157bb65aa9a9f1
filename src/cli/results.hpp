// Results out: JSON lines (data-contract.md), CSV and a human table, all views
// of the same Evaluation.
#pragma once
#include <string>
#include <vector>

#include "lang/bytecode.hpp"
#include "vm/vm.hpp"

namespace crit {

// One JSON object (one line) for a patient.
std::string json_line(const Program& p, const Evaluation& ev);
// CSV header and row: patient, as_of, one column per result.
std::string csv_header(const Program& p);
std::string csv_row(const Program& p, const Evaluation& ev);

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

// Met intervals of a truth series as [from, to] dates.
std::vector<std::pair<Day, Day>> met_intervals(const TruthSeries& s, const Domain& dom);

}  // namespace crit
