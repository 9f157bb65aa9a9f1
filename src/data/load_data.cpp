#include "data/load_data.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "data/load_csv.hpp"
#include "data/load_fhir.hpp"

namespace crit {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Shared record conversions

namespace facts {

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

namespace {
// Reads a leading comparator; Eq (and false) when there is none.
bool take_comparator(std::string_view& s, Comparator& out) {
    auto eat = [&](std::string_view p) {
        if (s.substr(0, p.size()) != p) return false;
        s.remove_prefix(p.size());
        return true;
    };
    if (eat("<=") || eat("\u2264")) out = Comparator::Le;
    else if (eat(">=") || eat("\u2265")) out = Comparator::Ge;
    else if (eat("<")) out = Comparator::Lt;
    else if (eat(">")) out = Comparator::Gt;
    else if (eat("==") || eat("=")) out = Comparator::Eq;
    else {
        out = Comparator::Eq;
        return false;
    }
    return true;
}
}  // namespace

std::optional<Comparator> comparator_of(std::string_view s) {
    s = trim(s);
    Comparator c = Comparator::Eq;
    if (!take_comparator(s, c) || !s.empty()) return std::nullopt;
    return c;
}

std::optional<QtyText> parse_qty_text(std::string_view s) {
    QtyText q;
    s = trim(s);
    q.has_cmp = take_comparator(s, q.cmp);
    s = trim(s);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    // std::from_chars also reads "inf" and "nan"; only plain decimals are accepted.
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.' || s.front() == '-'))
        return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), q.value);
    if (ec != std::errc() || !std::isfinite(q.value)) return std::nullopt;
    q.unit = std::string(trim(s.substr(static_cast<std::size_t>(end - s.data()))));
    return q;
}

std::optional<Fail> to_concept_unit(const Concept& c, double v, const std::string& unit_text, double& out) {
    if (unit_text.empty()) {
        if (c.unit.dim == Dimension::None) {
            out = v;
            return std::nullopt;
        }
        return Fail{"missing-unit", fmt::format("{} needs a unit, e.g. {} {}", c.name, v, c.unit.ucum)};
    }
    auto u = find_unit(unit_text);
    if (!u) {
        std::string hint = closest_name(unit_text, unit_spellings());
        return Fail{"unknown-unit", fmt::format("unknown unit `{}` for {}{}", unit_text, c.name,
                                                hint.empty() ? "" : fmt::format(" (did you mean `{}`?)", hint))};
    }
    if (u->dim != c.unit.dim)
        return Fail{"unit-dimension",
                    fmt::format("`{}` is {}, but {} is {} (in {})", unit_text, dimension_name(u->dim), c.name,
                                dimension_name(c.unit.dim), c.unit.ucum.empty() ? "no unit" : c.unit.ucum)};
    out = v * u->factor / c.unit.factor;
    return std::nullopt;
}

ConceptId measure_for_unit(const Bindings& b, ConceptId c, std::string_view unit) {
    if (b.concepts[c].measures.empty()) return c;
    auto u = find_unit(trim(unit));
    if (!u) return c;
    return b.measure_with(c, u->dim).value_or(c);
}

std::optional<bool> boolean_of(std::string_view s) {
    std::string t = lower(trim(s));
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
    return std::nullopt;
}

std::optional<std::size_t> coded_index(const Concept& c, std::string_view s) {
    std::string t = lower(trim(s));
    for (std::size_t i = 0; i < c.values.size(); ++i)
        if (lower(c.values[i]) == t) return i;
    return std::nullopt;
}

std::string value_list(const Concept& c) {
    std::string list;
    for (const auto& v : c.values) list += (list.empty() ? "" : ", ") + v;
    return list;
}

std::optional<Site> site_of(std::string_view s) {
    std::string l = lower(trim(s));
    if (l == "any") return Site::Any;
    if (l == "blood" || l == "peripheral-blood") return Site::Blood;
    if (l == "marrow" || l == "bone-marrow") return Site::Marrow;
    if (l == "csf") return Site::Csf;
    return std::nullopt;
}

const char* site_name(Site s) {
    switch (s) {
        case Site::Any:
            return "any";
        case Site::Blood:
            return "blood";
        case Site::Marrow:
            return "marrow";
        case Site::Csf:
            return "csf";
    }
    return "any";
}

