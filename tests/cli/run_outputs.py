#!/usr/bin/env python3
"""crit run's JSON and CSV carry what a plotting tool needs (issue 7, item 3): treatment
episodes, the pack's anchor dates, each criterion's met and unknown intervals, and the
ruleset (name, version, sha256) in every CSV row. Run from the project root:
    run_outputs.py CRIT"""
import csv
import io
import json
import subprocess
import sys

crit = sys.argv[1]


def run(*args):
    p = subprocess.run([crit, "run", *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def json_patients(*args):
    lines = [json.loads(l) for l in run(*args).splitlines()]
    assert lines[-1]["summary"]["complete"] is True
    return {j["patient"]: j for j in lines[:-1]}


cll = json_patients("--rules", "rules/cll/iwcll-2018.crit", "examples/cll")
p1 = cll["p-001"]
# FCR from 2024-01-10 to 2024-06-20 is one closed episode of the class the pack names.
assert p1["episodes"] == [{"class": "cll_therapy", "start": "2024-01-10", "end": "2024-06-20"}], p1["episodes"]
a = p1["anchors"]
assert a["therapy.start"] == "2024-01-10" and a["therapy.end"] == "2024-06-20", a
assert a["assess"] == "2024-08-15", a  # therapy.end + 8wk
assert a["continuous_start"] is None, a  # no BCR inhibitor: never
# CR is unknown from the assessment until the marrow (2024-09-05), then met to the as-of date.
assert p1["criteria"]["CR"] == [
    {"from": "2024-08-15", "to": "2024-09-04", "state": "unknown"},
    {"from": "2024-09-05", "to": "2025-01-20", "state": "met"},
], p1["criteria"]["CR"]
for name, runs in p1["criteria"].items():
    for r in runs:
        assert r["state"] in ("met", "unknown") and r["from"] <= r["to"] <= p1["as_of"], (name, r)
    for x, y in zip(runs, runs[1:]):
        assert x["to"] < y["from"], (name, runs)

# A continuous therapy (ibrutinib) is an open episode: end null.
opened = [e for j in cll.values() for e in j["episodes"] if e["end"] is None]
assert opened, "the CLL examples have a patient on continuous therapy"

# CSV: the ruleset in every row, same results as JSON.
rows = list(csv.DictReader(io.StringIO(run("--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--format", "csv"))))
assert len(rows) == len(cll)
for r in rows:
    j = cll[r["patient"]]
    assert (r["ruleset"], r["ruleset_version"], r["ruleset_sha256"]) == (
        j["ruleset"]["name"], j["ruleset"]["version"], j["ruleset"]["sha256"]), r
    assert r["best_response"] == j["results"]["best_response"], r

# ALL: the pack's own anchors (CR1) appear by name.
all_ = json_patients("--rules", "rules/all/all-response.crit", "examples/all")
first = all_[sorted(all_)[0]]
assert "cr1" in first["anchors"] and "induction.start" in first["anchors"], first["anchors"]
assert {e["class"] for e in first["episodes"]} >= {"all_induction", "all_therapy"}, first["episodes"]
print(f"ok: {len(cll)} CLL and {len(all_)} ALL patients")
