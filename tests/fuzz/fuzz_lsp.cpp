// A .crit document as an editor sends it to `crit lsp`: opened, then hovered, asked for
// definitions and completions at positions spread over it (including past its end and
// inside multi-byte characters), formatted, listed as symbols, changed to its first half
// and closed. The document analysis (positions in UTF-16, names under the cursor,
// formatting of text that does not parse) is what this exercises; the JSON-RPC framing
// is nlohmann-json's and the scripted test's (tests/cli/lsp.py).
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "cli/lsp_server.hpp"

namespace {

using json = nlohmann::json;

std::string message(int id, const std::string& method, json params) {
    json m = {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
    if (id > 0) m["id"] = id;
    return m.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string uri = "file:///fuzz/doc.crit";
    const json doc = {{"uri", uri}};
    crit::LspServer server{crit::CompileOptions{}};
    int id = 0;
    server.handle(message(++id, "initialize", {{"capabilities", json::object()}}));
    server.handle(message(0, "initialized", json::object()));
    server.handle(message(0, "textDocument/didOpen",
                          {{"textDocument", {{"uri", uri}, {"languageId", "crit"}, {"version", 1}, {"text", text}}}}));
    // Positions derived from the input itself: every line it has (up to 64), at a character
    // taken from the bytes, plus one line and one character past the end.
    int lines = 1;
    for (char c : text) lines += c == '\n';
    for (int line = 0; line <= lines && line < 64; ++line) {
        int character = size ? static_cast<unsigned char>(text[(static_cast<std::size_t>(line) * 7) % size]) % 48 : 0;
        json pos = {{"textDocument", doc}, {"position", {{"line", line}, {"character", character}}}};
        server.handle(message(++id, "textDocument/hover", pos));
        server.handle(message(++id, "textDocument/definition", pos));
        server.handle(message(++id, "textDocument/completion", pos));
    }
    server.handle(message(++id, "textDocument/formatting",
                          {{"textDocument", doc}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}}));
    server.handle(message(++id, "textDocument/documentSymbol", {{"textDocument", doc}}));
    server.handle(message(0, "textDocument/didChange",
                          {{"textDocument", {{"uri", uri}, {"version", 2}}},
                           {"contentChanges", json::array({{{"text", text.substr(0, size / 2)}}})}}));
    server.handle(message(0, "textDocument/didClose", {{"textDocument", doc}}));
    server.handle(message(++id, "shutdown", nullptr));
    server.handle(message(0, "exit", nullptr));
    return 0;
}
