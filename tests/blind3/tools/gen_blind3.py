#!/usr/bin/env python3
"""Generator for blind test batch 3 (tests/blind3).

Writes, deterministically and with the standard library only:
  cll/<patient>.json, all/<patient>.json   one FHIR R4 Bundle per patient
  expected/cll.yaml, expected/all.yaml     expected results (blind, from the criteria)
  README.md                                how the batch was made, quirks per case

Run:  python3 tests/blind3/tools/gen_blind3.py
The output depends on nothing but this file (uuid5 ids, fixed dates).

The patients imitate exports from a hospital system ("Klinikum Nordstadt",
a fictional European centre) unlike the ones used by earlier batches:
SI units, effectivePeriod with start == end on some results, plain dates on
some labs, findings recorded only when present, MRD results with a
lower-limit-of-detection component, three Bundle types.
"""
import datetime as dt
import json
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = uuid.UUID("3b1e7c52-9d0a-5f43-8e61-2a7c4b9d0e15")
HOSP = "https://fhir.klinikum-nordstadt.example"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
HOSP_LAB = HOSP + "/fhir/CodeSystem/lab-components"
HOSP_PHASE = HOSP + "/fhir/CodeSystem/chemotherapy-phase"
HOSP_MRN = HOSP + "/fhir/NamingSystem/mrn"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERP = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

# ---------------------------------------------------------------- dates


def D(s):
    return dt.date.fromisoformat(s)


def plus(d, days):
    return d + dt.timedelta(days=days)


def add_months(d, n):
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, last))


def offset(d):
    # Central European time, roughly: summer offset April..October.
    return "+02:00" if 4 <= d.month <= 10 else "+01:00"


def dtime(d, hhmm="09:00"):
    return f"{d.isoformat()}T{hhmm}:00{offset(d)}"


def iso(d):
    return d.isoformat()


# ---------------------------------------------------------------- terminology

