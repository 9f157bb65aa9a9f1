#include "lang/format.hpp"

#include <fstream>

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "core/line_diff.hpp"
#include "lang/ast_print.hpp"
#include "lang/parse.hpp"

namespace crit {

namespace {

struct Split {
    std::string code;     // canonical code, no indentation
    std::string comment;  // trailing "# ..." (empty when none)
};

// Collapses space runs outside strings and splits off a trailing comment.
Split canonical_line(std::string_view s) {
    std::string out;
    std::string comment;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (in_string) {
            out += c;
            if (c == '\\' && i + 1 < s.size()) out += s[++i];
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
            out += c;
        } else if (c == '#') {
            comment = std::string(s.substr(i));
            while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\r')) comment.pop_back();
            break;
        } else if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
    return {out, comment};
}

}  // namespace

std::optional<std::string> format_source(SourcePtr src, Diagnostics& diags) {
    Diagnostics parse_diags;
    auto before = parse_module(src, parse_diags);
    if (parse_diags.has_errors()) {
        diags.append(parse_diags);
        return std::nullopt;
    }
    struct Line {
        Split text;         // canonical content, no indentation
        int depth = -1;     // -1: blank
        bool comment = false;
    };
    std::vector<Line> lines;
    std::vector<std::size_t> indents{0};
    for (int n = 1; n <= src->line_count(); ++n) {
        std::string_view raw = src->line_text(n);
        std::size_t ind = raw.find_first_not_of(" \t");
        if (ind == std::string_view::npos) {
            lines.push_back({});
            continue;
        }
        Line l;
        l.text = canonical_line(raw.substr(ind));
        l.comment = raw[ind] == '#';
        if (!l.comment) {
            while (indents.size() > 1 && indents.back() > ind) indents.pop_back();
            if (ind > indents.back()) indents.push_back(ind);
            l.depth = static_cast<int>(indents.size()) - 1;
        }
        lines.push_back(std::move(l));
    }
    // A comment line sits at the depth of the code that follows it.
    int next_depth = 0;
    for (std::size_t i = lines.size(); i-- > 0;) {
        if (lines[i].comment) lines[i].depth = next_depth;
        else if (lines[i].depth >= 0) next_depth = lines[i].depth;
    }
    // Trailing comments on consecutive code lines line up one column after the
    // longest code of the run (as gofmt does), so rule tables keep their columns.
    auto code_width = [](const Line& l) { return 2 * static_cast<std::size_t>(l.depth) + l.text.code.size(); };
    auto has_trailing = [](const Line& l) { return !l.comment && l.depth >= 0 && !l.text.comment.empty(); };
    std::vector<std::size_t> column(lines.size(), 0);
    for (std::size_t i = 0; i < lines.size();) {
        if (!has_trailing(lines[i])) {
            ++i;
            continue;
        }
        std::size_t j = i, width = 0;
        while (j < lines.size() && has_trailing(lines[j])) width = std::max(width, code_width(lines[j++]));
        for (std::size_t k = i; k < j; ++k) column[k] = width + 2;
        i = j;
    }
    std::string out;
    bool pending_blank = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (l.depth < 0) {
            pending_blank = !out.empty();
            continue;
        }
        if (pending_blank) out += '\n';
        pending_blank = false;
        std::string line = std::string(2 * static_cast<std::size_t>(l.depth), ' ') + l.text.code;
        if (l.comment) line += l.text.comment;
        else if (!l.text.comment.empty()) line += std::string(column[i] - line.size(), ' ') + l.text.comment;
        out += line + '\n';
    }
    // Safety net: formatting must not change what the file means.
    auto formatted = std::make_shared<SourceFile>(src->name(), out);
    Diagnostics after_diags;
    auto after = parse_module(formatted, after_diags);
    if (after_diags.has_errors() || dump_module(*after) != dump_module(*before)) {
        diags.error(DiagCode::Syntax, Span{src.get(), 0, 0},
                    "internal: the canonical layout would change this file's meaning; it was left as it is");
        return std::nullopt;
    }
    return out;
}

int format_files(const std::vector<std::string>& files, FormatMode mode, std::ostream& out, std::ostream& err) {
    int rc = 0;
    for (const auto& f : files) {
        std::string e;
        auto src = read_source(f, e);
        if (!src) {
            err << e << "\n";
            rc = 1;
            continue;
        }
        Diagnostics d;
        auto text = format_source(src, d);
        if (!text) {
            err << render(d);
            rc = 1;
            continue;
        }
        if (*text == src->text()) continue;
        if (mode == FormatMode::Check) {
            out << fmt::format("{}: not formatted\n", f);
            rc = 1;
            continue;
        }
        if (mode == FormatMode::Diff) {
            // a/ and b/ as git writes them, so `patch -p1` applies the diff; an absolute path as it is.
            bool relative = !f.empty() && f[0] != '/';
            out << unified_diff(src->text(), *text, relative ? "a/" + f : f, relative ? "b/" + f : f);
            rc = 1;
            continue;
        }
        AtomicFile o(f);  // a failed write leaves the rule file as it was
        o.stream() << *text;
        if (!o.commit()) {
            err << fmt::format("{}\n", o.error());
            rc = 1;
        } else {
            out << fmt::format("{}: formatted\n", f);
        }
    }
    return rc;
}

}  // namespace crit
