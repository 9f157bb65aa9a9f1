#!/usr/bin/env python3
"""crit report in a browser: headless Chromium opens the reports (a cohort with gzipped
data, a comparison, explain --format html), runs their script, and the DOM it dumps has the
swimmer lanes and the lab charts with threshold lines, and no error marker (the page's
window.onerror writes one). Run from the project root:  check_browser.py CRIT"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_common import crit  # noqa: E402

CRIT = sys.argv[1]
browser = shutil.which("chromium") or shutil.which("chromium-browser")
assert browser, "chromium is not installed (tools/setup installs it)"
tmp = tempfile.mkdtemp(prefix="crit-browser-")


def dom(path, fragment=""):
    args = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + os.path.join(tmp, "profile"), "--virtual-time-budget=10000",
            "--window-size=1400,1000", "--dump-dom", "file://" + os.path.abspath(path) + fragment]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def rendered(text, what):
    assert 'data-crit-rendered="ok"' in text, f"{what}: the script did not finish"
    err = re.search(r'<div id="crit-error"[^>]*>', text)
    assert err and "hidden" in err.group(0) and "data-error" not in err.group(0), f"{what}: {err.group(0) if err else 'no marker'}"


cohort = os.path.join(tmp, "cll.html")
crit(CRIT, "report", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "-o", cohort, "--data-encoding", "gzip")
text = dom(cohort)
rendered(text, "cohort")
lanes = re.findall(r'<g class="lane" data-patient="([^"]+)"', text)
assert sorted(lanes) == ["p-00%d" % i for i in range(1, 8)], lanes
assert text.count('<div class="patient') == 7, "a section per patient"
assert text.count('<div class="chart"') > 20 and "<svg" in text
assert "&gt;= 100 x10^9/L (CR_clinical, line 50)" in text, "the platelet threshold drawn and labelled"
assert 'class="decision"' in text

# A link to a patient opens its section (selected).
text = dom(cohort, "#patient=p-004")
rendered(text, "cohort#patient")
assert re.search(r'<div class="patient selected" id="patient-\d+" data-patient="p-004"', text), "p-004 selected"

comparison = os.path.join(tmp, "cmp.html")
crit(CRIT, "report", "--rules", "rules/cll/iwcll-2008.crit", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "-o", comparison)
text = dom(comparison)
rendered(text, "comparison")
assert len(re.findall(r'<div class="difference" data-patient=', text)) >= 1, "differences listed"
assert "<mark>" in text, "a changed threshold highlighted"
assert '<g class="lane"' in text

single = os.path.join(tmp, "p-002.html")
with open(single, "w") as f:
    f.write(crit(CRIT, "explain", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--patient", "p-002", "--format", "html"))
text = dom(single)
rendered(text, "explain --format html")
assert text.count('<div class="patient') == 1 and '<div class="chart" data-concept="platelets"' in text

# The error marker works: a page whose script throws shows it.
broken = os.path.join(tmp, "broken.html")
with open(single) as f:
    page = f.read()
with open(broken, "w") as f:
    f.write(page.replace('id="crit-data">{', 'id="crit-data">{broken', 1))
text = dom(broken)
assert re.search(r'<div id="crit-error" data-error=', text), "a failing script leaves its marker"
shutil.rmtree(tmp, ignore_errors=True)
print("ok: the reports render in Chromium (lanes, sections, charts, thresholds, differences; no script error)")
