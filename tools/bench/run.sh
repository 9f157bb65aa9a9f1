#!/bin/sh
# Runs the measurements of docs/performance.md and prints them (and the machine's
# load, which matters on a shared 2-core machine). Every measurement is taken 3
# times; the scripts and programs report the median.
#
#   tools/bench/run.sh              # everything but 100k end-to-end
#   BIG=1 tools/bench/run.sh        # also the 100k-patient NDJSON export (8 GB in $DATA)
#   PARTS="eval hand" tools/bench/run.sh   # a subset: eval hand e2e callgrind
#   PARTS=e2e E2E_SETS=/tmp/crit-bench/ndjson-100k tools/bench/run.sh   # end to end on given data
#
# Cohorts are generated into $DATA (default /tmp/crit-bench) once and reused.
set -eu
cd "$(dirname "$0")/../.."
B=${B:-build-perf}
DATA=${DATA:-/tmp/crit-bench}
PARTS=${PARTS:-"eval hand e2e callgrind"}
mkdir -p "$DATA"
[ -x "$B/handwritten_cr" ] || tools/bench/build.sh "$B"

rev=$(git rev-parse --short HEAD 2>/dev/null && { git diff --quiet -- src rules bindings || echo "(+ local changes)"; } || cat SNAPSHOT 2>/dev/null || echo "?")
echo "# $(date -u +%FT%TZ), source $(echo $rev), $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
load() { echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

gen() {  # gen FILE COMMAND...: generate once
    f=$1; shift
    [ -e "$f" ] || "$@" > "$f"
}
gen "$DATA/cll-10k.yaml" tools/bench/gen_cohort.py 10000
gen "$DATA/all-10k.yaml" tools/bench/gen_all_cohort.py 10000
gen "$DATA/edge-20k.yaml" tools/bench/gen_edge_cohort.py 20000
[ -d "$DATA/ndjson-10k" ] || tools/bench/gen_ndjson.py 10000 "$DATA/ndjson-10k"
if [ "${BIG:-0}" = 1 ] && [ ! -d "$DATA/ndjson-100k" ]; then tools/bench/gen_ndjson.py 100000 "$DATA/ndjson-100k"; fi

for part in $PARTS; do
case $part in
eval)
    echo "## evaluation only (crit_bench: 3 passes over the cohort per trial)"
    for pack in rules/cll/iwcll-2018.crit rules/cll/iwcll-2008.crit; do
        load; "$B/crit_bench" "$pack" "$DATA/ndjson-10k" 3 2
    done
    load; "$B/crit_bench" rules/all/all-response.crit "$DATA/all-10k.yaml" 3 2
    load; "$B/crit_bench" rules/all/all-response.crit "$DATA/ndjson-10k" 3 2
    ;;
hand)
    echo "## hand-written CR_clinical vs crit"
    load; "$B/handwritten_cr" tools/bench/cr_clinical.crit "$DATA/cll-10k.yaml" 5
    load; "$B/handwritten_cr" tools/bench/cr_clinical.crit "$DATA/edge-20k.yaml" 3
    ;;
e2e)
    echo "## end to end: crit run (JSON lines to /dev/null), /usr/bin/time -v"
    sets=${E2E_SETS:-"$DATA/ndjson-10k $DATA/cll-10k.yaml"}
    if [ "${BIG:-0}" = 1 ]; then sets="$sets $DATA/ndjson-100k"; fi
    for d in $sets; do
        for i in 1 2 3; do
            load
            /usr/bin/time -v "$B/crit" run --rules rules/cll/iwcll-2018.crit "$d" --stats > /dev/null 2> "$DATA/time.log" || true
            echo "$d run $i: $(grep -h '^crit: load' "$DATA/time.log"); wall $(grep -h 'Elapsed' "$DATA/time.log" | awk '{print $NF}'), user $(grep -h 'User time' "$DATA/time.log" | awk '{print $NF}') s, sys $(grep -h 'System time' "$DATA/time.log" | awk '{print $NF}') s, peak RSS $(grep -h 'Maximum resident' "$DATA/time.log" | awk '{print $NF}') KB"
        done
    done
    ;;
callgrind)
    echo "## instructions per patient (valgrind --tool=callgrind, counted inside the evaluation functions only)"
    [ -d "$DATA/ndjson-1k" ] || tools/bench/gen_ndjson.py 1000 "$DATA/ndjson-1k"
    for pack in rules/cll/iwcll-2018.crit rules/cll/iwcll-2008.crit tools/bench/cr_clinical.crit; do
        # crit_bench REPEATS=1 THREADS=1 evaluates the cohort 6 times (3 timed trials, then 3 "threaded" ones).
        valgrind --tool=callgrind --callgrind-out-file="$DATA/cg.out" "--toggle-collect=crit::evaluate(*" \
            "$B/crit_bench" "$pack" "$DATA/ndjson-1k" 1 1 > /dev/null 2> "$DATA/cg.log"
        echo "$pack: $(( $(grep -h 'Collected' "$DATA/cg.log" | awk '{print $NF}') / 6000 )) instructions per patient"
    done
    # handwritten_cr with REPEATS=1: 1 agreement pass + 3 timed trials, for crit and for the hand-written code.
    for fn in "crit::evaluate(*" "hand::cr_clinical(*"; do
        valgrind --tool=callgrind --callgrind-out-file="$DATA/cg.out" "--toggle-collect=$fn" \
            "$B/handwritten_cr" tools/bench/cr_clinical.crit "$DATA/ndjson-1k" 1 > /dev/null 2> "$DATA/cg.log"
        echo "CR_clinical via $fn: $(( $(grep -h 'Collected' "$DATA/cg.log" | awk '{print $NF}') / 4000 )) instructions per patient"
    done
    ;;
esac
done
