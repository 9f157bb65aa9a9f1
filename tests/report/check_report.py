#!/usr/bin/env python3
"""crit report, read as a file (issue 7, item 1): self-contained, its data parse, its counts,
lanes, sections, episodes and intervals are crit run's, the pack's thresholds are there, a
comparison's matrices are crit compare's, and an id from data cannot inject markup.
Run from the project root:  check_report.py CRIT"""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_common import Page, crit, run_json  # noqa: E402

CRIT = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="crit-report-")


def report(name, *args):
    out = os.path.join(tmp, name)
    crit(CRIT, "report", *args, "-o", out)
    with open(out, encoding="utf-8") as f:
        text = f.read()
    return text, Page(text)


def self_contained(text, page):
    for tag, attrs in page.elements:
        for key in ("src", "href", "action", "data", "poster"):
            v = (attrs.get(key) or "").strip().lower()
            assert not re.match(r"^(https?:|//|ftp:|file:)", v), (tag, key, v)
        assert not (tag == "link" and "stylesheet" in (attrs.get("rel") or "")), attrs
        assert not (tag == "script" and attrs.get("src")), attrs
    csp = [a for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"], csp
    for js in page.scripts:
        for word in ("fetch(", "XMLHttpRequest", "import(", "WebSocket", "EventSource", "sendBeacon"):
            assert word not in js, word
    assert "@import" not in text and "url(http" not in text


def value_key(kind, v):
    if v is None:
        return "(none)"
    if kind == "date":
        return "dated"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def same_as_run(page, data, run, pack=0):
    assert set(p["id"] for p in data["patients"]) == set(run), "every patient of crit run has a section"
    assert len(data["patients"]) == len(run)
    for p in data["patients"]:
        j, mine = run[p["id"]], p["packs"][pack]
        for key in ("results", "episodes", "anchors", "criteria"):
            assert mine[key] == j[key], (p["id"], key, mine[key], j[key])
        assert mine["as_of"] == j["as_of"]
        assert mine["summary"] and mine["tree"].startswith("patient "), p["id"]
    # Counts per result value, as crit run's JSON has them.
    info = data["packs"][pack]
    for r in info["results"]:
        want = {}
        for j in run.values():
            k = value_key(r["kind"], j["results"][r["name"]])
            want[k] = want.get(k, 0) + 1
        got = {k: n for k, n in page.counts[(pack, r["name"])].items() if n}
        assert got == want, (r["name"], got, want)


def has_threshold(data, pack, concept, op, value, where=None, line=None):
    for t in data["packs"][pack]["thresholds"]:
        if t["concept"] == concept and t["op"] == op and abs(t["value"] - value) < 1e-9 and \
                (where is None or t["where"] == where) and (line is None or t["line"] == line):
            return t
    raise AssertionError(f"no threshold {concept} {op} {value} {where} {line}")


# iwCLL 2018 over the CLL examples.
text, page = report("cll.html", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll")
self_contained(text, page)
data = page.data()
assert data["mode"] == "cohort"
run = run_json(CRIT, "rules/cll/iwcll-2018.crit", "examples/cll")
same_as_run(page, data, run)
t = has_threshold(data, 0, "platelets", ">=", 100, "CR_clinical", 50)
assert t["label"] == "platelets >= 100 x10^9/L (CR_clinical, line 50)", t
# hemoglobin is charted in the unit the pack writes (g/dL), thresholds and values alike.
has_threshold(data, 0, "hemoglobin", ">=", 11, "CR_clinical")
p2 = [p for p in data["patients"] if p["id"] == "p-002"][0]
assert p2["labs"]["hemoglobin"]["unit"] == "g/dL" and p2["labs"]["hemoglobin"]["points"][0][1] == 10.4, p2["labs"]["hemoglobin"]
assert p2["labs"]["platelets"]["points"][0][3] == "examples/cll/p-002-pr.yaml:7", p2["labs"]["platelets"]
pk = data["packs"][0]
assert pk["sha256"] == run["p-001"]["ruleset"]["sha256"] and pk["source"].startswith("Hallek"), pk
assert pk["shown"] == ["CR", "CRi", "PR", "PR_L", "SD", "PD"], pk["shown"]
assert "each patient&#39;s last record" in text or "each patient's last record" in text
# The decision summary is explain --format json's.
s = [r for r in p2["packs"][0]["summary"] if r["name"] == "best_response"][0]
assert s["value"] == "PR" and s["failed"][0]["label"] == "CR", s
# A relapse or progression shows as a marker.
assert any(m["kind"] in ("PD", "relapse") for p in data["patients"] for m in p["packs"][0]["markers"])

# --as-of is stated and used.
text, page = report("asof.html", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--as-of", "2024-12-31")
assert "2024-12-31" in text and all(p["as_of"] == "2024-12-31" for p in page.data()["patients"])

# Gzipped data (what a large cohort gets) reads back the same.
text, gz = report("cll-gz.html", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--data-encoding", "gzip")
self_contained(text, gz)
assert gz.data_attrs.get("data-encoding") == "gzip+base64" and gz.data()["patients"] == data["patients"]

# ALL over the ALL examples.
text, page = report("all.html", "--rules", "rules/all/all-response.crit", "examples/all")
self_contained(text, page)
data = page.data()
same_as_run(page, data, run_json(CRIT, "rules/all/all-response.crit", "examples/all"))
has_threshold(data, 0, "marrow_blasts", "<", 5, "leukaemia_cleared")
assert "cr1" in data["patients"][0]["packs"][0]["anchors"]

# iwCLL 2008 against 2018.
text, page = report("cmp.html", "--rules", "rules/cll/iwcll-2008.crit", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll")
self_contained(text, page)
data = page.data()
assert data["mode"] == "compare" and [p["label"] for p in data["packs"]] == ["iwCLL 2008", "iwCLL 2018"]
run_a = run_json(CRIT, "rules/cll/iwcll-2008.crit", "examples/cll")
run_b = run_json(CRIT, "rules/cll/iwcll-2018.crit", "examples/cll")
same_as_run(page, data, run_a, 0)
same_as_run(page, data, run_b, 1)
n = len(run_a)
kinds = {r["name"]: r["kind"] for r in data["packs"][0]["results"]}
for result, cells in page.matrix.items():
    assert sum(cells.values()) == n, (result, cells)
    want = {}
    for pid in run_a:
        a, b = run_a[pid]["results"][result], run_b[pid]["results"].get(result)
        if kinds[result] == "date":
            rel = "-" if b is None else "dated" if a is None else "same day" if a == b else "earlier in B" if b < a else "later in B"
            key = ("-" if a is None else "dated", rel)
        else:
            key = (value_key("x", a).replace("(none)", "-"), value_key("x", b).replace("(none)", "-"))
        want[key] = want.get(key, 0) + 1
    assert cells == want, (result, cells, want)
# ... and crit compare's own matrices (the value results; it tells dates its own way).
p = __import__("subprocess").run([CRIT, "compare", "--rules", "rules/cll/iwcll-2008.crit", "--rules", "rules/cll/iwcll-2018.crit",
                                  "examples/cll", "--format", "json"], capture_output=True, text=True)
theirs = {}
if p.returncode == 0:
    cj = __import__("json").loads(p.stdout)
    m = re.search(r"(\d+) of (\d+) patients classified differently", text)
    assert m and (int(m.group(1)), int(m.group(2))) == (cj["differing"], cj["patients"]), (m and m.group(0), cj["differing"])
    for r in cj["results"]:
        if r.get("kind") == "value" and "matrix" in r:
            theirs[r["name"]] = {(c["a"], c["b"]): c["n"] for c in r["matrix"]}
        elif r.get("kind") == "date":  # compare's relations are the report's cells
            rel = {"same": ("dated", "same day"), "earlier in B": ("dated", "earlier in B"), "later in B": ("dated", "later in B"),
                   "only in A": ("dated", "-"), "only in B": ("-", "dated"), "neither": ("-", "-")}
            theirs[r["name"]] = {rel[c["change"]]: c["n"] for c in r["matrix"]}
else:  # a crit compare without --format: its text matrices
    out = crit(CRIT, "compare", "--rules", "rules/cll/iwcll-2008.crit", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll")
    current = None
    for line in out.splitlines():
        m = re.match(r"^(\w+): \(", line)
        if m:
            current = m.group(1)
            theirs[current] = {}
            continue
        m = re.match(r"^\s+(\S+) -> (\S+)\s+(\d+)", line)
        if m and current:
            theirs[current][(m.group(1), m.group(2))] = int(m.group(3))
    theirs = {k: v for k, v in theirs.items() if kinds.get(k) != "date"}
assert theirs, "crit compare reported matrices"
for result, cells in theirs.items():
    assert page.matrix[result] == cells, (result, page.matrix[result], cells)
# The threshold that moved between the packs is marked changed (e.g. iwCLL 2008's CR
# node_longest_max <= 1.5 cm against 2018's < 1.5 cm).
assert any(t.get("changed") for t in data["packs"][0]["thresholds"]), "a changed threshold"
cell_links = [a for t, a in page.elements if t == "a" and (a.get("href") or "").startswith("#cell-")]
lists = {a["id"] for t, a in page.elements if t == "div" and a.get("class") == "cell-list"}
assert cell_links and all(a["href"][1:] in lists for a in cell_links), "every matrix cell links to its patients"

# Two packs of one name are told apart by file name.
same = os.path.join(tmp, "copy-of-2018.crit")
with open("rules/cll/iwcll-2018.crit") as f, open(same, "w") as g:
    g.write(f.read())
text, page = report("same.html", "--rules", "rules/cll/iwcll-2018.crit", "--rules", same, "examples/cll")
assert [p["label"] for p in page.data()["packs"]] == ["iwcll-2018.crit", "copy-of-2018.crit"], page.data()["packs"]

# A patient id that is markup stays text.
evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
csv_path = os.path.join(tmp, "evil.csv")
with open(csv_path, "w") as f:
    f.write("patient_id,time,concept,value,unit\n")
    f.write(f'"{evil.replace(chr(34), chr(34) * 2)}",2024-01-05,platelets,100,10*9/L\n')
    f.write('"</script><!--",2024-01-05,platelets,90,10*9/L\n')
text, page = report("evil.html", "--rules", "rules/cll/iwcll-2018.crit", csv_path)
assert evil not in text and "</script><!--" not in text and "<img src=x" not in text
assert [t for t, a in page.elements].count("script") == 2, "no script element from data"
assert not any(t == "img" for t, a in page.elements)
assert {p["id"] for p in page.data()["patients"]} == {evil, "</script><!--"}

# explain --format html: the patient section alone, from the same page.
out = crit(CRIT, "explain", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--patient", "p-002", "--format", "html")
page = Page(out)
self_contained(out, page)
data = page.data()
assert data["mode"] == "patient" and [p["id"] for p in data["patients"]] == ["p-002"]
assert data["patients"][0]["packs"][0]["results"] == run["p-002"]["results"]
shutil.rmtree(tmp, ignore_errors=True)
print("ok: cohort (CLL, ALL), comparison, escaping and explain --format html reports check")
