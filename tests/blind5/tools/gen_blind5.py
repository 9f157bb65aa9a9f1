#!/usr/bin/env python3
"""Generator for blind test batch 5 (minimal, sparse registry-style exports).

Deterministic, standard library only.  Writes, relative to tests/blind5/:

  cll/Patient.ndjson, cll/Condition.ndjson, cll/Observation.ndjson,
  cll/MedicationAdministration.ndjson, cll/Procedure.ndjson   (FHIR Bulk NDJSON)
  all/<patient-id>.json                                         (one Bundle each)
  expected/cll.yaml, expected/all.yaml                          (expectations)

Written blind: only /work/shared/design/criteria-reference.md,
/work/shared/design/data-contract.md and /work/shared/seeds/*.txt were read.

Usage:  python3 tests/blind5/tools/gen_blind5.py [--check]
  --check  regenerate into memory and fail if the files on disk differ.
"""
import calendar
import datetime as dt
import json
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOINC = "http://loinc.org"
SCT = "http://snomed.info/sct"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
COND_CLIN = "http://terminology.hl7.org/CodeSystem/condition-clinical"
COND_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
NS = uuid.UUID("6f1c9a52-3b1e-5c55-9d0e-b11d5b5e0005")
SEARCH_BASE = "https://registry.example.org/fhir"

