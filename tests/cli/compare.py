#!/usr/bin/env python3
"""crit compare at cohort scale (issue 7, item 4), checked against what `crit run` says for
each pack on its own: the matrix per result, date results as same / earlier / later / only
in A / only in B, transitions with their counts and --limit, JSON and CSV, results in one
pack only listed, packs of the same name told apart by file, packs on different bindings
refused. Run from the project root: compare.py CRIT"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

crit = sys.argv[1]
A, B, DATA = "rules/cll/iwcll-2008.crit", "rules/cll/iwcll-2018.crit", "examples/cll"


def out(*args, rc=0):
    p = subprocess.run([crit, *args], capture_output=True, text=True)
    assert p.returncode == rc, (args, p.returncode, p.stderr)
    return p.stdout, p.stderr


def run(pack):
    lines = [json.loads(l) for l in out("run", "--rules", pack, DATA)[0].splitlines()]
    return {j["patient"]: j["results"] for j in lines if "patient" in j}


ra, rb = run(A), run(B)
assert ra.keys() == rb.keys()
shown = lambda v: "-" if v is None else ("true" if v is True else "false" if v is False else v)


def change(a, b):
    if a is None and b is None:
        return "neither"
    if b is None:
        return "only in A"
    if a is None:
        return "only in B"
    return "same" if a == b else ("earlier in B" if b < a else "later in B")


dates = {"progression_date"}
j = json.loads(out("compare", "--rules", A, "--rules", B, DATA, "--format", "json", "--limit", "0")[0])
assert j["patients"] == len(ra)
assert j["a"]["file"] == A and j["b"]["file"] == B and len(j["a"]["sha256"]) == 64
differing = set()
for r in j["results"]:
    name = r["name"]
    assert r["in"] == "both", r
    if name in dates:
        assert r["kind"] == "date"
        want = Counter(change(ra[p][name], rb[p][name]) for p in ra)
        assert {c["change"]: c["n"] for c in r["matrix"]} == dict(want), (name, r["matrix"], want)
        for t in r["transitions"]:
            assert t["change"] not in ("same", "neither")
            ids = [x["patient"] for x in t["patients"]]
            assert sorted(ids) == sorted(p for p in ra if change(ra[p][name], rb[p][name]) == t["change"])
            differing.update(ids)
    else:
        want = Counter((shown(ra[p][name]), shown(rb[p][name])) for p in ra)
        assert {(c["a"], c["b"]): c["n"] for c in r["matrix"]} == dict(want), (name, r["matrix"], want)
        for t in r["transitions"]:
            assert t["a"] != t["b"]
            ids = [x["patient"] for x in t["patients"]]
            assert t["n"] == len(ids) == want[(t["a"], t["b"])]
            differing.update(ids)
assert j["differing"] == len(differing) > 0

# The iwCLL 2018 exception for lymphocytosis on BTK inhibitors: 2008 says PD, 2018 PR-L.
bt = [t for r in j["results"] if r["name"] == "best_response" for t in r["transitions"]]
assert any(t["a"] == "PD" and t["b"] == "PR-L" for t in bt), bt

# Text: the summary first, then transitions largest first, each listing at most --limit.
text = out("compare", "--rules", A, "--rules", B, DATA, "--limit", "1")[0]
assert text.index("classified differently") < text.index("best_response (rows: A") < text.index("differences, by transition")
assert "best_response PD -> PR-L: 2 patients" in text and "... and 1 more" in text, text
assert "progression_date (dates of B against A): same" in text
tr = text[text.index("differences, by transition"):]
counts = [int(l.split(": ")[-1].split()[0]) for l in tr.splitlines()[1:] if l.startswith("  ") and not l.startswith("    ")]
assert counts, tr

# --explain: both packs' reasons for each listed patient, with the data point.
ex = out("compare", "--rules", A, "--rules", B, DATA, "--limit", "1", "--explain")[0]
assert "because: lymphocytes increased >= 50% over baseline [line 96] (lymphocytes 41 x10^9/L on 2024-04-01" in ex, ex

# CSV: every difference, one row each (no limit), agreeing with the runs.
rows = list(csv.DictReader(io.StringIO(out("compare", "--rules", A, "--rules", B, DATA, "--format", "csv")[0])))
want_rows = set()
for p in ra:
    for name in ra[p]:
        a, b = shown(ra[p][name]), shown(rb[p][name])
        if a != b:
            want_rows.add((p, name, "" if a == "-" else a, "" if b == "-" else b,
                           change(ra[p][name], rb[p][name]) if name in dates else "reclassified"))
assert {(r["patient"], r["result"], r["a"], r["b"], r["change"]) for r in rows} == want_rows, rows

tmp = tempfile.mkdtemp()
try:
    # A pack with a result the other lacks: listed with its values, not skipped.
    extra = os.path.join("rules/cll", ".compare-extra.crit")
    src = open(B).read() + "\nresult ever_pd = ever PD\n"
    open(extra, "w").write(src)
    try:
        j2 = json.loads(out("compare", "--rules", A, "--rules", extra, DATA, "--format", "json")[0])
        only = [r for r in j2["results"] if r["name"] == "ever_pd"]
        assert only and only[0]["in"] == "B" and sum(v["n"] for v in only[0]["values"]) == len(ra), only
        t2 = out("compare", "--rules", A, "--rules", extra, DATA)[0]
        assert "ever_pd: only in B (iwCLL 2018):" in t2, t2
        # Same name: told apart by file.
        t3 = out("compare", "--rules", B, "--rules", extra, DATA, "--format", "json")[0]
        j3 = json.loads(t3)
        assert j3["a"]["label"] == "iwCLL 2018 (iwcll-2018.crit)" and j3["b"]["label"] == "iwCLL 2018 (.compare-extra.crit)", j3["a"]
    finally:
        os.remove(extra)
    # Packs reading different bindings: refused, both named.
    other = os.path.join(tmp, "other")
    os.makedirs(other)
    # (a byte-identical copy would be accepted: the terminology is the same)
    open(os.path.join(other, "local.yaml"), "w").write(open("bindings/default.yaml").read() + "\n# a local edit\n")
    src = open(B).read()
    if "bindings" not in src.split("\n\n")[0]:
        lines = src.split("\n")
        for i, l in enumerate(lines):
            if l.strip().startswith("source"):
                lines.insert(i + 1, l[: len(l) - len(l.lstrip())] + 'bindings "local.yaml"')
                break
        src = "\n".join(lines)
    open(os.path.join(other, "b.crit"), "w").write(src)
    _, err = out("compare", "--rules", A, "--rules", os.path.join(other, "b.crit"), DATA, rc=2)
    assert "give --bindings FILE for both" in err, err
finally:
    shutil.rmtree(tmp)
print("ok")
