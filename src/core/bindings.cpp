// Terminology bindings: loading and validating bindings/*.yaml, and the lookup
// indexes. The file format is documented at the top of bindings/default.yaml.
#include "core/bindings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
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
std::string prefix_key(std::string_view code) {
    std::string k;
    for (char ch : code)
        if (ch != '.') k += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return k;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

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
std::optional<ConceptId> Bindings::concept_by_code(std::string_view system, std::string_view code, Site site) const {
    auto ids = by_code_.find(system, code);
    if (ids.empty()) return std::nullopt;
    if (ids.size() == 1) return ids.front();
    if (site == Site::Any) site = unsited;
    for (ConceptId id : ids)
        if (concepts[id].site == site) return id;
    for (ConceptId id : ids)
        if (concepts[id].site == Site::Any) return id;
    return std::nullopt;
}

std::optional<ConceptId> Bindings::measure_with(ConceptId c, Dimension d) const {
    const Concept& k = concepts[c];
    if (k.kind != ValueKind::Quantity) return std::nullopt;
    if (k.unit.dim == d) return c;
    for (ConceptId m : k.measures)
        if (concepts[m].unit.dim == d) return m;
    return std::nullopt;
}

std::optional<ClassId> Bindings::class_by_name(const std::string& name) const {
    auto it = class_by_name_.find(name);
    if (it == class_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Bindings::drug_by_code(std::string_view system, std::string_view code) const {
    return drug_by_code_.first(system, code);
}

// Drug and regimen names are matched without regard to case ("FCR", "fcr"),
// since hand-written timelines and CSV exports spell them either way.
std::optional<std::size_t> Bindings::drug_by_name(const std::string& name) const {
    auto it = drug_by_name_.find(lower(name));
    if (it == drug_by_name_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Bindings::diagnosis_by_code(std::string_view system, std::string_view code) const {
    if (auto d = diagnosis_by_code_.first(system, code)) return d;
    if (diagnosis_prefixes_.empty()) return std::nullopt;
    std::string key = prefix_key(code);
    for (const auto& p : diagnosis_prefixes_)
        if (starts_with(system, p.system) && starts_with(key, p.key)) return p.diagnosis;
    return std::nullopt;
}

std::optional<std::size_t> Bindings::diagnosis_by_text(const std::string& text) const {
    std::string key = lower(std::string(trim_blanks(text)));
    for (std::size_t i = 0; i < diagnoses.size(); ++i)
        if (lower(diagnoses[i].name) == key) return i;
    for (const auto& d : diagnoses)
        for (const auto& c : d.codes)
            if (auto i = diagnosis_by_code(c.system, std::string(trim_blanks(text)))) return i;
    return std::nullopt;
}

std::optional<std::size_t> Bindings::procedure_by_code(std::string_view system, std::string_view code) const {
    return procedure_by_code_.first(system, code);
}

std::optional<std::size_t> Bindings::phase_by_name(std::string_view name) const {
    std::string key = lower(std::string(trim_blanks(name)));
    if (key.empty()) return std::nullopt;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        if (phases[i].name == key) return i;
        if (std::find(phases[i].text.begin(), phases[i].text.end(), key) != phases[i].text.end()) return i;
    }
    return std::nullopt;
}

std::optional<std::size_t> Bindings::phase_by_code(std::string_view system, std::string_view code) const {
    return phase_by_code_.first(system, code);
}

// Whole words: the phrase is neither preceded nor followed by a letter, a digit, `-` or `_`,
// so "induction" is found in "Induction chemotherapy" and "induction/consolidation", but not
// in "post-induction" or "reinduction".
namespace {
// Whether lower-case `phrase` stands in lower-case `text` as whole words: a hyphen joins
// words, so "post-induction" does not contain "induction".
bool has_words(std::string_view text, std::string_view phrase) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
    for (std::size_t at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
        std::size_t end = at + phrase.size();
        if ((at == 0 || !word(text[at - 1])) && (end == text.size() || !word(text[end]))) return true;
    }
    return false;
}
}  // namespace

void Bindings::phases_in_text(std::string_view text, std::vector<std::size_t>& out) const {
    if (text.empty() || phases.empty()) return;
    std::string l = lower(std::string(text));
    for (std::size_t i = 0; i < phases.size(); ++i) {
        if (std::find(out.begin(), out.end(), i) != out.end()) continue;
        for (const auto& phrase : phases[i].text)
            if (has_words(l, phrase)) {
                out.push_back(i);
                break;
            }
    }
}

void Bindings::drugs_in_text(std::string_view text, std::vector<std::size_t>& out) const {
    if (text.empty()) return;
    std::string l = lower(std::string(text));
    for (std::size_t i = 0; i < drugs.size(); ++i)
        if (!drugs[i].codes.empty() && std::find(out.begin(), out.end(), i) == out.end() &&
            has_words(l, lower(drugs[i].name)))
            out.push_back(i);
}

std::vector<std::string> Bindings::phase_names() const {
    std::vector<std::string> v;
    for (const auto& p : phases) v.push_back(p.name);
    return v;
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

std::vector<std::string> Bindings::drug_names() const {
    std::vector<std::string> v;
    for (const auto& d : drugs) v.push_back(d.name);
    return v;
}

std::vector<std::string> Bindings::diagnosis_names() const {
    std::vector<std::string> v;
    for (const auto& d : diagnoses) v.push_back(d.name);
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
    for (auto& c : concepts) c.measures.clear();
    for (std::size_t i = 0; i < concepts.size(); ++i)
        if (auto t = concepts[i].measure_of; t && *t < concepts.size() && *t != i)
            concepts[*t].measures.push_back(static_cast<ConceptId>(i));
    for (std::size_t i = 0; i < concepts.size(); ++i) {
        auto id = static_cast<ConceptId>(i);
        by_name_.emplace(concepts[i].name, id);
        for (const auto& c : concepts[i].codes) by_code_.add(c.system, c.code, id);
    }
    for (std::size_t i = 0; i < classes.size(); ++i) class_by_name_.emplace(classes[i].name, static_cast<ClassId>(i));
    for (std::size_t i = 0; i < drugs.size(); ++i) {
        drug_by_name_.emplace(lower(drugs[i].name), i);
        for (const auto& c : drugs[i].codes) drug_by_code_.add(c.system, c.code, i);
    }
    for (std::size_t i = 0; i < diagnoses.size(); ++i)
        for (const auto& c : diagnoses[i].codes) {
            if (c.prefix) diagnosis_prefixes_.push_back(PrefixCode{c.system, prefix_key(c.code), i});
            else diagnosis_by_code_.add(c.system, c.code, i);
        }
    // The most specific code wins (C91.1 before C91), then the order of the file.
    std::stable_sort(diagnosis_prefixes_.begin(), diagnosis_prefixes_.end(),
                     [](const PrefixCode& a, const PrefixCode& b) { return a.key.size() > b.key.size(); });
    for (std::size_t i = 0; i < procedures.size(); ++i)
        procedure_by_code_.add(procedures[i].code.system, procedures[i].code.code, i);
    phase_by_code_.clear();
    for (std::size_t i = 0; i < phases.size(); ++i)
        for (const auto& c : phases[i].codes) phase_by_code_.add(c.system, c.code, i);
}

std::optional<Site> site_of(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string l(s);
    for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "any") return Site::Any;
    if (l == "blood" || l == "peripheral-blood") return Site::Blood;
    if (l == "marrow" || l == "bone-marrow") return Site::Marrow;
    if (l == "csf") return Site::Csf;
    return std::nullopt;
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

// ---------------------------------------------------------------------------
// Loading

namespace {


bool is_identifier(const std::string& s) {
    if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

// A diagnosis name: a plain word ("CLL", "B-ALL"), as messages and procedure classes write it.
bool is_label(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

// The key of a procedure's `classes:` map for a diagnosis it does not list.
constexpr const char* kDefaultDiagnosis = "default";

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
                  "a bindings file is a map with `concepts:`, `classes:`, `drugs:`, `diagnoses:`, `procedures:` "
                  "and `phases:`");
            return std::nullopt;
        }
        b_.source_name = file_->name();
        // Classes before drugs and procedures, diagnoses before procedures, so
        // each is checked against what it names whatever the key order.
        const std::vector<std::string> sections = {"concepts", "classes", "drugs", "diagnoses", "procedures", "phases"};
        std::set<std::string> seen_sections;
        for (const auto& kv : root) {
            std::string key = kv.first.Scalar();
            if (!seen_sections.insert(key).second) error(kv.first, fmt::format("section `{}` appears twice", key));
            if (std::find(sections.begin(), sections.end(), key) != sections.end()) continue;
            if (key == "name" || key == "version" || key == "description") continue;  // metadata
            if (key == "unsited") {
                auto s = scalar(kv.second, "`unsited`");
                auto site = s ? site_of(*s) : std::nullopt;
                if (site) b_.unsited = *site;
                else if (s) error(kv.second, fmt::format("unknown site `{}` (blood, marrow, csf or any)", *s));
                continue;
            }
            auto& d = error(kv.first, fmt::format("unknown section `{}`", key));
            d.suggestion = closest_name(key, sections);
        }
        if (root["classes"]) load_classes(root["classes"]);
        if (root["concepts"]) load_concepts(root["concepts"]);
        else error(root.Mark(), 1, "the bindings define no `concepts:`");
        if (root["drugs"]) load_drugs(root["drugs"]);
        if (root["diagnoses"]) load_diagnoses(root["diagnoses"]);
        if (root["procedures"]) load_procedures(root["procedures"]);
        if (root["phases"]) load_phases(root["phases"]);
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
    // `measure_of:` as written, resolved when every concept is loaded.
    struct MeasureRef {
        std::size_t concept_index;
        std::string target;
        YAML::Node node;
    };
    std::vector<MeasureRef> measure_refs_;

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

    // `[lo, hi]` in the concept's unit, returned in canonical units; lo <= hi, both finite.
    std::optional<ValueRange> range(const YAML::Node& n, const char* field, const Unit& unit) {
        auto bad = [&] {
            error(n, fmt::format("`{}` is a range `[low, high]` in the concept's unit ({}), e.g. `[0, 100]`", field,
                                 unit.ucum.empty() ? "a plain number" : unit.ucum));
            return std::nullopt;
        };
        if (!n.IsSequence() || n.size() != 2 || !n[0].IsScalar() || !n[1].IsScalar()) return bad();
        double v[2];
        for (int i = 0; i < 2; ++i) {
            const std::string& t = n[i].Scalar();
            char* end = nullptr;
            v[i] = std::strtod(t.c_str(), &end);
            if (t.empty() || *end != '\0' || !std::isfinite(v[i])) return bad();
        }
        if (v[0] > v[1]) return bad();
        return ValueRange{to_canonical(v[0], unit), to_canonical(v[1], unit)};
    }

    // A `true` / `false` field; anything else is reported (and read as false).
    bool flag(const YAML::Node& n, const char* field) {
        auto s = scalar(n, fmt::format("`{}`", field).c_str());
        if (s && (*s == "true" || *s == "false")) return *s == "true";
        if (s) error(n, fmt::format("`{}` is true or false, not `{}`", field, *s));
        return false;
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
                    auto site = site_of(*s);
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
                check_fields(v, {"display", "episode_gap", "cuts_results"}, fmt::format("class `{}`", name).c_str());
                if (v["display"])
                    if (auto s = scalar(v["display"], "`display`")) dc.display = *s;
                if (v["episode_gap"])
                    if (auto s = scalar(v["episode_gap"], "`episode_gap`")) {
                        // 0d is allowed: then only courses that overlap form one episode.
                        if (auto d = parse_duration(*s)) dc.episode_gap = *d;
                        else
                            error(v["episode_gap"], fmt::format("`episode_gap` of class `{}` must be a duration such "
                                                                "as 14d, 8wk or 2mo, not `{}`",
                                                                name, *s));
                    }
                if (v["cuts_results"]) dc.cuts_results = flag(v["cuts_results"], "cuts_results");
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
            check_fields(v, {"display", "kind", "unit", "units", "values", "codes", "site", "valid_for", "persistent",
                          "recorded", "measure_of", "plausible", "physiological"},
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
                    site = site_of(*s);
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
            if (v["recorded"]) {
                auto s = scalar(v["recorded"], "`recorded`");
                if (s && (*s == "when-present" || *s == "always")) c.when_present = *s == "when-present";
                else if (s) {
                    auto& d = error(v["recorded"], fmt::format("`recorded: {}`: write `when-present` (the data carry this "
                                                               "finding only when it is found) or `always`", *s));
                    d.suggestion = closest_name(*s, {"when-present", "always"});
                }
                if (c.when_present && c.kind == ValueKind::Coded)
                    error(v["recorded"], fmt::format("{} is coded: absence cannot stand for one of its values, so it "
                                                     "cannot be `recorded: when-present`", what));
            }
            for (const char* field : {"plausible", "physiological"}) {
                if (!v[field]) continue;
                if (c.kind != ValueKind::Quantity) {
                    error(v[field], fmt::format("{} is {}: only quantities take `{}`", what, kind, field));
                    continue;
                }
                auto r = range(v[field], field, c.unit);
                if (!r) continue;
                (std::string_view(field) == "plausible" ? c.plausible : c.physiological) = r;
            }
            if (c.plausible && c.physiological &&
                (c.plausible->lo < c.physiological->lo || c.plausible->hi > c.physiological->hi))
                error(v["plausible"], fmt::format("{}: `plausible` must lie inside `physiological` (a threshold no "
                                                  "patient's value can reach is no threshold)", what));
            if (b_.concepts.size() >= 0xFFFF) {
                error(key, "too many concepts");
                return;
            }
            if (v["measure_of"])
                if (auto s = scalar(v["measure_of"], "`measure_of`"))
                    measure_refs_.push_back({b_.concepts.size(), *s, v["measure_of"]});
            b_.concepts.push_back(std::move(c));
            code_marks_.push_back(std::move(marks));
        });
        resolve_measures();
    }

    // `measure_of:` links, once every concept is known: the target is a quantity that is not
    // itself a measure, and each of its measures (itself included) has its own dimension, so
    // that the unit a rule writes picks exactly one.
    void resolve_measures() {
        for (const auto& ref : measure_refs_) {
            Concept& m = b_.concepts[ref.concept_index];
            std::string what = fmt::format("concept `{}`", m.name);
            auto it = std::find_if(b_.concepts.begin(), b_.concepts.end(),
                                   [&](const Concept& k) { return k.name == ref.target; });
            if (it == b_.concepts.end()) {
                auto& d = error(ref.node, fmt::format("{} is `measure_of: {}`, which `concepts:` does not declare", what,
                                                      ref.target));
                d.suggestion = closest_name(ref.target, b_.concept_names());
                continue;
            }
            const Concept& t = *it;
            if (&t == &m) {
                error(ref.node, fmt::format("{} cannot be a measure of itself", what));
                continue;
            }
            if (m.kind != ValueKind::Quantity || t.kind != ValueKind::Quantity) {
                error(ref.node, fmt::format("`measure_of` links quantity concepts, but `{}` is {}",
                                            m.kind != ValueKind::Quantity ? m.name : t.name,
                                            (m.kind != ValueKind::Quantity ? m.kind : t.kind) == ValueKind::Boolean
                                                ? "boolean"
                                                : "coded"));
                continue;
            }
            if (std::any_of(measure_refs_.begin(), measure_refs_.end(),
                            [&](const MeasureRef& r) { return b_.concepts[r.concept_index].name == t.name; })) {
                auto& d = error(ref.node, fmt::format("{} is `measure_of: {}`, but `{}` is itself a measure of another "
                                                      "concept",
                                                      what, t.name, t.name));
                d.notes.push_back("name the concept every measure belongs to: measures do not chain");
                continue;
            }
            if (m.unit.dim == Dimension::None || t.unit.dim == Dimension::None) {
                auto& d = error(ref.node, fmt::format("{} is `measure_of: {}`, but `{}` has `unit: none`", what, t.name,
                                                      m.unit.dim == Dimension::None ? m.name : t.name));
                d.notes.push_back("the unit a rule writes picks the measure, so every measure needs a unit");
                continue;
            }
            auto id = static_cast<ConceptId>(it - b_.concepts.begin());
            // The same dimension as the target, or as a measure of it linked before.
            const Concept* clash = t.unit.dim == m.unit.dim ? &t : nullptr;
            for (std::size_t i = 0; !clash && i < b_.concepts.size(); ++i)
                if (i != ref.concept_index && b_.concepts[i].measure_of == id && b_.concepts[i].unit.dim == m.unit.dim)
                    clash = &b_.concepts[i];
            if (clash) {
                auto& d = error(ref.node, fmt::format("{} is `measure_of: {}`, but {}`{}` is {} too (in {})", what,
                                                      t.name, clash == &t ? "" : "its measure ", clash->name,
                                                      dimension_name(m.unit.dim), clash->unit.ucum));
                d.notes.push_back(fmt::format("the unit a rule writes picks the measure of `{}`, so each must have its "
                                              "own dimension",
                                              t.name));
                continue;
            }
            m.measure_of = id;
        }
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

    // `phases:` name -> {classes, text, codes, cuts_results}. A phase's words and codes must
    // name it alone: free text naming two phases would be ambiguous.
    void load_phases(const YAML::Node& section) {
        std::map<std::string, std::string> text_owner, code_owner;
        each_entry(section, "phases", [&](const YAML::Node& key, const YAML::Node& v) {
            Phase ph;
            ph.name = key.Scalar();
            std::string what = fmt::format("phase `{}`", ph.name);
            if (!is_identifier(ph.name))
                error(key, fmt::format("phase name `{}` must be lower_snake_case, as data write it (`phase: "
                                       "induction`)",
                                       ph.name));
            if (!v.IsMap()) {
                error(v.IsNull() ? key : v, fmt::format("{} must be a map with `classes`, `text` and `codes`", what));
                return;
            }
            check_fields(v, {"classes", "text", "codes", "cuts_results"}, what.c_str());
            if (v["classes"]) {
                if (!v["classes"].IsSequence())
                    error(v["classes"], fmt::format("`classes` of {} must be a list of class names", what));
                else
                    ph.classes = class_list(v["classes"], what);
            }
            auto claim = [&](std::map<std::string, std::string>& owner, const std::string& k, const YAML::Node& at,
                             const std::string& shown) {
                auto [it, fresh] = owner.emplace(k, ph.name);
                if (!fresh)
                    error(at, fmt::format("{} already names phase `{}`", shown, it->second));
                return fresh;
            };
            claim(text_owner, ph.name, key, fmt::format("`{}`", ph.name));
            if (v["text"]) {
                if (!v["text"].IsSequence()) {
                    error(v["text"], fmt::format("`text` of {} must be a list of words or phrases", what));
                } else {
                    for (const auto& x : v["text"]) {
                        auto s = scalar(x, "a phrase");
                        if (!s) continue;
                        std::string phrase = lower(std::string(trim_blanks(*s)));
                        if (phrase.empty()) {
                            error(x, fmt::format("a phrase of {} must not be empty", what));
                            continue;
                        }
                        // The phase's own name is one of its words anyway.
                        if (phrase == ph.name) continue;
                        if (claim(text_owner, phrase, x, fmt::format("text `{}`", *s))) ph.text.push_back(phrase);
                    }
                }
            }
            ph.text.insert(ph.text.begin(), ph.name);
            if (v["codes"]) {
                std::vector<YAML::Mark> marks;
                auto codes = load_codes(v["codes"], what.c_str(), nullptr, &marks);
                for (std::size_t i = 0; i < codes.size(); ++i) {
                    auto [it, fresh] = code_owner.emplace(code_key(codes[i].system, codes[i].code), ph.name);
                    if (!fresh) {
                        error(marks[i], 1, fmt::format("code {} already names phase `{}`", codes[i].code, it->second));
                        continue;
                    }
                    ph.codes.push_back(std::move(codes[i]));
                }
            }
            if (v["cuts_results"]) ph.cuts_results = flag(v["cuts_results"], "cuts_results");
            b_.phases.push_back(std::move(ph));
        });
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
    SourcePtr file = read_source(path, diags);
    if (!file) return std::nullopt;
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
