// Evaluating a patient reuses the context's buffers: once they have grown, a
// whole pass over a cohort makes fewer heap allocations than there are patients
// (in practice none).
// (A property of the code, not a timing: speed lives in tools/bench and docs/performance.md.)
#include <catch2/catch.hpp>

// Compiled out under sanitizers (CMake defines CRIT_SANITIZE with -DCRIT_SANITIZE=...):
// this file replaces the global operator new/delete with malloc/free, but the sanitizer
// runtime keeps its own forms it does not replace (the nothrow new Catch2 uses), so
// memory from ASan's new reaches the free() here and every test of crit_tests aborts
// with alloc-dealloc-mismatch. Counting allocations means nothing under ASan anyway.
#ifndef CRIT_SANITIZE

#include <atomic>
#include <cstdlib>
#include <new>

#include "lang/driver.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
    ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("evaluation allocates (almost) nothing per patient once warm", "[vm][alloc]") {
    for (const char* pack : {"rules/cll/iwcll-2018.crit", "rules/all/all-response.crit"}) {
        crit::Diagnostics d;
        auto c = crit::compile_file(pack, d);
        REQUIRE(c.program);
        crit::LoadResult data;
        crit::load_patients({"examples/cll", "examples/all"}, *c.bindings, data, d);
        REQUIRE(data.patients.size() >= 10);
        crit::EvalContext ctx;
        for (int warm = 0; warm < 2; ++warm)
            for (const auto& t : data.patients) crit::evaluate(*c.program, t, std::nullopt, ctx);
        long before = g_allocations;
        for (const auto& t : data.patients) crit::evaluate(*c.program, t, std::nullopt, ctx);
        long total = g_allocations - before;
        INFO(pack << ": " << total << " allocations for " << data.patients.size() << " patients");
        CHECK(total < static_cast<long>(data.patients.size()));
    }
}

#endif  // CRIT_SANITIZE
