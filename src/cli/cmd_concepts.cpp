// `crit concepts` and `crit classes`: what the bindings in use know, so a rule author can
// see the names, units and drug classes a rule may use without reading the YAML.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/bindings.hpp"
#include "cli/usage.hpp"

namespace crit {

namespace {

using json = nlohmann::ordered_json;

std::optional<Bindings> bindings_for(const CompileOptions& copt) {
    Diagnostics d;
    auto b = load_bindings(copt.bindings.empty() ? default_bindings_path() : copt.bindings, d);
    print_diags(d);
    return b;
}

const char* kind_name(ValueKind k) {
    switch (k) {
    case ValueKind::Quantity: return "quantity";
    case ValueKind::Boolean: return "boolean";
    case ValueKind::Coded: return "coded";
    }
    return "quantity";
}

// Systems by the name a reader knows them by; others as written.
std::string system_name(const std::string& s) {
    if (s == "http://loinc.org") return "LOINC";
    if (s == "http://snomed.info/sct") return "SNOMED";
    if (s == "http://www.nlm.nih.gov/research/umls/rxnorm") return "RxNorm";
    return s;
}

// "LOINC 731-0, 26474-7": the system named once for a run of codes in it.
std::string codes_text(const std::vector<Code>& codes) {
    std::string out;
    const std::string* system = nullptr;
    for (const auto& c : codes) {
        if (!out.empty()) out += ", ";
        if (!system || *system != c.system) out += system_name(c.system) + " ";
        out += c.code;
        system = &c.system;
    }
    return out;
}

// A range is stored in the canonical unit; shown in the concept's own unit.
std::optional<std::pair<double, double>> shown(const std::optional<ValueRange>& r, const Unit& u) {
    if (!r) return std::nullopt;
    return std::pair{from_canonical(r->lo, u), from_canonical(r->hi, u)};
}

// Columns padded to their widest cell, the last one not.
void print_table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> w;
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (w.size() <= i) w.push_back(0);
            w[i] = std::max(w[i], r[i].size());
        }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i)
            line += i + 1 == r.size() ? r[i] : fmt::format("{:<{}}  ", r[i], w[i]);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        std::cout << line << "\n";
    }
}

}  // namespace

int cmd_concepts(const CompileOptions& copt, const std::string& format) {
    auto b = bindings_for(copt);
    if (!b) return kExitData;
    if (format == "json") {
        json arr = json::array();
        for (const auto& c : b->concepts) {
            json o = {{"name", c.name}, {"kind", kind_name(c.kind)}, {"display", c.display}};
            o["unit"] = c.kind == ValueKind::Quantity ? json(c.unit.ucum) : json(nullptr);
            if (c.kind == ValueKind::Coded) o["values"] = c.values;
            if (auto p = shown(c.plausible, c.unit)) o["plausible"] = {p->first, p->second};
            if (auto p = shown(c.physiological, c.unit)) o["physiological"] = {p->first, p->second};
            o["site"] = site_name(c.site);
            json codes = json::array();
            for (const auto& k : c.codes) codes.push_back({{"system", k.system}, {"code", k.code}});
            o["codes"] = codes;
            arr.push_back(std::move(o));
        }
        std::cout << arr.dump(2) << "\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"concept", "kind", "unit / values", "plausible", "display", "codes"}};
    for (const auto& c : b->concepts) {
        std::string unit;
        if (c.kind == ValueKind::Quantity) unit = c.unit.ucum;
        for (const auto& v : c.values) unit += fmt::format("{}{}", unit.empty() ? "" : "|", v);
        std::string range;
        if (auto p = shown(c.plausible, c.unit)) range = fmt::format("{:g} to {:g}", p->first, p->second);
        rows.push_back({c.name, kind_name(c.kind), unit, range, c.display, codes_text(c.codes)});
    }
    print_table(rows);
    std::cout << fmt::format("\n{} concepts, from {}\n", b->concepts.size(), b->source_name);
    return kExitOk;
}

int cmd_classes(const CompileOptions& copt, const std::string& format) {
    auto b = bindings_for(copt);
    if (!b) return kExitData;
    std::vector<std::vector<std::string>> drugs(b->classes.size());
    for (const auto& d : b->drugs)
        for (ClassId k : d.classes)
            if (k < drugs.size()) drugs[k].push_back(d.name);
    if (format == "json") {
        json arr = json::array();
        for (std::size_t i = 0; i < b->classes.size(); ++i)
            arr.push_back({{"name", b->classes[i].name}, {"display", b->classes[i].display}, {"drugs", drugs[i]}});
        std::cout << arr.dump(2) << "\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"class", "display", "drugs"}};
    for (std::size_t i = 0; i < b->classes.size(); ++i) {
        std::string list;
        for (const auto& d : drugs[i]) list += fmt::format("{}{}", list.empty() ? "" : ", ", d);
        rows.push_back({b->classes[i].name, b->classes[i].display, list});
    }
    print_table(rows);
    std::cout << fmt::format("\n{} classes, from {}\n", b->classes.size(), b->source_name);
    return kExitOk;
}

}  // namespace crit
