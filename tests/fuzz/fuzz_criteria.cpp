// Criteria source text -> parse -> check -> compile -> verify, then the compiled
// program over two example patients (read through the program's own bindings),
// and `crit fmt`'s formatter. Diagnostics are ignored.
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "fuzz_support.hpp"
#include "data/load_yaml.hpp"
#include "lang/bytecode.hpp"
#include "lang/driver.hpp"
#include "lang/format.hpp"
#include "vm/vm.hpp"

namespace {

// Two shipped patients (CLL and ALL), parsed once; empty if the tree lacks them.
const std::vector<YAML::Node>& patients() {
    static const std::vector<YAML::Node> nodes = [] {
        std::vector<YAML::Node> out;
        for (const char* f : {"/examples/cll/p-002-pr.yaml", "/examples/all/a-002-marrow-relapse.yaml"}) {
            try {
                out.push_back(YAML::LoadFile(std::string(CRIT_SOURCE_DIR) + f));
            } catch (const YAML::Exception&) {
            }
        }
        return out;
    }();
    return nodes;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    patients();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto src = std::make_shared<crit::SourceFile>("fuzz.crit", text);
    {
        crit::Diagnostics d;
        crit::Compilation c = crit::compile_source(src, d);
        if (c.program) {
            crit::Diagnostics vd;
            if (crit::verify(*c.program, vd)) {
                crit::EvalContext ctx;
                for (const auto& node : patients()) {
                    std::vector<crit::Rejection> rejects;
                    crit::Timeline t = crit::timeline_from_yaml(node, "patient.yaml", *c.bindings, rejects);
                    crit::evaluate(*c.program, t, std::nullopt, ctx);
                }
            }
            (void)crit::disassemble(*c.program);
        }
        (void)crit::render(d);
    }
    {
        crit::Diagnostics d;
        (void)crit::format_source(src, d);
    }
    return 0;
}
