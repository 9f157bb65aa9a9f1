"""ALL patients for the blind corpus (NCCN/ELN-style response definitions)."""
from fhirgen import Bundle, add, days_between

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def induction(b, start, steroid="prednisone", label="Induction chemotherapy", tki=None):
    end = add(start, 27)
    b.proc(label, start, end, phase="induction", note="Remission induction (phase I), 4 weeks")
    for d in (0, 7, 14, 21):
        b.med("vincristine", add(start, d), add(start, d), dose="1.4 mg/m2 IV (max 2 mg)", note="Induction")
    b.med(steroid, start, end, dose="60 mg/m2/day PO" if steroid == "prednisone" else "10 mg/m2/day PO",
          note="Induction")
    b.med("cyclophosphamide", start, start, dose="750 mg/m2 IV", note="Induction")
    for d in (0, 14):
        b.med("methotrexate", add(start, d), add(start, d), dose="15 mg intrathecal", note="Induction, intrathecal")
    if tki:
        b.med(tki, start, status="in-progress", dose="daily PO", note="TKI from induction onwards")
    return end


def consolidation(b, start, end, label="Consolidation chemotherapy"):
    b.proc(label, start, end, phase="consolidation")
    b.med("cyclophosphamide", start, start, dose="1000 mg/m2 IV", note="Consolidation")
    b.med("cytarabine", add(start, 1), add(start, 4), dose="75 mg/m2 IV/SC days 2-5", note="Consolidation")
    b.med("mercaptopurine", start, add(start, 13), dose="60 mg/m2 PO days 1-14", note="Consolidation")
    b.med("methotrexate", add(start, 28), add(start, 28), dose="3 g/m2 IV over 24 h", note="Consolidation, high-dose")
    b.med("methotrexate", add(start, 29), add(start, 29), dose="15 mg intrathecal", note="Consolidation, intrathecal")


def maintenance(b, start, end=None):
    st = "in-progress" if end is None else "completed"
    b.proc("Maintenance chemotherapy", start, end, phase="maintenance", status=st,
           note="Daily 6-MP, weekly oral MTX, VCR/steroid pulses")
    b.med("mercaptopurine", start, end, status=st, dose="75 mg/m2 PO daily", note="Maintenance")
    b.med("methotrexate", start, end, status=st, dose="20 mg/m2 PO weekly", note="Maintenance")


def cr_labs(b, date, anc=2.0, plt=150, hb=11.5, wbc=4.0, units=None):
    b.cbc(date, units=units, wbc=wbc, anc=anc, plt=plt, hb=hb, pb_blasts=0)


def dx_labs(b, date, wbc, anc, plt, hb, blasts, marrow_blasts, bcr_abl1=None):
    b.cbc(date, wbc=wbc, anc=anc, plt=plt, hb=hb, pb_blasts=blasts)
    b.obs("bm_blasts", add(date, 1), marrow_blasts, hhmm="10:05")
    if bcr_abl1 is not None:
        b.obs("bcr_abl1", add(date, 1), bcr_abl1, marrow=True, hhmm="14:30",
              note="RT-PCR and FISH on diagnostic marrow")


def bm(b, date, blasts, status="final", note=None):
    b.obs("bm_blasts", date, blasts, status=status, hhmm="10:05", note=note)


def csf(b, date, wbc, blasts):
    b.obs("csf_wbc", date, wbc, hhmm="11:15")
    b.obs("csf_blasts", date, blasts, hhmm="11:15")


def held(cr, later):
    assert days_between(cr, later) >= 35, (cr, later)


# ---------------------------------------------------------------------------
@case
def a01():
    pid = "all-b01-cr-emd-never-recorded"
    b = Bundle(pid, "1994-05-03", "female", refs="patient", times="eu")
    b.condition("ALL", "2023-02-06", note="B-lymphoblastic leukaemia")
    dx_labs(b, "2023-02-06", wbc=23.4, anc=0.9, plt=41, hb=8.1, blasts=62, marrow_blasts=86, bcr_abl1=False)
    end = induction(b, "2023-02-09")
    eoi = "2023-03-09"
    assert days_between(end, eoi) == 1
    bm(b, eoi, 1.2)
    cr_labs(b, eoi, anc=2.1, plt=168, hb=10.9)
    b.mrd("mrd_bm", eoi, 0.01, comparator="<", note="8-colour flow, 1,000,000 events")
    consolidation(b, "2023-03-13", "2023-05-01")
    held(eoi, "2023-04-20")
    bm(b, "2023-04-20", 0.8)
    cr_labs(b, "2023-04-20", anc=1.6, plt=142, hb=11.4)
    maintenance(b, "2023-05-15")
    cr_labs(b, "2023-08-14", anc=1.9, plt=171, hb=12.6)
    cr_labs(b, "2023-11-13", anc=1.7, plt=165, hb=12.9)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-03-09", "mrd_status": "negative", "relapse_date": None},
        why="Day-29 marrow 1.2% blasts with no circulating blasts, ANC 2.1 and plt 168 (>1.0 and >100), still <5% on the "
            "marrow 6 weeks later: CR held >=4 weeks, first shown 2023-03-09. Extramedullary disease is never recorded "
            "(recorded only when found). Marrow MRD <0.01% by flow (10^-4).",
        ambiguity="6.21: absence of an extramedullary-disease record read as no extramedullary disease; 6.17: CR dated at "
                  "the first qualifying assessment, confirmed by a marrow >=4 weeks later.",
        quirks="no extramedullary/CNS observation at all; explicit bcr-abl1-detected false; induction, consolidation, "
               "maintenance (in-progress) as Procedure + MedicationAdministration.",
    )