CONCEPTS = {
    # key: (codings, category, display text)
    "alc": ([(LOINC, "731-0", "Lymphocytes [#/volume] in Blood by Automated count")], "laboratory", "Lymphocytes abs."),
    "anc": ([(LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count")], "laboratory", "Neutrophils abs."),
    "plt": ([(LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count")], "laboratory", "Platelets"),
    "hgb": ([(LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood")], "laboratory", "Haemoglobin"),
    "wbc": ([(LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count")], "laboratory", "Leukocytes"),
    "pb_blasts": ([(LOINC, "26446-5", "Blasts/100 leukocytes in Blood")], "laboratory", "Blasts (peripheral blood)"),
    "bm_blasts": ([(LOINC, "11150-0", "Blasts/100 cells in Bone marrow")], "laboratory", "Blasts, bone marrow aspirate"),
    "csf_wbc": ([(LOINC, "806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count")], "laboratory", "CSF cell count"),
    "csf_blasts": ([(LOINC, "35068-6", "Blasts [#/volume] in Cerebral spinal fluid")], "laboratory", "CSF blasts"),
    "spleen_bcm": ([(LOINC, "32489-7", "Spleen tip distance below costal margin")], "exam", "Spleen below costal margin"),
    "mrd_pb": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry"),
                (LOCAL, "mrd-flow-pb", "MRD by flow cytometry, peripheral blood")], "laboratory", "MRD flow cytometry (blood)"),
    "mrd_pb_loinc": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry")], "laboratory", "CLL MRD (flow, ERIC 8-colour)"),
    "mrd_bm": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry"),
                (LOCAL, "mrd-flow-bm", "MRD by flow cytometry, bone marrow")], "laboratory", "MRD flow cytometry (marrow)"),
    "mrd_bm_loinc": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry")], "laboratory", "MRD (flow) bone marrow"),
    "spd": ([(LOCAL, "ln-spd", "Sum of products of lymph node diameters")], None, "SPD index nodes"),
    "ln_max": ([(LOCAL, "ln-longest-diameter-max", "Longest diameter of the largest lymph node")], None, "Largest node, longest diameter"),
    "spleen_ct": ([(LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length")], "imaging", "Spleen length (CT)"),
    "hepatomegaly": ([(LOCAL, "hepatomegaly", "Hepatomegaly")], "exam", "Hepatomegaly"),
    "bsym": ([(LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms")], "exam", "B symptoms"),
    "bm_cll": ([(LOCAL, "marrow-cll-infiltrate", "Marrow CLL infiltrate")], "laboratory", "CLL infiltrate, trephine"),
    "bm_nodules": ([(LOCAL, "marrow-b-lymphoid-nodules", "Marrow B-lymphoid nodules")], "laboratory", "B-lymphoid nodules, trephine"),
    "bm_cellularity": ([(LOCAL, "marrow-cellularity", "Marrow cellularity")], "laboratory", "Marrow cellularity"),
    "bcr_abl": ([(LOCAL, "bcr-abl1-detected", "BCR::ABL1 detected")], "laboratory", "BCR::ABL1 (RT-PCR)"),
    "emd": ([(LOCAL, "extramedullary-disease", "Extramedullary disease")], "exam", "Extramedullary leukaemic involvement"),
}
MARROW = {"bm_blasts", "mrd_bm", "mrd_bm_loinc", "bm_cll", "bm_nodules", "bm_cellularity"}
UNIT_TEXT = {"10*9/L": "10^9/L", "10*3/uL": "10^3/µL", "/uL": "/µL", "g/L": "g/L", "g/dL": "g/dL",
             "%": "%", "cm": "cm", "cm2": "cm²", "{cells}": "cells"}

DRUGS = {
    "ibrutinib": ("1442981", "ibrutinib"),
    "rituximab": ("121191", "rituximab"),
    "fludarabine": ("24698", "fludarabine"),
    "cyclophosphamide": ("3002", "cyclophosphamide"),
    "blinatumomab": ("1597258", "blinatumomab"),
    "venetoclax": ("1747556", "venetoclax"),
    "obinutuzumab": ("974779", "obinutuzumab"),
    "bendamustine": ("134547", "bendamustine"),
    "vincristine": ("11202", "vincristine"),
    "prednisone": ("8640", "prednisone"),
    "dexamethasone": ("3264", "dexamethasone"),
    "methotrexate": ("6851", "methotrexate"),
    "cytarabine": ("3041", "cytarabine"),
    "mercaptopurine": ("103", "mercaptopurine"),
    "imatinib": ("282388", "imatinib"),
    "dasatinib": ("475342", "dasatinib"),
    "daunorubicin": ("3109", "daunorubicin"),
    "doxorubicin": ("3639", "doxorubicin"),
    "acalabrutinib": ("1986808", "acalabrutinib"),
    "zanubrutinib": ("2262435", "zanubrutinib"),
    "chlorambucil": ("2346", "chlorambucil"),
    "inotuzumab": ("1942950", "inotuzumab ozogamicin"),
    "asparaginase": ("1156", "asparaginase"),
    "pegaspargase": ("34132", "pegaspargase"),
}

COND_CLL_SNOMED = (SNOMED, "92814006", "Chronic lymphocytic leukemia (disorder)")
COND_CLL_ICD10 = (ICD10, "C91.1", "Chronic lymphocytic leukaemia of B-cell type")
COND_CLL_ICD10CM = (ICD10CM, "C91.10", "Chronic lymphocytic leukemia of B-cell type not having achieved remission")
COND_ALL_SNOMED = (SNOMED, "91857003", "Acute lymphoblastic leukemia (disorder)")
COND_ALL_ICD10CM = (ICD10CM, "C91.00", "Acute lymphoblastic leukemia not having achieved remission")


def cc(codings, text=None):
    out = {"coding": [{"system": s, "code": c, "display": d} for s, c, d in codings]}
    if text:
        out["text"] = text
    return out


def qty(value, unit):
    return {"value": value, "unit": UNIT_TEXT.get(unit, unit), "system": UCUM, "code": unit}


def num(v):
    """Keep integers integral and floats short (no binary noise in the JSON)."""
    if isinstance(v, float):
        r = round(v, 4)
        return int(r) if r == int(r) and abs(r) >= 1000 else r
    return v


# ---------------------------------------------------------------- patients


class Pt:
    def __init__(self, pid, disease, bundle_type, birth, gender, family, given,
                 style="dt", units=None):
        self.pid = pid
        self.disease = disease
        self.bundle_type = bundle_type          # transaction | collection | searchset
        self.puuid = self.uid("Patient")
        self.style = style                      # default date style for labs
        self.units = {"alc": "10*9/L", "anc": "10*9/L", "plt": "10*9/L", "wbc": "10*9/L", "hgb": "g/L"}
        if units:
            self.units.update(units)
        self.entries = []
        self.dates = []
        self.n = 0
        self.add("Patient", {
            "resourceType": "Patient",
            "id": pid,
            "identifier": [{"system": HOSP_MRN, "value": "KN" + str(uuid.uuid5(NS, pid).int % 10**8).zfill(8)}],
            "name": [{"use": "official", "family": family, "given": [given]}],
            "gender": gender,
            "birthDate": birth,
        }, key="Patient")

    def uid(self, key):
        return str(uuid.uuid5(NS, f"{self.pid}/{key}"))

    def subject(self):
        if self.bundle_type == "searchset":
            return {"reference": f"Patient/{self.pid}"}
        return {"reference": f"urn:uuid:{self.puuid}"}

    def add(self, rtype, res, key=None):
        self.n += 1
        key = key or f"{rtype}-{self.n:03d}"
        u = self.uid(key)
        if rtype != "Patient":
            res = {"resourceType": rtype, "id": u, **{k: v for k, v in res.items() if k != "resourceType"}}
        self.entries.append((rtype, u, res))
        return res

    # -- time stamps -----------------------------------------------------
    def when(self, d, style=None, hhmm="08:30"):
        style = style or self.style
        self.dates.append(d)
        if style == "dt":
            return {"effectiveDateTime": dtime(d, hhmm)}
        if style == "date":
            return {"effectiveDateTime": iso(d)}
        if style == "period":          # start == end, full dateTime
            t = dtime(d, hhmm)
            return {"effectivePeriod": {"start": t, "end": t}}
        if style == "period_d":        # start == end, plain date
            return {"effectivePeriod": {"start": iso(d), "end": iso(d)}}
        raise ValueError(style)

    # -- resources ---------------------------------------------------------
    def condition(self, codings, onset, text):
        self.dates.append(onset)
        self.add("Condition", {
            "clinicalStatus": cc([("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")]),
            "verificationStatus": cc([("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")]),
            "category": [cc([("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")])],
            "code": cc(codings, text),
            "subject": self.subject(),
            "onsetDateTime": iso(onset),
            "recordedDate": iso(onset),
        })

    def obs(self, concept, d, value, unit=None, style=None, status="final", comparator=None,
            interp=None, refrange=None, components=None, method=None, category=None,
            bodysite=None, note=None, hhmm="08:30"):
        codings, cat, text = CONCEPTS[concept]
        cat = category or cat or "laboratory"
        res = {
            "status": status,
            "category": [cc([(OBSCAT, cat, {"laboratory": "Laboratory", "exam": "Exam", "imaging": "Imaging",
                                               "procedure": "Procedure"}[cat])])],
            "code": cc(codings, text),
            "subject": self.subject(),
        }
        res.update(self.when(d, style, hhmm))
        if isinstance(value, bool):
            res["valueBoolean"] = value
        elif isinstance(value, str):
            res["valueCodeableConcept"] = cc([(LOCAL, value, value.capitalize())], value)
        else:
            q = qty(num(value), unit)
            if comparator:
                q = {"value": q["value"], "comparator": comparator, "unit": q["unit"], "system": UCUM, "code": unit}
            res["valueQuantity"] = q
        if interp:
            res["interpretation"] = [cc([(INTERP, interp, {"H": "High", "L": "Low", "N": "Normal",
                                                           "POS": "Positive", "NEG": "Negative"}[interp])])]
        if refrange:
            lo, hi = refrange
            rr = {}
            if lo is not None:
                rr["low"] = qty(num(lo), unit)
            if hi is not None:
                rr["high"] = qty(num(hi), unit)
            res["referenceRange"] = [rr]
        if method:
            res["method"] = {"text": method}
        if bodysite:
            res["bodySite"] = cc([bodysite])
        elif concept in MARROW:
            res["bodySite"] = cc([(SNOMED, "14016003", "Bone marrow structure")])
        if components:
            res["component"] = components
        if note:
            res["note"] = [{"text": note}]
        self.add("Observation", res)
        return res

    def lab(self, concept, d, v, style=None, **kw):
        """A count or haemoglobin given in 10^9/L (counts) or g/L (Hb), written in the patient's unit."""
        unit = self.units[concept]
        if unit == "/uL":
            v = int(round(v * 1000))
        elif unit == "g/dL":
            v = round(v / 10, 1)
        return self.obs(concept, d, v, unit, style=style, **kw)

    def med(self, drug, start, end=None, status="completed", dose=None, route="IV", hhmm=("09:00", "13:00"),
            text=None):
        code, name = DRUGS[drug]
        period = {}
        if start == end or end is None and status != "in-progress":
            end = start
        self.dates.append(start)
        if isinstance(start, dt.date):
            period["start"] = dtime(start, hhmm[0]) if route == "IV" or route == "IT" else iso(start)
        if end is not None:
            self.dates.append(end)
            period["end"] = dtime(end, hhmm[1]) if route == "IV" or route == "IT" else iso(end)
        res = {
            "status": status,
            "medicationCodeableConcept": cc([(RXNORM, code, name)], text or name),
            "subject": self.subject(),
            "effectivePeriod": period,
        }
        dosage = {"route": {"text": {"IV": "intravenous", "PO": "oral", "IT": "intrathecal", "SC": "subcutaneous"}[route]}}
        if dose:
            dosage["dose"] = qty(dose[0], dose[1]) if dose[1] != "mg" else {"value": dose[0], "unit": "mg",
                                                                            "system": UCUM, "code": "mg"}
        res["dosage"] = dosage
        self.add("MedicationAdministration", res)

    def proc(self, start, end, text, phase=None, status="completed"):
        codings = [(SNOMED, "367336001", "Chemotherapy (procedure)")]
        if phase:
            codings.append((HOSP_PHASE, phase.upper(), phase.capitalize() + " phase"))
        per = {"start": iso(start)}
        self.dates.append(start)
        if end is not None:
            per["end"] = iso(end)
            self.dates.append(end)
        self.add("Procedure", {
            "status": status,
            "code": cc(codings, text),
            "subject": self.subject(),
            "performedPeriod": per,
        })

    # -- composite helpers ------------------------------------------------------
    def cbc(self, d, alc=None, hgb=None, plt=None, anc=None, wbc=None, pb_blasts=None, style=None,
            extras=False):
        for key, v in (("wbc", wbc), ("hgb", hgb), ("plt", plt), ("anc", anc), ("alc", alc)):
            if v is None:
                continue
            kw = {}
            if extras:
                kw = extras_for(key, v, self.units[key])
            self.lab(key, d, v, style=style, **kw)
        if pb_blasts is not None:
            self.obs("pb_blasts", d, pb_blasts, "%", style=style)

    def ct(self, d, ln_max=None, spd=None, spleen=None, status="final"):
        if ln_max is not None:
            self.obs("ln_max", d, ln_max, "cm", style="dt", method="CT neck/chest/abdomen/pelvis",
                     category="imaging", status=status, hhmm="11:15")
        if spd is not None:
            self.obs("spd", d, spd, "cm2", style="dt", method="CT neck/chest/abdomen/pelvis", category="imaging",
                     hhmm="11:15")
        if spleen is not None:
            self.obs("spleen_ct", d, spleen, "cm", style="dt", method="CT abdomen", hhmm="11:15")

    def exam(self, d, ln_max=None, spd=None, spleen_bcm=None, hepatomegaly=None, bsym=None, style="period_d"):
        if ln_max is not None:
            self.obs("ln_max", d, ln_max, "cm", style=style, method="Physical examination", category="exam")
        if spd is not None:
            self.obs("spd", d, spd, "cm2", style=style, method="Physical examination", category="exam")
        if spleen_bcm is not None:
            self.obs("spleen_bcm", d, spleen_bcm, "cm", style=style, method="Physical examination")
        if hepatomegaly is not None:
            self.obs("hepatomegaly", d, hepatomegaly, style=style, method="Physical examination")
        if bsym is not None:
            self.obs("bsym", d, bsym, style=style)

    def marrow_cll(self, d, infiltrate, nodules, cellularity):
        self.obs("bm_cll", d, infiltrate, "%", style="date", method="Trephine biopsy, CD20/CD5/CD23 IHC")
        self.obs("bm_nodules", d, nodules, style="date")
        self.obs("bm_cellularity", d, cellularity, style="date")

    def mrd(self, concept, d, value, comparator=None, llod=None, events=None, style="dt", interp="auto"):
        comps = []
        if llod is not None:
            comps.append({"code": cc([(HOSP_LAB, "MRD-LLOD", "MRD assay lower limit of detection")],
                                     "Lower limit of detection"),
                          "valueQuantity": qty(llod, "%")})
        if events is not None:
            comps.append({"code": cc([(HOSP_LAB, "MRD-EVENTS", "Leukocyte events acquired")], "Events acquired"),
                          "valueQuantity": {"value": events, "unit": "cells", "system": UCUM, "code": "{cells}"}})
        if interp == "auto":
            interp = "POS" if comparator is None and value > 0 else "NEG"
        return self.obs(concept, d, value, "%", style=style, comparator=comparator, components=comps or None,
                        interp=interp, hhmm="10:40")

    def csf(self, d, wbc, blasts=None):
        self.obs("csf_wbc", d, wbc, "/uL", style="dt", hhmm="10:05")
        if blasts is not None:
            self.obs("csf_blasts", d, blasts, "/uL", style="dt", hhmm="10:05")

    # -- output -----------------------------------------------------------------
    def bundle(self):
        entries = []
        for rtype, u, res in self.entries:
            rid = res.get("id", u)
            if self.bundle_type == "searchset":
                e = {"fullUrl": f"{HOSP}/r4/{rtype}/{rid}", "resource": res, "search": {"mode": "match"}}
            else:
                e = {"fullUrl": f"urn:uuid:{u}", "resource": res}
                if self.bundle_type == "transaction":
                    if rtype == "Patient":
                        e["request"] = {"method": "PUT", "url": f"Patient/{self.pid}"}
                    else:
                        e["request"] = {"method": "POST", "url": rtype}
            entries.append(e)
        b = {"resourceType": "Bundle", "id": str(uuid.uuid5(NS, self.pid + "/Bundle")), "type": self.bundle_type}
        if self.bundle_type == "searchset":
            b["total"] = len(entries)
            b["link"] = [{"relation": "self", "url": f"{HOSP}/r4/Patient/{self.pid}/$everything"}]
        b["entry"] = entries
        return b

    def as_of(self):
        return max(self.dates)


def extras_for(key, v, unit):
    """Reference ranges and H/L flags as this lab system prints them (values in 10^9/L or g/L)."""
    ranges = {"alc": (1.0, 4.0), "anc": (1.8, 7.7), "plt": (150, 400), "wbc": (4.0, 10.0), "hgb": (120, 160)}
    lo, hi = ranges[key]
    flag = "L" if v < lo else "H" if v > hi else "N"
    if unit == "/uL":
        lo, hi = lo * 1000, hi * 1000
    elif unit == "g/dL":
        lo, hi = lo / 10, hi / 10
    return {"interp": flag, "refrange": (lo, hi)}


# ---------------------------------------------------------------- regimens


def fcr(p, start, cycles=6):
    last = None
    for k in range(cycles):
        c = plus(start, 28 * k)
        p.med("rituximab", c, c, dose=(700 if k == 0 else 930, "mg"), hhmm=("09:00", "14:30"))
        p.med("fludarabine", c, plus(c, 2), dose=(48, "mg"), hhmm=("15:00", "15:40"))
        p.med("cyclophosphamide", c, plus(c, 2), dose=(480, "mg"), hhmm=("15:45", "16:30"))
        last = plus(c, 2)
    return last


def br(p, start, cycles=6):
    last = None
    for k in range(cycles):
        c = plus(start, 28 * k)
        p.med("rituximab", c, c, dose=(700 if k == 0 else 930, "mg"), hhmm=("09:00", "14:30"))
        p.med("bendamustine", c, plus(c, 1), dose=(170, "mg"), hhmm=("14:45", "15:30"))
        last = plus(c, 1)
    return last


def obinutuzumab6(p, start):
    days = [(0, 100), (1, 900), (7, 1000), (14, 1000)] + [(28 * k, 1000) for k in range(1, 6)]
    for off, dose in days:
        d = plus(start, off)
        p.med("obinutuzumab", d, d, dose=(dose, "mg"), hhmm=("08:30", "13:30"))
    return plus(start, 28 * 5)


# ================================================================ CLL patients

CLL_EXPECT = []
ALL_EXPECT = []
QUIRKS = {}


def expect(table, p, exp, why, ambiguity=None):
    e = {"patient": p.pid, "expect": exp, "why": why}
    if ambiguity:
        e["ambiguity"] = ambiguity
    table.append(e)


def cll01():
    p = Pt("b3-cll-01", "cll", "transaction", "1958-04-12", "male", "Brandt", "Werner", style="dt")
    p.condition([COND_CLL_SNOMED, COND_CLL_ICD10], D("2021-11-03"), "CLL (Binet C)")
    start = D("2022-01-10")
    p.ct(D("2021-12-20"), ln_max=3.5, spd=24.0, spleen=16.0)
    p.exam(D("2022-01-04"), bsym=True)
    p.cbc(D("2022-01-04"), wbc=52.0, alc=45.0, hgb=105, plt=95, anc=3.2, extras=True)
    last = fcr(p, start)
    p.cbc(plus(start, 56), alc=3.1, hgb=109, plt=110, anc=1.7)
    p.cbc(plus(start, 112), alc=2.1, hgb=112, plt=120, anc=1.6)
    r = plus(last, 75)                      # restaging 2.5 months after the last dose
    p.ct(plus(r, -5), ln_max=1.1, spd=1.6, spleen=11.5)
    p.exam(r, bsym=False, hepatomegaly=False)
    p.cbc(r, wbc=4.6, alc=1.8, hgb=132, plt=180, anc=2.1, extras=True)
    p.mrd("mrd_pb", r, 0.01, comparator="<", llod=0.01, events=1000000)
    p.marrow_cll(plus(r, 2), 0, False, "normocellular")
    p.cbc(plus(r, 14), alc=1.7, hgb=134, plt=176, anc=2.3)
    QUIRKS[p.pid] = ("transaction Bundle; FCR x6; CT for nodes and spleen; restaging work-up spread over one "
                     "week (CT, then CBC/exam/MRD, then trephine two days later); explicit false for B symptoms "
                     "and hepatomegaly at restaging; MRD with LLOD and events components; CBC with "
                     "interpretation and referenceRange.")
    expect(CLL_EXPECT, p, {"best_response": "CR", "status": None, "progression_date": None,
                           "mrd_status": "negative", "cr_status": None},
           f"Baseline: ALC 45, nodes 3.5 cm, spleen 16 cm, B symptoms, Hb 105 g/L, plt 95. Restaging "
           f"{iso(plus(r, -5))}..{iso(plus(r, 2))} ({(r - last).days} days after the last dose {iso(last)}): "
           f"ALC 1.8, largest node 1.1 cm, spleen 11.5 cm, no B symptoms, no hepatomegaly, Hb 132, plt 180, "
           f"ANC 2.1, marrow normocellular without CLL cells or nodules -> CR. Blood MRD <0.01% with LLOD 0.01% "
           f"-> negative (uMRD4). No PD.")
    return p


def cll02():
    p = Pt("b3-cll-02", "cll", "collection", "1961-07-30", "female", "Keller", "Monika", style="period",
           units={"alc": "10*3/uL", "plt": "/uL", "anc": "/uL"})
    p.condition([COND_CLL_SNOMED], D("2022-06-20"), "Chronic lymphocytic leukaemia")
    start = D("2022-09-05")
    b = D("2022-08-29")
    p.exam(b, ln_max=4.0, spd=20.0, spleen_bcm=6)
    p.cbc(b, alc=28.0, hgb=98, plt=165, anc=4.1)
    last = br(p, start)
    p.cbc(plus(start, 84), alc=3.0, hgb=108, plt=150, anc=2.2)
    r = plus(last, 69)
    p.exam(r, ln_max=1.8, spd=5.5, spleen_bcm=0)
    p.cbc(r, alc=1.2, hgb=126, plt=190, anc=2.9)
    p.mrd("mrd_pb", r, 0.8, llod=0.01)
    p.marrow_cll(plus(r, 2), 20, True, "normocellular")
    p.cbc(plus(r, 21), alc=1.3, hgb=127, plt=188, anc=3.0)
    QUIRKS[p.pid] = ("collection Bundle; bendamustine-rituximab x6; nodes and spleen by physical examination "
                     "only (spleen as cm below costal margin, LOINC 32489-7, 0 = not palpable); ALC in "
                     "10*3/uL, platelets and ANC in /uL; labs with effectivePeriod start == end.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "status": None, "progression_date": None,
                           "mrd_status": "positive", "cr_status": None},
           f"Baseline abnormal: nodes 4.0 cm / SPD 20, spleen 6 cm BCM, ALC 28 (group A); Hb 98 g/L (group B). "
           f"Restaging {iso(r)} ({(r - last).days} days after the last dose): SPD 5.5 (-72%), spleen not "
           f"palpable, ALC 1.2, Hb 126 -> PR. Not CR: largest node 1.8 cm and marrow 20% CLL infiltrate with "
           f"nodules. Blood MRD 0.8% -> positive.",
           "Item 7 (spleen measure) does not matter: nodes and ALC already give two group-A improvements.")
    return p


def cll03():
    p = Pt("b3-cll-03", "cll", "searchset", "1950-02-14", "male", "Hoffmann", "Dieter", style="date")
    p.condition([COND_CLL_SNOMED, COND_CLL_ICD10], D("2022-11-08"), "CLL, del(17p)")
    start = D("2023-03-01")
    p.ct(D("2023-02-15"), ln_max=4.2, spd=30.0, spleen=11.0)
    p.cbc(D("2023-02-22"), alc=60.0, hgb=102, plt=140, anc=3.8, extras=True)
    p.med("zanubrutinib", start, None, status="in-progress", dose=(160, "mg"), route="PO",
          text="zanubrutinib 160 mg twice daily")
    visits = [  # date, alc, hgb, plt, ct (ln_max, spd, spleen)
        ("2023-03-29", 105.0, 104, 138, None),
        ("2023-05-31", 80.0, 108, 142, (3.0, 18.0, 11.0)),
        ("2023-08-30", 22.0, 121, 150, (2.3, 12.0, 10.5)),
        ("2023-11-29", 9.0, 126, 155, (2.0, 9.5, 10.5)),
        ("2024-02-28", 5.2, 129, 158, (1.9, 8.5, 10.4)),
    ]
    for ds, alc, hgb, plt, ctv in visits:
        d = D(ds)
        p.cbc(d, alc=alc, hgb=hgb, plt=plt, anc=3.5, extras=(ds == "2023-03-29"))
        if ctv:
            p.ct(d, ln_max=ctv[0], spd=ctv[1], spleen=ctv[2])
    QUIRKS[p.pid] = ("searchset Bundle, absolute fullUrls, subject Patient/<id>; zanubrutinib continuous "
                     "(MedicationAdministration in-progress, no period end); labs as plain dates; transient "
                     "lymphocytosis (ALC 60 -> 105 at 4 weeks, +75%) that resolves; CT every 3 months.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "status": None, "progression_date": None,
                           "mrd_status": "not-assessed", "cr_status": None},
           "Baseline abnormal: nodes 4.2 cm / SPD 30 and ALC 60 (group A; spleen 11 cm normal); Hb 102 "
           "(group B). Early ALC rise to 105 on a BTK inhibitor is treatment-related, not PD. From 2023-08-30: "
           "SPD 12 (-60%), ALC 22 (-63%), Hb 121 -> PR, still PR at 2023-11-29 and 2024-02-28. Never CR "
           "(ALC 5.2 > 4, largest node 1.9 cm). No MRD taken.",
           "Item 2 (continuous therapy, no last dose): PR holds at three CTs 3 months apart, so every reading "
           "gives PR. lymphocytosis left out: the rise was transient and resolved; whether the flag "
           "reports the episode or the state at the as-of date is item 10.")
    return p


def cll04():
    p = Pt("b3-cll-04", "cll", "collection", "1955-09-03", "female", "Schubert", "Ingrid", style="dt",
           units={"alc": "10*3/uL"})
    p.condition([COND_CLL_SNOMED], D("2023-03-14"), "CLL")
    start = D("2023-06-05")
    p.ct(D("2023-05-25"), ln_max=4.2, spd=36.0, spleen=11.5)
    p.cbc(D("2023-05-30"), alc=40.0, hgb=104, plt=90, anc=3.0)
    p.med("acalabrutinib", start, None, status="in-progress", dose=(100, "mg"), route="PO",
          text="acalabrutinib 100 mg BID")
    p.cbc(D("2023-07-03"), alc=85.0, hgb=106, plt=95, anc=3.1, extras=True)
    for ds, alc, hgb, plt, ctv in [
        ("2023-09-04", 70.0, 118, 130, (2.4, 15.0, 11.2)),
        ("2023-12-04", 68.0, 124, 150, (2.0, 10.0, 11.0)),
        ("2024-03-04", 64.0, 126, 155, (1.9, 9.0, 11.0)),
    ]:
        d = D(ds)
        p.ct(plus(d, -3), ln_max=ctv[0], spd=ctv[1], spleen=ctv[2])
        p.cbc(d, alc=alc, hgb=hgb, plt=plt, anc=3.2)
    QUIRKS[p.pid] = ("acalabrutinib continuous (in-progress, no end); ALC in 10*3/uL stays 60-113% above "
                     "baseline for the whole follow-up; spleen normal throughout (so only nodes and ALC are "
                     "abnormal in group A); CT three days before each CBC.")
    expect(CLL_EXPECT, p, {"best_response": "PR-L", "lymphocytosis": True, "status": None,
                           "progression_date": None, "mrd_status": "not-assessed", "cr_status": None},
           "Baseline: SPD 36 / node 4.2 cm, ALC 40 (spleen 11.5 cm, normal); Hb 104, plt 90. On acalabrutinib: "
           "SPD 15/10/9 (-58..-75%), Hb 118-126, plt 130-155, but ALC 64-85 (+60..+113% over "
           "baseline) throughout. Meets PR except the ALC; the isolated lymphocytosis on a BTK inhibitor is "
           "not PD -> PR with lymphocytosis; lymphocytosis persists at the as-of date.")
    return p


def cll05():
    p = Pt("b3-cll-05", "cll", "transaction", "1963-12-01", "male", "Wagner", "Thomas", style="period_d")
    p.condition([COND_CLL_SNOMED, COND_CLL_ICD10], D("2021-10-18"), "CLL, IGHV unmutated")
    start = D("2022-01-10")
    p.ct(D("2021-12-28"), ln_max=3.8, spd=26.0, spleen=15.0)
    p.exam(D("2022-01-03"), bsym=True)
    p.cbc(D("2022-01-03"), alc=50.0, hgb=98, plt=110, anc=4.0)
    obinutuzumab6(p, start)
    ven_start, last = plus(start, 21), plus(start, 12 * 28 - 1)
    p.med("venetoclax", ven_start, last, route="PO", dose=(400, "mg"),
          text="venetoclax (5-week ramp-up to 400 mg daily), cycles 1-12")
    p.cbc(plus(start, 28), alc=12.0, hgb=102, plt=100, anc=2.1)
    p.cbc(plus(start, 5 * 28), alc=1.0, hgb=118, plt=140, anc=1.9)
    r = plus(last, 71)
    p.ct(plus(r, -5), ln_max=1.2, spd=2.0, spleen=12.0)
    p.cbc(r, alc=0.9, hgb=128, plt=160, anc=2.5)
    p.mrd("mrd_pb", r, 0.01, comparator="<", llod=0.01, events=800000)
    p.marrow_cll(plus(r, 2), 0, False, "normocellular")
    f1 = add_months(r, 6)
    p.cbc(f1, alc=1.5, hgb=131, plt=165, anc=2.6)
    p.mrd("mrd_pb", f1, 0.01, comparator="<", llod=0.01)
    p.cbc(add_months(r, 9), alc=1.8, hgb=132, plt=158, anc=2.7)
    pd = plus(add_months(last, 14), 1)
    p.ct(pd, ln_max=2.8, spd=9.5, spleen=12.5)
    p.cbc(pd, alc=6.5, hgb=130, plt=150, anc=3.0)
    p.mrd("mrd_pb", pd, 3.8, llod=0.01)
    p.cbc(plus(pd, 14), alc=7.4, hgb=129, plt=147, anc=3.1)
    QUIRKS[p.pid] = ("transaction Bundle; venetoclax + obinutuzumab, 12 cycles fixed duration (venetoclax as "
                     "one MedicationAdministration over cycles 1-12); labs as effectivePeriod with plain dates; "
                     "B symptoms recorded at baseline only (absent = not present afterwards); relapse by CT "
                     "14 months after the end of therapy.")
    expect(CLL_EXPECT, p, {"best_response": "CR", "status": "relapsed", "progression_date": iso(pd),
                           "mrd_status": "positive", "cr_status": None},
           f"Last venetoclax dose {iso(last)}. Restaging {iso(plus(r, -5))}..{iso(plus(r, 2))}: ALC 0.9, node "
           f"1.2 cm, spleen 12.0, Hb 128, plt 160, ANC 2.5, marrow clear and normocellular, no B symptoms "
           f"recorded -> CR; MRD <0.01% then and 6 months later. {iso(pd)} (14 months after the end): largest "
           f"node 2.8 cm (new node >1.5 cm; +133% from the 1.2 cm nadir), SPD 2.0 -> 9.5 -> PD. PD is "
           f"{(pd - r).days} days after the CR and {(pd - last).days} days after the last dose -> relapsed, "
           f"not refractory. Latest MRD ({iso(pd)}) 3.8% -> positive.",
           "Item 21: CR relies on B symptoms being absent after baseline (this hospital records them only when "
           "present). Item 5: node PD measured from the response nadir, as iwCLL 2018 states for nodes.")
    return p


def cll06():
    p = Pt("b3-cll-06", "cll", "collection", "1939-05-22", "female", "Lorenz", "Hildegard", style="dt")
    p.condition([COND_CLL_SNOMED], D("2022-01-25"), "CLL, elderly, CIRS 9")
    start = D("2022-04-04")
    b = D("2022-03-28")
    p.exam(b, ln_max=3.0, spd=20.0, spleen_bcm=0)
    p.cbc(b, alc=30.0, hgb=100, plt=150, anc=3.5, extras=True)
    obinutuzumab6(p, start)
    last = None
    for k in range(6):
        c = plus(start, 28 * k)
        for off in (0, 14):
            p.med("chlorambucil", plus(c, off), plus(c, off), route="PO", dose=(30, "mg"))
            last = plus(c, off)
    r = plus(last, 70)
    p.exam(r, ln_max=2.6, spd=15.0, spleen_bcm=0)
    p.cbc(r, alc=20.0, hgb=104, plt=140, anc=3.1, extras=True)
    p.cbc(plus(r, 14), alc=21.0, hgb=105, plt=142, anc=3.0)
    QUIRKS[p.pid] = ("age 83 at treatment; chlorambucil (oral, D1 and D15) + obinutuzumab x6; physical "
                     "examination only; no marrow, no MRD.")
    expect(CLL_EXPECT, p, {"best_response": "SD", "status": "refractory", "progression_date": None,
                           "mrd_status": "not-assessed", "cr_status": None},
           f"Baseline: node 3.0 cm / SPD 20, ALC 30 (group A), Hb 100 (group B); spleen not palpable. Restaging "
           f"{iso(r)} ({(r - last).days} days after the last chlorambucil dose): SPD 15 (-25%), ALC 20 (-33%), "
           f"Hb 104 (+4%, still <110), plt 140 (-7%) -> no PR parameter, no PD -> SD (both the literal Table-4 "
           f"SD column and the residual reading). SD after therapy is treatment failure (no CR or PR) -> "
           f"refractory per criteria-reference 1.2 / S5 ('no response').",
           "Not a section-6 item as such; reading taken: 'refractory = no CR or PR, or PD within 6 months' "
           "(1.2) applies to SD at restaging. Item 23 does not matter (every parameter is within -49..+49%).")
    return p


def cll07():
    p = Pt("b3-cll-07", "cll", "searchset", "1960-10-09", "male", "Franke", "Ulrich", style="period",
           units={"plt": "10*3/uL"})
    p.condition([COND_CLL_SNOMED], D("2022-10-11"), "CLL")
    start = D("2023-01-09")
    p.ct(D("2022-12-29"), ln_max=2.8, spd=14.0, spleen=14.0)
    p.cbc(D("2023-01-03"), alc=38.0, hgb=105, plt=140, anc=3.6)
    last = fcr(p, start)
    p.cbc(plus(start, 84), alc=2.0, hgb=104, plt=98, anc=1.3)
    r = plus(last, 66)
    p.ct(plus(r, -2), ln_max=1.0, spd=1.5, spleen=11.0)
    p.cbc(r, alc=1.2, hgb=118, plt=80, anc=1.8, extras=True)
    p.marrow_cll(plus(r, 1), 0, False, "hypocellular")
    p.mrd("mrd_bm", plus(r, 1), 0.01, comparator="<", llod=0.005, style="date")
    p.cbc(plus(r, 14), alc=1.3, hgb=119, plt=84, anc=1.9)
    QUIRKS[p.pid] = ("searchset Bundle; FCR x6; platelets in 10*3/uL; first restaging shows CRi (marrow "
                     "hypocellular and clear, platelets 80); marrow MRD with 67128-9 + mrd-flow-bm and "
                     "bodySite 14016003; data end two weeks later (still < 3 months after the last dose).")
    expect(CLL_EXPECT, p, {"best_response": "CRi", "status": None, "progression_date": None,
                           "mrd_status": "negative", "cr_status": None},
           f"Baseline: nodes 2.8 cm, spleen 14 cm, ALC 38, Hb 105, plt 140 (normal). Restaging "
           f"{iso(plus(r, -2))}..{iso(plus(r, 1))} ({(r - last).days} days after the last dose): ALC 1.2, "
           f"node 1.0 cm, spleen 11 cm, Hb 118, ANC 1.8, marrow without CLL cells or nodules but "
           f"hypocellular, platelets 80 (<100). Every CR criterion except the platelet count, with a "
           f"hypocellular clear marrow and a normal pre-treatment count (so the cytopenia is treatment "
           f"toxicity) -> CRi. Platelets -43% from baseline and no marrow CLL: not PD. Marrow MRD <0.01% -> "
           f"negative.",
           "Item 11: cytopenia attributed to drug toxicity from the hypocellular, CLL-free marrow and the "
           "normal baseline platelet count (iwCLL 2008 'hypocellular marrow defines CRi').")
    return p


def cll08():
    p = Pt("b3-cll-08", "cll", "transaction", "1957-03-17", "female", "Neumann", "Gisela", style="date",
           units={"alc": "10*3/uL"})
    p.condition([COND_CLL_SNOMED], D("2022-02-07"), "CLL")
    start = D("2022-05-09")
    p.ct(D("2022-04-27"), ln_max=3.2, spd=18.0, spleen=15.5)
    p.cbc(D("2022-05-02"), alc=55.0, hgb=108, plt=85, anc=2.9)
    last = br(p, start)
    r = plus(last, 72)
    p.ct(plus(r, -4), ln_max=1.1, spd=1.8, spleen=11.8)
    p.exam(r, bsym=False)
    p.cbc(r, alc=1.0, hgb=135, plt=190, anc=2.8, extras=True)
    p.mrd("mrd_pb_loinc", r, 0.01, comparator="<", llod=0.008, events=1200000)
    p.cbc(plus(r, 28), alc=1.1, hgb=136, plt=185, anc=2.9)
    QUIRKS[p.pid] = ("transaction Bundle; bendamustine-rituximab x6; no marrow examined; blood MRD coded with "
                     "LOINC 67128-9 only (no local code, no bodySite), <0.01% with LLOD component 0.008%.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "cr_status": "not-evaluable", "status": None,
                           "progression_date": None, "mrd_status": "negative"},
           f"Baseline: nodes 3.2 cm, spleen 15.5 cm, ALC 55; Hb 108, plt 85. Restaging "
           f"{iso(plus(r, -4))}..{iso(r)}: ALC 1.0, node 1.1 cm, spleen 11.8 cm, no B symptoms, Hb 135, "
           f"plt 190, ANC 2.8 - everything points to CR, but no marrow was examined. Table 4 puts 'marrow not "
           f"done' under PR -> best_response PR, cr_status not-evaluable. Blood MRD <0.01% -> negative.",
           "Item 9: marrow not done -> PR (Table 4 wording), not 'clinical CR'.")
    return p


def cll09():
    p = Pt("b3-cll-09", "cll", "collection", "1952-08-25", "male", "Zimmermann", "Klaus", style="period_d")
    p.condition([COND_CLL_SNOMED], D("2022-10-03"), "CLL")
    last_target = D("2023-06-15")
    start = plus(last_target, -142)
    b = plus(start, -7)
    p.exam(b, ln_max=3.6, spd=22.0, spleen_bcm=4)
    p.cbc(b, alc=32.0, hgb=102, plt=120, anc=3.3)
    last = fcr(p, start)
    assert last == last_target
    r = D("2023-08-28")
    p.exam(r, ln_max=2.0, spd=7.0, spleen_bcm=0)
    p.cbc(r, alc=2.0, hgb=124, plt=150, anc=2.0)
    f = D("2023-10-30")
    p.exam(f, ln_max=2.0, spd=7.2, spleen_bcm=0)
    p.cbc(f, alc=2.4, hgb=122, plt=145, anc=2.2)
    pd = D("2023-11-27")
    p.exam(pd, ln_max=2.1, spd=7.5, spleen_bcm=0, hepatomegaly=True)
    p.cbc(pd, alc=3.0, hgb=121, plt=140, anc=2.4)
    p.cbc(D("2023-12-04"), alc=3.2, hgb=120, plt=138, anc=2.3)
    QUIRKS[p.pid] = ("FCR x6; physical examination only; hepatomegaly is never recorded until it appears "
                     "(valueBoolean true) 5.4 months after the last dose; no marrow, no MRD.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "status": "refractory", "progression_date": iso(pd),
                           "mrd_status": "not-assessed", "cr_status": None},
           f"Baseline: node 3.6 cm / SPD 22, spleen 4 cm BCM, ALC 32; Hb 102. Restaging {iso(r)} "
           f"({(r - last).days} days after the last dose {iso(last)}): SPD 7.0 (-68%), spleen not palpable, "
           f"ALC 2.0, Hb 124 -> PR (not CR: node 2.0 cm), confirmed {iso(f)}. {iso(pd)}: new hepatomegaly "
           f"-> PD. PD is {(pd - last).days} days after the last dose (<6 months) and {(pd - r).days} days "
           f"after the PR (<6 months): refractory on both clocks.",
           "Item 21: hepatomegaly was never recorded before therapy; read as absent (recorded-only-when-present "
           "finding), so its appearance is a new lesion. Item 3: both clocks agree.")
    return p


def cll10():
    p = Pt("b3-cll-10", "cll", "searchset", "1959-01-19", "female", "Schulz", "Renate", style="dt")
    p.condition([COND_CLL_ICD10CM], D("2022-11-21"), "CLL of B-cell type")
    start = D("2023-02-06")
    p.ct(D("2023-01-26"), ln_max=3.0, spd=16.0, spleen=14.2)
    p.cbc(D("2023-01-31"), alc=42.0, hgb=104, plt=98, anc=3.9, extras=True)
    last = br(p, start)
    r = plus(last, 70)
    p.ct(plus(r, -1), ln_max=1.2, spd=2.2, spleen=11.9)
    p.exam(r, hepatomegaly=False, bsym=False)
    p.cbc(r, alc=1.4, hgb=129, plt=175, anc=2.6)
    p.mrd("mrd_pb", r, 0.1, comparator="<", llod=0.1, events=100000, interp=None)
    p.marrow_cll(plus(r, 3), 0, False, "normocellular")
    p.cbc(plus(r, 17), alc=1.5, hgb=130, plt=171, anc=2.7)
    QUIRKS[p.pid] = ("searchset Bundle; diagnosis coded only as ICD-10-CM C91.10 (no SNOMED); BR x6; blood "
                     "MRD from a 4-colour assay: '<0.1%' with LLOD 0.1% (sensitivity 10^-3, not enough to "
                     "show <10^-4).")
    expect(CLL_EXPECT, p, {"best_response": "CR", "status": None, "progression_date": None,
                           "cr_status": None},
           f"Baseline: node 3.0 cm, spleen 14.2 cm, ALC 42; Hb 104, plt 98. Restaging {iso(plus(r, -1))}.."
           f"{iso(plus(r, 3))}: node 1.2 cm, spleen 11.9, ALC 1.4, no B symptoms/hepatomegaly (explicit "
           f"false), Hb 129, plt 175, ANC 2.6, marrow clear and normocellular -> CR. The only CLL Condition "
           f"is ICD-10-CM C91.10.",
           "Item 15/16: MRD '<0.1%' (LLOD 0.1%) cannot show <0.01%; it is neither negative nor positive, so "
           "mrd_status is left out (indeterminate is the likely answer, but it is the engine's choice).")
    return p


def cll11():
    p = Pt("b3-cll-11", "cll", "collection", "1956-06-06", "male", "Krüger", "Bernd", style="date")
    p.condition([COND_CLL_SNOMED, COND_CLL_ICD10], D("2022-07-04"), "CLL, TP53 wild type")
    start = D("2022-10-03")
    p.ct(D("2022-09-21"), ln_max=3.0, spd=20.0, spleen=12.5)
    p.cbc(D("2022-09-27"), alc=35.0, hgb=112, plt=130, anc=4.2)
    last = br(p, start)
    p.cbc(plus(start, 84), alc=25.0, hgb=110, plt=122, anc=2.8)
    r = plus(last, 68)
    p.ct(r, ln_max=4.8, spd=32.0, spleen=13.0)
    p.cbc(plus(r, 2), alc=30.0, hgb=110, plt=125, anc=3.5)
    QUIRKS[p.pid] = "BR x6; first and only restaging CT shows nodes +60% over baseline; data end 2 days later."
    expect(CLL_EXPECT, p, {"best_response": "PD", "status": "refractory", "progression_date": iso(r),
                           "mrd_status": "not-assessed", "cr_status": None},
           f"Baseline SPD 20, largest node 3.0 cm. Restaging CT {iso(r)} ({(r - last).days} days after the "
           f"last dose): SPD 32 (+60%), largest node 4.8 cm (+60%) -> PD at the first assessment, so the best "
           f"response is PD; PD within 6 months of the last therapy -> refractory.")
    return p


def cll12():
    p = Pt("b3-cll-12", "cll", "transaction", "1948-11-28", "male", "Richter", "Horst", style="period")
    p.condition([COND_CLL_SNOMED], D("2020-12-07"), "CLL")
    start = D("2021-03-01")
    p.ct(D("2021-02-15"), ln_max=4.0, spd=30.0, spleen=12.0)
    p.cbc(D("2021-02-22"), alc=25.0, hgb=105, plt=160, anc=4.0)
    p.med("ibrutinib", start, None, status="in-progress", dose=(420, "mg"), route="PO",
          text="ibrutinib 420 mg daily")
    p.cbc(D("2021-03-29"), alc=22.0, hgb=106, plt=158, anc=3.9)
    for ds, alc, hgb, ctv in [
        ("2021-06-01", 12.0, 114, (3.0, 20.0)),
        ("2021-09-01", 6.0, 125, (2.2, 12.0)),
        ("2022-03-01", 4.5, 128, (1.8, 8.0)),
        ("2022-09-01", 4.6, 129, (1.8, 8.2)),
        ("2023-03-01", 5.0, 127, (1.9, 9.0)),
    ]:
        d = D(ds)
        p.ct(d, ln_max=ctv[0], spd=ctv[1], spleen=11.5)
        p.cbc(d, alc=alc, hgb=hgb, plt=165, anc=3.8)
    pd = D("2023-06-05")
    p.ct(pd, ln_max=3.1, spd=17.0, spleen=11.8)
    p.cbc(pd, alc=6.0, hgb=124, plt=160, anc=3.7)
    QUIRKS[p.pid] = ("transaction Bundle; ibrutinib continuous, still in-progress at PD; ALC never above "
                     "baseline; nodal progression from the nadir (SPD 8 -> 17) while still below baseline SPD 30.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "progression_date": iso(pd), "lymphocytosis": False,
                           "mrd_status": "not-assessed", "cr_status": None},
           "Baseline: SPD 30 / node 4.0 cm, ALC 25; Hb 105. 2021-09-01: SPD 12 (-60%), ALC 6 (-76%), Hb 125 -> "
           "PR, held to 2023-03-01 (nadir SPD 8.0, node 1.8 cm; never CR: ALC >4 or node >=1.5). "
           f"{iso(pd)}: SPD 17 (+112% from the nadir), largest node 3.1 cm (+72%) -> PD 'from response'. ALC "
           "never rose above baseline -> no lymphocytosis.",
           "Item 3: PD on continuous ibrutinib is both 'PD within 6 months of the last therapy' (refractory) "
           "and 'PD >= 6 months after PR' (relapsed); status left out. Item 5 concerns ALC only; nodes are "
           "'from baseline or from response' in 2018.")
    return p


def cll13():
    p = Pt("b3-cll-13", "cll", "collection", "1954-04-04", "female", "Braun", "Ursula", style="dt",
           units={"plt": "/uL"})
    p.condition([COND_CLL_SNOMED], D("2022-06-13"), "CLL")
    start = D("2022-09-12")
    p.ct(D("2022-08-31"), ln_max=3.4, spd=21.0, spleen=15.0)
    p.cbc(D("2022-09-06"), alc=48.0, hgb=104, plt=120, anc=3.4, extras=True)
    last = br(p, start)
    r = plus(last, 71)
    p.ct(plus(r, -3), ln_max=1.6, spd=4.0, spleen=12.2)
    p.cbc(r, alc=1.6, hgb=130, plt=170, anc=2.4)
    p.marrow_cll(plus(r, 2), 10, False, "normocellular")
    f = D("2023-08-14")
    p.cbc(f, alc=2.0, hgb=128, plt=160, anc=2.5)
    pd = D("2023-12-18")
    p.cbc(pd, alc=3.5, hgb=112, plt=55, anc=2.0, extras=True)
    p.marrow_cll(pd, 70, True, "hypercellular")
    p.cbc(plus(pd, 15), alc=3.6, hgb=110, plt=52, anc=2.1)
    QUIRKS[p.pid] = ("BR x6; platelets in /uL; PR with 10% residual marrow infiltrate; progression only by "
                     "thrombocytopenia (55,000/uL) with a same-day marrow showing 70% CLL infiltrate, 10.5 "
                     "months after therapy; nodes not re-imaged at PD.")
    expect(CLL_EXPECT, p, {"best_response": "PR", "status": "relapsed", "progression_date": iso(pd),
                           "mrd_status": "not-assessed", "cr_status": None},
           f"Baseline: node 3.4 cm / SPD 21, spleen 15 cm, ALC 48; Hb 104, plt 120. Restaging "
           f"{iso(plus(r, -3))}..{iso(plus(r, 2))}: SPD 4.0 (-81%), spleen 12.2, ALC 1.6, Hb 130, plt 170 -> PR "
           f"(not CR: node 1.6 cm, marrow 10% CLL). {iso(pd)} ({(pd - last).days} days after therapy): "
           f"platelets 55 (-54% from baseline, <100) with 70% CLL marrow infiltration -> PD (CLL-attributable "
           f"cytopenia >= 3 months after therapy). PD {(pd - r).days} days after the PR -> relapsed.",
           "Item 11: the cytopenia is attributed to CLL by the same-day marrow infiltrate.")
    return p


def cll14():
    p = Pt("b3-cll-14", "cll", "searchset", "1962-02-02", "male", "Schmitt", "Rainer", style="date")
    p.condition([COND_CLL_SNOMED], D("2022-12-12"), "CLL")
    start = D("2023-03-06")
    p.ct(D("2023-02-22"), ln_max=3.2, spd=18.0, spleen=11.0)
    p.cbc(D("2023-02-28"), alc=38.0, hgb=102, plt=150, anc=3.7)
    last = br(p, start)
    r = plus(last, 73)
    p.cbc(r, alc=1.5, hgb=128, plt=170, anc=2.3, extras=True)
    p.cbc(plus(r, 14), alc=1.6, hgb=129, plt=168, anc=2.4)
    QUIRKS[p.pid] = ("searchset Bundle; BR x6; after therapy only blood counts: nodes (abnormal at baseline) "
                     "never re-measured.")
    expect(CLL_EXPECT, p, {"best_response": "NE", "progression_date": None, "mrd_status": "not-assessed"},
           "Baseline abnormal: nodes 3.2 cm / SPD 18 and ALC 38 (spleen 11 cm normal); Hb 102. After therapy "
           "only CBCs (ALC 1.5, Hb 128): one of the two abnormal group-A parameters is unknown, so PR cannot be "
           "shown, and neither can SD or PD -> not evaluable.",
           "Item 21: missing node assessment is unknown, not normal -> NE (status and cr_status left out).")
    return p


def cll15():
    p = Pt("b3-cll-15", "cll", "transaction", "1964-10-15", "female", "Werner", "Petra", style="period")
    p.condition([COND_CLL_SNOMED, COND_CLL_ICD10], D("2021-11-29"), "CLL")
    start = D("2022-02-07")
    p.ct(D("2022-01-27"), ln_max=2.9, spd=15.0, spleen=13.8)
    p.cbc(D("2022-02-01"), alc=30.0, hgb=108, plt=95, anc=3.1)
    last = fcr(p, start)
    r = plus(last, 70)
    p.ct(r, spd=1.7, spleen=11.2)
    p.obs("ln_max", r, 2.2, "cm", style="dt", method="CT neck/chest/abdomen/pelvis", category="imaging",
          status="entered-in-error", hhmm="11:15", note="Wrong patient - report withdrawn")
    p.obs("ln_max", r, 1.1, "cm", style="dt", method="CT neck/chest/abdomen/pelvis", category="imaging",
          status="corrected", hhmm="11:20", note="Corrected report")
    p.cbc(r, alc=1.1, hgb=131, plt=168, anc=2.2)
    p.marrow_cll(plus(r, 3), 0, False, "normocellular")
    p.cbc(plus(r, 16), alc=1.2, hgb=133, plt=170, anc=2.4)
    QUIRKS[p.pid] = ("transaction Bundle; FCR x6; at restaging a largest-node value of 2.2 cm with status "
                     "entered-in-error and a same-day 1.1 cm with status corrected; no MRD.")
    expect(CLL_EXPECT, p, {"best_response": "CR", "status": None, "progression_date": None,
                           "mrd_status": "not-assessed", "cr_status": None},
           f"Baseline: node 2.9 cm, spleen 13.8 cm, ALC 30; Hb 108, plt 95. Restaging {iso(r)}..{iso(plus(r, 3))}: "
           f"node 1.1 cm (the 2.2 cm result is entered-in-error and ignored), SPD 1.7, spleen 11.2, ALC 1.1, "
           f"Hb 131, plt 168, ANC 2.2, marrow clear and normocellular -> CR.",
           "Item 24 / item 21: corrected result used, entered-in-error ignored; no B symptoms or hepatomegaly "
           "ever recorded (read as absent).")
    return p


# ================================================================ ALL patients


def all_cbc(p, d, wbc, anc, plt, hgb, blasts=0, style=None, extras=False, jit=0):
    """ALL blood count; jit varies repeated follow-up counts a little (deterministically, upwards only)."""
    if jit:
        wbc, anc = round(wbc + (jit % 3) * 0.2, 1), round(anc + (jit % 4) * 0.1, 1)
        plt, hgb = plt + (jit * 7) % 23, hgb + (jit * 5) % 9
    p.cbc(d, wbc=wbc, anc=anc, plt=plt, hgb=hgb, pb_blasts=blasts, style=style, extras=extras)


def diag_all(p, d, wbc, blasts_pb, blasts_bm, ph=None, csf_wbc=1):
    all_cbc(p, d, wbc, 0.6, 38, 82, blasts_pb, extras=True)
    p.obs("bm_blasts", plus(d, 1), blasts_bm, "%", style="date")
    if ph is not None:
        p.obs("bcr_abl", plus(d, 3), ph, style="date",
              interp="POS" if ph else "NEG")
    p.csf(plus(d, 2), csf_wbc)


def induction_pediatric(p, s, it=True):
    """4-drug-ish induction: VCR weekly x4, dexamethasone D1-28, pegaspargase D4, IT MTX D1/D8/D29."""
    for off in (0, 7, 14, 21):
        p.med("vincristine", plus(s, off), plus(s, off), dose=(1.5, "mg"), hhmm=("10:00", "10:15"))
    p.med("dexamethasone", s, plus(s, 27), route="PO", dose=(6, "mg"))
    p.med("pegaspargase", plus(s, 3), plus(s, 3), dose=(2500, "[iU]"), hhmm=("10:00", "11:00"))
    if it:
        for off in (0, 7):
            p.med("methotrexate", plus(s, off), plus(s, off), route="IT", dose=(12, "mg"), hhmm=("09:30", "09:35"))


def induction_adult(p, s):
    """VCR + daunorubicin weekly x4, prednisone D1-28, pegaspargase D15."""
    for off in (0, 7, 14, 21):
        p.med("vincristine", plus(s, off), plus(s, off), dose=(2, "mg"), hhmm=("10:00", "10:15"))
        p.med("daunorubicin", plus(s, off), plus(s, off), dose=(80, "mg"), hhmm=("10:20", "11:20"))
    p.med("prednisone", s, plus(s, 27), route="PO", dose=(100, "mg"))
    p.med("pegaspargase", plus(s, 14), plus(s, 14), dose=(3750, "[iU]"), hhmm=("10:00", "11:00"))
    p.med("methotrexate", s, s, route="IT", dose=(15, "mg"), hhmm=("09:30", "09:35"))


def consolidation_block(p, s):
    """Cyclophosphamide D1, cytarabine D3-6, mercaptopurine D1-14, IT MTX D1."""
    p.med("cyclophosphamide", s, s, dose=(1000, "mg"))
    p.med("cytarabine", plus(s, 2), plus(s, 5), dose=(75, "mg"), hhmm=("09:00", "09:30"))
    p.med("mercaptopurine", s, plus(s, 13), route="PO", dose=(60, "mg"))
    p.med("methotrexate", s, s, route="IT", dose=(12, "mg"), hhmm=("09:30", "09:35"))


def maintenance_month(p, s):
    p.med("mercaptopurine", s, plus(s, 27), route="PO", dose=(75, "mg"))
    p.med("methotrexate", s, plus(s, 21), route="PO", dose=(20, "mg"))
    p.med("vincristine", s, s, dose=(1.5, "mg"), hhmm=("10:00", "10:15"))


def all01():
    p = Pt("b3-all-01", "all", "transaction", "1985-06-17", "male", "Vogel", "Sebastian", style="dt")
    dx = D("2022-03-14")
    p.condition([COND_ALL_SNOMED, COND_ALL_ICD10CM], dx, "B-ALL, Ph-negative")
    diag_all(p, dx, 24.0, 60, 88, ph=False)
    s = D("2022-03-17")
    # course 1A = induction (hyper-CVAD)
    p.proc(s, plus(s, 20), "Hyper-CVAD course 1A (induction)", phase="induction")
    p.med("cyclophosphamide", s, plus(s, 2), dose=(560, "mg"), hhmm=("08:00", "20:00"))
    for off in (3, 10):
        p.med("vincristine", plus(s, off), plus(s, off), dose=(2, "mg"), hhmm=("10:00", "10:15"))
    p.med("doxorubicin", plus(s, 3), plus(s, 3), dose=(94, "mg"), hhmm=("10:30", "13:30"))
    p.med("dexamethasone", s, plus(s, 3), route="PO", dose=(40, "mg"))
    p.med("dexamethasone", plus(s, 10), plus(s, 13), route="PO", dose=(40, "mg"))
    cr = plus(s, 22)
    all_cbc(p, cr, 3.2, 1.6, 132, 98, 0, extras=True)
    p.obs("bm_blasts", cr, 2, "%", style="date")
    p.mrd("mrd_bm", cr, 0.02, llod=0.005, events=2500000)
    # consolidation: courses 1B .. 4B
    c0 = plus(s, 25)
    courses = ["1B", "2A", "2B", "3A", "3B", "4A", "4B"]
    p.proc(c0, plus(c0, 28 * 7 - 8), "Hyper-CVAD courses 1B-4B (consolidation)", phase="consolidation")
    for k, name in enumerate(courses):
        c = plus(c0, 28 * k)
        if name.endswith("B"):
            p.med("methotrexate", c, c, dose=(1900, "mg"), hhmm=("08:00", "20:00"))
            p.med("cytarabine", plus(c, 1), plus(c, 2), dose=(5600, "mg"), hhmm=("08:00", "10:00"))
        else:
            p.med("cyclophosphamide", c, plus(c, 2), dose=(560, "mg"), hhmm=("08:00", "20:00"))
            p.med("vincristine", plus(c, 3), plus(c, 3), dose=(2, "mg"), hhmm=("10:00", "10:15"))
            p.med("doxorubicin", plus(c, 3), plus(c, 3), dose=(94, "mg"), hhmm=("10:30", "13:30"))
        all_cbc(p, plus(c, 21), 4.1, 2.1, 160, 112, 0, style="date", jit=k + 1)
        if name == "2B":
            m = plus(c, 23)
            p.obs("bm_blasts", m, 1, "%", style="date")
            p.mrd("mrd_bm", m, 0.01, comparator="<", llod=0.005, events=3000000)
    end_cons = plus(c0, 28 * 7 - 8)
    m2 = plus(end_cons, 1)
    p.obs("bm_blasts", m2, 0.5, "%", style="date")
    p.mrd("mrd_bm", m2, 0.01, comparator="<")
    # maintenance (POMP), procedure still in progress
    ms = plus(end_cons, 12)
    p.proc(ms, None, "POMP maintenance", phase="maintenance", status="in-progress")
    for k in range(6):
        mm = plus(ms, 28 * k)
        maintenance_month(p, mm)
        p.med("prednisone", mm, plus(mm, 4), route="PO", dose=(200, "mg"))
        all_cbc(p, plus(mm, 27), 3.8, 2.0, 175, 128, 0, style="period_d", jit=k + 2)
    asof = plus(ms, 28 * 5 + 27)
    QUIRKS[p.pid] = ("transaction Bundle; adult Ph-negative (bcr-abl1-detected false) hyper-CVAD-like: "
                     "course 1A as induction, courses 1B-4B as consolidation, POMP maintenance (Procedure "
                     "in-progress, no end); phase in Procedure code (local phase coding + text); marrow MRD "
                     "0.02% after induction, then <0.01% twice.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "negative",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Diagnosis {iso(dx)}: marrow blasts 88%. Day {(cr - s).days + 1} of induction ({iso(cr)}): marrow "
           f"blasts 2%, no circulating blasts, ANC 1.6, platelets 132 -> CR, sustained in every later count "
           f"to {iso(asof)}. MRD 0.02% at CR (positive), then <0.01% (LLOD 0.005%) at "
           f"{iso(plus(plus(c0, 56), 23))} and {iso(m2)} -> latest negative.",
           "Item 17: cr1_date is the date of the marrow that establishes CR (the 4-week 'no recurrence' is "
           "confirmed later, not a new date). Item 21: no CSF blasts or extramedullary disease ever recorded "
           "(read as absent).")
    return p


def all02():
    p = Pt("b3-all-02", "all", "collection", "2016-05-20", "female", "Lange", "Emma", style="period")
    dx = D("2021-09-06")
    p.condition([COND_ALL_SNOMED], dx, "Precursor B-ALL, standard risk")
    diag_all(p, dx, 18.0, 45, 92, ph=False, csf_wbc=2)
    s = D("2021-09-08")
    p.proc(s, plus(s, 27), "Induction (protocol phase I-A)", phase="induction")
    induction_pediatric(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 4.4, 1.9, 210, 104, 0)
    p.obs("bm_blasts", cr, 1, "%", style="date")
    p.mrd("mrd_bm_loinc", cr, 0.05, llod=0.005, events=4000000)
    p.csf(cr, 1)
    p.med("methotrexate", cr, cr, route="IT", dose=(12, "mg"), hhmm=("09:30", "09:35"))
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 55), "Consolidation (protocol phase I-B)", phase="consolidation")
    consolidation_block(p, cs)
    consolidation_block(p, plus(cs, 28))
    all_cbc(p, plus(cs, 27), 3.1, 1.4, 150, 108, 0)
    me = plus(cs, 56)
    p.obs("bm_blasts", me, 0.5, "%", style="date")
    p.mrd("mrd_bm_loinc", me, 0.005, comparator="<", llod=0.005, events=4000000)
    all_cbc(p, me, 3.6, 1.8, 190, 110, 0)
    ds = plus(me, 35)
    p.proc(ds, plus(ds, 55), "Delayed intensification (protocol II)", phase="delayed-intensification")
    p.med("dexamethasone", ds, plus(ds, 20), route="PO", dose=(6, "mg"))
    for off in (0, 7, 14):
        p.med("vincristine", plus(ds, off), plus(ds, off), dose=(1.5, "mg"), hhmm=("10:00", "10:15"))
        p.med("doxorubicin", plus(ds, off), plus(ds, off), dose=(22, "mg"), hhmm=("10:30", "11:30"))
    p.med("pegaspargase", plus(ds, 3), plus(ds, 3), dose=(2500, "[iU]"), hhmm=("10:00", "11:00"))
    consolidation_block(p, plus(ds, 28))
    all_cbc(p, plus(ds, 49), 2.9, 1.2, 130, 102, 0)
    ms = plus(ds, 63)
    p.proc(ms, None, "Maintenance therapy", phase="maintenance", status="in-progress")
    for k in range(3):
        maintenance_month(p, plus(ms, 28 * k))
        all_cbc(p, plus(ms, 28 * k + 27), 3.4, 1.6, 220, 118, 0, jit=k + 1)
    asof = plus(ms, 28 * 2 + 27)
    QUIRKS[p.pid] = ("collection Bundle; child aged 5; four phases (induction, consolidation, delayed "
                     "intensification, maintenance) as Procedures with local phase codes; marrow MRD coded "
                     "with LOINC 67128-9 and bodySite 14016003 only: 0.05% on day 29, '<0.005%' (LLOD 0.005%) "
                     "after consolidation; labs as effectivePeriod start == end.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "negative",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(cr)}): marrow blasts 1%, no circulating blasts, ANC 1.9, platelets 210, CSF WBC 1 "
           f"without blasts -> CR, sustained to {iso(asof)}. Marrow MRD 0.05% on day 29 (positive, >=0.01%), "
           f"then <0.005% at {iso(me)} -> negative under both the 10^-4 and the 'not detectable' reading.",
           "Item 17: cr1_date = the day-29 marrow.")
    return p


def all03():
    p = Pt("b3-all-03", "all", "searchset", "1994-01-08", "male", "Haas", "Jonas", style="date")
    dx = D("2021-02-15")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 31.0, 70, 90, ph=False)
    s = D("2021-02-17")
    p.proc(s, plus(s, 27), "Induction chemotherapy")
    induction_adult(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 3.0, 1.4, 118, 96, 0)
    p.obs("bm_blasts", cr, 2, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.01)
    cs = plus(cr, 5)
    p.proc(cs, D("2021-09-30"), "Consolidation chemotherapy")
    for k in range(6):
        consolidation_block(p, plus(cs, 32 * k))
        all_cbc(p, plus(cs, 32 * k + 25), 3.5, 1.9, 170, 118, 0, jit=k + 1)
    # maintenance given, but no Procedure names it
    ms = D("2021-10-11")
    k = 0
    while True:
        mm = plus(ms, 28 * k)
        if plus(mm, 27) > D("2023-02-28"):
            break
        maintenance_month(p, mm)
        if k % 3 == 2:
            all_cbc(p, plus(mm, 20), 4.2, 2.3, 195, 131, 0, jit=k)
        k += 1
    rel = add_months(cr, 24)
    rel = plus(rel, 3)
    all_cbc(p, rel, 14.0, 0.9, 62, 101, 22, extras=True)
    p.obs("bm_blasts", rel, 38, "%", style="date")
    p.mrd("mrd_bm", rel, 35.0)
    QUIRKS[p.pid] = ("searchset Bundle; the only phase information is Procedure code.text ('Induction "
                     "chemotherapy', 'Consolidation chemotherapy'; coding SNOMED 367336001 only); maintenance "
                     "only as MedicationAdministrations; marrow relapse about 2 years after CR1, during "
                     "maintenance.")
    expect(ALL_EXPECT, p, {"status": "relapsed", "cr1_date": iso(cr), "relapse_date": iso(rel),
                           "relapse_timing": "6mo-3y", "relapse_site": "marrow", "mrd_status": "positive"},
           f"Day 29 ({iso(cr)}): marrow blasts 2%, ANC 1.4, platelets 118, no circulating blasts -> CR1. "
           f"{iso(rel)} ({(rel - cr).days} days later, ~2 years): marrow blasts 38%, circulating blasts 22% -> "
           f"marrow relapse, 6mo-3y from CR1. Latest MRD (flow, same day) 35% -> positive.",
           "Item 19: timing counted from CR1 (data-contract); the seed's 'while on chemotherapy' would put "
           "this relapse in the earliest group. Item 17: cr1_date = day-29 marrow.")
    return p


def all04():
    p = Pt("b3-all-04", "all", "collection", "1979-11-11", "female", "Roth", "Sabine", style="dt",
           units={"anc": "/uL", "plt": "/uL"})
    dx = D("2022-06-13")
    p.condition([COND_ALL_SNOMED, COND_ALL_ICD10CM], dx, "B-ALL")
    diag_all(p, dx, 12.0, 30, 76, ph=False)
    s = D("2022-06-15")
    induction_adult(p, s)
    d15 = plus(s, 14)
    p.obs("bm_blasts", d15, 12, "%", style="date")
    all_cbc(p, d15, 0.9, 0.2, 22, 84, 0)
    cr = plus(s, 28)
    all_cbc(p, cr, 3.4, 1.3, 145, 95, 0, extras=True)
    p.obs("bm_blasts", cr, 1.5, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.004, events=2000000)
    p.csf(cr, 2)
    c = plus(cr, 5)
    consolidation_block(p, c)
    all_cbc(p, plus(c, 23), 2.8, 1.2, 120, 101, 0)
    asof = plus(c, 37)
    all_cbc(p, asof, 3.6, 1.8, 185, 108, 0)
    QUIRKS[p.pid] = ("no Procedure at all: nothing names a phase, only MedicationAdministrations (induction "
                     "drugs days 1-28, then a consolidation-type block); day-15 marrow 12% blasts; ANC and "
                     "platelets in /uL.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "negative",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Therapy starts {iso(s)}; taking induction as the first 4 weeks, the day-15 marrow (12% blasts) is "
           f"mid-induction and decides nothing. {iso(cr)} (day 29): marrow blasts 1.5%, ANC 1300/uL, "
           f"platelets 145000/uL, no circulating blasts -> CR, sustained to {iso(asof)}. MRD <0.01% -> negative.",
           "Item 18: no phase named; induction = first 4 weeks of therapy (brief). Item 17: cr1_date = "
           "day-29 marrow.")
    return p


def all05():
    p = Pt("b3-all-05", "all", "transaction", "1970-03-03", "male", "Berger", "Frank", style="period_d",
           units={"anc": "/uL"})
    dx = D("2023-01-09")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 9.5, 25, 81, ph=False)
    s = D("2023-01-11")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_adult(p, s)
    m = plus(s, 28)
    all_cbc(p, m, 2.6, 1.4, 60, 92, 0, extras=True)
    p.obs("bm_blasts", m, 2, "%", style="date")
    p.csf(m, 1)
    all_cbc(p, plus(m, 14), 2.9, 1.6, 68, 95, 0)
    all_cbc(p, plus(m, 28), 3.1, 1.7, 74, 97, 0)
    asof = plus(m, 35)
    all_cbc(p, asof, 3.0, 1.7, 78, 98, 0)
    QUIRKS[p.pid] = ("transaction Bundle; ANC in /uL; platelets 60-78 x10^9/L from day 29 to the end of data "
                     "(5 weeks); no MRD taken; no further therapy recorded.")
    expect(ALL_EXPECT, p, {"status": "CRi", "mrd_status": "not-assessed", "relapse_date": None,
                           "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(m)}): marrow blasts 2%, no circulating blasts, ANC 1400/uL, CSF clear, but platelets "
           f"60 (<100) -> CRi; platelets stay 68-78 and no blasts reappear through {iso(asof)} (35 days). "
           f"No MRD assessment.",
           "cr1_date left out: whether a CRi counts as 'first complete remission' is the engine's choice.")
    return p


def all06():
    p = Pt("b3-all-06", "all", "collection", "1988-08-08", "female", "Kuhn", "Laura", style="dt")
    dx = D("2023-05-08")
    p.condition([COND_ALL_SNOMED], dx, "T-ALL")
    diag_all(p, dx, 48.0, 72, 85, ph=False)
    s = D("2023-05-10")
    p.proc(s, plus(s, 27), "Induction phase I", phase="induction")
    induction_adult(p, s)
    d29 = plus(s, 28)
    all_cbc(p, d29, 6.8, 0.7, 48, 88, 8, extras=True)
    p.obs("bm_blasts", d29, 30, "%", style="date")
    QUIRKS[p.pid] = "induction failure: day-29 marrow 30% blasts after a phase-coded induction; data end that day."
    expect(ALL_EXPECT, p, {"status": "refractory", "cr1_date": None, "relapse_date": None,
                           "relapse_timing": None, "relapse_site": None, "mrd_status": "not-assessed"},
           f"Induction (Procedure, phase 'induction') {iso(s)}..{iso(plus(s, 27))}. Day 29 ({iso(d29)}): marrow "
           f"blasts 30%, circulating blasts 8%, platelets 48 -> no CR at the end of induction -> refractory.",
           "Item 18: end of induction = end of the single induction Procedure (one 4-week course).")
    return p


def all07():
    p = Pt("b3-all-07", "all", "searchset", "2009-04-21", "male", "Fuchs", "Leon", style="dt")
    dx = D("2022-01-10")
    p.condition([COND_ALL_SNOMED], dx, "Precursor B-ALL, high risk")
    diag_all(p, dx, 62.0, 80, 94, ph=False)
    s = D("2022-01-12")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_pediatric(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 4.8, 2.0, 190, 106, 0)
    p.obs("bm_blasts", cr, 1, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.005)
    p.csf(cr, 1)
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 83), "Consolidation", phase="consolidation")
    for k in range(3):
        consolidation_block(p, plus(cs, 28 * k))
        all_cbc(p, plus(cs, 28 * k + 24), 3.3, 1.5, 160, 110, 0, jit=k + 1)
    ce = plus(cs, 84)
    p.obs("bm_blasts", ce, 0.5, "%", style="date")
    p.mrd("mrd_bm", ce, 0.01, comparator="<", llod=0.005)
    ims = plus(ce, 7)
    p.proc(ims, None, "Interim maintenance", phase="maintenance", status="in-progress")
    maintenance_month(p, ims)
    rel = plus(add_months(cr, 5), 2)
    all_cbc(p, rel, 5.1, 2.6, 210, 121, 0)
    p.csf(rel, 12, 8)
    p.med("methotrexate", rel, rel, route="IT", dose=(12, "mg"), hhmm=("10:00", "10:05"))
    bm = plus(rel, 1)
    p.obs("bm_blasts", bm, 1, "%", style="date")
    QUIRKS[p.pid] = ("searchset Bundle; adolescent; isolated CNS relapse ~5 months after CR1: CSF WBC 12/uL "
                     "with 8 blasts/uL (CNS3), marrow 1% the next day; CSF blasts recorded only when present "
                     "(earlier CSFs carry only a cell count).")
    expect(ALL_EXPECT, p, {"status": "relapsed", "cr1_date": iso(cr), "relapse_date": iso(rel),
                           "relapse_timing": "lt6mo", "relapse_site": "extramedullary-cns",
                           "mrd_status": "negative"},
           f"CR1 on day 29 ({iso(cr)}): marrow 1%, ANC 2.0, platelets 190, CSF WBC 1. {iso(rel)} "
           f"({(rel - cr).days} days after CR1): CSF WBC 12/uL with 8 blasts/uL (CNS3) while marrow stays 1% -> "
           f"isolated CNS relapse, <6 months. Latest MRD ({iso(ce)}) <0.01% -> negative (no MRD at relapse).",
           "Item 19: < 6 months by every anchor. mrd_status follows the contract's 'latest MRD assessment' "
           "(negative, taken before the CNS relapse).")
    return p


def all08():
    p = Pt("b3-all-08", "all", "collection", "2012-02-29", "female", "Schwarz", "Mia", style="date")
    dx = D("2017-11-06")
    p.condition([COND_ALL_SNOMED], dx, "Precursor B-ALL, ETV6::RUNX1")
    diag_all(p, dx, 8.0, 35, 90, ph=False)
    s = D("2017-11-08")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_pediatric(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 4.0, 1.7, 240, 108, 0)
    p.obs("bm_blasts", cr, 0.5, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.005)
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 55), "Consolidation", phase="consolidation")
    consolidation_block(p, cs)
    consolidation_block(p, plus(cs, 28))
    ds = plus(cs, 63)
    p.proc(ds, plus(ds, 55), "Delayed intensification", phase="delayed-intensification")
    p.med("dexamethasone", ds, plus(ds, 20), route="PO", dose=(6, "mg"))
    for off in (0, 7, 14):
        p.med("vincristine", plus(ds, off), plus(ds, off), dose=(1.5, "mg"), hhmm=("10:00", "10:15"))
        p.med("doxorubicin", plus(ds, off), plus(ds, off), dose=(25, "mg"), hhmm=("10:30", "11:30"))
    consolidation_block(p, plus(ds, 28))
    all_cbc(p, plus(cs, 28), 3.0, 1.3, 160, 104, 0)
    all_cbc(p, plus(ds, 35), 2.7, 1.1, 125, 101, 0)
    ms = plus(ds, 63)
    me = D("2020-01-31")
    p.proc(ms, me, "Maintenance", phase="maintenance")
    # maintenance summarised quarterly by the export
    k = 0
    while plus(ms, 91 * k) < me:
        q = plus(ms, 91 * k)
        qe = min(plus(q, 90), me)
        p.med("mercaptopurine", q, qe, route="PO", dose=(50, "mg"))
        p.med("methotrexate", q, qe, route="PO", dose=(15, "mg"))
        all_cbc(p, plus(q, 45), 3.5, 1.5, 230, 124, 0, jit=k + 1)
        k += 1
    for ds2 in ("2020-06-15", "2020-12-14", "2021-06-14", "2021-12-13"):
        all_cbc(p, D(ds2), 5.8, 3.1, 260, 131, 0)
    rel = D("2022-01-17")
    all_cbc(p, rel, 11.0, 1.1, 70, 104, 15, extras=True)
    p.obs("bm_blasts", rel, 45, "%", style="date")
    p.mrd("mrd_bm", rel, 42.0)
    QUIRKS[p.pid] = ("child; four phases; maintenance exported as quarterly MedicationAdministration summaries "
                     "ending 2020-01-31; off therapy for two years; late marrow relapse 4 years after CR1.")
    expect(ALL_EXPECT, p, {"status": "relapsed", "cr1_date": iso(cr), "relapse_date": iso(rel),
                           "relapse_timing": "ge3y", "relapse_site": "marrow", "mrd_status": "positive"},
           f"CR1 day 29 ({iso(cr)}): marrow 0.5%, ANC 1.7, platelets 240. Therapy ends {iso(me)}. {iso(rel)} "
           f"({(rel - cr).days} days after CR1, ~4.2 years): marrow blasts 45%, circulating blasts 15% -> "
           f"marrow relapse, >= 3 years from CR1. MRD 42% that day -> positive.",
           "Item 19: counted from CR1 per the data-contract; from the end of therapy it would be ~2 years "
           "(6mo-3y).")
    return p


def all09():
    p = Pt("b3-all-09", "all", "transaction", "2014-09-30", "male", "Hartmann", "Paul", style="period")
    dx = D("2022-10-03")
    p.condition([COND_ALL_SNOMED], dx, "Precursor B-ALL")
    diag_all(p, dx, 15.0, 50, 89, ph=False)
    s = D("2022-10-05")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_pediatric(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 4.2, 1.8, 205, 104, 0)
    p.obs("bm_blasts", cr, 1, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.005)
    p.csf(cr, 1)
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 55), "Consolidation", phase="consolidation")
    consolidation_block(p, cs)
    consolidation_block(p, plus(cs, 28))
    lp1 = D("2023-01-30")
    all_cbc(p, lp1, 3.9, 1.9, 180, 112, 0)
    p.csf(lp1, 3, 2)
    p.med("methotrexate", lp1, lp1, route="IT", dose=(12, "mg"), hhmm=("10:00", "10:05"))
    lp2 = D("2023-03-06")
    all_cbc(p, lp2, 4.3, 2.2, 215, 118, 0)
    p.csf(lp2, 1, 0)
    p.med("methotrexate", lp2, lp2, route="IT", dose=(12, "mg"), hhmm=("10:00", "10:05"))
    asof = plus(lp2, 35)
    all_cbc(p, plus(lp2, 14), 4.0, 2.0, 208, 119, 0)
    all_cbc(p, asof, 4.4, 2.3, 221, 121, 0)
    QUIRKS[p.pid] = ("transaction Bundle; child; after CR a CSF with WBC 3/uL and 2 blasts/uL (CNS2), then "
                     "five weeks later a CSF with WBC 1/uL and an explicit 0 blasts/uL; clean counts for five "
                     "more weeks.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "relapse_date": None,
                           "relapse_timing": None, "relapse_site": None, "mrd_status": "negative"},
           f"CR day 29 ({iso(cr)}). {iso(lp1)}: CSF WBC 3/uL with blasts 2/uL = CNS2 (blasts with WBC <5), "
           f"not CNS3 -> not a CNS relapse; marrow and blood stay clear. {iso(lp2)}: CSF WBC 1, blasts 0 "
           f"(CNS1), blood clear to the as-of date {iso(asof)} -> status remains CR.",
           "4.1 CNS status: a CNS relapse needs CNS3 (WBC >= 5/uL with blasts). The as-of date is 5 weeks "
           "after a clean CSF, so status CR does not depend on how a transient CNS2 is treated (item 17).")
    return p


