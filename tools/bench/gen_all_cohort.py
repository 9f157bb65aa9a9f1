#!/usr/bin/env python3
"""Synthetic ALL cohort for benchmarks of rules/all/all-response.crit: N patients,
each with a diagnosis work-up, an induction course, marrow checks on days 14 and
28, then monthly blood counts and quarterly marrow / MRD for about three years,
as one YAML file.

  tools/bench/gen_all_cohort.py 10000 > /tmp/all-cohort.yaml

Trajectories (deterministic seed): about 75% reach remission (some with slow
count recovery: CRi), 15% are refractory, and 30% of those in remission relapse
in the marrow or the CNS. MRD results carry an assay detection limit (10^-4 or
10^-5), some below it. About 190 records per patient."""
import random
import sys
from datetime import date, timedelta

rng = random.Random(7101)
# blinatumomab is not of class all_induction: those patients have no induction (NE).
REGIMENS = ["hyper-CVAD"] * 10 + ["induction"] * 9 + ["blinatumomab"]


def q(v):
    return f'"{v}"' if str(v)[0] in "<>" else v


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout
    out.write("patients:\n")
    for i in range(n):
        dx = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 1500))
        start = dx + timedelta(days=rng.randrange(1, 10))
        end = start + timedelta(days=rng.choice([28, 35, 42]))
        refractory = rng.random() < 0.15
        slow = rng.random() < 0.2            # counts recover late: CRi first
        relapse_month = rng.randrange(4, 36) if not refractory and rng.random() < 0.3 else None
        cns = relapse_month is not None and rng.random() < 0.25
        wbc, blasts = 5 + rng.random() * 80, 40 + rng.random() * 55
        out.write(f"  - patient: a-{i:06d}\n    birth_date: {1950 + rng.randrange(0, 55)}-03-15\n"
                  f"    diagnosis: {{date: {dx}, code: ALL}}\n    timeline:\n")
        out.write(f"      - {{date: {dx}, wbc: {wbc:.1f} x10^9/L, marrow_blasts: {blasts:.0f} %, blood_blasts: {blasts / 2:.0f} %, "
                  f"neutrophils: {0.2 + rng.random():.1f} x10^9/L, platelets: {15 + rng.random() * 60:.0f} x10^9/L, "
                  f"extramedullary_disease: {'true' if rng.random() < 0.1 else 'false'}, csf_blasts: {0 if rng.random() < 0.9 else 12} /uL, "
                  f"bcr_abl1: {'true' if rng.random() < 0.25 else 'false'}}}\n")
        out.write(f"      - {{date: {start}, treatment: {rng.choice(REGIMENS)}, until: {end}}}\n")
        # Induction: weekly counts, marrow on days 14 and 28.
        for wk in range(1, 7):
            d = start + timedelta(days=7 * wk)
            rec = 0.2 * wk if not refractory else 0.05 * wk
            out.write(f"      - {{date: {d}, neutrophils: {0.1 + rec * (0.6 if slow else 1.4):.1f} x10^9/L, "
                      f"platelets: {20 + rec * (60 if slow else 130):.0f} x10^9/L, blood_blasts: {0 if wk > 2 and not refractory else 5} %}}\n")
            if wk in (2, 4):
                mb = (3 if wk == 4 else 8) if not refractory else 35
                out.write(f"      - {{date: {d}, marrow_blasts: {mb} %, extramedullary_disease: false}}\n")
        # Follow-up: monthly counts, quarterly marrow and MRD.
        for m in range(2, 38):
            d = start + timedelta(days=30 * m)
            relapsed = relapse_month is not None and m >= relapse_month
            anc = 0.6 if refractory or (relapsed and not cns) else (1.0 + rng.random() * 2 if not slow or m > 4 else 0.8)
            plt = 50 if refractory or (relapsed and not cns) else 110 + rng.random() * 150
            bb = 6 if refractory or (relapsed and not cns) else 0
            out.write(f"      - {{date: {d}, neutrophils: {anc:.1f} x10^9/L, platelets: {plt:.0f} x10^9/L, blood_blasts: {bb} %}}\n")
            if m % 3 == 0:
                mb = 30 if refractory or (relapsed and not cns) else rng.choice([1, 2, 3])
                limit = rng.choice(["0.01 %", "0.001 %"])
                mrd = rng.choice(["<0.001 %", "0.0005 %", "0.002 %", "0.02 %", "0.5 %"]) if not relapsed else "2.5 %"
                out.write(f"      - {{date: {d}, marrow_blasts: {mb} %, extramedullary_disease: {'true' if relapsed and cns else 'false'}, "
                          f"csf_blasts: {15 if relapsed and cns else 0} /uL, mrd_marrow: {{value: {q(mrd)}, detection_limit: {limit}}}}}\n")


if __name__ == "__main__":
    main()
