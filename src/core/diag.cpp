#include "core/diag.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

#include <fmt/format.h>

#include "core/text.hpp"

namespace crit {

namespace {
struct CodeRow {
    DiagCode code;
    const char* name;
    const char* summary;
};
constexpr CodeRow kCodes[] = {
#define DIAG(e, s, d) {DiagCode::e, s, d},
#include "core/diag_codes.def"
#undef DIAG
};
}  // namespace

const char* code_name(DiagCode c) { return kCodes[static_cast<int>(c)].name; }
const char* code_summary(DiagCode c) { return kCodes[static_cast<int>(c)].summary; }
std::vector<DiagCode> all_codes() {
    std::vector<DiagCode> v;
    for (const auto& r : kCodes) v.push_back(r.code);
    return v;
}

namespace {
// A cited line longer than this is shown as a window around the span.
constexpr std::size_t kExcerptMax = 240, kExcerptBefore = 80;
}  // namespace

Location Location::of(const Span& s) {
    Location l;
    if (!s.valid()) return l;
    l.file = s.file->name();
    std::tie(l.line, l.column) = s.file->line_col(s.begin);
    l.offset = s.begin;
    std::string_view text = s.file->line_text(l.line);
    std::size_t col0 = std::min<std::size_t>(text.size(), static_cast<std::size_t>(l.column - 1));
    l.length = static_cast<std::uint32_t>(std::min<std::size_t>(text.size() - col0, s.end - s.begin));
    l.column_utf16 = utf16_length(text.substr(0, col0)) + 1;
    l.end_column_utf16 = l.column_utf16 + std::max(1, utf16_length(text.substr(col0, l.length)));
    std::size_t from = 0;
    if (text.size() > kExcerptMax) {
        from = col0 > kExcerptBefore ? col0 - kExcerptBefore : 0;
        while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;  // whole characters
        std::size_t to = std::min(text.size(), from + kExcerptMax);
        while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
        text = text.substr(from, to - from);
        l.length = static_cast<std::uint32_t>(std::min<std::size_t>(l.length, text.size() - (col0 - from)));
    }
    l.excerpt = std::string(text);
    l.excerpt_column = static_cast<int>(col0 - from) + 1;
    return l;
}

std::string Location::where() const {
    if (!valid()) return "<unknown>";
    return fmt::format("{}:{}:{}", file, line, column);
}

SourcePtr read_source(const std::string& path, Diagnostics& diags) {
    std::string err;
    SourcePtr file = read_source(path, err);
    if (!file) diags.error(DiagCode::Io, Span{}, err);
    return file;
}

Diagnostic& Diagnostics::error(DiagCode c, Span s, std::string msg) {
    std::size_t before = items_.size();
    add(Diagnostic{Severity::Error, c, Location::of(s), std::move(msg), {}, {}});
    return items_.size() > before ? items_.back() : overflow_;
}

Diagnostic& Diagnostics::warning(DiagCode c, Span s, std::string msg) {
    std::size_t before = items_.size();
    add(Diagnostic{Severity::Warning, c, Location::of(s), std::move(msg), {}, {}});
    return items_.size() > before ? items_.back() : overflow_;
}

void Diagnostics::add(Diagnostic d) {
    if (d.severity == Severity::Error) {
        ++errors_;
        if (errors_ > limit_) return;
    } else if (items_.size() >= 4 * limit_) {
        return;
    }
    items_.push_back(std::move(d));
}

void Diagnostics::append(const Diagnostics& other) {
    for (const auto& d : other.items_) add(d);
    if (other.errors_ > other.limit_) errors_ += other.errors_ - other.limit_;
}

void Diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.at.file != b.at.file) return a.at.file < b.at.file;
        return a.at.offset < b.at.offset;
    });
}

static const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "note";
    }
    return "error";
}

std::string render(const Diagnostic& d) {
    std::string out;
    if (d.at.valid()) {
        const int line = d.at.line, col = d.at.excerpt_column;
        out = fmt::format("{}: {}[{}]: {}\n", printable(d.at.where()), severity_name(d.severity), code_name(d.code),
                          printable(d.message));
        std::string_view text = d.at.excerpt;
        std::string gutter = fmt::format("{:>5} | ", line);
        out += gutter;
        out += printable(text);  // unchanged unless the line holds broken text or control characters
        out += '\n';
        // Underline the span on its first line; tabs are kept so the caret lines up.
        // Columns count bytes; the caret counts characters (UTF-8 continuation bytes take no column).
        auto is_cont = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
        std::string pad;
        for (int i = 0; i < col - 1 && i < static_cast<int>(text.size()); ++i)
            if (!is_cont(text[i])) pad += text[i] == '\t' ? '\t' : ' ';
        std::size_t from = std::min<std::size_t>(text.size(), static_cast<std::size_t>(col - 1));
        std::size_t to = std::min<std::size_t>(text.size(), from + d.at.length);
        std::size_t width = 0;
        for (std::size_t i = from; i < to; ++i) width += !is_cont(text[i]);
        out += fmt::format("{:>5} | {}{}\n", "", pad, std::string(std::max<std::size_t>(width, 1), '^'));
    } else {
        out = fmt::format("{}[{}]: {}\n", severity_name(d.severity), code_name(d.code), printable(d.message));
    }
    for (const auto& n : d.notes) out += fmt::format("      = note: {}\n", printable(n));
    if (!d.suggestion.empty()) out += fmt::format("      = help: did you mean `{}`?\n", d.suggestion);
    return out;
}

std::string render(const Diagnostics& ds) {
    Diagnostics copy = ds;
    copy.sort();
    std::string out;
    for (const auto& d : copy.items()) out += render(d);
    std::size_t shown = 0;
    for (const auto& d : copy.items()) shown += d.severity == Severity::Error;
    if (ds.error_count() > shown)
        out += fmt::format("error: {} more errors not shown (limit reached)\n", ds.error_count() - shown);
    return out;
}

static std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t sub = prev[j - 1] + (std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1])) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::max<std::size_t>(2, name.size() / 3) + 1;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(name, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

}  // namespace crit