def all10():
    p = Pt("b3-all-10", "all", "collection", "1981-12-24", "female", "Seidel", "Katrin", style="dt")
    dx = D("2023-02-06")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 20.0, 55, 86, ph=False)
    s = D("2023-02-08")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_adult(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 3.3, 1.5, 120, 97, 0)
    p.obs("bm_blasts", cr, 3, "%", style="date")
    p.mrd("mrd_bm", cr, 0.3, llod=0.005)
    cs = plus(cr, 5)
    p.proc(cs, D("2023-06-30"), "Consolidation", phase="consolidation")
    for k in range(4):
        consolidation_block(p, plus(cs, 28 * k))
        all_cbc(p, plus(cs, 28 * k + 24), 3.4, 1.6, 150, 110, 0, style="date", jit=k + 1)
    mr = D("2023-06-12")
    p.obs("bm_blasts", mr, 0.5, "%", style="date")
    p.mrd("mrd_bm", mr, 0.004, llod=0.001, events=5000000, interp=None)
    all_cbc(p, D("2023-06-26"), 3.9, 2.0, 170, 116, 0)
    asof = D("2023-07-10")
    all_cbc(p, asof, 4.0, 2.1, 178, 119, 0)
    QUIRKS[p.pid] = ("CR with marrow MRD 0.3% on day 29, later a quantifiable 0.004% (LLOD 0.001%): below "
                     "10^-4 but detectable.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "relapse_date": None,
                           "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(cr)}): marrow blasts 3%, ANC 1.5, platelets 120, no circulating blasts -> CR, "
           f"sustained to {iso(asof)}. Latest MRD {iso(mr)}: 0.004% detected (LLOD 0.001%).",
           "Item 16: 0.004% is negative by '<10^-4' (NCCN) but positive/intermediate by 'not detectable' "
           "(ELN); mrd_status left out.")
    return p


