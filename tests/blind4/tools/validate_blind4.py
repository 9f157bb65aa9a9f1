#!/usr/bin/env python3
"""Structural checks for blind batch 4 (stdlib; uses PyYAML if present).

- every bundle is JSON, a FHIR R4 Bundle of an allowed type, one Patient;
- every subject reference resolves inside its bundle (urn:uuid or Patient/<id>);
- required elements per resource type, FHIR date/dateTime syntax, UCUM system
  on quantities, status values, RxNorm codes only from the verified list;
- expected/*.yaml parse (PyYAML, else a line-based check), list one entry per
  bundle, use only the contract vocabulary, and dates are ISO dates.
"""
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from fhirkit import RX, UCUM, RXN  # noqa: E402

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
OBS_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}
MA_STATUS = {"in-progress", "not-done", "on-hold", "completed", "entered-in-error", "stopped", "unknown"}
PROC_STATUS = {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed", "entered-in-error", "unknown"}
VOCAB = {
    "cll": {"best_response": {"CR", "CRi", "PR", "PR-L", "SD", "PD", "NE"}, "status": {"refractory", "relapsed"},
            "mrd_status": {"negative", "positive", "indeterminate", "not-assessed"}, "cr_status": {"not-evaluable"},
            "lymphocytosis": {True, False}, "progression_date": "date"},
    "all": {"status": {"CR", "CRi", "refractory", "relapsed", "NE"},
            "mrd_status": {"negative", "positive", "indeterminate", "not-assessed"},
            "cr1_date": "date", "relapse_date": "date", "relapse_timing": {"lt6mo", "6mo-3y", "ge3y"},
            "relapse_site": {"marrow", "extramedullary-cns"}},
}
errors = []


def err(msg):
    errors.append(msg)


def check_time(v, where):
    if not (DATE.match(v) or DATETIME.match(v)):
        err(f"{where}: bad date/dateTime {v!r}")


def check_bundle(path):
    with open(path, encoding="utf-8") as f:
        b = json.load(f)
    w = os.path.relpath(path, ROOT)
    if b.get("resourceType") != "Bundle" or b.get("type") not in ("collection", "searchset", "transaction"):
        err(f"{w}: not a collection/searchset/transaction Bundle")
    full = {}
    patients = []
    for i, e in enumerate(b.get("entry", [])):
        r = e.get("resource", {})
        fu = e.get("fullUrl")
        if not fu:
            err(f"{w}#{i}: no fullUrl")
        if fu in full:
            err(f"{w}#{i}: duplicate fullUrl {fu}")
        full[fu] = r
        if b["type"] == "transaction" and "request" not in e:
            err(f"{w}#{i}: transaction entry without request")
        if b["type"] == "searchset" and "search" not in e:
            err(f"{w}#{i}: searchset entry without search")
        if r.get("resourceType") == "Patient":
            patients.append(r)
    if len(patients) != 1:
        err(f"{w}: {len(patients)} Patient resources")
        return None
    pat = patients[0]
    pid = pat.get("id")
    pat_full = [fu for fu, r in full.items() if r is pat][0]
    for i, e in enumerate(b.get("entry", [])):
        r = e["resource"]
        rt = r["resourceType"]
        where = f"{w}#{i} {rt}"
        if rt == "Patient":
            if not DATE.match(r.get("birthDate", "")) or r.get("gender") not in ("male", "female", "other", "unknown"):
                err(f"{where}: birthDate/gender")
            continue
        ref = r.get("subject", {}).get("reference")
        if ref not in (pat_full, f"Patient/{pid}"):
            err(f"{where}: subject {ref!r} does not resolve to the Patient")
        if rt == "Observation":
            if r.get("status") not in OBS_STATUS:
                err(f"{where}: status")
            if not r.get("code", {}).get("coding"):
                err(f"{where}: code")
            check_time(r.get("effectiveDateTime", ""), where)
            vals = [k for k in r if k.startswith("value")]
            if len(vals) != 1:
                err(f"{where}: {vals}")
            q = r.get("valueQuantity")
            if q is not None:
                if q.get("system") != UCUM or "code" not in q or not isinstance(q.get("value"), (int, float)):
                    err(f"{where}: quantity {q}")
                if "comparator" in q and q["comparator"] not in ("<", "<=", ">=", ">"):
                    err(f"{where}: comparator")
        elif rt == "MedicationAdministration":
            if r.get("status") not in MA_STATUS:
                err(f"{where}: status")
            c = r.get("medicationCodeableConcept", {}).get("coding", [{}])[0]
            if c.get("system") != RXN or c.get("code") not in RX.values():
                err(f"{where}: RxNorm {c}")
            p = r.get("effectivePeriod", {})
            check_time(p.get("start", ""), where)
            if "end" in p:
                check_time(p["end"], where)
                if p["end"][:10] < p["start"][:10]:
                    err(f"{where}: end before start")
            elif r["status"] != "in-progress":
                err(f"{where}: open period but status {r['status']}")
        elif rt == "Procedure":
            if r.get("status") not in PROC_STATUS:
                err(f"{where}: status")
            check_time(r.get("performedPeriod", {}).get("start", ""), where)
        elif rt == "Condition":
            check_time(r.get("onsetDateTime", ""), where)
        else:
            err(f"{where}: unexpected resource type")
    return pid


def load_yaml(path):
    try:
        import yaml
    except ImportError:
        return None
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def main():
    for kind in ("cll", "all"):
        pids = set()
        for p in sorted(glob.glob(os.path.join(ROOT, kind, "*.json"))):
            pid = check_bundle(p)
            if pid:
                if os.path.basename(p) != pid + ".json":
                    err(f"{p}: file name does not match Patient.id {pid}")
                pids.add(pid)
        ypath = os.path.join(ROOT, "expected", kind + ".yaml")
        data = load_yaml(ypath)
        if data is None:
            print(f"(PyYAML missing: {ypath} only checked for presence)")
            continue
        seen = set()
        for it in data:
            pid = it.get("patient")
            if pid in seen:
                err(f"{ypath}: duplicate {pid}")
            seen.add(pid)
            if not it.get("why"):
                err(f"{ypath}: {pid} has no why")
            for k, v in (it.get("expect") or {}).items():
                allowed = VOCAB[kind].get(k)
                if allowed is None:
                    err(f"{ypath}: {pid}: unknown key {k}")
                elif v is None:
                    pass
                elif allowed == "date":
                    if not (isinstance(v, str) and DATE.match(v)):
                        err(f"{ypath}: {pid}: {k} not an ISO date: {v!r}")
                elif v not in allowed:
                    err(f"{ypath}: {pid}: {k}={v!r} not in vocabulary")
        if seen != pids:
            err(f"{kind}: expected ids {sorted(seen ^ pids)} do not match bundles")
        print(f"{kind}: {len(pids)} bundles, {len(seen)} expectations")
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
