// Hostile and broken criteria files: every mutation of the shipped rule packs must
// come back as diagnostics or a program, never as a crash, hang or exception.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "lang/driver.hpp"
#include "data/load_yaml.hpp"
#include "vm/vm.hpp"

namespace {

std::string read_all(const std::string& path) {
    std::string err;
    auto src = crit::read_source(path, err);
    REQUIRE(src);
    return src->text();
}

// Deterministic byte- and line-level mutations.
std::string mutate(const std::string& text, std::mt19937& rng) {
    std::string s = text;
    std::uniform_int_distribution<int> kind(0, 5);
    int edits = 1 + static_cast<int>(rng() % 4);
    static const std::string alphabet = " \t\n:()#\"<>=%.,-+0123456789abcdefxyzAND ofatleastforwithin";
    for (int i = 0; i < edits && !s.empty(); ++i) {
        std::size_t pos = rng() % s.size();
        switch (kind(rng)) {
            case 0: s.erase(pos, 1 + rng() % 8); break;
            case 1: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
            case 2: s[pos] = alphabet[rng() % alphabet.size()]; break;
            case 3: s.insert(pos, s.substr(rng() % s.size(), rng() % 40)); break;
            case 4: {  // re-indent a line
                std::size_t nl = s.rfind('\n', pos);
                s.insert(nl == std::string::npos ? 0 : nl + 1, std::string(rng() % 6, ' '));
                break;
            }
            default: s.insert(pos, std::string(1 + rng() % 3, '(')); break;
        }
    }
    return s;
}

}  // namespace

TEST_CASE("mutated rule packs give diagnostics or programs, never crashes", "[robustness]") {
    const std::vector<std::string> packs = {"rules/cll/iwcll-2018.crit", "rules/cll/iwcll-2008.crit",
                                            "rules/all/all-response.crit"};
    YAML::Node patient = YAML::LoadFile("examples/cll/p-002-pr.yaml");
    std::mt19937 rng(20261121);
    int compiled = 0, rejected = 0;
    for (const auto& pack : packs) {
        std::string text = read_all(pack);
        for (int i = 0; i < 300; ++i) {
            auto src = std::make_shared<crit::SourceFile>(pack, mutate(text, rng));
            crit::Diagnostics d;
            crit::Compilation c;
            REQUIRE_NOTHROW(c = crit::compile_source(src, d));
            if (c.program) {
                ++compiled;
                std::vector<crit::Rejection> rejects;
                crit::Timeline t = crit::timeline_from_yaml(patient, "p-002", *c.bindings, rejects);
                crit::EvalContext ctx;
                REQUIRE_NOTHROW(crit::evaluate(*c.program, t, std::nullopt, ctx));
            } else {
                ++rejected;
                REQUIRE(d.has_errors());
                REQUIRE_FALSE(crit::render(d).empty());
            }
        }
    }
    // Both paths were exercised.
    CHECK(compiled > 0);
    CHECK(rejected > 0);
}

TEST_CASE("hostile inputs hit the documented bounds", "[robustness]") {
    auto run = [](const std::string& text) {
        auto src = std::make_shared<crit::SourceFile>("hostile.crit", text);
        crit::Diagnostics d;
        auto c = crit::compile_source(src, d);
        return crit::render(d);
    };
    std::string chain = "d = 2024-01-01";
    for (int i = 0; i < 5000; ++i) chain += " + 1d";
    CHECK_THAT(run(chain + "\n"), Catch::Contains("too-deep"));
    CHECK_THAT(run("X: " + std::string(200, '(') + "hepatomegaly" + std::string(200, ')') + "\n"),
               Catch::Contains("nested too deeply"));
    std::string wide = "X: hepatomegaly";
    for (int i = 0; i < 1500; ++i) wide += " or hepatomegaly";
    CHECK_THAT(run(wide + "\n"), Catch::Contains("at most 1000"));
    std::string blocks = "X:\n";
    for (int i = 1; i < 30; ++i) blocks += std::string(2 * i, ' ') + "all of:\n";
    blocks += std::string(60, ' ') + "hepatomegaly\n";
    CHECK_THAT(run(blocks), Catch::Contains("nested too deeply"));
    CHECK_THAT(run(std::string("X: hepatomegaly\n\0\n", 18)), Catch::Contains("NUL"));
}
