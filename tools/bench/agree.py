#!/usr/bin/env python3
"""Per-patient agreement between crit and the CQL engine on the criterion of
tools/bench/cql_equivalent.crit (tools/bench/compare.sh runs it).

  tools/bench/agree.py CRIT.csv CQL.csv [NDJSON_DIR]

CRIT.csv is `crit run --format csv`, CQL.csv the output of cql/run_cql.js. Each
engine answers, per patient: met (the whole criterion), counts_sustained,
lymphocytes_halved (each "held on some day": true, or not) and sustained_from
(the first day the counts had held for 60 days, or none). crit's unknown (an
empty cell) and CQL's null both read as "not met" for the booleans: the question
both can answer is "was it shown to hold". Prints the agreement rate, then every
patient that differs with the fields that differ; given the export, also that
patient's therapy and blood counts after therapy, to read the cause from. Exit 1
when any patient differs or a patient is missing on one side."""
import csv
import json
import os
import sys

FIELDS = ["met", "counts_sustained", "lymphocytes_halved", "sustained_from"]
BOOLEANS = {"met", "counts_sustained", "lymphocytes_halved"}
COUNTS = {"731-0": "lymphocytes", "751-8": "neutrophils", "777-3": "platelets", "718-7": "hemoglobin"}


def read(path):
    with open(path, newline="") as f:
        rows = {}
        for r in csv.DictReader(f):
            rows[r["patient"]] = {k: (r.get(k) or "") for k in FIELDS}
        return rows


def norm(field, value):
    return (value == "true") if field in BOOLEANS else value


def evidence(ndjson, ids):
    """The courses and blood counts of the given patients, from the export."""
    found = {i: [] for i in ids}
    for name in ("MedicationAdministration", "Procedure", "Observation"):
        path = os.path.join(ndjson, f"{name}.ndjson")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                pid = r.get("subject", {}).get("reference", "").removeprefix("Patient/")
                if pid not in found:
                    continue
                if name == "Observation":
                    code = r["code"]["coding"][0]["code"]
                    if code in COUNTS:
                        q = r.get("valueQuantity", {})
                        found[pid].append(f"{r.get('effectiveDateTime')} {COUNTS[code]} "
                                          f"{q.get('comparator', '')}{q.get('value')} {q.get('code')}")
                else:
                    period = r.get("effectivePeriod") or r.get("performedPeriod") or {}
                    found[pid].append(f"{name} {r.get('status')} {period.get('start')}..{period.get('end', '')}")
    return found


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: agree.py CRIT.csv CQL.csv [NDJSON_DIR]")
    crit, cql = read(sys.argv[1]), read(sys.argv[2])
    ids = sorted(set(crit) | set(cql))
    missing = [i for i in ids if i not in crit or i not in cql]
    differ = {}
    for i in ids:
        if i in crit and i in cql:
            d = [f for f in FIELDS if norm(f, crit[i][f]) != norm(f, cql[i][f])]
            if d:
                differ[i] = d
    same = len(ids) - len(missing) - len(differ)
    met = sum(1 for i in ids if i in crit and crit[i]["met"] == "true")
    print(f"agreement: {same} of {len(ids)} patients ({100.0 * same / max(1, len(ids)):.2f}%) "
          f"on {', '.join(FIELDS)}; met by crit: {met}, by CQL: "
          f"{sum(1 for i in ids if i in cql and cql[i]['met'] == 'true')}")
    for i in missing:
        print(f"  {i}: only in {'crit' if i in crit else 'CQL'} output")
    shown = evidence(sys.argv[3], set(differ)) if len(sys.argv) > 3 and differ else {}
    for i, fields in differ.items():
        print(f"  {i}: " + "; ".join(f"{f} crit={crit[i][f] or '-'} cql={cql[i][f] or '-'}" for f in fields))
        for line in shown.get(i, []):
            print(f"      {line}")
    sys.exit(1 if missing or differ else 0)


if __name__ == "__main__":
    main()