# concept -> (system, code, display, category, marrow bodySite?)
CONCEPTS = {
    "wbc": (LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "laboratory", False),
    "alc": (LOINC, "731-0", "Lymphocytes [#/volume] in Blood by Automated count", "laboratory", False),
    "anc": (LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count", "laboratory", False),
    "plt": (LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count", "laboratory", False),
    "hgb": (LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood", "laboratory", False),
    "pb_blasts": (LOINC, "26446-5", "Blasts/100 leukocytes in Blood", "laboratory", False),
    "bm_blasts": (LOINC, "11150-0", "Blasts/100 cells in Bone marrow", "laboratory", True),
    "csf_wbc": (LOINC, "806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count", "laboratory", False),
    "csf_blasts": (LOINC, "35068-6", "Blasts [#/volume] in Cerebral spinal fluid", "laboratory", False),
    "spleen_exam": (LOINC, "32489-7", "Spleen tip distance below costal margin", "exam", False),
    "mrd_loinc_bm": (LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry", "laboratory", True),
    "mrd_pb": (LOCAL, "mrd-flow-pb", "MRD by flow cytometry, peripheral blood", "laboratory", False),
    "mrd_bm": (LOCAL, "mrd-flow-bm", "MRD by flow cytometry, bone marrow", "laboratory", True),
    "spd": (LOCAL, "ln-spd", "Sum of products of diameters of index lymph nodes", "imaging", False),
    "ld": (LOCAL, "ln-longest-diameter-max", "Longest diameter of the largest lymph node", "imaging", False),
    "spleen_ct": (LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length (CT)", "imaging", False),
    "hepatomegaly": (LOCAL, "hepatomegaly", "Hepatomegaly", "exam", False),
    "bsym": (LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms", "exam", False),
    "bm_cll": (LOCAL, "marrow-cll-infiltrate", "Marrow CLL infiltrate", "laboratory", True),
    "bm_nodules": (LOCAL, "marrow-b-lymphoid-nodules", "Marrow B-lymphoid nodules", "laboratory", True),
    "bm_cell": (LOCAL, "marrow-cellularity", "Marrow cellularity", "laboratory", True),
    "emd": (LOCAL, "extramedullary-disease", "Extramedullary disease (outside marrow and CNS)", "exam", False),
    "bcr_abl1": (LOCAL, "bcr-abl1-detected", "BCR::ABL1 (Philadelphia) detected", "laboratory", False),
}
CELLULARITY = {"normocellular": "Normocellular", "hypocellular": "Hypocellular",
               "hypercellular": "Hypercellular"}
DRUGS = {
    "ibrutinib": ("1442981", "ibrutinib"),
    "rituximab": ("121191", "rituximab"),
    "fludarabine": ("24698", "fludarabine"),
    "cyclophosphamide": ("3002", "cyclophosphamide"),
    "blinatumomab": ("1597258", "blinatumomab"),
}
DIAG = {
    "CLL": [(SCT, "92814006", "Chronic lymphocytic leukemia"), (ICD10, "C91.1", "Chronic lymphocytic leukaemia of B-cell type")],
    "ALL": [(SCT, "91857003", "Acute lymphoblastic leukemia"), (ICD10, "C91.0", "Acute lymphoblastic leukaemia")],
}


def D(s):
    return dt.date.fromisoformat(s)


def plus(d, n):
    return d + dt.timedelta(days=n)


def add_months(d, n):
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def iso(d):
    return d.isoformat()


class Pt:
    """One synthetic patient: resources in insertion order (deterministic)."""

    def __init__(self, pid, disease, birth, gender, dx, times=False, offset="+01:00"):
        self.pid, self.disease = pid, disease
        self.birth, self.gender, self.dx = birth, gender, dx
        self.times, self.offset = times, offset
        self.obs, self.meds, self.procs = [], [], []
        self._n = 0

    def _id(self, kind):
        self._n += 1
        return "%s-%s-%03d" % (self.pid, kind, self._n)

    def o(self, date, concept, value, unit=None, comparator=None):
        self.obs.append((self._id("obs"), date, concept, value, unit, comparator))

    def med(self, drug, start, end=None, status="completed"):
        self.meds.append((self._id("med"), drug, start, end, status))

    def proc(self, start, end, text=None):
        self.procs.append((self._id("proc"), start, end, text))

    # ---- convenience panels -------------------------------------------
    def cll_cbc(self, d, alc, anc, hgb, plt, wbc=None, units=None):
        u = units or {}
        if wbc is None:
            wbc = round(alc + anc + 0.6, 1) if u.get("alc", "10*9/L") == "10*9/L" else None
        if wbc is not None:
            self.o(d, "wbc", wbc, "10*9/L")
        self.o(d, "alc", alc, u.get("alc", "10*9/L"))
        self.o(d, "anc", anc, u.get("anc", "10*9/L"))
        self.o(d, "hgb", hgb, u.get("hgb", "g/dL"))
        self.o(d, "plt", plt, u.get("plt", "10*9/L"))

    def cll_ct(self, d, spd, ld, spleen=None):
        if spd is not None:   # SPD is only reported when measurable (>= 1.5 cm) nodes exist
            self.o(d, "spd", spd, "cm2")
        self.o(d, "ld", ld, "cm")
        if spleen is not None:
            self.o(d, "spleen_ct", spleen, "cm")

    def cll_exam(self, d, hep, bsym):
        if hep is not None:
            self.o(d, "hepatomegaly", hep)
        if bsym is not None:
            self.o(d, "bsym", bsym)

    def cll_marrow(self, d, infiltrate, nodules, cellularity):
        self.o(d, "bm_cll", infiltrate, "%")
        self.o(d, "bm_nodules", nodules)
        self.o(d, "bm_cell", cellularity)

    def all_cbc(self, d, wbc, anc, hgb, plt, blasts, plt_unit="10*9/L"):
        self.o(d, "wbc", wbc, "10*9/L")
        self.o(d, "anc", anc, "10*9/L")
        self.o(d, "hgb", hgb, "g/dL")
        self.o(d, "plt", plt, plt_unit)
        self.o(d, "pb_blasts", blasts, "%")

    def csf(self, d, wbc, blasts):
        self.o(d, "csf_wbc", wbc, "/uL")
        self.o(d, "csf_blasts", blasts, "/uL")

    # ---- FHIR ------------------------------------------------------------
    def when(self, d, k):
        if not self.times:
            return iso(d)
        hh = 8 + (k * 3) % 8
        mm = (k * 17) % 60
        return "%sT%02d:%02d:00%s" % (iso(d), hh, mm, self.offset)

    def last_date(self):
        ds = [self.dx] + [x[1] for x in self.obs]
        for m in self.meds:
            ds.append(m[2])
            if m[3]:
                ds.append(m[3])
        for p in self.procs:
            ds += [p[1], p[2]]
        return max(ds)

    def resources(self, ref):
        out = [{"resourceType": "Patient", "id": self.pid, "gender": self.gender,
                "birthDate": self.birth}]
        out.append({
            "resourceType": "Condition", "id": self.pid + "-dx",
            "clinicalStatus": {"coding": [{"system": COND_CLIN, "code": "active"}]},
            "verificationStatus": {"coding": [{"system": COND_VER, "code": "confirmed"}]},
            "code": {"coding": [{"system": s, "code": c, "display": t} for s, c, t in DIAG[self.disease]]},
            "subject": {"reference": ref},
            "onsetDateTime": iso(self.dx)})
        for k, (rid, start, end, text) in enumerate(self.procs):
            code = {"coding": [{"system": SCT, "code": "367336001", "display": "Chemotherapy"}]}
            if text:
                code["text"] = text
            out.append({"resourceType": "Procedure", "id": rid, "status": "completed",
                        "code": code, "subject": {"reference": ref},
                        "performedPeriod": {"start": iso(start), "end": iso(end)}})
        for rid, drug, start, end, status in self.meds:
            rx, name = DRUGS[drug]
            per = {"start": iso(start)}
            if end is not None:
                per["end"] = iso(end)
            out.append({"resourceType": "MedicationAdministration", "id": rid, "status": status,
                        "medicationCodeableConcept": {"coding": [{"system": RXN, "code": rx, "display": name}],
                                                      "text": name},
                        "subject": {"reference": ref}, "effectivePeriod": per})
        for k, (rid, d, concept, value, unit, comp) in enumerate(self.obs):
            system, code, display, cat, marrow = CONCEPTS[concept]
            r = {"resourceType": "Observation", "id": rid, "status": "final",
                 "category": [{"coding": [{"system": OBSCAT, "code": cat}]}],
                 "code": {"coding": [{"system": system, "code": code, "display": display}], "text": display},
                 "subject": {"reference": ref},
                 "effectiveDateTime": self.when(d, k)}
            if isinstance(value, bool):
                r["valueBoolean"] = value
            elif isinstance(value, str):
                r["valueCodeableConcept"] = {"coding": [{"system": LOCAL, "code": value,
                                                         "display": CELLULARITY[value]}],
                                             "text": CELLULARITY[value]}
            else:
                q = {"value": value}
                if comp:
                    q["comparator"] = comp
                q.update({"unit": unit, "system": UCUM, "code": unit})
                r["valueQuantity"] = q
            if marrow:
                r["bodySite"] = {"coding": [{"system": SCT, "code": "14016003",
                                             "display": "Bone marrow structure"}]}
            out.append(r)
        return out


def check_restage(last, restage, days, label):
    """Restaging is last dose + `days`; it must also fall on or after the
    calendar date two months after the last dose (see README, timing)."""
    assert (restage - last).days == days, (label, last, restage)
    assert restage >= add_months(last, 2), (label, "before 2 calendar months", last, restage)
    if days >= 61:
        assert (restage - last).days >= 60.88, label


def fcr_cycles(p, start, n=6, per_cycle=True):
    """FCR: R day 1, F and C days 1-3, every 28 days. Returns the last dose date."""
    if per_cycle:
        for c in range(n):
            s = plus(start, 28 * c)
            p.med("rituximab", s, s)
            p.med("fludarabine", s, plus(s, 2))
            p.med("cyclophosphamide", s, plus(s, 2))
    else:
        end = plus(start, 28 * (n - 1) + 2)
        p.med("rituximab", start, plus(start, 28 * (n - 1)))
        p.med("fludarabine", start, end)
        p.med("cyclophosphamide", start, end)
    return plus(start, 28 * (n - 1) + 2)


def br_course(p, start, n=6):
    """Bendamustine days 1-2 (Procedure for the course; no RxNorm code in the
    contract list) + rituximab day 1 of each 28-day cycle."""
    end = plus(start, 28 * (n - 1) + 1)
    p.proc(start, end, "Bendamustine (BR regimen)")
    for c in range(n):
        s = plus(start, 28 * c)
        p.med("rituximab", s, s)
    return end


def clb_course(p, start, n=6, with_r=False, text="Chlorambucil"):
    """Chlorambucil days 1-7 of 28-day cycles, one Procedure for the course."""
    end = plus(start, 28 * (n - 1) + 6)
    p.proc(start, end, text)
    if with_r:
        for c in range(n):
            s = plus(start, 28 * c)
            p.med("rituximab", s, s)
    return end


CLL, ALLP = [], []   # (Pt, expectation dict)


def case(lst, p, expect, why, ambiguity=None):
    e = {"patient": p.pid, "expect": expect, "why": why}
    if ambiguity:
        e["ambiguity"] = ambiguity
    lst.append((p, e))


# =========================================================================
# CLL  (iwCLL 2018).  Baseline = a few days before therapy start.
# =========================================================================

def cll_cases():
    # ---- C01 CR, FCR per cycle, MRD blood <0.01 % (censored at threshold)
    p = Pt("b5-cll-01", "CLL", "1956-04-12", "male", D("2020-09-14"))
    st = D("2021-11-15"); b = plus(st, -9)
    p.cll_cbc(b, 62.0, 3.1, 10.4, 92)
    p.cll_ct(b, 38.5, 4.2, 16.5)
    p.cll_exam(b, False, True)
    last = fcr_cycles(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C01")
    p.cll_cbc(r, 1.2, 2.6, 12.6, 168)
    p.cll_ct(r, 2.4, 1.1, 11.8)
    p.cll_exam(r, False, False)
    p.cll_marrow(r, 0, False, "normocellular")
    p.o(r, "mrd_pb", 0.01, "%", "<")
    f = plus(r, 21)
    p.cll_cbc(f, 1.3, 2.9, 12.9, 175)
    case(CLL, p, {"best_response": "CR", "status": None, "mrd_status": "negative",
                  "lymphocytosis": False},
         "FCR x6 (per-cycle administrations), last dose %s; restaging %s (+61 d): ALC 1.2, "
         "largest node 1.1 cm, spleen 11.8 cm, no hepatomegaly, no B symptoms, ANC 2.6, Hb 12.6, "
         "plt 168, marrow normocellular with 0%% CLL cells and no nodules -> CR. MRD blood '<0.01 %%' "
         "shows <10^-4 (censored X=T satisfies <T). No BTK/PI3K inhibitor -> no lymphocytosis. "
         "Follow-up CBC %s still normal." % (last, r, f))

    # ---- C02 CR at exactly +60 days after the last dose (BR)
    p = Pt("b5-cll-02", "CLL", "1949-12-02", "female", D("2021-03-30"))
    last_target = D("2023-01-02")
    st = plus(last_target, -(28 * 5 + 1)); b = plus(st, -6)
    p.cll_cbc(b, 45.0, 2.2, 10.8, 120)
    p.cll_ct(b, 22.0, 3.1, 14.2)
    p.cll_exam(b, False, False)
    last = br_course(p, st)
    assert last == last_target
    r = plus(last, 60); check_restage(last, r, 60, "C02")
    p.cll_cbc(r, 0.9, 1.9, 12.1, 151)
    p.cll_ct(r, 1.8, 1.0, 12.1)
    p.cll_exam(r, False, False)
    p.cll_marrow(r, 0, False, "normocellular")
    case(CLL, p, {"best_response": "CR", "status": None, "mrd_status": "not-assessed"},
         "BR x6 (bendamustine as Procedure %s..%s, rituximab day 1 of each cycle); restaging exactly "
         "60 days after the last dose (%s -> %s), which is also >= 2 calendar months (Jan 2 -> Mar 2). "
         "All CR criteria met, marrow clean and normocellular. Data end at the restaging. No MRD test."
         % (st, last, last, r),
         "§6.1/§6.2: 60 days is >= 2 calendar months here but < 2 x 30.44 d = 60.88 d. Reading: the "
         "restaging 'about 2 months after the last dose' is the response assessment (brief: +60 days "
         "counts); a fixed-day 60.88 reading would call this assessment early.")

    # ---- C03 CR at the 2018 boundaries, SI/alternate units, MRD 0.004 % (LOINC only)
    p = Pt("b5-cll-03", "CLL", "1958-07-21", "male", D("2021-01-11"))
    st = D("2022-01-10"); b = plus(st, -12)
    U = {"alc": "/uL", "anc": "/uL", "hgb": "g/L", "plt": "10*3/uL"}
    p.cll_cbc(b, 38000, 1200, 95, 88, wbc=None, units=U)
    p.cll_ct(b, 30.0, 3.5, 13.8)
    p.cll_exam(b, True, False)
    last = fcr_cycles(p, st, per_cycle=False)
    r = plus(last, 62); check_restage(last, r, 62, "C03")
    p.cll_cbc(r, 2400, 1500, 110, 100, units=U)
    p.cll_ct(r, 2.0, 1.4, 12.9)
    p.cll_exam(r, False, False)
    p.cll_marrow(r, 0, False, "normocellular")
    p.o(r, "mrd_loinc_bm", 0.004, "%")
    f = plus(r, 14)
    p.cll_cbc(f, 2200, 1700, 113, 112, units=U)
    case(CLL, p, {"best_response": "CR", "status": None, "mrd_status": "negative"},
         "FCR as one administration per drug spanning the course (last dose %s); restaging %s (+62 d) "
         "with ALC 2400/uL, ANC 1500/uL (=1.5 x10^9/L), Hb 110 g/L (=11.0 g/dL), plt 100 x10^3/uL, "
         "largest node 1.4 cm, spleen 12.9 cm, hepatomegaly resolved, marrow clean -> CR because 2018 "
         "uses >= for ANC/plt/Hb. MRD (LOINC 67128-9, marrow) quantified at 0.004 %% = 4x10^-5 < 10^-4 "
         "-> negative (uMRD4)." % (last, r),
         "§6.13: 2018 '>=' vs 2008 '>' at exactly Hb 11.0 / plt 100 / ANC 1.5 (units /uL, g/L, "
         "10*3/uL must be normalised). §6.16: quantified MRD between 10^-5 and 10^-4 is negative under "
         "the iwCLL <10^-4 definition (ELN 'not detectable' would differ).")

    # ---- C04 CR with hepatomegaly/B symptoms never recorded; MRD <0.1 % -> indeterminate
    p = Pt("b5-cll-04", "CLL", "1961-02-27", "female", D("2021-06-02"))
    st = D("2022-09-12"); b = plus(st, -7)
    p.cll_cbc(b, 54.0, 2.8, 11.9, 140)
    p.cll_ct(b, 26.0, 3.0, 12.2)
    last = fcr_cycles(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C04")
    p.cll_cbc(r, 1.4, 2.1, 12.8, 182)
    p.cll_ct(r, 1.9, 1.2, 11.5)
    p.cll_marrow(r, 0, False, "normocellular")
    p.o(r, "mrd_pb", 0.1, "%", "<")
    f = plus(r, 28)
    p.cll_cbc(f, 1.5, 2.3, 13.0, 190)
    case(CLL, p, {"best_response": "CR", "status": None, "mrd_status": "indeterminate"},
         "FCR x6, restaging %s (+61 d): ALC 1.4, node 1.2 cm, spleen 11.5 cm, counts normal, marrow "
         "clean. The export carries no hepatomegaly or constitutional-symptoms Observation at any time "
         "(the registry records them only when present). MRD blood '<0.1 %%' cannot show <0.01 %% -> "
         "indeterminate." % r,
         "§6.21: absence of a recorded hepatomegaly / B-symptom finding read as 'none' (recorded-only-"
         "when-present); under an 'absent = unknown' reading CR would be undecidable (cr_status "
         "not-evaluable). §6.15: '<0.1 %' does not satisfy <0.01 %.")

    # ---- C05 CRi: clean hypocellular marrow, persistent thrombocytopenia
    p = Pt("b5-cll-05", "CLL", "1953-10-09", "male", D("2020-11-20"))
    st = D("2022-01-10"); b = plus(st, -8)
    p.cll_cbc(b, 80.0, 1.9, 10.1, 110)
    p.cll_ct(b, 35.0, 4.0, 15.0)
    p.cll_exam(b, False, True)
    last = fcr_cycles(p, st)
    r = plus(last, 62); check_restage(last, r, 62, "C05")
    p.cll_cbc(r, 0.8, 1.8, 11.6, 68)
    p.cll_ct(r, 1.7, 1.0, 12.0)
    p.cll_exam(r, False, False)
    p.cll_marrow(r, 0, False, "hypocellular")
    p.o(r, "mrd_pb", 0.01, "%", "<")
    case(CLL, p, {"best_response": "CRi", "status": None, "mrd_status": "negative"},
         "FCR x6, restaging %s (+62 d): all CR criteria met (ALC 0.8, node 1.0 cm, spleen 12.0 cm, "
         "no B symptoms, ANC 1.8, Hb 11.6, marrow 0%% CLL cells, no nodules) except platelets 68 "
         "x10^9/L, with a HYPOCELLULAR marrow -> CRi (cytopenia from treatment toxicity). Platelet fall "
         "110 -> 68 (-38%%) is < 50%% and < 3 months after therapy: not PD. Data end at restaging."
         % r,
         "§6.11: attribution to drug toxicity is taken from the hypocellular, CLL-free marrow (2008: "
         "'hypocellular marrow defines CRi'); no clinician attribution field exists in the contract.")

    # ---- C06 CR by blood/exam/CT but no marrow -> PR + cr_status not-evaluable
    p = Pt("b5-cll-06", "CLL", "1950-05-30", "female", D("2021-08-17"))
    st = D("2022-11-14"); b = plus(st, -10)
    p.cll_cbc(b, 33.0, 2.5, 10.6, 95)
    p.cll_ct(b, 28.0, 3.4, 14.5)
    p.cll_exam(b, False, False)
    last = fcr_cycles(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C06")
    p.cll_cbc(r, 1.1, 2.4, 12.9, 171)
    p.cll_ct(r, 2.0, 1.1, 11.9)
    p.cll_exam(r, False, False)
    f = plus(r, 20)
    p.cll_cbc(f, 1.2, 2.5, 13.1, 176)
    case(CLL, p, {"best_response": "PR", "cr_status": "not-evaluable", "status": None,
                  "mrd_status": "not-assessed"},
         "FCR x6, restaging %s (+61 d): every non-marrow CR criterion met (ALC 1.1, node 1.1 cm, spleen "
         "11.9 cm, no hepatomegaly, no B symptoms, ANC 2.4, Hb 12.9, plt 171) but NO marrow examined. "
         "Table 4 puts marrow 'not done' in the PR column; PR rule met (ALC and nodes improved >=50%%, "
         "Hb and plt recovered). CR cannot be assessed -> cr_status not-evaluable." % r,
         "§6.9: marrow not done -> PR, with cr_status not-evaluable (no 'clinical CR').")

    # ---- C07 largest node exactly 1.5 cm -> not CR (2018 'no node >= 1.5'), PR
    p = Pt("b5-cll-07", "CLL", "1955-01-18", "male", D("2021-12-01"))
    st = D("2022-10-03"); b = plus(st, -5)
    p.cll_cbc(b, 41.0, 2.9, 10.2, 130)
    p.cll_ct(b, 31.0, 3.8, 12.4)
    p.cll_exam(b, False, False)
    last = br_course(p, st)
    r = plus(last, 62); check_restage(last, r, 62, "C07")
    p.cll_cbc(r, 1.3, 2.2, 12.4, 160)
    p.cll_ct(r, 4.1, 1.5, 11.8)
    p.cll_exam(r, False, False)
    p.cll_marrow(r, 0, False, "normocellular")
    case(CLL, p, {"best_response": "PR", "status": None},
         "BR x6, restaging %s (+62 d): largest node exactly 1.5 cm, which fails the 2018 CR criterion "
         "'no node >= 1.5 cm'; everything else is CR-level (marrow clean). PR: abnormal group A = ALC "
         "(41 -> 1.3) and nodes (SPD 31 -> 4.1, -87%%), both improved; abnormal group B = Hb (10.2 -> "
         "12.4) improved." % r,
         "§6.13: 2008 wording 'none > 1.5 cm' would give CR; the 2018 pack must not.")

    # ---- C08 PR, 3 abnormal in A (2 improve) + 2 abnormal in B (1 improves); MRD positive
    p = Pt("b5-cll-08", "CLL", "1952-08-08", "male", D("2020-04-22"))
    st = D("2021-04-12"); b = plus(st, -11)
    p.cll_cbc(b, 95.0, 3.0, 9.2, 90)
    p.cll_ct(b, 52.0, 5.1, 19.0)
    p.cll_exam(b, False, True)
    last = fcr_cycles(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C08")
    p.cll_cbc(r, 8.5, 2.0, 11.4, 97)
    p.cll_ct(r, 20.0, 2.6, 15.5)
    p.cll_exam(r, False, False)
    p.o(r, "mrd_pb", 0.8, "%")
    f = plus(r, 25)
    p.cll_cbc(f, 8.1, 2.2, 11.6, 99)
    case(CLL, p, {"best_response": "PR", "status": None, "mrd_status": "positive"},
         "FCR x6, restaging %s (+61 d). Abnormal at baseline: group A ALC 95, SPD 52 cm2, spleen 19 cm; "
         "group B Hb 9.2, plt 90. At restaging ALC -91%% and SPD -62%% (2 group-A improvements; spleen "
         "only -18%%, still 15.5 cm), Hb 11.4 (>= 11, group B improved; plt 97 not). -> PR. Not CR "
         "(ALC 8.5, spleen, plt). MRD blood 0.8 %% -> positive." % r)

    # ---- C09 PR via 'only one abnormal parameter per group' (ALC; Hb by +50 %)
    p = Pt("b5-cll-09", "CLL", "1947-03-03", "female", D("2021-02-08"))
    st = D("2022-05-09"); b = plus(st, -7)
    p.cll_cbc(b, 40.0, 2.4, 7.2, 175)
    p.cll_ct(b, None, 1.2, 11.5)
    p.cll_exam(b, False, False)
    last = br_course(p, st)
    r = plus(last, 62); check_restage(last, r, 62, "C09")
    p.cll_cbc(r, 6.0, 2.0, 10.9, 160)
    p.cll_ct(r, None, 1.1, 11.0)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PR", "status": None},
         "BR x6, restaging %s (+62 d). Only one abnormal parameter per group at baseline: group A ALC "
         "40 (nodes 1.2 cm, spleen 11.5 cm, no hepatomegaly, no B symptoms); group B Hb 7.2 (plt 175, "
         "ANC 2.4 normal). ALC -85%% (6.0, still >= 4) and Hb +51%% (10.9, >= 1.5 x 7.2 = 10.8) -> "
         "one improvement in each group suffices -> PR. Not CR (ALC 6.0, Hb < 11)." % r,
         "§6.6: 'abnormal' at baseline read with ALC >= 4, nodes >= 1.5 cm, spleen >= 13 cm, Hb < 11, "
         "plt < 100, ANC < 1.5.")

    # ---- C10 PR: A = ALC + nodes; B = platelets only, +58 % but still < 100
    p = Pt("b5-cll-10", "CLL", "1944-11-14", "male", D("2021-05-05"))
    st = D("2022-03-07"); b = plus(st, -9)
    p.cll_cbc(b, 28.0, 2.1, 12.5, 60)
    p.cll_ct(b, 24.0, 3.0, 12.0)
    p.cll_exam(b, False, False)
    last = clb_course(p, st, with_r=True, text="Chlorambucil (with rituximab)")
    r = plus(last, 61); check_restage(last, r, 61, "C10")
    p.cll_cbc(r, 7.0, 1.9, 12.2, 95)
    p.cll_ct(r, 9.6, 2.0, 11.6)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PR", "status": None},
         "Chlorambucil (Procedure, days 1-7 x6) + rituximab; restaging %s (+61 d after the last "
         "chlorambucil day). Abnormal group A: ALC 28 -> 7.0 (-75%%), SPD 24 -> 9.6 (-60%%); abnormal "
         "group B: platelets only, 60 -> 95 (+58%% >= 50%%, though < 100) -> PR." % r)

    # ---- C11 PR with no group-B parameter abnormal at baseline
    p = Pt("b5-cll-11", "CLL", "1959-09-25", "female", D("2022-01-19"))
    st = D("2022-08-08"); b = plus(st, -6)
    p.cll_cbc(b, 22.0, 3.5, 13.4, 215)
    p.cll_ct(b, 18.0, 2.6, 11.0)
    p.cll_exam(b, False, False)
    last = br_course(p, st)
    r = plus(last, 62); check_restage(last, r, 62, "C11")
    p.cll_cbc(r, 5.1, 2.6, 12.9, 190)
    p.cll_ct(r, 6.0, 1.8, 10.8)
    p.cll_exam(r, False, False)
    f = plus(r, 16)
    p.cll_cbc(f, 4.9, 2.8, 13.0, 198)
    case(CLL, p, {"best_response": "PR", "status": None},
         "BR x6, restaging %s (+62 d). Abnormal group A: ALC 22 -> 5.1 (-77%%) and nodes SPD 18 -> 6.0 "
         "(-67%%, largest 1.8 cm). No group-B parameter abnormal before therapy; at restaging Hb 12.9 "
         "and plt 190 satisfy the PR cells (>= 11, >= 100). -> PR. Hb fall 0.5 g/dL is not PD." % r,
         "§6.4/§6.6 + Table 4 footnote: with no abnormal group-B parameter the group-B requirement is "
         "read as satisfied by the PR-column values (plt >= 100, Hb >= 11), not as unmeetable.")

    # ---- C12 SD: 3 abnormal in A, only ALC improves -> SD, refractory
    p = Pt("b5-cll-12", "CLL", "1948-06-06", "male", D("2020-10-10"))
    st = D("2021-09-06"); b = plus(st, -8)
    p.cll_cbc(b, 50.0, 2.5, 10.0, 140)
    p.cll_ct(b, 40.0, 4.5, 17.0)
    p.cll_exam(b, False, False)
    last = clb_course(p, st, text="Chlorambucil")
    r = plus(last, 61); check_restage(last, r, 61, "C12")
    p.cll_cbc(r, 18.0, 2.3, 11.2, 150)
    p.cll_ct(r, 30.0, 4.0, 16.0)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "SD", "status": "refractory", "progression_date": None},
         "Chlorambucil x6, restaging %s (+61 d): abnormal group A ALC 50 -> 18 (-64%%), SPD 40 -> 30 "
         "(-25%%), spleen 17 -> 16 (-6%%): only ONE group-A improvement among three abnormal -> not PR; "
         "no PD criterion -> SD. Documented non-response at the first restaging after therapy -> "
         "refractory (treatment failure). Data end at restaging." % r,
         "§6.23: residual SD (not CR/PR/PD); read literally the SD column fails because ALC fell 64%. "
         "Refractory from a single non-response assessment (brief: documented non-response).")

    # ---- C13 SD: modest changes everywhere -> SD, refractory
    p = Pt("b5-cll-13", "CLL", "1951-12-12", "female", D("2021-07-07"))
    st = D("2022-06-06"); b = plus(st, -13)
    p.cll_cbc(b, 35.0, 2.0, 10.5, 105)
    p.cll_ct(b, 30.0, 3.8, 14.0)
    p.cll_exam(b, False, False)
    last = fcr_cycles(p, st, n=4)
    r = plus(last, 62); check_restage(last, r, 62, "C13")
    p.cll_cbc(r, 25.0, 2.1, 10.8, 110)
    p.cll_ct(r, 24.0, 3.5, 13.8)
    p.cll_exam(r, False, False)
    f = plus(r, 19)
    p.cll_cbc(f, 26.0, 2.0, 10.7, 108)
    case(CLL, p, {"best_response": "SD", "status": "refractory", "progression_date": None},
         "FCR stopped after 4 cycles (last dose %s); restaging %s (+62 d): ALC -29%%, SPD -20%%, spleen "
         "14.0 -> 13.8, Hb 10.5 -> 10.8, plt 105 -> 110: every change within -49..+49%%, no PD -> SD; "
         "non-response -> refractory." % (last, r))

    # ---- C14 PD at restaging (nodes +70 %)
    p = Pt("b5-cll-14", "CLL", "1957-04-04", "male", D("2021-10-28"))
    st = D("2022-04-04"); b = plus(st, -7)
    p.cll_cbc(b, 20.0, 2.6, 11.5, 150)
    p.cll_ct(b, 20.0, 3.0, 12.5)
    p.cll_exam(b, False, False)
    last = br_course(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C14")
    p.cll_cbc(r, 22.0, 2.4, 11.2, 140)
    p.cll_ct(r, 34.0, 4.6, 12.6)
    p.cll_exam(r, False, True)
    case(CLL, p, {"best_response": "PD", "status": "refractory", "progression_date": iso(r)},
         "BR x6 (last dose %s); restaging %s (+61 d): SPD 20 -> 34 cm2 (+70%%) and largest node 3.0 -> "
         "4.6 cm (+53%%) -> PD on that date (B symptoms alone would not define PD). PD within 6 months "
         "of the last therapy, no prior response -> refractory." % (last, r))

    # ---- C15 PD by isolated ALC rise after chemotherapy (not a BTKi)
    p = Pt("b5-cll-15", "CLL", "1946-02-16", "female", D("2021-01-25"))
    st = D("2021-10-04"); b = plus(st, -5)
    p.cll_cbc(b, 16.0, 2.8, 12.0, 160)
    p.cll_ct(b, 12.0, 2.4, 12.0)
    p.cll_exam(b, False, False)
    last = clb_course(p, st, text="Chlorambucil")
    r = plus(last, 62); check_restage(last, r, 62, "C15")
    p.cll_cbc(r, 30.0, 2.6, 11.8, 150)
    p.cll_ct(r, 12.5, 2.4, 12.1)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PD", "status": "refractory", "progression_date": iso(r),
                  "lymphocytosis": False},
         "Chlorambucil x6 (no BTK/PI3K inhibitor); restaging %s (+62 d): ALC 16 -> 30 (+87.5%%, to "
         ">= 5 x10^9/L) while nodes (+4%%) and spleen are not shrinking and Hb/plt are not improving, "
         "so NCCN footnote b does not exempt it -> PD by lymphocyte count; refractory." % r,
         "§6.5: the >= 5000 B-cells/uL condition is read from the ALC (no B-cell count in the "
         "contract; ALC 30 x10^9/L in a CLL patient). §6.10: lymphocytosis exception applies only to "
         "BTK/PI3K inhibitors.")

    # ---- C16 PR-L on ibrutinib, continuous (in-progress), restaging 2 months after START
    p = Pt("b5-cll-16", "CLL", "1954-08-19", "male", D("2022-02-14"), times=True, offset="+01:00")
    st = D("2023-03-06"); b = plus(st, -8)
    p.cll_cbc(b, 30.0, 2.9, 10.2, 150)
    p.cll_ct(b, 36.0, 4.0, 12.0)
    p.cll_exam(b, False, False)
    p.med("ibrutinib", st, None, "in-progress")
    r = plus(st, 61)
    p.cll_cbc(r, 52.0, 3.0, 11.4, 160)
    p.cll_ct(r, 14.0, 2.0, 11.5)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PR-L", "status": None, "progression_date": None,
                  "lymphocytosis": True},
         "Ibrutinib started %s, MedicationAdministration in-progress with no end (continuous). "
         "Restaging %s (start + 61 d): abnormal group A = ALC and nodes, group B = Hb. SPD 36 -> 14 "
         "(-61%%), Hb 10.2 -> 11.4, but ALC 30 -> 52 (+73%%): PR met except for the lymphocyte count "
         "on a BTK inhibitor -> PR with lymphocytosis; the ALC rise is not PD." % (st, r),
         "§6.2 (continuous therapy: assessed ~2 months after start, no last dose) and §6.10 (PR-L as a "
         "category, BTKi exception).")

    # ---- C17 PR on ibrutinib with falling ALC
    p = Pt("b5-cll-17", "CLL", "1960-01-07", "female", D("2021-09-09"), times=True, offset="-05:00")
    st = D("2023-05-15"); b = plus(st, -10)
    p.cll_cbc(b, 30.0, 2.5, 10.5, 85)
    p.cll_ct(b, 30.0, 3.6, 15.5)
    p.cll_exam(b, False, False)
    p.med("ibrutinib", st, None, "in-progress")
    r = plus(st, 62)
    p.cll_cbc(r, 12.0, 2.4, 11.6, 120)
    p.cll_ct(r, 12.0, 2.2, 13.9)
    p.cll_exam(r, False, False)
    f = plus(r, 21)
    p.cll_cbc(f, 10.0, 2.6, 11.8, 125)
    case(CLL, p, {"best_response": "PR", "status": None, "lymphocytosis": False},
         "Ibrutinib continuous from %s; restaging %s (start + 62 d): ALC 30 -> 12 (-60%%), SPD 30 -> 12 "
         "(-60%%), spleen 15.5 -> 13.9 (-10%%); Hb 10.5 -> 11.6, plt 85 -> 120 -> PR (two group-A and "
         "both group-B improvements). No lymphocytosis (ALC fell). Follow-up CBC %s consistent."
         % (st, r, f),
         "§6.2: continuous therapy, single assessment ~2 months after start.")

    # ---- C18 PD on ibrutinib (nodes), with an ALC rise that alone would not be PD
    p = Pt("b5-cll-18", "CLL", "1952-05-23", "male", D("2021-04-26"), times=True, offset="+02:00")
    st = D("2023-02-13"); b = plus(st, -6)
    p.cll_cbc(b, 25.0, 2.2, 11.2, 130)
    p.cll_ct(b, 20.0, 3.0, 13.5)
    p.cll_exam(b, False, False)
    p.med("ibrutinib", st, None, "in-progress")
    r = plus(st, 60)
    p.cll_cbc(r, 40.0, 2.1, 11.0, 125)
    p.cll_ct(r, 32.0, 4.4, 14.0)
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PD", "status": "refractory", "progression_date": iso(r)},
         "Ibrutinib continuous from %s; restaging %s: SPD 20 -> 32 cm2 (+60%%) -> PD by nodes (the ALC "
         "rise 25 -> 40 on a BTKi would not by itself be PD). PD on therapy without any prior response "
         "-> refractory, not relapsed." % (st, r),
         "§6.3: on continuous therapy both clocks run; with no prior CR/PR only 'refractory' applies.")

    # ---- C19 NE: the only post-therapy data is a CBC
    p = Pt("b5-cll-19", "CLL", "1949-07-31", "female", D("2021-02-02"), times=True, offset="+01:00")
    st = D("2022-02-07"); b = plus(st, -9)
    p.cll_cbc(b, 48.0, 2.7, 10.9, 118)
    p.cll_ct(b, 27.0, 3.3, 14.1)
    p.cll_exam(b, False, False)
    last = fcr_cycles(p, st)
    r = plus(last, 61); check_restage(last, r, 61, "C19")
    p.cll_cbc(r, 3.0, 2.0, 12.5, 150)
    case(CLL, p, {"best_response": "NE", "mrd_status": "not-assessed"},
         "FCR x6; the only post-therapy data is a CBC on %s (+61 d), improving (ALC 3.0, Hb 12.5, plt "
         "150). No node, spleen or exam data after therapy: group-A response and CR cannot be judged, "
         "and nothing in the CBC is PD -> not evaluable." % r,
         "§6.21: missing node/spleen assessment -> NE, never assumed normal.")

    # ---- C20 PR with spleen measured only by exam (cm below costal margin)
    p = Pt("b5-cll-20", "CLL", "1955-10-30", "male", D("2021-11-11"), times=True, offset="+01:00")
    st = D("2022-11-07"); b = plus(st, -7)
    p.cll_cbc(b, 48.0, 2.7, 11.8, 82)
    p.cll_ct(b, None, 1.3)
    p.o(b, "spleen_exam", 6.0, "cm")
    p.cll_exam(b, False, False)
    last = fcr_cycles(p, st)
    r = plus(last, 62); check_restage(last, r, 62, "C20")
    p.cll_cbc(r, 9.0, 2.1, 12.2, 128)
    p.cll_ct(r, None, 1.2)
    p.o(r, "spleen_exam", 2.0, "cm")
    p.cll_exam(r, False, False)
    case(CLL, p, {"best_response": "PR", "status": None},
         "FCR x6, restaging %s (+62 d). Abnormal group A: ALC 48 and spleen palpable 6 cm below the "
         "costal margin (nodes normal, largest 1.3 cm); abnormal group B: plt 82. ALC -81%% (9.0), "
         "spleen 6 -> 2 cm (-67%%, still palpable), plt 128 -> PR. Not CR (ALC >= 4, spleen "
         "palpable)." % r,
         "§6.7: only the exam distance (LOINC 32489-7) exists, so the >= 50% spleen change is read on "
         "it; a CT length is never recorded for this patient.")


# =========================================================================
# ALL.  Diagnosis panel, induction, end-of-induction marrow on day 28..35,
# CBC confirmation 4-5 weeks later.
# =========================================================================

def all_dx(p, d, wbc, bm, ph=False, emd=False):
    p.all_cbc(d, wbc, 0.6, 8.1, 32, 58)
    p.o(d, "bm_blasts", bm, "%")
    p.csf(d, 2, 0)
    p.o(d, "bcr_abl1", ph)
    if emd:   # recorded only when found: never a 'false'
        p.o(d, "emd", True)


def all_cr_marrow(p, d, blasts=1.0, anc=2.1, plt=145, cell="normocellular"):
    p.o(d, "bm_blasts", blasts, "%")
    p.o(d, "bm_cell", cell)
    p.all_cbc(d, 4.2, anc, 10.5, plt, 0)
    p.csf(d, 1, 0)


def all_cases():
    # ---- A01 CR, MRD marrow <0.01 %
    p = Pt("b5-all-01", "ALL", "1978-03-14", "male", D("2022-02-07"))
    dx = p.dx
    all_dx(p, dx, 45.0, 88)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 28)
    all_cr_marrow(p, e, 1.5)
    p.o(e, "mrd_bm", 0.01, "%", "<")
    c = plus(e, 31)
    p.all_cbc(c, 5.6, 2.8, 11.8, 210, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "negative"},
         "Induction %s..%s; end-of-induction marrow %s (day 29): blasts 1.5%%, normocellular, no "
         "circulating blasts, ANC 2.1, plt 145, CSF 0 blasts. CBC %s (+31 d) confirms (no blasts, "
         "counts normal). MRD marrow '<0.01 %%' -> negative (assay reaches 10^-4)." % (ind, plus(ind, 27), e, c),
         "§6.17: CR declared retrospectively from the day-29 assessment, confirmed >= 4 weeks later "
         "by CBC; cr1_date = date of the assessment establishing CR.")

    # ---- A02 CR, MRD marrow positive
    p = Pt("b5-all-02", "ALL", "1990-07-02", "female", D("2022-06-13"))
    dx = p.dx
    all_dx(p, dx, 12.0, 76)
    ind = plus(dx, 2); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 32)
    all_cr_marrow(p, e, 2.0, anc=1.7, plt=128)
    p.o(e, "mrd_bm", 0.2, "%")
    c = plus(e, 29)
    p.all_cbc(c, 4.9, 2.2, 11.1, 176, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "positive"},
         "End-of-induction marrow %s (day 33): blasts 2%%, ANC 1.7, plt 128, no circulating or CSF "
         "blasts -> CR, confirmed by CBC %s (+29 d). MRD marrow 0.2 %% >= 0.01 %% -> positive "
         "(seed 002: in remission, but sensitive tests still find cells)." % (e, c))

    # ---- A03 CR, MRD blood (mrd-flow-pb) positive, marrow at day 35, confirmation +35
    p = Pt("b5-all-03", "ALL", "1969-11-21", "male", D("2023-01-09"))
    dx = p.dx
    all_dx(p, dx, 88.0, 92)
    ind = plus(dx, 4); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 34)
    all_cr_marrow(p, e, 0.5, anc=2.4, plt=162)
    p.o(e, "mrd_pb", 0.03, "%")
    c = plus(e, 35)
    p.all_cbc(c, 6.1, 3.0, 12.2, 230, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "positive"},
         "Marrow %s (day 35): blasts 0.5%%, ANC 2.4, plt 162, no blasts in blood/CSF -> CR; CBC %s "
         "(+35 d, 5 weeks) confirms. MRD by flow in blood (local code mrd-flow-pb) 0.03 %% >= 0.01 %% "
         "-> positive." % (e, c),
         "§6.16: specimen is blood; a detectable level >= 10^-4 is positive whatever the specimen.")

    # ---- A04 CRi (platelets), MRD negative
    p = Pt("b5-all-04", "ALL", "1985-05-05", "female", D("2022-09-19"))
    dx = p.dx
    all_dx(p, dx, 31.0, 81)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 29)
    all_cr_marrow(p, e, 2.0, anc=1.6, plt=55)
    p.o(e, "mrd_bm", 0.01, "%", "<")
    c = plus(e, 30)
    p.all_cbc(c, 3.9, 1.9, 10.9, 78, 0)
    case(ALLP, p, {"status": "CRi", "mrd_status": "negative"},
         "Marrow %s (day 30): blasts 2%%, no circulating or CSF blasts, ANC 1.6 but platelets 55; CBC "
         "%s (+30 d): no blasts, platelets 78 (< 100) -> CRi (CR except thrombocytopenia). MRD marrow "
         "'<0.01 %%' -> negative." % (e, c))

    # ---- A05 CRi (neutrophils), MRD <0.1 % -> indeterminate
    p = Pt("b5-all-05", "ALL", "1958-12-30", "male", D("2023-03-06"))
    dx = p.dx
    all_dx(p, dx, 22.0, 70)
    ind = plus(dx, 2); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 31)
    all_cr_marrow(p, e, 1.0, anc=0.6, plt=140)
    p.o(e, "mrd_bm", 0.1, "%", "<")
    c = plus(e, 33)
    p.all_cbc(c, 2.8, 0.8, 11.4, 180, 0)
    case(ALLP, p, {"status": "CRi", "mrd_status": "indeterminate"},
         "Marrow %s (day 32): blasts 1%%, platelets 140, but ANC 0.6; CBC %s (+33 d): ANC 0.8, no "
         "blasts -> CRi (residual neutropenia). MRD '<0.1 %%' cannot show < 0.01 %% -> indeterminate."
         % (e, c),
         "§6.15: a censored '<0.1 %' neither shows negativity nor positivity at 10^-4.")

    # ---- A06 refractory: marrow 35 % at end of induction, data end
    p = Pt("b5-all-06", "ALL", "1972-08-16", "female", D("2022-04-11"))
    dx = p.dx
    all_dx(p, dx, 140.0, 95)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 28)
    p.o(e, "bm_blasts", 35, "%")
    p.all_cbc(e, 9.8, 0.4, 8.6, 25, 12)
    case(ALLP, p, {"status": "refractory"},
         "Induction %s..%s; end-of-induction marrow %s (day 29): blasts 35%%, circulating blasts 12%% "
         "-> CR not achieved at the end of induction -> refractory. Data end there." % (ind, plus(ind, 27), e),
         "§6.18: the single named induction course is the induction.")

    # ---- A07 refractory at exactly 5 % marrow blasts
    p = Pt("b5-all-07", "ALL", "1981-01-26", "male", D("2023-05-22"))
    dx = p.dx
    all_dx(p, dx, 18.0, 66)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 30)
    p.o(e, "bm_blasts", 5.0, "%")
    p.o(e, "bm_cell", "normocellular")
    p.all_cbc(e, 4.5, 1.8, 10.2, 130, 0)
    p.csf(e, 1, 0)
    case(ALLP, p, {"status": "refractory"},
         "End-of-induction marrow %s (day 31): blasts exactly 5.0%% with recovered counts and no "
         "circulating blasts. CR and CRi require < 5%%, so CR is not achieved at the end of induction "
         "-> refractory. Data end there." % e,
         "§6.13: 5% is not < 5% (CR) — the '>5% vs >=5%' ambiguity concerns relapse only, and this "
         "patient was never in CR.")

    # ---- A08 marrow relapse < 6 months from CR1
    p = Pt("b5-all-08", "ALL", "1966-04-09", "female", D("2021-10-04"))
    dx = p.dx
    all_dx(p, dx, 52.0, 85)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 28)
    all_cr_marrow(p, e, 1.0)
    c = plus(e, 30)
    p.all_cbc(c, 5.0, 2.6, 11.5, 190, 0)
    p.proc(plus(e, 8), plus(e, 120), "Consolidation chemotherapy")
    rl = plus(e, 128)
    p.o(rl, "bm_blasts", 24, "%")
    p.all_cbc(rl, 14.0, 0.9, 9.4, 62, 8)
    case(ALLP, p, {"status": "relapsed", "cr1_date": iso(e), "relapse_date": iso(rl),
                   "relapse_timing": "lt6mo", "relapse_site": "marrow"},
         "CR at the end-of-induction marrow %s (blasts 1%%), confirmed by CBC %s. Marrow %s: blasts "
         "24%% (> 5%%) with circulating blasts -> marrow relapse 128 days (~4.2 months) after CR1 "
         "-> lt6mo." % (e, c, rl),
         "§6.19: timing from CR1 (contract); from diagnosis (~5.3 mo) or end of consolidation (8 d) "
         "the category is the same.")

    # ---- A09 marrow relapse 6 months-3 years from CR1
    p = Pt("b5-all-09", "ALL", "1975-09-17", "male", D("2021-03-15"))
    dx = p.dx
    all_dx(p, dx, 26.0, 79)
    ind = plus(dx, 2); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 32)
    all_cr_marrow(p, e, 0.8, anc=1.9, plt=152)
    c = plus(e, 32)
    p.all_cbc(c, 5.3, 2.9, 12.0, 205, 0)
    p.proc(plus(e, 7), plus(e, 190), "Consolidation chemotherapy")
    rl = plus(e, 490)
    p.o(rl, "bm_blasts", 41, "%")
    p.all_cbc(rl, 21.0, 1.0, 9.8, 71, 19)
    case(ALLP, p, {"status": "relapsed", "cr1_date": iso(e), "relapse_date": iso(rl),
                   "relapse_timing": "6mo-3y", "relapse_site": "marrow"},
         "CR at marrow %s (day 33), confirmed %s. Marrow %s: blasts 41%% -> relapse 490 days (~16 "
         "months) after CR1 -> 6mo-3y." % (e, c, rl),
         "§6.19: 6mo-3y from CR1, from diagnosis and from end of consolidation alike.")

    # ---- A10 marrow relapse >= 3 years from CR1
    p = Pt("b5-all-10", "ALL", "1988-02-22", "female", D("2019-05-06"))
    dx = p.dx
    all_dx(p, dx, 9.5, 72)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 29)
    all_cr_marrow(p, e, 1.2, anc=2.3, plt=171)
    c = plus(e, 34)
    p.all_cbc(c, 6.0, 3.2, 12.6, 240, 0)
    rl = plus(e, 1250)
    p.o(rl, "bm_blasts", 18, "%")
    p.all_cbc(rl, 8.8, 1.4, 11.0, 88, 6)
    case(ALLP, p, {"status": "relapsed", "cr1_date": iso(e), "relapse_date": iso(rl),
                   "relapse_timing": "ge3y", "relapse_site": "marrow"},
         "CR at marrow %s (day 30), confirmed %s. Marrow %s: blasts 18%% -> relapse 1250 days (~41 "
         "months) after CR1 -> ge3y." % (e, c, rl),
         "§6.1/§6.19: far from the 36-month boundary under any month arithmetic or anchor.")

    # ---- A11 isolated CNS relapse (searchset bundle, Patient/<id> references)
    p = Pt("b5-all-11", "ALL", "1994-06-28", "male", D("2022-01-17"), times=True, offset="+01:00")
    dx = p.dx
    all_dx(p, dx, 34.0, 83)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 28)
    all_cr_marrow(p, e, 1.0, anc=2.0, plt=150)
    c = plus(e, 30)
    p.all_cbc(c, 5.2, 2.7, 12.1, 198, 0)
    rl = plus(e, 305)
    p.csf(rl, 28, 19)
    p.o(rl, "bm_blasts", 1.0, "%")
    p.all_cbc(rl, 6.0, 3.1, 13.0, 220, 0)
    case(ALLP, p, {"status": "relapsed", "cr1_date": iso(e), "relapse_date": iso(rl),
                   "relapse_timing": "6mo-3y", "relapse_site": "extramedullary-cns"},
         "CR at marrow %s, confirmed %s. On %s CSF WBC 28/uL with 19 blasts/uL (CNS3: WBC >= 5/uL with "
         "blasts) while marrow blasts are 1%% and blood is clear -> isolated CNS relapse (counts as "
         "relapse), 305 days (~10 months) after CR1 -> 6mo-3y." % (e, c, rl))

    # ---- A12 Ph+ (BCR::ABL1 detected), CR, MRD positive
    p = Pt("b5-all-12", "ALL", "1963-10-03", "female", D("2022-11-07"), times=True, offset="+01:00")
    dx = p.dx
    all_dx(p, dx, 61.0, 90, ph=True)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 30)
    all_cr_marrow(p, e, 1.0, anc=1.5, plt=119)
    p.o(e, "mrd_bm", 0.15, "%")
    c = plus(e, 29)
    p.all_cbc(c, 4.4, 2.0, 11.3, 165, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "positive"},
         "Ph+ ALL (local bcr-abl1-detected = true at diagnosis %s; seed 004 risk factor). Marrow %s "
         "(day 31): blasts 1%%, ANC 1.5, plt 119, no circulating/CSF blasts -> CR, confirmed by CBC "
         "%s. MRD marrow 0.15 %% -> positive." % (dx, e, c),
         "Relapse risk-factor results exist in the contract but their names are not fixed there, so "
         "they are not asserted (Ph+ and age 59 would both be true).")

    # ---- A13 induction as one Procedure with no phase named
    p = Pt("b5-all-13", "ALL", "1999-01-11", "male", D("2023-08-14"), times=True, offset="+01:00")
    dx = p.dx
    all_dx(p, dx, 7.8, 74)
    ind = plus(dx, 4); p.proc(ind, plus(ind, 27), None)
    e = plus(ind, 32)
    all_cr_marrow(p, e, 0.6, anc=2.6, plt=188)
    c = plus(e, 34)
    p.all_cbc(c, 6.3, 3.4, 13.1, 251, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "not-assessed"},
         "The only therapy is one Procedure SNOMED 367336001 %s..%s without any phase name (no "
         "code.text). Marrow %s (day 33 from its start): blasts 0.6%%, counts recovered, no "
         "circulating/CSF blasts -> CR, confirmed by CBC %s. No MRD test -> not-assessed."
         % (ind, plus(ind, 27), e, c),
         "§6.18: an unnamed single chemotherapy Procedure before the first marrow is taken as the "
         "induction.")

    # ---- A14 MRD-positive CR, blinatumomab, MRD conversion to negative
    p = Pt("b5-all-14", "ALL", "1980-12-19", "female", D("2022-05-02"), times=True, offset="+02:00")
    dx = p.dx
    all_dx(p, dx, 15.0, 80)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 28)
    all_cr_marrow(p, e, 1.0, anc=1.9, plt=134)
    p.o(e, "mrd_bm", 0.4, "%")
    p.med("blinatumomab", plus(e, 12), plus(e, 39))
    c = plus(e, 31)
    p.all_cbc(c, 4.8, 2.5, 11.6, 182, 0)
    m = plus(e, 46)
    p.o(m, "bm_blasts", 0.5, "%")
    p.o(m, "mrd_bm", 0.01, "%", "<")
    p.all_cbc(m, 5.1, 2.9, 12.0, 201, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "negative"},
         "CR at marrow %s (blasts 1%%, MRD 0.4 %% positive), confirmed by CBC %s. Blinatumomab (RxNorm "
         "1597258) %s..%s. Marrow %s: blasts 0.5%%, MRD '<0.01 %%' -> MRD converted to negative; the "
         "patient is still in CR1." % (e, c, plus(e, 12), plus(e, 39), m),
         "mrd_status is read as the most recent MRD assessment (conversion after blinatumomab), not "
         "the first one; not a §6 item, but an implementer choice worth stating.")

    # ---- A15 NE: post-induction CBC only
    p = Pt("b5-all-15", "ALL", "1970-03-08", "male", D("2023-02-20"), times=True, offset="+01:00")
    dx = p.dx
    all_dx(p, dx, 19.0, 77)
    ind = plus(dx, 3); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 30)
    p.all_cbc(e, 4.6, 1.9, 10.8, 160, 0)
    case(ALLP, p, {"status": "NE"},
         "After induction the only data is a CBC on %s (no blasts, ANC 1.9, plt 160). Without a marrow "
         "the marrow-blast criterion of CR cannot be assessed, and nothing shows failure -> NE." % e,
         "§6.17/§6.21: a CBC alone does not establish CR; missing marrow -> NE, not refractory.")

    # ---- A16 extramedullary disease at diagnosis, never recorded again -> CR
    p = Pt("b5-all-16", "ALL", "1996-09-09", "male", D("2023-04-03"))
    dx = p.dx
    all_dx(p, dx, 120.0, 86, emd=True)
    ind = plus(dx, 2); p.proc(ind, plus(ind, 27), "Induction chemotherapy")
    e = plus(ind, 29)
    all_cr_marrow(p, e, 0.9, anc=2.2, plt=158)
    c = plus(e, 32)
    p.all_cbc(c, 5.4, 2.9, 12.4, 214, 0)
    case(ALLP, p, {"status": "CR", "cr1_date": iso(e), "mrd_status": "not-assessed"},
         "Diagnosis %s with WBC 120 and extramedullary disease recorded (local extramedullary-disease "
         "= true; mediastinal mass). Marrow %s (day 30): blasts 0.9%%, ANC 2.2, plt 158, no "
         "circulating/CSF blasts, and NO extramedullary-disease Observation after diagnosis (the "
         "contract says it is recorded only when found) -> CR, confirmed by CBC %s. No MRD test."
         % (dx, e, c),
         "§6.21 (and §6.4): extramedullary disease is recorded only when found, so its absence at and "
         "after the end-of-induction assessment reads as 'none'; the diagnosis finding is not carried "
         "forward past a later assessment.")


