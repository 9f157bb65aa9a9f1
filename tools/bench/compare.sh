#!/usr/bin/env bash
# crit side by side with the CQL engine (cql-execution + cql-exec-fhir) and with a
# bare simdjson pass, on the same synthetic Bulk NDJSON export of N CLL patients:
#
#   tools/bench/compare.sh N [VISITS]
#   tools/bench/compare.sh 500
#   B=build DATA=/tmp/x tools/bench/compare.sh 5000 16
#
# 1. generates the export once (gen_ndjson.py N DIR VISITS, into $DATA/ndjson-N-vVISITS).
#    VISITS follow-up visits (default 4: about 54 Observations per patient, the size
#    of the cohort of the first CQL measurement; gen_ndjson.py's own default is 16);
# 2. installs the CQL side from npm into tools/bench/cql/node_modules (package.json
#    there pins cql-execution, cql-exec-fhir and the CQL-to-ELM translator
#    @cqframework/cql), installing Debian's nodejs and npm first if missing;
# 3. translates tools/bench/cql/CqlEquivalent.cql to ELM JSON;
# 4. runs, one after the other, each on one core: crit (`run -j1`, the rule file
#    tools/bench/cql_equivalent.crit, CSV results), the CQL library (cql/run_cql.js)
#    and simdjson_pass, each under /usr/bin/time;
# 5. checks that both engines give every patient the same answers (agree.py) and
#    prints one table. Exit 1 when they disagree.
#
# $B is the build directory (default build-perf; crit and simdjson_pass are built
# there when missing). Outputs and timings stay in $DATA/compare-N.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:?usage: tools/bench/compare.sh N [VISITS]}
visits=${2:-4}
B=${B:-build-perf}
DATA=${DATA:-/tmp/crit-bench}
nd="$DATA/ndjson-$n-v$visits"
out="$DATA/compare-$n-v$visits"
cqldir=tools/bench/cql
mkdir -p "$DATA" "$out"

if [ ! -x "$B/crit" ] || [ ! -x "$B/simdjson_pass" ]; then
    cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$B" -j2 --target crit simdjson_pass
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "compare: installing nodejs and npm (Debian)" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi
if [ ! -d "$cqldir/node_modules/cql-execution" ] || [ "$cqldir/package.json" -nt "$cqldir/node_modules" ]; then
    echo "compare: npm install --prefix $cqldir" >&2
    npm install --prefix "$cqldir" --no-audit --no-fund --loglevel=error
    touch "$cqldir/node_modules"
fi
[ -d "$nd" ] || { echo "compare: generating $nd" >&2; tools/bench/gen_ndjson.py "$n" "$nd" "$visits"; }
elm="$out/CqlEquivalent.elm.json"
(cd "$cqldir" && node translate.mjs CqlEquivalent.cql "$elm")

rev=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git diff --quiet -- src rules bindings tools/bench 2>/dev/null || rev="$rev (+ local changes)"
load() { cut -d' ' -f1-3 /proc/loadavg; }
# timed NAME COMMAND...: runs it under /usr/bin/time, stdout to $out/NAME.out;
# leaves "wall user sys maxrss_kb load" in $out/NAME.time.
timed() {
    local name=$1; shift
    local before; before=$(load)
    echo "compare: $name: $*" >&2
    if ! /usr/bin/time -f '%e %U %S %M' -o "$out/$name.rusage" "$@" > "$out/$name.out" 2> "$out/$name.err"; then
        cat "$out/$name.err" >&2
        echo "compare: $name failed" >&2
        exit 2
    fi
    echo "$(cat "$out/$name.rusage") $before" > "$out/$name.time"
}

timed crit "$B/crit" run -j1 --rules tools/bench/cql_equivalent.crit --format csv "$nd"
timed cql node --max-old-space-size=8192 "$cqldir/run_cql.js" "$elm" "$nd"
timed simdjson "$B/simdjson_pass" "$nd"

set +e
tools/bench/agree.py "$out/crit.out" "$out/cql.out" "$nd" > "$out/agree.txt"
agreed=$?
set -e

bytes=$(cat "$nd"/*.ndjson | wc -c)
resources=$(sed -n 's/.* bytes, \([0-9]*\) resources.*/\1/p' "$out/simdjson.out")
observations=$(sed -n 's/.* resources, \([0-9]*\) Observations.*/\1/p' "$out/simdjson.out")
python3 - "$out" "$n" "$bytes" "$resources" "$observations" "$rev" "$visits" <<'EOF'
import sys
out, n, size, resources, observations, rev, visits = sys.argv[1:]
n, size = int(n), int(size)
t = {}
for name in ("crit", "cql", "simdjson"):
    wall, user, sys_, rss, *load = open(f"{out}/{name}.time").read().split()
    # /usr/bin/time has a resolution of 10 ms: a tiny input can take "0.00 s".
    t[name] = dict(wall=max(0.01, float(wall)), cpu=max(0.01, float(user) + float(sys_)), rss=int(rss) / 1024, load=" ".join(load))
agree = open(f"{out}/agree.txt").readline().strip()
print(f"# {n} patients ({visits} follow-up visits), {resources} resources ({observations} Observations), {size / 1e6:.0f} MB of NDJSON; source {rev}")
print(f"| program | wall s | CPU s | peak RSS MB | patients/s | MB/s | load before |")
print(f"|---|---:|---:|---:|---:|---:|---|")
label = {"crit": "crit run -j1 (cql_equivalent.crit)", "cql": "cql-execution + cql-exec-fhir (CqlEquivalent.cql)",
         "simdjson": "simdjson On-Demand pass (no evaluation)"}
for name in ("crit", "cql", "simdjson"):
    r = t[name]
    print(f"| {label[name]} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['rss']:.0f} | {n / r['wall']:,.0f} | "
          f"{size / 1e6 / r['wall']:,.0f} | {r['load']} |")
print(f"CQL / crit: {t['cql']['wall'] / t['crit']['wall']:.0f}x wall, {t['cql']['cpu'] / t['crit']['cpu']:.0f}x CPU; "
      f"crit / simdjson pass: {t['crit']['wall'] / t['simdjson']['wall']:.1f}x wall, "
      f"{t['crit']['cpu'] / t['simdjson']['cpu']:.1f}x CPU")
print(agree)
EOF
sed -n '2,$p' "$out/agree.txt" | head -50
grep -h '^cql:' "$out/cql.err" || true
exit $agreed
