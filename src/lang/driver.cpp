#include "lang/driver.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "lang/ast_print.hpp"
#include "lang/check.hpp"
#include "lang/compile.hpp"
#include "lang/parse.hpp"

namespace crit {

namespace fs = std::filesystem;

namespace {
// The bindings a rule file asks for: --bindings, else its header's (relative
// to the file), else the shipped default.
std::string bindings_path(const Module& m, const CompileOptions& opt) {
    if (!opt.bindings.empty()) return opt.bindings;
    if (m.header && !m.header->bindings.empty()) {
        fs::path p(m.header->bindings);
        if (p.is_relative()) p = fs::path(m.source->name()).parent_path() / p;
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
    std::string bpath = bindings_path(*c.module, opt);
    auto bindings = load_bindings(bpath, diags);
    if (!bindings) {
        diags.error(DiagCode::Bindings, c.module->header ? c.module->header->span : Span{},
                    fmt::format("cannot use the terminology bindings `{}`", bpath));
        return c;
    }
    c.bindings = std::make_shared<const Bindings>(std::move(*bindings));
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
