#!/bin/sh
# The hostile corpus (tests/hostile): every data file and rule file here must end in a
# stated outcome, never a crash, a hang or an internal error. Data: `crit run` exits 0 or 2;
# rules: `crit check` exits 0 or 1; both within 20 s, with no "internal error".
# Usage: run_hostile.sh CRIT RULES   (from the repository root)
set -u
crit=$1 rules=$2
status=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for f in tests/hostile/data/*; do
  timeout 20 "$crit" run --rules "$rules" "$f" > /dev/null 2> "$err"; rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 2 ] || grep -q "internal error" "$err"; then
    echo "FAIL: crit run $f: exit $rc"; head -3 "$err"; status=1
  fi
done
for f in tests/hostile/rules/*; do
  timeout 20 "$crit" check "$f" > /dev/null 2> "$err"; rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ] || grep -q "internal error" "$err"; then
    echo "FAIL: crit check $f: exit $rc"; head -3 "$err"; status=1
  fi
done
[ $status -eq 0 ] && echo "hostile corpus: every input ended in a stated outcome"
exit $status