@case
def a02():
    pid = "all-b02-cri-low-platelets"
    b = Bundle(pid, "1971-08-26", "male", refs="urn", times="eu")
    b.condition("ALL", "2023-06-12")
    dx_labs(b, "2023-06-12", wbc=41.0, anc=0.6, plt=28, hb=7.9, blasts=71, marrow_blasts=90)
    induction(b, "2023-06-15")
    eoi = "2023-07-13"
    bm(b, eoi, 2.0)
    cr_labs(b, eoi, anc=1.6, plt=64, hb=9.8)
    b.mrd("mrd_bm", eoi, 0.02)
    consolidation(b, "2023-07-17", "2023-08-28")
    held(eoi, "2023-08-21")
    bm(b, "2023-08-21", 1.4)
    cr_labs(b, "2023-08-21", anc=1.9, plt=82, hb=10.4)
    cr_labs(b, "2023-09-04", anc=2.0, plt=88, hb=10.7)
    return dict(
        bundle=b,
        expect={"status": "CRi", "mrd_status": "positive", "relapse_date": None},
        why="Marrow blasts 2.0% then 1.4%, no circulating blasts, ANC >1.0, but platelets 64-88 (<100) throughout: "
            "CR except residual thrombocytopenia = CRi (ELN 2024, NCCN). Marrow MRD 0.02% >= 0.01%: positive.",
        quirks="urn:uuid references; platelets never recover within the export.",
    )


@case
def a03():
    pid = "all-b03-cri-neutropenia-per-uL"
    b = Bundle(pid, "1988-01-15", "female", refs="patient", times="us")
    b.condition("ALL", "2024-02-19")
    dx_labs(b, "2024-02-19", wbc=12.2, anc=0.5, plt=52, hb=8.6, blasts=48, marrow_blasts=81)
    induction(b, "2024-02-22")
    eoi = "2024-03-21"
    u = {"anc": "/uL", "plt": "/uL", "wbc": "/uL", "hb": "g/dL"}
    bm(b, eoi, 1.8)
    cr_labs(b, eoi, anc=0.7, plt=145, hb=10.2, wbc=1.9, units=u)
    consolidation(b, "2024-03-25", "2024-05-06")
    held(eoi, "2024-04-29")
    bm(b, "2024-04-29", 0.9)
    cr_labs(b, "2024-04-29", anc=0.85, plt=160, hb=10.8, wbc=2.1, units=u)
    cr_labs(b, "2024-05-13", anc=0.9, plt=171, hb=11.0, wbc=2.4, units=u)
    return dict(
        bundle=b,
        expect={"status": "CRi", "relapse_date": None},
        why="Marrow blasts 1.8% then 0.9% and no circulating blasts, platelets 145,000-171,000 /uL, but ANC 700-900 /uL "
            "(<1.0 x10^9/L) throughout: CRi (residual neutropenia).",
        quirks="ANC, WBC and platelets in /uL.",
    )


@case
def a04():
    pid = "all-b04-eoi-blasts-exactly-5"
    b = Bundle(pid, "1965-10-07", "male", refs="patient", times="date")
    b.condition("ALL", "2024-01-03")
    dx_labs(b, "2024-01-03", wbc=8.7, anc=1.1, plt=66, hb=9.2, blasts=35, marrow_blasts=74)
    induction(b, "2024-01-08")
    eoi = "2024-02-06"
    bm(b, eoi, 5.0)
    cr_labs(b, eoi, anc=1.4, plt=118, hb=10.1)
    cr_labs(b, "2024-02-12", anc=1.6, plt=131, hb=10.3)
    return dict(
        bundle=b,
        expect={"status": "refractory", "cr1_date": None, "relapse_date": None},
        why="The first marrow after the end of induction has exactly 5.0% blasts. CR requires <5% (NCCN/ELN, seed 002/003 "
            "'less than 5 percent'), so CR is not reached at the end of induction: refractory.",
        ambiguity="6.13: exactly 5% is not <5% (no CR) and, with no prior CR, cannot be a relapse; 6.18: induction is one "
                  "recorded phase, so its end is unambiguous.",
        quirks="boundary value exactly on the remission threshold; plain dates.",
    )


@case
def a05():
    pid = "all-b05-after-cr-blasts-exactly-5"
    b = Bundle(pid, "1999-12-24", "female", refs="urn", times="eu")
    b.condition("ALL", "2023-08-07")
    dx_labs(b, "2023-08-07", wbc=66.0, anc=0.8, plt=33, hb=8.0, blasts=77, marrow_blasts=93)
    induction(b, "2023-08-10")
    eoi = "2023-09-12"
    bm(b, eoi, 0.9)
    cr_labs(b, eoi, anc=1.8, plt=190)
    consolidation(b, "2023-09-18", "2023-11-27")
    held(eoi, "2023-10-24")
    bm(b, "2023-10-24", 1.0)
    cr_labs(b, "2023-10-24", anc=1.5, plt=155)
    maintenance(b, "2023-12-11")
    bm(b, "2024-03-18", 5.0)
    cr_labs(b, "2024-03-18", anc=1.7, plt=162)
    cr_labs(b, "2024-03-25", anc=1.8, plt=170)
    return dict(
        bundle=b,
        expect={"cr1_date": "2023-09-12", "relapse_date": None},
        why="CR from 2023-09-12 (held on the 2023-10-24 marrow). The surveillance marrow of 2024-03-18 has exactly 5.0% "
            "blasts with normal counts and no circulating blasts: relapse needs >5% (NCCN, seed 003 'more than 5 "
            "percent'), so this is no relapse.",
        ambiguity="6.13: 5% is neither <5% nor >5%; status is left out because that gap is undefined.",
        quirks="boundary value after remission.",
    )