void set_phase(const Bindings& b, std::size_t phase, Treatment& t) {
    t.phase = static_cast<int>(phase);
    for (ClassId c : b.phases[phase].classes)
        if (std::find(t.classes.begin(), t.classes.end(), c) == t.classes.end()) t.classes.push_back(c);
}

std::optional<Fail> phase_of(const Bindings& b, std::string_view value, Treatment& t) {
    std::string_view v = trim(value);
    if (auto p = b.phase_by_name(v)) {
        set_phase(b, *p, t);
        return std::nullopt;
    }
    auto names = b.phase_names();
    std::string known;
    for (const auto& n : names) known += fmt::format("{}{}", known.empty() ? "" : ", ", n);
    if (v.empty()) return Fail{"unknown-phase", fmt::format("the phase of treatment {} is empty", t.drug)};
    std::string hint = closest_name(lower(v), names);
    return Fail{"unknown-phase",
                fmt::format("`{}` is not a phase in the bindings ({}){}", v,
                            known.empty() ? "the bindings declare no `phases:`" : known,
                            hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint))};
}

}  // namespace facts

// ---------------------------------------------------------------------------
// Format detection

namespace {

bool has_ext(const fs::path& p, std::initializer_list<const char*> exts) {
    std::string e = facts::lower(p.extension().string());
    for (const char* x : exts)
        if (e == x) return true;
    return false;
}

bool is_data_name(const fs::path& p) { return has_ext(p, {".json", ".ndjson", ".jsonl", ".csv", ".yaml", ".yml"}); }

// Looks at the first JSON object of `s` (a prefix of the file) without parsing
// it whole: the value of its top-level "resourceType", and whether the object
// closes before the first line break (one resource per line: NDJSON).
struct JsonSniff {
    std::string resource_type;
    bool closes_on_first_line = false;
};

JsonSniff sniff_json(std::string_view s) {
    JsonSniff r;
    int depth = 0;
    bool expect_key = false, want_value = false;
    std::string last_key;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
            std::size_t j = i + 1;
            std::string str;
            for (; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\') ++j;
                else str += s[j];
            }
            if (j >= s.size()) return r;  // the prefix ends inside a string
            if (depth == 1 && want_value) {
                if (last_key == "resourceType") r.resource_type = str;
                want_value = false;
            } else if (depth == 1 && expect_key) {
                last_key = str;
            }
            i = j;
            continue;
        }
        if (c == '\n' && depth > 0) return r;  // the object goes on past the first line
        if (c == '{' || c == '[') {
            ++depth;
            expect_key = c == '{' && depth == 1;
            want_value = false;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                r.closes_on_first_line = true;
                return r;
            }
        } else if (depth == 1 && c == ':') {
            expect_key = false;
            want_value = true;
        } else if (depth == 1 && c == ',') {
            expect_key = true;
            want_value = false;
        } else if (depth == 1 && !std::isspace(static_cast<unsigned char>(c))) {
            want_value = false;  // a number, true, false or null
        }
    }
    return r;
}

}  // namespace

