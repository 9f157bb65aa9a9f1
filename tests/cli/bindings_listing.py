#!/usr/bin/env python3
"""`crit concepts` and `crit classes` list what the bindings know, as text and JSON, and
follow --bindings. Run from the project root: bindings_listing.py CRIT"""
import json
import os
import subprocess
import sys
import tempfile

crit = sys.argv[1]


def run(*args):
    p = subprocess.run([crit, *args], capture_output=True, text=True)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


text = run("concepts")
row = [l for l in text.splitlines() if l.startswith("platelets ")]
assert row and "10*9/L" in row[0] and "LOINC 777-3" in row[0], text
concepts = {c["name"]: c for c in json.loads(run("concepts", "--format", "json"))}
p = concepts["platelets"]
assert p["kind"] == "quantity" and p["unit"] == "10*9/L" and p["display"], p
assert {"system": "http://loinc.org", "code": "777-3"} in p["codes"], p

text = run("classes")
row = [l for l in text.splitlines() if l.startswith("btk_inhibitor ")]
assert row and "ibrutinib" in row[0], text
classes = {c["name"]: c for c in json.loads(run("classes", "--format", "json"))}
assert "ibrutinib" in classes["btk_inhibitor"]["drugs"], classes["btk_inhibitor"]

# --bindings: a site's own file, before or after the subcommand.
with tempfile.TemporaryDirectory() as tmp:
    site = os.path.join(tmp, "site.yaml")
    open(site, "w").write(
        "concepts:\n  my_marker:\n    display: A site marker\n    kind: quantity\n    unit: '%'\n"
        "    codes: [{system: 'http://loinc.org', code: '99999-9'}]\n"
        "classes:\n  my_class: {display: A site class}\n"
        "drugs:\n  mydrug: {classes: [my_class]}\n")
    for args in (["--bindings", site, "concepts", "--format", "json"], ["concepts", "--bindings", site, "--format", "json"]):
        names = [c["name"] for c in json.loads(run(*args))]
        assert names == ["my_marker"], names
    assert json.loads(run("--bindings", site, "classes", "--format", "json")) == [
        {"name": "my_class", "display": "A site class", "drugs": ["mydrug"]}]
print("ok")
