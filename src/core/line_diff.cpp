#include "core/line_diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace crit {

namespace {

struct Lines {
    std::vector<std::string_view> lines;
    bool final_newline = true;
};

Lines split(std::string_view t) {
    Lines r;
    std::size_t at = 0;
    while (at < t.size()) {
        std::size_t nl = t.find('\n', at);
        if (nl == std::string_view::npos) {
            r.lines.push_back(t.substr(at));
            r.final_newline = false;
            break;
        }
        r.lines.push_back(t.substr(at, nl - at));
        at = nl + 1;
    }
    return r;
}

enum class Op : std::uint8_t { Same, Del, Add };
struct Edit {
    Op op;
    std::size_t a, b;  // line index in old (Same, Del) and in new (Same, Add)
};

// The edit script: common prefix and suffix first, an LCS table for the middle. A middle
// too large for the table (no rule file comes near) is shown as deleted, then added.
std::vector<Edit> edits(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    std::size_t pre = 0;
    while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
    std::size_t suf = 0;
    while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
    std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
    std::vector<Edit> out;
    for (std::size_t i = 0; i < pre; ++i) out.push_back({Op::Same, i, i});
    constexpr std::size_t kMaxCells = 16u << 20;
    if (n * m > kMaxCells) {
        for (std::size_t i = 0; i < n; ++i) out.push_back({Op::Del, pre + i, pre});
        for (std::size_t j = 0; j < m; ++j) out.push_back({Op::Add, pre + n, pre + j});
    } else {
        // len[i][j]: the LCS of a[pre+i..] and b[pre+j..].
        std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[pre + i] == b[pre + j]) {
                out.push_back({Op::Same, pre + i++, pre + j++});
            } else if (j < m && (i == n || at(i, j + 1) > at(i + 1, j))) {
                out.push_back({Op::Add, pre + i, pre + j++});
            } else {
                out.push_back({Op::Del, pre + i++, pre + j});
            }
        }
    }
    for (std::size_t k = 0; k < suf; ++k) out.push_back({Op::Same, pre + n + k, pre + m + k});
    return out;
}

// `diff -u`'s range: "start,count", start 1-based, or the line before an empty range.
std::string range(std::size_t first, std::size_t count) {
    if (count == 1) return fmt::format("{}", first + 1);
    return fmt::format("{},{}", count == 0 ? first : first + 1, count);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text, const std::string& old_name,
                         const std::string& new_name) {
    if (old_text == new_text) return "";
    Lines a = split(old_text), b = split(new_text);
    std::vector<Edit> es = edits(a.lines, b.lines);
    constexpr std::size_t kContext = 3;
    std::string out = fmt::format("--- {}\n+++ {}\n", old_name, new_name);
    auto line = [&](char mark, const Lines& l, std::size_t i) {
        out += mark;
        out += l.lines[i];
        out += '\n';
        if (i + 1 == l.lines.size() && !l.final_newline) out += "\\ No newline at end of file\n";
    };
    std::size_t k = 0;
    while (k < es.size()) {
        while (k < es.size() && es[k].op == Op::Same) ++k;
        if (k == es.size()) break;
        // A hunk: from kContext lines before this change to kContext after the last change
        // that is no more than 2 * kContext unchanged lines from the one before it.
        std::size_t begin = k >= kContext ? k - kContext : 0, end = k;
        while (end < es.size()) {
            std::size_t next = end;
            while (next < es.size() && es[next].op != Op::Same) ++next;
            std::size_t same = next;
            while (same < es.size() && es[same].op == Op::Same) ++same;
            if (same == es.size() || same - next > 2 * kContext) {
                end = std::min(es.size(), next + kContext);
                break;
            }
            end = same;
        }
        std::size_t acount = 0, bcount = 0;
        for (std::size_t x = begin; x < end; ++x) {
            if (es[x].op != Op::Add) ++acount;
            if (es[x].op != Op::Del) ++bcount;
        }
        out += fmt::format("@@ -{} +{} @@\n", range(es[begin].a, acount), range(es[begin].b, bcount));
        for (std::size_t x = begin; x < end; ++x) {
            if (es[x].op == Op::Same) line(' ', a, es[x].a);
            else if (es[x].op == Op::Del) line('-', a, es[x].a);
            else line('+', b, es[x].b);
        }
        k = end;
    }
    return out;
}

}  // namespace crit
