// What the facade's opaque types hold (include/crit/crit.hpp): the compilation and the
// writer of results that every patient and thread of a pack share.
#pragma once
#include "crit/crit.hpp"
#include "core/diag.hpp"
#include "core/timeline.hpp"
#include "lang/driver.hpp"
#include "out/results.hpp"

namespace crit::api {

struct Pack::Impl {
    std::string path;
    Compilation c;
    std::vector<Diagnostic> diagnostics;
    std::unique_ptr<ResultsWriter> writer;
    const Program& program() const { return *c.program; }
};

struct Patient::Impl {
    Timeline timeline;
};

// crit's diagnostics in the facade's form.
std::vector<Diagnostic> to_api(const Diagnostics& ds);

}  // namespace crit::api
