#include "out/fhir_results.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "out/explain.hpp"
#include "core/dates.hpp"
#include "core/sha256.hpp"

namespace crit {

namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kLoinc = "http://loinc.org";
constexpr std::string_view kDataAbsent = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

// A response label that names a disease status mCODE codes (CancerDiseaseStatus value[x]:
// ConditionStatusTrendVS, preferred, within ConditionStatusTrendMaxVS, mCODE STU4). Only
// labels whose meaning is the code's: CRi (complete remission with incomplete count
// recovery) and relapsed / refractory have no code of the same meaning and keep crit's.
struct StatusCode {
    std::string_view label, code, display;
};
constexpr StatusCode kStatusCodes[] = {
    {"CR", "103338009", "In full remission (qualifier value)"},
    {"PR", "103337004", "In partial remission (qualifier value)"},
    // iwCLL 2018: partial response with lymphocytosis is a partial response.
    {"PR-L", "103337004", "In partial remission (qualifier value)"},
    {"SD", "359746009", "Patient's condition stable (finding)"},
    {"PD", "271299001", "Patient's condition worsened (finding)"},
    {"NE", "709137006", "Patient condition undetermined (finding)"},
};

const StatusCode* status_code(std::string_view label) {
    for (const auto& s : kStatusCodes)
        if (s.label == label) return &s;
    return nullptr;
}

// A category result reports a disease status when it can say a response (CR, PR, SD or
// PD); `NE` alone, MRD status or a relapse site do not.
bool is_disease_status(const ResultInfo& r) {
    if (r.kind == ResultKind::Value) return false;
    auto response = [](std::string_view l) { return l == "CR" || l == "PR" || l == "SD" || l == "PD"; };
    for (const auto& c : r.choices)
        if (response(c.label)) return true;
    return r.else_label && response(*r.else_label);
}

ojson coding(std::string_view system, std::string_view code, std::string_view display) {
    return ojson{{"system", system}, {"code", code}, {"display", display}};
}

ojson data_absent(std::string_view code, std::string_view display, const std::string& text) {
    return ojson{{"coding", ojson::array({coding(kDataAbsent, code, display)})}, {"text", text}};
}

// The summary's lines without their common two-space indent and last newline.
std::string note_text(const std::string& summary) {
    std::string out;
    std::size_t at = 0;
    while (at < summary.size()) {
        std::size_t end = summary.find('\n', at);
        if (end == std::string::npos) end = summary.size();
        std::string_view line(summary.data() + at, end - at);
        if (line.substr(0, 2) == "  ") line.remove_prefix(2);
        if (!out.empty()) out += '\n';
        out += line;
        at = end + 1;
    }
    return out;
}

}  // namespace