@case
def a06():
    pid = "all-b06-refractory-eoi"
    b = Bundle(pid, "1958-04-22", "male", refs="patient", times="eu")
    b.condition("ALL", "2023-03-27")
    dx_labs(b, "2023-03-27", wbc=88.0, anc=0.4, plt=19, hb=7.4, blasts=80, marrow_blasts=92)
    end = induction(b, "2023-04-03")
    eoi = "2023-05-02"
    assert days_between(end, eoi) == 2
    bm(b, eoi, 42.0)
    b.cbc(eoi, wbc=6.1, anc=0.4, plt=22, hb=8.3, pb_blasts=15)
    return dict(
        bundle=b,
        expect={"status": "refractory", "cr1_date": None, "relapse_date": None},
        why="First marrow after the end of induction: 42% blasts, 15% circulating blasts: failure to achieve CR at the "
            "end of induction = refractory. The export ends with that assessment.",
        quirks="follow-up ends at the end-of-induction marrow.",
    )


@case
def a07():
    pid = "all-b07-marrow-relapse-lt6mo"
    b = Bundle(pid, "1980-07-09", "male", refs="urn", times="us")
    b.condition("ALL", "2022-09-05")
    dx_labs(b, "2022-09-05", wbc=31.0, anc=0.7, plt=45, hb=8.4, blasts=58, marrow_blasts=84)
    induction(b, "2022-09-08")
    eoi = "2022-10-06"
    bm(b, eoi, 1.5)
    cr_labs(b, eoi, anc=1.5, plt=130)
    consolidation(b, "2022-10-10", "2023-01-02")
    held(eoi, "2022-11-17")
    bm(b, "2022-11-17", 0.9)
    cr_labs(b, "2022-11-17", anc=1.8, plt=151)
    maintenance(b, "2023-01-16")
    cr_labs(b, "2023-02-06", anc=1.6, plt=148)
    rel = "2023-03-06"
    b.cbc(rel, wbc=9.8, anc=0.9, plt=61, hb=9.9, pb_blasts=14)
    bm(b, rel, 31.0)
    b.cbc("2023-03-09", wbc=11.5, anc=0.8, plt=54, hb=9.6, pb_blasts=19)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-10-06", "relapse_date": "2023-03-06",
                "relapse_timing": "lt6mo", "relapse_site": "marrow"},
        why="CR from 2022-10-06 (held 6 weeks). On 2023-03-06 circulating blasts 14% and marrow blasts 31% (>5%): "
            "relapse, 5 months after CR1 and while on maintenance: <6 months (seed 004).",
        quirks="relapse during in-progress maintenance; -05:00/-04:00 offsets.",
    )


@case
def a08():
    pid = "all-b08-marrow-relapse-7p5pct-6mo-3y"
    b = Bundle(pid, "1976-03-19", "female", refs="patient", times="eu")
    b.condition("ALL", "2022-05-09")
    dx_labs(b, "2022-05-09", wbc=17.6, anc=1.0, plt=58, hb=8.9, blasts=40, marrow_blasts=79)
    induction(b, "2022-05-11")
    eoi = "2022-06-14"
    bm(b, eoi, 0.6)
    cr_labs(b, eoi, anc=2.2, plt=201)
    consolidation(b, "2022-06-20", "2022-09-26")
    held(eoi, "2022-07-25")
    bm(b, "2022-07-25", 0.4)
    cr_labs(b, "2022-07-25", anc=1.9, plt=176)
    maintenance(b, "2022-10-10")
    cr_labs(b, "2023-01-16", anc=1.8, plt=182)
    cr_labs(b, "2023-05-15", anc=1.7, plt=170)
    rel = "2023-10-09"
    bm(b, rel, 7.5, status="corrected", note="Differential recounted on 500 cells; corrected from 6.0%")
    cr_labs(b, rel, anc=1.8, plt=121)
    cr_labs(b, "2023-10-16", anc=1.6, plt=112)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-06-14", "relapse_date": "2023-10-09",
                "relapse_timing": "6mo-3y", "relapse_site": "marrow"},
        why="CR from 2022-06-14. Marrow of 2023-10-09 has 7.5% blasts (corrected result, counts) = >5%: marrow relapse "
            "without circulating blasts, 16 months after CR1 (6 months to 3 years).",
        quirks="relapse defined by the marrow alone with normal blood; result with status corrected.",
    )


@case
def a09():
    pid = "all-b09-late-relapse-ge3y-child"
    b = Bundle(pid, "2009-08-14", "male", refs="patient", times="eu")
    b.condition("ALL", "2022-01-03", note="Precursor B-cell ALL, standard risk")
    u = {"plt": "10*3/uL", "anc": "10*3/uL", "wbc": "10*3/uL", "hb": "g/L"}
    b.cbc("2022-01-03", units=u, wbc=14.2, anc=1.2, plt=71, hb=8.8, pb_blasts=33)
    bm(b, "2022-01-04", 88.0)
    induction(b, "2022-01-05", steroid="dexamethasone")
    eoi = "2022-02-02"
    bm(b, eoi, 0.3)
    cr_labs(b, eoi, anc=1.9, plt=230, hb=10.8, units=u)
    consolidation(b, "2022-02-07", "2022-05-30")
    held(eoi, "2022-03-14")
    bm(b, "2022-03-14", 0.2)
    cr_labs(b, "2022-03-14", anc=1.4, plt=188, hb=11.2, units=u)
    maintenance(b, "2022-06-13", "2024-04-30")
    for d in ("2022-09-12", "2023-01-09", "2023-06-12", "2023-12-11", "2024-04-29", "2024-10-28"):
        cr_labs(b, d, anc=1.7, plt=210, hb=12.6, units=u)
    rel = "2025-04-22"
    b.cbc(rel, units=u, wbc=7.9, anc=1.1, plt=74, hb=10.1, pb_blasts=9)
    bm(b, rel, 68.0)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-02-02", "relapse_date": "2025-04-22",
                "relapse_timing": "ge3y", "relapse_site": "marrow"},
        why="CR from 2022-02-02 (held 6 weeks). Therapy completed 2024-04-30. Circulating blasts 9% and marrow 68% on "
            "2025-04-22: relapse 3 years 2.5 months after CR1 (>=3 years, seed 004), 12 months after the end of therapy.",
        ambiguity="6.19: timing counted from CR1 (data-contract); from end of therapy it would differ.",
        quirks="child; counts in 10*3/uL and Hb in g/L throughout; maintenance completed with a period end.",
    )


