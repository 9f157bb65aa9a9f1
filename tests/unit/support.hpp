// Helpers the loader tests share: the shipped bindings, loaded once, and concept ids by name.
#pragma once
#include <catch2/catch.hpp>

#include <string>

#include "core/bindings.hpp"

// The shipped bindings (bindings/default.yaml); a failure to load fails the test with the diagnostics.
inline const crit::Bindings& bindings() {
    static const crit::Bindings b = [] {
        crit::Diagnostics d;
        auto r = crit::load_bindings(CRIT_SOURCE_DIR "/bindings/default.yaml", d);
        INFO(crit::render(d));
        REQUIRE(r.has_value());
        return *r;
    }();
    return b;
}

// The id of a concept of the shipped bindings; an unknown name fails the test.
inline crit::ConceptId cid(const std::string& name) {
    auto id = bindings().concept_by_name(name);
    INFO(name);
    REQUIRE(id.has_value());
    return *id;
}