def all11():
    p = Pt("b3-all-11", "all", "searchset", "2008-07-07", "male", "Pohl", "Finn", style="period_d")
    dx = D("2021-05-03")
    p.condition([COND_ALL_SNOMED, COND_ALL_ICD10CM], dx, "Precursor B-ALL")
    diag_all(p, dx, 22.0, 40, 91, ph=False)
    s = D("2021-05-05")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_pediatric(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 4.5, 2.1, 220, 109, 0)
    p.obs("bm_blasts", cr, 1, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.005)
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 55), "Consolidation", phase="consolidation")
    consolidation_block(p, cs)
    consolidation_block(p, plus(cs, 28))
    all_cbc(p, plus(cs, 24), 3.1, 1.4, 170, 112, 0)
    ce = plus(cs, 56)
    p.mrd("mrd_bm", ce, 0.01, comparator="<", llod=0.005)
    all_cbc(p, ce, 3.9, 1.9, 210, 118, 0)
    p.obs("bm_blasts", ce, 0.5, "%", style="date")
    ds = plus(cs, 63)
    p.proc(ds, plus(ds, 55), "Delayed intensification", phase="delayed-intensification")
    consolidation_block(p, ds)
    all_cbc(p, plus(ds, 35), 2.8, 1.2, 140, 110, 0)
    ms = plus(ds, 63)
    p.proc(ms, None, "Maintenance", phase="maintenance", status="in-progress")
    k = 0
    while plus(ms, 28 * k + 27) <= D("2022-07-31"):
        maintenance_month(p, plus(ms, 28 * k))
        if k % 2 == 1:
            all_cbc(p, plus(ms, 28 * k + 20), 3.6, 1.7, 240, 130, 0, jit=k)
        k += 1
    rel = add_months(cr, 14)
    rel = plus(rel, 1)
    p.obs("emd", rel, True, style="period_d", method="Physical examination and ultrasound",
          bodysite=(SNOMED, "40689003", "Testis structure"),
          note="Painless enlargement of the left testis; ultrasound infiltrative pattern")
    all_cbc(p, rel, 5.0, 2.5, 230, 128, 0)
    bm = plus(rel, 2)
    p.obs("bm_blasts", bm, 1, "%", style="date")
    QUIRKS[p.pid] = ("searchset Bundle; boy; isolated testicular relapse 14 months after CR1 recorded as "
                     "extramedullary-disease true with bodySite testis (SNOMED 40689003); marrow 1% two days "
                     "later; maintenance Procedure in-progress.")
    expect(ALL_EXPECT, p, {"status": "relapsed", "cr1_date": iso(cr), "relapse_date": iso(rel),
                           "relapse_timing": "6mo-3y", "mrd_status": "negative"},
           f"CR1 day 29 ({iso(cr)}). {iso(rel)} ({(rel - cr).days} days later, 14 months): extramedullary "
           f"disease in the testis, marrow 1% -> isolated extramedullary relapse (S6), 6mo-3y. Latest MRD "
           f"({iso(ce)}) <0.01% -> negative.",
           "relapse_site left out: the vocabulary (marrow | extramedullary-cns) has no testicular value.")
    return p