bool is_fhir_id(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

std::string fhir_reference(const Origin& o, std::string_view type) {
    std::string_view path = o.path;
    if (path.size() <= type.size() + 1 || path.substr(0, type.size()) != type || path[type.size()] != '/') return "";
    return is_fhir_id(path.substr(type.size() + 1)) ? o.path : "";
}

std::string fhir_issued_instant(std::string& error) {
    std::time_t when = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
        char* end = nullptr;
        errno = 0;
        long long v = std::strtoll(epoch, &end, 10);
        // Up to 9999-12-31T23:59:59Z: an instant has a four-digit year.
        if (!*epoch || *end || errno || v < 0 || v > 253402300799LL) {
            error = fmt::format("SOURCE_DATE_EPOCH `{}` is not a number of seconds since 1970 (up to year 9999)", epoch);
            return "";
        }
        when = static_cast<std::time_t>(v);
    }
    std::tm tm{};
    gmtime_r(&when, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

FhirResultsWriter::FhirResultsWriter(const Program& p, std::string issued) : p_(p), issued_(std::move(issued)) {
    for (const auto& r : p.results) disease_status_.push_back(is_disease_status(r));
}

std::string FhirResultsWriter::ndjson(const Timeline& t, const Evaluation& ev) const {
    const std::vector<ResultGrounds> grounds = result_grounds(p_, t, ev);
    const std::string as_of = ev.dated ? format_day(ev.domain.hi) : "";
    // A patient id that is not a FHIR id cannot be a reference: the subject is then named
    // by identifier, so no result is lost and no malformed reference is written.
    ojson subject = is_fhir_id(ev.patient_id) ? ojson{{"reference", "Patient/" + ev.patient_id}}
                                              : ojson{{"identifier", {{"value", ev.patient_id}}}};
    const std::string ruleset = fmt::format("{}{}", p_.name, p_.version.empty() ? "" : " version " + p_.version);
    const ojson method{
        {"coding", ojson::array({coding(kCritRulesetSystem, p_.sha256, ruleset)})},
        {"text", fmt::format("crit rules {}, sha256 {}", ruleset, p_.sha256)}};
    std::string out;
    for (std::size_t i = 0; i < p_.results.size(); ++i) {
        const ResultInfo& r = p_.results[i];
        const ResultValue& v = ev.results[i];
        ojson o;
        o["resourceType"] = "Observation";
        // Deterministic: the same patient, rules, result and as-of date give the same id, so
        // loading a re-run again replaces instead of duplicating.
        std::string key = ev.patient_id;
        for (const std::string* part : {&p_.sha256, &r.name, &as_of}) (key += '\0') += *part;
        o["id"] = "crit-" + sha256_hex(key).substr(0, 40);
        o["status"] = "final";
        o["category"] = ojson::array({{{"coding", ojson::array({coding(kCritCategorySystem, "criteria-evaluation",
                                                                       "Evaluation of response criteria")})}}});
        ojson codes = ojson::array();
        if (disease_status_[i]) codes.push_back(coding(kLoinc, "97509-4", "Cancer disease progression"));
        codes.push_back(coding(kCritResultSystem, r.name, r.name));
        o["code"] = {{"coding", codes}, {"text", fmt::format("{}: {}", p_.name, r.name)}};
        o["subject"] = subject;
        if (ev.dated) o["effectiveDateTime"] = as_of;
        o["issued"] = issued_;
        switch (v.kind) {
            case ResultValue::Kind::Label: {
                ojson value = ojson::array();
                if (disease_status_[i])
                    if (const StatusCode* s = status_code(v.label)) value.push_back(coding(kSnomed, s->code, s->display));
                value.push_back(coding(kCritLabelSystem, v.label, v.label));
                o["valueCodeableConcept"] = {{"coding", value}, {"text", v.label}};
                break;
            }
            case ResultValue::Kind::Boolean: o["valueBoolean"] = v.truth; break;
            case ResultValue::Kind::Date: o["valueDateTime"] = format_day(v.day); break;
            case ResultValue::Kind::Absent: {
                // Why there is no value, as semantics.md states it per kind of result.
                const Item* item = r.value_item >= 0 ? &p_.items[static_cast<std::size_t>(r.value_item)] : nullptr;
                if (r.kind != ResultKind::Value)
                    o["dataAbsentReason"] = data_absent("not-applicable", "Not Applicable", "no choice held");
                else if (item && item->type == Type::Date && ev.slots[static_cast<std::size_t>(r.value_item)].d.state ==
                                                                  DateVal::State::Never)
                    o["dataAbsentReason"] = data_absent("not-applicable", "Not Applicable", "never");
                else
                    o["dataAbsentReason"] = data_absent("unknown", "Unknown", "unknown from the data");
                break;
            }
        }
        o["method"] = method;
        o["note"] = ojson::array({{{"text", note_text(grounds[i].summary)}}});
        // Records of one resource (an Observation's components) are one reference.
        std::vector<std::string> refs;
        for (std::uint32_t k : grounds[i].records) {
            std::string ref = fhir_reference(t.origins[t.observations[k].origin]);
            if (!ref.empty() && std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(std::move(ref));
        }
        ojson derived = ojson::array();
        for (const auto& ref : refs) derived.push_back({{"reference", ref}});
        if (!derived.empty()) o["derivedFrom"] = derived;
        // Text from data that is not UTF-8 (a patient id) is written with U+FFFD, never dropped.
        out += o.dump(-1, ' ', false, ojson::error_handler_t::replace);
        out += '\n';
    }
    return out;
}

}  // namespace crit
