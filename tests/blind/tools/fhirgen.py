"""Small helpers that write FHIR R4 Bundles shaped like real EHR exports.

Written for the blind corpus only (tests/blind). Knows nothing about crit:
codes and units come from shared/design/data-contract.md, drug codes from
the public sources listed in tests/blind/README.md.
"""
import datetime as _dt
import json
import uuid
from decimal import Decimal

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOCAL = "http://example.org/fhir/leukemia-holdout/CodeSystem/findings"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"

NS = uuid.UUID("6f1c3e2a-9b8d-4c1e-a2f0-5d7e8b9c0a11")

# concept key -> (system, code, display, default UCUM unit or None, category, marrow?)
CONCEPTS = {
    "alc": (LOINC, "731-0", "Lymphocytes [#/volume] in Blood by Automated count", "10*9/L", "laboratory", False),
    "lymph_pct": (LOINC, "736-9", "Lymphocytes/100 leukocytes in Blood by Automated count", "%", "laboratory", False),
    "anc": (LOINC, "751-8", "Neutrophils [#/volume] in Blood by Automated count", "10*9/L", "laboratory", False),
    "plt": (LOINC, "777-3", "Platelets [#/volume] in Blood by Automated count", "10*9/L", "laboratory", False),
    "hb": (LOINC, "718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", "laboratory", False),
    "wbc": (LOINC, "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "10*9/L", "laboratory", False),
    "pb_blasts": (LOINC, "26446-5", "Blasts/100 leukocytes in Blood", "%", "laboratory", False),
    "bm_blasts": (LOINC, "11150-0", "Blasts/100 cells in Bone marrow", "%", "laboratory", True),
    "bm_lymph": (LOINC, "11108-8", "Lymphocytes/100 cells in Bone marrow by Manual count", "%", "laboratory", True),
    "csf_wbc": (LOINC, "806-0", "Leukocytes [#/volume] in Cerebral spinal fluid by Manual count", "/uL", "laboratory", False),
    "csf_blasts": (LOINC, "35068-6", "Blasts [#/volume] in Cerebral spinal fluid", "/uL", "laboratory", False),
    "spleen_exam": (LOINC, "32489-7", "Spleen tip distance below costal margin by palpation", "cm", "exam", False),
    "mrd_loinc": (LOINC, "67128-9", "Abnormal leukocytes/Leukocytes in Specimen by Flow cytometry", "%", "laboratory", None),
    "mrd_pb": (LOCAL, "mrd-flow-pb", "MRD by flow cytometry, peripheral blood", "%", "laboratory", False),
    "mrd_bm": (LOCAL, "mrd-flow-bm", "MRD by flow cytometry, bone marrow", "%", "laboratory", True),
    "spd": (LOCAL, "ln-spd", "Sum of products of diameters of index lymph nodes", "cm2", "imaging", False),
    "ld": (LOCAL, "ln-longest-diameter-max", "Longest diameter of the largest lymph node", "cm", "imaging", False),
    "spleen_ct": (LOCAL, "spleen-craniocaudal-length", "Spleen craniocaudal length (CT)", "cm", "imaging", False),
    "hepatomegaly": (LOCAL, "hepatomegaly", "Hepatomegaly", None, "exam", False),
    "bsymptoms": (LOCAL, "constitutional-symptoms", "Constitutional (B) symptoms", None, "exam", False),
    "bm_cll": (LOCAL, "marrow-cll-infiltrate", "Bone marrow CLL infiltrate", "%", "laboratory", True),
    "bm_nodules": (LOCAL, "marrow-b-lymphoid-nodules", "Bone marrow B-lymphoid nodules", None, "laboratory", True),
    "bm_cellularity": (LOCAL, "marrow-cellularity", "Bone marrow cellularity", None, "laboratory", True),
    "bcr_abl1": (LOCAL, "bcr-abl1-detected", "BCR::ABL1 fusion detected", None, "laboratory", None),
    "emd": (LOCAL, "extramedullary-disease", "Extramedullary disease (outside marrow and CNS)", None, "exam", False),
}

UNIT_DISPLAY = {"10*9/L": "x10^9/L", "10*3/uL": "x10^3/uL", "/uL": "/uL", "g/dL": "g/dL",
                "g/L": "g/L", "%": "%", "cm": "cm", "cm2": "cm2"}

# RxNorm ingredient codes (sources: README.md)
DRUGS = {
    "ibrutinib": ("1442981", "ibrutinib"),
    "rituximab": ("121191", "rituximab"),
    "fludarabine": ("24698", "fludarabine"),
    "cyclophosphamide": ("3002", "cyclophosphamide"),
    "bendamustine": ("134547", "bendamustine"),
    "obinutuzumab": ("974779", "obinutuzumab"),
    "blinatumomab": ("1597258", "blinatumomab"),
    "inotuzumab": ("1942950", "inotuzumab ozogamicin"),
    "vincristine": ("11202", "vincristine"),
    "prednisone": ("8640", "prednisone"),
    "dexamethasone": ("3264", "dexamethasone"),
    "methotrexate": ("6851", "methotrexate"),
    "mercaptopurine": ("103", "mercaptopurine"),
    "cytarabine": ("3041", "cytarabine"),
    "imatinib": ("282388", "imatinib"),
    "dasatinib": ("475342", "dasatinib"),
}


def D(s):
    return _dt.date.fromisoformat(s)


def add(s, days):
    return (D(s) + _dt.timedelta(days=days)).isoformat()


def days_between(a, b):
    return (D(b) - D(a)).days


def _num(x):
    """JSON number from a Decimal/float/int without float noise."""
    d = Decimal(str(x))
    if d == d.to_integral_value():
        return int(d)
    return float(d.normalize())


def convert(value, canonical_unit, unit):
    """Express a value given in the canonical unit in another UCUM unit."""
    v = Decimal(str(value))
    if unit == canonical_unit:
        return _num(v)
    if canonical_unit == "10*9/L":
        if unit == "10*3/uL":
            return _num(v)
        if unit == "/uL":
            return _num(v * 1000)
    if canonical_unit == "g/dL" and unit == "g/L":
        return _num(v * 10)
    raise ValueError((canonical_unit, unit))


class Bundle:
    """One patient's export.

    refs: 'patient' -> subject 'Patient/<id>', fullUrl as RESTful URL;
          'urn'     -> every fullUrl urn:uuid, subject points to the urn.
    times: 'date' (plain dates), 'eu' (+01:00/+02:00), 'us' (-05:00/-04:00), 'mixed'.
    """

    def __init__(self, pid, birth, gender, refs="patient", btype="collection", times="eu", name=None):
        self.pid, self.refs, self.btype, self.times = pid, refs, btype, times
        self.entries = []
        self.n = 0
        self.puuid = str(uuid.uuid5(NS, pid))
        pat = {
            "resourceType": "Patient",
            "id": pid,
            "identifier": [{"system": "https://fhir.example-hospital.org/sid/mrn", "value": "MRN" + str(uuid.uuid5(NS, "mrn/" + pid).int % 10**7).zfill(7)}],
            "gender": gender,
            "birthDate": birth,
        }
        if name:
            pat["name"] = [{"family": name[0], "given": [name[1]]}]
        self._add(pat, self.puuid)

    # -- plumbing -----------------------------------------------------------
    def subject(self):
        if self.refs == "urn":
            return {"reference": "urn:uuid:" + self.puuid}
        return {"reference": "Patient/" + self.pid}

    def _add(self, res, u=None):
        u = u or str(uuid.uuid5(NS, "%s/%d" % (self.pid, self.n)))
        self.n += 1
        if "id" not in res:
            rid = u if self.refs == "urn" else "%s-%s" % (res["resourceType"][:3].lower(), u.split("-")[0])
            res = {"resourceType": res["resourceType"], "id": rid,
                   **{k: v for k, v in res.items() if k != "resourceType"}}
        if self.refs == "urn":
            full = "urn:uuid:" + u
        else:
            full = "https://fhir.example-hospital.org/fhir/%s/%s" % (res["resourceType"], res["id"])
        e = {"fullUrl": full, "resource": res}
        if self.btype == "searchset":
            e["search"] = {"mode": "match" if res["resourceType"] == "Patient" else "include"}
        self.entries.append(e)
        return res

    def when(self, date, hhmm="09:30", style=None):
        style = style or self.times
        if style == "mixed":
            style = ["date", "eu", "us"][self.n % 3]
        if style == "date":
            return date
        m = D(date).month
        if style == "eu":
            off = "+02:00" if 4 <= m <= 10 else "+01:00"
        else:
            off = "-04:00" if 4 <= m <= 10 else "-05:00"
        return "%sT%s:00%s" % (date, hhmm, off)

    # -- resources ----------------------------------------------------------
    def condition(self, disease, onset, note=None):
        if disease == "CLL":
            codings = [{"system": SNOMED, "code": "92814006", "display": "Chronic lymphoid leukemia, disease"},
                       {"system": ICD10, "code": "C91.1", "display": "Chronic lymphocytic leukaemia of B-cell type"}]
            text = "Chronic lymphocytic leukaemia"
        else:
            codings = [{"system": SNOMED, "code": "91857003", "display": "Acute lymphoid leukemia, disease"},
                       {"system": ICD10, "code": "C91.0", "display": "Acute lymphoblastic leukaemia"}]
            text = note or "Acute lymphoblastic leukaemia"
        res = {
            "resourceType": "Condition",
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
            "code": {"coding": codings, "text": text},
            "subject": self.subject(),
            "onsetDateTime": self.when(onset, "11:00"),
        }
        return self._add(res)

    def obs(self, key, date, value, unit=None, status="final", comparator=None, hhmm="09:30", note=None,
            marrow=None, text=None):
        system, code, display, cunit, cat, is_marrow = CONCEPTS[key]
        res = {
            "resourceType": "Observation",
            "status": status,
            "category": [{"coding": [{"system": OBSCAT, "code": cat}]}],
            "code": {"coding": [{"system": system, "code": code, "display": display}], "text": text or display},
            "subject": self.subject(),
            "effectiveDateTime": self.when(date, hhmm),
        }
        if isinstance(value, bool):
            res["valueBoolean"] = value
        elif isinstance(value, str):
            res["valueCodeableConcept"] = {"coding": [{"system": LOCAL, "code": value, "display": value.capitalize()}],
                                           "text": value}
        else:
            u = unit or cunit
            q = {"value": convert(value, cunit, u) if cunit else _num(value),
                 "unit": UNIT_DISPLAY.get(u, u), "system": UCUM, "code": u}
            if comparator:
                q = {"comparator": comparator, **q}
            res["valueQuantity"] = q
        if marrow if marrow is not None else is_marrow:
            res["bodySite"] = {"coding": [{"system": SNOMED, "code": "14016003", "display": "Bone marrow structure"}]}
        if note:
            res["note"] = [{"text": note}]
        return self._add(res)

    def cbc(self, date, units=None, status=None, hhmm="08:20", **vals):
        """vals in canonical units: alc, anc, plt, wbc (10*9/L), hb (g/dL), pb_blasts, lymph_pct (%)."""
        units = units or {}
        status = status or {}
        for k in ("wbc", "hb", "plt", "anc", "alc", "lymph_pct", "pb_blasts"):
            if k in vals and vals[k] is not None:
                self.obs(k, date, vals[k], unit=units.get(k), status=status.get(k, "final"), hhmm=hhmm)

    def ct(self, date, spd=None, ld=None, spleen=None, status="final", hhmm="11:40"):
        if spd is not None:
            self.obs("spd", date, spd, status=status, hhmm=hhmm)
        if ld is not None:
            self.obs("ld", date, ld, status=status, hhmm=hhmm)
        if spleen is not None:
            self.obs("spleen_ct", date, spleen, status=status, hhmm=hhmm)

    def marrow_cll(self, date, infiltrate=None, cellularity=None, nodules=None, status="final", hhmm="10:05"):
        if infiltrate is not None:
            self.obs("bm_cll", date, infiltrate, status=status, hhmm=hhmm)
        if cellularity is not None:
            self.obs("bm_cellularity", date, cellularity, status=status, hhmm=hhmm)
        if nodules is not None:
            self.obs("bm_nodules", date, nodules, status=status, hhmm=hhmm)

    def mrd(self, key, date, value, comparator=None, status="final", marrow=None, note=None):
        return self.obs(key, date, value, comparator=comparator, status=status, hhmm="13:10", marrow=marrow, note=note)

    def med(self, drug, start, end=None, status="completed", note=None, dose=None, reason=None):
        code, disp = DRUGS[drug]
        res = {
            "resourceType": "MedicationAdministration",
            "status": status,
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code, "display": disp}], "text": disp},
            "subject": self.subject(),
            "effectivePeriod": {"start": self.when(start, "08:45")},
        }
        if end:
            res["effectivePeriod"]["end"] = self.when(end, "16:30")
        if reason:
            res["statusReason"] = [{"text": reason}]
        if dose:
            res["dosage"] = {"text": dose}
        if note:
            res["note"] = [{"text": note}]
        return self._add(res)

    def proc(self, text, start, end=None, phase=None, status="completed", note=None):
        res = {
            "resourceType": "Procedure",
            "status": status,
            "code": {"coding": [{"system": SNOMED, "code": "367336001", "display": "Chemotherapy (procedure)"}],
                     "text": text},
            "subject": self.subject(),
            "performedPeriod": {"start": self.when(start, "08:30")},
        }
        if phase:
            res["category"] = {"text": phase}
        if end:
            res["performedPeriod"]["end"] = self.when(end, "17:00")
        if note:
            res["note"] = [{"text": note}]
        return self._add(res)

    # -- output -------------------------------------------------------------
    def last_date(self):
        ds = []
        for e in self.entries:
            r = e["resource"]
            for k in ("effectiveDateTime", "onsetDateTime"):
                if k in r:
                    ds.append(r[k][:10])
            for k in ("effectivePeriod", "performedPeriod"):
                if k in r:
                    ds.append(r[k]["start"][:10])
                    if "end" in r[k]:
                        ds.append(r[k]["end"][:10])
        return max(ds)

    def to_json(self):
        b = {
            "resourceType": "Bundle",
            "id": str(uuid.uuid5(NS, "bundle/" + self.pid)),
            "meta": {"lastUpdated": self.last_date() + "T23:00:00+00:00"},
            "type": self.btype,
            "timestamp": self.last_date() + "T23:00:00+00:00",
        }
        if self.btype == "searchset":
            b["total"] = 1
        b["entry"] = self.entries
        return b

    def write(self, path):
        with open(path, "w") as f:
            json.dump(self.to_json(), f, indent=2)
            f.write("\n")
