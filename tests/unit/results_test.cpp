// The JSON line of `crit run` (ResultsWriter::json_line) is written straight into a
// string; it must be, byte for byte, the nlohmann object patient_json() serialised,
// which is what the line was before and what the library and Python expose.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "data/load_data.hpp"
#include "lang/driver.hpp"
#include "out/results.hpp"
#include "vm/vm.hpp"

using namespace crit;

namespace {

std::string dumped(const ResultsWriter& w, const Timeline& t, const Evaluation& ev) {
    return w.patient_json(t, ev).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

TEST_CASE("json_line is patient_json serialised, for every shipped pack and example patient", "[results]") {
    for (const char* pack : {"rules/cll/iwcll-2018.crit", "rules/cll/iwcll-2008.crit", "rules/all/all-response.crit"}) {
        Diagnostics d;
        auto c = compile_file(pack, d);
        REQUIRE(c.program);
        LoadResult data;
        load_patients({"examples/cll", "examples/all"}, *c.bindings, data, d);
        REQUIRE(data.patients.size() >= 10);
        ResultsWriter w(*c.program);
        EvalContext ctx;
        std::size_t with_episodes = 0, with_criteria = 0;
        for (const auto& t : data.patients) {
            const Evaluation& ev = evaluate(*c.program, t, std::nullopt, ctx);
            std::string line = w.json_line(t, ev);
            INFO(pack << " " << t.patient_id);
            CHECK(line == dumped(w, t, ev));
            auto j = nlohmann::json::parse(line);
            with_episodes += !j["episodes"].empty();
            for (const auto& [name, runs] : j["criteria"].items()) with_criteria += !runs.empty();
        }
        // The comparison covered lines with episodes and criteria intervals, not only empty ones.
        CHECK(with_episodes > 0);
        CHECK(with_criteria > 0);
    }
}

TEST_CASE("json_line escapes text as nlohmann does: quotes, controls, UTF-8 and bytes that are not", "[results]") {
    Diagnostics d;
    auto c = compile_file("rules/cll/iwcll-2018.crit", d);
    REQUIRE(c.program);
    LoadResult data;
    load_patients({"examples/cll"}, *c.bindings, data, d);
    REQUIRE(!data.patients.empty());
    ResultsWriter w(*c.program);
    EvalContext ctx;
    for (std::string id : {std::string("plain-1"), std::string("quote\"back\\slash"), std::string("tab\tnew\nline\x01"),
                           std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"), std::string("bad \xff\xfe byte"),
                           std::string("cut \xe2\x82"), std::string("del\x7f")}) {
        Timeline t = data.patients.front();
        t.patient_id = id;
        Evaluation ev = evaluate(*c.program, t, std::nullopt, ctx);
        ev.patient_id = id;
        std::string line = w.json_line(t, ev);
        INFO(id);
        CHECK(line == dumped(w, t, ev));
        CHECK(nlohmann::json::parse(line)["patient"].is_string());
    }
}
