// `crit report`: one self-contained HTML page (docs/report.md). The cohort summary and
// the comparison matrices are written here as HTML; the swimmer plot and the patient
// sections are drawn in the page by report_assets/report.js from JSON embedded in it,
// because sorting, filtering and scrolling 1,000 lanes needs the data in the browser.
// Patients stream through add(): what is kept of each is its JSON, never its Timeline.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/gzip.hpp"
#include "cli/report_thresholds.hpp"
#include "out/results.hpp"
#include "core/timeline.hpp"
#include "data/records.hpp"
#include "vm/vm.hpp"

namespace crit {

// One pack of the report and what the page needs of it, found once.
struct ReportPack {
    const Program* program = nullptr;
    std::string file;   // the criteria file as given
    std::string label;  // the pack's name, or its file name when two packs share a name
    ResultsWriter writer;
    std::vector<Threshold> thresholds;
    ReportPack(const Program& p, std::string file_name);
};

// What a patient's section is drawn from: its lab series (in the unit the packs write
// their thresholds in), and per pack the results, episodes, anchors, criterion intervals,
// progression and relapse markers, the explain summary (data) and the full explanation.
// Every Evaluation must come from evaluate() with EvalContext::trace set.
class PatientSections {
public:
    explicit PatientSections(const std::vector<ReportPack>& packs);
    nlohmann::ordered_json patient(const Timeline& t, const std::vector<const Evaluation*>& evs) const;
    // The page's description of the packs: results and their values, criteria (those a
    // `first of` ranks shown by default), thresholds (with `changed` between two packs), chart units.
    nlohmann::ordered_json packs_json() const;

private:
    struct Chart {
        ConceptId concept_id;  // in the data's bindings (the first pack's)
        std::string unit;      // the chart's unit as the packs write it
        double factor = 1;     // canonical value / factor = value in `unit`
    };
    const std::vector<ReportPack>& packs_;
    std::vector<Chart> charts_;
};

// How the page carries its data: JSON (readable with view-source), or gzipped JSON in
// base64 (a tenth of the size); auto: JSON up to kPlainDataLimit bytes, gzip past it.
enum class DataEncoding { Auto, Json, Gzip };
inline constexpr std::size_t kPlainDataLimit = 4u << 20;

class Report {
public:
    // One pack: a cohort report; two: a comparison (the data read through the first's bindings).
    Report(const std::vector<ReportPack>& packs, std::vector<std::string> data_paths, std::optional<Day> as_of,
           DataEncoding encoding = DataEncoding::Auto);
    void add(const Timeline& t, const std::vector<const Evaluation*>& evs);
    void take(std::vector<Rejection>& batch);  // counts and clears
    void data_diagnostics(const Diagnostics& d);
    // The page; call once (the data stream is closed).
    std::string html();

private:
    std::string summary_html() const;
    std::string comparison_html() const;
    void write_data(std::string_view text);  // the patients stream out as they come, gzipped past the limit

    const std::vector<ReportPack>& packs_;
    PatientSections sections_;
    std::vector<std::string> data_paths_;
    std::optional<Day> as_of_;
    DataEncoding encoding_;
    std::string plain_;                // the data JSON, while it is kept as text
    std::unique_ptr<GzipWriter> gzip_;  // ... and once it is gzipped
    std::vector<std::string> ids_;
    // Per pack, per result: value text -> patients.
    std::vector<std::map<std::string, std::map<std::string, std::size_t>>> counts_;
    // Comparison: result -> (A value, B value) -> patient indexes.
    std::map<std::string, std::map<std::pair<std::string, std::string>, std::vector<std::size_t>>> matrix_;
    std::map<std::string, std::pair<std::size_t, bool>> rejected_by_reason_;  // reason -> (records, skipped?)
    std::size_t rejected_ = 0, skipped_ = 0, records_ = 0;
    std::vector<std::string> data_errors_;
    std::size_t data_error_count_ = 0;
};

// `crit explain --format html`: one patient's section as a page of its own.
std::string patient_page(const Program& p, const std::string& rules_file, const Timeline& t, const Evaluation& ev);

}  // namespace crit
