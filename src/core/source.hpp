// Source text and positions: the one position model used by every stage.
// Lines and columns are 1-based, as in PEGTL and editors; columns count bytes.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crit {

// A loaded text file (criteria, YAML, CSV): name, bytes and line-start offsets.
class SourceFile {
public:
    SourceFile(std::string name, std::string text);
    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }
    // 1-based line and column of a byte offset.
    std::pair<int, int> line_col(std::uint32_t offset) const;
    // Byte offset of a 1-based line/column (clamped to the text).
    std::uint32_t offset_of(int line, int col) const;
    // The text of a 1-based line, without its newline.
    std::string_view line_text(int line) const;
    int line_count() const { return static_cast<int>(line_starts_.size()); }

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

using SourcePtr = std::shared_ptr<const SourceFile>;

// Files read whole (rules, bindings, YAML, CSV, Bundles) are addressed by 32-bit offsets.
inline constexpr std::uint64_t kMaxWholeFileBytes = std::uint64_t{1} << 32;

// Reads a file; returns nullptr and sets `error` when it cannot be read.
SourcePtr read_source(const std::string& path, std::string& error);

// A half-open byte range [begin, end) in a source file.
struct Span {
    const SourceFile* file = nullptr;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;

    bool valid() const { return file != nullptr; }
    int line() const { return file ? file->line_col(begin).first : 0; }
    int column() const { return file ? file->line_col(begin).second : 0; }
    std::string_view text() const {
        return file ? std::string_view(file->text()).substr(begin, end - begin) : std::string_view();
    }
    // "file:line:col", or "<unknown>".
    std::string where() const;
};

}  // namespace crit
