"""CLL patients for the blind corpus (iwCLL 2018 expectations).

Every value is in the canonical unit (10*9/L, g/dL, cm, cm2, %) unless a
`units=` override asks the writer to express it otherwise.
"""
from fhirgen import Bundle, add, days_between

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def fcr(b, start, cycles=6):
    end = None
    for i in range(cycles):
        d1 = add(start, 28 * i)
        d3 = add(d1, 2)
        note = "FCR cycle %d" % (i + 1)
        b.med("fludarabine", d1, d3, dose="25 mg/m2 IV days 1-3", note=note)
        b.med("cyclophosphamide", d1, d3, dose="250 mg/m2 IV days 1-3", note=note)
        b.med("rituximab", d1, d1, dose="375 mg/m2 IV" if i == 0 else "500 mg/m2 IV", note=note)
        end = d3
    return end


def br(b, start, cycles=6):
    end = None
    for i in range(cycles):
        d1 = add(start, 28 * i)
        d2 = add(d1, 1)
        note = "BR cycle %d" % (i + 1)
        b.med("bendamustine", d1, d2, dose="90 mg/m2 IV days 1-2", note=note)
        b.med("rituximab", d1, d1, dose="375 mg/m2 IV" if i == 0 else "500 mg/m2 IV", note=note)
        end = d2
    return end


def restaging_gap(end, date, lo=70, hi=85):
    g = days_between(end, date)
    assert lo <= g <= hi, (end, date, g)
    return g


# ---------------------------------------------------------------------------
@case
def b01():
    pid = "cll-b01-cr-short-followup"
    b = Bundle(pid, "1958-04-17", "male", refs="patient", times="eu")
    b.condition("CLL", "2022-03-10")
    b.cbc("2023-01-09", wbc=68.4, alc=61.2, anc=4.1, hb=10.4, plt=118, lymph_pct=89)
    b.ct("2023-01-05", spd=24.6, ld=4.1, spleen=15.8)
    b.marrow_cll("2023-01-11", infiltrate=70, cellularity="hypercellular")
    end = fcr(b, "2023-01-16")
    for i, d in enumerate(["2023-02-13", "2023-03-13", "2023-04-10", "2023-05-08", "2023-06-05"]):
        b.cbc(d, alc=[9.8, 2.1, 1.0, 0.8, 0.7][i], anc=[1.6, 1.3, 1.7, 1.5, 1.4][i],
              hb=[10.9, 11.2, 11.0, 11.4, 11.3][i], plt=[104, 96, 111, 108, 102][i])
    r = "2023-08-21"
    restaging_gap(end, r)
    b.ct(r, ld=1.1, spleen=11.4)
    b.cbc(r, wbc=3.6, alc=0.9, anc=2.1, hb=12.6, plt=142)
    b.mrd("mrd_pb", r, 0.01, comparator="<", note="ERIC 8-colour flow, 500,000 events analysed")
    b.marrow_cll("2023-08-24", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2023-09-12", alc=1.0, anc=2.4, hb=12.9, plt=150)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None, "mrd_status": "negative"},
        why="iwCLL 2018 Table 4 CR at the restaging 75 days after the last FCR dose: ALC 0.9, no node >=1.5 cm (1.1), "
            "spleen 11.4 cm, ANC 2.1, plt 142, Hb 12.6, marrow normocellular without CLL cells or nodules; "
            "blood MRD <0.01% (<10^-4, uMRD4). Data end 3 weeks later; no PD so neither refractory nor relapsed.",
        ambiguity="6.2: response taken as established at the single restaging >=2 months after the last dose (no stacked 2-month confirmation).",
        quirks="Patient/ references; +01:00/+02:00 offsets; interim cytopenias during therapy; follow-up ends ~3 months after last dose.",
    )


@case
def b02():
    pid = "cll-b02-cr-no-marrow"
    b = Bundle(pid, "1951-09-02", "female", refs="urn", times="date")
    b.condition("CLL", "2020-06-22")
    b.cbc("2023-03-06", wbc=49.0, alc=42.5, anc=3.3, hb=10.1, plt=131)
    b.ct("2023-03-02", spd=18.4, ld=3.6, spleen=12.1)
    end = br(b, "2023-03-13")
    r = "2023-10-16"
    restaging_gap(end, r)
    b.ct(r, spd=1.3, ld=1.2, spleen=11.0)
    b.cbc(r, wbc=4.0, alc=1.1, anc=1.9, hb=12.2, plt=156)
    b.cbc("2023-11-06", alc=1.2, anc=2.2, hb=12.5, plt=160)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "cr_status": "not-evaluable", "status": None, "progression_date": None,
                "mrd_status": "not-assessed"},
        why="All blood, node and spleen CR criteria met at the 76-day restaging, but no marrow was examined: iwCLL 2018 "
            "Table 4 lists marrow 'not done' in the PR column. PR rule met (nodes -93% and ALC -97% of the abnormal group A "
            "parameters, Hb 10.1 -> 12.2 in group B). data-contract: cr_status not-evaluable when no marrow was examined.",
        ambiguity="6.9: took the Table 4 reading (marrow not done = PR), not 'clinical CR'.",
        quirks="urn:uuid references; plain dates; no marrow at restaging.",
    )


@case
def b03():
    pid = "cll-b03-pr-mrd-positive-eie-alc"
    b = Bundle(pid, "1962-12-11", "male", refs="patient", times="us")
    b.condition("CLL", "2021-11-04")
    b.cbc("2022-09-12", wbc=46.1, alc=40.3, anc=3.8, hb=9.7, plt=92)
    b.ct("2022-09-08", spd=27.5, ld=4.4, spleen=12.4)
    end = br(b, "2022-09-19")
    r = "2023-04-24"
    restaging_gap(end, r)
    b.ct(r, spd=8.2, ld=2.2, spleen=11.8)
    b.cbc(r, alc=1.6, anc=2.4, hb=12.1, plt=128)
    b.mrd("mrd_pb", r, 0.82)
    b.cbc("2023-07-24", alc=2.1, anc=2.6, hb=12.8, plt=135)
    # wrong-patient ALC filed and retracted; the real ALC of that draw follows
    b.obs("alc", "2023-10-23", 64.0, status="entered-in-error", hhmm="08:20",
          note="Result belongs to another patient; retracted by laboratory.")
    b.cbc("2023-10-23", alc=2.4, anc=2.5, hb=12.9, plt=139, hhmm="08:21")
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None, "mrd_status": "positive"},
        why="iwCLL 2018 PR at the 76-day restaging: SPD -70% and ALC -96% (both abnormal at baseline), Hb 9.7 -> 12.1 and "
            "plt 92 -> 128; not CR because the largest node is 2.2 cm. Blood MRD 0.82% >= 10^-4. The ALC of 64 on "
            "2023-10-23 is entered-in-error and must not create PD (it would be +59% over baseline).",
        quirks="-05:00/-04:00 offsets; entered-in-error result that would flip the result to PD; no marrow.",
    )