@case
def a10():
    pid = "all-b10-isolated-cns3-relapse"
    b = Bundle(pid, "2012-03-30", "female", refs="urn", times="eu")
    b.condition("ALL", "2022-11-07")
    dx_labs(b, "2022-11-07", wbc=9.4, anc=1.3, plt=88, hb=9.0, blasts=21, marrow_blasts=76)
    csf(b, "2022-11-08", wbc=2, blasts=0)
    induction(b, "2022-11-09", steroid="dexamethasone")
    eoi = "2022-12-07"
    bm(b, eoi, 0.5)
    cr_labs(b, eoi, anc=1.7, plt=205)
    consolidation(b, "2022-12-12", "2023-03-27")
    held(eoi, "2023-01-16")
    bm(b, "2023-01-16", 0.5)
    cr_labs(b, "2023-01-16", anc=1.5, plt=166)
    csf(b, "2023-01-16", wbc=1, blasts=0)
    maintenance(b, "2023-04-10")
    csf(b, "2023-07-10", wbc=1, blasts=0)
    cr_labs(b, "2023-10-09", anc=1.6, plt=180)
    rel = "2024-02-12"
    csf(b, rel, wbc=18, blasts=11)
    cr_labs(b, rel, anc=1.9, plt=174)
    bm(b, "2024-02-13", 0.6)
    cr_labs(b, "2024-02-19", anc=1.8, plt=169)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-12-07", "relapse_date": "2024-02-12",
                "relapse_timing": "6mo-3y", "relapse_site": "extramedullary-cns"},
        why="CR from 2022-12-07. On 2024-02-12 CSF WBC 18/uL with blasts 11/uL = CNS3 while marrow (0.6%) and blood stay "
            "in remission: isolated CNS relapse (S6: isolated extramedullary relapses are relapses), 14 months after CR1.",
        quirks="child; serial CSF results (LOINC 806-0, 35068-6) that are negative until relapse.",
    )


@case
def a11():
    pid = "all-b11-csf-blasts-persist-at-eoi"
    b = Bundle(pid, "1990-09-28", "male", refs="patient", times="us")
    b.condition("ALL", "2024-04-01")
    dx_labs(b, "2024-04-01", wbc=52.0, anc=0.9, plt=37, hb=8.2, blasts=66, marrow_blasts=89)
    csf(b, "2024-04-02", wbc=26, blasts=20)
    induction(b, "2024-04-03")
    eoi = "2024-05-01"
    bm(b, eoi, 0.8)
    cr_labs(b, eoi, anc=1.9, plt=151)
    csf(b, eoi, wbc=7, blasts=4)
    cr_labs(b, "2024-05-08", anc=2.2, plt=170)
    return dict(
        bundle=b,
        expect={"cr1_date": None, "relapse_date": None},
        why="CNS3 at diagnosis. At the end of induction the marrow and blood are in remission but the CSF still has WBC "
            "7/uL with blasts (CNS3): CR requires no extramedullary disease (CNS1), so there is no CR; and persisting "
            "disease in a patient never in CR is not a relapse.",
        ambiguity="6.18/6.21: status left out (refractory vs 'CNS disease being treated' is not settled by the criteria).",
        quirks="CNS disease present at diagnosis and still present at end of induction.",
    )


@case
def a12():
    pid = "all-b12-cns2-after-cr-not-relapse"
    b = Bundle(pid, "2010-06-06", "female", refs="patient", times="eu")
    b.condition("ALL", "2023-02-13")
    dx_labs(b, "2023-02-13", wbc=6.3, anc=1.4, plt=97, hb=9.6, blasts=12, marrow_blasts=70)
    csf(b, "2023-02-14", wbc=1, blasts=0)
    induction(b, "2023-02-15", steroid="dexamethasone")
    eoi = "2023-03-15"
    bm(b, eoi, 0.4)
    cr_labs(b, eoi, anc=1.6, plt=188)
    csf(b, eoi, wbc=1, blasts=0)
    consolidation(b, "2023-03-20", "2023-06-26")
    held(eoi, "2023-04-24")
    bm(b, "2023-04-24", 0.3)
    cr_labs(b, "2023-04-24", anc=1.4, plt=159)
    maintenance(b, "2023-07-10")
    csf(b, "2023-09-11", wbc=3, blasts=1)
    cr_labs(b, "2023-09-11", anc=1.7, plt=177)
    csf(b, "2023-10-09", wbc=1, blasts=0)
    cr_labs(b, "2023-12-04", anc=1.8, plt=181)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-03-15", "relapse_date": None},
        why="CR from 2023-03-15. The CSF of 2023-09-11 shows blasts with WBC 3/uL = CNS2, not CNS3 (CNS3 needs WBC >=5/uL "
            "with blasts); the next CSF is clear and marrow/blood stay in remission: no relapse, still CR at data end.",
        ambiguity="CNS relapse read as CNS3 (criteria-reference 4.1 CNS status); a single CNS2 finding is not a relapse.",
        quirks="isolated CNS2 finding during maintenance, clear on the next lumbar puncture.",
    )


