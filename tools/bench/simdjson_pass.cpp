// The physical-limit line of tools/bench/compare.sh: one bare simdjson On-Demand
// pass (iterate_many) over the same Bulk NDJSON export that crit and the CQL
// engine read, touching every Observation's status, code, date and value and
// nothing else: no grouping by patient, no records, no evaluation. A loader
// cannot read the export faster than this on one core.
//
//   simdjson_pass NDJSON_DIR      (tools/bench/build.sh builds it)
//
// Prints the bytes, resources and Observations read, the wall time and MB/s, and
// a checksum over what was touched (so the compiler cannot drop the work).
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct PassCounts {
  std::uint64_t bytes = 0, resources = 0, observations = 0, values = 0, checksum = 0;
};

void mix(PassCounts& c, std::string_view s) {
  for (unsigned char ch : s) c.checksum = c.checksum * 131 + ch;
}

// code / valueCodeableConcept: every coding's system and code.
simdjson::error_code touch_codeable(simdjson::ondemand::value v, PassCounts& c) {
  simdjson::ondemand::object o;
  if (auto e = v.get_object().get(o)) return e;
  for (auto field : o) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key != "coding") continue;
    simdjson::ondemand::array codings;
    if (auto e = field.value().get_array().get(codings)) return e;
    for (auto coding : codings) {
      simdjson::ondemand::object co;
      if (auto e = coding.get_object().get(co)) return e;
      for (auto cf : co) {
        std::string_view k, s;
        if (auto e = cf.unescaped_key().get(k)) return e;
        if ((k == "system" || k == "code") && !cf.value().get_string().get(s)) mix(c, s);
      }
    }
  }
  return simdjson::SUCCESS;
}

simdjson::error_code touch_quantity(simdjson::ondemand::value v, PassCounts& c) {
  simdjson::ondemand::object o;
  if (auto e = v.get_object().get(o)) return e;
  for (auto field : o) {
    std::string_view key, s;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "value") {
      double x;
      if (auto e = field.value().get_double().get(x)) return e;
      c.checksum += static_cast<std::uint64_t>(x * 1000);
      ++c.values;
    } else if ((key == "comparator" || key == "code") && !field.value().get_string().get(s)) {
      mix(c, s);
    }
  }
  return simdjson::SUCCESS;
}

// One resource: its type, and for an Observation the four fields a loader needs.
simdjson::error_code touch_resource(simdjson::ondemand::document_reference doc, PassCounts& c) {
  simdjson::ondemand::object o;
  if (auto e = doc.get_object().get(o)) return e;
  bool observation = false;
  ++c.resources;
  for (auto field : o) {
    std::string_view key, s;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "resourceType") {
      if (auto e = field.value().get_string().get(s)) return e;
      observation = s == "Observation";
      c.observations += observation;
    } else if (!observation) {
      continue;  // resourceType comes first in the export; other resources are only counted
    } else if (key == "status" || key == "effectiveDateTime") {
      if (auto e = field.value().get_string().get(s)) return e;
      mix(c, s);
    } else if (key == "code" || key == "valueCodeableConcept") {
      if (auto e = touch_codeable(field.value(), c)) return e;
      c.values += key != "code";
    } else if (key == "valueQuantity") {
      if (auto e = touch_quantity(field.value(), c)) return e;
    } else if (key == "valueBoolean") {
      bool b;
      if (auto e = field.value().get_bool().get(b)) return e;
      c.checksum += b;
      ++c.values;
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: simdjson_pass NDJSON_DIR\n");
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
    if (entry.path().extension() == ".ndjson") files.push_back(entry.path());
  if (files.empty()) {
    std::fprintf(stderr, "simdjson_pass: no .ndjson files in %s\n", argv[1]);
    return 2;
  }
  PassCounts c;
  auto t0 = std::chrono::steady_clock::now();
  simdjson::ondemand::parser parser;
  for (const auto& path : files) {
    simdjson::padded_string text;
    if (auto e = simdjson::padded_string::load(path.string()).get(text)) {
      std::fprintf(stderr, "simdjson_pass: %s: %s\n", path.c_str(), simdjson::error_message(e));
      return 1;
    }
    c.bytes += text.size();
    simdjson::ondemand::document_stream stream;
    if (auto e = parser.iterate_many(text, 1 << 20).get(stream)) {
      std::fprintf(stderr, "simdjson_pass: %s: %s\n", path.c_str(), simdjson::error_message(e));
      return 1;
    }
    std::size_t line = 0;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
      ++line;
      simdjson::ondemand::document_reference doc;
      simdjson::error_code e = (*it).get(doc);
      if (!e) e = touch_resource(doc, c);
      if (e) {
        std::fprintf(stderr, "simdjson_pass: %s: resource %zu: %s\n", path.c_str(), line, simdjson::error_message(e));
        return 1;
      }
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("simdjson pass: %llu bytes, %llu resources, %llu Observations, %llu values; wall %.3f s, %.0f MB/s (checksum %llx)\n",
              static_cast<unsigned long long>(c.bytes), static_cast<unsigned long long>(c.resources),
              static_cast<unsigned long long>(c.observations), static_cast<unsigned long long>(c.values), s,
              c.bytes / 1e6 / s, static_cast<unsigned long long>(c.checksum));
  return 0;
}
