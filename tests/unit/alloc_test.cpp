// Evaluating a patient reuses the context's buffers: once they have grown, a
// whole pass over a cohort makes fewer heap allocations than there are patients
// (in practice none). Reading a FHIR resource reuses the parser's and the tree's
// buffers likewise.
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

#include "data/fhir_json.hpp"
#include "data/fhir_resources.hpp"
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


// The FHIR loader reads every resource into a JNode tree: views into the parser's
// buffers, children in an arena that is rewound, not freed. Once the parser and the
// arena have grown, a resource is read without touching the heap.
TEST_CASE("reading a FHIR resource allocates nothing once the parser and arena are warm", "[fhir][alloc]") {
    // An Observation as Bulk exports write it: meta, nested codings, a reference, a quantity,
    // a component, and fields crit does not read.
    const std::string line =
        R"({"resourceType":"Observation","id":"obs-000123-lymph","meta":{"lastUpdated":"2024-01-02T03:04:05Z",)"
        R"("profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]},"status":"final",)"
        R"("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",)"
        R"("code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"731-0",)"
        R"("display":"Lymphocytes [#/volume] in Blood by Automated count"}],"text":"Lymphocytes"},)"
        R"("subject":{"reference":"Patient/p-000123"},"effectiveDateTime":"2024-01-02T09:30:00+01:00",)"
        R"("valueQuantity":{"value":3.25,"unit":"10*3/uL","system":"http://unitsofmeasure.org","code":"10*3/uL"},)"
        R"("component":[{"code":{"text":"detection limit"},"valueQuantity":{"value":0.01,"code":"10*3/uL"}}],)"
        R"("note":[{"text":"a long note with an escaped \"quote\" and \u00e9 that crit skips"}]})";
    simdjson::ondemand::parser parser;
    crit::fhir::Padded pad;
    crit::fhir::JArena arena;
    auto read = [&] {
        crit::fhir::Json json(arena, pad.set(line));
        auto doc = pad.iterate(parser);
        return json.resource(doc.get_object(), 0, crit::fhir::Reader::reads_field);
    };
    for (int warm = 0; warm < 2; ++warm) read();
    long before = g_allocations;
    long checked = 0;
    for (int i = 0; i < 1000; ++i) {
        crit::fhir::JNode r = read();
        // The tree is the resource (read each time, so nothing is optimised away).
        const crit::fhir::JNode* q = r.get("valueQuantity");
        if (q && q->get("value") && q->get("value")->text == "3.25" && r.get("code")->get("coding")->items().size() == 1 &&
            *crit::fhir::str_at(r.get("subject"), "reference") == "Patient/p-000123" && !r.get("meta") &&
            r.get("component")->items()[0].get("valueQuantity")->get("value")->number == 0.01)
            ++checked;
    }
    long total = g_allocations - before;
    CHECK(checked == 1000);
    INFO(total << " allocations for 1000 resources");
    CHECK(total == 0);
}