@case
def a13():
    pid = "all-b13-mrd-negative-loinc"
    b = Bundle(pid, "1985-11-02", "male", refs="urn", times="eu")
    b.condition("ALL", "2023-10-02")
    dx_labs(b, "2023-10-02", wbc=27.0, anc=0.8, plt=49, hb=8.5, blasts=55, marrow_blasts=82, bcr_abl1=False)
    induction(b, "2023-10-04")
    eoi = "2023-11-01"
    bm(b, eoi, 1.1)
    cr_labs(b, eoi, anc=1.5, plt=149)
    b.mrd("mrd_loinc", eoi, 0.01, comparator="<", marrow=True, note="Bone marrow aspirate, 8-colour flow, LoD 0.005%")
    consolidation(b, "2023-11-06", "2024-01-15")
    held(eoi, "2023-12-11")
    bm(b, "2023-12-11", 0.5)
    cr_labs(b, "2023-12-11", anc=1.7, plt=160)
    cr_labs(b, "2024-01-22", anc=1.9, plt=175)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-11-01", "mrd_status": "negative", "relapse_date": None},
        why="CR from 2023-11-01 (held to 2023-12-11). Marrow MRD by flow (LOINC 67128-9, bodySite bone marrow) '<0.01 %': "
            "a censored value <0.01 shows <0.01% (10^-4), so MRD-negative.",
        quirks="MRD under LOINC 67128-9 with bodySite 14016003 and comparator '<'.",
    )


@case
def a14():
    pid = "all-b14-mrd-positive"
    b = Bundle(pid, "1969-02-27", "female", refs="patient", times="date")
    b.condition("ALL", "2022-03-14")
    dx_labs(b, "2022-03-14", wbc=19.0, anc=1.0, plt=62, hb=9.1, blasts=44, marrow_blasts=80)
    induction(b, "2022-03-16")
    eoi = "2022-04-13"
    bm(b, eoi, 2.2)
    cr_labs(b, eoi, anc=1.3, plt=126)
    b.mrd("mrd_bm", eoi, 0.35)
    consolidation(b, "2022-04-19", "2022-07-25")
    held(eoi, "2022-05-30")
    bm(b, "2022-05-30", 1.0)
    cr_labs(b, "2022-05-30", anc=1.6, plt=140)
    cr_labs(b, "2022-08-08", anc=1.8, plt=162)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2022-04-13", "mrd_status": "positive", "relapse_date": None},
        why="Haematological CR from 2022-04-13 (2.2% blasts, ANC 1.3, plt 126, held to 2022-05-30). Marrow MRD 0.35% "
            ">= 0.01%: MRD-positive remission (seed 002).",
        quirks="plain dates.",
    )


@case
def a15():
    pid = "all-b15-mrd-blood-only"
    b = Bundle(pid, "1978-06-12", "male", refs="patient", times="us")
    b.condition("ALL", "2024-06-03")
    dx_labs(b, "2024-06-03", wbc=15.5, anc=1.1, plt=70, hb=9.4, blasts=39, marrow_blasts=77)
    induction(b, "2024-06-05")
    eoi = "2024-07-03"
    bm(b, eoi, 0.7)
    cr_labs(b, eoi, anc=1.7, plt=160)
    b.mrd("mrd_pb", eoi, 0.01, comparator="<", note="Peripheral blood only; marrow aspirate dry tap")
    consolidation(b, "2024-07-08", "2024-09-16")
    held(eoi, "2024-08-12")
    bm(b, "2024-08-12", 0.5)
    cr_labs(b, "2024-08-12", anc=1.9, plt=171)
    cr_labs(b, "2024-09-23", anc=2.0, plt=178)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2024-07-03", "relapse_date": None},
        why="CR from 2024-07-03. The only MRD result is from peripheral blood (<0.01%); ALL MRD is defined on marrow "
            "(seed 002), so mrd_status is deliberately not asserted.",
        ambiguity="6.16: specimen not defined by the criteria; blood-only MRD left unasserted.",
        quirks="MRD only from blood (local mrd-flow-pb).",
    )


@case
def a16():
    pid = "all-b16-mrd-censored-insufficient"
    b = Bundle(pid, "1983-09-09", "female", refs="urn", times="eu")
    b.condition("ALL", "2023-05-22")
    dx_labs(b, "2023-05-22", wbc=24.8, anc=0.9, plt=55, hb=8.7, blasts=51, marrow_blasts=85)
    induction(b, "2023-05-24")
    eoi = "2023-06-21"
    bm(b, eoi, 1.4)
    cr_labs(b, eoi, anc=1.4, plt=137)
    b.mrd("mrd_bm", eoi, 0.1, comparator="<", note="Hypocellular aspirate, 40,000 events only")
    consolidation(b, "2023-06-26", "2023-09-04")
    held(eoi, "2023-07-31")
    bm(b, "2023-07-31", 0.9)
    cr_labs(b, "2023-07-31", anc=1.6, plt=150)
    cr_labs(b, "2023-09-11", anc=1.7, plt=166)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-06-21", "mrd_status": "indeterminate", "relapse_date": None},
        why="CR from 2023-06-21. Marrow MRD '<0.1 %': 0.1% > 0.01%, so the assay did not reach 10^-4 and negativity is not "
            "shown (data-contract: negative needs an assay sensitive to 10^-4); nothing was detected either.",
        ambiguity="6.15/6.16: insufficient-sensitivity negative mapped to 'indeterminate' (ELN 'negative with insufficient sensitivity').",
        quirks="censored MRD with insufficient sensitivity.",
    )


