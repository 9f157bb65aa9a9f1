// The bottom of the data wing: what every loader shares and nothing else.
// Rejections and their reasons (the table in reject_reasons.def), the sink a loader
// hands finished patients to, and the record conversions (units, censored
// quantities, yes/no, coded values, phases) that make the YAML, CSV and FHIR
// loaders reject alike. Loaders include this, never the front door (load_data.hpp).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bindings.hpp"
#include "core/timeline.hpp"

namespace crit {

// Error: a data problem (counted by --strict). Skip: a record crit has no use for.
enum class RejectSeverity : std::uint8_t { Error, Skip };

enum class RejectReason : std::uint8_t {
#define REJECT(name, text, severity, formats, meaning, example, fix) name,
#include "data/reject_reasons.def"
#undef REJECT
};

// The stable string of a reason (`--rejects`, the summary, scripts).
const char* reject_reason_name(RejectReason r);
// Its one-line meaning.
const char* reject_reason_meaning(RejectReason r);
// A skip is a record crit has no use for (reported and counted, not a data error:
// `--strict` leaves it out); every other reason is a data error.
bool is_skip(RejectReason r);
std::optional<RejectReason> reject_reason_by_name(std::string_view name);
std::size_t reject_reason_count();

// A record a loader could not use: reported and counted, never silently dropped.
struct Rejection {
    Origin origin;
    std::string patient_id;
    RejectReason reason = RejectReason::BadRecord;
    std::string detail;          // human message
};

inline bool is_skip(const Rejection& r) { return is_skip(r.reason); }

struct LoadResult {
    std::vector<Timeline> patients;
    std::vector<Rejection> rejections;
};

// Receives each finished (finalized) patient timeline, once, in a deterministic order.
using PatientSink = std::function<void(Timeline&&)>;

// What a load cost, phase by phase (`crit run --stats`, docs/performance.md), and how far
// it has got (`bytes`, read by the progress line from another thread). NDJSON phase times
// are CPU seconds of the threads doing them (parse and records add up all parsing
// threads); detect and bundles are wall seconds.
struct LoadStats {
    std::atomic<std::uint64_t> bytes{0};  // input bytes read (the first read of each file)
    bool phases = false;   // split parse / records / finish (a clock read per line: --stats only)
    double detect = 0;     // format detection (the head of every file)
    double index = 0;      // NDJSON pass 1: file I/O, line scan, head parse, index
    double index_wall = 0; // NDJSON pass 1 in wall-clock seconds (nothing is evaluated meanwhile)
    double group = 0;      // NDJSON: sorting the index by patient
    double read_back = 0;  // NDJSON pass 2: reading the lines of a batch back
    double parse = 0;      // JSON parse into the positioned tree (JNode)
    double records = 0;    // tree -> timeline records (codes, units, dates, rejections)
    double finish = 0;     // timeline construction (finish, finalize) and handing patients on
    double bundle = 0;     // Bundle files: read, parse and build, all in one
};

// Record conversions shared by the FHIR and CSV loaders (same rules, and the
// same rejection reasons, as the YAML loader).
namespace facts {

struct Fail {
    RejectReason reason;
    std::string detail;
};

std::string lower(std::string_view s);
std::string_view trim(std::string_view s);

// "<", "<=", ">", ">=", "=" (also "≤", "≥"); nullopt for anything else.
std::optional<Comparator> comparator_of(std::string_view s);

// "<0.005 %" -> {Lt, 0.005, "%"}; has_cmp says whether a comparator was written.
struct QtyText {
    Comparator cmp = Comparator::Eq;
    bool has_cmp = false;
    double value = 0;
    std::string unit;
};
std::optional<QtyText> parse_qty_text(std::string_view s);
// A plain decimal number (a JSON number token, a CSV value): nullopt when it is not one or
// does not fit a double (overflow, or underflow such as 1e-400).
std::optional<double> number_of(std::string_view s);

// Converts `v` written in `unit` to the concept's unit (value * unit.factor /
// concept.unit.factor). Fails with missing-unit, unknown-unit or unit-dimension;
// never converts across dimensions.
// `known`: the unit `unit` spells, when the caller has already looked it up (a loader that
// chose between two spellings by looking both up does not look the winner up again).
std::optional<Fail> to_concept_unit(const Concept& c, double v, const std::string& unit, double& out,
                                    const Unit* known = nullptr);

// The concept a value of concept `c` written in `unit` belongs to: `c`, or the measure
// of `c` (`measure_of` in the bindings) whose dimension the unit has, so that
// `lymphocytes: 25 %` files the lymphocyte share. A unit that is unknown, or that no
// measure fits, keeps `c` (whose conversion then rejects it). For loaders that name
// concepts (YAML, CSV); codes name the measure themselves.
ConceptId measure_for_unit(const Bindings& b, ConceptId c, std::string_view unit);

// true / false / yes / no (any case); nullopt otherwise.
std::optional<bool> boolean_of(std::string_view s);

// Index of `s` among the concept's coded values (case-insensitive).
std::optional<std::size_t> coded_index(const Concept& c, std::string_view s);
// "normocellular, hypocellular, hypercellular", for messages.
std::string value_list(const Concept& c);

// A treatment's phase as data write it (YAML `phase:`, the CSV `phase` column): a phase's name
// or one of its `text:` phrases (Bindings::phase_by_name). The course gets the phase and its
// classes; a value that names no phase fails with `unknown-phase`.
std::optional<Fail> phase_of(const Bindings& b, std::string_view value, Treatment& t);
// "`ibrutinb` is not a drug in the bindings (did you mean `ibrutinib`?)".
std::string unknown_drug(const Bindings& b, const std::string& name);
// Gives course `t` phase `phase` (an index into Bindings::phases) and that phase's classes.
void set_phase(const Bindings& b, std::size_t phase, Treatment& t);


}  // namespace facts

}  // namespace crit
