#!/bin/sh
# Builds the benchmark programs into build-perf/ (or $1): crit and crit_bench with
# CMake (Release), and handwritten_cr with a plain g++ line against libcritlib.a,
# with the flags CMake's Release build uses (-O3 -DNDEBUG).
#   tools/bench/build.sh [build-dir]
set -eu
cd "$(dirname "$0")/../.."
B=${1:-build-perf}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$B" -j2 --target crit crit_bench
g++ -O3 -DNDEBUG -std=c++20 -Wall -Wextra -I src -I . -DCRIT_SOURCE_DIR="\"$PWD\"" \
    tools/bench/handwritten_cr.cpp -o "$B/handwritten_cr" \
    "$B/libcritlib.a" -lfmt -lyaml-cpp -lcrypto -lsimdjson -lpthread
echo "built $B/crit $B/crit_bench $B/handwritten_cr"
