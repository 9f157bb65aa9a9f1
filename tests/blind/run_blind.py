#!/usr/bin/env python3
"""Runs a rule pack over one folder of the blind corpus and compares its results
with expected.yaml, key by key. Only the keys a case lists are compared; `null`
means the result must be absent. Prints each mismatch with the case's reasoning,
then 'N passed, M failed'; exits 1 on any mismatch.

An `adjudicated.yaml` beside the expected file (a list of {patient, key, reason})
names expectations the project judged to be a reading the criteria leave open,
not a fact they settle; those keys are not compared, and each is printed with
its reason, so the blind author's file itself stays as written."""
import json
import os
import subprocess
import sys

import yaml


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: run_blind.py CRIT RULES CASE_DIR EXPECTED_YAML")
    crit, rules, case_dir, expected = sys.argv[1:]
    with open(expected, encoding="utf-8") as f:
        cases = yaml.safe_load(f)
    adjudicated = {}
    adj_path = os.path.join(os.path.dirname(expected), "adjudicated.yaml")
    if os.path.exists(adj_path):
        with open(adj_path, encoding="utf-8") as f:
            for row in yaml.safe_load(f) or []:
                adjudicated[(row["patient"], row["key"])] = row["reason"]
    run = subprocess.run([crit, "run", "--rules", rules, case_dir, "--format", "json"],
                         capture_output=True, text=True)
    if run.returncode not in (0,):
        print(run.stderr, file=sys.stderr)
        sys.exit(f"crit run exited {run.returncode}")
    got = {}
    for line in run.stdout.splitlines():
        row = json.loads(line)
        if "summary" in row:  # the closing line of a complete run
            continue
        got[row["patient"]] = row["results"]
    passed = failed = 0
    for case in cases:
        pid = case["patient"]
        results = got.get(pid)
        bad = []
        if results is None:
            bad.append("no result line for this patient")
        else:
            for key, want in case["expect"].items():
                if (pid, key) in adjudicated:
                    print(f"ADJUDICATED {pid} {key}: {adjudicated[(pid, key)]}")
                    continue
                if isinstance(want, bool):
                    have = results.get(key)
                else:
                    want = None if want is None else str(want)
                    have = results.get(key)
                if have != want:
                    bad.append(f"{key}: expected {json.dumps(want)}, got {json.dumps(have)}")
        if bad:
            failed += 1
            print(f"FAIL {pid}")
            for b in bad:
                print(f"     {b}")
            print(f"     why: {case.get('why', '')}")
            if case.get("ambiguity"):
                print(f"     ambiguity: {case['ambiguity']}")
        else:
            passed += 1
    print(f"blind: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
