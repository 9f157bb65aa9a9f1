#!/usr/bin/env bash
# A directory of N FHIR Bundle files for memory and throughput runs: the shipped
# CLL example Bundles copied round-robin, each patient id made unique (p-001 -> p-001-k).
#   tools/bench/bundle_dir.sh 4000 /tmp/bundles4000
set -euo pipefail
n=${1:?usage: bundle_dir.sh N OUTDIR}; out=${2:?usage: bundle_dir.sh N OUTDIR}
src="$(dirname "$0")/../../examples/fhir/cll"
mkdir -p "$out"
mapfile -t files < <(ls "$src"/*.json)
for ((k = 0; k < n; k++)); do
  f=${files[k % ${#files[@]}]}
  id=$(basename "$f" .json)
  sed "s/$id/$id-$k/g" "$f" > "$out/$id-$k.json"
done