@case
def a17():
    pid = "all-b17-phases-maintenance-ongoing"
    b = Bundle(pid, "2006-02-17", "male", refs="patient", times="eu")
    b.condition("ALL", "2022-07-28")
    dx_labs(b, "2022-07-28", wbc=36.0, anc=0.8, plt=40, hb=8.0, blasts=60, marrow_blasts=87, bcr_abl1=False)
    end = induction(b, "2022-08-01", label="Induction chemotherapy (AYA protocol, phase I)")
    eoi = "2022-09-02"
    assert days_between(end, eoi) == 5
    bm(b, eoi, 0.5)
    cr_labs(b, eoi, anc=1.4, plt=144)
    consolidation(b, "2022-09-05", "2022-12-20")
    held(eoi, "2022-10-17")
    bm(b, "2022-10-17", 0.3)
    cr_labs(b, "2022-10-17", anc=1.2, plt=121)
    b.proc("Delayed intensification", "2023-01-09", "2023-03-13", phase="delayed intensification")
    b.med("dexamethasone", "2023-01-09", "2023-01-29", dose="10 mg/m2/day PO", note="Delayed intensification")
    for d in ("2023-01-09", "2023-01-16", "2023-01-23"):
        b.med("vincristine", d, d, dose="1.5 mg/m2 IV", note="Delayed intensification")
    b.med("cyclophosphamide", "2023-02-06", "2023-02-06", dose="1000 mg/m2 IV", note="Delayed intensification")
    b.med("cytarabine", "2023-02-07", "2023-02-10", dose="75 mg/m2 SC", note="Delayed intensification")
    maintenance(b, "2023-03-27")
    for d in ("2023-06-26", "2023-09-25", "2023-12-18", "2024-03-18"):
        b.med("vincristine", d, d, dose="1.5 mg/m2 IV", note="Maintenance pulse")
        b.med("dexamethasone", d, add(d, 4), dose="6 mg/m2/day PO", note="Maintenance pulse")
        cr_labs(b, d, anc=1.3, plt=160, hb=12.8)
    cr_labs(b, "2024-06-17", anc=1.5, plt=172, hb=13.4)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2022-09-02", "relapse_date": None},
        why="End of induction = end of the induction phase (2022-08-28); the first marrow after it (2022-09-02) shows CR "
            "(0.5%, ANC 1.4, plt 144), held on 2022-10-17. Later phases (consolidation, delayed intensification, "
            "maintenance still in progress) do not move the end of induction; CR persists to data end.",
        ambiguity="6.18: end of induction taken from the Procedure whose category is 'induction'.",
        quirks="four therapy phases as Procedures with category text; maintenance in-progress with pulses; 22 months of follow-up.",
    )


@case
def a18():
    pid = "all-b18-ph-positive-dasatinib-cr"
    b = Bundle(pid, "1961-12-01", "female", refs="urn", times="us")
    b.condition("ALL", "2023-01-16", note="Philadelphia-positive B-ALL")
    dx_labs(b, "2023-01-16", wbc=58.0, anc=1.2, plt=44, hb=8.6, blasts=49, marrow_blasts=78, bcr_abl1=True)
    start = "2023-01-18"
    end = add(start, 27)
    b.proc("Induction: dasatinib + corticosteroid + vincristine", start, end, phase="induction")
    b.med("dasatinib", start, status="in-progress", dose="140 mg PO daily")
    b.med("prednisone", start, end, dose="60 mg/m2/day PO", note="Induction")
    for d in (0, 7, 14, 21):
        b.med("vincristine", add(start, d), add(start, d), dose="2 mg IV", note="Induction")
    b.med("methotrexate", start, start, dose="15 mg intrathecal", note="Induction, intrathecal")
    eoi = "2023-02-15"
    bm(b, eoi, 1.0)
    cr_labs(b, eoi, anc=1.8, plt=133)
    b.mrd("mrd_bm", eoi, 0.05)
    b.proc("Consolidation: high-dose methotrexate / cytarabine", "2023-02-27", "2023-05-15", phase="consolidation")
    b.med("methotrexate", "2023-02-27", "2023-02-28", dose="1 g/m2 IV", note="Consolidation")
    b.med("cytarabine", "2023-03-01", "2023-03-02", dose="2 g/m2 IV q12h", note="Consolidation")
    held(eoi, "2023-03-29")
    bm(b, "2023-03-29", 0.5)
    cr_labs(b, "2023-03-29", anc=1.6, plt=150)
    cr_labs(b, "2023-05-22", anc=1.7, plt=162)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-02-15", "mrd_status": "positive", "relapse_date": None},
        why="Ph+ ALL (bcr-abl1-detected true). CR on 2023-02-15 after the 4-week induction phase (marrow 1.0%, ANC 1.8, "
            "plt 133), held on 2023-03-29. Marrow MRD 0.05% >= 0.01%: positive.",
        quirks="Ph+ with a TKI that continues (in-progress) beyond the induction Procedure.",
    )


