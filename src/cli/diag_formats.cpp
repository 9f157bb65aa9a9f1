#include "cli/diag_formats.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <nlohmann/json.hpp>

namespace crit {

namespace {

using json = nlohmann::ordered_json;

const char* severity_name(Severity s) {
    switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
    }
    return "error";
}

// The column just past the span on its first line (at least one past the start).
int end_column(const Location& at) { return at.column + static_cast<int>(std::max<std::uint32_t>(at.length, 1)); }

// A relative reference as SARIF's artifactLocation.uri wants it: a file name with the
// characters a URI may not hold percent-encoded.
std::string uri_of(const std::string& path) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || std::string_view("-._~/").find(static_cast<char>(c)) != std::string_view::npos) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string diagnostics_json(const std::vector<Diagnostic>& ds) {
    json arr = json::array();
    for (const auto& d : ds) {
        json o;
        o["file"] = d.at.file;
        o["line"] = d.at.line;
        o["column"] = d.at.column;
        o["end"] = d.at.valid() ? json{{"line", d.at.line}, {"column", end_column(d.at)}} : json(nullptr);
        o["severity"] = severity_name(d.severity);
        o["code"] = code_name(d.code);
        o["message"] = d.message;
        o["notes"] = d.notes;
        o["suggestion"] = d.suggestion.empty() ? json(nullptr) : json(d.suggestion);
        arr.push_back(std::move(o));
    }
    return arr.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string diagnostics_sarif(const std::vector<Diagnostic>& ds, const std::string& tool_version) {
    json rules = json::array();
    std::vector<DiagCode> codes = all_codes();
    for (DiagCode c : codes)
        rules.push_back({{"id", code_name(c)}, {"shortDescription", {{"text", code_summary(c)}}}});
    json results = json::array();
    for (const auto& d : ds) {
        // The notes and the suggestion belong to the message: SARIF viewers show only it.
        std::string text = d.message;
        for (const auto& n : d.notes) text += "\nnote: " + n;
        if (!d.suggestion.empty()) text += "\nhelp: did you mean `" + d.suggestion + "`?";
        json r = {{"ruleId", code_name(d.code)},
                  {"level", severity_name(d.severity)},
                  {"message", {{"text", text}}}};
        for (std::size_t i = 0; i < codes.size(); ++i)
            if (codes[i] == d.code) r["ruleIndex"] = i;
        if (d.at.valid()) {
            // SARIF counts columns in UTF-16 code units unless the run says otherwise.
            json region = {{"startLine", d.at.line},
                           {"startColumn", d.at.column_utf16},
                           {"endColumn", d.at.end_column_utf16}};
            r["locations"] = json::array(
                {{{"physicalLocation", {{"artifactLocation", {{"uri", uri_of(d.at.file)}}}, {"region", region}}}}});
        }
        results.push_back(std::move(r));
    }
    json driver = {{"name", "crit"}, {"version", tool_version}, {"rules", rules}};
    json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool", {{"driver", driver}}}, {"results", results}}})}};
    return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace crit
