// The Language Server Protocol's wire: JSON-RPC messages framed by a
// `Content-Length` header (the base protocol), read from and written to streams.
#pragma once
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace crit {

// A frame as read: its body, or why it could not be read. End of input is nullopt.
struct LspFrame {
    std::string body;
    std::string error;  // non-empty: the headers were unusable, the body skipped
};

// Bodies larger than this are refused (and skipped), so a hostile client cannot
// make the server allocate without bound.
inline constexpr std::size_t kMaxLspBody = std::size_t{64} << 20;

std::optional<LspFrame> read_lsp_frame(std::istream& in);
void write_lsp_frame(std::ostream& out, const std::string& body);

}  // namespace crit