DataFormat detect_format(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return DataFormat::Unknown;
    std::string head(64 * 1024, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::string_view s = head;
    if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte order mark
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    if (!s.empty() && s.front() == '{') {
        JsonSniff j = sniff_json(s);
        if (j.resource_type == "Bundle") return DataFormat::FhirBundle;
        if (j.closes_on_first_line) return DataFormat::FhirNdjson;
        return DataFormat::FhirBundle;  // a pretty-printed document: the Bundle loader says what is wrong
    }
    std::string first = facts::lower(s.substr(0, std::min<std::size_t>(s.size(), 12)));
    if (first.rfind("patient_id", 0) == 0 || first.rfind("\"patient_id\"", 0) == 0) return DataFormat::Csv;
    if (has_ext(path, {".csv"})) return DataFormat::Csv;  // the CSV loader says what its header lacks
    if (has_ext(path, {".yaml", ".yml"})) return DataFormat::Yaml;
    return DataFormat::Unknown;
}

// ---------------------------------------------------------------------------
// Dispatch

void for_each_patient(const std::vector<std::string>& paths, const Bindings& b, const PatientSink& sink,
                      std::vector<Rejection>& rejections, Diagnostics& diags) {
    // One unit of work: a file, or the NDJSON files of one cohort.
    struct Unit {
        DataFormat format;
        std::vector<std::string> files;
    };
    std::vector<Unit> units;
    std::map<std::string, std::size_t> ndjson_unit;  // cohort key -> unit
    auto add = [&](const fs::path& p, const std::string& cohort, bool walked) {
        DataFormat f = detect_format(p.string());
        if (f == DataFormat::Unknown) {
            if (walked && !has_ext(p, {".json", ".ndjson", ".jsonl", ".csv"})) return;
            diags.error(DiagCode::Io, Span{},
                        fmt::format("{}: unsupported data format (expected a FHIR Bundle or Bulk NDJSON, a CSV "
                                    "with a `patient_id,time,concept,value,unit` header, or a YAML timeline)",
                                    p.string()));
            return;
        }
        if (f == DataFormat::FhirNdjson) {
            auto [it, fresh] = ndjson_unit.emplace(cohort, units.size());
            if (!fresh) {
                units[it->second].files.push_back(p.string());
                return;
            }
        }
        units.push_back(Unit{f, {p.string()}});
    };
    for (const auto& path : paths) {
        std::error_code ec;
        fs::path p(path);
        if (fs::is_directory(p, ec)) {
            std::vector<fs::path> files;
            for (const auto& e : fs::recursive_directory_iterator(p, ec))
                if (e.is_regular_file() && is_data_name(e.path())) files.push_back(e.path());
            std::sort(files.begin(), files.end());
            // The NDJSON files of one directory are one export: one cohort.
            for (const auto& f : files) add(f, "dir:" + f.parent_path().string(), true);
        } else if (fs::exists(p, ec)) {
            add(p, "args", false);  // NDJSON files named on the command line form one cohort
        } else {
            diags.error(DiagCode::Io, Span{}, fmt::format("{}: no such file or directory", path));
        }
    }

    // A patient id seen in an earlier file: reported, and the later patient dropped.
    std::unordered_map<std::string, std::size_t> seen;  // patient id -> unit that gave it
    std::size_t current = 0;
    FhirStats stats;
    auto emit = [&](Timeline&& t) {
        auto [it, fresh] = seen.emplace(t.patient_id, current);
        if (!fresh) {
            diags.error(DiagCode::Timeline, Span{},
                        fmt::format("{}: patient `{}` appears twice (also in {}); the later one is ignored",
                                    units[current].files.front(), t.patient_id, units[it->second].files.front()));
            return;
        }
        sink(std::move(t));
    };
    for (current = 0; current < units.size(); ++current) {
        const Unit& u = units[current];
        switch (u.format) {
            case DataFormat::Yaml: {
                LoadResult r;
                load_yaml_timelines(u.files.front(), b, r, diags);
                for (auto& rej : r.rejections) rejections.push_back(std::move(rej));
                for (auto& t : r.patients) emit(std::move(t));
                break;
            }
            case DataFormat::FhirBundle:
                load_fhir_bundle(u.files.front(), b, emit, rejections, diags, &stats);
                break;
            case DataFormat::FhirNdjson:
                load_fhir_ndjson(u.files, b, emit, rejections, diags, {}, &stats);
                break;
            case DataFormat::Csv:
                load_csv(u.files.front(), b, emit, rejections, diags);
                break;
            case DataFormat::Unknown:
                break;
        }
    }
    if (!stats.skipped_types.empty()) {
        std::string list;
        for (const auto& [type, n] : stats.skipped_types)
            list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, type);
        diags.warning(DiagCode::Timeline, Span{},
                      fmt::format("FHIR resources crit does not read were skipped: {} (crit reads Patient, Condition, "
                                  "Observation, MedicationAdministration, Procedure, and Medication for references)",
                                  list));
    }
}

void load_patients(const std::vector<std::string>& paths, const Bindings& b, LoadResult& out, Diagnostics& diags) {
    for_each_patient(
        paths, b, [&](Timeline&& t) { out.patients.push_back(std::move(t)); }, out.rejections, diags);
}

}  // namespace crit
