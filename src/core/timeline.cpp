#include "core/timeline.hpp"

#include <algorithm>

namespace crit {

void Timeline::finalize(std::size_t concept_count) {
    std::stable_sort(observations.begin(), observations.end(), [](const Observation& a, const Observation& b) {
        return a.concept_id != b.concept_id ? a.concept_id < b.concept_id : a.day < b.day;
    });
    std::stable_sort(treatments.begin(), treatments.end(),
                     [](const Treatment& a, const Treatment& b) { return a.start < b.start; });
    concept_start_.assign(concept_count + 1, 0);
    for (const auto& o : observations)
        if (o.concept_id < concept_count) ++concept_start_[o.concept_id + 1];
    for (std::size_t i = 1; i <= concept_count; ++i) concept_start_[i] += concept_start_[i - 1];
}

std::pair<const Observation*, const Observation*> Timeline::series(ConceptId c) const {
    if (c + 1u >= concept_start_.size()) return {nullptr, nullptr};
    const Observation* base = observations.data();
    return {base + concept_start_[c], base + concept_start_[c + 1]};
}

std::optional<Day> Timeline::last_day() const {
    std::optional<Day> last;
    auto see = [&](Day d) { last = last ? std::max(*last, d) : d; };
    for (const auto& o : observations) see(o.day);
    for (const auto& t : treatments) {
        see(t.start);
        if (t.end) see(*t.end);
    }
    if (diagnosis_date) see(*diagnosis_date);
    return last;
}

std::optional<Day> Timeline::first_day() const {
    std::optional<Day> first;
    auto see = [&](Day d) { first = first ? std::min(*first, d) : d; };
    for (const auto& o : observations) see(o.day);
    for (const auto& t : treatments) see(t.start);
    if (diagnosis_date) see(*diagnosis_date);
    return first;
}

}  // namespace crit
