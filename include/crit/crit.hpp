// crit as a library: compile a rule pack, open patient data, evaluate one patient or a
// stream, and read the results, the criteria's intervals and the evidence trace
// (docs/library.md). The header uses the standard library only; everything else stays
// inside libcrit. A Pack is immutable once compiled and may be shared by threads.
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace crit::api {

// A diagnostic as crit reports it: `file:line:column: severity[code]: message`.
struct Diagnostic {
    std::string severity;  // error | warning | note
    std::string code;      // the stable code (docs/diagnostics), e.g. unknown-name
    std::string file;
    int line = 0, column = 0;  // 1-based; 0 when the diagnostic has no position
    std::string message;
    std::string rendered;  // the full text crit prints, with the source line and caret
};

// A record the loaders did not use, and why (docs/data.md, "every rejection reason").
struct Rejection {
    std::string file;
    int line = 0;
    std::string path;     // JSON path or column of the offending value
    std::string patient;  // "" when not known
    std::string reason;   // stable name, e.g. unknown-unit
    std::string detail;
    bool skip = false;    // a skip (unbound code, other disease), not a data error
};

// What failed: kind is "rules" (the pack does not compile), "data" (a file cannot be
// read, a patient is not in the data) or "usage" (a bad argument such as an as-of date).
// what() is the first error as crit prints it.
class Error : public std::runtime_error {
public:
    Error(std::string kind, std::string what, std::vector<Diagnostic> diagnostics = {});
    const std::string& kind() const { return kind_; }
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::string kind_;
    std::vector<Diagnostic> diagnostics_;
};

struct CompileOptions {
    std::string bindings;                     // another bindings file than the pack's header names
    std::vector<std::string> allow_bindings;  // bindings a header may name outside its folder
};

// One named result of a patient.
struct Value {
    std::string name;
    enum class Kind { Absent, Label, Boolean, Date } kind = Kind::Absent;
    std::string text;   // the label, true / false, or YYYY-MM-DD; "" when absent
    bool truth = false; // Boolean only
};

// A run of days on which a criterion was met or could not be told (not-met days are the rest).
struct Interval {
    std::string criterion;
    std::string from, to;  // YYYY-MM-DD, both included
    std::string state;     // met | unknown
};

// One patient's evaluation, detached from the run that made it.
struct Result {
    std::string patient;
    std::optional<std::string> as_of;  // none when the patient has no dated record
    std::vector<Value> values;         // in the pack's result order
    std::vector<Interval> intervals;   // by criterion in pack order, then by date
    std::string json_line;             // exactly `crit run`'s line for the patient (no newline)
    // With EvalOptions::explain: `crit explain`'s text, and its summary as JSON
    // (`crit explain --format json`): what decided each result, with the records.
    std::string explanation, explanation_json;
};

// One patient's data, as the loaders built it (opaque; evaluate it with Pack::evaluate).
class Patient {
public:
    const std::string& id() const;
    std::size_t records() const;  // observations and treatments
    struct Impl;
    explicit Patient(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
    const Impl& impl() const { return *impl_; }

private:
    std::shared_ptr<const Impl> impl_;
};

struct EvalOptions {
    std::optional<std::string> as_of;  // YYYY-MM-DD; default: each patient's last dated record
    bool explain = false;              // trace the evaluation and fill Result::explanation*
};

struct RunOptions : EvalOptions {
    unsigned threads = 1;
};

// What reading the data reported: counts as `crit run`'s summary line has them, every
// rejection, and file-level diagnostics (an unreadable file is an error; the run goes on).
struct DataReport {
    std::size_t patients = 0, records = 0, rejected = 0, skipped = 0, data_errors = 0;
    std::vector<Rejection> rejections;
    std::vector<Diagnostic> diagnostics;
    // `crit run`'s closing JSON line: {"summary":{"complete":true,...}}.
    std::string summary_line() const;
};

class Pack {
public:
    // Compiles a rule file; throws Error("rules") with every diagnostic when it has errors.
    static Pack compile(const std::string& path, const CompileOptions& opt = {});
    // The same from text in memory; `name` stands for the file in diagnostics.
    static Pack compile_text(const std::string& name, const std::string& text, const CompileOptions& opt = {});

    const std::string& path() const;
    std::string name() const;
    std::string version() const;
    std::string sha256() const;
    std::vector<std::string> result_names() const;
    std::vector<std::string> criterion_names() const;
    // The compiler's warnings and notes (a pack with errors does not compile).
    const std::vector<Diagnostic>& diagnostics() const;

    // Streams the patients of `paths` (files or directories; formats as `crit run` reads
    // them) to `sink` in input order, without evaluating them.
    DataReport each_patient(const std::vector<std::string>& paths, const std::function<void(Patient&&)>& sink) const;
    // The patient `id` of `paths`, if there. Reads the data once.
    std::optional<Patient> find(const std::vector<std::string>& paths, const std::string& id) const;
    // Evaluates one patient. Throws Error("data") for a patient of another disease than the
    // pack's, Error("usage") for a bad as-of date.
    Result evaluate(const Patient& patient, const EvalOptions& opt = {}) const;
    // Evaluates every patient of `paths` on `threads` threads, as `crit run` does; `sink`
    // gets each Result in input order, on the calling thread. Patients of another disease
    // are rejections (skips), not results.
    DataReport run(const std::vector<std::string>& paths, const RunOptions& opt,
                   const std::function<void(Result&&)>& sink) const;

    struct Impl;

private:
    explicit Pack(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<const Impl> impl_;
};


}  // namespace crit::api