def all12():
    p = Pt("b3-all-12", "all", "transaction", "1966-01-30", "male", "Engel", "Martin", style="dt",
           units={"plt": "10*3/uL"})
    dx = D("2022-04-04")
    p.condition([COND_ALL_SNOMED, COND_ALL_ICD10CM], dx, "B-ALL, Ph-positive (BCR::ABL1 p190)")
    diag_all(p, dx, 35.0, 65, 87, ph=True)
    s = D("2022-04-07")
    p.proc(s, plus(s, 27), "Induction (dasatinib + steroids)", phase="induction")
    p.med("dasatinib", s, None, status="in-progress", route="PO", dose=(140, "mg"), text="dasatinib 140 mg daily")
    p.med("prednisone", s, plus(s, 27), route="PO", dose=(60, "mg"))
    p.med("methotrexate", s, s, route="IT", dose=(15, "mg"), hhmm=("09:30", "09:35"))
    cr = plus(s, 28)
    all_cbc(p, cr, 4.0, 1.8, 156, 110, 0)
    p.obs("bm_blasts", cr, 1, "%", style="date")
    p.mrd("mrd_bm", cr, 0.8, llod=0.01)
    cs = D("2022-05-16")
    p.proc(cs, D("2022-09-02"), "Consolidation (HD-MTX / cytarabine)", phase="consolidation")
    for k in range(3):
        c = plus(cs, 35 * k)
        p.med("methotrexate", c, c, dose=(2000, "mg"), hhmm=("08:00", "20:00"))
        p.med("cytarabine", plus(c, 1), plus(c, 2), dose=(2000, "mg"), hhmm=("08:00", "11:00"))
        all_cbc(p, plus(c, 21), 3.2, 1.5, 140, 114, 0, jit=k + 1)
    mr = D("2022-08-08")
    p.obs("bm_blasts", mr, 0.5, "%", style="date")
    p.mrd("mrd_bm", mr, 0.2, llod=0.01)
    all_cbc(p, D("2022-08-22"), 3.5, 1.7, 150, 118, 0)
    asof = D("2022-09-05")
    all_cbc(p, asof, 3.6, 1.8, 162, 120, 0)
    QUIRKS[p.pid] = ("transaction Bundle; Ph-positive (bcr-abl1-detected true); dasatinib continuous "
                     "(in-progress); platelets in 10*3/uL; MRD positive at every assessment.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "positive",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(cr)}): marrow blasts 1%, ANC 1.8, platelets 156, no circulating blasts -> CR, "
           f"sustained to {iso(asof)}. Marrow MRD 0.8% then 0.2% ({iso(mr)}) -> positive (>= 0.01% under "
           f"every reading).")
    return p