# =========================================================================
# Output
# =========================================================================

def dump_ndjson(rows):
    return "".join(json.dumps(r, sort_keys=False, separators=(",", ":")) + "\n" for r in rows)


def yscalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    return json.dumps(v)


def dump_yaml(entries, header):
    out = [header]
    for e in entries:
        out.append("- patient: %s" % yscalar(e["patient"]))
        out.append("  expect:")
        for k, v in e["expect"].items():
            out.append("    %s: %s" % (k, yscalar(v)))
        out.append("  why: %s" % yscalar(e["why"]))
        if "ambiguity" in e:
            out.append("  ambiguity: %s" % yscalar(e["ambiguity"]))
    return "\n".join(out) + "\n"


def build():
    CLL.clear(); ALLP.clear()
    cll_cases(); all_cases()
    files = {}
    by_type = {t: [] for t in ("Patient", "Condition", "Observation",
                               "MedicationAdministration", "Procedure")}
    for p, _ in CLL:
        for r in p.resources("Patient/" + p.pid):
            by_type[r["resourceType"]].append(r)
    for t, rows in by_type.items():
        files["cll/%s.ndjson" % t] = dump_ndjson(rows)
    for i, (p, _) in enumerate(ALLP):
        searchset = p.times  # A11-A15: searchset with Patient/<id>; others collection + urn:uuid
        if searchset:
            res = p.resources("Patient/" + p.pid)
            entries = [{"fullUrl": "%s/%s/%s" % (SEARCH_BASE, r["resourceType"], r["id"]),
                        "resource": r, "search": {"mode": "match"}} for r in res]
            bundle = {"resourceType": "Bundle", "id": "bundle-" + p.pid, "type": "searchset",
                      "total": len(entries), "entry": entries}
        else:
            puuid = "urn:uuid:" + str(uuid.uuid5(NS, p.pid))
            res = p.resources(puuid)
            entries = []
            for r in res:
                fu = puuid if r["resourceType"] == "Patient" else "urn:uuid:" + str(uuid.uuid5(NS, r["id"]))
                entries.append({"fullUrl": fu, "resource": r})
            bundle = {"resourceType": "Bundle", "id": "bundle-" + p.pid, "type": "collection",
                      "entry": entries}
        files["all/%s.json" % p.pid] = json.dumps(bundle, indent=1) + "\n"
    hdr_c = ("# Blind batch 5, CLL (iwCLL 2018 pack). Generated by tools/gen_blind5.py; do not edit.\n"
             "# Each patient is evaluated as of its last dated resource (as_of listed in why/README).")
    hdr_a = ("# Blind batch 5, ALL pack. Generated by tools/gen_blind5.py; do not edit.\n"
             "# Each patient is evaluated as of its last dated resource.")
    files["expected/cll.yaml"] = dump_yaml([e for _, e in CLL], hdr_c)
    files["expected/all.yaml"] = dump_yaml([e for _, e in ALLP], hdr_a)
    asof = ["# patient as_of (last dated resource)"]
    for p, _ in CLL + ALLP:
        asof.append("%s %s" % (p.pid, p.last_date()))
    files["expected/as_of.txt"] = "\n".join(asof) + "\n"
    return files


def main():
    files = build()
    check = "--check" in sys.argv[1:]
    bad = []
    for rel, text in files.items():
        path = ROOT / rel
        if check:
            if not path.exists() or path.read_text() != text:
                bad.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if check:
        if bad:
            print("out of date: " + ", ".join(bad))
            return 1
        print("ok: %d files up to date" % len(files))
    else:
        print("wrote %d files under %s" % (len(files), ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
