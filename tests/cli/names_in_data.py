#!/usr/bin/env python3
"""Names in data are checked like names in rules (issue 9, item 2): a misspelt drug in a
YAML or CSV timeline is a rejection with a did-you-mean that fails --strict; a pack's
`disease` keeps it from classifying another disease's patients (each skipped, stated and
counted); a `disease` the bindings do not know is a checker error.
Run from the project root: names_in_data.py CRIT"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

crit = sys.argv[1]
tmp = tempfile.mkdtemp()


def run(*args):
    return subprocess.run([crit, *args], capture_output=True, text=True)


try:
    with open(os.path.join(tmp, "p.yaml"), "w") as f:
        f.write("patient: n-001\ndiagnosis: {date: 2023-01-01, code: CLL}\ntimeline:\n"
                "  - {date: 2024-01-05, lymphocytes: 40 x10^9/L}\n"
                "  - {date: 2024-01-10, treatment: ibrutinb}\n")
    with open(os.path.join(tmp, "p.csv"), "w") as f:
        f.write("patient_id,time,concept,value,unit\nn-002,2024-01-01,lymphocytes,40,10*9/L\n"
                "n-002,2024-01-10,treatment,Ibrutinibb,\n")
    rej = os.path.join(tmp, "rejects.jsonl")
    p = run("run", "--strict", "--rules", "rules/cll/iwcll-2018.crit", tmp, "--rejects", rej)
    assert p.returncode == 2, (p.returncode, p.stderr)
    rows = [json.loads(l) for l in open(rej)]
    drugs = sorted((r["file"].rsplit("/", 1)[-1], r["line"], r["detail"]) for r in rows if r["reason"] == "unknown-drug")
    assert drugs == [("p.csv", 3, "`Ibrutinibb` is not a drug in the bindings (did you mean `ibrutinib`?)"),
                     ("p.yaml", 5, "`ibrutinb` is not a drug in the bindings (did you mean `ibrutinib`?)")], drugs

    # ALL patients under a CLL pack: each skipped with a stated reason, none classified;
    # --strict is not failed by it (the data are fine, the pack is for another disease).
    p = run("run", "--strict", "--rules", "rules/cll/iwcll-2018.crit", "examples/all", "--rejects", rej)
    assert p.returncode == 0, (p.returncode, p.stderr)
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    assert [l for l in lines if "patient" in l] == [], "no ALL patient is classified by iwCLL 2018"
    assert lines[-1]["summary"]["patients"] == 0 and lines[-1]["summary"]["skipped"] >= 4, lines[-1]
    other = [json.loads(l) for l in open(rej) if '"other-disease"' in l]
    assert len(other) >= 4 and "is diagnosed with ALL" in other[0]["detail"] and "iwCLL 2018 is for CLL" in other[0]["detail"], other
    assert "other-disease" in p.stderr, p.stderr
    # The ALL pack still classifies them, and the CLL patients are skipped by it.
    p = run("run", "--rules", "rules/all/all-response.crit", "examples/all", "examples/cll")
    ids = [json.loads(l)["patient"] for l in p.stdout.splitlines() if '"patient"' in l]
    assert len(ids) >= 4 and "p-001" not in ids, ids
    # explain says why, and exits 2.
    allid = json.loads(run("run", "--rules", "rules/all/all-response.crit", "examples/all").stdout.splitlines()[0])["patient"]
    p = run("explain", "--rules", "rules/cll/iwcll-2018.crit", "examples/all", "--patient", allid)
    assert p.returncode == 2 and "is diagnosed with ALL" in p.stderr, (p.returncode, p.stderr)

    # A pack whose disease the bindings do not know.
    src = open("rules/cll/iwcll-2018.crit").read().replace("disease CLL", "disease CLLL", 1)
    bad = os.path.join("rules/cll", ".disease-typo.crit")
    open(bad, "w").write(src)
    try:
        p = run("check", bad)
        assert p.returncode == 1 and "`disease CLLL` is not a diagnosis in the bindings (CLL, ALL)" in p.stderr, p.stderr
        assert "did you mean `CLL`?" in p.stderr, p.stderr
    finally:
        os.remove(bad)
finally:
    shutil.rmtree(tmp)
print("ok")
