// `crit lsp`: the language server on standard input and output (docs/editors.md).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/lsp_server.hpp"
#include "cli/lsp_transport.hpp"

namespace crit {

int cmd_lsp(const CompileOptions& copt) {
    // Standard output carries only frames; anything else said goes to standard error.
    std::ios::sync_with_stdio(false);
    LspServer server(copt);
    auto send = [](const nlohmann::json& j) {
        write_lsp_frame(std::cout, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    while (auto frame = read_lsp_frame(std::cin)) {
        if (!frame->error.empty()) {
            send(LspServer::frame_error(frame->error));
            continue;
        }
        for (const auto& m : server.handle(frame->body)) send(m);
        if (server.exited()) return server.exit_code();
    }
    return 1;  // input ended without `exit`
}

}  // namespace crit
