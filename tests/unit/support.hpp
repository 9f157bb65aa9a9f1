// Helpers the loader tests share: the shipped bindings, loaded once, concept ids by name,
// a patient's observations, and what a load produced (patients, rejections by reason).
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stdlib.h>

#include "core/bindings.hpp"
#include "core/dates.hpp"
#include "core/timeline.hpp"
#include "data/load_data.hpp"
#include "data/records.hpp"

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

inline crit::ClassId class_id(const std::string& name) {
    auto id = bindings().class_by_name(name);
    INFO(name);
    REQUIRE(id.has_value());
    return *id;
}

inline crit::Day day(const char* s) { return *crit::parse_day(s); }

// The observations of one concept (Timeline::series), copied for easy checks.
inline std::vector<crit::Observation> obs(const crit::Timeline& t, const std::string& name) {
    auto [b, e] = t.series(cid(name));
    return b ? std::vector<crit::Observation>(b, e) : std::vector<crit::Observation>{};
}

inline crit::Observation only(const crit::Timeline& t, const std::string& name) {
    auto all = obs(t, name);
    INFO(name);
    REQUIRE(all.size() == 1);
    return all[0];
}

inline bool has_class(const crit::Treatment& t, const std::string& c) {
    return std::find(t.classes.begin(), t.classes.end(), class_id(c)) != t.classes.end();
}

// A rejection's stable reason string: the interface scripts read, so the tests check it.
inline std::string reason_of(const crit::Rejection& r) { return crit::reject_reason_name(r.reason); }

// What one load produced.
struct LoadedData {
    bool ok = false;
    std::vector<crit::Timeline> patients;
    std::vector<crit::Rejection> rejects;
    crit::Diagnostics diags;

    const crit::Timeline& one() const {
        INFO(crit::render(diags) << summary());
        REQUIRE(patients.size() == 1);
        return patients[0];
    }
    std::string summary() const {
        std::string s;
        for (const auto& r : rejects)
            s += r.origin.file + ":" + std::to_string(r.origin.line) + " " + r.origin.path + " " + reason_of(r) + ": " +
                 r.detail + "\n";
        return s;
    }
    // The rejections with one reason (its stable string; an unknown one fails the test).
    std::vector<crit::Rejection> with(const std::string& reason) const {
        INFO("reason " << reason);
        REQUIRE(crit::reject_reason_by_name(reason).has_value());
        std::vector<crit::Rejection> r;
        for (const auto& x : rejects)
            if (reason_of(x) == reason) r.push_back(x);
        return r;
    }
    crit::Rejection rejected(const std::string& reason) const {
        auto r = with(reason);
        INFO("reason " << reason << "; all: " << summary());
        REQUIRE(r.size() == 1);
        return r[0];
    }
};

// Every patient the front door finds in `paths` (files or directories, any format).
inline LoadedData load_paths(const std::vector<std::string>& paths) {
    LoadedData l;
    crit::for_each_patient(paths, bindings(), [&](crit::Timeline&& t) { l.patients.push_back(std::move(t)); },
                           l.rejects, l.diags);
    return l;
}

// A fresh directory under the system's temporary directory, removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "crit-test-XXXXXX").string();
        path = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    // Writes `text` to NAME (folders created) and returns its path.
    std::string write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};