@case
def b04():
    pid = "cll-b04-pr-one-abnormal-per-group"
    b = Bundle(pid, "1960-02-28", "female", refs="patient", times="eu")
    b.condition("CLL", "2019-08-15")
    b.cbc("2023-05-08", wbc=54.2, alc=48.0, anc=4.4, hb=10.2, plt=171)
    b.ct("2023-05-03", ld=1.3, spleen=11.9)
    b.marrow_cll("2023-05-10", infiltrate=60, cellularity="hypercellular")
    end = fcr(b, "2023-05-15")
    r = "2023-12-18"
    restaging_gap(end, r)
    b.ct(r, ld=1.1, spleen=11.2)
    b.cbc(r, alc=1.4, anc=1.8, hb=11.9, plt=158)
    b.marrow_cll("2023-12-20", infiltrate=12, cellularity="normocellular", nodules=False)
    b.cbc("2024-01-15", alc=1.5, anc=2.0, hb=12.1, plt=162)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="Only the ALC (group A) and Hb (group B) were abnormal before therapy (nodes 1.3 cm, spleen 11.9 cm, plt 171); "
            "iwCLL 2018 Table 4 footnote: one improvement in each group is then enough. ALC -97%, Hb 10.2 -> 11.9. "
            "Marrow still 12% CLL, so not CR.",
        quirks="baseline CT reports no enlarged nodes (longest diameter only, no SPD).",
    )


@case
def b05():
    pid = "cll-b05-prl-ibrutinib"
    b = Bundle(pid, "1949-07-19", "male", refs="urn", times="eu")
    b.condition("CLL", "2018-01-30")
    b.cbc("2023-02-13", wbc=68.0, alc=62.0, anc=3.9, hb=10.3, plt=96)
    b.ct("2023-02-09", spd=31.2, ld=5.1, spleen=12.6)
    b.med("ibrutinib", "2023-02-20", status="in-progress", dose="420 mg PO once daily")
    b.cbc("2023-03-20", alc=118.0, anc=3.6, hb=10.6, plt=101)
    b.cbc("2023-05-22", alc=104.5, anc=3.5, hb=11.4, plt=128)
    b.ct("2023-08-21", spd=11.9, ld=2.8, spleen=11.5)
    b.cbc("2023-08-21", alc=81.0, anc=3.4, hb=12.0, plt=142)
    b.cbc("2023-11-20", alc=74.2, anc=3.3, hb=12.4, plt=150)
    b.ct("2024-02-19", spd=10.4, ld=2.6, spleen=11.3)
    b.cbc("2024-02-19", alc=68.5, anc=3.5, hb=12.6, plt=151)
    b.cbc("2024-03-18", alc=66.0, anc=3.4, hb=12.7, plt=149)
    return dict(
        bundle=b,
        expect={"best_response": "PR-L", "lymphocytosis": True, "status": None, "progression_date": None},
        why="On continuous ibrutinib: SPD -62..-67%, Hb 10.3 -> 12+, plt 96 -> 140+, but the ALC never falls 50% below "
            "baseline (62 -> 66-118). Meets PR except for the ALC = PR with lymphocytosis (criteria-reference 1.2, NCCN "
            "footnote b); the ALC rise to 118 is isolated treatment-related lymphocytosis on a BTK inhibitor, not PD.",
        ambiguity="6.10: PR-L reported as its own best_response category (data-contract vocabulary).",
        quirks="continuous therapy as MedicationAdministration in-progress without period end; urn:uuid references.",
    )


@case
def b06():
    pid = "cll-b06-sd-nonresponse-refractory"
    b = Bundle(pid, "1955-03-08", "male", refs="patient", times="date")
    b.condition("CLL", "2017-05-19")
    b.cbc("2022-10-10", wbc=44.0, alc=38.6, anc=3.1, hb=10.6, plt=122)
    b.ct("2022-10-06", spd=21.0, ld=3.9, spleen=12.3)
    end = fcr(b, "2022-10-17", cycles=4)
    r = "2023-03-27"
    restaging_gap(end, r)
    b.ct(r, spd=15.8, ld=3.4, spleen=12.1)
    b.cbc(r, alc=24.1, anc=2.2, hb=10.9, plt=131)
    b.cbc("2023-04-17", alc=25.0, anc=2.4, hb=10.8, plt=128)
    return dict(
        bundle=b,
        expect={"best_response": "SD", "status": "refractory", "progression_date": None},
        why="At the restaging 75 days after the 4th (last) FCR cycle: SPD -25%, ALC -38%, Hb 10.6 -> 10.9, plt +7%: all "
            "within -49..+49%, no PR and no PD, so SD. No response to therapy = treatment failure = refractory "
            "(criteria-reference 1.2, S5 'no response').",
        quirks="therapy stopped after 4 of 6 cycles; plain dates.",
    )


@case
def b07():
    pid = "cll-b07-alc-pd-relapse-after-pr"
    b = Bundle(pid, "1957-10-23", "female", refs="urn", times="us")
    b.condition("CLL", "2019-02-11")
    b.cbc("2022-08-01", wbc=35.4, alc=30.2, anc=3.6, hb=10.4, plt=139)
    b.ct("2022-07-28", spd=16.2, ld=3.3, spleen=12.0)
    end = br(b, "2022-08-08")
    r = "2023-03-13"
    restaging_gap(end, r)
    b.ct(r, spd=4.1, ld=1.8, spleen=11.6)
    b.cbc(r, alc=1.3, anc=2.0, hb=12.3, plt=151)
    b.cbc("2023-06-12", alc=1.9, anc=2.3, hb=12.5, plt=149)
    b.cbc("2023-09-11", alc=3.4, anc=2.6, hb=12.4, plt=146)
    b.cbc("2023-12-11", alc=4.6, anc=2.8, hb=12.2, plt=143)
    b.cbc("2024-03-11", wbc=53.9, alc=47.5, anc=3.0, hb=12.0, plt=140)
    b.cbc("2024-04-08", alc=58.0, anc=3.1, hb=11.8, plt=137)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": "relapsed", "progression_date": "2024-03-11", "lymphocytosis": False},
        why="PR at the 76-day restaging after BR (SPD -75%, ALC -96%, Hb 10.4 -> 12.3; node 1.8 cm so not CR). "
            "On 2024-03-11 the ALC is 47.5 = +57% over the baseline 30.2 and >= 5 x10^9/L, off any BCR inhibitor: PD. "
            "That is 12 months after the PR and 14 months after the last dose: relapsed.",
        ambiguity="6.5: the first PD ALC is >= 1.5 x baseline, so baseline and nadir readings give the same date "
                  "(earlier values 3.4 and 4.6 stay below 5 x10^9/L).",
        quirks="no imaging after restaging; ALC-only progression after chemoimmunotherapy.",
    )


