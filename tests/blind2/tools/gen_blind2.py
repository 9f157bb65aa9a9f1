#!/usr/bin/env python3
"""Deterministic generator for the crit blind2 test batch.

Writes, relative to tests/blind2/:
  cll/{Patient,Condition,Observation,MedicationAdministration,Procedure}.ndjson
  all/{...same...}.ndjson
  expected/cll.yaml, expected/all.yaml

stdlib only; no randomness except a fixed-seed shuffle of line order (to mix
patients across lines as a Bulk $export does).  Re-running must produce
byte-identical files:  python3 tests/blind2/tools/gen_blind2.py [--check]

The expectations were written from the published criteria only
(/work/shared/design/criteria-reference.md, data-contract.md, seeds), without
looking at crit's rule packs or sources.  See ../README.md.
"""
import datetime as _dt
import json
import os
import random
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)  # tests/blind2

NS = uuid.UUID("6d1c5a3e-0b0f-4c2e-9a55-1b2d0e6f4b72")
LOINC = "http://loinc.org"
SCT = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD = "http://hl7.org/fhir/sid/icd-10-cm"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
DAR = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

TYPES = ["Patient", "Condition", "Observation", "MedicationAdministration", "Procedure"]

# ---------------------------------------------------------------- dates

def D(s):
    return _dt.date.fromisoformat(s)


def add_days(d, n):
    return d + _dt.timedelta(days=n)


def add_months(d, n):
    """Calendar month addition, clamped to the month's last day."""
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return _dt.date(y, m, min(d.day, last))


def nth_sunday(y, month, n):
    d = _dt.date(y, month, 1)
    d += _dt.timedelta(days=(6 - d.weekday()) % 7)
    return d + _dt.timedelta(weeks=n - 1)


def last_sunday(y, month):
    d = add_days(add_months(_dt.date(y, month, 1), 1), -1)
    return d - _dt.timedelta(days=(d.weekday() + 1) % 7)


def tz_offset(zone, d):
    """Offset string for a local date.  Offsets stay within +-07:00 and local
    times within 08:00-16:00, so the UTC date always equals the local date."""
    if zone == "US-East":
        dst = nth_sunday(d.year, 3, 2) <= d < nth_sunday(d.year, 11, 1)
        return "-04:00" if dst else "-05:00"
    if zone == "EU-Central":
        dst = last_sunday(d.year, 3) <= d < last_sunday(d.year, 10)
        return "+02:00" if dst else "+01:00"
    if zone == "US-Arizona":
        return "-07:00"
    if zone == "UTC":
        return "Z"
    if zone == "Asia-Kolkata":
        return "+05:30"
    raise ValueError(zone)


# ---------------------------------------------------------------- concepts

MARROW = {"coding": [{"system": SCT, "code": "14016003", "display": "Bone marrow structure"}],
          "text": "Bone marrow"}

