#!/usr/bin/env python3
"""Synthetic CLL cohort for benchmarks: N patients, each with a baseline, a course
of therapy and quarterly follow-up for several years, as one YAML file.

  tools/bench/gen_cohort.py 10000 > /tmp/cohort.yaml

Values follow a random response trajectory (deterministic seed), so every
criterion of the iwCLL packs is exercised, not just one branch."""
import random
import sys
from datetime import date, timedelta

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
visits = int(sys.argv[2]) if len(sys.argv) > 2 else 16
rng = random.Random(20261121)
out = sys.stdout
out.write("patients:\n")
for i in range(n):
    start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 1500))
    depth = rng.random()          # depth of response: 0 none .. 1 complete
    relapse = rng.random() < 0.3  # comes back later
    drug = rng.choice(["FCR", "BR", "ibrutinib", "chlorambucil", "venetoclax"])
    end = start + timedelta(days=168) if drug not in ("ibrutinib", "venetoclax") else None
    out.write(f"  - patient: s-{i:06d}\n    birth_date: {1940 + rng.randrange(0, 30)}-06-01\n    timeline:\n")
    lym, nodes, spleen, plt, hb, anc = 40 + rng.random() * 60, 15 + rng.random() * 20, 2 + rng.random() * 6, 70 + rng.random() * 60, 9.5 + rng.random() * 3, 1.0 + rng.random() * 2
    def visit(d, f):
        out.write(f"      - {{date: {d}, lymphocytes: {lym * f + 1:.1f} x10^9/L, node_spd: {nodes * f + 0.5:.1f} cm2, "
                  f"node_longest_max: {1.0 + 3 * f:.1f} cm, spleen_length: {11 + 6 * f:.1f} cm, "
                  f"spleen_below_costal_margin: {spleen * f:.1f} cm, platelets: {plt + (1 - f) * 80:.0f} x10^9/L, "
                  f"hemoglobin: {hb + (1 - f) * 2.5:.1f} g/dL, neutrophils: {anc + (1 - f):.1f} x10^9/L, "
                  f"hepatomegaly: false, b_symptoms: {'true' if f > 0.6 else 'false'}}}\n")
    visit(start - timedelta(days=3), 1.0)
    out.write(f"      - {{date: {start}, treatment: {drug}" + (f", until: {end}" if end else "") + "}\n")
    for v in range(1, visits + 1):
        d = start + timedelta(days=91 * v)
        f = max(0.0, 1.0 - depth * min(1.0, v / 3))
        if relapse and v > visits // 2:
            f = min(1.5, f + 0.25 * (v - visits // 2))
        visit(d, f)
        if v == 3:
            out.write(f"      - {{date: {d}, marrow_cll_infiltrate: {max(0, round(60 * f))} %, marrow_nodules: {'true' if f > 0.2 else 'false'}, "
                      f"marrow_cellularity: normocellular, mrd_blood: \"{'<0.005' if f < 0.05 else round(f * 10, 3)} %\"}}\n")
