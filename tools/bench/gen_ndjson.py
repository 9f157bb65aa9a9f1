#!/usr/bin/env python3
"""Synthetic CLL cohort as a FHIR R4 Bulk Data export (NDJSON), for end-to-end
benchmarks of `crit run` on large inputs.

  tools/bench/gen_ndjson.py 10000 /tmp/ndjson-10k          # 16 follow-up visits
  tools/bench/gen_ndjson.py 100000 /tmp/ndjson-100k 16
  build/crit run --rules rules/cll/iwcll-2018.crit /tmp/ndjson-10k > /dev/null

The patients are those of gen_cohort.py (same model, same seed): the YAML cohort
of `gen_cohort.py N V` and this export give the same `crit run` results. Codes and
units are those of /work/shared/design/data-contract.md and tools/yaml2fhir:

  Patient.ndjson                  id, gender, birthDate
  Condition.ndjson                CLL, SNOMED 92814006 (no onset: the YAML cohort has no
                                  diagnosis date, and the evaluation domain must not differ)
  Observation.ndjson              LOINC 731-0, 751-8, 777-3, 718-7, 32489-7 and the local
                                  findings codes; UCUM units; marrow results with bodySite
                                  SNOMED 14016003; censored MRD as valueQuantity.comparator "<"
  MedicationAdministration.ndjson RxNorm (FCR as fludarabine + cyclophosphamide + rituximab,
                                  rituximab of BR, ibrutinib in-progress without period.end)
  Procedure.ndjson                SNOMED 367336001 chemotherapy for drugs without an RxNorm
                                  code in the bindings (bendamustine, chlorambucil, venetoclax),
                                  reasonCode CLL

Like a real export, each file mixes patients: records are written visit by visit
across the whole cohort (every patient's baseline, then every patient's first
follow-up, ...), so crit has to group them. Per patient: 1 Patient, 1 Condition,
10 Observations per visit (17 visits by default) plus 4 at the marrow visit, and
1-3 therapy resources: about 178 resources, 85 KB.

Python 3 standard library only; lines are written from templates (no json.dumps)
to keep a 100k-patient export (17.8M resources, 8.5 GB) to about two minutes."""
import os
import pathlib
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cohort  # noqa: E402

