#include "cli/lsp_transport.hpp"

#include <cctype>
#include <charconv>

namespace crit {

namespace {
std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

std::optional<LspFrame> read_lsp_frame(std::istream& in) {
    LspFrame f;
    std::optional<std::size_t> length;
    bool bad_length = false, any_header = false;
    std::string line;
    while (true) {
        if (!std::getline(in, line)) return std::nullopt;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) {
            // Blank lines between frames (some clients send a stray newline) are not a frame.
            if (!any_header) continue;
            break;
        }
        any_header = true;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        if (lower(line.substr(0, colon)) != "content-length") continue;
        std::string v = line.substr(colon + 1);
        std::size_t b = v.find_first_not_of(" \t");
        std::size_t n = 0;
        auto [p, ec] = std::from_chars(v.data() + (b == std::string::npos ? v.size() : b), v.data() + v.size(), n);
        if (ec != std::errc{} || (p != v.data() + v.size() && *p != ' ')) bad_length = true;
        else length = n;
    }
    if (bad_length || !length) {
        f.error = "no usable Content-Length header";
        return f;
    }
    if (*length > kMaxLspBody) {
        in.ignore(static_cast<std::streamsize>(*length));
        if (!in) return std::nullopt;
        f.error = "message larger than 64 MB";
        return f;
    }
    f.body.resize(*length);
    in.read(f.body.data(), static_cast<std::streamsize>(*length));
    if (static_cast<std::size_t>(in.gcount()) != *length) return std::nullopt;
    return f;
}

void write_lsp_frame(std::ostream& out, const std::string& body) {
    out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
    out.flush();
}

}  // namespace crit
