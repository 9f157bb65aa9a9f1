#include "core/source.hpp"

#include <filesystem>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace crit {

SourceFile::SourceFile(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

std::pair<int, int> SourceFile::line_col(std::uint32_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    int line = static_cast<int>(it - line_starts_.begin());
    return {line, static_cast<int>(offset - line_starts_[line - 1]) + 1};
}

std::uint32_t SourceFile::offset_of(int line, int col) const {
    if (line < 1) return 0;
    if (line > line_count()) return static_cast<std::uint32_t>(text_.size());
    std::uint32_t start = line_starts_[line - 1];
    auto len = static_cast<std::uint32_t>(line_text(line).size());
    return start + std::min<std::uint32_t>(len, col > 0 ? col - 1 : 0);
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || line > line_count()) return {};
    std::uint32_t start = line_starts_[line - 1];
    std::uint32_t end = line < line_count() ? line_starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
    std::string_view v(text_.data() + start, end - start);
    if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
    return v;
}

SourcePtr read_source(const std::string& path, std::string& error) {
    // A device or pipe (/dev/zero, a FIFO) would be read without end or only once.
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
        error = fmt::format("{}: not a regular file", path);
        return nullptr;
    }
    // Positions are 32-bit offsets: a file read whole must be smaller than 4 GiB.
    if (auto size = std::filesystem::file_size(path, ec); !ec && size >= kMaxWholeFileBytes) {
        error = fmt::format("{}: {} bytes is too large to read whole (at most {}); a Bulk export is NDJSON, read "
                            "line by line",
                            path, size, kMaxWholeFileBytes - 1);
        return nullptr;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("{}: cannot open file", path);
        return nullptr;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        error = fmt::format("{}: read error", path);
        return nullptr;
    }
    return std::make_shared<SourceFile>(path, ss.str());
}

std::string Span::where() const {
    if (!file) return "<unknown>";
    auto [l, c] = file->line_col(begin);
    return fmt::format("{}:{}:{}", file->name(), l, c);
}

}  // namespace crit
