// Evaluation benchmark: compile a rule pack once, load a cohort once, then time
// evaluate() alone, single-threaded and with N threads sharing the Program (one
// EvalContext each). Each measurement is taken 3 times; the median is reported,
// with the wall time and, for one thread, the thread's CPU time (less sensitive
// to other processes on a busy machine).
//   build/crit_bench rules/cll/iwcll-2018.crit /tmp/cohort.yaml [repeats] [threads]
// repeats: passes over the cohort per measurement (default 5); threads: default 2.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "lang/driver.hpp"
#include "data/load_data.hpp"
#include "vm/vm.hpp"

using namespace crit;
using Clock = std::chrono::steady_clock;

static double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

static double thread_cpu() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: crit_bench RULES DATA [repeats] [threads]\n";
        return 2;
    }
    int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    unsigned threads = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2u;
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
    std::cout << fmt::format("rules {}: compile {:.2f} ms, {} instructions, {} items\n", argv[1], 1e3 * seconds(t0, t1),
                             c.program->code.size(), c.program->items.size());
    std::cout << fmt::format("data: {} patients, {} records, load {:.2f} s\n", n, records, seconds(t1, t2));
    if (n == 0) return 1;

    std::size_t checksum = 0;
    auto run = [&](std::size_t from, std::size_t to) {
        EvalContext ctx;
        std::size_t local = 0;
        for (int r = 0; r < repeats; ++r)
            for (std::size_t i = from; i < to; ++i) local += evaluate(*c.program, data.patients[i], std::nullopt, ctx).results.size();
        return local;
    };
    double work = static_cast<double>(repeats) * static_cast<double>(n);

    std::vector<double> wall1, cpu1, walln;
    for (int trial = 0; trial < 3; ++trial) {
        double c0 = thread_cpu();
        auto a = Clock::now();
        checksum += run(0, n);
        auto b = Clock::now();
        cpu1.push_back(thread_cpu() - c0);
        wall1.push_back(seconds(a, b));
    }
    double w1 = median(wall1), c1 = median(cpu1);
    std::cout << fmt::format("1 thread: {:.0f} patients/s ({:.2f} us/patient wall, {:.2f} us/patient CPU; trials {:.3f} {:.3f} {:.3f} s)\n",
                             work / w1, 1e6 * w1 / work, 1e6 * c1 / work, wall1[0], wall1[1], wall1[2]);

    for (int trial = 0; trial < 3; ++trial) {
        std::vector<std::thread> pool;
        std::vector<std::size_t> sums(threads);
        auto a = Clock::now();
        for (unsigned k = 0; k < threads; ++k)
            pool.emplace_back([&, k] { sums[k] = run(n * k / threads, n * (k + 1) / threads); });
        for (auto& th : pool) th.join();
        walln.push_back(seconds(a, Clock::now()));
        for (auto s : sums) checksum += s;
    }
    double wn = median(walln);
    std::cout << fmt::format("{} threads: {:.0f} patients/s ({:.2f} us/patient wall; speed-up {:.2f}x; trials {:.3f} {:.3f} {:.3f} s)\n",
                             threads, work / wn, 1e6 * wn / work, w1 / wn, walln[0], walln[1], walln[2]);
    std::cout << fmt::format("(checksum {})\n", checksum);
    return 0;
}
