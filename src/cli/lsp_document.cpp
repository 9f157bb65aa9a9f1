#include "cli/lsp_document.hpp"

#include <cctype>

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/units.hpp"
#include "lang/ast.hpp"
#include "lang/format.hpp"

namespace crit {

using json = nlohmann::json;

namespace {

// The words docs/language.md section 14 reserves: offered as completions.
const char* const kKeywords[] = {"after", "among", "and", "as", "at", "baseline", "before", "by", "cite",
                                 "decreased", "else", "ever", "first", "for", "from", "if", "increased", "is",
                                 "known", "last", "nadir", "never", "normal", "not", "of", "on", "or", "over",
                                 "result", "shown", "since", "sustained", "treatment", "unknown", "unless",
                                 "until", "within", "all", "any", "none", "least", "abnormal", "class",
                                 "value", "guideline", "version", "source", "disease", "bindings", "hold",
                                 "note"};

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

json range_of(const SourceFile& f, std::uint32_t begin, std::uint32_t end) {
    return {{"start", lsp_position(f, begin)}, {"end", lsp_position(f, end)}};
}

json range_of(const Span& s) { return range_of(*s.file, s.begin, s.end); }

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The name under the cursor ("" when none).
std::string word_at(const LspDocument& doc, const json& pos) {
    std::size_t at = offset_of_position(doc.text, pos);
    std::size_t b = at, e = at;
    while (b > 0 && is_word_char(doc.text[b - 1])) --b;
    while (e < doc.text.size() && is_word_char(doc.text[e])) ++e;
    return doc.text.substr(b, e - b);
}

const Module* module_of(const LspDocument& doc) { return doc.compilation.module.get(); }

std::string code_list(const std::vector<Code>& codes) {
    std::string s;
    for (const auto& c : codes) s += fmt::format("\n- `{}` {}", c.code, c.system);
    return s;
}

std::string concept_hover(const Bindings& b, ConceptId id) {
    const Concept& k = b.concepts[id];
    std::string s = fmt::format("**{}** (concept): {}", k.name, k.display.empty() ? k.name : k.display);
    switch (k.kind) {
    case ValueKind::Quantity:
        s += fmt::format("\n\nunit: `{}`", k.unit.ucum.empty() ? canonical_unit(k.unit.dim) : k.unit.ucum);
        break;
    case ValueKind::Boolean: s += "\n\nkind: present / absent"; break;
    case ValueKind::Coded: s += fmt::format("\n\nvalues: {}", fmt::join(k.values, ", ")); break;
    }
    if (k.site != Site::Any) s += fmt::format("\n\nsite: {}", site_name(k.site));
    if (!k.codes.empty()) s += "\n\ncodes:" + code_list(k.codes);
    s += fmt::format("\n\nbindings: {}", b.source_name);
    return s;
}

json markdown(const std::string& s) { return {{"contents", {{"kind", "markdown"}, {"value", s}}}}; }

std::string source_block(const Span& s) { return fmt::format("```crit\n{}\n```", s.text()); }

}  // namespace

std::string path_of_uri(const std::string& uri) {
    const std::string scheme = "file://";
    if (uri.compare(0, scheme.size(), scheme) != 0) return uri;
    std::string rest = uri.substr(scheme.size());
    rest = rest.substr(std::min(rest.find('/'), rest.size()));  // drop the host (file://host/path)
    std::string out;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '%' && i + 2 < rest.size() && hex(rest[i + 1]) >= 0 && hex(rest[i + 2]) >= 0) {
            out += static_cast<char>(hex(rest[i + 1]) * 16 + hex(rest[i + 2]));
            i += 2;
        } else {
            out += rest[i];
        }
    }
    return out;
}

void analyze(LspDocument& doc, const CompileOptions& copt) {
    doc.source = std::make_shared<const SourceFile>(doc.path, doc.text);
    doc.diags = Diagnostics();
    doc.compilation = compile_source(doc.source, doc.diags, copt);
    doc.diags.sort();
    if (doc.compilation.bindings) doc.bindings = doc.compilation.bindings;
}

json lsp_position(const SourceFile& f, std::uint32_t offset) {
    offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text().size()));
    auto [line, col] = f.line_col(offset);
    std::string_view text = std::string_view(f.text()).substr(offset - (col - 1), col - 1);
    return {{"line", line - 1}, {"character", utf16_length(text)}};
}

