#!/bin/sh
# Builds the benchmark programs into build-perf/ (or $1) with CMake (Release:
# -O3 -DNDEBUG): crit, crit_bench and handwritten_cr (linked against the crit libraries),
# and simdjson_pass (simdjson alone).
#   tools/bench/build.sh [build-dir]
set -eu
cd "$(dirname "$0")/../.."
B=${1:-build-perf}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$B" -j2 --target crit crit_bench handwritten_cr simdjson_pass
echo "built $B/crit $B/crit_bench $B/handwritten_cr $B/simdjson_pass"
