#!/bin/sh
# An NDJSON export of more files than the process may open (ulimit -n 32): every record is
# read, none lost under a wrong reason (the loader keeps one file open at a time).
# Usage: many_files.sh CRIT RULES
set -eu
crit=$1 rules=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=0
: > "$dir/Patient.ndjson"
while [ $i -lt 200 ]; do
  echo "{\"resourceType\":\"Patient\",\"id\":\"p$i\"}" >> "$dir/Patient.ndjson"
  echo "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"777-3\"}]},\"subject\":{\"reference\":\"Patient/p$i\"},\"effectiveDateTime\":\"2024-01-05\",\"valueQuantity\":{\"value\":150,\"unit\":\"10*9/L\"}}" > "$dir/Observation-$i.ndjson"
  i=$((i + 1))
done
out=$( (ulimit -n 32 && "$crit" run --strict --rules "$rules" "$dir") 2>"$dir.err") || { cat "$dir.err" >&2; rm -f "$dir.err"; exit 1; }
rm -f "$dir.err"
n=$(printf '%s\n' "$out" | grep -c '"patient"')
[ "$n" -eq 200 ] || { echo "expected 200 patients, got $n" >&2; exit 1; }