@case
def b08():
    pid = "cll-b08-spd-nadir-pd-refractory"
    b = Bundle(pid, "1964-06-30", "male", refs="patient", times="eu")
    b.condition("CLL", "2021-03-03")
    b.cbc("2023-04-03", wbc=61.0, alc=55.0, anc=4.8, hb=10.5, plt=88)
    b.ct("2023-03-30", spd=38.5, ld=5.0, spleen=12.8)
    end = fcr(b, "2023-04-11")
    r = "2023-11-13"
    restaging_gap(end, r)
    b.ct(r, spd=8.1, ld=2.1, spleen=11.9)
    b.cbc(r, alc=2.2, anc=1.9, hb=12.0, plt=126)
    b.ct("2024-01-29", spd=13.2, ld=3.2, spleen=12.0)
    b.cbc("2024-01-29", alc=3.9, anc=2.1, hb=11.8, plt=121)
    b.cbc("2024-02-19", alc=4.4, anc=2.0, hb=11.6, plt=119)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": "refractory", "progression_date": "2024-01-29"},
        why="PR at restaging (SPD 38.5 -> 8.1, ALC -96%, Hb 10.5 -> 12.0, plt 88 -> 126; node 2.1 cm). On 2024-01-29 "
            "SPD 13.2 = +63% from the nadir and the largest node +52% (2.1 -> 3.2 cm): iwCLL 2018 PD 'from baseline or "
            "from response'. PD 151 days after the last dose (<6 months): refractory.",
        quirks="progression measured from nadir while still below baseline.",
    )


@case
def b09():
    pid = "cll-b09-ibrutinib-lymphocytosis-not-pd"
    b = Bundle(pid, "1953-01-14", "female", refs="patient", times="mixed")
    b.condition("CLL", "2016-09-09")
    b.cbc("2022-11-07", wbc=46.5, alc=41.0, anc=3.2, hb=10.0, plt=98)
    b.ct("2022-11-03", spd=22.8, ld=4.0, spleen=12.2)
    b.med("ibrutinib", "2022-11-14", status="in-progress", dose="420 mg PO once daily")
    b.cbc("2022-12-12", alc=96.4, anc=3.0, hb=10.3, plt=104)
    b.cbc("2023-01-09", alc=88.0, anc=3.1, hb=10.6, plt=110)
    b.ct("2023-02-13", spd=10.9, ld=2.7, spleen=11.8)
    b.cbc("2023-02-13", alc=61.0, anc=3.3, hb=11.2, plt=122)
    b.cbc("2023-05-15", alc=28.3, anc=3.2, hb=11.9, plt=133)
    b.ct("2023-08-14", spd=7.6, ld=2.2, spleen=11.5)
    b.cbc("2023-08-14", alc=17.9, anc=3.4, hb=12.3, plt=141)
    b.cbc("2023-11-13", alc=12.2, anc=3.3, hb=12.6, plt=148)
    b.cbc("2024-02-12", alc=9.8, anc=3.5, hb=12.8, plt=150)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="ALC rose +135% (41 -> 96.4) in the first month of ibrutinib while nodes later shrank: isolated "
            "treatment-related lymphocytosis on a BTK inhibitor is not PD (NCCN footnote b). From 2023-08-14 SPD -67%, "
            "ALC -56% and Hb/plt recovered: PR, held for 6 months on continuous therapy (nodes 2.2 cm, not CR).",
        ambiguity="6.2/6.10: on continuous therapy the PR is held for 6 months of data, so all readings agree; lymphocytosis flag left out (transient).",
        quirks="mixed dateTime styles within one bundle (plain dates, +01:00/+02:00, -05:00/-04:00).",
    )


@case
def b10():
    pid = "cll-b10-small-node-growth-not-pd"
    b = Bundle(pid, "1961-05-05", "male", refs="urn", times="eu")
    b.condition("CLL", "2020-10-01")
    b.cbc("2022-06-07", wbc=58.0, alc=52.4, anc=4.0, hb=10.8, plt=112)
    b.ct("2022-06-02", spd=14.6, ld=3.1, spleen=13.9)
    b.marrow_cll("2022-06-09", infiltrate=65, cellularity="hypercellular")
    end = fcr(b, "2022-06-13")
    r = "2023-01-16"
    restaging_gap(end, r)
    b.ct(r, ld=0.8, spleen=11.6)
    b.cbc(r, alc=0.8, anc=1.7, hb=12.4, plt=136)
    b.marrow_cll("2023-01-19", infiltrate=0, cellularity="normocellular", nodules=False)
    b.ct("2023-07-17", ld=1.0, spleen=11.7)
    b.cbc("2023-07-17", alc=1.4, anc=2.2, hb=13.0, plt=148)
    b.ct("2024-01-15", ld=1.3, spleen=11.9)
    b.cbc("2024-01-15", alc=1.9, anc=2.4, hb=13.1, plt=150)
    b.cbc("2024-02-05", alc=2.0, anc=2.3, hb=13.2, plt=147)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None},
        why="CR at the 75-day restaging (ALC 0.8, nodes 0.8 cm, spleen 13.9 -> 11.6 cm, counts normal, marrow clear). "
            "The largest node later grows 0.8 -> 1.3 cm (+62%) but stays below 1.5 cm, i.e. normal: iwCLL PD needs a new "
            "node >1.5 cm or growth of a previously abnormal site.",
        quirks="post-CR imaging reports only the largest-node diameter (no SPD of normal nodes).",
    )