std::size_t offset_of_position(const std::string& text, const json& pos) {
    long line = pos.at("line").get<long>(), ch = pos.at("character").get<long>();
    std::size_t i = 0;
    for (; line > 0 && i < text.size(); ++i)
        if (text[i] == '\n') --line;
    while (ch > 0 && i < text.size() && text[i] != '\n') {
        auto c = static_cast<unsigned char>(text[i]);
        ch -= c >= 0xF0 ? 2 : 1;
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

json diagnostics_json(const LspDocument& doc) {
    json out = json::array();
    for (const auto& d : doc.diags.items()) {
        std::string message = d.message;
        for (const auto& n : d.notes) message += "\nnote: " + n;
        if (!d.suggestion.empty()) message += fmt::format("\nhelp: did you mean `{}`?", d.suggestion);
        json range;
        if (d.at.valid() && d.at.file == doc.path) {
            range = range_of(*doc.source, d.at.offset, d.at.offset + d.at.length);
        } else {
            // A diagnostic in another file (the bindings) is shown at the top, saying where it is.
            range = range_of(*doc.source, 0, 0);
            if (d.at.valid()) message = d.at.where() + ": " + message;
        }
        int severity = d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3;
        out.push_back({{"range", range},
                       {"severity", severity},
                       {"code", code_name(d.code)},
                       {"source", "crit"},
                       {"message", message}});
    }
    return out;
}

json hover_json(const LspDocument& doc, const json& pos) {
    std::string w = word_at(doc, pos);
    if (w.empty()) return nullptr;
    if (const Module* m = module_of(doc)) {
        for (const auto& c : m->criteria) {
            if (c.name != w) continue;
            std::string s = fmt::format("**{}** (criterion){}", c.name, c.title.empty() ? "" : ": " + c.title);
            for (const auto& x : c.cites) s += "\n\ncite: " + x;
            for (const auto& x : c.notes) s += "\n\nnote: " + x;
            return markdown(s);
        }
        for (const auto& d : m->definitions)
            if (d.name == w) return markdown(fmt::format("**{}** (definition)\n\n{}", d.name, source_block(d.span)));
        for (const auto& r : m->results)
            if (r.name == w) return markdown(fmt::format("**{}** (result)\n\n{}", r.name, source_block(r.span)));
    }
    if (doc.bindings) {
        if (auto id = doc.bindings->concept_by_name(w)) return markdown(concept_hover(*doc.bindings, *id));
        if (auto id = doc.bindings->class_by_name(w)) {
            const DrugClass& k = doc.bindings->classes[*id];
            return markdown(fmt::format("**{}** (drug class){}", k.name, k.display.empty() ? "" : ": " + k.display));
        }
    }
    return nullptr;
}

json definition_json(const LspDocument& doc, const json& pos) {
    std::string w = word_at(doc, pos);
    const Module* m = module_of(doc);
    if (w.empty() || !m) return nullptr;
    auto at = [&](const Span& s) -> json { return {{"uri", doc.uri}, {"range", range_of(s)}}; };
    for (const auto& c : m->criteria)
        if (c.name == w) return at(c.name_span);
    for (const auto& d : m->definitions)
        if (d.name == w) return at(d.name_span);
    for (const auto& r : m->results)
        if (r.name == w) return at(r.name_span);
    return nullptr;
}

json completion_json(const LspDocument& doc) {
    // CompletionItemKind: Function 3, Field 5, Variable 6, Class 7, Unit 11, Keyword 14, Constant 21, Event 23.
    json items = json::array();
    auto add = [&](const std::string& label, int kind, const std::string& detail) {
        json it{{"label", label}, {"kind", kind}};
        if (!detail.empty()) it["detail"] = detail;
        items.push_back(std::move(it));
    };
    if (doc.bindings) {
        for (const auto& c : doc.bindings->concepts)
            add(c.name, 5, c.display + (c.kind == ValueKind::Quantity ? " (" + c.unit.ucum + ")" : ""));
        for (const auto& k : doc.bindings->classes) add(k.name, 7, k.display.empty() ? "drug class" : k.display);
    }
    if (const Module* m = module_of(doc)) {
        for (const auto& c : m->criteria) add(c.name, 3, c.title.empty() ? "criterion" : c.title);
        for (const auto& d : m->definitions) add(d.name, 21, "definition");
        for (const auto& r : m->results) add(r.name, 23, "result");
    }
    for (const auto& u : unit_spellings()) add(u, 11, "unit");
    for (const char* k : kKeywords) add(k, 14, "");
    return {{"isIncomplete", false}, {"items", items}};
}

json symbols_json(const LspDocument& doc) {
    // SymbolKind: Function 12, Variable 13, Event 24.
    json out = json::array();
    const Module* m = module_of(doc);
    if (!m) return out;
    auto add = [&](const std::string& name, const std::string& detail, int kind, const Span& whole, const Span& sel) {
        if (!whole.valid() || !sel.valid()) return;
        json s{{"name", name}, {"kind", kind}, {"range", range_of(whole)}, {"selectionRange", range_of(sel)}};
        if (!detail.empty()) s["detail"] = detail;
        out.push_back(std::move(s));
    };
    for (const auto& c : m->criteria) add(c.name, c.title, 12, c.span, c.name_span);
    for (const auto& d : m->definitions) add(d.name, "definition", 13, d.span, d.name_span);
    for (const auto& r : m->results) add(r.name, "result", 24, r.span, r.name_span);
    return out;
}

json formatting_json(const LspDocument& doc) {
    Diagnostics d;
    auto formatted = format_source(doc.source, d);
    if (!formatted) return nullptr;
    json edits = json::array();
    if (*formatted != doc.text)
        edits.push_back({{"range", range_of(*doc.source, 0, static_cast<std::uint32_t>(doc.text.size()))},
                         {"newText", *formatted}});
    return edits;
}

}  // namespace crit
