#!/bin/sh
# crit run -j 1 and -j 2 on a multi-file Bulk NDJSON export (and a directory of Bundles)
# write the same bytes: results, --rejects and the summary on stderr. The export mixes
# patients across files, and holds a bad line, a record of a patient it does not have and
# records crit rejects, so rejections are part of what must not move.
# Usage: jobs_identical.sh CRIT RULES PYTHON
set -eu
crit=$1 rules=$2 python=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$python" tools/bench/gen_ndjson.py 300 "$dir/export" 4 > /dev/null
obs="$dir/export/Observation.ndjson"
echo '{"resourceType":"Observation","subject":{"reference":"Patient/s-000007"}, bad}' >> "$obs"
echo '{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},"subject":{"reference":"Patient/nobody"},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":150,"unit":"10*9/L"}}' >> "$obs"
echo '{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},"subject":{"reference":"Patient/s-000011"},"effectiveDateTime":"2024-01-05","valueQuantity":{"value":150,"unit":"furlongs"}}' >> "$obs"
# More Bundles than one window of parallel loading (8 per thread): 40 renamed copies.
tools/bench/bundle_dir.sh 40 "$dir/bundles"
cp examples/fhir/cll/*.json "$dir/bundles/"
# Diagnostics and rejections between patients: a Bundle cut short, a patient twice, a unit crit does not know.
head -c 700 examples/fhir/cll/p-002.json > "$dir/bundles/p-002-cut.json"
cp examples/fhir/cll/p-001.json "$dir/bundles/p-001-again.json"
sed 's#"10\*9/L"#"furlongs"#' examples/fhir/cll/p-003.json | sed 's/p-003/p-003-u/g' > "$dir/bundles/p-003-units.json"
for j in 1 2; do
  for set in export bundles; do
    "$crit" run -j $j --rules "$rules" "$dir/$set" --rejects "$dir/$set.rej$j" > "$dir/$set.out$j" 2> "$dir/$set.err$j" || true
  done
done
for set in export bundles; do
  for f in out rej err; do
    cmp "$dir/$set.${f}1" "$dir/$set.${f}2" || { echo "$set: -j 1 and -j 2 differ in $f" >&2; exit 1; }
  done
done
n=$(grep -c '"patient"' "$dir/export.out1")
[ "$n" -ge 300 ] || { echo "expected 300 patients, got $n" >&2; exit 1; }
grep -q bad-json "$dir/export.rej1" && grep -q missing-patient "$dir/export.rej1" && grep -q unknown-unit "$dir/export.rej1" ||
  { echo "the export's rejections are missing" >&2; exit 1; }
grep -q duplicate-patient "$dir/bundles.rej1" && grep -q 'appears twice' "$dir/bundles.err1" && grep -q 'p-002-cut.json' "$dir/bundles.err1" ||
  { echo "the Bundles' diagnostics and rejections are missing" >&2; exit 1; }
n=$(grep -c '"patient"' "$dir/bundles.out1")
[ "$n" -ge 45 ] || { echo "expected at least 45 Bundle patients, got $n" >&2; exit 1; }
