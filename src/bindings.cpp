// Terminology bindings: loading and validating bindings/*.yaml, and the lookup
// indexes. The file format is documented at the top of bindings/default.yaml.
#include "bindings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace crit {

// ---------------------------------------------------------------------------
// Lookups

namespace {

std::string code_key(const std::string& system, const std::string& code) { return system + "|" + code; }

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// An ICD-10 code as compared by prefix: without dots, in capitals ("c91.10" -> "C9110"),
// since data writes it either way.
std::string prefix_key(const std::string& code) {
    std::string k;
    for (char ch : code)
        if (ch != '.') k += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return k;
}

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

}  // namespace

std::optional<ConceptId> Bindings::concept_by_name(const std::string& name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return std::nullopt;
    return it->second;
}

// A code bound to one concept denotes it whatever the specimen. A code shared by
// several concepts (LOINC 67128-9: MRD in blood and in marrow) is told apart by
// each concept's `site`: an exact site match wins, then a concept without a site.
// With no match (or Site::Any asked of a code that needs a site) the answer is
// nullopt: the caller reports the record rather than guess.
std::optional<ConceptId> Bindings::concept_by_code(const std::string& system, const std::string& code,
                                                   Site site) const {
    auto [lo, hi] = by_code_.equal_range(code_key(system, code));
    if (lo == hi) return std::nullopt;
    if (std::next(lo) == hi) return lo->second;
    for (auto it = lo; it != hi; ++it)
        if (concepts[it->second].site == site) return it->second;
    for (auto it = lo; it != hi; ++it)
        if (concepts[it->second].site == Site::Any) return it->second;
    return std::nullopt;
}

