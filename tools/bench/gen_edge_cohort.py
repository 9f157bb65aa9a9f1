#!/usr/bin/env python3
"""A cohort of awkward timelines for the agreement check of handwritten_cr.cpp
(and anything else that must match crit patient for patient), as one YAML file.

  tools/bench/gen_edge_cohort.py 5000 > /tmp/edge.yaml
  build-perf/handwritten_cr tools/bench/cr_clinical.crit /tmp/edge.yaml

gen_cohort.py is regular (quarterly visits, every value present, one course);
this one is not. Per patient, at random (deterministic seed):
  - visits 1 to 200 days apart, so results sometimes stop standing (3-month hold);
  - each value missing at some visits; two records of one concept on one day;
  - values at and around the CR thresholds (4 x10^9/L, 1.5 cm, 13 cm, 1.5, 100
    x10^9/L, 11 g/dL), in other units (/uL, 10*3/uL, mm, g/L), and censored
    (<, <=, >, >=);
  - 0 to 3 courses: time-limited, continuous (no `until`), courses less and more
    than 60 days apart, a course ending after the last record, a supportive drug
    (dexamethasone: not antileukaemic), a drug the bindings do not know;
  - sometimes a diagnosis date before everything, or a patient with no result."""
import random
import sys
from datetime import date, timedelta

rng = random.Random(4242)

# concept -> list of value texts around its CR threshold
VALUES = {
    "lymphocytes": ["1.0 x10^9/L", "3.9 x10^9/L", "4 x10^9/L", "4.0 x10^9/L", "4000 /uL", "3999 /uL", "4.1 10*3/uL",
                    "12 x10^9/L", "<4 x10^9/L", "<=4 x10^9/L", "<5 x10^9/L", ">3 x10^9/L", ">=4 x10^9/L", "<1 x10^9/L"],
    "node_longest_max": ["1.0 cm", "1.4 cm", "1.5 cm", "15 mm", "14.9 mm", "2.5 cm", "<1.5 cm", "<2 cm", ">1 cm"],
    "spleen_length": ["11 cm", "12.9 cm", "13 cm", "130 mm", "16 cm", "<13 cm", "<=13 cm", ">14 cm"],
    "hepatomegaly": ["false", "false", "false", "true", "no", "yes"],
    "b_symptoms": ["false", "false", "true", "no"],
    "neutrophils": ["0.8 x10^9/L", "1.5 x10^9/L", "1500 /uL", "1499 /uL", "2.5 x10^9/L", ">1.5 x10^9/L", ">=1.5 x10^9/L",
                    "<2 x10^9/L", "1.5 10*3/uL"],
    "platelets": ["80 x10^9/L", "100 x10^9/L", "100000 /uL", "99999 /uL", "150 x10^9/L", ">100 x10^9/L", "<120 x10^9/L",
                  ">=100 x10^9/L", "100 10*3/uL"],
    "hemoglobin": ["9.5 g/dL", "11 g/dL", "110 g/L", "10.99 g/dL", "12.5 g/dL", ">11 g/dL", "<12 g/dL", ">=110 g/L"],
}
# Mostly values that meet the criterion, so CR_clinical is met for many patients.
GOOD = {"lymphocytes": "2.0 x10^9/L", "node_longest_max": "1.0 cm", "spleen_length": "11 cm", "hepatomegaly": "false",
        "b_symptoms": "false", "neutrophils": "2.0 x10^9/L", "platelets": "150 x10^9/L", "hemoglobin": "12.5 g/dL"}
DRUGS = ["FCR", "BR", "ibrutinib", "chlorambucil", "venetoclax", "rituximab", "acalabrutinib", "dexamethasone",
         "study-drug-x"]


def quote(v):
    return f'"{v}"' if v[0] in "<>" else v


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.stdout
    out.write("patients:\n")
    for i in range(n):
        out.write(f"  - patient: e-{i:06d}\n")
        first = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 700))
        if rng.random() < 0.2:
            out.write(f"    diagnosis: {{date: {first - timedelta(days=rng.randrange(1, 400))}, code: CLL}}\n")
        out.write("    timeline:\n")
        recs = []
        # Courses.
        day = first + timedelta(days=rng.randrange(0, 60))
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
            drug = rng.choice(DRUGS)
            if rng.random() < 0.25:
                recs.append((day, f"treatment: {drug}"))
            else:
                end = day + timedelta(days=rng.randrange(0, 240))
                recs.append((day, f"treatment: {drug}, until: {end}"))
                day = end
            day += timedelta(days=rng.choice([1, 30, 59, 60, 61, 90, 200, 400]))
        # Visits.
        good = rng.random()  # how often a value is the "good" one
        day = first
        for _ in range(rng.randrange(0 if rng.random() < 0.03 else 1, 30)):
            vals = []
            for c, choices in VALUES.items():
                if rng.random() < 0.12:
                    continue  # not measured at this visit
                vals.append(f"{c}: {quote(GOOD[c] if rng.random() < good else rng.choice(choices))}")
            if vals:
                recs.append((day, ", ".join(vals)))
            if rng.random() < 0.05:  # a second record of one concept on the same day
                c = rng.choice(list(VALUES))
                recs.append((day, f"{c}: {quote(rng.choice(VALUES[c]))}"))
            day += timedelta(days=rng.choice([1, 14, 30, 60, 85, 89, 90, 91, 92, 120, 200]))
        for d, text in recs:  # in file order; crit sorts by date, keeping file order within a day
            out.write(f"      - {{date: {d}, {text}}}\n")


if __name__ == "__main__":
    main()
