#!/usr/bin/env python3
"""Regenerate tests/blind/{cll,all}/*.json and expected.yaml.

    python3 tests/blind/tools/make_corpus.py

Deterministic: ids and uuids are derived from the patient id.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import all_cases  # noqa: E402
import cll_cases  # noqa: E402

ROOT = os.path.dirname(HERE)

ORDER = {
    "cll": ["best_response", "cr_status", "status", "progression_date", "mrd_status", "lymphocytosis"],
    "all": ["status", "cr1_date", "relapse_date", "relapse_timing", "relapse_site", "mrd_status"],
}


def yq(s):
    return json.dumps(s, ensure_ascii=False)


def yval(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
        return v
    return str(v) if isinstance(v, str) and v.replace("-", "").isalnum() else yq(v)


def write_disease(name, mod):
    outdir = os.path.join(ROOT, name)
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith(".json"):
            os.remove(os.path.join(outdir, f))
    lines = ["# Expected results for the %s blind corpus (see ../README.md)." % name.upper(),
             "# Only keys with a clear answer under the published criteria are listed.", ""]
    rows = []
    for fn in mod.CASES:
        c = fn()
        b = c["bundle"]
        b.write(os.path.join(outdir, b.pid + ".json"))
        exp = c["expect"]
        unknown = set(exp) - set(ORDER[name])
        assert not unknown, (b.pid, unknown)
        inner = ", ".join("%s: %s" % (k, yval(exp[k])) for k in ORDER[name] if k in exp)
        lines.append("- patient: %s" % b.pid)
        lines.append("  expect: {%s}" % inner)
        lines.append("  why: %s" % yq(c["why"]))
        if c.get("ambiguity"):
            lines.append("  ambiguity: %s" % yq(c["ambiguity"]))
        lines.append("")
        rows.append((b.pid, c.get("quirks", ""), b.refs, b.btype, b.times, b.last_date()))
    # Beside the bundles, not among them: crit reads every file of a data folder.
    with open(os.path.join(ROOT, "expected", name + ".yaml"), "w") as f:
        f.write("\n".join(lines))
    return rows


def main():
    table = {}
    for name, mod in (("cll", cll_cases), ("all", all_cases)):
        table[name] = write_disease(name, mod)
    for name, rows in table.items():
        print("## %s (%d)" % (name, len(rows)))
        for pid, q, refs, bt, times, last in rows:
            print("| %s | %s | %s | %s | %s | %s |" % (pid, refs, bt, times, last, q))


if __name__ == "__main__":
    main()
