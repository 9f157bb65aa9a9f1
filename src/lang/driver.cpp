#include "lang/driver.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "lang/ast_print.hpp"
#include "lang/check.hpp"
#include "lang/compile.hpp"
#include "lang/parse.hpp"

namespace crit {

namespace fs = std::filesystem;

namespace {
// Whether `p` is `dir` or inside it, after resolving `..` and links.
bool inside(const fs::path& p, const fs::path& dir) {
    std::error_code ec;
    fs::path a = fs::weakly_canonical(p, ec), b = fs::weakly_canonical(dir, ec);
    auto [ai, bi] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    return bi == b.end();
}

// The bindings a rule file asks for: --bindings, else its header's (relative
// to the file), else the shipped default. A header may name bindings in the rule
// file's folder (or below) or among the shipped bindings, or a file allowed by
// --allow-bindings: a rule file shared between sites must not read any file it likes
// (`bindings "../../etc/passwd"` would print its lines in diagnostics).
std::string bindings_path(const Module& m, const CompileOptions& opt, Diagnostics& diags) {
    if (!opt.bindings.empty()) return opt.bindings;
    if (m.header && !m.header->bindings.empty()) {
        fs::path p(m.header->bindings);
        fs::path home = fs::path(m.source->name()).parent_path();
        if (p.is_relative()) p = home / p;
        bool allowed = inside(p, home.empty() ? fs::path(".") : home) ||
                       inside(p, fs::path(default_bindings_path()).parent_path());
        for (const auto& a : opt.allow_bindings) allowed = allowed || inside(p, a);
        if (!allowed) {
            diags.error(DiagCode::Bindings, m.header->span,
                        fmt::format("the bindings `{}` are outside the rule file's folder and the shipped bindings; "
                                    "to use them, run with --allow-bindings {}",
                                    m.header->bindings, fs::weakly_canonical(p).string()));
            return "";
        }
        return p.string();
    }
    return default_bindings_path();
}
}  // namespace

Compilation compile_source(SourcePtr src, Diagnostics& diags, const CompileOptions& opt) {
    Compilation c;
    c.source = src;
    std::size_t errors = diags.error_count();
    auto ok = [&] { return diags.error_count() == errors; };

    // Stage: parse
    c.module = std::shared_ptr<Module>(parse_module(src, diags).release());
    if (opt.dump_after == "parse") c.dump = dump_module(*c.module);
    if (!ok()) return c;

    // Stage: check (needs the bindings the file names)
    std::string bpath = bindings_path(*c.module, opt, diags);
    if (bpath.empty()) return c;
    auto bindings = load_bindings(bpath, diags);
    if (!bindings) {
        diags.error(DiagCode::Bindings, c.module->header ? c.module->header->span : Span{},
                    fmt::format("cannot use the terminology bindings `{}`", bpath));
        return c;
    }
    c.bindings = std::make_shared<const Bindings>(std::move(*bindings));
    c.bindings_path = bpath;
    CheckedModule checked;
    check(*c.module, *c.bindings, checked, diags);
    if (opt.dump_after == "check") c.dump = dump_module(*c.module);
    if (!ok()) return c;

    // Stage: compile + verify
    c.program = compile(c.module, checked, c.bindings, diags);
    if (!ok()) c.program = nullptr;
    return c;
}

Compilation compile_file(const std::string& path, Diagnostics& diags, const CompileOptions& opt) {
    SourcePtr src = read_source(path, diags);
    if (!src) return {};
    return compile_source(src, diags, opt);
}

}  // namespace crit
