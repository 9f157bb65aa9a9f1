// Text that comes from data, at the edges: whether it is valid UTF-8 (checked when a
// record is read, so nothing downstream meets broken text), and how to print what came
// from outside on a terminal without letting it drive the terminal.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace crit {

// The byte offset of the first byte that breaks UTF-8 (overlong forms, surrogates and
// code points past U+10FFFF included), or npos when `s` is valid.
std::size_t invalid_utf8_at(std::string_view s);
inline bool valid_utf8(std::string_view s) { return invalid_utf8_at(s) == std::string_view::npos; }

// `s` safe to print: invalid bytes as \xNN, control characters (ESC, CR, BEL, ...; not tab
// or newline) as \u00NN or \xNN. Valid text without controls comes back unchanged.
std::string printable(std::string_view s);

// UTF-16 code units in the UTF-8 bytes `s` (a 4-byte sequence is a surrogate pair):
// the columns editors (LSP) and SARIF viewers count.
int utf16_length(std::string_view s);

}  // namespace crit
