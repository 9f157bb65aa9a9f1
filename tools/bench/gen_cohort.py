#!/usr/bin/env python3
"""Synthetic CLL cohort for benchmarks: N patients, each with a baseline, a course
of therapy and quarterly follow-up for several years, as one YAML file.

  tools/bench/gen_cohort.py 10000 > /tmp/cohort.yaml          # 16 follow-up visits
  tools/bench/gen_cohort.py 10000 8 > /tmp/cohort-short.yaml  # 8 visits

Values follow a random response trajectory (deterministic seed), so every
criterion of the iwCLL packs is exercised, not just one branch.

The model (`patients()`, `visits()`) is shared with gen_ndjson.py, which writes
the same patients as a FHIR Bulk NDJSON export: `crit run` gives the same
results on both."""
import random
import sys
from datetime import date, timedelta

SEED = 20261121
DRUGS = ["FCR", "BR", "ibrutinib", "chlorambucil", "venetoclax"]
CONTINUOUS = ("ibrutinib", "venetoclax")  # no `until`: continuous therapy, still running


class Patient:
    """One synthetic patient: the draws of the trajectory model."""
    __slots__ = ("index", "pid", "start", "depth", "relapse", "drug", "end", "birth_year",
                 "lym", "nodes", "spleen", "plt", "hb", "anc")


def patients(n):
    """The n patients, drawn in the order gen_cohort.py has always drawn them."""
    rng = random.Random(SEED)
    for i in range(n):
        p = Patient()
        p.index, p.pid = i, f"s-{i:06d}"
        p.start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 1500))
        p.depth = rng.random()          # depth of response: 0 none .. 1 complete
        p.relapse = rng.random() < 0.3  # comes back later
        p.drug = rng.choice(DRUGS)
        p.end = p.start + timedelta(days=168) if p.drug not in CONTINUOUS else None
        p.birth_year = 1940 + rng.randrange(0, 30)
        p.lym, p.nodes, p.spleen = 40 + rng.random() * 60, 15 + rng.random() * 20, 2 + rng.random() * 6
        p.plt, p.hb, p.anc = 70 + rng.random() * 60, 9.5 + rng.random() * 3, 1.0 + rng.random() * 2
        yield p


def visits(p, n_visits):
    """(day, disease fraction f, marrow?) per visit: the baseline 3 days before the
    start of therapy (visit 0), then every 91 days; the marrow is examined at visit 3."""
    yield 0, p.start - timedelta(days=3), 1.0, False
    for v in range(1, n_visits + 1):
        d = p.start + timedelta(days=91 * v)
        f = max(0.0, 1.0 - p.depth * min(1.0, v / 3))
        if p.relapse and v > n_visits // 2:
            f = min(1.5, f + 0.25 * (v - n_visits // 2))
        yield v, d, f, v == 3


def blood(p, f):
    """The values of one visit as (concept, number text, unit); booleans as 'true'/'false'."""
    return [("lymphocytes", f"{p.lym * f + 1:.1f}", "x10^9/L"),
            ("node_spd", f"{p.nodes * f + 0.5:.1f}", "cm2"),
            ("node_longest_max", f"{1.0 + 3 * f:.1f}", "cm"),
            ("spleen_length", f"{11 + 6 * f:.1f}", "cm"),
            ("spleen_below_costal_margin", f"{p.spleen * f:.1f}", "cm"),
            ("platelets", f"{p.plt + (1 - f) * 80:.0f}", "x10^9/L"),
            ("hemoglobin", f"{p.hb + (1 - f) * 2.5:.1f}", "g/dL"),
            ("neutrophils", f"{p.anc + (1 - f):.1f}", "x10^9/L"),
            ("hepatomegaly", "false", None),
            ("b_symptoms", "true" if f > 0.6 else "false", None)]


def marrow(f):
    """The marrow / MRD results of the assessment visit: (concept, value text, unit).
    mrd_blood is censored ("<0.005") in deep responses."""
    return [("marrow_cll_infiltrate", f"{max(0, round(60 * f))}", "%"),
            ("marrow_nodules", "true" if f > 0.2 else "false", None),
            ("marrow_cellularity", "normocellular", None),
            ("mrd_blood", f"{'<0.005' if f < 0.05 else round(f * 10, 3)}", "%")]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    n_visits = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    out = sys.stdout
    out.write("patients:\n")
    for p in patients(n):
        out.write(f"  - patient: {p.pid}\n    birth_date: {p.birth_year}-06-01\n    timeline:\n")
        for v, d, f, with_marrow in visits(p, n_visits):
            vals = ", ".join(f"{c}: {x} {u}" if u else f"{c}: {x}" for c, x, u in blood(p, f))
            out.write(f"      - {{date: {d}, {vals}}}\n")
            if v == 0:
                out.write(f"      - {{date: {p.start}, treatment: {p.drug}" + (f", until: {p.end}" if p.end else "") + "}\n")
            if with_marrow:
                m = {c: (x, u) for c, x, u in marrow(f)}
                out.write(f"      - {{date: {d}, marrow_cll_infiltrate: {m['marrow_cll_infiltrate'][0]} %, "
                          f"marrow_nodules: {m['marrow_nodules'][0]}, marrow_cellularity: normocellular, "
                          f"mrd_blood: \"{m['mrd_blood'][0]} %\"}}\n")


if __name__ == "__main__":
    main()
