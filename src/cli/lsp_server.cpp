#include "cli/lsp_server.hpp"

#include <stdexcept>

namespace crit {

using json = nlohmann::json;

namespace {

// JSON-RPC 2.0 and LSP error codes.
constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601, kInvalidParams = -32602,
              kInternalError = -32603, kServerNotInitialized = -32002;

// A request's parameters that do not have the shape the method needs.
struct BadParams : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct NoSuchMethod : std::runtime_error {
    using std::runtime_error::runtime_error;
};

json error_response(const json& id, int code, const std::string& message) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json capabilities() {
    return {{"textDocumentSync", {{"openClose", true}, {"change", 1}}},
            {"hoverProvider", true},
            {"definitionProvider", true},
            {"completionProvider", {{"resolveProvider", false}}},
            {"documentFormattingProvider", true},
            {"documentSymbolProvider", true}};
}

const json& field(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name)) throw BadParams(std::string("missing `") + name + "`");
    return j.at(name);
}

std::string string_field(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw BadParams(std::string("`") + name + "` is not a string");
    return v.get<std::string>();
}

const json& position(const json& params) {
    const json& p = field(params, "position");
    if (!field(p, "line").is_number_integer() || !field(p, "character").is_number_integer())
        throw BadParams("`position` needs integer `line` and `character`");
    return p;
}

// Applies one contentChanges entry: a whole text, or a range replaced.
void apply_change(std::string& text, const json& change) {
    std::string repl = string_field(change, "text");
    if (!change.contains("range")) {
        text = std::move(repl);
        return;
    }
    const json& r = change.at("range");
    std::size_t b = offset_of_position(text, field(r, "start")), e = offset_of_position(text, field(r, "end"));
    if (e < b) std::swap(b, e);
    text.replace(b, e - b, repl);
}

}  // namespace

json LspServer::frame_error(const std::string& why) { return error_response(nullptr, kParseError, why); }

json LspServer::publish(const LspDocument& doc) const {
    return {{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", doc.uri}, {"diagnostics", diagnostics_json(doc)}}}};
}

LspDocument* LspServer::document(const json& params) {
    auto it = docs_.find(string_field(field(params, "textDocument"), "uri"));
    return it == docs_.end() ? nullptr : &it->second;
}

std::vector<json> LspServer::handle(const std::string& body) {
    std::vector<json> out;
    json msg = json::parse(body, nullptr, false);
    if (msg.is_discarded()) {
        out.push_back(error_response(nullptr, kParseError, "the message is not JSON"));
        return out;
    }
    json id = msg.is_object() && msg.contains("id") ? msg.at("id") : json();
    if (!id.is_null() && !id.is_string() && !id.is_number_integer()) id = nullptr;
    if (!msg.is_object() || !msg.contains("method") || !msg.at("method").is_string()) {
        // A response from the client (to a request we never send) needs no answer.
        if (!(msg.is_object() && msg.contains("id") && (msg.contains("result") || msg.contains("error"))))
            out.push_back(error_response(id, kInvalidRequest, "not a JSON-RPC request or notification"));
        return out;
    }
    std::string method = msg.at("method").get<std::string>();
    json params = msg.contains("params") ? msg.at("params") : json::object();
    bool is_request = msg.contains("id");
    try {
        if (!is_request) {
            notification(method, params, out);
        } else if (!initialized_ && method != "initialize") {
            out.push_back(error_response(id, kServerNotInitialized, "the server is not initialized"));
        } else if (shutdown_) {
            out.push_back(error_response(id, kInvalidRequest, "the server is shutting down"));
        } else {
            out.push_back({{"jsonrpc", "2.0"}, {"id", id}, {"result", request(method, params)}});
        }
    } catch (const BadParams& e) {
        if (is_request) out.push_back(error_response(id, kInvalidParams, method + ": " + e.what()));
    } catch (const NoSuchMethod&) {
        if (is_request) out.push_back(error_response(id, kMethodNotFound, "no method `" + method + "`"));
    } catch (const std::exception& e) {
        if (is_request) out.push_back(error_response(id, kInternalError, method + ": " + e.what()));
    }
    return out;
}

json LspServer::request(const std::string& method, const json& params) {
    if (method == "initialize") {
        initialized_ = true;
        return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "crit"}}}};
    }
    if (method == "shutdown") {
        shutdown_ = true;
        return nullptr;
    }
    bool known = method == "textDocument/hover" || method == "textDocument/definition" ||
                 method == "textDocument/completion" || method == "textDocument/documentSymbol" ||
                 method == "textDocument/formatting";
    if (!known) throw NoSuchMethod(method);
    LspDocument* doc = document(params);
    if (method == "textDocument/completion") {
        if (doc) return completion_json(*doc);
        return {{"isIncomplete", false}, {"items", json::array()}};
    }
    if (!doc) return nullptr;
    if (method == "textDocument/hover") return hover_json(*doc, position(params));
    if (method == "textDocument/definition") return definition_json(*doc, position(params));
    if (method == "textDocument/documentSymbol") return symbols_json(*doc);
    return formatting_json(*doc);
}

void LspServer::notification(const std::string& method, const json& params, std::vector<json>& out) {
    if (method == "exit") {
        exited_ = true;
        return;
    }
    if (method == "textDocument/didOpen") {
        const json& td = field(params, "textDocument");
        std::string uri = string_field(td, "uri");
        LspDocument& doc = docs_[uri];
        doc.uri = uri;
        doc.path = path_of_uri(uri);
        doc.text = string_field(td, "text");
        analyze(doc, copt_);
        out.push_back(publish(doc));
    } else if (method == "textDocument/didChange") {
        LspDocument* doc = document(params);
        const json& changes = field(params, "contentChanges");
        if (!doc || !changes.is_array()) return;
        for (const auto& c : changes) apply_change(doc->text, c);
        analyze(*doc, copt_);
        out.push_back(publish(*doc));
    } else if (method == "textDocument/didClose") {
        std::string uri = string_field(field(params, "textDocument"), "uri");
        if (docs_.erase(uri))
            out.push_back({{"jsonrpc", "2.0"},
                           {"method", "textDocument/publishDiagnostics"},
                           {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
    }
    // Other notifications (initialized, didSave, $/cancelRequest, ...) need nothing.
}

}  // namespace crit