@case
def a19():
    pid = "all-b19-eie-marrow-not-relapse"
    b = Bundle(pid, "1992-03-05", "male", refs="patient", times="eu")
    b.condition("ALL", "2023-04-03")
    dx_labs(b, "2023-04-03", wbc=20.1, anc=1.0, plt=51, hb=8.8, blasts=47, marrow_blasts=83)
    induction(b, "2023-04-06")
    eoi = "2023-05-09"
    bm(b, eoi, 0.9)
    cr_labs(b, eoi, anc=1.9, plt=177)
    consolidation(b, "2023-05-15", "2023-08-21")
    held(eoi, "2023-06-20")
    bm(b, "2023-06-20", 0.6)
    cr_labs(b, "2023-06-20", anc=1.5, plt=149)
    maintenance(b, "2023-09-04")
    bm(b, "2024-01-15", 34.0, status="entered-in-error", note="Specimen mislabelled (belongs to another patient); retracted")
    bm(b, "2024-01-15", 1.1)
    cr_labs(b, "2024-01-15", anc=1.7, plt=165)
    cr_labs(b, "2024-02-05", anc=1.8, plt=170)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-05-09", "relapse_date": None},
        why="CR from 2023-05-09. On 2024-01-15 a marrow blast count of 34% is entered-in-error (mislabelled specimen) and "
            "must be ignored; the valid result that day is 1.1% with normal counts: no relapse.",
        quirks="entered-in-error result that would otherwise be a relapse.",
    )


@case
def a20():
    pid = "all-b20-cr-near-threshold-mixed-units"
    b = Bundle(pid, "1973-07-31", "female", refs="urn", times="mixed")
    b.condition("ALL", "2024-03-04")
    dx_labs(b, "2024-03-04", wbc=11.0, anc=1.0, plt=60, hb=9.0, blasts=30, marrow_blasts=72)
    induction(b, "2024-03-06")
    eoi = "2024-04-03"
    bm(b, eoi, 3.8)
    cr_labs(b, eoi, anc=1.1, plt=105, hb=9.6, wbc=2.6, units={"anc": "/uL", "plt": "10*3/uL", "wbc": "/uL"})
    consolidation(b, "2024-04-08", "2024-06-17")
    held(eoi, "2024-05-13")
    bm(b, "2024-05-13", 2.1)
    cr_labs(b, "2024-05-13", anc=1.45, plt=128, hb=10.4, units={"plt": "/uL"})
    cr_labs(b, "2024-06-24", anc=1.6, plt=140, hb=10.9, units={"hb": "g/L"})
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2024-04-03", "relapse_date": None},
        why="At the end of induction: marrow 3.8% (<5%), no circulating blasts, ANC 1100 /uL (>1.0 x10^9/L), platelets "
            "105 x10^3/uL (>100): CR under both the > (NCCN/ELN) and >= (BBMT/CIBMTR) wording; held on 2024-05-13.",
        quirks="near-threshold values in /uL and 10*3/uL; mixed date styles.",
    )


@case
def a21():
    pid = "all-b21-relapse-blood-blasts-first"
    b = Bundle(pid, "1967-04-16", "male", refs="patient", times="eu")
    b.condition("ALL", "2022-09-26")
    dx_labs(b, "2022-09-26", wbc=45.0, anc=0.7, plt=33, hb=7.9, blasts=70, marrow_blasts=91)
    induction(b, "2022-09-28")
    eoi = "2022-10-27"
    bm(b, eoi, 1.3)
    cr_labs(b, eoi, anc=1.4, plt=139)
    consolidation(b, "2022-10-31", "2023-02-06")
    held(eoi, "2022-12-05")
    bm(b, "2022-12-05", 0.8)
    cr_labs(b, "2022-12-05", anc=1.6, plt=158)
    maintenance(b, "2023-02-20")
    cr_labs(b, "2023-08-07", anc=1.5, plt=151)
    rel = "2023-11-06"
    b.cbc(rel, wbc=6.9, anc=1.2, plt=88, hb=10.8, pb_blasts=12)
    bm(b, "2023-11-13", 47.0)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-10-27", "relapse_date": "2023-11-06",
                "relapse_timing": "6mo-3y", "relapse_site": "marrow"},
        why="CR from 2022-10-27. Circulating blasts (12%) reappear on 2023-11-06, a week before the marrow confirms 47%: "
            "relapse dates from the first observation showing blasts back in the blood, 12 months after CR1.",
        quirks="relapse seen first in the blood, marrow a week later.",
    )


@case
def a22():
    pid = "all-b22-blinatumomab-mrd-conversion"
    b = Bundle(pid, "1989-10-20", "female", refs="urn", times="eu")
    b.condition("ALL", "2023-01-09")
    dx_labs(b, "2023-01-09", wbc=13.3, anc=1.1, plt=75, hb=9.3, blasts=28, marrow_blasts=69, bcr_abl1=False)
    induction(b, "2023-01-11")
    eoi = "2023-02-08"
    bm(b, eoi, 1.6)
    cr_labs(b, eoi, anc=1.5, plt=141)
    b.mrd("mrd_bm", eoi, 0.12)
    b.proc("Blinatumomab consolidation (MRD-positive), cycles 1-2", "2023-02-20", "2023-04-30", phase="consolidation")
    b.med("blinatumomab", "2023-02-20", "2023-03-19", dose="28 mcg/day continuous IV", note="Cycle 1")
    b.med("blinatumomab", "2023-04-03", "2023-04-30", dose="28 mcg/day continuous IV", note="Cycle 2")
    bm(b, "2023-03-20", 0.4)
    cr_labs(b, "2023-03-20", anc=1.8, plt=160)
    b.mrd("mrd_bm", "2023-03-20", 0.01, comparator="<")
    bm(b, "2023-05-02", 0.3)
    cr_labs(b, "2023-05-02", anc=1.9, plt=172)
    b.mrd("mrd_bm", "2023-05-02", 0.01, comparator="<")
    cr_labs(b, "2023-05-15", anc=2.0, plt=180)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-02-08", "relapse_date": None},
        why="CR from 2023-02-08 (1.6%, ANC 1.5, plt 141), held through blinatumomab. MRD goes from 0.12% to <0.01%; which "
            "MRD result mrd_status reports is not fixed by the criteria, so it is not asserted.",
        ambiguity="MRD time point (end of induction vs latest) is a reporting choice; left out.",
        quirks="blinatumomab (RxNorm 1597258) as continuous-infusion MedicationAdministrations.",
    )


