#!/bin/sh
# Fault injection on the data path (issue 12): truncated files are stated rejections or
# errors, never silent; a killed run leaves nothing under the final output name.
# Usage: fault_injection.sh CRIT RULES   (run from the repository root)
set -eu
crit=$1 rules=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. An NDJSON export cut in the middle of a line: that record is bad-json, the rest is read.
mkdir "$dir/nd"
cp examples/ndjson/cll/Patient.ndjson "$dir/nd/"
obs=examples/ndjson/cll/Observation.ndjson
head -c $(( $(wc -c < "$obs") - 40 )) "$obs" > "$dir/nd/Observation.ndjson"
"$crit" run --rules "$rules" "$dir/nd" --rejects "$dir/nd.rejects" > "$dir/nd.out" 2> /dev/null || true
grep -q '"reason":"bad-json"' "$dir/nd.rejects" || fail "truncated NDJSON: no bad-json rejection"
grep -q 'the file ends inside this resource' "$dir/nd.rejects" || fail "truncated NDJSON: not said to be truncated"
[ "$(grep -c '"patient"' "$dir/nd.out")" -eq 7 ] || fail "truncated NDJSON: patients lost"
if "$crit" run --strict --rules "$rules" "$dir/nd" > /dev/null 2>&1; then fail "truncated NDJSON passes --strict"; fi

# 2. A Bundle cut short: an error (exit 2) naming the file, never a half-read patient.
head -c 2000 examples/fhir/cll/p-001.json > "$dir/cut.json"
set +e
"$crit" run --rules "$rules" "$dir/cut.json" > "$dir/cut.out" 2> "$dir/cut.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "truncated Bundle: exit $rc, not 2"
grep -q 'cut.json' "$dir/cut.err" || fail "truncated Bundle: the file is not named"
! grep -q '"patient":"p-001"' "$dir/cut.out" || fail "truncated Bundle: a half-read patient was evaluated"

# 3. A CSV cut inside a quoted field: that row is rejected.
printf 'patient_id,time,concept,value,unit\np1,2024-01-01,platelets,100,10*9/L\np1,2024-01-02,platelets,"12' > "$dir/cut.csv"
"$crit" run --rules "$rules" "$dir/cut.csv" --rejects "$dir/csv.rejects" > /dev/null 2>&1 || true
grep -q 'a quoted field is not closed' "$dir/csv.rejects" || fail "truncated CSV: row not rejected"

# 4. A killed run: the results file does not appear under its name.
python3 tools/bench/gen_cohort.py 3000 > "$dir/big.yaml"
"$crit" run --rules "$rules" "$dir/big.yaml" -o "$dir/results.jsonl" --rejects "$dir/big.rejects" 2> /dev/null &
pid=$!
sleep 0.5
kill -9 "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[ ! -e "$dir/results.jsonl" ] || fail "killed run: results.jsonl exists under its final name"
[ ! -e "$dir/big.rejects" ] || fail "killed run: the rejects file exists under its final name"
# ... and a run left to finish writes it whole.
"$crit" run --rules "$rules" "$dir/big.yaml" -o "$dir/results.jsonl" 2> /dev/null
tail -1 "$dir/results.jsonl" | grep -q '"complete":true' || fail "finished run: no closing summary line"
echo "fault injection: all passed"