def all13():
    p = Pt("b3-all-13", "all", "collection", "1990-10-10", "female", "Jung", "Nina", style="period")
    dx = D("2022-08-01")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 16.0, 48, 83, ph=False)
    s = D("2022-08-03")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_adult(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 3.6, 1.6, 140, 100, 0)
    p.obs("bm_blasts", cr, 2, "%", style="date")
    p.mrd("mrd_bm", cr, 0.4, llod=0.005)
    cs = plus(cr, 5)
    p.proc(cs, plus(cs, 41), "Consolidation 1", phase="consolidation")
    consolidation_block(p, cs)
    consolidation_block(p, plus(cs, 21))
    m1 = plus(cs, 42)
    p.obs("bm_blasts", m1, 0.5, "%", style="date")
    p.mrd("mrd_bm", m1, 0.1, llod=0.005)
    all_cbc(p, m1, 3.2, 1.5, 150, 109, 0)
    b0 = plus(m1, 7)
    p.proc(b0, plus(b0, 27), "Blinatumomab for MRD-positive CR", phase="consolidation")
    p.med("blinatumomab", b0, plus(b0, 27), dose=(28, "ug"), hhmm=("10:00", "10:00"),
          text="blinatumomab 28 ug/day continuous infusion, cycle 1")
    m2 = plus(b0, 42)
    p.obs("bm_blasts", m2, 0.5, "%", style="date")
    p.mrd("mrd_bm", m2, 0.01, comparator="<", llod=0.005, events=3500000)
    all_cbc(p, m2, 4.1, 2.2, 190, 118, 0)
    asof = plus(m2, 14)
    all_cbc(p, asof, 4.4, 2.4, 205, 121, 0)
    QUIRKS[p.pid] = ("collection Bundle; MRD 0.4% -> 0.1% -> blinatumomab (28-day infusion) -> <0.01% "
                     "(LLOD 0.005%); labs as effectivePeriod start == end.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "negative",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(cr)}): marrow blasts 2%, ANC 1.6, platelets 140, no circulating blasts -> CR, "
           f"sustained. MRD 0.4% ({iso(cr)}), 0.1% ({iso(m1)}), then <0.01% with LLOD 0.005% ({iso(m2)}) after "
           f"blinatumomab -> latest negative.")
    return p


