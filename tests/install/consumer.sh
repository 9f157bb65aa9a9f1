#!/bin/sh
# The installed tree works for a consumer (docs/library.md): `cmake --install` into a
# scratch prefix, build examples/library against it with find_package(crit), and its
# output for the shipped examples equals `crit run`'s, line for line.
#   consumer.sh BUILD_DIR CMAKE
set -eu
build=$1 cmake=$2 root=$(pwd)
scratch=$build/install-test
rm -rf "$scratch"
"$cmake" --install "$build" --prefix "$scratch/prefix" > /dev/null
test -x "$scratch/prefix/bin/crit"
test -f "$scratch/prefix/include/crit/crit.hpp"
test -f "$scratch/prefix/share/crit/rules/cll/iwcll-2018.crit"
"$cmake" -S examples/library -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release > /dev/null
"$cmake" --build "$scratch/consumer" > /dev/null
for data in examples/cll examples/ndjson/cll examples/fhir/cll; do
  "$build/crit" run --rules rules/cll/iwcll-2018.crit $data > "$scratch/expected.jsonl" 2>/dev/null
  "$scratch/consumer/consumer" rules/cll/iwcll-2018.crit $data > "$scratch/got.jsonl"
  cmp "$scratch/expected.jsonl" "$scratch/got.jsonl"
done
# The installed binary runs too, and explain works through the library.
"$scratch/prefix/bin/crit" run --rules "$scratch/prefix/share/crit/rules/cll/iwcll-2018.crit" examples/cll > "$scratch/installed.jsonl" 2>/dev/null
"$scratch/consumer/consumer" rules/cll/iwcll-2018.crit examples/cll --explain p-002 | grep -q '^best_response = PR$'
# The installed Python module, when built, imports and runs from the install tree alone.
py=$scratch/prefix/lib/python3/dist-packages
if [ -d "$py/crit" ]; then
  (cd "$scratch" && PYTHONPATH="$py" /usr/bin/python3 -c "
import crit, sys
assert crit.__file__.startswith('$py'), crit.__file__
df = crit.compile('$root/rules/cll/iwcll-2018.crit').run('$root/examples/cll')
assert len(df) == 7 and df.loc[df.patient == 'p-002', 'best_response'].item() == 'PR', df")
fi
echo "consumer: installed tree builds and agrees with crit run"