@case
def b11():
    pid = "cll-b11-relapse-after-cr-new-node"
    b = Bundle(pid, "1959-11-30", "female", refs="patient", times="us")
    b.condition("CLL", "2018-04-12")
    b.cbc("2022-02-14", wbc=41.3, alc=36.0, anc=3.4, hb=10.9, plt=120)
    b.ct("2022-02-10", spd=12.3, ld=2.9, spleen=12.5)
    b.marrow_cll("2022-02-16", infiltrate=55, cellularity="hypercellular")
    end = br(b, "2022-02-21")
    r = "2022-09-26"
    restaging_gap(end, r)
    b.ct(r, ld=1.0, spleen=11.4)
    b.cbc(r, alc=0.7, anc=1.9, hb=12.8, plt=161)
    b.marrow_cll("2022-09-29", infiltrate=0, cellularity="normocellular", nodules=False, status="amended")
    b.cbc("2023-03-27", alc=1.1, anc=2.4, hb=13.2, plt=170)
    b.cbc("2023-09-25", alc=3.5, anc=2.6, hb=13.0, plt=158)
    b.ct("2024-01-22", spd=5.1, ld=2.6, spleen=12.0)
    b.cbc("2024-01-22", alc=6.8, anc=2.9, hb=12.7, plt=150)
    b.cbc("2024-02-12", alc=7.9, anc=3.0, hb=12.6, plt=148)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": "relapsed", "progression_date": "2024-01-22"},
        why="CR at the 76-day restaging after BR (marrow report amended, still clear). On 2024-01-22 a 2.6 cm node "
            "appears (largest node 1.0 -> 2.6 cm; new lesion >1.5 cm): PD, 16 months after the CR: relapsed.",
        ambiguity="6.5: ALC 6.8 on the same day is also PD from nadir, so the date is the same under either reading.",
        quirks="marrow results with status amended; -05:00/-04:00 offsets.",
    )


@case
def b12():
    pid = "cll-b12-response-after-pd-ignored"
    b = Bundle(pid, "1950-08-08", "male", refs="urn", times="date")
    b.condition("CLL", "2015-12-01")
    b.cbc("2023-06-05", wbc=66.0, alc=58.8, anc=3.9, hb=10.2, plt=95)
    b.ct("2023-06-01", spd=25.3, ld=3.9, spleen=12.7)
    end = fcr(b, "2023-06-12")
    r = "2024-01-15"
    restaging_gap(end, r)
    b.ct(r, spd=41.0, ld=5.2, spleen=12.9)
    b.cbc(r, alc=9.5, anc=2.1, hb=11.3, plt=118)
    b.ct("2024-04-15", spd=11.5, ld=2.4, spleen=12.2)
    b.cbc("2024-04-15", alc=3.2, anc=2.4, hb=12.1, plt=131)
    b.cbc("2024-05-06", alc=3.0, anc=2.5, hb=12.3, plt=133)
    return dict(
        bundle=b,
        expect={"best_response": "PD", "status": "refractory", "progression_date": "2024-01-15"},
        why="The first response assessment (75 days after FCR) shows SPD 25.3 -> 41.0 (+62% over baseline): PD, within "
            "6 months of therapy: refractory. The PR-like values of 2024-04-15 come after PD and must not count as best "
            "response (best response = best category before PD, criteria-reference 6.22).",
        quirks="no new therapy after PD; later spontaneous shrinkage.",
    )


@case
def b13():
    pid = "cll-b13-cr-mrd-censored-0p1"
    b = Bundle(pid, "1963-03-21", "female", refs="patient", times="eu")
    b.condition("CLL", "2021-01-18")
    b.cbc("2023-02-20", wbc=50.2, alc=44.7, anc=3.8, hb=10.7, plt=104)
    b.ct("2023-02-16", spd=15.1, ld=3.2, spleen=13.6)
    b.marrow_cll("2023-02-22", infiltrate=60, cellularity="hypercellular")
    end = fcr(b, "2023-02-27")
    r = "2023-10-02"
    restaging_gap(end, r)
    b.ct(r, ld=1.0, spleen=11.8)
    b.cbc(r, alc=0.6, anc=1.8, hb=12.3, plt=139)
    b.marrow_cll("2023-10-04", infiltrate=0, cellularity="normocellular", nodules=False)
    b.mrd("mrd_bm", "2023-10-04", 0.1, comparator="<", note="4-colour flow, limited event count")
    b.cbc("2023-10-23", alc=0.7, anc=2.0, hb=12.6, plt=144)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None, "mrd_status": "indeterminate"},
        why="CR at the restaging 75 days after FCR. Marrow MRD reported as '<0.1 %': a censored value <X shows <T only "
            "when X <= T, and 0.1% > 0.01%, so undetectable MRD at 10^-4 is not shown; nothing was detected either.",
        ambiguity="6.15/6.16: a negative result from an assay not reaching 10^-4 mapped to 'indeterminate' (not negative, not positive).",
        quirks="censored MRD via valueQuantity.comparator '<' with insufficient sensitivity.",
    )


@case
def b14():
    pid = "cll-b14-cr-mrd-quantified-below-1e-4"
    b = Bundle(pid, "1966-10-02", "male", refs="urn", times="us")
    b.condition("CLL", "2020-04-07")
    b.cbc("2023-10-02", wbc=37.5, alc=33.0, anc=3.9, hb=10.6, plt=117)
    b.ct("2023-09-28", spd=13.9, ld=3.0, spleen=12.4)
    end = br(b, "2023-10-09")
    r = "2024-05-13"
    restaging_gap(end, r)
    b.ct(r, ld=1.2, spleen=11.5)
    b.cbc(r, alc=0.9, anc=1.9, hb=12.5, plt=151)
    b.mrd("mrd_loinc", r, 0.004, marrow=False, note="Peripheral blood, ERIC flow; 1,200,000 events, LoD 0.001%")
    b.marrow_cll("2024-05-15", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2024-06-03", alc=1.0, anc=2.1, hb=12.8, plt=149)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None, "mrd_status": "negative"},
        why="CR at the 76-day restaging after BR. Blood MRD quantified at 0.004% (4 x 10^-5) by LOINC 67128-9: below "
            "10^-4 = undetectable MRD by the iwCLL 2018 definition (uMRD4, <1 CLL cell per 10,000 leukocytes).",
        ambiguity="6.16: iwCLL/NCCN threshold reading (<10^-4 = negative), not the ELN 'not detectable' reading.",
        quirks="MRD under LOINC 67128-9 from blood (no bodySite).",
    )


