// Diagnostics are data: collected, sorted and rendered one way
// (`file:line:col: error[code]: message`, the source line, a caret).
#pragma once
#include <string>
#include <vector>

#include "core/source.hpp"

namespace crit {

enum class DiagCode {
#define DIAG(e, s, d) e,
#include "core/diag_codes.def"
#undef DIAG
};

// The stable text of a code, e.g. "unknown-name".
const char* code_name(DiagCode c);
// The one-line summary of a code.
const char* code_summary(DiagCode c);
// Every code, in table order (for docs and tests).
std::vector<DiagCode> all_codes();

enum class Severity { Error, Warning, Note };

struct Diagnostic {
    Severity severity = Severity::Error;
    DiagCode code = DiagCode::Syntax;
    Span span;
    std::string message;
    std::vector<std::string> notes;  // each rendered as "  = note: ..."
    std::string suggestion;          // rendered as "  = help: did you mean `...`?"
};

// A list of diagnostics with an error cap: past `limit` errors, further ones
// are counted but not kept, so a hostile file cannot make output unbounded.
class Diagnostics {
public:
    explicit Diagnostics(std::size_t limit = 50) : limit_(limit) {}
    Diagnostic& error(DiagCode c, Span s, std::string msg);
    Diagnostic& warning(DiagCode c, Span s, std::string msg);
    void add(Diagnostic d);
    bool has_errors() const { return errors_ > 0; }
    std::size_t error_count() const { return errors_; }
    const std::vector<Diagnostic>& items() const { return items_; }
    void sort();
    void append(const Diagnostics& other);

private:
    std::size_t limit_;
    std::size_t errors_ = 0;
    std::vector<Diagnostic> items_;
    Diagnostic overflow_;  // absorbs writes past the cap
};

// Renders one diagnostic with its source line and a caret under the span.
std::string render(const Diagnostic& d);
// Renders all, sorted, then a summary line when errors were dropped by the cap.
std::string render(const Diagnostics& ds);

// The closest candidate by edit distance, or "" when none is close enough.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace crit