def all14():
    p = Pt("b3-all-14", "all", "transaction", "1975-05-05", "male", "Arnold", "Stefan", style="dt")
    dx = D("2023-03-06")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 27.0, 58, 90, ph=False)
    s = D("2023-03-08")
    p.proc(s, plus(s, 27), "Induction", phase="induction")
    induction_adult(p, s)
    cr = plus(s, 28)
    all_cbc(p, cr, 3.8, 1.7, 150, 102, 0)
    p.obs("bm_blasts", cr, 2, "%", style="date")
    p.mrd("mrd_bm", cr, 0.01, comparator="<", llod=0.005)
    cs = plus(cr, 6)
    p.proc(cs, plus(cs, 83), "Consolidation", phase="consolidation")
    for k in range(3):
        consolidation_block(p, plus(cs, 28 * k))
        all_cbc(p, plus(cs, 28 * k + 24), 3.5, 1.8, 165, 112, 0, jit=k + 1)
    m = D("2023-07-10")
    p.obs("bm_blasts", m, 45, "%", style="date", status="entered-in-error",
          note="Result belongs to another patient; withdrawn")
    p.obs("bm_blasts", m, 1, "%", style="date", status="amended", note="Amended report")
    all_cbc(p, m, 4.0, 2.0, 170, 118, 0)
    asof = D("2023-07-24")
    all_cbc(p, asof, 4.2, 2.1, 176, 120, 0)
    QUIRKS[p.pid] = ("transaction Bundle; a follow-up marrow blast count of 45% with status entered-in-error "
                     "and a same-day 1% with status amended.")
    expect(ALL_EXPECT, p, {"status": "CR", "cr1_date": iso(cr), "mrd_status": "negative",
                           "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Day 29 ({iso(cr)}): marrow 2%, ANC 1.7, platelets 150 -> CR. {iso(m)}: the 45% marrow blast "
           f"result is entered-in-error (ignored); the amended result is 1%; blood clear -> still CR at "
           f"{iso(asof)}. MRD <0.01% -> negative.",
           "Item 24: amended result counts; entered-in-error is ignored.")
    return p


def all15():
    p = Pt("b3-all-15", "all", "collection", "2000-12-12", "female", "Sommer", "Lea", style="dt")
    dx = D("2023-09-04")
    p.condition([COND_ALL_SNOMED], dx, "B-ALL")
    diag_all(p, dx, 40.0, 66, 92, ph=False)
    s = D("2023-09-06")
    p.proc(s, None, "Induction", phase="induction", status="in-progress")
    for off in (0, 7, 14):
        p.med("vincristine", plus(s, off), plus(s, off), dose=(2, "mg"), hhmm=("10:00", "10:15"))
        p.med("daunorubicin", plus(s, off), plus(s, off), dose=(80, "mg"), hhmm=("10:20", "11:20"))
    p.med("prednisone", s, plus(s, 13), route="PO", dose=(100, "mg"))
    d15 = plus(s, 14)
    p.obs("bm_blasts", d15, 12, "%", style="date")
    asof = plus(s, 17)
    all_cbc(p, asof, 0.6, 0.3, 25, 80, 0, extras=True)
    QUIRKS[p.pid] = ("induction still running (Procedure in-progress) when the data end on day 18; day-15 "
                     "marrow 12% blasts.")
    expect(ALL_EXPECT, p, {"cr1_date": None, "relapse_date": None, "relapse_timing": None, "relapse_site": None},
           f"Induction started {iso(s)} and is still running at the as-of date {iso(asof)}; the day-15 marrow "
           f"(12% blasts) is mid-induction: no CR yet, and not refractory either (induction has not ended).",
           "Item 18: status left out - the engine may say NE or nothing; it must not say refractory or CR.")
    return p


# ================================================================ output


def ydump_scalar(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    return json.dumps(v, ensure_ascii=False)


def write_yaml(path, entries, header):
    lines = [f"# {h}" if h else "#" for h in header]
    for e in entries:
        lines.append(f"- patient: {ydump_scalar(e['patient'])}")
        lines.append("  expect:")
        for k, v in e["expect"].items():
            lines.append(f"    {k}: {ydump_scalar(v)}")
        lines.append(f"  why: {ydump_scalar(e['why'])}")
        if "ambiguity" in e:
            lines.append(f"  ambiguity: {ydump_scalar(e['ambiguity'])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


README_HEAD = """# Blind test batch 3 (Klinikum Nordstadt-style FHIR exports)

Generated by `tools/gen_blind3.py` (Python 3 standard library only, deterministic:
uuid5 ids, fixed dates). Re-run with `python3 tests/blind3/tools/gen_blind3.py`;
it rewrites `cll/`, `all/`, `expected/` and this README.

## How it was made, and by whom

Written by a helper session started by the project, working **blind**: it read only
`/work/shared/design/criteria-reference.md`, `/work/shared/design/data-contract.md` and
`/work/shared/seeds/*.txt`. It did not open the engine source, the rule packs, the other
tests, examples, docs, bindings or tools, and it did not run crit. Patients and
expectations come from the published criteria as summarised in criteria-reference.md
(iwCLL 2018 Table 4 and text; ALL definitions of section 4) and from the result
vocabulary of data-contract.md. RxNorm ingredient codes are the verified list given in
the brief.

## What the data look like

One FHIR R4 Bundle per patient (`cll/<id>.json`, `all/<id>.json`), imitating a hospital
system unlike the earlier batches:

- Bundle types: `transaction` (entries with `request`; Patient by PUT, the rest POST),
  `collection`, and `searchset` (absolute `fullUrl`s, `search.mode = match`,
  subjects as `Patient/<id>`). In transaction and collection bundles every subject is
  a `urn:uuid:` reference to the Patient entry's `fullUrl`.
- Dates: `effectiveDateTime` with a Central European offset (times between 08:00 and
  16:30, so the UTC date is the same day), plain `YYYY-MM-DD` dates on some labs
  (marrow morphology always), and `effectivePeriod` with start == end (either dateTimes or plain
  dates) on others. No `issued`, `meta` or Bundle `timestamp`, so the as-of date is the
  last clinical date.
- Units: haemoglobin in g/L; counts in 10*9/L, some lymphocyte counts in 10*3/uL, some
  platelets/ANC in /uL. A few CBC results carry `interpretation` (H/L/N) and
  `referenceRange` (this lab's ranges; they are extras, the criteria thresholds apply).
- MRD: LOINC 67128-9 with the local `mrd-flow-pb` / `mrd-flow-bm` codes, or 67128-9
  alone (b3-cll-08 blood; b3-all-02 marrow with bodySite 14016003). Censored values use
  `comparator "<"`. Many carry `component`s: lower limit of detection (local code
  `MRD-LLOD`, %) and events acquired (`MRD-EVENTS`, {cells}).
- Findings (hepatomegaly, B symptoms, extramedullary disease, CSF blasts) are recorded
  only when present, with an occasional explicit `false` / 0.
- CLL nodes and spleen: CT (local `ln-longest-diameter-max`, `ln-spd`,
  `spleen-craniocaudal-length`, method "CT ...") for some patients, physical examination
  only (the same node codes with method "Physical examination", spleen as LOINC 32489-7 cm
  below the costal margin) for others; never both on one date.
- ALL phases: Procedure SNOMED 367336001 with a local phase coding
  (`.../CodeSystem/chemotherapy-phase`: INDUCTION, CONSOLIDATION,
  DELAYED-INTENSIFICATION, MAINTENANCE) plus text; b3-all-03 has code.text only;
  b3-all-04 has no Procedure at all.
- Multi-day drugs are one MedicationAdministration per block (start..end); continuous
  oral BTK inhibitors and dasatinib are `in-progress` without `period.end`.

## Expectations

`expected/cll.yaml` (iwCLL 2018 pack) and `expected/all.yaml` (ALL pack). Each entry:
`patient` (Patient.id), `expect` (only keys the author is confident of; `null` = the
result is confidently absent), `why`, and `ambiguity` where a criteria-reference
section 6 item is involved (naming the reading taken). Keys that hinge on an arbitrary
implementation choice are left out. Conventions used throughout:

- `lymphocytosis` is asserted only for BTK-inhibitor patients (true for persistent
  treatment-related lymphocytosis, false when the ALC never rose); for chemotherapy
  patients it is left out (false or absent are both reasonable encodings).
- `cr_status: null` means "not not-evaluable": either CR was assessable (marrow done) or
  the data do not point to CR.
- `mrd_status` is the latest MRD assessment after therapy started; `not-assessed` when
  there is none.
- Restagings after fixed-duration CLL therapy are 64-75 days after the last dose (more
  than 2 calendar months and more than 8 weeks), so item 1 (month arithmetic) never
  decides a result.
- ALL `cr1_date` is the date of the marrow (with same-day recovered counts) that first
  meets CR; every CR/CRi patient has at least 5 weeks of clean follow-up after it
  (item 17). Relapse timings (5 months, 14 months, 2 years, 4.2 years) stay inside their
  band even if CR1 were dated 4 weeks later.

## Checking

The files were checked after generation (outside the generator) by parsing every
Bundle as JSON and both expectation files with PyYAML, resolving every `subject`
reference, matching each Patient.id to one expectation, confirming that every expected
date is the date of an Observation in that patient's Bundle, and confirming that two
runs produce byte-identical output.

## Cases
"""


def main():
    cll = [cll01(), cll02(), cll03(), cll04(), cll05(), cll06(), cll07(), cll08(), cll09(), cll10(),
           cll11(), cll12(), cll13(), cll14(), cll15()]
    alls = [all01(), all02(), all03(), all04(), all05(), all06(), all07(), all08(), all09(), all10(),
            all11(), all12(), all13(), all14(), all15()]
    for sub, pts in (("cll", cll), ("all", alls)):
        d = ROOT / sub
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.json"):
            old.unlink()
        for p in pts:
            (d / f"{p.pid}.json").write_text(json.dumps(p.bundle(), indent=1, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    ex = ROOT / "expected"
    ex.mkdir(parents=True, exist_ok=True)
    header = ["Blind batch 3 - generated by tests/blind3/tools/gen_blind3.py; do not edit by hand.",
              "Written from criteria-reference.md, data-contract.md and the seeds only (see README.md).",
              "expect: only confident keys; null = confidently absent."]
    write_yaml(ex / "cll.yaml", CLL_EXPECT, header + ["Rule pack: iwCLL 2018."])
    write_yaml(ex / "all.yaml", ALL_EXPECT, header + ["Rule pack: ALL."])

    lines = [README_HEAD]
    for title, pts, table in (("CLL", cll, CLL_EXPECT), ("ALL", alls, ALL_EXPECT)):
        lines.append(f"### {title}\n")
        lines.append("| patient | bundle | as of | expected | quirks |")
        lines.append("|---|---|---|---|---|")
        byid = {e["patient"]: e for e in table}
        for p in pts:
            exp = ", ".join(f"{k}={ydump_scalar(v).strip(chr(34))}" for k, v in byid[p.pid]["expect"].items())
            lines.append(f"| {p.pid} | {p.bundle_type} | {iso(p.as_of())} | {exp} | {QUIRKS[p.pid]} |")
        lines.append("")
    lines.append("The `why` and `ambiguity` fields of the YAML files give the reasoning per patient.\n")
    (ROOT / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