@case
def b15():
    pid = "cll-b15-cytopenic-pd-after-br"
    b = Bundle(pid, "1956-12-19", "male", refs="patient", times="eu")
    b.condition("CLL", "2019-07-29")
    b.cbc("2022-04-04", wbc=50.0, alc=44.1, anc=4.2, hb=12.8, plt=86)
    b.ct("2022-03-31", spd=19.9, ld=3.7, spleen=12.4)
    b.marrow_cll("2022-04-06", infiltrate=75, cellularity="hypercellular")
    end = br(b, "2022-04-11")
    r = "2022-11-14"
    restaging_gap(end, r)
    b.ct(r, spd=5.0, ld=1.9, spleen=11.7)
    b.cbc(r, alc=1.2, anc=2.0, hb=13.4, plt=124)
    b.cbc("2023-02-13", alc=1.8, anc=2.2, hb=13.1, plt=131)
    b.cbc("2023-05-15", alc=2.6, anc=2.3, hb=12.4, plt=118)
    b.cbc("2023-08-21", alc=3.9, anc=1.9, hb=10.6, plt=104)
    b.marrow_cll("2023-08-21", infiltrate=68, cellularity="hypercellular", nodules=True)
    b.cbc("2023-09-11", alc=4.1, anc=1.8, hb=10.3, plt=101)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": "relapsed", "progression_date": "2023-08-21"},
        why="PR at restaging (SPD -75%, ALC -97%, plt 86 -> 124). On 2023-08-21, 12 months after BR, Hb 10.6 = 2.2 g/dL "
            "below baseline 12.8 with marrow infiltrated by CLL (68%) the same day: iwCLL 2018 cytopenic PD (>=2 g/dL "
            "fall, secondary to CLL, >=3 months after treatment). PD 9 months after the PR: relapsed.",
        quirks="CBC and marrow on the same day so the PD date does not depend on how the two facts are joined.",
    )


@case
def b16():
    pid = "cll-b16-cytopenic-pd-after-ibrutinib-stop"
    b = Bundle(pid, "1947-02-03", "female", refs="urn", times="eu")
    b.condition("CLL", "2014-05-26")
    b.cbc("2022-05-09", wbc=40.1, alc=35.2, anc=3.0, hb=12.6, plt=89)
    b.ct("2022-05-05", spd=20.5, ld=3.8, spleen=12.2)
    b.marrow_cll("2022-05-11", infiltrate=80, cellularity="hypercellular")
    b.med("ibrutinib", "2022-05-16", "2023-05-15", status="stopped", dose="420 mg PO once daily",
          reason="Atrial fibrillation; BTK inhibitor discontinued")
    b.cbc("2022-06-13", alc=61.0, anc=3.1, hb=12.2, plt=92)
    b.cbc("2022-08-15", alc=42.0, anc=3.0, hb=12.5, plt=110)
    b.ct("2022-11-14", spd=8.4, ld=2.3, spleen=11.6)
    b.cbc("2022-11-14", alc=13.1, anc=3.2, hb=13.0, plt=131)
    b.cbc("2023-02-13", alc=8.2, anc=3.3, hb=13.1, plt=138)
    b.cbc("2023-05-15", alc=6.1, anc=3.1, hb=12.9, plt=140)
    # 7 weeks after stopping (GI bleed on anticoagulation): not >=3 months after treatment
    b.cbc("2023-07-03", alc=8.8, anc=3.4, hb=10.5, plt=118)
    b.marrow_cll("2023-07-03", infiltrate=45, cellularity="normocellular")
    b.cbc("2023-09-04", alc=8.9, anc=3.2, hb=12.1, plt=126)
    b.cbc("2023-12-04", alc=9.0, anc=2.9, hb=10.0, plt=104)
    b.marrow_cll("2023-12-04", infiltrate=70, cellularity="hypercellular")
    b.cbc("2024-01-08", alc=9.6, anc=2.8, hb=9.8, plt=99)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": "relapsed", "progression_date": "2023-12-04"},
        why="PR on ibrutinib by 2022-11-14 (SPD -59%, ALC -63%, plt 89 -> 131). Ibrutinib stopped 2023-05-15. The Hb fall "
            "on 2023-07-03 (7 weeks after stopping) is <3 months after treatment, so not PD. On 2023-12-04 (6.6 months "
            "after stopping) Hb 10.0 = -2.6 g/dL from baseline with 70% marrow CLL (up from 45%): PD. >6 months after the "
            "last therapy and >12 months after the PR: relapsed.",
        ambiguity="6.5: ALC after stopping stays below 1.5 x nadir (6.1 -> 9.0), so no ALC PD under either reading.",
        quirks="continuous therapy stopped (status stopped, period end, statusReason); cytopenia decoy inside the 3-month window.",
    )


@case
def b17():
    pid = "cll-b17-cr-eie-hemoglobin"
    b = Bundle(pid, "1966-07-25", "male", refs="patient", times="date")
    b.condition("CLL", "2022-01-13")
    b.cbc("2023-09-04", wbc=34.0, alc=29.4, anc=3.5, hb=10.9, plt=108)
    b.ct("2023-08-31", spd=11.0, ld=2.7, spleen=12.0)
    end = br(b, "2023-09-11")
    r = "2024-04-15"
    restaging_gap(end, r)
    b.ct(r, ld=1.1, spleen=11.2)
    b.obs("hb", r, 9.1, status="entered-in-error", hhmm="08:20", note="Clotted sample; result withdrawn.")
    b.cbc(r, alc=0.9, anc=1.8, hb=12.4, plt=147, hhmm="10:45")
    b.marrow_cll("2024-04-17", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2024-05-06", alc=1.0, anc=2.0, hb=12.6, plt=150)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None},
        why="CR at the 76-day restaging after BR. The Hb of 9.1 g/dL on the restaging day is entered-in-error (clotted "
            "sample) and must be ignored; the valid Hb that day is 12.4 (>=11).",
        quirks="entered-in-error result that would turn CR into PR.",
    )


@case
def b18():
    pid = "cll-b18-cr-si-units-at-thresholds"
    b = Bundle(pid, "1958-01-09", "female", refs="patient", times="eu")
    b.condition("CLL", "2019-03-27")
    u = {"alc": "/uL", "anc": "/uL", "plt": "/uL", "wbc": "/uL", "hb": "g/L"}
    b.cbc("2023-07-10", units=u, wbc=44.5, alc=39.0, anc=3.6, hb=10.1, plt=97)
    b.ct("2023-07-06", spd=16.5, ld=3.4, spleen=12.6)
    end = fcr(b, "2023-07-17")
    r = "2024-02-19"
    restaging_gap(end, r)
    b.ct(r, ld=1.0, spleen=11.8)
    b.cbc(r, units=u, wbc=3.1, alc=0.9, anc=1.5, hb=11.0, plt=100)
    b.marrow_cll("2024-02-21", infiltrate=0, cellularity="normocellular", nodules=False, status="amended")
    b.cbc("2024-03-11", units={"plt": "10*3/uL", "anc": "10*9/L", "alc": "10*9/L", "hb": "g/dL"},
          alc=1.0, anc=1.7, hb=11.4, plt=112)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None},
        why="At the restaging (75 days after FCR) platelets 100000 /uL = 100 x10^9/L, Hb 110 g/L = 11.0 g/dL and ANC "
            "1500 /uL = 1.5 x10^9/L: exactly on the iwCLL 2018 CR thresholds, which are inclusive (>=). Nodes 1.0 cm, "
            "spleen 11.8 cm, ALC 900 /uL, marrow clear (amended report).",
        ambiguity="6.13: iwCLL 2018 uses >= (the 2008 table's > would make this PR).",
        quirks="counts in /uL and Hb in g/L, then 10*3/uL and g/dL at the next visit; values exactly at thresholds after unit conversion.",
    )


