// The pipeline as named stages: parse -> check -> compile (+ verify).
// Each stage runs only if the ones before it reported no errors.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "lang/bytecode.hpp"
#include "core/diag.hpp"

namespace crit {

struct CompileOptions {
    std::string bindings;      // override the header's / default bindings file
    std::string dump_after;    // "parse" or "check": AST dump into `dump`
    // Bindings files a rule file's header may name outside its own folder and the shipped
    // bindings (--allow-bindings).
    std::vector<std::string> allow_bindings;
};

// Everything a compiled rule file keeps alive (diagnostics point into `source`).
struct Compilation {
    SourcePtr source;
    std::shared_ptr<Module> module;
    std::shared_ptr<const Bindings> bindings;
    std::string bindings_path;               // the file `bindings` was read from
    std::shared_ptr<const Program> program;  // null when any stage failed
    std::string dump;
};

Compilation compile_file(const std::string& path, Diagnostics& diags, const CompileOptions& opt = {});
// Same, for text already in memory (tests).
Compilation compile_source(SourcePtr src, Diagnostics& diags, const CompileOptions& opt = {});

}  // namespace crit