LOINC = "http://loinc.org"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# concept -> (system, code, display, category, marrow?)
CODES = {
    "lymphocytes": (LOINC, "731-0", "Lymphocytes [#/volume] in Blood", "laboratory", False),
    "neutrophils": (LOINC, "751-8", "Neutrophils [#/volume] in Blood", "laboratory", False),
    "platelets": (LOINC, "777-3", "Platelets [#/volume] in Blood", "laboratory", False),
    "hemoglobin": (LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood", "laboratory", False),
    "spleen_below_costal_margin": (LOINC, "32489-7", "Spleen below costal margin (exam)", "exam", False),
    "node_spd": (LOCAL, "ln-spd", "Sum of products of node diameters", "imaging", False),
    "node_longest_max": (LOCAL, "ln-longest-diameter-max", "Longest diameter of the largest node", "imaging", False),
    "spleen_length": (LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length (CT)", "imaging", False),
    "hepatomegaly": (LOCAL, "hepatomegaly", "Hepatomegaly", "exam", False),
    "b_symptoms": (LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms", "exam", False),
    "marrow_cll_infiltrate": (LOCAL, "marrow-cll-infiltrate", "Marrow CLL infiltrate", "laboratory", True),
    "marrow_nodules": (LOCAL, "marrow-b-lymphoid-nodules", "Marrow B-lymphoid nodules", "laboratory", True),
    "marrow_cellularity": (LOCAL, "marrow-cellularity", "Marrow cellularity", "laboratory", True),
    "mrd_blood": (LOCAL, "mrd-flow-pb", "MRD by flow cytometry, peripheral blood", "laboratory", False),
}
UNITS = {"x10^9/L": "10*9/L", "cm2": "cm2", "cm": "cm", "g/dL": "g/dL", "%": "%"}
RXNORM_CODES = {"fludarabine": "24698", "cyclophosphamide": "3002", "rituximab": "121191", "ibrutinib": "1442981"}
# A regimen as (drugs with an RxNorm code, drugs given as a chemotherapy Procedure).
REGIMENS = {"FCR": (["fludarabine", "cyclophosphamide", "rituximab"], []),
            "BR": (["rituximab"], ["bendamustine"]),
            "ibrutinib": (["ibrutinib"], []),
            "chlorambucil": ([], ["chlorambucil"]),
            "venetoclax": ([], ["venetoclax"])}
CLL = f'{{"coding":[{{"system":"{SNOMED}","code":"92814006","display":"Chronic lymphocytic leukemia"}}]}}'
MARROW = f'{{"coding":[{{"system":"{SNOMED}","code":"14016003","display":"Bone marrow structure"}}]}}'


def observation(pid, rid, day, concept, value, unit):
    system, code, display, category, marrow = CODES[concept]
    head = (f'{{"resourceType":"Observation","id":"{rid}","status":"final",'
            f'"category":[{{"coding":[{{"system":"{CATEGORY}","code":"{category}"}}]}}],'
            f'"code":{{"coding":[{{"system":"{system}","code":"{code}","display":"{display}"}}]}},'
            f'"subject":{{"reference":"Patient/{pid}"}},"effectiveDateTime":"{day}",')
    if unit is None and value in ("true", "false"):
        body = f'"valueBoolean":{value}'
    elif unit is None:
        body = f'"valueCodeableConcept":{{"coding":[{{"system":"{LOCAL}","code":"{value}"}}],"text":"{value}"}}'
    else:
        cmp = ""
        if value.startswith("<"):
            cmp, value = '"comparator":"<",', value[1:]
        u = UNITS[unit]
        body = f'"valueQuantity":{{"value":{value},{cmp}"unit":"{u}","system":"{UCUM}","code":"{u}"}}'
    site = f',"bodySite":{MARROW}' if marrow else ""
    return head + body + site + "}\n"


def therapy(p):
    """(MedicationAdministration lines, Procedure lines) of the patient's course."""
    coded, chemo = REGIMENS[p.drug]
    status = "completed" if p.end else "in-progress"
    period = f'{{"start":"{p.start}","end":"{p.end}"}}' if p.end else f'{{"start":"{p.start}"}}'
    meds = [f'{{"resourceType":"MedicationAdministration","id":"{p.pid}-tx-{d}","status":"{status}",'
            f'"medicationCodeableConcept":{{"coding":[{{"system":"{RXNORM}","code":"{RXNORM_CODES[d]}",'
            f'"display":"{d}"}}],"text":"{d}"}},"subject":{{"reference":"Patient/{p.pid}"}},'
            f'"effectivePeriod":{period}}}\n' for d in coded]
    procs = [f'{{"resourceType":"Procedure","id":"{p.pid}-tx-chemo","status":"{status}",'
             f'"code":{{"coding":[{{"system":"{SNOMED}","code":"367336001","display":"Chemotherapy"}}],'
             f'"text":"chemotherapy"}},"subject":{{"reference":"Patient/{p.pid}"}},"performedPeriod":{period},'
             f'"reasonCode":[{CLL}],"note":[{{"text":"{", ".join(chemo)}"}}]}}\n'] if chemo else []
    return meds, procs


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: gen_ndjson.py N OUT_DIR [VISITS]")
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    n_visits = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    out.mkdir(parents=True, exist_ok=True)
    cohort = list(gen_cohort.patients(n))
    buf = 1 << 20
    with open(out / "Patient.ndjson", "w", buffering=buf) as f:
        for p in cohort:
            f.write(f'{{"resourceType":"Patient","id":"{p.pid}","gender":"{"female" if p.index % 2 else "male"}",'
                    f'"birthDate":"{p.birth_year}-06-01"}}\n')
    with open(out / "Condition.ndjson", "w", buffering=buf) as f:
        for p in cohort:
            f.write(f'{{"resourceType":"Condition","id":"{p.pid}-dx","verificationStatus":{{"coding":[{{"system":'
                    f'"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}}]}},'
                    f'"code":{CLL},"subject":{{"reference":"Patient/{p.pid}"}}}}\n')
    with open(out / "Observation.ndjson", "w", buffering=buf) as obs, \
            open(out / "MedicationAdministration.ndjson", "w", buffering=buf) as ma, \
            open(out / "Procedure.ndjson", "w", buffering=buf) as pr:
        streams = [gen_cohort.visits(p, n_visits) for p in cohort]
        for v in range(n_visits + 1):  # visit-major: patients mixed, as in an export
            for p, it in zip(cohort, streams):
                _, day, f, with_marrow = next(it)
                for concept, value, unit in gen_cohort.blood(p, f):
                    obs.write(observation(p.pid, f"{p.pid}-{v}-{concept}", day, concept, value, unit))
                if with_marrow:
                    for concept, value, unit in gen_cohort.marrow(f):
                        obs.write(observation(p.pid, f"{p.pid}-{v}-{concept}", day, concept, str(value), unit))
                if v == 0:
                    meds, procs = therapy(p)
                    ma.writelines(meds)
                    pr.writelines(procs)


if __name__ == "__main__":
    main()