@case
def b19():
    pid = "cll-b19-node-exactly-1p5-pr"
    b = Bundle(pid, "1954-09-14", "male", refs="urn", times="us")
    b.condition("CLL", "2018-10-10")
    b.cbc("2023-01-23", wbc=52.0, alc=47.0, anc=4.1, hb=10.5, plt=115)
    b.ct("2023-01-19", spd=20.1, ld=3.8, spleen=12.1)
    end = fcr(b, "2023-01-30")
    r = "2023-09-04"
    restaging_gap(end, r)
    b.ct(r, spd=2.3, ld=1.5, spleen=11.0)
    b.cbc(r, alc=1.0, anc=2.0, hb=12.5, plt=150)
    b.marrow_cll("2023-09-06", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2023-09-25", alc=1.1, anc=2.1, hb=12.7, plt=152)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="Every CR criterion is met except the nodes: the largest node measures exactly 1.5 cm and iwCLL 2018 CR "
            "requires no node >=1.5 cm. PR: SPD -89%, ALC -98%, Hb 10.5 -> 12.5.",
        ambiguity="6.13: 2018 '>=1.5 cm' (2008 '>1.5 cm' would allow CR).",
        quirks="boundary value exactly on the node threshold.",
    )


@case
def b20():
    pid = "cll-b20-spleen-exactly-13-pr"
    b = Bundle(pid, "1952-04-29", "female", refs="patient", times="eu")
    b.condition("CLL", "2017-11-21")
    b.cbc("2023-03-27", wbc=38.0, alc=33.5, anc=3.0, hb=10.3, plt=126)
    b.ct("2023-03-23", spd=13.8, ld=3.0, spleen=18.6)
    end = br(b, "2023-04-03")
    r = "2023-11-06"
    restaging_gap(end, r)
    b.ct(r, spd=1.4, ld=1.2, spleen=13.0)
    b.cbc(r, alc=0.8, anc=1.6, hb=12.0, plt=139)
    b.marrow_cll("2023-11-08", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2023-11-27", alc=0.9, anc=1.7, hb=12.2, plt=141)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="All CR criteria except the spleen, which measures exactly 13.0 cm (CR needs <13 cm). PR from two improved "
            "group A parameters (SPD -90%, ALC -98%) and Hb 10.3 -> 12.0, whatever the spleen change is taken to mean.",
        ambiguity="6.7 does not matter here: nodes and ALC already give the two group A improvements.",
        quirks="boundary value exactly on the spleen threshold.",
    )


@case
def b21():
    pid = "cll-b21-cri-hypocellular-marrow"
    b = Bundle(pid, "1957-12-06", "male", refs="patient", times="date")
    b.condition("CLL", "2020-02-18")
    b.cbc("2022-12-05", wbc=56.0, alc=50.5, anc=3.7, hb=10.6, plt=102)
    b.ct("2022-12-01", spd=17.3, ld=3.5, spleen=13.5)
    b.marrow_cll("2022-12-07", infiltrate=70, cellularity="hypercellular")
    end = fcr(b, "2022-12-12")
    r = "2023-07-17"
    restaging_gap(end, r)
    b.ct(r, ld=1.0, spleen=11.7)
    b.cbc(r, alc=0.5, anc=1.1, hb=11.4, plt=74)
    b.marrow_cll("2023-07-19", infiltrate=0, cellularity="hypocellular", nodules=False)
    b.cbc("2023-08-07", alc=0.6, anc=1.2, hb=11.6, plt=79)
    return dict(
        bundle=b,
        expect={"best_response": "CRi", "status": None, "progression_date": None},
        why="All CR criteria including a marrow free of CLL cells and nodules, but persistent thrombocytopenia (74) and "
            "neutropenia (ANC 1.1) with a hypocellular marrow after FCR: cytopenia from drug toxicity = CRi "
            "(iwCLL 2018 text; 2008 table: hypocellular marrow defines CRi).",
        ambiguity="6.11: attribution to drug toxicity read from the hypocellular, CLL-free marrow.",
        quirks="cytopenias after purine-analogue therapy.",
    )


@case
def b22():
    pid = "cll-b22-spleen-regrowth-pd-relapse"
    b = Bundle(pid, "1948-08-31", "female", refs="urn", times="eu")
    b.condition("CLL", "2016-03-15")
    b.cbc("2022-05-16", wbc=32.5, alc=28.0, anc=3.1, hb=9.9, plt=94)
    b.ct("2022-05-12", spd=9.8, ld=2.6, spleen=20.4)
    b.obs("spleen_exam", "2022-05-16", 8, hhmm="10:15")
    end = br(b, "2022-05-23")
    r = "2022-12-26"
    restaging_gap(end, r)
    b.ct(r, spd=2.9, ld=1.7, spleen=12.2)
    b.obs("spleen_exam", r, 0, hhmm="10:15", note="Spleen not palpable")
    b.cbc(r, alc=1.1, anc=1.8, hb=12.1, plt=128)
    b.cbc("2023-06-26", alc=1.6, anc=2.0, hb=12.3, plt=131)
    b.ct("2024-02-05", spd=3.1, ld=1.8, spleen=19.3)
    b.obs("spleen_exam", "2024-02-05", 7, hhmm="10:15")
    b.cbc("2024-02-05", alc=3.0, anc=2.2, hb=11.6, plt=119)
    b.cbc("2024-02-26", alc=3.3, anc=2.1, hb=11.4, plt=116)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": "relapsed", "progression_date": "2024-02-05"},
        why="PR at restaging (SPD -70%, ALC -96%, spleen 20.4 -> 12.2 cm, Hb 9.9 -> 12.1; node 1.7 cm). On 2024-02-05 the "
            "spleen is 19.3 cm (+58% from the response nadir; palpable 7 cm after being impalpable): iwCLL 2018 PD of "
            "liver/spleen 'from response'. 13 months after PR: relapsed.",
        ambiguity="6.7/6.8: length from nadir (+58%), enlargement beyond 13 cm (0 -> 6.3 cm) and palpation (0 -> 7 cm) all "
                  "give PD on the same day, where CT and exam agree.",
        quirks="spleen by CT and by palpation (LOINC 32489-7) on the same day, including a 0 cm exam value.",
    )


