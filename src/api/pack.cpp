#include <algorithm>

#include <fmt/format.h>

#include "api/impl.hpp"
#include "core/source.hpp"

namespace crit::api {

Error::Error(std::string kind, std::string what, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(std::move(what)), kind_(std::move(kind)), diagnostics_(std::move(diagnostics)) {}

std::vector<Diagnostic> to_api(const Diagnostics& ds) {
    Diagnostics sorted = ds;
    sorted.sort();
    std::vector<Diagnostic> out;
    for (const auto& d : sorted.items()) {
        const char* sev = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note";
        out.push_back(Diagnostic{sev, code_name(d.code), d.at.file, d.at.line, d.at.column, d.message, render(d)});
    }
    return out;
}

namespace {

Pack::Impl* compiled(std::unique_ptr<Pack::Impl> impl, const Diagnostics& d) {
    impl->diagnostics = to_api(d);
    // A diagnostic about the file as a whole (it cannot be read) has no position: it names the pack.
    for (auto& x : impl->diagnostics)
        if (x.file.empty()) x.file = impl->path;
    if (d.has_errors() || !impl->c.program) {
        auto first = std::find_if(impl->diagnostics.begin(), impl->diagnostics.end(),
                                  [](const Diagnostic& x) { return x.severity == "error"; });
        std::string what = first != impl->diagnostics.end()
                               ? fmt::format("{}:{}:{}: error[{}]: {}", first->file, first->line, first->column, first->code, first->message)
                               : impl->path + ": the rules do not compile";
        throw Error("rules", what, impl->diagnostics);
    }
    impl->writer = std::make_unique<ResultsWriter>(*impl->c.program);
    return impl.release();
}

crit::CompileOptions internal(const CompileOptions& o) {
    crit::CompileOptions c;
    c.bindings = o.bindings;
    c.allow_bindings = o.allow_bindings;
    return c;
}

}  // namespace

Pack Pack::compile(const std::string& path, const CompileOptions& opt) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    Diagnostics d;
    impl->c = compile_file(path, d, internal(opt));
    return Pack(std::shared_ptr<const Impl>(compiled(std::move(impl), d)));
}

Pack Pack::compile_text(const std::string& name, const std::string& text, const CompileOptions& opt) {
    auto impl = std::make_unique<Impl>();
    impl->path = name;
    Diagnostics d;
    impl->c = compile_source(std::make_shared<SourceFile>(name, text), d, internal(opt));
    return Pack(std::shared_ptr<const Impl>(compiled(std::move(impl), d)));
}

const std::string& Pack::path() const { return impl_->path; }
std::string Pack::name() const { return impl_->program().name; }
std::string Pack::version() const { return impl_->program().version; }
std::string Pack::sha256() const { return impl_->program().sha256; }
const std::vector<Diagnostic>& Pack::diagnostics() const { return impl_->diagnostics; }

std::vector<std::string> Pack::result_names() const {
    std::vector<std::string> out;
    for (const auto& r : impl_->program().results) out.push_back(r.name);
    return out;
}

std::vector<std::string> Pack::criterion_names() const {
    const Program& p = impl_->program();
    std::vector<std::string> out;
    for (int slot : p.criterion_item) out.push_back(p.items[slot].name);
    return out;
}

}  // namespace crit::api
