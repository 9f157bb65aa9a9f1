"""Tiny stdlib-only FHIR R4 bundle builder used by make_blind4.py.

Deterministic: ids are derived from the patient id and a running counter,
urn:uuid values from uuid5 over those ids. No clocks, no randomness.
"""
import json
import re
import uuid
from decimal import Decimal
from datetime import date, timedelta

LOINC = "http://loinc.org"
SCT = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
BASE = "https://fhir.example-hospital.org/fhir"

MARROW_SITE = {"coding": [{"system": SCT, "code": "14016003", "display": "Bone marrow structure"}]}

# concept -> (codings, text, category, marrow?)
C = {
    "alc": ([(LOINC, "731-0", "Lymphocytes [#/volume] in Blood by Automated count")], "Lymphocytes abs", "laboratory", False),
    "lymph_pct": ([(LOINC, "736-9", "Lymphocytes/100 leukocytes in Blood by Automated count")], "Lymphocytes %", "laboratory", False),
    "anc": ([(LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count")], "Neutrophils abs", "laboratory", False),
    "plt": ([(LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count")], "Platelets", "laboratory", False),
    "hgb": ([(LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood")], "Hemoglobin", "laboratory", False),
    "wbc": ([(LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count")], "WBC", "laboratory", False),
    "pb_blasts": ([(LOINC, "26446-5", "Blasts/100 leukocytes in Blood")], "Blasts % (blood)", "laboratory", False),
    "bm_blasts": ([(LOINC, "11150-0", "Blasts/100 cells in Bone marrow")], "Bone marrow blasts %", "laboratory", True),
    "bm_lymph": ([(LOINC, "11108-8", "Lymphocytes/100 cells in Bone marrow by Manual count")], "Bone marrow lymphocytes %", "laboratory", True),
    "csf_wbc": ([(LOINC, "806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count")], "CSF WBC", "laboratory", False),
    "csf_blasts": ([(LOINC, "35068-6", "Blasts [#/volume] in Cerebral spinal fluid")], "CSF blasts", "laboratory", False),
    "spleen_exam": ([(LOINC, "32489-7", "Spleen Tip distance below costal margin by palpation")], "Spleen below costal margin", "exam", False),
    "mrd_pb": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry"),
                (LOCAL, "mrd-flow-pb", "MRD by flow cytometry, peripheral blood")], "MRD flow (peripheral blood)", "laboratory", False),
    "mrd_bm": ([(LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry"),
                (LOCAL, "mrd-flow-bm", "MRD by flow cytometry, bone marrow")], "MRD flow (bone marrow)", "laboratory", True),
    "spd": ([(LOCAL, "ln-spd", "Sum of products of diameters of index lymph nodes")], "Lymph node SPD", "imaging", False),
    "ln_max": ([(LOCAL, "ln-longest-diameter-max", "Longest diameter of largest lymph node")], "Largest lymph node, longest diameter", "imaging", False),
    "spleen_ct": ([(LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length (CT)")], "Spleen length (CT)", "imaging", False),
    "hepatomegaly": ([(LOCAL, "hepatomegaly", "Hepatomegaly")], "Hepatomegaly", "exam", False),
    "bsym": ([(LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms")], "B symptoms", "exam", False),
    "bm_cll": ([(LOCAL, "marrow-cll-infiltrate", "Bone marrow CLL infiltrate")], "Marrow CLL infiltrate", "laboratory", True),
    "bm_nodules": ([(LOCAL, "marrow-b-lymphoid-nodules", "Bone marrow B-lymphoid nodules")], "Marrow B-lymphoid nodules", "laboratory", True),
    "bm_cellularity": ([(LOCAL, "marrow-cellularity", "Bone marrow cellularity")], "Marrow cellularity", "laboratory", True),
    "bcr_abl1": ([(LOCAL, "bcr-abl1-detected", "BCR::ABL1 fusion detected")], "BCR::ABL1 (RT-PCR)", "laboratory", False),
    "emd": ([(LOCAL, "extramedullary-disease", "Extramedullary disease")], "Extramedullary disease", "imaging", False),
}

UNITS = {  # ucum code -> human unit
    "10*9/L": "10^9/L", "10*3/uL": "10^3/uL", "/uL": "/uL", "g/dL": "g/dL", "g/L": "g/L",
    "%": "%", "cm": "cm", "cm2": "cm2", "1": "1", "mg": "mg", "ug": "ug", "[iU]": "IU",
}

RX = {
    "ibrutinib": "1442981", "rituximab": "121191", "fludarabine": "24698", "cyclophosphamide": "3002",
    "blinatumomab": "1597258", "venetoclax": "1747556", "obinutuzumab": "974779", "bendamustine": "134547",
    "vincristine": "11202", "prednisone": "8640", "dexamethasone": "3264", "methotrexate": "6851",
    "cytarabine": "3041", "mercaptopurine": "103", "imatinib": "282388", "dasatinib": "475342",
    "daunorubicin": "3109", "doxorubicin": "3639", "acalabrutinib": "1986808", "zanubrutinib": "2262435",
    "chlorambucil": "2346", "inotuzumab ozogamicin": "1942950", "asparaginase": "1156", "pegaspargase": "34132",
}


def d(s):
    return date.fromisoformat(s)


def plus(s, days):
    return (d(s) + timedelta(days=days)).isoformat()


def add_months(s, n):
    x = d(s)
    m = x.month - 1 + n
    y = x.year + m // 12
    m = m % 12 + 1
    import calendar
    day = min(x.day, calendar.monthrange(y, m)[1])
    return date(y, m, day).isoformat()


def months_between(a, b):
    """(calendar whole months, fixed-day months at 30.44 d/month)"""
    da, db = d(a), d(b)
    n = 0
    while d(add_months(a, n + 1)) <= db:
        n += 1
    return n, (db - da).days / 30.44


class Bundle:
    """styles: 'collection-ref' (fullUrl absolute, Patient/<id> refs),
    'collection-urn' (urn:uuid everywhere), 'searchset', 'transaction'"""

    def __init__(self, pid, style, tz=None):
        self.pid = pid
        self.style = style
        self.tz = tz  # e.g. '+01:00'; None = date-only unless times
        self.entries = []
        self.n = 0
        self.dates = []
        self.patient_uuid = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "blind4/" + pid + "/Patient"))

    # ---- helpers
    def _rid(self, rtype):
        self.n += 1
        return f"{self.pid}-{rtype[:3].lower()}-{self.n:03d}"

    def _subject(self):
        if self.style in ("collection-urn", "transaction"):
            return {"reference": self.patient_uuid}
        return {"reference": f"Patient/{self.pid}"}

    def dt(self, s, time=None):
        """date string, or dateTime when the bundle carries times."""
        self.dates.append(s[:10])
        if len(s) > 10 or self.tz is None:
            return s
        return f"{s}T{time or '09:00:00'}{self.tz}"

    def add(self, res, track=True):
        rtype = res["resourceType"]
        if rtype == "Patient":
            rid = self.pid
        else:
            rid = self._rid(rtype)
        if self.style != "transaction" or rtype == "Patient":
            res = {"resourceType": rtype, "id": rid, **{k: v for k, v in res.items() if k != "resourceType"}}
        e = {}
        if self.style in ("collection-urn", "transaction"):
            e["fullUrl"] = self.patient_uuid if rtype == "Patient" else "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "blind4/" + rid))
        else:
            e["fullUrl"] = f"{BASE}/{rtype}/{rid}"
        e["resource"] = res
        if self.style == "searchset":
            e["search"] = {"mode": "match" if rtype == "Observation" else "include"}
        if self.style == "transaction":
            if rtype == "Patient":
                e["request"] = {"method": "PUT", "url": f"Patient/{self.pid}"}
            else:
                e["request"] = {"method": "POST", "url": rtype}
        self.entries.append(e)
        return res

    # ---- resources
    def patient(self, gender, birth, family, given, mrn):
        self.add({"resourceType": "Patient",
                  "identifier": [{"system": "https://example-hospital.org/mrn", "value": mrn}],
                  "name": [{"family": family, "given": [given]}],
                  "gender": gender, "birthDate": birth})

    def condition(self, onset, sct, sct_display, icd, icd_display, text, icd_system=ICD10, cm=None):
        coding = [{"system": SCT, "code": sct, "display": sct_display},
                  {"system": icd_system, "code": icd, "display": icd_display}]
        if cm:
            coding.append({"system": ICD10CM, "code": cm[0], "display": cm[1]})
        self.add({"resourceType": "Condition",
                  "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
                  "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
                  "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"}]}],
                  "code": {"coding": coding, "text": text},
                  "subject": self._subject(),
                  "onsetDateTime": self.dt(onset)})

    def obs(self, date_s, concept, value, unit=None, comp=None, status="final", note=None,
            time=None, site=None, lod=None, refrange=None):
        codings, text, cat, marrow = C[concept]
        r = {"resourceType": "Observation", "status": status,
             "category": [{"coding": [{"system": OBSCAT, "code": cat}]}],
             "code": {"coding": [{"system": s, "code": c, "display": disp} for s, c, disp in codings], "text": text},
             "subject": self._subject(),
             "effectiveDateTime": self.dt(date_s, time)}
        if isinstance(value, bool):
            r["valueBoolean"] = value
        elif isinstance(value, str):
            r["valueCodeableConcept"] = {"coding": [{"system": LOCAL, "code": value, "display": value}], "text": value}
        else:
            q = {"value": value, "unit": UNITS.get(unit, unit), "system": UCUM, "code": unit}
            if comp:
                q = {"value": value, "comparator": comp, "unit": UNITS.get(unit, unit), "system": UCUM, "code": unit}
            r["valueQuantity"] = q
        if marrow:
            r["bodySite"] = MARROW_SITE
        if site:
            r["bodySite"] = {"coding": [{"system": SCT, "code": site[0], "display": site[1]}], "text": site[1]}
        if lod is not None:
            r["component"] = [{"code": {"coding": [{"system": LOCAL, "code": "limit-of-detection", "display": "Assay lower limit of detection"}],
                                        "text": "Lower limit of detection"},
                               "valueQuantity": {"value": lod[0], "unit": UNITS.get(lod[1], lod[1]), "system": UCUM, "code": lod[1]}}]
        if refrange:
            lo, hi, u = refrange
            rr = {}
            if lo is not None:
                rr["low"] = {"value": lo, "unit": UNITS.get(u, u), "system": UCUM, "code": u}
            if hi is not None:
                rr["high"] = {"value": hi, "unit": UNITS.get(u, u), "system": UCUM, "code": u}
            r["referenceRange"] = [rr]
        if note:
            r["note"] = [{"text": note}]
        return self.add(r)

    def med(self, drug, start, end=None, status="completed", dose=None, route=None, note=None, time=None, end_time=None):
        r = {"resourceType": "MedicationAdministration", "status": status,
             "medicationCodeableConcept": {"coding": [{"system": RXN, "code": RX[drug], "display": drug}], "text": drug},
             "subject": self._subject(),
             "effectivePeriod": {"start": self.dt(start, time)}}
        if end:
            r["effectivePeriod"]["end"] = self.dt(end, end_time or "17:00:00")
        if dose or route:
            ds = {}
            if route:
                ds["route"] = {"text": route}
            if dose:
                ds["dose"] = {"value": dose[0], "unit": UNITS.get(dose[1], dose[1]), "system": UCUM, "code": dose[1]}
            r["dosage"] = ds
        if note:
            r["note"] = [{"text": note}]
        return self.add(r)

    def proc(self, text, start, end=None, status=None):
        status = status or ("completed" if end else "in-progress")
        r = {"resourceType": "Procedure", "status": status,
             "code": {"coding": [{"system": SCT, "code": "367336001", "display": "Chemotherapy"}], "text": text},
             "subject": self._subject(),
             "performedPeriod": {"start": self.dt(start)}}
        if end:
            r["performedPeriod"]["end"] = self.dt(end, "17:00:00")
        return self.add(r)

    # ---- output
    def bundle(self):
        btype = {"collection-ref": "collection", "collection-urn": "collection",
                 "searchset": "searchset", "transaction": "transaction"}[self.style]
        b = {"resourceType": "Bundle", "id": f"{self.pid}-export", "type": btype}
        if btype == "searchset":
            b["total"] = sum(1 for e in self.entries if e.get("search", {}).get("mode") == "match")
            b["link"] = [{"relation": "self", "url": f"{BASE}/Observation?subject=Patient/{self.pid}&_include=*&_revinclude=*"}]
        b["entry"] = self.entries
        return b

    def last_date(self):
        return max(self.dates)

    def write(self, path):
        text = json.dumps(self.bundle(), indent=1, ensure_ascii=False)
        # write small decimals as plain decimals (0.00005), as exporters do, not 5e-05
        text = re.sub(r"(?<=[:\[ ])(-?\d+(?:\.\d+)?[eE]-\d+)(?=[,\n\]}])",
                      lambda m: format(Decimal(m.group(1)), "f"), text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
