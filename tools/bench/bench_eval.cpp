// Evaluation benchmark: compile a rule pack once, load a cohort once, then time
// evaluate() alone, single-threaded and with N threads sharing the Program.
//   build/crit_bench rules/cll/iwcll-2018.crit /tmp/cohort.yaml [repeats]
#include <chrono>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "driver.hpp"
#include "load_data.hpp"
#include "vm.hpp"

using namespace crit;
using Clock = std::chrono::steady_clock;

static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: crit_bench RULES DATA [repeats]\n";
        return 2;
    }
    int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    Diagnostics d;
    auto t0 = Clock::now();
    auto c = compile_file(argv[1], d);
    auto t1 = Clock::now();
    if (!c.program) {
        std::cerr << render(d);
        return 1;
    }
    LoadResult data;
    load_patients({argv[2]}, *c.bindings, data, d);
    auto t2 = Clock::now();
    std::size_t n = data.patients.size(), records = 0;
    for (const auto& t : data.patients) records += t.observations.size() + t.treatments.size();
    std::cout << fmt::format("rules {}: compile {:.2f} ms, {} instructions\n", argv[1], 1e3 * seconds(t0, t1),
                             c.program->code.size());
    std::cout << fmt::format("data: {} patients, {} records, load {:.2f} s\n", n, records, seconds(t1, t2));

    std::size_t checksum = 0;
    auto run = [&](std::size_t from, std::size_t to) {
        EvalContext ctx;
        std::size_t local = 0;
        for (int r = 0; r < repeats; ++r)
            for (std::size_t i = from; i < to; ++i) local += evaluate(*c.program, data.patients[i], std::nullopt, ctx).results.size();
        return local;
    };
    auto t3 = Clock::now();
    checksum += run(0, n);
    auto t4 = Clock::now();
    double one = seconds(t3, t4);
    std::cout << fmt::format("1 thread: {:.0f} patients/s ({:.1f} us/patient)\n", repeats * n / one,
                             1e6 * one / (repeats * n));
    unsigned threads = std::max(2u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    std::vector<std::size_t> sums(threads);
    auto t5 = Clock::now();
    for (unsigned k = 0; k < threads; ++k)
        pool.emplace_back([&, k] { sums[k] = run(n * k / threads, n * (k + 1) / threads); });
    for (auto& th : pool) th.join();
    auto t6 = Clock::now();
    double many = seconds(t5, t6);
    std::cout << fmt::format("{} threads: {:.0f} patients/s\n", threads, repeats * n / many);
    for (auto s : sums) checksum += s;
    std::cout << fmt::format("(checksum {})\n", checksum);
    return 0;
}
