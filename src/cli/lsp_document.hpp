// One open criteria file as the language server sees it: its text, the result of
// running it through the same pipeline as `crit check`, and the questions an editor
// asks of it (diagnostics, hover, definition, completion, symbols, formatting), each
// answered as the LSP JSON the server sends back.
#pragma once
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/diag.hpp"
#include "lang/driver.hpp"

namespace crit {

struct LspDocument {
    std::string uri;
    std::string path;  // the file path the URI names: the bindings resolve against it, as in `crit check`
    std::string text;
    SourcePtr source;
    Compilation compilation;
    Diagnostics diags;
    // The bindings of the last analysis that loaded them, so hover and completion still know
    // the concepts while a syntax error stops the pipeline before the bindings are read.
    std::shared_ptr<const Bindings> bindings;
};

// file:///a%20b/x.crit -> /a b/x.crit; any other URI is kept as its own name.
std::string path_of_uri(const std::string& uri);

// Reruns parse -> check -> compile on the document's text.
void analyze(LspDocument& doc, const CompileOptions& copt);

// LSP positions count UTF-16 code units; crit's columns count bytes.
nlohmann::json lsp_position(const SourceFile& f, std::uint32_t offset);
// The byte offset of an LSP position in `text` (clamped to the line and the text).
std::size_t offset_of_position(const std::string& text, const nlohmann::json& pos);

nlohmann::json diagnostics_json(const LspDocument& doc);
nlohmann::json hover_json(const LspDocument& doc, const nlohmann::json& pos);
nlohmann::json definition_json(const LspDocument& doc, const nlohmann::json& pos);
nlohmann::json completion_json(const LspDocument& doc);
nlohmann::json symbols_json(const LspDocument& doc);
// A whole-document TextEdit with `crit fmt`'s layout; null when the text does not parse.
nlohmann::json formatting_json(const LspDocument& doc);

}  // namespace crit