C = {
    # key: (system, code, display, category)
    "wbc": (LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "laboratory"),
    "alc": (LOINC, "731-0", "Lymphocytes [#/volume] in Blood by Automated count", "laboratory"),
    "anc": (LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count", "laboratory"),
    "plt": (LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count", "laboratory"),
    "hb": (LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood", "laboratory"),
    "pb_blasts": (LOINC, "26446-5", "Blasts/100 leukocytes in Blood", "laboratory"),
    "bm_blasts": (LOINC, "11150-0", "Blasts/100 cells in Bone marrow", "laboratory"),
    "bm_lymph": (LOINC, "11108-8", "Lymphocytes/100 cells in Bone marrow by Manual count", "laboratory"),
    "csf_wbc": (LOINC, "806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count", "laboratory"),
    "csf_blasts": (LOINC, "35068-6", "Blasts [#/volume] in Cerebral spinal fluid", "laboratory"),
    "spleen_exam": (LOINC, "32489-7", "Spleen tip distance below costal margin", "exam"),
    "mrd": (LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry", "laboratory"),
    "spd": (LOCAL, "ln-spd", "Sum of the products of the diameters of index lymph nodes", "imaging"),
    "ln_max": (LOCAL, "ln-longest-diameter-max", "Longest diameter of the largest lymph node", "imaging"),
    "spleen_ct": (LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length (CT)", "imaging"),
    "hepatomegaly": (LOCAL, "hepatomegaly", "Hepatomegaly", "exam"),
    "bsym": (LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms", "exam"),
    "bm_infiltrate": (LOCAL, "marrow-cll-infiltrate", "Bone marrow CLL infiltrate", "laboratory"),
    "bm_nodules": (LOCAL, "marrow-b-lymphoid-nodules", "Bone marrow B-lymphoid nodules", "laboratory"),
    "bm_cellularity": (LOCAL, "marrow-cellularity", "Bone marrow cellularity", "laboratory"),
    "bcr_abl": (LOCAL, "bcr-abl1-detected", "BCR::ABL1 fusion detected", "laboratory"),
    "emd": (LOCAL, "extramedullary-disease", "Extramedullary disease", "exam"),
}
MARROW_KEYS = {"bm_blasts", "bm_lymph", "bm_infiltrate", "bm_nodules", "bm_cellularity"}

UNIT_DISPLAY = {"10*9/L": "10^9/L", "10*3/uL": "10^3/uL", "/uL": "/uL", "g/dL": "g/dL",
                "g/L": "g/L", "%": "%", "cm": "cm", "cm2": "cm2"}

DRUGS = {
    "ibrutinib": "1442981", "rituximab": "121191", "fludarabine": "24698",
    "cyclophosphamide": "3002", "blinatumomab": "1597258", "venetoclax": "1747556",
    "obinutuzumab": "974779", "bendamustine": "134547", "vincristine": "11202",
    "prednisone": "8640", "dexamethasone": "3264", "methotrexate": "6851",
    "cytarabine": "3041", "mercaptopurine": "103", "imatinib": "282388",
    "dasatinib": "475342", "daunorubicin": "3109", "doxorubicin": "3639",
    "acalabrutinib": "1986808",
}


class Pt:
    def __init__(self, pid, zone, birth, gender, kind):
        self.pid = pid
        self.zone = zone
        self.kind = kind
        self.res = {t: [] for t in TYPES}
        self.n = 0
        self.res["Patient"].append({
            "resourceType": "Patient", "id": pid,
            "identifier": [{"system": "http://example.org/fhir/blind2/mrn", "value": "MRN-" + pid.upper()}],
            "gender": gender, "birthDate": birth,
        })

    # ids ---------------------------------------------------------------
    def rid(self, rtype):
        self.n += 1
        return str(uuid.uuid5(NS, "%s/%s/%d" % (self.pid, rtype, self.n)))

    def ref(self):
        return {"reference": "Patient/" + self.pid}

    def ts(self, d, hhmm="09:00"):
        h, m = map(int, hhmm.split(":"))
        assert 8 <= h <= 15 or (h == 16 and m == 0), hhmm
        return "%sT%s:00%s" % (d.isoformat(), hhmm, tz_offset(self.zone, d))

    # resources ----------------------------------------------------------
    def condition(self, onset, date_only=False, text=None):
        if self.kind == "cll":
            code = {"coding": [{"system": SCT, "code": "92814006", "display": "Chronic lymphoid leukemia"},
                               {"system": ICD, "code": "C91.10", "display": "Chronic lymphocytic leukemia of B-cell type not having achieved remission"}],
                    "text": "CLL"}
        else:
            code = {"coding": [{"system": SCT, "code": "91857003", "display": "Acute lymphoid leukemia"},
                               {"system": ICD, "code": "C91.00", "display": "Acute lymphoblastic leukemia not having achieved remission"}],
                    "text": text or "B-lymphoblastic leukaemia"}
        r = {"resourceType": "Condition", "id": self.rid("Condition"),
             "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
             "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
             "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"}]}],
             "code": code, "subject": self.ref(),
             "onsetDateTime": onset.isoformat() if date_only else self.ts(onset, "11:00"),
             "recordedDate": self.ts(onset, "15:00")}
        self.res["Condition"].append(r)

    def obs(self, key, d, value, unit=None, hhmm="09:00", status="final", comparator=None,
            period=None, date_only=False, body_site=None, extra_coding=None, text=None,
            components=None, issued_days=0, absent=False):
        system, code, display, cat = C[key]
        coding = [{"system": system, "code": code, "display": display}]
        if extra_coding:
            coding.append(extra_coding)
        r = {"resourceType": "Observation", "id": self.rid("Observation"), "status": status,
             "category": [{"coding": [{"system": OBSCAT, "code": cat}]}],
             "code": {"coding": coding, "text": text or display},
             "subject": self.ref()}
        if period:
            r["effectivePeriod"] = {"start": self.ts(d, period[0]), "end": self.ts(d, period[1])}
        elif date_only:
            r["effectiveDateTime"] = d.isoformat()
        else:
            r["effectiveDateTime"] = self.ts(d, hhmm)
        if not date_only:
            r["issued"] = self.ts(add_days(d, issued_days), "16:00") if issued_days else \
                self.ts(d, (period[1] if period else hhmm))
        if absent:
            r["dataAbsentReason"] = {"coding": [{"system": DAR, "code": "not-performed"}], "text": "Specimen not obtained"}
        elif isinstance(value, bool):
            r["valueBoolean"] = value
        elif isinstance(value, str):
            r["valueCodeableConcept"] = {"coding": [{"system": LOCAL, "code": value}], "text": value}
        else:
            q = {"value": value, "unit": UNIT_DISPLAY[unit], "system": UCUM, "code": unit}
            if comparator:
                q = {"value": value, "comparator": comparator, "unit": UNIT_DISPLAY[unit], "system": UCUM, "code": unit}
            r["valueQuantity"] = q
        if key in MARROW_KEYS or body_site == "marrow":
            r["bodySite"] = MARROW
        if components:
            r["component"] = components
        self.res["Observation"].append(r)
        return r

    def med(self, drug, start, end=None, status="completed", t0="09:00", t1="13:00",
            dose=None, route=None, reason=None, note=None):
        r = {"resourceType": "MedicationAdministration", "id": self.rid("MedicationAdministration"),
             "status": status,
             "medicationCodeableConcept": {"coding": [{"system": RXN, "code": DRUGS[drug], "display": drug}],
                                           "text": drug.capitalize()},
             "subject": self.ref()}
        per = {"start": self.ts(start, t0)}
        if end is not None:
            per["end"] = self.ts(end, t1)
        r["effectivePeriod"] = per
        if reason:
            r["statusReason"] = [{"text": reason}]
        if dose or route:
            dd = {}
            if dose:
                dd["text"] = dose
            if route:
                dd["route"] = {"text": route}
            r["dosage"] = dd
        if note:
            r["note"] = [{"text": note}]
        self.res["MedicationAdministration"].append(r)
        return r

    def proc(self, start, end, code_text, category_text=None, status="completed"):
        r = {"resourceType": "Procedure", "id": self.rid("Procedure"), "status": status,
             "code": {"coding": [{"system": SCT, "code": "367336001", "display": "Chemotherapy"}],
                      "text": code_text},
             "subject": self.ref()}
        if category_text:
            r["category"] = {"text": category_text}
        per = {"start": self.ts(start, "08:30")}
        if end is not None:
            per["end"] = self.ts(end, "15:30")
        r["performedPeriod"] = per
        self.res["Procedure"].append(r)


# ---------------------------------------------------------------- CBC helpers

def conv(v, unit):
    """v is canonical (10^9/L for counts, g/dL for Hb)."""
    if unit == "/uL":
        return int(round(v * 1000))
    if unit == "g/L":
        return int(round(v * 10))
    return v


def cbc(p, d, hhmm="08:40", alc=None, anc=None, plt=None, hb=None, wbc=None, pb_blasts=None,
        u=None, status="final"):
    u = u or {}
    if wbc is not None:
        p.obs("wbc", d, conv(wbc, u.get("wbc", "10*9/L")), u.get("wbc", "10*9/L"), hhmm, status)
    if alc is not None:
        p.obs("alc", d, conv(alc, u.get("alc", "10*9/L")), u.get("alc", "10*9/L"), hhmm, status)
    if anc is not None:
        p.obs("anc", d, conv(anc, u.get("anc", "10*9/L")), u.get("anc", "10*9/L"), hhmm, status)
    if plt is not None:
        p.obs("plt", d, conv(plt, u.get("plt", "10*9/L")), u.get("plt", "10*9/L"), hhmm, status)
    if hb is not None:
        p.obs("hb", d, conv(hb, u.get("hb", "g/dL")), u.get("hb", "g/dL"), hhmm, status)
    if pb_blasts is not None:
        p.obs("pb_blasts", d, pb_blasts, "%", hhmm, status)


def ct(p, d, spd, ln_max, spleen=None, status="final", period=("10:10", "10:45")):
    p.obs("spd", d, spd, "cm2", period=period, status=status, issued_days=1)
    p.obs("ln_max", d, ln_max, "cm", period=period, status=status, issued_days=1)
    if spleen is not None:
        p.obs("spleen_ct", d, spleen, "cm", period=period, status=status, issued_days=1)


def cll_marrow(p, d, infiltrate, nodules, cellularity, lymph=None):
    p.obs("bm_infiltrate", d, infiltrate, "%", "11:20", issued_days=4)
    p.obs("bm_nodules", d, nodules, None, "11:20", issued_days=4)
    p.obs("bm_cellularity", d, cellularity, None, "11:20", issued_days=4)
    if lymph is not None:
        p.obs("bm_lymph", d, lymph, "%", "11:20", issued_days=4)


def mrd(p, d, value, site, comparator=None, lod=None, status="final", local=True, hhmm="11:30",
        absent=False):
    """site: 'pb' (blood: no bodySite) or 'bm' (marrow: bodySite 14016003)."""
    extra = {"system": LOCAL, "code": "mrd-flow-" + site} if local else None
    comps = None
    if lod is not None:
        comps = [{"code": {"text": "Assay lower limit of detection"},
                  "valueQuantity": {"value": lod, "unit": "%", "system": UCUM, "code": "%"}}]
    return p.obs("mrd", d, value, "%", hhmm, status=status, comparator=comparator,
                 body_site="marrow" if site == "bm" else None, extra_coding=extra,
                 components=comps, issued_days=3, absent=absent,
                 text="MRD flow cytometry, " + ("bone marrow" if site == "bm" else "peripheral blood"))


# ---------------------------------------------------------------- CLL regimens

def fcr(p, start, cycles=6, proc=True):
    for c in range(cycles):
        d1 = add_days(start, 28 * c)
        p.med("rituximab", d1, d1, t0="09:30", t1="14:45",
              dose="375 mg/m2" if c == 0 else "500 mg/m2", route="intravenous")
        p.med("fludarabine", d1, add_days(d1, 2), t0="09:00", t1="10:00", dose="25 mg/m2 d1-3", route="intravenous")
        p.med("cyclophosphamide", d1, add_days(d1, 2), t0="09:00", t1="10:30", dose="250 mg/m2 d1-3", route="intravenous")
    last = add_days(start, 28 * (cycles - 1) + 2)
    if proc:
        p.proc(start, last, "Chemoimmunotherapy FCR (fludarabine, cyclophosphamide, rituximab), 6 cycles")
    return last


def br(p, start, cycles=6, proc=True, skip_last_d2=False):
    for c in range(cycles):
        d1 = add_days(start, 28 * c)
        p.med("rituximab", d1, d1, t0="09:30", t1="14:30",
              dose="375 mg/m2" if c == 0 else "500 mg/m2", route="intravenous")
        if skip_last_d2 and c == cycles - 1:
            p.med("bendamustine", d1, d1, t0="09:00", t1="10:00", dose="90 mg/m2 d1", route="intravenous")
            p.med("bendamustine", add_days(d1, 1), add_days(d1, 1), status="not-done", t0="09:00", t1="09:00",
                  dose="90 mg/m2 d2", route="intravenous", reason="Grade 3 neutropenia; day 2 dose omitted")
        else:
            p.med("bendamustine", d1, add_days(d1, 1), t0="09:00", t1="10:00", dose="90 mg/m2 d1-2", route="intravenous")
    last = add_days(start, 28 * (cycles - 1) + (0 if skip_last_d2 else 1))
    if proc:
        p.proc(start, last, "Chemoimmunotherapy BR (bendamustine, rituximab)")
    return last


def veno(p, start):
    """CLL14: obinutuzumab C1 d1,d2,d8,d15 and C2-6 d1; venetoclax ramp-up from
    C1d22 then 400 mg through the end of C12 (28-day cycles)."""
    for dd in (0, 1, 7, 14):
        p.med("obinutuzumab", add_days(start, dd), add_days(start, dd), t0="09:00", t1="14:00",
              dose="100 mg" if dd == 0 else ("900 mg" if dd == 1 else "1000 mg"), route="intravenous")
    for c in range(1, 6):
        d1 = add_days(start, 28 * c)
        p.med("obinutuzumab", d1, d1, t0="09:00", t1="13:00", dose="1000 mg", route="intravenous")
    p.med("venetoclax", add_days(start, 21), add_days(start, 55), t0="08:00", t1="08:00",
          dose="ramp-up 20-50-100-200-400 mg daily", route="oral")
    for c in range(2, 12):
        d1 = add_days(start, 28 * c)
        p.med("venetoclax", d1, add_days(d1, 27), t0="08:00", t1="08:00", dose="400 mg daily", route="oral")
    last = add_days(start, 28 * 11 + 27)
    p.proc(start, last, "Venetoclax + obinutuzumab, fixed duration (12 cycles)",
           category_text="CLL first-line therapy")
    return last


def cycle_cbcs(p, start, cycles, series, u, hhmm="08:20"):
    """Pre-cycle CBC on day 1 of cycles 2..n; series = list of dicts."""
    for c, vals in zip(range(1, cycles), series):
        cbc(p, add_days(start, 28 * c), hhmm, u=u, **vals)


# ---------------------------------------------------------------- CLL patients

CLL = []     # list of (Pt, expect, why, ambiguity)
ALLP = []


def cll_baseline(p, d, alc, anc, plt, hb, spd, ln_max, spleen_ct=None, spleen_exam=None,
                 u=None, wbc=None, hepato=False, bsym=False, marrow=None):
    cbc(p, d, "08:30", wbc=wbc or round(alc + anc + 0.9, 1), alc=alc, anc=anc, plt=plt, hb=hb, u=u)
    ct(p, add_days(d, -1), spd, ln_max, spleen_ct)
    if spleen_exam is not None:
        p.obs("spleen_exam", d, spleen_exam, "cm", "10:00")
    if hepato:
        p.obs("hepatomegaly", d, True, None, "10:00")
    if bsym:
        p.obs("bsym", d, True, None, "10:00", text="Night sweats, weight loss >10%")
    if marrow is not None:
        cll_marrow(p, add_days(d, 1), marrow, True, "hypercellular", lymph=marrow)


def restage_gap(last, rest):
    gap = (rest - last).days
    assert gap >= 63 and rest >= add_months(last, 2), (last, rest)
    assert gap <= 70, (last, rest)


def add_cll(p, expect, why, amb=None):
    CLL.append((p, expect, why, amb))


def build_cll():
    # ---- c2-01 VenO, CR, CT spleen 12.9 -------------------------------------
    p = Pt("c2-01-veno-cr-spleen129", "EU-Central", "1951-04-22", "male", "cll")
    p.condition(D("2020-11-16"))
    u = {"alc": "/uL"}
    cll_baseline(p, D("2022-01-05"), 68.0, 3.1, 118, 10.6, 38.5, 3.6, spleen_ct=16.8, u=u, marrow=75)
    s = D("2022-01-17")
    last = veno(p, s)
    cycle_cbcs(p, s, 12, [dict(alc=a, anc=n, plt=pl, hb=h) for a, n, pl, h in
                          [(41.0, 2.1, 104, 10.4), (6.2, 1.6, 98, 10.6), (1.9, 1.8, 112, 11.0), (1.3, 1.9, 121, 11.5),
                           (1.1, 2.0, 130, 12.0), (1.0, 1.7, 138, 12.4), (0.9, 2.2, 142, 12.7), (0.9, 2.0, 150, 12.9),
                           (1.0, 2.3, 149, 13.0), (0.8, 2.1, 155, 13.2), (0.9, 2.4, 158, 13.1)]], u)
    r = add_days(last, 65)
    restage_gap(last, r)
    cbc(p, r, wbc=4.6, alc=0.9, anc=2.4, plt=164, hb=13.4, u=u)
    ct(p, r, 1.7, 1.2, 12.9)
    cll_marrow(p, add_days(r, 2), 0, False, "normocellular", lymph=8)
    mrd(p, r, 0.001, "pb", comparator="<", lod=0.001)
    cbc(p, add_days(r, 28), alc=1.0, anc=2.6, plt=171, hb=13.6, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="negative", cr_status=None),
            "Restaging 65 days after the last venetoclax dose meets every iwCLL 2018 CR criterion: ALC 0.9, "
            "largest node 1.2 cm, spleen 12.9 cm (<13), ANC 2.4, platelets 164, Hb 13.4, marrow without CLL cells "
            "or nodules and normocellular; blood MRD <0.001% (<10^-4).")

    # ---- c2-02 VenO, PR because spleen 13.0 ---------------------------------
    p = Pt("c2-02-veno-pr-spleen130", "US-East", "1957-09-03", "female", "cll")
    p.condition(D("2021-06-02"))
    u = {"alc": "/uL", "anc": "/uL"}
    cll_baseline(p, D("2022-02-23"), 91.0, 2.8, 132, 10.2, 44.0, 4.1, spleen_ct=17.5, u=u, bsym=True)
    s = D("2022-03-07")
    last = veno(p, s)
    cycle_cbcs(p, s, 12, [dict(alc=a, plt=pl, hb=h, anc=n) for a, n, pl, h in
                          [(52.0, 2.0, 120, 10.1), (4.8, 1.5, 108, 10.5), (1.6, 1.7, 121, 11.2), (1.4, 1.9, 133, 11.8),
                           (1.2, 2.0, 140, 12.1), (1.3, 1.8, 151, 12.3), (1.1, 2.1, 158, 12.4), (1.2, 2.2, 162, 12.6),
                           (1.0, 2.0, 166, 12.7), (1.1, 2.3, 168, 12.8), (1.2, 2.1, 170, 12.8)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=5.1, alc=1.1, anc=2.2, plt=171, hb=12.9, u=u)
    ct(p, r, 1.4, 1.1, 13.0)
    cll_marrow(p, add_days(r, 1), 0, False, "normocellular")
    mrd(p, r, 0.001, "pb", comparator="<", lod=0.001)
    cbc(p, add_days(r, 35), alc=1.2, anc=2.4, plt=175, hb=13.1, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="negative", cr_status=None),
            "All CR criteria are met except spleen 13.0 cm, which is not <13 cm (iwCLL 2018 Table 4). PR holds: ALC "
            "-99% and SPD -97% (2 group-A improvements) and Hb 10.2->12.9 (group B). Marrow was examined, so CR was "
            "assessable (cr_status absent).")

    # ---- c2-03 FCR, CR, largest node 1.4, exam spleen, marrow MRD 0.009% ----
    p = Pt("c2-03-fcr-cr-node14", "EU-Central", "1962-02-11", "male", "cll")
    p.condition(D("2019-10-08"), date_only=True)
    u = {"plt": "10*3/uL"}
    cll_baseline(p, D("2021-05-03"), 54.0, 4.2, 160, 12.1, 29.0, 3.2, spleen_exam=4, u=u)
    s = D("2021-05-10")
    last = fcr(p, s)
    # therapy-induced thrombocytopenia (-56%) during cycles: not PD
    cycle_cbcs(p, s, 6, [dict(alc=a, anc=n, plt=pl, hb=h) for a, n, pl, h in
                         [(8.1, 1.9, 121, 11.4), (2.2, 1.6, 98, 10.9), (1.1, 1.5, 84, 10.6), (0.7, 1.3, 70, 10.4),
                          (0.6, 1.4, 77, 10.5)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=3.4, alc=0.6, anc=1.9, plt=121, hb=12.0, u=u)
    ct(p, r, 1.8, 1.4)
    p.obs("spleen_exam", r, 0, "cm", date_only=True)
    m = add_days(r, 4)
    cll_marrow(p, m, 0, False, "normocellular", lymph=9)
    mrd(p, m, 0.009, "bm", lod=0.001)
    cbc(p, add_days(r, 33), alc=0.7, anc=2.0, plt=133, hb=12.4, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="negative", cr_status=None),
            "Restaging 64 days after FCR: largest node 1.4 cm (<1.5), spleen not palpable, ALC 0.6, ANC 1.9, "
            "platelets 121, Hb 12.0, marrow clear and normocellular: CR. Marrow MRD 0.009% is <0.01% (uMRD4). "
            "The platelet fall to 70 during cycles is a cytopenia during therapy and not PD.",
            "#16 MRD-negative: took the iwCLL reading (<10^-4, quantifiable 0.009% counts as undetectable-MRD4), "
            "which is the reading the CLL pack's source uses; #21 no hepatomegaly/B-symptom records read as absent.")

    # ---- c2-04 FCR, PR because node 1.5 ------------------------------------
    p = Pt("c2-04-fcr-pr-node15", "US-East", "1959-12-19", "female", "cll")
    p.condition(D("2020-03-30"))
    u = {"alc": "/uL", "plt": "/uL"}
    cll_baseline(p, D("2021-08-16"), 47.0, 3.5, 92, 11.8, 33.0, 3.8, spleen_ct=14.1, u=u)
    s = D("2021-08-23")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(9.0, 95, 11.5), (2.5, 101, 11.3), (1.4, 104, 11.6), (1.2, 110, 11.9), (1.1, 118, 12.1)]], u)
    r = add_days(last, 66)
    restage_gap(last, r)
    cbc(p, r, wbc=3.9, alc=1.3, anc=2.0, plt=138, hb=12.6, u=u)
    ct(p, r, 3.6, 1.5, 11.9)
    cll_marrow(p, add_days(r, 2), 0, False, "normocellular")
    mrd(p, r, 0.01, "pb", lod=0.001)
    cbc(p, add_days(r, 21), alc=1.4, anc=2.1, plt=142, hb=12.8, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="positive", cr_status=None),
            "Largest node 1.5 cm: iwCLL 2018 CR requires no node >=1.5 cm, so not CR although all else is CR-level "
            "(marrow examined and clear). PR: ALC and SPD down >=50%, platelets 92->138. Blood MRD 0.01% is not <0.01%.")

    # ---- c2-05 BR, CR with ALC 3900/uL --------------------------------------
    p = Pt("c2-05-br-cr-alc3900", "EU-Central", "1948-07-30", "male", "cll")
    p.condition(D("2018-05-14"))
    u = {"alc": "/uL", "anc": "/uL", "plt": "/uL"}
    cll_baseline(p, D("2022-05-09"), 72.0, 2.9, 95, 11.4, 25.0, 2.9, spleen_ct=12.2, u=u)
    s = D("2022-05-16")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h, anc=n) for a, n, pl, h in
                         [(15.0, 1.6, 98, 11.0), (6.1, 1.5, 104, 11.2), (4.9, 1.4, 112, 11.5), (4.4, 1.6, 119, 11.7),
                          (4.2, 1.7, 126, 11.9)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=6.2, alc=3.9, anc=1.8, plt=142, hb=12.2, u=u)
    ct(p, r, 2.0, 1.3, 11.0)
    cll_marrow(p, add_days(r, 3), 0, False, "normocellular", lymph=14)
    cbc(p, add_days(r, 30), alc=3.7, anc=2.0, plt=150, hb=12.5, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="not-assessed", cr_status=None),
            "ALC 3900/uL = 3.9 x10^9/L is <4 x10^9/L; nodes 1.3 cm, spleen 11.0 cm, ANC 1.8, platelets 142, Hb 12.2, "
            "marrow clear and normocellular: CR. No MRD test.")

    # ---- c2-06 BR, PR with ALC 4000/uL --------------------------------------
    p = Pt("c2-06-br-pr-alc4000", "US-East", "1953-03-14", "female", "cll")
    p.condition(D("2017-11-20"))
    u = {"alc": "/uL", "anc": "/uL", "plt": "/uL", "hb": "g/L"}
    cll_baseline(p, D("2022-06-06"), 85.0, 3.3, 84, 10.8, 41.0, 3.9, spleen_ct=15.0, u=u)
    s = D("2022-06-13")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(21.0, 90, 10.9), (8.8, 104, 11.3), (5.6, 122, 11.8), (4.8, 135, 12.1), (4.3, 141, 12.3)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=6.5, alc=4.0, anc=2.1, plt=151, hb=12.6, u=u)
    ct(p, r, 2.2, 1.2, 11.8)
    cll_marrow(p, add_days(r, 2), 0, False, "normocellular", lymph=18)
    mrd(p, r, 0.5, "pb")
    cbc(p, add_days(r, 28), alc=4.1, anc=2.3, plt=149, hb=12.8, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="positive", cr_status=None),
            "ALC 4000/uL = 4.0 x10^9/L is not <4 x10^9/L, so not CR although everything else (marrow included) is "
            "CR-level. PR: ALC -95%, SPD -95%, platelets 84->151. Blood MRD 0.5% >= 0.01%.")

    # ---- c2-07 FCR, CR with platelets 100 x10^3/uL; MRD <0.1% ---------------
    p = Pt("c2-07-fcr-cr-plt100", "EU-Central", "1960-06-05", "male", "cll")
    p.condition(D("2020-09-21"))
    u = {"plt": "10*3/uL", "hb": "g/L"}
    cll_baseline(p, D("2022-10-03"), 58.0, 3.0, 72, 12.8, 30.0, 3.1, spleen_ct=13.8, u=u)
    s = D("2022-10-10")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(7.5, 70, 12.1), (1.9, 76, 11.6), (1.0, 81, 11.5), (0.8, 85, 11.7), (0.7, 90, 11.9)]], u)
    r = add_days(last, 65)
    restage_gap(last, r)
    cbc(p, r, wbc=3.1, alc=0.7, anc=1.7, plt=100, hb=12.3, u=u)
    ct(p, r, 1.5, 1.1, 11.6)
    cll_marrow(p, add_days(r, 1), 0, False, "normocellular")
    mrd(p, r, 0.1, "pb", comparator="<", lod=0.1)
    cbc(p, add_days(r, 26), alc=0.8, anc=1.9, plt=104, hb=12.6, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="indeterminate", cr_status=None),
            "Platelets 100 x10^3/uL meet the 2018 CR threshold >=100 x10^9/L; ALC 0.7, node 1.1 cm, spleen 11.6, "
            "ANC 1.7, Hb 123 g/L, marrow clear: CR. Blood MRD '<0.1%' cannot show <0.01% and is not a detection.",
            "#15 censored MRD: '<0.1%' satisfies '<0.01%' only if 0.1 <= 0.01, so not negative; not detected, so not "
            "positive; took 'indeterminate' (ELN 'negative with insufficient sensitivity').")

    # ---- c2-08 FCR, platelets 99 -> no group-B improvement -> SD -------------
    p = Pt("c2-08-fcr-sd-plt99", "US-Arizona", "1955-01-27", "male", "cll")
    p.condition(D("2019-02-18"))
    u = {"alc": "/uL"}
    cll_baseline(p, D("2021-01-11"), 64.0, 3.8, 80, 13.1, 36.0, 3.5, spleen_ct=12.0, u=u)
    s = D("2021-01-18")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(18.0, 74, 12.6), (9.1, 71, 12.2), (7.0, 78, 12.1), (6.2, 84, 12.3), (5.9, 90, 12.4)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=8.4, alc=5.5, anc=2.4, plt=99, hb=12.6, u=u)
    ct(p, r, 9.0, 2.1, 11.4)
    cbc(p, add_days(r, 27), alc=5.6, anc=2.5, plt=97, hb=12.7, u=u)
    add_cll(p, dict(best_response="SD", status="refractory", progression_date=None, mrd_status="not-assessed",
                    cr_status=None),
            "Platelets were the only abnormal group-B parameter (80; Hb 13.1 and ANC normal) and reached 99: not "
            ">=100 and only +24%, so no group-B improvement and the 2018 PR rule fails despite ALC -91% and SPD -75%. "
            "No PD, so SD = no response to therapy = refractory (S5: treatment failure).",
            "#6 abnormal = platelets <100, Hb <11, ANC <1.5 at baseline; #23 SD read as the residual category "
            "(evaluable, not CR/PR/PD).")

    # ---- c2-09 FCR, Hb 11.0 g/dL, no marrow -> PR, cr_status not-evaluable --
    p = Pt("c2-09-fcr-pr-hb110-nomarrow", "EU-Central", "1958-08-17", "female", "cll")
    p.condition(D("2020-12-01"))
    u = {}
    cll_baseline(p, D("2022-03-07"), 49.0, 2.6, 135, 9.2, 26.0, 3.0, spleen_exam=3, u=u)
    s = D("2022-03-14")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(6.8, 128, 9.4), (1.6, 117, 9.9), (0.9, 121, 10.2), (0.8, 130, 10.5), (0.8, 136, 10.7)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=3.6, alc=0.8, anc=2.1, plt=145, hb=11.0, u=u)
    ct(p, r, 1.6, 1.2)
    p.obs("spleen_exam", r, 0, "cm", "10:30")
    mrd(p, r, 0.001, "pb", comparator="<", lod=0.001)
    cbc(p, add_days(r, 29), alc=0.9, anc=2.2, plt=150, hb=11.3, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="negative",
                    cr_status="not-evaluable"),
            "Hb 11.0 g/dL meets CR (>=11.0) and every other blood/imaging/exam criterion is CR-level, but no marrow "
            "was examined: Table 4 puts marrow 'not done' under PR, and CR cannot be assessed.",
            "#9 marrow not done: took Table 4 literally (PR), no 'clinical CR'.")

    # ---- c2-10 BR, Hb 109 g/L, no marrow -> PR, cr_status absent -------------
    p = Pt("c2-10-br-pr-hb109-nomarrow", "US-East", "1950-10-09", "male", "cll")
    p.condition(D("2016-04-25"))
    u = {"alc": "/uL", "anc": "/uL", "hb": "g/L"}
    cll_baseline(p, D("2021-09-13"), 77.0, 2.2, 152, 7.0, 35.0, 3.4, spleen_exam=5, u=u)
    s = D("2021-09-20")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(19.0, 140, 7.6), (5.2, 139, 8.4), (1.8, 146, 9.2), (1.1, 150, 9.9), (0.9, 155, 10.4)]], u)
    r = add_days(last, 65)
    restage_gap(last, r)
    cbc(p, r, wbc=3.2, alc=0.9, anc=1.9, plt=168, hb=10.9, u=u)
    ct(p, r, 1.9, 1.3)
    p.obs("spleen_exam", r, 0, "cm", date_only=True)
    cbc(p, add_days(r, 24), alc=1.0, anc=2.0, plt=171, hb=10.8, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="not-assessed", cr_status=None),
            "Hb 109 g/L = 10.9 g/dL is below the CR threshold 11.0, so CR is excluded whatever the marrow; PR: "
            "ALC -99%, SPD -95%, Hb 70->109 g/L (+56%). cr_status absent because not everything else points to CR "
            "(the CBC 24 days later still has Hb 108 g/L).")

    # ---- c2-11 BR, SPD exactly -50% -> PR ----------------------------------
    p = Pt("c2-11-br-pr-spd50", "EU-Central", "1949-05-02", "female", "cll")
    p.condition(D("2017-03-13"))
    u = {"plt": "10*3/uL"}
    cll_baseline(p, D("2021-10-18"), 62.0, 3.1, 78, 12.4, 40.0, 4.0, spleen_ct=11.5, u=u)
    s = D("2021-10-25")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(20.0, 82, 12.0), (8.1, 90, 12.1), (4.9, 99, 12.3), (3.6, 108, 12.5), (3.2, 112, 12.6)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=6.0, alc=3.1, anc=2.5, plt=118, hb=12.8, u=u)
    ct(p, r, 20.0, 2.8, 11.2)
    cbc(p, add_days(r, 30), alc=3.0, anc=2.6, plt=121, hb=12.9, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="not-assessed", cr_status=None),
            "SPD 40.0 -> 20.0 cm2 is a decrease of exactly 50% (>=50%), ALC 62 -> 3.1, platelets 78 -> 118: 2 group-A "
            "and 1 group-B improvements = PR. Residual 2.8 cm node excludes CR.")

    # ---- c2-12 BR, SPD -49% -> SD, refractory -------------------------------
    p = Pt("c2-12-br-sd-spd49", "US-East", "1952-11-23", "male", "cll")
    p.condition(D("2018-08-06"))
    u = {"anc": "/uL"}
    cll_baseline(p, D("2021-11-08"), 58.0, 2.9, 81, 12.0, 40.0, 4.0, spleen_ct=11.8, u=u)
    s = D("2021-11-15")
    last = br(p, s, skip_last_d2=True)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h, anc=n) for a, n, pl, h in
                         [(17.0, 1.8, 84, 11.8), (7.7, 1.5, 93, 11.9), (4.6, 1.4, 101, 12.1), (3.5, 1.3, 110, 12.2),
                          (3.1, 1.0, 116, 12.3)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=5.8, alc=2.9, anc=2.3, plt=121, hb=12.5, u=u)
    ct(p, r, 20.4, 2.9, 11.5)
    cbc(p, add_days(r, 28), alc=3.0, anc=2.4, plt=125, hb=12.6, u=u)
    add_cll(p, dict(best_response="SD", status="refractory", progression_date=None, mrd_status="not-assessed",
                    cr_status=None),
            "Two group-A parameters were abnormal (ALC, nodes); SPD 40.0 -> 20.4 is -49%, so only ALC improved and "
            "the 2018 rule (>=2 group-A improvements) fails. No PD: SD, i.e. treatment failure = refractory.",
            "#23 SD as residual category (ALC -95% lies outside the literal -49..+49 SD band). The cycle-6 day-2 "
            "bendamustine is a not-done administration (last dose = cycle-6 day 1).")

    # ---- c2-13 FCR, PR then PD +50% from nadir SPD, relapsed ------------------
    p = Pt("c2-13-fcr-pr-pd50-relapsed", "EU-Central", "1956-02-29", "male", "cll")
    p.condition(D("2018-10-15"))
    u = {}
    cll_baseline(p, D("2020-01-27"), 70.0, 3.4, 96, 11.9, 48.0, 4.4, spleen_ct=15.5, u=u, bsym=True)
    s = D("2020-02-03")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(12.0, 92, 11.6), (3.3, 99, 11.7), (2.1, 107, 11.9), (1.8, 115, 12.2), (1.7, 121, 12.4)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=4.1, alc=1.6, anc=2.0, plt=131, hb=12.7, u=u)
    ct(p, r, 10.0, 2.5, 12.4)
    cbc(p, add_months(r, 3), alc=1.9, anc=2.2, plt=135, hb=12.9, u=u)
    cbc(p, add_months(r, 6), alc=2.1, anc=2.3, plt=133, hb=12.8, u=u)
    # rituximab documented in error (wrong patient), must not count as therapy
    p.med("rituximab", add_months(last, 7), add_months(last, 7), status="entered-in-error", t0="09:30", t1="13:30",
          dose="375 mg/m2", route="intravenous", note="Documented on wrong patient record")
    pd = add_months(r, 9)
    cbc(p, pd, wbc=4.9, alc=2.3, anc=2.2, plt=128, hb=12.6, u=u)
    ct(p, pd, 15.0, 3.0, 12.6)
    cbc(p, add_days(pd, 21), alc=2.4, anc=2.1, plt=126, hb=12.5, u=u)
    assert pd >= add_months(r, 6) and pd > add_months(last, 6)
    add_cll(p, dict(best_response="PR", status="relapsed", progression_date=pd.isoformat(), mrd_status="not-assessed",
                    cr_status=None),
            "PR at restaging (SPD 48 -> 10.0). Nine months later SPD 15.0 = +50% from the response nadir, which is PD "
            "under 2018 ('from baseline or from response'). PD is >=6 months after the PR and >6 months after the "
            "last FCR dose: relapsed. The rituximab entered-in-error 7 months after FCR is ignored.",
            "#5 nadir: nodes explicitly 'from response' in 2018; ALC stays <50% above its nadir so no ALC dependence.")

    # ---- c2-14 FCR, PR then +49% from nadir: no PD ---------------------------
    p = Pt("c2-14-fcr-pr-pd49-nopd", "US-East", "1961-07-07", "female", "cll")
    p.condition(D("2019-01-09"))
    u = {"alc": "/uL", "plt": "/uL"}
    cll_baseline(p, D("2020-06-01"), 66.0, 3.0, 90, 12.2, 44.0, 4.2, spleen_ct=12.5, u=u)
    s = D("2020-06-08")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(11.0, 88, 11.9), (3.0, 96, 12.0), (1.9, 104, 12.2), (1.6, 118, 12.5), (1.5, 127, 12.6)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=4.0, alc=1.5, anc=2.0, plt=140, hb=12.9, u=u)
    ct(p, r, 10.0, 2.4, 11.9)
    cbc(p, add_months(r, 3), alc=1.6, anc=2.1, plt=142, hb=13.0, u=u)
    r6 = add_months(r, 6)
    cbc(p, r6, alc=1.8, anc=2.2, plt=139, hb=12.9, u=u)
    ct(p, r6, 12.2, 2.6, 12.0)
    r9 = add_months(r, 9)
    cbc(p, r9, alc=2.1, anc=2.1, plt=136, hb=12.8, u=u)
    ct(p, r9, 14.9, 2.9, 12.1)
    cbc(p, add_days(r9, 14), alc=2.0, anc=2.2, plt=138, hb=12.9, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="not-assessed", cr_status=None),
            "PR at restaging (SPD 44 -> 10.0, ALC 66 -> 1.5, platelets 90 -> 140). Later SPD 14.9 is +49% from the "
            "nadir (<50%), largest node +21%, ALC +40% from nadir and far below baseline: no PD criterion is met.")

    # ---- c2-15 BR, PR then PD < 6 months after last dose: refractory ----------
    p = Pt("c2-15-br-pr-pd-lt6mo-refractory", "EU-Central", "1954-04-12", "male", "cll")
    p.condition(D("2017-06-19"))
    u = {"plt": "10*3/uL", "hb": "g/L"}
    cll_baseline(p, D("2021-12-20"), 52.0, 2.7, 88, 11.6, 44.0, 4.0, spleen_ct=14.5, u=u)
    s = D("2022-01-03")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(19.0, 90, 11.4), (6.3, 97, 11.6), (3.5, 106, 11.9), (2.8, 115, 12.0), (2.6, 120, 12.1)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=5.1, alc=2.4, anc=2.2, plt=125, hb=12.3, u=u)
    ct(p, r, 12.0, 2.6, 12.1)
    pd = add_days(add_months(last, 6), -9)
    assert (pd - last).days <= 182 and pd < add_months(r, 6)
    cbc(p, pd, wbc=5.8, alc=3.0, anc=2.1, plt=119, hb=12.0, u=u)
    ct(p, pd, 21.0, 3.6, 12.4)
    cbc(p, add_days(pd, 21), alc=3.4, anc=2.0, plt=114, hb=11.9, u=u)
    add_cll(p, dict(best_response="PR", status="refractory", progression_date=pd.isoformat(),
                    mrd_status="not-assessed", cr_status=None),
            "PR at restaging; SPD then rises 12.0 -> 21.0 (+75%% from nadir) %d days after the last bendamustine dose, "
            "i.e. PD within 6 months of the last therapy = refractory (S5). Only ~4 months after PR, so the relapse "
            "clock is not met." % (pd - last).days,
            "#1 month arithmetic: PD is 9 days before the calendar 6-month mark and before the 182.6-day mark.")

    # ---- c2-16 BR, PR then PD just after 6 months of last dose: status open ---
    p = Pt("c2-16-br-pr-pd-gt6mo-gap", "US-East", "1950-01-31", "female", "cll")
    p.condition(D("2016-09-12"))
    u = {"alc": "/uL", "anc": "/uL"}
    cll_baseline(p, D("2022-02-07"), 60.0, 3.0, 85, 10.5, 38.0, 3.8, spleen_exam=4, u=u)
    s = D("2022-02-14")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(22.0, 88, 10.6), (7.0, 96, 11.0), (3.1, 109, 11.4), (2.4, 118, 11.7), (2.1, 125, 11.9)]], u)
    r = add_days(last, 64)
    restage_gap(last, r)
    cbc(p, r, wbc=4.6, alc=2.0, anc=2.1, plt=130, hb=12.0, u=u)
    ct(p, r, 11.0, 2.3)
    p.obs("spleen_exam", r, 0, "cm", "10:15")
    cbc(p, add_months(r, 2), alc=2.2, anc=2.3, plt=131, hb=12.1, u=u)
    pd = add_days(add_months(last, 6), 8)
    assert pd > add_days(last, 183) and pd < add_months(r, 6)
    cbc(p, pd, wbc=5.6, alc=2.9, anc=2.2, plt=124, hb=11.8, u=u)
    ct(p, pd, 17.6, 3.1)
    p.obs("spleen_exam", pd, 2, "cm", "10:15")
    cbc(p, add_days(pd, 28), alc=3.3, anc=2.1, plt=120, hb=11.6, u=u)
    add_cll(p, dict(best_response="PR", progression_date=pd.isoformat(), mrd_status="not-assessed", cr_status=None),
            "PR at restaging; PD %d days after the last dose (SPD +60%% from nadir, spleen palpable again). Not "
            "refractory (PD >6 months after last therapy)." % (pd - last).days,
            "#3 two clocks: PD is >6 months after the last dose but only ~4 months after the PR was documented. "
            "Relapsed if the 6 months run from the end of treatment (seed 000 wording), neither relapsed nor "
            "refractory if they run from achieving PR (reference 1.2). status is therefore left out.")

    # ---- c2-17 ibrutinib stopped for AF after PR, PD > 6 mo later: relapsed --
    p = Pt("c2-17-ibr-stopped-relapsed", "UTC", "1947-12-01", "female", "cll")
    p.condition(D("2015-02-16"))
    u = {"alc": "/uL", "anc": "/uL", "plt": "/uL"}
    cll_baseline(p, D("2019-06-03"), 82.0, 3.6, 97, 10.1, 30.0, 3.5, spleen_ct=14.8, u=u, bsym=True)
    s = D("2019-06-10")
    stop = add_months(s, 10)
    p.med("ibrutinib", s, stop, status="stopped", t0="08:00", t1="08:00", dose="420 mg once daily", route="oral",
          reason="Atrial fibrillation (grade 3)")
    cbc(p, add_months(s, 1), alc=130.0, anc=3.4, plt=104, hb=10.4, u=u)
    m3 = add_months(s, 3)
    cbc(p, m3, alc=95.0, anc=3.2, plt=120, hb=11.2, u=u)
    ct(p, m3, 13.0, 2.4, 13.5)
    m6 = add_months(s, 6)
    cbc(p, m6, alc=30.0, anc=3.3, plt=131, hb=12.0, u=u)
    ct(p, m6, 11.0, 2.2, 12.8)
    m9 = add_months(s, 9)
    cbc(p, m9, alc=18.0, anc=3.5, plt=140, hb=12.4, u=u)
    ct(p, m9, 10.5, 2.1, 12.6)
    rr = add_days(stop, 76)
    cbc(p, rr, alc=21.0, anc=3.4, plt=138, hb=12.5, u=u)
    ct(p, rr, 10.8, 2.1, 12.7)
    cbc(p, add_months(stop, 4), alc=26.0, anc=3.3, plt=135, hb=12.3, u=u)
    pd = add_days(add_months(stop, 6), 12)
    cbc(p, pd, alc=64.0, anc=3.1, plt=126, hb=11.9, u=u)
    ct(p, pd, 24.0, 3.6, 13.9)
    cbc(p, add_days(pd, 21), alc=71.0, anc=3.0, plt=121, hb=11.7, u=u)
    assert pd > add_days(stop, 183) and pd >= add_months(m6, 6)
    add_cll(p, dict(best_response="PR", status="relapsed", progression_date=pd.isoformat(),
                    mrd_status="not-assessed", cr_status=None),
            "On ibrutinib: transient lymphocytosis (month 1, not PD), then PR from month 6 (ALC -63%%, SPD -63%%, "
            "platelets and Hb recovered), still PR 76 days after ibrutinib was stopped for atrial fibrillation. PD "
            "(SPD 10.5 -> 24.0) %d days after the last dose and >6 months after the PR: relapsed, not refractory."
            % (pd - stop).days,
            "#10 the month-1 ALC rise on a BTK inhibitor is treatment-related lymphocytosis, not PD; lymphocytosis "
            "key left out (it resolved; 'current' vs 'ever' is a choice).")

    # ---- c2-18 acalabrutinib continuous, PR-L --------------------------------
    p = Pt("c2-18-acala-prl", "EU-Central", "1946-08-19", "male", "cll")
    p.condition(D("2014-05-05"))
    u = {"alc": "/uL"}
    cll_baseline(p, D("2022-08-29"), 48.0, 4.1, 140, 10.2, 36.0, 3.9, spleen_ct=12.4, u=u)
    s = D("2022-09-05")
    p.med("acalabrutinib", s, None, status="in-progress", t0="08:00", dose="100 mg twice daily", route="oral")
    cbc(p, add_months(s, 1), alc=95.0, anc=4.0, plt=138, hb=10.5, u=u)
    m3 = add_months(s, 3)
    cbc(p, m3, alc=110.0, anc=3.9, plt=142, hb=11.1, u=u)
    ct(p, m3, 20.0, 2.9, 12.2)
    m6 = add_months(s, 6)
    cbc(p, m6, alc=78.0, anc=3.8, plt=151, hb=11.8, u=u)
    ct(p, m6, 14.0, 2.4, 12.0)
    m9 = add_months(s, 9)
    cbc(p, m9, alc=60.0, anc=3.9, plt=149, hb=12.4, u=u)
    ct(p, m9, 12.0, 2.2, 11.9)
    cbc(p, add_months(s, 10), alc=57.0, anc=4.0, plt=150, hb=12.5, u=u)
    add_cll(p, dict(best_response="PR-L", status=None, progression_date=None, mrd_status="not-assessed",
                    cr_status=None, lymphocytosis=True),
            "Continuous acalabrutinib (in-progress): SPD -61% (month 6) and -67% (month 9), Hb 10.2 -> 11.8/12.4, "
            "but ALC stays above baseline (+129% at month 3, +25% at month 9). PR except for the ALC = PR with "
            "lymphocytosis; the ALC rise on a BTK inhibitor is not PD.",
            "#10 PR-L taken as its own category (data-contract vocabulary); #2 continuous therapy: two consecutive "
            "assessments 3 months apart show the same category, so any reading of 'sustained' is satisfied.")

    # ---- c2-19 acalabrutinib continuous, PR without lymphocytosis ------------
    p = Pt("c2-19-acala-pr-exam-spleen", "US-East", "1955-05-28", "female", "cll")
    p.condition(D("2019-07-22"))
    u = {"alc": "/uL", "plt": "/uL", "anc": "/uL"}
    cll_baseline(p, D("2022-04-04"), 35.0, 3.0, 88, 11.9, 28.0, 3.3, spleen_exam=5, u=u)
    s = D("2022-04-11")
    p.med("acalabrutinib", s, None, status="in-progress", t0="08:00", dose="100 mg twice daily", route="oral")
    cbc(p, add_months(s, 1), alc=30.0, anc=2.9, plt=95, hb=12.0, u=u)
    m3 = add_months(s, 3)
    cbc(p, m3, alc=16.0, anc=3.1, plt=118, hb=12.2, u=u)
    ct(p, m3, 15.0, 2.6)
    p.obs("spleen_exam", m3, 1, "cm", date_only=True)
    m6 = add_months(s, 6)
    cbc(p, m6, alc=9.0, anc=3.2, plt=126, hb=12.5, u=u)
    ct(p, m6, 12.0, 2.2)
    p.obs("spleen_exam", m6, 0, "cm", date_only=True)
    m9 = add_months(s, 9)
    cbc(p, m9, alc=6.5, anc=3.3, plt=140, hb=12.7, u=u)
    ct(p, m9, 9.0, 2.0)
    p.obs("spleen_exam", m9, 0, "cm", date_only=True)
    cbc(p, add_months(s, 10), alc=6.2, anc=3.2, plt=142, hb=12.8, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="not-assessed",
                    cr_status=None, lymphocytosis=False),
            "Continuous acalabrutinib: ALC never rises above baseline (35 -> 9 -> 6.5, -74%/-81%), SPD -57%/-68%, "
            "spleen no longer palpable, platelets 88 -> 126/140: PR at months 6 and 9; residual 2.0-2.2 cm node "
            "excludes CR. No treatment-related lymphocytosis.")

    # ---- c2-20 BR, data end 5 weeks after the last dose: NE ------------------
    p = Pt("c2-20-br-ne-too-early", "EU-Central", "1944-03-09", "male", "cll")
    p.condition(D("2016-01-11"))
    u = {"plt": "10*3/uL"}
    cll_baseline(p, D("2022-11-07"), 45.0, 2.6, 92, 10.8, 30.0, 3.2, spleen_ct=14.0, u=u)
    s = D("2022-11-14")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(14.0, 95, 10.9), (5.0, 103, 11.0), (2.2, 110, 11.2), (1.5, 118, 11.3), (1.3, 124, 11.4)]], u)
    cbc(p, add_days(last, 28), wbc=3.9, alc=1.2, anc=2.1, plt=130, hb=11.5, u=u)
    cbc(p, add_days(last, 35), alc=1.2, anc=2.2, plt=131, hb=11.6, u=u)
    add_cll(p, dict(best_response="NE", status=None, progression_date=None, mrd_status="not-assessed"),
            "Data end 35 days after the last bendamustine dose: response can only be assessed >=2 months after the "
            "end of therapy and there is no imaging or restaging at all; CBCs alone do not establish a response.",
            "#2 reading (a): no assessment 2 months after therapy exists yet. cr_status left out.")

    # ---- c2-21 FCR, CRi (hypocellular marrow, platelets 82) ------------------
    p = Pt("c2-21-fcr-cri-hypocellular", "US-East", "1963-10-14", "female", "cll")
    p.condition(D("2020-07-27"))
    u = {"alc": "/uL", "anc": "/uL", "plt": "10*3/uL"}
    cll_baseline(p, D("2022-07-11"), 51.0, 3.9, 150, 12.8, 27.0, 3.0, spleen_ct=13.6, u=u)
    s = D("2022-07-18")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(7.0, 131, 12.1), (1.6, 108, 11.6), (0.9, 96, 11.3), (0.8, 88, 11.2), (0.8, 84, 11.4)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=2.8, alc=0.8, anc=1.7, plt=82, hb=11.6, u=u)
    ct(p, r, 1.5, 1.1, 11.2)
    m = add_days(r, 2)
    cll_marrow(p, m, 0, False, "hypocellular", lymph=7)
    mrd(p, m, 0.001, "bm", comparator="<", lod=0.001)
    cbc(p, add_days(last, 77), alc=0.8, anc=1.8, plt=86, hb=11.7, u=u)
    assert add_days(last, 77) < add_months(last, 3)
    add_cll(p, dict(best_response="CRi", status=None, progression_date=None, mrd_status="negative"),
            "All CR criteria are met (ALC 0.8, node 1.1 cm, spleen 11.2, ANC 1.7, Hb 11.6, marrow without CLL cells "
            "or nodules) except platelets 82 after FCR with a hypocellular marrow: CR with incomplete marrow "
            "recovery. Marrow MRD <0.001%.",
            "#11 attribution: took a hypocellular marrow without CLL infiltrate (2008: 'hypocellular marrow defines "
            "CRi') as showing the cytopenia is drug-related, not CLL.")

    # ---- c2-22 FCR, CR with entered-in-error Hb, corrected Hb, amended CT -----
    p = Pt("c2-22-fcr-cr-corrections", "EU-Central", "1957-01-06", "male", "cll")
    p.condition(D("2019-04-01"))
    u = {"plt": "10*3/uL"}
    cll_baseline(p, D("2021-03-01"), 73.0, 3.2, 104, 10.4, 34.0, 3.6, spleen_ct=15.2, u=u, hepato=True, bsym=True)
    s = D("2021-03-08")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(10.0, 99, 10.5), (2.4, 103, 10.8), (1.3, 111, 11.2), (1.0, 120, 11.6), (0.9, 126, 11.9)]], u)
    r = add_days(last, 66)
    restage_gap(last, r)
    cbc(p, r, "08:45", wbc=3.7, alc=0.9, anc=2.0, plt=133, u=u)
    p.obs("hb", r, 8.9, "g/dL", "08:45", status="entered-in-error")
    p.obs("hb", r, 12.3, "g/dL", "14:20", status="corrected")
    p.obs("spd", r, 2.1, "cm2", period=("10:00", "10:40"), status="amended", issued_days=2)
    p.obs("ln_max", r, 1.2, "cm", period=("10:00", "10:40"), status="amended", issued_days=2)
    p.obs("spleen_ct", r, 11.9, "cm", period=("10:00", "10:40"), issued_days=1)
    p.obs("hepatomegaly", r, False, None, "11:00")
    p.obs("bsym", r, False, None, "11:00")
    m = add_days(r, 3)
    cll_marrow(p, m, 0, False, "normocellular", lymph=10)
    mrd(p, m, None, "bm", status="cancelled", absent=True)
    mrd(p, r, 0.001, "pb", comparator="<", lod=0.001)
    cbc(p, add_days(r, 30), alc=1.0, anc=2.2, plt=140, hb=12.6, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="negative", cr_status=None),
            "At restaging the Hb 8.9 result is entered-in-error and ignored; the corrected Hb 12.3 counts. Amended CT "
            "(node 1.2 cm, SPD 2.1) counts; spleen 11.9; hepatomegaly and B symptoms present at baseline are "
            "recorded as resolved; marrow clear and normocellular: CR. The marrow MRD was cancelled (ignored); blood "
            "MRD <0.001% is negative.")

    # ---- c2-23 VenO, PR; later SPD 60 entered-in-error ----------------------
    p = Pt("c2-23-veno-pr-eie-spd", "US-East", "1952-06-16", "female", "cll")
    p.condition(D("2020-02-10"))
    u = {"alc": "/uL", "anc": "/uL"}
    cll_baseline(p, D("2021-04-19"), 104.0, 3.1, 76, 11.2, 42.0, 4.3, spleen_exam=6, u=u)
    s = D("2021-04-26")
    last = veno(p, s)
    cycle_cbcs(p, s, 12, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                          [(60.0, 74, 11.0), (7.1, 80, 11.2), (1.8, 92, 11.6), (0.9, 101, 11.9), (0.8, 108, 12.1),
                           (0.7, 112, 12.2), (0.6, 115, 12.3), (0.6, 117, 12.4), (0.7, 119, 12.4), (0.6, 120, 12.5),
                           (0.6, 121, 12.5)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=3.5, alc=0.6, anc=2.0, plt=122, hb=12.6, u=u)
    ct(p, r, 5.5, 1.8)
    p.obs("spleen_exam", r, 0, "cm", "10:20")
    mrd(p, r, 0.02, "pb", lod=0.001)
    r4 = add_months(r, 4)
    cbc(p, r4, alc=0.7, anc=2.1, plt=125, hb=12.8, u=u)
    p.obs("spd", r4, 60.0, "cm2", period=("09:10", "09:40"), status="entered-in-error", issued_days=1)
    p.obs("ln_max", r4, 5.1, "cm", period=("09:10", "09:40"), status="entered-in-error", issued_days=1)
    ct(p, r4, 5.2, 1.8, period=("13:00", "13:35"))
    cbc(p, add_days(r4, 21), alc=0.7, anc=2.2, plt=127, hb=12.9, u=u)
    add_cll(p, dict(best_response="PR", status=None, progression_date=None, mrd_status="positive", cr_status=None),
            "PR at restaging (ALC -99%, SPD -87%, platelets 76 -> 122; residual node 1.8 cm so not CR). The later SPD "
            "60 cm2 / node 5.1 cm is entered-in-error (other patient's scan) and must be ignored; the valid scan the "
            "same day shows SPD 5.2. Blood MRD 0.02% >= 0.01%.")

    # ---- c2-24 BR, PD at the first restaging ---------------------------------
    p = Pt("c2-24-br-pd-first-restaging", "EU-Central", "1949-09-25", "male", "cll")
    p.condition(D("2015-10-26"))
    u = {"hb": "g/L"}
    cll_baseline(p, D("2022-03-28"), 40.0, 2.8, 110, 11.4, 30.0, 3.4, spleen_ct=14.2, u=u, bsym=True)
    s = D("2022-04-04")
    last = br(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(14.0, 104, 11.2), (7.2, 108, 11.3), (4.9, 112, 11.5), (4.1, 115, 11.6), (3.8, 118, 11.7)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=6.6, alc=3.5, anc=2.3, plt=120, hb=11.9, u=u)
    ct(p, r, 48.0, 4.6, 14.5)
    cbc(p, add_days(r, 21), alc=3.9, anc=2.2, plt=117, hb=11.6, u=u)
    add_cll(p, dict(best_response="PD", status="refractory", progression_date=r.isoformat(), mrd_status="not-assessed",
                    cr_status=None),
            "First restaging after BR: SPD 30 -> 48 cm2 (+60% from baseline) = PD, although the ALC fell. PD at the "
            "first assessment, within 6 months of the last dose: best response PD, refractory.")

    # ---- c2-25 FCR, PR at restaging 1 (no marrow, node 1.7), CR at restaging 2
    p = Pt("c2-25-fcr-pr-then-cr", "US-East", "1966-03-03", "female", "cll")
    p.condition(D("2021-01-18"))
    u = {"alc": "/uL", "plt": "/uL", "hb": "g/L"}
    cll_baseline(p, D("2022-06-20"), 55.0, 3.3, 98, 11.3, 31.0, 3.3, spleen_ct=13.9, u=u)
    s = D("2022-06-27")
    last = fcr(p, s)
    cycle_cbcs(p, s, 6, [dict(alc=a, plt=pl, hb=h) for a, pl, h in
                         [(8.0, 96, 11.0), (2.0, 101, 11.1), (1.2, 110, 11.4), (1.1, 117, 11.6), (1.0, 122, 11.9)]], u)
    r = add_days(last, 63)
    restage_gap(last, r)
    cbc(p, r, wbc=3.6, alc=1.0, anc=2.0, plt=128, hb=12.1, u=u)
    ct(p, r, 3.2, 1.7, 12.3)
    cbc(p, add_months(last, 4), alc=1.1, anc=2.1, plt=137, hb=12.6, u=u)
    r2 = add_days(add_months(last, 6), 3)
    cbc(p, r2, wbc=3.9, alc=1.2, anc=2.3, plt=145, hb=12.9, u=u)
    ct(p, r2, 1.7, 1.3, 11.9)
    cll_marrow(p, add_days(r2, 2), 0, False, "normocellular", lymph=11)
    cbc(p, add_days(r2, 21), alc=1.2, anc=2.4, plt=148, hb=13.0, u=u)
    add_cll(p, dict(best_response="CR", status=None, progression_date=None, mrd_status="not-assessed", cr_status=None),
            "Restaging 1 (63 days after FCR): PR (node 1.7 cm, no marrow). Restaging 2 six months after FCR: node "
            "1.3 cm, spleen 11.9, ALC 1.2, ANC 2.3, platelets 145, Hb 129 g/L, marrow clear and normocellular: CR. "
            "Best response CR.")


# ---------------------------------------------------------------- ALL

def add_all(p, expect, why, amb=None):
    ALLP.append((p, expect, why, amb))


def all_dx(p, D0, wbc, anc, plt, hb, pb, bm, csf_wbc, csf_bl, u, bcr=None, emd=False):
    cbc(p, D0, "09:10", wbc=wbc, anc=anc, plt=plt, hb=hb, pb_blasts=pb, u=u)
    m = add_days(D0, 1)
    p.obs("bm_blasts", m, bm, "%", "10:30", issued_days=2)
    if bcr is not None:
        p.obs("bcr_abl", m, bcr, None, "10:30", issued_days=5)
    if emd:
        p.obs("emd", D0, True, None, "14:00", text="Anterior mediastinal mass on chest CT")
    return m


def lp(p, d, wbc, blasts=None, hhmm="11:00"):
    p.obs("csf_wbc", d, wbc, "/uL", hhmm)
    if blasts is not None:
        p.obs("csf_blasts", d, blasts, "/uL", hhmm)


def induction(p, I, steroid="prednisone", dasatinib=False, phase_in="category"):
    """Induction course days 1-28 (I = day 1). Returns end date (day 28)."""
    end = add_days(I, 27)
    txt_code = "Induction chemotherapy, course 1" if phase_in == "code" else "Chemotherapy, ALL protocol course 1"
    p.proc(I, end, txt_code, category_text="Induction" if phase_in == "category" else None)
    for dd in (0, 7, 14, 21):
        p.med("vincristine", add_days(I, dd), add_days(I, dd), t0="10:00", t1="10:20", dose="1.4 mg/m2 (max 2 mg)",
              route="intravenous")
    if not dasatinib:
        p.med("daunorubicin", I, add_days(I, 2), t0="10:30", t1="11:30", dose="45 mg/m2 d1-3", route="intravenous")
    if steroid == "prednisone":
        p.med("prednisone", I, end, t0="08:00", t1="08:00", dose="60 mg/m2 daily", route="oral")
    else:
        p.med("dexamethasone", I, add_days(I, 3), t0="08:00", t1="08:00", dose="10 mg/m2 d1-4", route="oral")
        p.med("dexamethasone", add_days(I, 10), add_days(I, 13), t0="08:00", t1="08:00", dose="10 mg/m2 d11-14",
              route="oral")
    p.med("methotrexate", I, I, t0="11:00", t1="11:10", dose="15 mg", route="intrathecal")
    p.med("methotrexate", add_days(I, 14), add_days(I, 14), t0="11:00", t1="11:10", dose="15 mg", route="intrathecal")
    return end


def consolidation(p, start, cycles=4, phase_in="category", upto=None):
    """Consolidation cycles every 28 days; stops before 'upto' if given."""
    end = add_days(start, 28 * cycles - 1)
    status = "completed"
    if upto is not None and end >= upto:
        status = "in-progress"
        end = None
    p.proc(start, end, "Consolidation chemotherapy" if phase_in == "code" else "Chemotherapy (intensification)",
           category_text="Consolidation" if phase_in == "category" else None, status=status)
    for c in range(cycles):
        d1 = add_days(start, 28 * c)
        if upto is not None and d1 >= upto:
            break
        p.med("cyclophosphamide", d1, d1, t0="09:30", t1="10:30", dose="1000 mg/m2", route="intravenous")
        p.med("cytarabine", add_days(d1, 2), add_days(d1, 5), t0="09:00", t1="09:30", dose="75 mg/m2 d3-6",
              route="intravenous")
        p.med("mercaptopurine", d1, add_days(d1, 13), t0="08:00", t1="08:00", dose="60 mg/m2 daily d1-14",
              route="oral")
        p.med("methotrexate", add_days(d1, 2), add_days(d1, 2), t0="11:00", t1="11:10", dose="15 mg",
              route="intrathecal")
    return add_days(start, 28 * cycles - 1)


def maintenance(p, start, months, upto, phase_in="category"):
    end = add_months(start, months)
    status = "completed" if end < upto else "in-progress"
    p.proc(start, end if status == "completed" else None,
           "Maintenance chemotherapy (POMP)" if phase_in == "code" else "Chemotherapy, oral continuation",
           category_text="Maintenance" if phase_in == "category" else None, status=status)
    k = 0
    while True:
        d1 = add_months(start, k)
        if d1 >= end or d1 >= upto:
            break
        d2 = min(add_days(add_months(start, k + 1), -1), add_days(upto, -1))
        p.med("mercaptopurine", d1, d2, t0="08:00", t1="08:00", dose="50 mg/m2 daily", route="oral")
        p.med("methotrexate", d1, d2, t0="08:00", t1="08:00", dose="20 mg/m2 weekly", route="oral")
        if k % 3 == 0:
            p.med("vincristine", d1, d1, t0="10:00", t1="10:20", dose="1.4 mg/m2", route="intravenous")
            p.med("prednisone", d1, add_days(d1, 4), t0="08:00", t1="08:00", dose="40 mg/m2 d1-5", route="oral")
        k += 1
    return end


def follow_cbcs(p, start, stop, step_months, vals, u):
    """CBC every step_months from start (exclusive) to stop (exclusive)."""
    k = 1
    while True:
        d = add_months(start, step_months * k)
        if d >= stop:
            break
        v = vals[(k - 1) % len(vals)]
        cbc(p, d, "08:50", u=u, **v)
        k += 1


OKV = [dict(wbc=4.1, anc=2.2, plt=188, hb=12.9, pb_blasts=0), dict(wbc=3.6, anc=1.8, plt=162, hb=12.4),
       dict(wbc=3.9, anc=2.0, plt=175, hb=12.7), dict(wbc=3.3, anc=1.6, plt=151, hb=12.2, pb_blasts=0)]


def standard_all(p, D0, eoi_day, eoi_counts, eoi_bm, u, steroid="prednisone", phase_in="category",
                 dx=None, csf_dx=(2, 0), csf_eoi=(1, 0), bcr=None, emd=False, dasatinib=False):
    """Diagnosis + induction + EOI assessment; returns (I, E)."""
    dx = dx or dict(wbc=28.0, anc=0.8, plt=45, hb=8.4, pb=64, bm=86)
    all_dx(p, D0, dx["wbc"], dx["anc"], dx["plt"], dx["hb"], dx["pb"], dx["bm"], None, None, u, bcr=bcr, emd=emd)
    I = add_days(D0, 3)
    lp(p, I, csf_dx[0], csf_dx[1], "10:45")
    induction(p, I, steroid=steroid, phase_in=phase_in, dasatinib=dasatinib)
    cbc(p, add_days(I, 7), "08:30", wbc=2.1, anc=0.3, plt=38, hb=8.0, pb_blasts=6, u=u)
    cbc(p, add_days(I, 14), "08:30", wbc=0.9, anc=0.1, plt=22, hb=7.9, pb_blasts=0, u=u)
    cbc(p, add_days(I, 21), "08:30", wbc=1.6, anc=0.4, plt=61, hb=8.6, u=u)
    E = add_days(I, eoi_day - 1)
    assert 29 <= eoi_day + 0 <= 35 or eoi_day == 28
    if eoi_counts is not None:
        cbc(p, E, "08:40", u=u, **eoi_counts)
    if eoi_bm is not None:
        p.obs("bm_blasts", E, eoi_bm, "%", "10:40", issued_days=2)
    if csf_eoi is not None:
        lp(p, E, csf_eoi[0], csf_eoi[1], "11:15")
    return I, E


def relapse_all(p, Rl, bm, pb, u, anc=0.7, plt=48, hb=9.1, wbc=9.8):
    cbc(p, Rl, "08:35", wbc=wbc, anc=anc, plt=plt, hb=hb, pb_blasts=pb, u=u)
    p.obs("bm_blasts", Rl, bm, "%", "10:50", issued_days=2)


def build_all():
    # ---- a2-01 CR, MRD negative; entered-in-error ANC at EOI ----------------
    p = Pt("a2-01-cr-mrdneg", "EU-Central", "1990-03-12", "male", "all")
    D0 = D("2021-02-15")
    p.condition(D0)
    u = {"plt": "10*3/uL"}
    I, E = standard_all(p, D0, 29, dict(wbc=4.2, anc=2.3, plt=187, hb=11.2, pb_blasts=0), 1.2, u)
    p.obs("anc", E, 0.4, "10*9/L", "08:40", status="entered-in-error")
    mrd(p, E, 0.001, "bm", comparator="<", lod=0.001, local=False, hhmm="10:40")
    cbc(p, add_days(E, 30), "08:50", wbc=3.8, anc=2.0, plt=205, hb=11.9, u=u)
    cs = add_days(E, 8)
    ce = consolidation(p, cs)
    p.obs("bm_blasts", add_days(ce, 5), 0.6, "%", "10:40", issued_days=2)
    end = add_months(E, 12)
    maintenance(p, add_days(ce, 14), 24, end)
    follow_cbcs(p, E, end, 2, OKV, u)
    cbc(p, end, "09:00", wbc=4.0, anc=2.1, plt=190, hb=13.0, u=u)
    add_all(p, dict(status="CR", mrd_status="negative", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "End-of-induction (day 29) marrow 1.2% blasts, no blood blasts, CSF clear, ANC 2.3, platelets 187: CR, "
            "sustained through consolidation and maintenance. The ANC 0.4 on the EOI date is entered-in-error. Marrow "
            "MRD <0.001%.",
            "#17 CR dated at the EOI marrow (the observation that establishes it), confirmed by the CBC 30 days later.")

    # ---- a2-02 EOI marrow blasts 4.9% -> CR; MRD 0.85% positive -----------
    p = Pt("a2-02-cr-bm49-mrdpos", "US-East", "1985-07-21", "female", "all")
    D0 = D("2022-05-02")
    p.condition(D0)
    u = {"anc": "/uL", "plt": "/uL"}
    I, E = standard_all(p, D0, 33, dict(wbc=3.5, anc=1.9, plt=142, hb=10.8, pb_blasts=0), 4.9, u,
                        steroid="dexamethasone", phase_in="code", csf_eoi=(2, None))
    mrd(p, E, 0.85, "bm", local=False, hhmm="10:40")
    p.med("blinatumomab", add_days(E, 14), None, status="in-progress", t0="10:00",
          dose="28 mcg/day continuous infusion", route="intravenous", note="MRD-directed therapy")
    cbc(p, add_days(E, 35), "08:50", wbc=3.9, anc=2.1, plt=166, hb=11.4, pb_blasts=0, u=u)
    add_all(p, dict(status="CR", mrd_status="positive", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "Day-33 marrow 4.9% blasts (<5%), no blood blasts, ANC 1.9, platelets 142: CR (sustained at the CBC 35 "
            "days later). Marrow MRD 0.85% >= 0.01% is MRD-positive, hence blinatumomab.",
            "#21 CSF blasts not reported at the EOI lumbar puncture (WBC 2/uL only): read as none (CNS1).")

    # ---- a2-03 EOI marrow blasts 5.0% -> refractory -------------------------
    p = Pt("a2-03-refractory-bm50", "EU-Central", "1978-11-30", "male", "all")
    D0 = D("2022-09-12")
    p.condition(D0)
    u = {}
    I, E = standard_all(p, D0, 30, dict(wbc=3.1, anc=1.5, plt=121, hb=10.2, pb_blasts=0), 5.0, u)
    mrd(p, E, 4.2, "bm", local=False, hhmm="10:40")
    p.med("blinatumomab", add_days(E, 10), None, status="in-progress", t0="10:00",
          dose="9 mcg/day continuous infusion", route="intravenous", note="Salvage, primary refractory")
    cbc(p, add_days(E, 24), "08:50", wbc=2.9, anc=1.3, plt=118, hb=10.0, u=u)
    add_all(p, dict(status="refractory", mrd_status="positive", cr1_date=None, relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "End-of-induction marrow (day 30) 5.0% blasts is not <5%: no CR/CRi at the end of induction = "
            "refractory; salvage blinatumomab started.",
            "#18 end of induction = end of the single Procedure labelled Induction; #13 5.0% is not <5% under any "
            "source, so this is not the 'exactly 5%' relapse ambiguity.")

    # ---- a2-04 ANC 1100/uL -> CR; MRD exactly 0.01% positive ----------------
    p = Pt("a2-04-cr-anc11-mrd001", "US-East", "2001-01-08", "female", "all")
    D0 = D("2022-01-10")
    p.condition(D0)
    u = {"anc": "/uL", "plt": "/uL", "hb": "g/L"}
    I, E = standard_all(p, D0, 29, dict(wbc=2.6, anc=1.1, plt=156, hb=10.6, pb_blasts=0), None, u)
    p.obs("bm_blasts", E, 2.1, "%", "10:40", status="amended", issued_days=3)
    mrd(p, E, 0.01, "bm", local=False, hhmm="10:40")
    cbc(p, add_days(E, 29), "08:50", wbc=3.8, anc=1.9, plt=210, hb=11.8, pb_blasts=0, u=u)
    cs = add_days(E, 8)
    end = add_months(E, 3)
    consolidation(p, cs, upto=end)
    cbc(p, add_days(E, 57), "08:50", wbc=3.5, anc=1.7, plt=176, hb=11.6, u=u)
    cbc(p, end, "08:50", wbc=3.6, anc=1.8, plt=181, hb=11.9, u=u)
    add_all(p, dict(status="CR", mrd_status="positive", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "ANC 1100/uL = 1.1 x10^9/L is >1.0 (and >=1.0), platelets 156, marrow 2.1% (amended report), no "
            "blasts, CSF clear: CR. MRD exactly 0.01% is not <0.01% (NCCN) and is >=0.01% (ELN 'MRD failure').")

    # ---- a2-05 ANC exactly 1.0 -> status left out; MRD '<0.01%' negative ------
    p = Pt("a2-05-anc10-boundary", "EU-Central", "1969-05-17", "male", "all")
    D0 = D("2023-03-06")
    p.condition(D0)
    u = {"plt": "10*3/uL"}
    I, E = standard_all(p, D0, 31, dict(wbc=2.4, anc=1.0, plt=132, hb=10.4, pb_blasts=0), 1.5, u)
    mrd(p, E, 0.01, "bm", comparator="<", local=False, hhmm="10:40")
    cbc(p, add_days(E, 30), "08:50", wbc=2.5, anc=1.0, plt=140, hb=10.9, pb_blasts=0, u=u)
    add_all(p, dict(mrd_status="negative", relapse_date=None, relapse_timing=None, relapse_site=None),
            "ANC exactly 1.0 x10^9/L at EOI and 30 days later, platelets >100, marrow 1.5%, no blasts. MRD '<0.01%' "
            "satisfies <0.01% (X <= T).",
            "#13 ANC 1.0: CR under BBMT/CIBMTR (>=1.0), CRi under NCCN (CR needs >1.0), unclassified under ELN; "
            "status and cr1_date left out.")

    # ---- a2-06 ANC 900/uL -> CRi ---------------------------------------------
    p = Pt("a2-06-cri-anc09", "US-Arizona", "1975-09-09", "female", "all")
    D0 = D("2022-10-17")
    p.condition(D0)
    u = {"anc": "/uL", "plt": "10*3/uL"}
    I, E = standard_all(p, D0, 32, dict(wbc=1.9, anc=0.9, plt=118, hb=10.1, pb_blasts=0), 0.8, u)
    mrd(p, E, 0.001, "bm", comparator="<", local=False, hhmm="10:40")
    cbc(p, add_days(E, 14), "08:50", wbc=1.8, anc=0.85, plt=121, hb=10.3, u=u)
    cbc(p, add_days(E, 29), "08:50", wbc=1.7, anc=0.8, plt=125, hb=10.5, pb_blasts=0, u=u)
    add_all(p, dict(status="CRi", mrd_status="negative", relapse_date=None, relapse_timing=None, relapse_site=None),
            "Day-32 marrow 0.8%, no blood blasts, CSF clear, platelets 118, but ANC 900/uL (<1.0) persisting 29 days "
            "later (consolidation deferred): CR with incomplete count recovery. Marrow MRD <0.001%.")

    # ---- a2-07 platelets 101 -> CR; MRD '<0.1%' indeterminate ----------------
    p = Pt("a2-07-cr-plt101-mrdind", "EU-Central", "1996-12-02", "male", "all")
    D0 = D("2023-01-09")
    p.condition(D0)
    u = {"plt": "10*3/uL", "hb": "g/L"}
    I, E = standard_all(p, D0, 28, dict(wbc=3.9, anc=2.6, plt=101, hb=10.9, pb_blasts=0), 3.0, u)
    mrd(p, E, 0.1, "bm", comparator="<", lod=0.1, local=False, hhmm="10:40")
    cbc(p, add_days(E, 31), "08:50", wbc=4.4, anc=3.0, plt=170, hb=12.0, pb_blasts=0, u=u)
    end = add_days(E, 60)
    consolidation(p, add_days(E, 9), upto=end)
    cbc(p, end, "08:50", wbc=3.7, anc=2.2, plt=158, hb=11.8, u=u)
    add_all(p, dict(status="CR", mrd_status="indeterminate", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "Day-28 marrow 3.0%, no blood blasts, CSF clear, ANC 2.6, platelets 101 (>100 and >=100): CR. MRD "
            "reported '<0.1%' (assay limit 0.1%) cannot show <0.01%.",
            "#15/#16: a censored '<0.1%' is neither negative nor positive; took 'indeterminate'.")

    # ---- a2-08 platelets exactly 100 -> status left out ----------------------
    p = Pt("a2-08-plt100-boundary", "US-East", "1988-04-25", "female", "all")
    D0 = D("2023-04-03")
    p.condition(D0)
    u = {"plt": "/uL", "anc": "/uL"}
    I, E = standard_all(p, D0, 34, dict(wbc=3.4, anc=2.1, plt=100, hb=10.3, pb_blasts=0), 1.9, u)
    mrd(p, E, 0.3, "bm", local=False, hhmm="10:40")
    cbc(p, add_days(E, 28), "08:50", wbc=3.3, anc=2.0, plt=100, hb=10.6, pb_blasts=0, u=u)
    add_all(p, dict(mrd_status="positive", relapse_date=None, relapse_timing=None, relapse_site=None),
            "Platelets exactly 100000/uL at EOI and 28 days later, ANC 2.1, marrow 1.9%, no blasts. MRD 0.3%.",
            "#13 platelets 100: CR under BBMT/CIBMTR (>=100), CRi under NCCN/ELN-CRi wording (<100 fails, but CR needs "
            ">100), unclassified under ELN; status and cr1_date left out.")

    # ---- relapse-timing family -------------------------------------------------
    def relapse_case(pid, zone, birth, gender, D0, u, rel_fn, bm, pb, timing, why_extra, amb, phase_in="category",
                     steroid="prednisone"):
        p = Pt(pid, zone, birth, gender, "all")
        p.condition(D0)
        I, E = standard_all(p, D0, 29, dict(wbc=4.3, anc=2.4, plt=165, hb=11.0, pb_blasts=0), 1.1, u,
                            phase_in=phase_in, steroid=steroid)
        mrd(p, E, 0.001, "bm", comparator="<", local=False, hhmm="10:40")
        cbc(p, add_days(E, 30), "08:50", wbc=4.0, anc=2.1, plt=201, hb=11.8, pb_blasts=0, u=u)
        Rl = rel_fn(E)
        cs = add_days(E, 8)
        ce = consolidation(p, cs, upto=Rl, phase_in=phase_in)
        if ce < Rl:
            p.obs("bm_blasts", add_days(ce, 5), 0.9, "%", "10:40", issued_days=2)
            ms = add_days(ce, 14)
            if ms < Rl:
                maintenance(p, ms, 24, Rl, phase_in=phase_in)
        follow_cbcs(p, add_days(E, 30), add_days(Rl, -10), 3, OKV, u)
        relapse_all(p, Rl, bm, pb, u)
        lp(p, Rl, 1, None, "11:20")
        p.med("blinatumomab", add_days(Rl, 10), None, status="in-progress", t0="10:00",
              dose="9 mcg/day continuous infusion", route="intravenous", note="Salvage, first relapse")
        cbc(p, add_days(Rl, 16), "08:50", wbc=6.1, anc=0.9, plt=61, hb=9.4, pb_blasts=5, u=u)
        add_all(p, dict(status="relapsed", cr1_date=E.isoformat(), relapse_date=Rl.isoformat(),
                        relapse_timing=timing, relapse_site="marrow"),
                "CR1 at the day-29 marrow (1.1%%, counts recovered, MRD <0.001%%). Marrow relapse (%s%% blasts, blood "
                "blasts %s%%) on %s, %d days after CR1: %s" % (bm, pb, Rl.isoformat(), (Rl - E).days, why_extra),
                amb)
        return p, E, Rl

    relapse_case("a2-09-relapse-lt6mo", "EU-Central", "1983-02-14", "male", D("2020-09-07"), {"plt": "10*3/uL"},
                 lambda E: add_days(add_months(E, 6), -10), 38, 14, "lt6mo",
                 "10 days before the 6-month mark, in the first weeks of maintenance (< 6 months from CR1).",
                 "#1 months: 10 days short of 6 calendar months and of 182.6 days; #17/#19 timing from the CR1 date "
                 "(EOI marrow).")
    relapse_case("a2-10-relapse-6mo-plus9d", "US-East", "1979-08-30", "female", D("2021-04-19"),
                 {"anc": "/uL", "plt": "/uL"},
                 lambda E: add_days(add_months(E, 6), 9), 22, 6, "6mo-3y",
                 "9 days after the 6-month mark (>= 6 months, < 3 years from CR1).",
                 "#1 months: 9 days past 6 calendar months and past 182.6 days; #17/#19 timing from the CR1 date "
                 "(EOI marrow); a CR1 dated 4 weeks later would move this case to lt6mo.",
                 phase_in="code", steroid="dexamethasone")
    relapse_case("a2-11-relapse-3y-minus9d", "EU-Central", "1992-06-06", "male", D("2019-01-14"), {"hb": "g/L"},
                 lambda E: add_days(add_months(E, 36), -9), 64, 31, "6mo-3y",
                 "9 days before the 3-year mark, after maintenance ended.",
                 "#1 years: 9 days short of 3 calendar years and of 1095.75 days; #17/#19 CR1 anchor.")
    relapse_case("a2-12-relapse-3y-plus9d", "US-East", "1986-10-19", "female", D("2018-10-01"),
                 {"anc": "/uL", "plt": "10*3/uL"},
                 lambda E: add_days(add_months(E, 36), 9), 17, 3, "ge3y",
                 "9 days after the 3-year mark (>= 3 years from CR1).",
                 "#1 years: 9 days past 3 calendar years and past 1095.75 days; #17/#19 CR1 anchor.",
                 phase_in="code")

    # ---- a2-13 isolated CNS relapse ~14 months --------------------------------
    p = Pt("a2-13-cns-relapse", "EU-Central", "1999-11-11", "male", "all")
    D0 = D("2021-06-07")
    p.condition(D0)
    u = {"plt": "10*3/uL"}
    I, E = standard_all(p, D0, 30, dict(wbc=4.6, anc=2.7, plt=199, hb=11.5, pb_blasts=0), 0.7, u,
                        csf_eoi=(1, None))
    mrd(p, E, 0.001, "bm", comparator="<", local=False, hhmm="10:40")
    cbc(p, add_days(E, 28), "08:50", wbc=4.2, anc=2.3, plt=214, hb=12.0, pb_blasts=0, u=u)
    Rl = add_months(E, 14)
    ce = consolidation(p, add_days(E, 8))
    for c in range(4):
        lp(p, add_days(add_days(E, 8), 28 * c + 2), 1 if c % 2 else 2, None, "11:10")
    p.obs("bm_blasts", add_days(ce, 5), 0.5, "%", "10:40", issued_days=2)
    maintenance(p, add_days(ce, 14), 24, Rl)
    follow_cbcs(p, add_days(E, 28), Rl, 3, OKV, u)
    cbc(p, Rl, "08:35", wbc=4.4, anc=2.2, plt=180, hb=12.6, pb_blasts=0, u=u)
    lp(p, Rl, 18, 11, "11:20")
    p.obs("bm_blasts", Rl, 0.9, "%", "10:30", issued_days=2)
    for k in (3, 6, 10):
        p.med("methotrexate", add_days(Rl, k), add_days(Rl, k), t0="11:00", t1="11:10", dose="12 mg",
              route="intrathecal", note="CNS relapse")
        p.med("cytarabine", add_days(Rl, k), add_days(Rl, k), t0="11:00", t1="11:10", dose="30 mg",
              route="intrathecal", note="CNS relapse")
    lp(p, add_days(Rl, 10), 7, 3, "11:00")
    cbc(p, add_days(Rl, 20), "08:50", wbc=4.1, anc=2.0, plt=176, hb=12.4, u=u)
    add_all(p, dict(status="relapsed", cr1_date=E.isoformat(), relapse_date=Rl.isoformat(), relapse_timing="6mo-3y",
                    relapse_site="extramedullary-cns"),
            "CR1 at the day-30 marrow. Fourteen months later the CSF has 18 WBC/uL with 11 blasts/uL (CNS3) while the "
            "same-day marrow has 0.9% blasts and the blood none: isolated CNS relapse (S6: isolated extramedullary "
            "relapse is relapse).",
            "#21 CSF blasts recorded only when present (the EOI and consolidation LPs report WBC only).")

    # ---- a2-14 Ph+ ALL on dasatinib; blood MRD (no bodySite) positive -----------
    p = Pt("a2-14-phpos-blood-mrd", "US-Arizona", "1966-02-02", "male", "all")
    D0 = D("2023-02-13")
    p.condition(D0, text="Ph-positive B-lymphoblastic leukaemia")
    u = {"anc": "/uL"}
    I = add_days(D0, 3)
    p.med("dasatinib", I, None, status="in-progress", t0="08:00", dose="140 mg once daily", route="oral")
    I, E = standard_all(p, D0, 35, dict(wbc=3.7, anc=1.8, plt=148, hb=10.9, pb_blasts=0), 2.5, u,
                        bcr=True, dasatinib=True, phase_in="code",
                        dx=dict(wbc=61.0, anc=1.1, plt=38, hb=8.8, pb=80, bm=91))
    mrd(p, E, 0.06, "pb", local=False, hhmm="08:40")
    cbc(p, add_days(E, 30), "08:50", wbc=4.0, anc=2.0, plt=171, hb=11.6, pb_blasts=0, u=u)
    cbc(p, add_days(E, 45), "08:50", wbc=4.2, anc=2.2, plt=180, hb=11.9, u=u)
    add_all(p, dict(status="CR", mrd_status="positive", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "Ph+ (BCR::ABL1 detected) on dasatinib + steroid induction: day-35 marrow 2.5%, no blood blasts, ANC 1.8, "
            "platelets 148: CR. MRD in blood (no bodySite) 0.06% >= 0.01%: leukaemia is detectable, MRD-positive.",
            "#16 specimen: a blood MRD >= 0.01% is positive whatever the marrow would show (a negative blood MRD "
            "would not have been enough).")

    # ---- a2-15 EOI marrow 45% entered-in-error, 2.0% final; MRD cancelled -----
    p = Pt("a2-15-cr-eie-marrow", "EU-Central", "2003-08-28", "female", "all")
    D0 = D("2023-05-15")
    p.condition(D0)
    u = {"plt": "10*3/uL", "hb": "g/L"}
    I, E = standard_all(p, D0, 30, dict(wbc=4.0, anc=2.0, plt=175, hb=11.1, pb_blasts=0), None, u,
                        csf_eoi=(0, None))
    p.obs("bm_blasts", E, 45, "%", "10:40", status="entered-in-error", issued_days=1)
    p.obs("bm_blasts", E, 2.0, "%", "10:40", issued_days=2)
    mrd(p, E, None, "bm", status="cancelled", absent=True, local=False, hhmm="10:40")
    cbc(p, add_days(E, 28), "08:50", wbc=4.3, anc=2.3, plt=190, hb=11.9, pb_blasts=0, u=u)
    end = add_days(E, 40)
    consolidation(p, add_days(E, 9), upto=end)
    cbc(p, end, "08:50", wbc=3.6, anc=1.9, plt=166, hb=11.7, u=u)
    add_all(p, dict(status="CR", mrd_status="not-assessed", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "EOI marrow 45% is entered-in-error (wrong specimen) and ignored; the valid report is 2.0%. With no blood "
            "blasts, ANC 2.0, platelets 175: CR. The only MRD order was cancelled, so MRD was not assessed.")

    # ---- a2-16 EOI marrow cancelled -> NE ---------------------------------------
    p = Pt("a2-16-ne-marrow-cancelled", "US-East", "1972-12-12", "male", "all")
    D0 = D("2023-06-05")
    p.condition(D0)
    u = {"anc": "/uL", "plt": "/uL"}
    I, E = standard_all(p, D0, 33, dict(wbc=3.2, anc=1.6, plt=120, hb=10.0, pb_blasts=0), None, u,
                        csf_eoi=None)
    p.obs("bm_blasts", E, None, "%", "10:40", status="cancelled", absent=True)
    cbc(p, add_days(E, 3), "08:50", wbc=3.4, anc=1.7, plt=131, hb=10.2, u=u)
    add_all(p, dict(status="NE", mrd_status="not-assessed", cr1_date=None, relapse_date=None, relapse_timing=None,
                    relapse_site=None),
            "Induction completed but the end-of-induction marrow was cancelled and no marrow or CSF result exists; "
            "blood counts alone cannot establish CR (marrow <5% required) nor refractoriness.",
            "#21 missing data -> NE, not an assumed remission.")

    # ---- a2-17 circulating blasts at EOI -> refractory --------------------------
    p = Pt("a2-17-refractory-pb-blasts", "EU-Central", "1959-04-04", "female", "all")
    D0 = D("2022-11-21")
    p.condition(D0)
    u = {"hb": "g/L"}
    I, E = standard_all(p, D0, 29, dict(wbc=2.8, anc=1.4, plt=112, hb=9.8, pb_blasts=2), 3.0, u)
    mrd(p, E, 2.6, "bm", local=False, hhmm="10:40")
    cbc(p, add_days(E, 14), "08:50", wbc=3.5, anc=1.2, plt=104, hb=9.6, pb_blasts=4, u=u)
    add_all(p, dict(status="refractory", mrd_status="positive", cr1_date=None, relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "Day-29 marrow 3.0% but 2% circulating blasts (and 4% two weeks later): CR and CRi both require no "
            "circulating blasts, so no remission at the end of induction = refractory. MRD 2.6%.",
            "#18 end of induction = end of the Procedure whose category is Induction.")

    # ---- a2-18 T-ALL with mediastinal mass and CNS2 at diagnosis -> CR ----------
    p = Pt("a2-18-tall-emd-cns2-cr", "US-East", "2000-05-19", "male", "all")
    D0 = D("2022-08-01")
    p.condition(D0, text="T-lymphoblastic leukaemia")
    u = {"anc": "/uL", "plt": "/uL", "hb": "g/L"}
    I, E = standard_all(p, D0, 30, dict(wbc=5.3, anc=3.1, plt=240, hb=11.6, pb_blasts=0), 0.5, u,
                        csf_dx=(3, 2), csf_eoi=(1, 0), emd=True,
                        dx=dict(wbc=112.0, anc=2.0, plt=88, hb=10.9, pb=85, bm=79))
    p.obs("emd", add_days(E, -1), False, None, "14:00", text="Chest CT: mediastinal mass resolved")
    mrd(p, E, 0.005, "bm", comparator="<", local=False, hhmm="10:40")
    cbc(p, add_days(E, 28), "08:50", wbc=4.9, anc=2.8, plt=230, hb=12.3, pb_blasts=0, u=u)
    end = add_months(E, 6)
    ce = consolidation(p, add_days(E, 8), phase_in="category")
    p.obs("bm_blasts", add_days(ce, 5), 0.4, "%", "10:40", issued_days=2)
    maintenance(p, add_days(ce, 14), 24, end)
    follow_cbcs(p, add_days(E, 28), end, 2, OKV, u)
    cbc(p, end, "09:00", wbc=3.9, anc=2.0, plt=171, hb=12.8, u=u)
    add_all(p, dict(status="CR", mrd_status="negative", cr1_date=E.isoformat(), relapse_date=None,
                    relapse_timing=None, relapse_site=None),
            "T-ALL with mediastinal mass and CNS2 (3 WBC/uL with blasts) at diagnosis. Day-30: marrow 0.5%, no blood "
            "blasts, CSF 1 WBC/uL without blasts (CNS1), mediastinal mass recorded as resolved, ANC 3.1, platelets "
            "240: CR. MRD '<0.005%' is below 0.01%.")


# ---------------------------------------------------------------- output

def yq(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    return json.dumps(v, ensure_ascii=False)


def write_yaml(path, cases, title):
    lines = ["# %s" % title,
             "# Generated by tests/blind2/tools/gen_blind2.py - do not edit by hand.",
             "# expect: only keys the author is confident of; null = the result is expected to be absent.",
             ""]
    for p, exp, why, amb in cases:
        lines.append("- patient: %s" % p.pid)
        lines.append("  expect: {%s}" % ", ".join("%s: %s" % (k, yq(v)) for k, v in exp.items()))
        lines.append("  why: %s" % yq(why))
        if amb:
            lines.append("  ambiguity: %s" % yq(amb))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_ndjson(folder, cases, seed):
    os.makedirs(folder, exist_ok=True)
    for t in TYPES:
        rows = []
        for p, *_ in cases:
            rows.extend(p.res[t])
        random.Random("%s/%s" % (seed, t)).shuffle(rows)
        with open(os.path.join(folder, t + ".ndjson"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def validate(folder, cases):
    ids = {p.pid for p, *_ in cases}
    seen = set()
    n = 0
    for t in TYPES:
        with open(os.path.join(folder, t + ".ndjson"), encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                r = json.loads(line)
                n += 1
                assert r["resourceType"] == t, (t, i)
                key = (t, r["id"])
                assert key not in seen, key
                seen.add(key)
                if t != "Patient":
                    ref = r["subject"]["reference"]
                    assert ref.startswith("Patient/") and ref[8:] in ids, ref
                # every dateTime with a time: local 08:00-16:00, offset within +-07:00
                for s in _datetimes(r):
                    if "T" in s:
                        hh = int(s[11:13])
                        assert 8 <= hh <= 16, s
                        off = s[19:]
                        assert off == "Z" or abs(int(off[1:3])) <= 7, s
    return n


def _datetimes(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if isinstance(v, str) and k in ("start", "end", "effectiveDateTime", "issued", "onsetDateTime",
                                             "recordedDate"):
                yield v
            else:
                yield from _datetimes(v)
    elif isinstance(o, list):
        for v in o:
            yield from _datetimes(v)


def main():
    build_cll()
    build_all()
    write_ndjson(os.path.join(ROOT, "cll"), CLL, "blind2-cll")
    write_ndjson(os.path.join(ROOT, "all"), ALLP, "blind2-all")
    os.makedirs(os.path.join(ROOT, "expected"), exist_ok=True)
    write_yaml(os.path.join(ROOT, "expected", "cll.yaml"), CLL,
               "blind2 CLL expectations (iwCLL 2018), one entry per patient in cll/Patient.ndjson")
    write_yaml(os.path.join(ROOT, "expected", "all.yaml"), ALLP,
               "blind2 ALL expectations, one entry per patient in all/Patient.ndjson")
    n1 = validate(os.path.join(ROOT, "cll"), CLL)
    n2 = validate(os.path.join(ROOT, "all"), ALLP)
    print("cll: %d patients, %d resources; all: %d patients, %d resources" % (len(CLL), n1, len(ALLP), n2))


if __name__ == "__main__":
    main()
