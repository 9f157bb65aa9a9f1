// Diagnostics are data: collected, sorted and rendered one way
// (`file:line:col: error[code]: message`, the source line, a caret).
#pragma once
#include <cstdint>
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

// Where a diagnostic points, resolved when it is reported: it owns its text, so a
// diagnostic never keeps the file it cites alive (a run over 4,000 Bundles holds
// no Bundle after it is loaded). `excerpt` is the cited line, or a window of it on
// a long line (a minified Bundle), with the span at excerpt_column.
struct Location {
    std::string file;
    int line = 0, column = 0;        // 1-based; column counts bytes
    std::uint32_t offset = 0;        // byte offset of the span in the file
    std::uint32_t length = 0;        // bytes of the span on its first line
    std::string excerpt;
    int excerpt_column = 0;          // 1-based byte column of the span in `excerpt`
    int column_utf16 = 0;            // 1-based column in UTF-16 code units (SARIF, LSP)
    int end_column_utf16 = 0;        // just past the span on its first line, in UTF-16 code units
    bool valid() const { return line > 0; }
    // "file:line:col", or "<unknown>".
    std::string where() const;
    static Location of(const Span& s);
};

struct Diagnostic {
    Severity severity = Severity::Error;
    DiagCode code = DiagCode::Syntax;
    Location at;
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

// Reads a file for a loader; on failure reports DiagCode::Io and returns nullptr.
SourcePtr read_source(const std::string& path, Diagnostics& diags);

// The closest candidate by edit distance, or "" when none is close enough.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace crit