@case
def a23():
    pid = "all-b23-testicular-relapse"
    b = Bundle(pid, "2011-01-20", "male", refs="patient", times="eu")
    b.condition("ALL", "2022-03-07")
    dx_labs(b, "2022-03-07", wbc=10.2, anc=1.5, plt=99, hb=9.8, blasts=18, marrow_blasts=73)
    csf(b, "2022-03-08", wbc=0, blasts=0)
    induction(b, "2022-03-09", steroid="dexamethasone")
    eoi = "2022-04-06"
    bm(b, eoi, 0.5)
    cr_labs(b, eoi, anc=1.6, plt=199)
    consolidation(b, "2022-04-11", "2022-07-25")
    held(eoi, "2022-05-16")
    bm(b, "2022-05-16", 0.3)
    cr_labs(b, "2022-05-16", anc=1.3, plt=170)
    maintenance(b, "2022-08-08")
    cr_labs(b, "2023-08-07", anc=1.4, plt=175)
    rel = "2024-05-20"
    b.obs("emd", rel, True, hhmm="10:40",
          note="Painless right testicular enlargement; biopsy shows B-lymphoblast infiltration")
    cr_labs(b, rel, anc=1.5, plt=181)
    bm(b, "2024-05-22", 0.4)
    csf(b, "2024-05-22", wbc=1, blasts=0)
    cr_labs(b, "2024-05-27", anc=1.6, plt=178)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-04-06", "relapse_date": "2024-05-20", "relapse_timing": "6mo-3y"},
        why="CR from 2022-04-06. On 2024-05-20 extramedullary (testicular) disease is recorded while marrow and CSF stay "
            "clear: isolated extramedullary relapse counts as relapse (S6), 25 months after CR1.",
        ambiguity="relapse_site not asserted: the vocabulary has only marrow and extramedullary-cns.",
        quirks="extramedullary-disease recorded once, when found.",
    )


@case
def a24():
    pid = "all-b24-mediastinal-emd-resolved"
    b = Bundle(pid, "2001-11-11", "male", refs="urn", times="us")
    b.condition("ALL", "2023-07-03", note="T-lymphoblastic leukaemia with mediastinal mass")
    dx_labs(b, "2023-07-03", wbc=142.0, anc=1.9, plt=88, hb=10.2, blasts=81, marrow_blasts=90)
    b.obs("emd", "2023-07-03", True, hhmm="15:00", note="Anterior mediastinal mass 9 x 7 cm on CT")
    induction(b, "2023-07-05", steroid="dexamethasone")
    eoi = "2023-08-02"
    bm(b, eoi, 0.7)
    cr_labs(b, eoi, anc=2.3, plt=210)
    b.obs("emd", eoi, False, hhmm="14:00", note="CT: mediastinal mass resolved")
    consolidation(b, "2023-08-07", "2023-10-16")
    held(eoi, "2023-09-11")
    bm(b, "2023-09-11", 0.4)
    cr_labs(b, "2023-09-11", anc=1.7, plt=168)
    cr_labs(b, "2023-10-23", anc=1.8, plt=174)
    return dict(
        bundle=b,
        expect={"status": "CR", "cr1_date": "2023-08-02", "relapse_date": None},
        why="T-ALL with a mediastinal mass at diagnosis; at the end of induction the mass is recorded as resolved "
            "(explicit false), marrow 0.7%, ANC 2.3, plt 210, held on 2023-09-11: CR from 2023-08-02.",
        quirks="explicit extramedullary-disease false after a positive finding; hyperleukocytosis at diagnosis.",
    )


@case
def a25():
    pid = "all-b25-ph-positive-imatinib-relapse"
    b = Bundle(pid, "1959-09-23", "female", refs="patient", times="eu")
    b.condition("ALL", "2022-06-13", note="Philadelphia-positive B-ALL")
    dx_labs(b, "2022-06-13", wbc=33.0, anc=1.0, plt=47, hb=8.4, blasts=52, marrow_blasts=80, bcr_abl1=True)
    induction(b, "2022-06-15", steroid="dexamethasone", tki="imatinib",
              label="Induction: imatinib + cyclophosphamide/vincristine/dexamethasone")
    eoi = "2022-07-19"
    bm(b, eoi, 1.1)
    cr_labs(b, eoi, anc=1.3, plt=118)
    consolidation(b, "2022-07-25", "2022-11-14")
    held(eoi, "2022-08-29")
    bm(b, "2022-08-29", 0.6)
    cr_labs(b, "2022-08-29", anc=1.5, plt=139)
    maintenance(b, "2022-11-28")
    cr_labs(b, "2023-03-27", anc=1.6, plt=150)
    rel = "2023-08-28"
    bm(b, rel, 23.0)
    b.cbc(rel, wbc=5.5, anc=1.0, plt=70, hb=10.0, pb_blasts=4)
    b.cbc("2023-09-04", wbc=7.1, anc=0.9, plt=61, hb=9.7, pb_blasts=9)
    return dict(
        bundle=b,
        expect={"status": "relapsed", "cr1_date": "2022-07-19", "relapse_date": "2023-08-28",
                "relapse_timing": "6mo-3y", "relapse_site": "marrow"},
        why="Ph+ ALL in CR from 2022-07-19 (held 6 weeks) on continuous imatinib. Marrow 23% with circulating blasts on "
            "2023-08-28: marrow relapse 13 months after CR1.",
        quirks="Ph+ with TKI in-progress; relapse during maintenance.",
    )
