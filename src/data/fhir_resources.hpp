// FHIR resources -> timeline records: Patient, Condition, Observation,
// MedicationAdministration and Procedure, read from the JNode tree of
// fhir_json.hpp through the bindings. What is read of each, and every
// rejection reason: load_fhir.hpp. The Bundle and NDJSON loaders (load_fhir.cpp)
// find each resource's patient and hand the resource to a Reader.
#pragma once
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/bindings.hpp"
#include "data/fhir_json.hpp"
#include "data/records.hpp"
#include "core/timeline.hpp"

namespace crit::fhir {

// "Patient/p-1", ".../Patient/p-1/_history/2", "urn:uuid:x" -> the id ("x" for a uuid).
std::optional<std::string> patient_id_of_reference(std::string_view ref);
// Whether a reference is relative ("Patient/p-1"): only such a reference names a patient by
// id in this export. An absolute URL (another server) or a urn:uuid (a Bundle entry) does not.
bool is_relative_reference(std::string_view ref);

// The resource's subject (or patient) reference, or nullptr.
const std::string_view* reference_of(const JNode& r);

// Every coding of a CodeableConcept, as {system, code}.
std::vector<Code> codes_of(const JNode* cc);

// Medication resources by how they are referenced ("Medication/<id>", fullUrl) -> their codes.
using MedicationIndex = std::unordered_map<std::string, std::vector<Code>>;

// One patient being built.
struct PatientAcc {
    Timeline t;
    std::string disease;  // a name under the bindings' `diagnoses:`, from the first diagnosis Condition
    struct Pending {
        std::size_t treatment;
        std::size_t procedure;  // in Bindings::procedures
        std::string disease;    // from Procedure.reasonCode
    };
    std::vector<Pending> procedures;  // classes depend on the disease: set in finish()
};

// The names of a FHIR choice of date: <base>DateTime, <base>Instant or <base>Period.
struct DateKeys {
    std::string_view base, date_time, instant, period;
};

// Reads the resources of patients into PatientAccs; what it cannot use becomes
// a Rejection with its Place.
class Reader {
public:
    Reader(const Bindings& b, std::vector<Rejection>& rejects, const MedicationIndex& meds)
        : b_(b), rejects_(rejects), meds_(meds) {}

    // The top-level fields of a resource that crit reads (Json::resource keeps these).
    static bool reads_field(std::string_view key, std::string_view type);
    // Observation, Condition, MedicationAdministration or Procedure: the types record() reads.
    static bool is_record_type(std::string_view t);

    // Records a rejection of field `sub` (at node `n`) of the resource at `at`.
    void reject(const Place& at, const JNode* n, std::string_view sub, const std::string& patient, RejectReason reason,
                std::string detail);

    // Patient.birthDate; a bad one is rejected (the patient is kept).
    std::optional<Day> birth_date(const JNode& r, const Place& at, const std::string& patient);

    // A Condition, Observation, MedicationAdministration or Procedure of this patient.
    void record(const JNode& r, std::string_view type, const Place& at, PatientAcc& acc);

    // The finished timeline: procedures get the classes of their disease.
    Timeline finish(PatientAcc&& acc);

private:
    // A date or a period: <base>DateTime / <base>Instant (one day) or <base>Period.
    struct When {
        bool present = false;
        bool single = false;  // a dateTime: one day
        std::optional<Day> start, end;
        const JNode* start_node = nullptr;
        const JNode* end_node = nullptr;
        std::string_view field;  // the member read ("effectivePeriod")
        std::string end_path() const { return std::string(field) + ".end"; }
    };
    // A Quantity: as written, and in the concept's unit (canon).
    struct Qty {
        double canon = 0, value = 0;
        Comparator cmp = Comparator::Eq;
        bool has_cmp = false;
        std::string unit;
    };

    const Bindings& b_;
    std::vector<Rejection>& rejects_;
    const MedicationIndex& meds_;

    std::string disease_of(std::string_view system, std::string_view code) const;
    std::string diagnoses_read() const;
    std::optional<When> when(const JNode& r, const DateKeys& keys, const Place& at, const std::string& patient);
    bool status_ok(const JNode& r, const Place& at, const std::string& patient, std::string_view type,
                   std::initializer_list<std::string_view> counted);

    void condition(const JNode& r, const Place& at, PatientAcc& acc);
    void observation(const JNode& r, const Place& at, PatientAcc& acc);
    std::optional<facts::Fail> quantity(const JNode& q, const Concept& c, Qty& out, std::string& sub,
                                        const JNode*& where);
    bool value(const JNode& r, const Concept& c, Observation& o, const Place& at, const std::string& pid);
    bool detection_limit(const JNode& r, const Concept& c, Observation& o, const Place& at, const std::string& pid);
    bool course(const JNode& r, const DateKeys& keys, const JNode* status, const Place& at, const std::string& pid,
                Treatment& t);
    bool phase(const JNode& r, bool procedure, const Place& at, const std::string& pid, Treatment& t);
    void medication(const JNode& r, const Place& at, PatientAcc& acc);
    void procedure(const JNode& r, const Place& at, PatientAcc& acc);
};

}  // namespace crit::fhir
