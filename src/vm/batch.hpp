// Evaluating many patients at once: a batch is dealt round-robin to one thread per
// EvalContext, all sharing the immutable Program, and what each patient gives comes
// back in batch order, so the output does not depend on the number of threads.
// `crit run` and the library's Pack::run both evaluate this way.
#pragma once
#include <cstddef>
#include <optional>
#include <thread>
#include <vector>

#include "core/dates.hpp"
#include "core/timeline.hpp"
#include "lang/bytecode.hpp"
#include "vm/vm.hpp"

namespace crit {

// out[i] = each(batch[i], its Evaluation), computed on contexts.size() threads (the calling
// thread is one of them). `each` runs on the worker threads and must only read shared state.
template <class T, class Each>
void evaluate_batch(const Program& p, const std::vector<Timeline>& batch, std::optional<Day> as_of,
                    std::vector<EvalContext>& contexts, std::vector<T>& out, Each&& each) {
    out.assign(batch.size(), T{});
    std::size_t n = batch.size(), threads = std::min<std::size_t>(contexts.size(), n);
    auto work = [&](std::size_t k) {
        for (std::size_t i = k; i < n; i += threads) out[i] = each(batch[i], evaluate(p, batch[i], as_of, contexts[k]));
    };
    std::vector<std::thread> pool;
    for (std::size_t k = 1; k < threads; ++k) pool.emplace_back(work, k);
    if (threads > 0) work(0);
    for (auto& th : pool) th.join();
}

}  // namespace crit