@case
def b23():
    pid = "cll-b23-cr-b-symptoms-resolved"
    b = Bundle(pid, "1960-06-18", "male", refs="patient", times="us")
    b.condition("CLL", "2021-07-07")
    b.obs("bsymptoms", "2022-10-03", True, hhmm="10:30", note="Night sweats and 8% weight loss over 6 months")
    b.cbc("2022-10-03", wbc=78.0, alc=71.0, anc=4.5, hb=10.8, plt=109)
    b.ct("2022-09-29", spd=19.0, ld=3.6, spleen=12.9)
    end = fcr(b, "2022-10-10")
    r = "2023-05-15"
    restaging_gap(end, r)
    b.ct(r, ld=1.1, spleen=11.3)
    b.cbc(r, alc=0.7, anc=1.9, hb=12.2, plt=144)
    b.marrow_cll("2023-05-17", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2023-06-05", alc=0.8, anc=2.0, hb=12.4, plt=149)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None},
        why="CR at the 75-day restaging after FCR. B symptoms were recorded at baseline; as in real exports they are "
            "recorded only when present, and nothing is recorded after therapy, so 'no constitutional symptoms' holds.",
        ambiguity="6.21: constitutional symptoms read as absent when not recorded (recorded-only-when-present concept).",
        quirks="finding recorded only when present, then silently absent.",
    )


@case
def b24():
    pid = "cll-b24-cr-hepatomegaly-explicit-false"
    b = Bundle(pid, "1962-02-10", "female", refs="urn", times="eu")
    b.condition("CLL", "2020-12-03")
    b.cbc("2023-06-19", wbc=47.0, alc=41.8, anc=3.6, hb=10.5, plt=112)
    b.ct("2023-06-15", spd=16.0, ld=3.3, spleen=14.1)
    b.obs("hepatomegaly", "2023-06-15", True, hhmm="11:40", note="Liver 21 cm craniocaudal on CT")
    end = br(b, "2023-06-26")
    r = "2024-01-29"
    restaging_gap(end, r)
    b.ct(r, ld=1.0, spleen=11.9)
    b.obs("hepatomegaly", r, False, hhmm="11:40", note="Liver 16 cm, normal")
    b.cbc(r, alc=0.8, anc=1.7, hb=12.0, plt=141)
    b.marrow_cll("2024-01-31", infiltrate=0, cellularity="normocellular", nodules=False)
    b.cbc("2024-02-19", alc=0.9, anc=1.9, hb=12.3, plt=146)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": None, "progression_date": None},
        why="CR at the 76-day restaging after BR: hepatomegaly present at baseline is explicitly recorded as resolved "
            "(false), spleen 14.1 -> 11.9 cm, nodes 1.0 cm, counts normal, marrow clear.",
        quirks="explicit valueBoolean false for a finding usually recorded only when present.",
    )


@case
def b25():
    pid = "cll-b25-pd-5mo-after-cr-refractory"
    b = Bundle(pid, "1952-11-27", "male", refs="patient", times="date")
    b.condition("CLL", "2019-09-30")
    b.cbc("2022-09-26", wbc=39.0, alc=34.1, anc=3.3, hb=10.7, plt=119)
    b.ct("2022-09-22", spd=12.5, ld=2.8, spleen=12.3)
    end = fcr(b, "2022-10-03")
    r = "2023-05-08"
    restaging_gap(end, r)
    b.ct(r, ld=1.1, spleen=11.4)
    b.cbc(r, alc=0.9, anc=1.8, hb=12.1, plt=133)
    b.marrow_cll("2023-05-10", infiltrate=0, cellularity="normocellular", nodules=False)
    pd = "2023-07-24"
    assert days_between(end, pd) < 175
    b.ct(pd, spd=4.0, ld=2.2, spleen=11.8)
    b.cbc(pd, alc=2.9, anc=2.0, hb=12.0, plt=128)
    b.cbc("2023-08-14", alc=3.6, anc=2.1, hb=11.9, plt=125)
    return dict(
        bundle=b,
        expect={"best_response": "CR", "status": "refractory", "progression_date": "2023-07-24"},
        why="CR at restaging (76 days after FCR). On 2023-07-24 a new 2.2 cm node (largest 1.1 -> 2.2 cm): PD, 5.1 months "
            "after the last dose; response lasting <=6 months from last therapy = refractory (S5), not relapsed (PD less "
            "than 6 months after the CR).",
        quirks="short remission.",
    )


@case
def b26():
    pid = "cll-b26-pd-on-ibrutinib"
    b = Bundle(pid, "1945-04-04", "male", refs="urn", times="us")
    b.condition("CLL", "2012-06-20")
    b.cbc("2022-03-01", wbc=43.0, alc=38.0, anc=3.0, hb=9.8, plt=85)
    b.ct("2022-02-24", spd=24.0, ld=4.2, spleen=12.4)
    b.med("ibrutinib", "2022-03-07", status="in-progress", dose="420 mg PO once daily")
    b.cbc("2022-04-04", alc=71.0, anc=3.1, hb=10.1, plt=92)
    b.ct("2022-09-12", spd=9.9, ld=2.4, spleen=11.8)
    b.cbc("2022-09-12", alc=15.0, anc=3.3, hb=11.6, plt=121)
    b.ct("2023-03-13", spd=6.2, ld=2.0, spleen=11.6)
    b.cbc("2023-03-13", alc=6.0, anc=3.2, hb=12.4, plt=133)
    b.cbc("2023-09-11", alc=4.5, anc=3.3, hb=12.6, plt=137)
    b.ct("2024-01-15", spd=10.5, ld=3.1, spleen=12.0)
    b.cbc("2024-01-15", alc=18.0, anc=3.0, hb=12.0, plt=126)
    b.cbc("2024-02-05", alc=21.5, anc=2.9, hb=11.8, plt=122)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "progression_date": "2024-01-15"},
        why="PR on continuous ibrutinib from 2022-09-12 (SPD -59%, ALC -61%, Hb 9.8 -> 11.6, plt 85 -> 121), deepening to "
            "SPD 6.2. On 2024-01-15 SPD 10.5 (+69% from nadir) and largest node 2.0 -> 3.1 cm (+55%): PD by nodes while "
            "on the drug (the ALC rise alone would not be PD on a BTK inhibitor).",
        ambiguity="6.3: PD on continuous therapy satisfies both the refractory and the relapse clock, so status is left out.",
        quirks="PD while continuous therapy is still in progress.",
    )