std::optional<ClassId> Bindings::class_by_name(const std::string& name) const {
    auto it = class_by_name_.find(name);
    if (it == class_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Bindings::drug_by_code(const std::string& system, const std::string& code) const {
    auto it = drug_by_code_.find(code_key(system, code));
    if (it == drug_by_code_.end()) return std::nullopt;
    return it->second;
}

// Drug and regimen names are matched without regard to case ("FCR", "fcr"),
// since hand-written timelines and CSV exports spell them either way.
std::optional<std::size_t> Bindings::drug_by_name(const std::string& name) const {
    auto it = drug_by_name_.find(lower(name));
    if (it == drug_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Bindings::diagnosis_by_code(const std::string& system, const std::string& code) const {
    if (auto it = diagnosis_by_code_.find(code_key(system, code)); it != diagnosis_by_code_.end()) return it->second;
    if (diagnosis_prefixes_.empty()) return std::nullopt;
    std::string key = prefix_key(code);
    for (const auto& p : diagnosis_prefixes_)
        if (starts_with(system, p.system) && starts_with(key, p.key)) return p.diagnosis;
    return std::nullopt;
}

std::optional<std::size_t> Bindings::procedure_by_code(const std::string& system, const std::string& code) const {
    auto it = procedure_by_code_.find(code_key(system, code));
    if (it == procedure_by_code_.end()) return std::nullopt;
    return it->second;
}

const std::vector<ClassId>& Procedure::classes_for(const std::string& diagnosis) const {
    auto it = by_diagnosis.find(diagnosis);
    return it == by_diagnosis.end() ? classes : it->second;
}

std::vector<std::string> Bindings::concept_names() const {
    std::vector<std::string> v;
    for (const auto& c : concepts) v.push_back(c.name);
    return v;
}

std::vector<std::string> Bindings::class_names() const {
    std::vector<std::string> v;
    for (const auto& c : classes) v.push_back(c.name);
    return v;
}

void Bindings::index() {
    by_name_.clear();
    by_code_.clear();
    class_by_name_.clear();
    drug_by_code_.clear();
    drug_by_name_.clear();
    diagnosis_by_code_.clear();
    diagnosis_prefixes_.clear();
    procedure_by_code_.clear();
    for (std::size_t i = 0; i < concepts.size(); ++i) {
        auto id = static_cast<ConceptId>(i);
        by_name_.emplace(concepts[i].name, id);
        for (const auto& c : concepts[i].codes) by_code_.emplace(code_key(c.system, c.code), id);
    }
    for (std::size_t i = 0; i < classes.size(); ++i) class_by_name_.emplace(classes[i].name, static_cast<ClassId>(i));
    for (std::size_t i = 0; i < drugs.size(); ++i) {
        drug_by_name_.emplace(lower(drugs[i].name), i);
        for (const auto& c : drugs[i].codes) drug_by_code_.emplace(code_key(c.system, c.code), i);
    }
    for (std::size_t i = 0; i < diagnoses.size(); ++i)
        for (const auto& c : diagnoses[i].codes) {
            if (c.prefix) diagnosis_prefixes_.push_back(PrefixCode{c.system, prefix_key(c.code), i});
            else diagnosis_by_code_.emplace(code_key(c.system, c.code), i);
        }
    // The most specific code wins (C91.1 before C91), then the order of the file.
    std::stable_sort(diagnosis_prefixes_.begin(), diagnosis_prefixes_.end(),
                     [](const PrefixCode& a, const PrefixCode& b) { return a.key.size() > b.key.size(); });
    for (std::size_t i = 0; i < procedures.size(); ++i)
        procedure_by_code_.emplace(code_key(procedures[i].code.system, procedures[i].code.code), i);
}

// ---------------------------------------------------------------------------
// Loading

namespace {


bool is_identifier(const std::string& s) {
    if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

const char* site_name(Site s) {
    switch (s) {
        case Site::Any: return "any";
        case Site::Blood: return "blood";
        case Site::Marrow: return "marrow";
        case Site::Csf: return "csf";
    }
    return "any";
}

// A diagnosis name: a plain word ("CLL", "B-ALL"), as messages and procedure classes write it.
bool is_label(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

// The key of a procedure's `classes:` map for a diagnosis it does not list.
constexpr const char* kDefaultDiagnosis = "default";

std::optional<Site> parse_site(const std::string& s) {
    std::string l = lower(s);
    if (l == "any") return Site::Any;
    if (l == "blood" || l == "peripheral-blood") return Site::Blood;
    if (l == "marrow" || l == "bone-marrow") return Site::Marrow;
    if (l == "csf") return Site::Csf;
    return std::nullopt;
}

class Loader {
public:
    Loader(SourcePtr file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

    std::optional<Bindings> run() {
        YAML::Node loaded;
        try {
            loaded = YAML::Load(file_->text());
        } catch (const YAML::ParserException& e) {
            error(e.mark, 1, fmt::format("malformed YAML: {}", e.msg));
            return std::nullopt;
        }
        const YAML::Node root = loaded;
        if (!root.IsMap()) {
            error(root.IsDefined() && !root.IsNull() ? root.Mark() : YAML::Mark(), 1,
                  "a bindings file is a map with `concepts:`, `classes:`, `drugs:`, `diagnoses:` and `procedures:`");
            return std::nullopt;
        }
        b_.source_name = file_->name();
        // Classes before drugs and procedures, diagnoses before procedures, so
        // each is checked against what it names whatever the key order.
        const std::vector<std::string> sections = {"concepts", "classes", "drugs", "diagnoses", "procedures"};
        std::set<std::string> seen_sections;
        for (const auto& kv : root) {
            std::string key = kv.first.Scalar();
            if (!seen_sections.insert(key).second) error(kv.first, fmt::format("section `{}` appears twice", key));
            if (std::find(sections.begin(), sections.end(), key) != sections.end()) continue;
            if (key == "name" || key == "version" || key == "description") continue;  // metadata
            auto& d = error(kv.first, fmt::format("unknown section `{}`", key));
            d.suggestion = closest_name(key, sections);
        }
        if (root["classes"]) load_classes(root["classes"]);
        if (root["concepts"]) load_concepts(root["concepts"]);
        else error(root.Mark(), 1, "the bindings define no `concepts:`");
        if (root["drugs"]) load_drugs(root["drugs"]);
        if (root["diagnoses"]) load_diagnoses(root["diagnoses"]);
        if (root["procedures"]) load_procedures(root["procedures"]);
        check_shared_codes();
        if (errors_) return std::nullopt;
        b_.index();
        return std::move(b_);
    }

private:
    SourcePtr file_;
    Diagnostics& diags_;
    Bindings b_;
    int errors_ = 0;
    // Where each concept's codes were declared, for the shared-code check.
    std::vector<std::vector<YAML::Mark>> code_marks_;

    Span span(const YAML::Mark& m, std::size_t len) const {
        if (m.line < 0) return Span{file_.get(), 0, 0};
        std::uint32_t begin = file_->offset_of(m.line + 1, m.column + 1);
        auto [line, col] = file_->line_col(begin);
        std::uint32_t line_end = begin + static_cast<std::uint32_t>(file_->line_text(line).size()) - (col - 1);
        std::uint32_t end = std::min<std::uint32_t>(begin + static_cast<std::uint32_t>(std::max<std::size_t>(len, 1)),
                                                    std::max(line_end, begin + 1));
        return Span{file_.get(), begin, std::min<std::uint32_t>(end, static_cast<std::uint32_t>(file_->text().size()))};
    }
    Diagnostic& error(const YAML::Mark& m, std::size_t len, std::string msg) {
        ++errors_;
        return diags_.error(DiagCode::Bindings, span(m, len), std::move(msg));
    }
    Diagnostic& error(const YAML::Node& n, std::string msg) {
        return error(n.Mark(), n.IsScalar() ? n.Scalar().size() : 1, std::move(msg));
    }

    // A scalar field as a string; reports and returns nullopt when it is not a scalar.
    std::optional<std::string> scalar(const YAML::Node& n, const char* what) {
        if (!n.IsScalar()) {
            error(n, fmt::format("{} must be a single value", what));
            return std::nullopt;
        }
        return n.Scalar();
    }

    // Iterates a map section, reporting duplicate keys (yaml-cpp keeps both).
    template <class F>
    void each_entry(const YAML::Node& section, const char* what, F&& f) {
        if (section.IsNull()) return;
        if (!section.IsMap()) {
            error(section, fmt::format("`{}` must be a map from names to entries", what));
            return;
        }
        std::set<std::string> seen;
        for (const auto& kv : section) {
            if (!kv.first.IsScalar()) {
                error(kv.first, fmt::format("a name in `{}` must be a plain word", what));
                continue;
            }
            const std::string& name = kv.first.Scalar();
            std::string key = std::string(what) == "drugs" ? lower(name) : name;
            if (!seen.insert(key).second) {
                error(kv.first, fmt::format("duplicate name `{}` in `{}`", name, what));
                continue;
            }
            f(kv.first, kv.second);
        }
    }

    void check_fields(const YAML::Node& entry, std::initializer_list<const char*> allowed, const char* what) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        for (const auto& kv : entry) {
            std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
            if (std::find(names.begin(), names.end(), k) != names.end()) continue;
            auto& d = error(kv.first, fmt::format("unknown field `{}` in {}", k, what));
            d.suggestion = closest_name(k, names);
        }
    }

    // The `codes:` list of `owner`. Only concept codes take `site` (site_out), and
    // only diagnosis codes `match` (prefix_out, one flag per code returned).
    std::vector<Code> load_codes(const YAML::Node& n, const char* owner, std::optional<Site>* site_out,
                                 std::vector<YAML::Mark>* marks, std::vector<bool>* prefix_out = nullptr) {
        std::vector<Code> out;
        if (!n.IsSequence()) {
            error(n, fmt::format("`codes` of {} must be a list of {{system, code}}", owner));
            return out;
        }
        for (const auto& c : n) {
            if (!c.IsMap()) {
                error(c, "a code is a map {system: ..., code: ...}");
                continue;
            }
            check_fields(c, {"system", "code", "site", "match", "display"}, "a code");
            if (!c["system"] || !c["code"]) {
                error(c, "a code needs both `system` and `code`");
                continue;
            }
            auto sys = scalar(c["system"], "`system`");
            auto code = scalar(c["code"], "`code`");
            if (!sys || !code) continue;
            if (sys->empty() || code->empty()) {
                error(c, "`system` and `code` must not be empty");
                continue;
            }
            if (c["site"]) {
                if (!site_out) {
                    error(c["site"], "only concept codes can be restricted to a site");
                } else if (auto s = scalar(c["site"], "`site`")) {
                    auto site = parse_site(*s);
                    if (!site) {
                        error(c["site"], fmt::format("unknown site `{}` (blood, marrow, csf or any)", *s));
                    } else if (*site_out && **site_out != *site) {
                        error(c["site"], fmt::format("{} is restricted to site {}, but this code says {}", owner,
                                                     site_name(**site_out), site_name(*site)));
                    } else {
                        *site_out = *site;
                    }
                }
            }
            bool prefix = false;
            if (c["match"]) {
                if (!prefix_out) {
                    error(c["match"], "only diagnosis codes take `match`");
                } else if (auto m = scalar(c["match"], "`match`")) {
                    if (*m == "prefix") {
                        prefix = true;
                    } else if (*m != "exact") {
                        auto& d = error(c["match"], fmt::format("unknown match `{}` (exact or prefix)", *m));
                        d.suggestion = closest_name(*m, {"exact", "prefix"});
                    }
                }
            }
            out.push_back(Code{*sys, *code});
            if (marks) marks->push_back(c.Mark());
            if (prefix_out) prefix_out->push_back(prefix);
        }
        return out;
    }

    void load_classes(const YAML::Node& section) {
        each_entry(section, "classes", [&](const YAML::Node& key, const YAML::Node& v) {
            const std::string& name = key.Scalar();
            if (!is_identifier(name))
                error(key, fmt::format("class name `{}` must be lower_snake_case, as rules name it", name));
            DrugClass dc{name, ""};
            if (v.IsMap()) {
                check_fields(v, {"display"}, fmt::format("class `{}`", name).c_str());
                if (v["display"])
                    if (auto s = scalar(v["display"], "`display`")) dc.display = *s;
            } else if (v.IsScalar()) {
                dc.display = v.Scalar();  // `btk_inhibitor: BTK inhibitors`
            } else if (!v.IsNull()) {
                error(v, fmt::format("class `{}` must be a map {{display: ...}}", name));
            }
            b_.classes.push_back(std::move(dc));
        });
    }

    void load_concepts(const YAML::Node& section) {
        each_entry(section, "concepts", [&](const YAML::Node& key, const YAML::Node& v) {
            const std::string& name = key.Scalar();
            std::string what = fmt::format("concept `{}`", name);
            if (!is_identifier(name))
                error(key, fmt::format("concept name `{}` must be lower_snake_case, as rules name it", name));
            if (!v.IsMap()) {
                error(v.IsNull() ? key : v, fmt::format("{} must be a map with `kind`, `codes`, ...", what));
                return;
            }
            check_fields(v, {"display", "kind", "unit", "units", "values", "codes", "site", "valid_for", "persistent"},
                         what.c_str());
            Concept c;
            c.name = name;
            if (v["display"])
                if (auto s = scalar(v["display"], "`display`")) c.display = *s;
            std::string kind = "quantity";
            if (v["kind"])
                if (auto s = scalar(v["kind"], "`kind`")) kind = *s;
            if (kind == "quantity") {
                c.kind = ValueKind::Quantity;
            } else if (kind == "boolean") {
                c.kind = ValueKind::Boolean;
            } else if (kind == "coded") {
                c.kind = ValueKind::Coded;
            } else {
                auto& d = error(v["kind"], fmt::format("unknown kind `{}` (quantity, boolean or coded)", kind));
                d.suggestion = closest_name(kind, {"quantity", "boolean", "coded"});
                return;
            }

            if (c.kind == ValueKind::Quantity) {
                load_units(v, c, what);
            } else {
                if (v["unit"]) error(v["unit"], fmt::format("{} is {} and takes no unit", what, kind));
                if (v["units"]) error(v["units"], fmt::format("{} is {} and takes no units", what, kind));
            }

            if (c.kind == ValueKind::Coded) {
                if (!v["values"] || !v["values"].IsSequence() || v["values"].size() == 0) {
                    error(v["values"] ? v["values"] : key,
                          fmt::format("coded {} needs `values:`, the list of codes it may take", what));
                } else {
                    std::set<std::string> seen;
                    for (const auto& x : v["values"]) {
                        auto s = scalar(x, "a value");
                        if (!s) continue;
                        if (!seen.insert(*s).second) error(x, fmt::format("value `{}` is listed twice", *s));
                        c.values.push_back(*s);
                    }
                }
            } else if (v["values"]) {
                error(v["values"], fmt::format("only coded concepts take `values` ({} is {})", what, kind));
            }

            std::optional<Site> site;
            if (v["site"]) {
                if (auto s = scalar(v["site"], "`site`")) {
                    site = parse_site(*s);
                    if (!site) error(v["site"], fmt::format("unknown site `{}` (blood, marrow, csf or any)", *s));
                }
            }
            std::vector<YAML::Mark> marks;
            if (v["codes"]) c.codes = load_codes(v["codes"], what.c_str(), &site, &marks);
            c.site = site.value_or(Site::Any);

            if (v["valid_for"]) {
                if (auto s = scalar(v["valid_for"], "`valid_for`")) {
                    auto d = parse_duration(*s);
                    if (!d || (d->months == 0 && d->days == 0))
                        error(v["valid_for"], fmt::format("`valid_for` must be a duration such as 90d or 3mo, not `{}`", *s));
                    else
                        c.valid_for = *d;
                }
            }
            if (v["persistent"]) {
                if (auto s = scalar(v["persistent"], "`persistent`"); s && (*s == "true" || *s == "false"))
                    c.persistent = *s == "true";
                else
                    error(v["persistent"], "`persistent` is true or false");
            }
            if (b_.concepts.size() >= 0xFFFF) {
                error(key, "too many concepts");
                return;
            }
            b_.concepts.push_back(std::move(c));
            code_marks_.push_back(std::move(marks));
        });
    }

    void load_units(const YAML::Node& v, Concept& c, const std::string& what) {
        if (!v["unit"]) {
            error(v, fmt::format("quantity {} needs a canonical `unit:` (or `unit: none` for a plain number)", what));
            return;
        }
        auto s = scalar(v["unit"], "`unit`");
        if (!s) return;
        if (*s == "none" || s->empty()) {
            c.unit = Unit{"", Dimension::None, 1.0};
        } else if (auto u = find_unit(*s)) {
            c.unit = *u;
        } else {
            auto& d = error(v["unit"], fmt::format("unknown unit `{}`", *s));
            d.suggestion = closest_name(*s, unit_spellings());
            return;
        }
        if (!v["units"]) {
            if (c.unit.dim != Dimension::None) c.units.push_back(c.unit.ucum);
            return;
        }
        if (!v["units"].IsSequence()) {
            error(v["units"], "`units` must be a list of UCUM units");
            return;
        }
        for (const auto& x : v["units"]) {
            auto us = scalar(x, "a unit");
            if (!us) continue;
            auto u = find_unit(*us);
            if (!u) {
                auto& d = error(x, fmt::format("unknown unit `{}`", *us));
                d.suggestion = closest_name(*us, unit_spellings());
                continue;
            }
            if (u->dim != c.unit.dim) {
                auto& d = error(x, fmt::format("unit `{}` is {}, but {} is measured in `{}` ({})", *us,
                                               dimension_name(u->dim), what, c.unit.ucum, dimension_name(c.unit.dim)));
                d.notes.push_back("values are converted to the concept's unit, which never crosses dimensions");
                continue;
            }
            c.units.push_back(*us);
        }
    }

    void load_drugs(const YAML::Node& section) {
        std::map<std::string, std::string> code_owner;
        each_entry(section, "drugs", [&](const YAML::Node& key, const YAML::Node& v) {
            Drug d;
            d.name = key.Scalar();
            std::string what = fmt::format("drug `{}`", d.name);
            if (!v.IsMap()) {
                error(v.IsNull() ? key : v, fmt::format("{} must be a map with `codes` and `classes`", what));
                return;
            }
            check_fields(v, {"codes", "classes", "display"}, what.c_str());
            std::vector<YAML::Mark> marks;
            if (v["codes"]) d.codes = load_codes(v["codes"], what.c_str(), nullptr, &marks);
            for (std::size_t i = 0; i < d.codes.size(); ++i) {
                std::string k = code_key(d.codes[i].system, d.codes[i].code);
                auto [it, fresh] = code_owner.emplace(k, d.name);
                if (!fresh)
                    error(marks[i], 1, fmt::format("code {} is already bound to drug `{}`", d.codes[i].code, it->second));
            }
            if (v["classes"]) {
                if (!v["classes"].IsSequence())
                    error(v["classes"], fmt::format("`classes` of {} must be a list of class names", what));
                else
                    d.classes = class_list(v["classes"], what);
            }
            b_.drugs.push_back(std::move(d));
        });
    }

    // A list of class names, each declared under `classes:`, without repeats.
    std::vector<ClassId> class_list(const YAML::Node& list, const std::string& what) {
        std::vector<ClassId> out;
        for (const auto& x : list) {
            auto s = scalar(x, "a class");
            if (!s) continue;
            auto it = std::find_if(b_.classes.begin(), b_.classes.end(),
                                   [&](const DrugClass& dc) { return dc.name == *s; });
            if (it == b_.classes.end()) {
                auto& diag = error(x, fmt::format("{} names class `{}`, which `classes:` does not declare", what, *s));
                diag.suggestion = closest_name(*s, b_.class_names());
                continue;
            }
            auto id = static_cast<ClassId>(it - b_.classes.begin());
            if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
        }
        return out;
    }

    void load_diagnoses(const YAML::Node& section) {
        std::map<std::string, std::string> code_owner;  // system|code (prefix codes: their key) -> diagnosis
        each_entry(section, "diagnoses", [&](const YAML::Node& key, const YAML::Node& v) {
            Diagnosis dx;
            dx.name = key.Scalar();
            std::string what = fmt::format("diagnosis `{}`", dx.name);
            if (!is_label(dx.name))
                error(key, fmt::format("diagnosis name `{}` must be a plain word (letters, digits, - or _)", dx.name));
            else if (dx.name == kDefaultDiagnosis)
                error(key, fmt::format("`{}` names the fallback in a procedure's `classes:`, not a diagnosis",
                                       kDefaultDiagnosis));
            if (!v.IsMap()) {
                error(v.IsNull() ? key : v, fmt::format("{} must be a map with `codes`", what));
                return;
            }
            check_fields(v, {"display", "codes"}, what.c_str());
            if (v["display"])
                if (auto s = scalar(v["display"], "`display`")) dx.display = *s;
            if (!v["codes"]) {
                error(key, fmt::format("{} needs `codes:`, the codes that diagnose it", what));
                return;
            }
            std::vector<YAML::Mark> marks;
            std::vector<bool> prefix;
            auto codes = load_codes(v["codes"], what.c_str(), nullptr, &marks, &prefix);
            for (std::size_t i = 0; i < codes.size(); ++i) {
                DiagnosisCode c{codes[i].system, codes[i].code, prefix[i]};
                std::string k = c.prefix ? "prefix|" + code_key(c.system, prefix_key(c.code))
                                         : code_key(c.system, c.code);
                if (c.prefix && prefix_key(c.code).empty()) {
                    error(marks[i], 1, fmt::format("code `{}` has nothing to match by prefix", c.code));
                    continue;
                }
                auto [it, fresh] = code_owner.emplace(k, dx.name);
                if (!fresh) {
                    error(marks[i], 1, fmt::format("code {} is already bound to diagnosis `{}`", c.code, it->second));
                    continue;
                }
                dx.codes.push_back(std::move(c));
            }
            b_.diagnoses.push_back(std::move(dx));
        });
    }

    void load_procedures(const YAML::Node& section) {
        if (section.IsNull()) return;
        if (!section.IsSequence()) {
            error(section, "`procedures` must be a list of {system, code, display, classes}");
            return;
        }
        std::set<std::string> seen;
        for (const auto& p : section) {
            if (!p.IsMap()) {
                error(p, "a procedure is a map {system: ..., code: ..., classes: ...}");
                continue;
            }
            check_fields(p, {"system", "code", "display", "classes"}, "a procedure");
            if (!p["system"] || !p["code"]) {
                error(p, "a procedure needs both `system` and `code`");
                continue;
            }
            auto sys = scalar(p["system"], "`system`");
            auto code = scalar(p["code"], "`code`");
            if (!sys || !code) continue;
            if (sys->empty() || code->empty()) {
                error(p, "`system` and `code` must not be empty");
                continue;
            }
            if (!seen.insert(code_key(*sys, *code)).second) {
                error(p["code"], fmt::format("procedure code {} is listed twice", *code));
                continue;
            }
            Procedure proc;
            proc.code = Code{*sys, *code};
            if (p["display"])
                if (auto s = scalar(p["display"], "`display`")) proc.display = *s;
            if (p["classes"]) procedure_classes(p["classes"], fmt::format("procedure {}", *code), proc);
            b_.procedures.push_back(std::move(proc));
        }
    }

    // `classes:` of a procedure: a list (whatever the diagnosis), or a map from
    // diagnosis names (and `default`) to lists.
    void procedure_classes(const YAML::Node& n, const std::string& what, Procedure& proc) {
        if (n.IsSequence()) {
            proc.classes = class_list(n, what);
            return;
        }
        if (!n.IsMap()) {
            error(n, fmt::format("`classes` of {} must be a list of class names, or a map from diagnoses "
                                 "(and `default`) to such lists",
                                 what));
            return;
        }
        std::vector<std::string> names = {kDefaultDiagnosis};
        for (const auto& dx : b_.diagnoses) names.push_back(dx.name);
        std::set<std::string> seen;
        for (const auto& kv : n) {
            std::string dx = kv.first.IsScalar() ? kv.first.Scalar() : "";
            if (!seen.insert(dx).second) {
                error(kv.first, fmt::format("diagnosis `{}` appears twice in `classes` of {}", dx, what));
                continue;
            }
            if (std::find(names.begin(), names.end(), dx) == names.end()) {
                auto& d = error(kv.first, fmt::format("`classes` of {} names diagnosis `{}`, which `diagnoses:` "
                                                      "does not declare",
                                                      what, dx));
                d.suggestion = closest_name(dx, names);
                continue;
            }
            std::string whose = fmt::format("{} for {}", what, dx);
            if (!kv.second.IsSequence()) {
                error(kv.second.IsNull() ? kv.first : kv.second,
                      fmt::format("the classes of {} must be a list of class names", whose));
                continue;
            }
            auto list = class_list(kv.second, whose);
            if (dx == kDefaultDiagnosis) proc.classes = std::move(list);
            else proc.by_diagnosis[dx] = std::move(list);
        }
    }

    // A code may denote several concepts only when their sites tell them apart.
    void check_shared_codes() {
        std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> users;  // key -> (concept, code#)
        for (std::size_t i = 0; i < b_.concepts.size(); ++i)
            for (std::size_t j = 0; j < b_.concepts[i].codes.size(); ++j) {
                const auto& c = b_.concepts[i].codes[j];
                users[code_key(c.system, c.code)].emplace_back(i, j);
            }
        for (const auto& [key, list] : users) {
            for (std::size_t a = 0; a < list.size(); ++a)
                for (std::size_t b = 0; b < a; ++b) {
                    const auto& ca = b_.concepts[list[a].first];
                    const auto& cb = b_.concepts[list[b].first];
                    if (list[a].first == list[b].first) {
                        error(code_marks_[list[a].first][list[a].second], 1,
                              fmt::format("code {} is listed twice for concept `{}`", ca.codes[list[a].second].code, ca.name));
                    } else if (ca.site == cb.site) {
                        auto& d = error(code_marks_[list[a].first][list[a].second], 1,
                                        fmt::format("code {} is bound to both `{}` and `{}` with the same site ({})",
                                                    ca.codes[list[a].second].code, cb.name, ca.name, site_name(ca.site)));
                        d.notes.push_back("a shared code needs a distinct `site:` on each concept to tell them apart");
                    }
                }
        }
    }
};

}  // namespace

std::optional<Bindings> load_bindings(const std::string& path, Diagnostics& diags) {
    std::string err;
    SourcePtr file = read_source(path, err);
    if (!file) {
        diags.error(DiagCode::Io, Span{}, err);
        return std::nullopt;
    }
    keep_alive(file);
    return Loader(file, diags).run();
}

std::string default_bindings_path() {
    if (const char* env = std::getenv("CRIT_BINDINGS"); env && *env) return env;
    namespace fs = std::filesystem;
    std::error_code ec;
#ifdef CRIT_SOURCE_DIR
    std::string in_tree = CRIT_SOURCE_DIR "/bindings/default.yaml";
    if (fs::exists(in_tree, ec)) return in_tree;
#endif
    // An installed or relocated binary: bindings/ next to it, or in ../share/crit.
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (auto p : {exe.parent_path() / "bindings" / "default.yaml",
                       exe.parent_path().parent_path() / "share" / "crit" / "bindings" / "default.yaml"})
            if (fs::exists(p, ec)) return p.string();
    }
#ifdef CRIT_SOURCE_DIR
    return in_tree;
#else
    return "bindings/default.yaml";
#endif
}

}  // namespace crit
