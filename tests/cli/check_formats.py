#!/usr/bin/env python3
"""`crit check --format json|sarif` on a file with errors (docs/cli.md): exit 1, the
diagnostics on stdout as a JSON array and as a SARIF 2.1.0 log with the properties the
spec requires and CI systems read. Run from the project root: check_formats.py CRIT"""
import json
import subprocess
import sys

crit = sys.argv[1]
bad = "tests/golden/check/three-mistakes.crit"  # unknown-name, unit-dimension, unknown-class
good = "rules/cll/iwcll-2018.crit"


def check(fmt, *files):
    p = subprocess.run([crit, "check", "--format", fmt, *files], capture_output=True, text=True)
    return p.returncode, json.loads(p.stdout)


rc, ds = check("json", bad, good)
assert rc == 1, rc
assert ds and all(d["file"] == bad for d in ds), ds
keys = {"file", "line", "column", "end", "severity", "code", "message", "notes", "suggestion"}
assert all(set(d) == keys for d in ds), ds
e = [d for d in ds if d["code"] == "unit-dimension"]
assert e and e[0]["severity"] == "error" and e[0]["line"] > 0 and e[0]["column"] > 0, e
assert e[0]["end"]["line"] == e[0]["line"] and e[0]["end"]["column"] > e[0]["column"], e
assert isinstance(e[0]["notes"], list), e
assert any(d["code"] == "unknown-name" and d["suggestion"] == "lymphocytes" for d in ds), ds

rc, ds = check("json", good)
assert rc == 0 and ds == [], ds

rc, log = check("sarif", bad)
assert rc == 1, rc
# SARIF 2.1.0: sarifLog requires version and runs; run requires tool; tool requires driver;
# toolComponent requires name; result requires message (with text here); ruleId for CI.
assert log["version"] == "2.1.0", log.get("version")
assert log["$schema"].endswith("sarif-2.1.0.json"), log.get("$schema")
assert isinstance(log["runs"], list) and len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "crit"
rules = [r["id"] for r in driver["rules"]]
assert "unit-dimension" in rules and "syntax" in rules and len(rules) == len(set(rules)), rules
assert all(r["shortDescription"]["text"] for r in driver["rules"])
assert run["results"], run
for r in run["results"]:
    assert isinstance(r["message"]["text"], str) and r["message"]["text"], r
    assert r["ruleId"] in rules and rules[r["ruleIndex"]] == r["ruleId"], r
    assert r["level"] in ("error", "warning", "note", "none"), r
    for loc in r.get("locations", []):
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == bad, phys
        assert phys["region"]["startLine"] >= 1 and phys["region"]["startColumn"] >= 1, phys
assert any(r["ruleId"] == "unit-dimension" and r["level"] == "error" and r["locations"] for r in run["results"])

# SARIF counts columns in UTF-16 code units: a 2-byte é and a 4-byte emoji (a surrogate
# pair) before the mistake put it at byte 17 but UTF-16 column 14. JSON keeps bytes.
import os, tempfile
with tempfile.TemporaryDirectory() as d:
    f = os.path.join(d, "wide.crit")
    with open(f, "w", encoding="utf-8") as out:
        out.write('guideline "u"\n  source "t"\nA "a":\n  cite "x"\n  note "\u00e9\U0001F600" lymphocytes < 4 x10^9/L\n'
                  'result r = ever A\n')
    rc, log = check("sarif", f)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (5, 14, 15), region
    rc, ds = check("json", f)
    assert (ds[0]["line"], ds[0]["column"]) == (5, 17), ds[0]
print("ok")
