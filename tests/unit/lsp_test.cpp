// The language server's edges the scripted client (tests/cli/lsp.py) does not reach:
// UTF-16 columns beside UTF-8 text, percent-encoded URIs, framing, incremental changes.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/lsp_document.hpp"
#include "cli/lsp_server.hpp"
#include "cli/lsp_transport.hpp"

using namespace crit;
using json = nlohmann::json;

TEST_CASE("lsp: columns count UTF-16 code units, offsets come back to the same byte") {
    // µ is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units (a surrogate pair).
    std::string text = "a\nµ😀x = 1\n";
    SourceFile f("t.crit", text);
    auto x = text.find('x');
    json p = lsp_position(f, static_cast<std::uint32_t>(x));
    CHECK(p == json{{"line", 1}, {"character", 3}});
    CHECK(offset_of_position(text, p) == x);
    CHECK(offset_of_position(text, {{"line", 9}, {"character", 9}}) == text.size());
    CHECK(offset_of_position(text, {{"line", 0}, {"character", 99}}) == 1);  // clamped to the line
}

TEST_CASE("lsp: file URIs name paths, percent-decoded") {
    CHECK(path_of_uri("file:///tmp/a%20b/x.crit") == "/tmp/a b/x.crit");
    CHECK(path_of_uri("file://localhost/tmp/x.crit") == "/tmp/x.crit");
    CHECK(path_of_uri("untitled:Untitled-1") == "untitled:Untitled-1");
    CHECK(path_of_uri("file:///bad%2") == "/bad%2");
}

TEST_CASE("lsp: frames are read by Content-Length, unusable headers are an error, not the end") {
    std::istringstream in("Content-Length: 2\r\n\r\n{}\r\nX-Other: 1\r\n\r\ncontent-length: 3\r\nContent-Type: x\r\n\r\n[1]");
    auto a = read_lsp_frame(in);
    REQUIRE(a);
    CHECK(a->body == "{}");
    auto b = read_lsp_frame(in);
    REQUIRE(b);
    CHECK(!b->error.empty());
    auto c = read_lsp_frame(in);
    REQUIRE(c);
    CHECK(c->body == "[1]");
    CHECK(!read_lsp_frame(in));
    std::istringstream cut("Content-Length: 10\r\n\r\n{}");
    CHECK(!read_lsp_frame(cut));  // input ended inside a body
}

TEST_CASE("lsp: incremental changes apply by range, bad params never throw") {
    LspServer s({});
    auto msg = [](json j) { j["jsonrpc"] = "2.0"; return j.dump(); };
    s.handle(msg({{"id", 1}, {"method", "initialize"}, {"params", json::object()}}));
    std::string uri = "file:///nonexistent-dir/t.crit";
    auto out = s.handle(msg({{"method", "textDocument/didOpen"},
                             {"params", {{"textDocument", {{"uri", uri}, {"text", "A:\n  platelets > 1 x10^9/L\n"}}}}}}));
    REQUIRE(out.size() == 1);
    CHECK(out[0]["params"]["diagnostics"].size() == 1);  // no-citation
    json range = {{"start", {{"line", 1}, {"character", 2}}}, {"end", {{"line", 1}, {"character", 11}}}};
    out = s.handle(msg({{"method", "textDocument/didChange"},
                        {"params", {{"textDocument", {{"uri", uri}}},
                                    {"contentChanges", json::array({{{"range", range}, {"text", "plateletz"}}})}}}}));
    REQUIRE(out.size() == 1);
    bool unknown = false;
    for (const auto& d : out[0]["params"]["diagnostics"]) unknown = unknown || d["code"] == "unknown-name";
    CHECK(unknown);
    for (json params : {json(5), json::object(), json{{"textDocument", 3}}, json{{"textDocument", {{"uri", uri}}}, {"position", "x"}}}) {
        out = s.handle(msg({{"id", 2}, {"method", "textDocument/hover"}, {"params", params}}));
        REQUIRE(out.size() == 1);
        CHECK(out[0]["error"]["code"] == -32602);
        CHECK(s.handle(msg({{"method", "textDocument/didChange"}, {"params", params}})).empty());
    }
}
