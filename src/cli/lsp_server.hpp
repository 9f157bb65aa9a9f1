// `crit lsp`: the Language Server Protocol's requests and notifications, answered
// for the open .crit documents (docs/editors.md). The server is a function from one
// incoming message to the messages it sends back, so it is tested without pipes.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/lsp_document.hpp"
#include "lang/driver.hpp"

namespace crit {

class LspServer {
public:
    explicit LspServer(CompileOptions copt) : copt_(std::move(copt)) {}

    // Handles one message body; returns the messages to send, in order. Input that is
    // not a JSON-RPC message gets a JSON-RPC error response, never an exception.
    std::vector<nlohmann::json> handle(const std::string& body);
    // The error response for a frame whose headers could not be read.
    static nlohmann::json frame_error(const std::string& why);

    bool exited() const { return exited_; }
    // 0 after `shutdown` then `exit`, else 1 (as the protocol asks).
    int exit_code() const { return shutdown_ ? 0 : 1; }

private:
    nlohmann::json request(const std::string& method, const nlohmann::json& params);
    void notification(const std::string& method, const nlohmann::json& params, std::vector<nlohmann::json>& out);
    LspDocument* document(const nlohmann::json& params);
    nlohmann::json publish(const LspDocument& doc) const;

    CompileOptions copt_;
    std::map<std::string, LspDocument> docs_;  // by URI
    bool initialized_ = false, shutdown_ = false, exited_ = false;
};

}  // namespace crit
