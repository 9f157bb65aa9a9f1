// SHA-256 of a rule file, so every result names the exact rules that made it.
#pragma once
#include <string>
#include <string_view>

namespace crit {
// Lower-case hex digest (OpenSSL's EVP implementation).
std::string sha256_hex(std::string_view data);
}  // namespace crit
