// Evaluating a patient reuses the context's buffers: once they have grown, a
// whole pass over a cohort makes fewer heap allocations than there are patients
// (in practice none).
// (A property of the code, not a timing: speed lives in tools/bench and docs/performance.md.)
#include <catch2/catch.hpp>

// Every form of the global operator new and delete is replaced, so that whatever allocates
// (Catch2 uses the nothrow form, containers the sized delete) pairs with its own free: a
// partial replacement is an alloc-dealloc mismatch under ASan, which intercepts malloc and
// free below this file, so the count is right in sanitizer builds too.
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "lang/driver.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

namespace {
void* counted(std::size_t n, std::size_t align = 0) noexcept {
    ++g_allocations;
    if (n == 0) n = 1;
    if (align <= alignof(std::max_align_t)) return std::malloc(n);
    return std::aligned_alloc(align, (n + align - 1) / align * align);
}
void* or_throw(void* p) {
    if (!p) throw std::bad_alloc();
    return p;
}
}  // namespace

void* operator new(std::size_t n) { return or_throw(counted(n)); }
void* operator new[](std::size_t n) { return or_throw(counted(n)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted(n); }
void* operator new(std::size_t n, std::align_val_t a) { return or_throw(counted(n, static_cast<std::size_t>(a))); }
void* operator new[](std::size_t n, std::align_val_t a) { return or_throw(counted(n, static_cast<std::size_t>(a))); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return counted(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return counted(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

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