@case
def b27():
    pid = "cll-b27-g-chlorambucil-procedure-pr"
    b = Bundle(pid, "1940-10-12", "female", refs="patient", times="eu")
    b.condition("CLL", "2021-05-05")
    b.cbc("2023-01-16", wbc=29.0, alc=24.6, anc=2.9, hb=9.6, plt=101)
    b.ct("2023-01-12", spd=17.7, ld=3.5, spleen=12.6)
    start = "2023-01-23"
    chl_end = None
    for i in range(6):
        d1 = add(start, 28 * i)
        doses = [d1, add(d1, 7), add(d1, 14)] if i == 0 else [d1]
        for d in doses:
            b.med("obinutuzumab", d, d, dose="1000 mg IV", note="G-Clb cycle %d" % (i + 1))
        chl_end = add(d1, 14)
        b.proc("Chlorambucil 0.5 mg/kg PO days 1 and 15 (cycle %d)" % (i + 1), d1, chl_end,
               phase="first-line chemoimmunotherapy", note="Oral chemotherapy recorded as procedure")
    r = "2023-09-11"
    restaging_gap(chl_end, r)
    b.ct(r, spd=4.2, ld=1.9, spleen=11.9)
    b.cbc(r, alc=1.5, anc=2.1, hb=11.8, plt=133)
    b.cbc("2023-10-02", alc=1.6, anc=2.2, hb=12.0, plt=135)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="Obinutuzumab (MedicationAdministration) plus chlorambucil recorded only as Procedure SNOMED 367336001; last "
            "therapy = end of the last chlorambucil Procedure. At the restaging 75 days later: SPD -76%, ALC -94%, "
            "Hb 9.6 -> 11.8, plt 101 -> 133; node 1.9 cm: PR.",
        quirks="chemotherapy as Procedure with performedPeriod and category text; obinutuzumab weekly in cycle 1.",
    )


@case
def b28():
    pid = "cll-b28-searchset-mixed-units-pr"
    b = Bundle(pid, "1959-05-27", "male", refs="patient", btype="searchset", times="mixed")
    b.condition("CLL", "2020-08-19")
    b.cbc("2023-04-17", units={"alc": "10*3/uL", "anc": "10*3/uL", "plt": "10*9/L", "hb": "g/L", "wbc": "10*3/uL"},
          wbc=63.0, alc=57.1, anc=4.6, hb=9.9, plt=91)
    b.ct("2023-04-13", spd=23.3, ld=4.0, spleen=12.8)
    end = br(b, "2023-04-24")
    r = "2023-11-27"
    restaging_gap(end, r)
    b.ct(r, spd=6.9, ld=2.0, spleen=11.9)
    b.cbc(r, units={"alc": "/uL", "anc": "/uL", "plt": "10*3/uL", "hb": "g/dL"}, alc=1.9, anc=2.3, hb=11.7, plt=127)
    b.mrd("mrd_pb", r, 0.05)
    b.cbc("2023-12-18", units={"alc": "10*9/L", "anc": "10*9/L", "plt": "/uL", "hb": "g/L"},
          alc=2.0, anc=2.4, hb=11.9, plt=131)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None, "mrd_status": "positive"},
        why="PR at the 76-day restaging after BR once units are normalised: ALC 57.1 x10^3/uL -> 1900 /uL (-97%), SPD "
            "-70%, Hb 99 g/L -> 11.7 g/dL, plt 91 -> 127 x10^3/uL; node 2.0 cm so not CR. Blood MRD 0.05% >= 0.01%: positive.",
        quirks="searchset Bundle with search.mode; units change at every visit (10*3/uL, /uL, 10*9/L; g/L, g/dL).",
    )


@case
def b29():
    pid = "cll-b29-no-restaging-yet"
    b = Bundle(pid, "1964-09-09", "female", refs="urn", times="eu")
    b.condition("CLL", "2021-10-25")
    b.cbc("2023-10-02", wbc=40.2, alc=35.0, anc=3.4, hb=10.2, plt=98)
    b.ct("2023-09-28", spd=18.0, ld=3.4, spleen=12.5)
    end = fcr(b, "2023-10-09")
    last = add(end, 35)
    b.cbc(last, alc=0.9, anc=1.6, hb=11.5, plt=112)
    return dict(
        bundle=b,
        expect={"best_response": "NE", "progression_date": None},
        why="Data end 5 weeks after the last FCR dose. iwCLL 2018 assesses response >=2 months after completion of "
            "therapy, so no response can be assigned yet even though the blood counts look good: not evaluable.",
        ambiguity="6.2: none of the readings allows a response assessment before 2 months after the last dose.",
        quirks="export taken before the first restaging.",
    )


@case
def b30():
    pid = "cll-b30-nodular-pr"
    b = Bundle(pid, "1956-06-01", "male", refs="patient", times="us")
    b.condition("CLL", "2019-12-12")
    b.cbc("2023-02-06", wbc=45.5, alc=40.6, anc=3.9, hb=10.4, plt=99)
    b.ct("2023-02-02", spd=15.5, ld=3.3, spleen=12.7)
    end = fcr(b, "2023-02-13")
    r = "2023-09-18"
    restaging_gap(end, r)
    b.ct(r, spd=1.2, ld=1.2, spleen=11.6)
    b.cbc(r, alc=1.1, anc=1.9, hb=12.3, plt=137)
    b.marrow_cll("2023-09-20", infiltrate=0, cellularity="normocellular", nodules=True)
    b.cbc("2023-10-09", alc=1.2, anc=2.0, hb=12.5, plt=140)
    return dict(
        bundle=b,
        expect={"best_response": "PR", "status": None, "progression_date": None},
        why="All CR criteria met except residual B-lymphoid nodules in the marrow: iwCLL 2018 Table 4 places nodules in "
            "the PR column (the 2008 'nodular PR'). Group A: ALC -97%, SPD 15.5 -> 1.2 cm2; group B: Hb 10.4 -> 12.3.",
        quirks="marrow B-lymphoid nodules true with 0% diffuse infiltrate.",
    )
