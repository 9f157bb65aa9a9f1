#include "core/text.hpp"

#include <fmt/format.h>

namespace crit {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t sequence_at(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogates
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // past U+10FFFF
    return n;
}
}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = sequence_at(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = sequence_at(s, i);
        auto c = static_cast<unsigned char>(s[i]);
        if (n == 0) {
            out += fmt::format("\\x{:02X}", c);
            ++i;
        } else if (n == 1 && ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)) {
            out += fmt::format("\\x{:02X}", c);
            ++i;
        } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
            out += fmt::format("\\u00{:02X}", static_cast<unsigned char>(s[i + 1]));  // C1 controls (CSI, ...)
            i += 2;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

int utf16_length(std::string_view s) {
    int n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) == 0x80) continue;
        n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

}  // namespace crit
