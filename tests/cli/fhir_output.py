#!/usr/bin/env python3
"""crit run --format fhir (issue 10, item 5): one FHIR R4 Observation per patient per result,
as NDJSON, checked against the R4 rules that matter for loading them into a server (required
fields, datatypes' formats, value[x] xor dataAbsentReason, no empty elements), and every
reference resolving: subject to a Patient of the input, derivedFrom to an Observation of the
input. Run from the project root:
    fhir_output.py CRIT"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

crit = sys.argv[1]

# R4 datatype formats (http://hl7.org/fhir/R4/datatypes.html).
YEAR = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
TZ = r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
DATETIME = re.compile(rf"{YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T{TIME}{TZ})?)?)?")
INSTANT = re.compile(rf"{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T{TIME}{TZ}")
ID = re.compile(r"[A-Za-z0-9\-\.]{1,64}")
CODE = re.compile(r"[^\s]+( [^\s]+)*")
URI = re.compile(r"\S+")
STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}
VALUE_KEYS = {"valueQuantity", "valueCodeableConcept", "valueString", "valueBoolean", "valueInteger", "valueRange",
              "valueRatio", "valueSampledData", "valueTime", "valueDateTime", "valuePeriod"}


def run(*args, env=None, ok=True):
    p = subprocess.run([crit, "run", *args], capture_output=True, text=True, env=env)
    if ok:
        assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p


def ndjson(text):
    """NDJSON: every line one JSON object, no blank line, a newline after the last."""
    assert text.endswith("\n"), "NDJSON ends with a newline"
    lines = text[:-1].split("\n")
    out = []
    for n, line in enumerate(lines, 1):
        assert line.strip() == line and line, f"line {n} is blank or padded"
        obj = json.loads(line)
        assert isinstance(obj, dict), f"line {n} is not a JSON object"
        out.append(obj)
    return out


def no_empty(x, path="Observation"):
    """ele-1 and the JSON rules: no null, no empty string, array or object anywhere."""
    assert x is not None and x != "" and x != [] and x != {}, f"{path} is empty"
    if isinstance(x, dict):
        for k, v in x.items():
            no_empty(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            no_empty(v, f"{path}[{i}]")


def check_coding(c, where):
    assert URI.fullmatch(c["system"]) and CODE.fullmatch(c["code"]), (where, c)


def input_resources(data):
    """Type/id of every resource in the input (Bundles' entries, NDJSON lines)."""
    found = set()
    for f in sorted(Path(data).rglob("*")):
        if f.suffix == ".json":
            for e in json.loads(f.read_text())["entry"]:
                r = e["resource"]
                if "id" in r:
                    found.add(f"{r['resourceType']}/{r['id']}")
        elif f.suffix == ".ndjson":
            for line in f.read_text().splitlines():
                r = json.loads(line)
                if "id" in r:
                    found.add(f"{r['resourceType']}/{r['id']}")
    return found


def check_observations(obs, resources=None):
    """The R4 rules for each Observation; `resources`: the input's Type/id (None: no FHIR input)."""
    ids = set()
    for o in obs:
        where = o.get("id")
        no_empty(o)
        assert o["resourceType"] == "Observation", where
        assert ID.fullmatch(o["id"]) and o["id"] not in ids, where
        ids.add(o["id"])
        assert o["status"] in STATUS and o["status"] == "final", where
        # code 1..1 (a CodeableConcept with codings), category with a coding.
        assert o["code"]["coding"] and o["code"]["text"], where
        for c in o["code"]["coding"]:
            check_coding(c, where)
        for cat in o["category"]:
            for c in cat["coding"]:
                check_coding(c, where)
        ref = o["subject"].get("reference")
        if ref is not None:
            assert re.fullmatch(r"Patient/[A-Za-z0-9\-\.]{1,64}", ref), (where, ref)
            if resources is not None:
                assert ref in resources, (where, ref, "the subject is not a Patient of the input")
        else:
            assert o["subject"]["identifier"]["value"], where
        if "effectiveDateTime" in o:
            assert DATETIME.fullmatch(o["effectiveDateTime"]), where
        assert INSTANT.fullmatch(o["issued"]), (where, o["issued"])
        # obs-6: dataAbsentReason only when there is no value; and one of them here.
        values = VALUE_KEYS & o.keys()
        assert len(values) + ("dataAbsentReason" in o) == 1, (where, values)
        if "valueDateTime" in o:
            assert DATETIME.fullmatch(o["valueDateTime"]), where
        if "valueCodeableConcept" in o:
            for c in o["valueCodeableConcept"]["coding"]:
                check_coding(c, where)
        if "dataAbsentReason" in o:
            check_coding(o["dataAbsentReason"]["coding"][0], where)
        assert o["method"]["coding"][0]["code"] and o["method"]["text"], where
        assert o["note"][0]["text"], where
        for d in o.get("derivedFrom", []):
            assert re.fullmatch(r"Observation/[A-Za-z0-9\-\.]{1,64}", d["reference"]), (where, d)
            assert resources is not None, (where, "derivedFrom without FHIR input")
            assert d["reference"] in resources, (where, d["reference"], "does not resolve in the input")
    return ids


def by_patient_result(obs):
    out = {}
    for o in obs:
        pid = o["subject"].get("reference", "").removeprefix("Patient/")
        out[(pid, o["code"]["coding"][-1]["code"])] = o
    return out


env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
packs = {"cll": "rules/cll/iwcll-2018.crit", "all": "rules/all/all-response.crit"}
sha = {d: hashlib.sha256(Path(r).read_bytes()).hexdigest() for d, r in packs.items()}
results_of = {}
for d, rules in packs.items():
    lines = [json.loads(l) for l in run("--rules", rules, f"examples/{d}").stdout.splitlines()][:-1]
    results_of[d] = {j["patient"]: j for j in lines}

total_derived = 0
for d, rules in packs.items():
    outs = {}
    for data in (f"examples/fhir/{d}", f"examples/ndjson/{d}"):
        resources = input_resources(data)
        text = run("--rules", rules, data, "--format", "fhir", env=env).stdout
        obs = ndjson(text)
        check_observations(obs, resources)
        # One Observation per patient per result, and the values of the JSON output.
        expected = results_of[d]
        assert len(obs) == sum(len(j["results"]) for j in expected.values()), (data, len(obs))
        for (pid, name), o in by_patient_result(obs).items():
            want = expected[pid]["results"][name]
            got = (o.get("valueCodeableConcept", {}).get("text") if "valueCodeableConcept" in o
                   else o.get("valueBoolean", o.get("valueDateTime")))
            assert got == want, (data, pid, name, got, want)
            assert o["effectiveDateTime"] == expected[pid]["as_of"], (data, pid)
            assert o["issued"] == "2023-11-14T22:13:20Z", o["issued"]
            assert o["method"]["coding"][0]["code"] == sha[d], (data, o["method"])
        total_derived += sum(len(o.get("derivedFrom", [])) for o in obs)
        outs[data] = obs
    # A Bundle and an NDJSON export of the same patients: the same Observations, ids and
    # references (the notes differ: they cite each file's lines).
    a, b = (list(map(lambda o: {k: v for k, v in o.items() if k != "note"}, x)) for x in outs.values())
    assert a == b, f"{d}: Bundle and NDJSON give different Observations"
assert total_derived > 50, total_derived

# p-002 (CLL): best response PR, a disease status as mCODE codes it, derived from the records
# explain's summary cites: the lymphocytes that halved from baseline, the baseline itself
# (compared with), and the platelets that kept it from CR.
obs = by_patient_result(ndjson(run("--rules", packs["cll"], "examples/ndjson/cll", "--format", "fhir").stdout))
br = obs[("p-002", "best_response")]
assert [c["code"] for c in br["code"]["coding"]] == ["97509-4", "best_response"], br["code"]
assert br["code"]["coding"][0]["system"] == "http://loinc.org"
assert [c["code"] for c in br["valueCodeableConcept"]["coding"]] == ["103337004", "PR"], br["valueCodeableConcept"]
observations = {}
for line in Path("examples/ndjson/cll/Observation.ndjson").read_text().splitlines():
    r = json.loads(line)
    if r["subject"]["reference"] == "Patient/p-002":
        observations[(r["code"]["coding"][0]["code"], r["effectiveDateTime"])] = "Observation/" + r["id"]
derived = [d["reference"] for d in br["derivedFrom"]]
assert observations[("731-0", "2024-09-15")] in derived, derived  # lymphocytes 3.1
assert observations[("731-0", "2024-02-01")] in derived, derived  # its baseline, 62
assert observations[("777-3", "2024-09-15")] in derived, derived  # platelets 96: not CR
assert len(set(derived)) == len(derived)
assert "[rules/cll/iwcll-2018.crit:186]" in br["note"][0]["text"], br["note"]
assert "PR" in br["note"][0]["text"] and "CR not met" in br["note"][0]["text"], br["note"]
# Not a disease status: crit's code only; an absent category says why.
mrd = obs[("p-002", "mrd_status")]
assert [c["code"] for c in mrd["code"]["coding"]] == ["mrd_status"], mrd["code"]
assert [c["code"] for c in mrd["valueCodeableConcept"]["coding"]] == ["positive"]
st = obs[("p-002", "status")]
assert st["dataAbsentReason"]["coding"][0]["code"] == "not-applicable", st
# A date that the data cannot tell is unknown; one that never came is not applicable.
pd = obs[("p-002", "progression_date")]
assert pd["dataAbsentReason"]["coding"][0]["code"] == "unknown", pd
all_obs = by_patient_result(ndjson(run("--rules", packs["all"], "examples/ndjson/all", "--format", "fhir").stdout))
rd = all_obs[("a-001", "relapse_date")]
assert (rd["dataAbsentReason"]["coding"][0]["code"], rd["dataAbsentReason"]["text"]) == ("not-applicable", "never"), rd
assert obs[("p-002", "lymphocytosis")]["valueBoolean"] is False

# Ids are a function of patient, rules, result and as-of: the same run twice, with 1 or 4
# threads, is byte-identical; another as-of date is another Observation.
one = run("--rules", packs["cll"], "examples/fhir/cll", "--format", "fhir", "-j", "1", env=env).stdout
four = run("--rules", packs["cll"], "examples/fhir/cll", "--format", "fhir", "-j", "4", env=env).stdout
assert one == four
asof = ndjson(run("--rules", packs["cll"], "examples/fhir/cll", "--format", "fhir", "--as-of", "2024-10-01").stdout)
check_observations(asof, input_resources("examples/fhir/cll"))
assert {o["effectiveDateTime"] for o in asof} == {"2024-10-01"}
default = by_patient_result(ndjson(one))
for key, o in by_patient_result(asof).items():
    same_day = results_of["cll"][key[0]]["as_of"] == "2024-10-01"
    assert (o["id"] == default[key]["id"]) == same_day, (key, o["id"])

# YAML input has no FHIR ids: no derivedFrom, subjects by id, everything else as above.
yaml_obs = ndjson(run("--rules", packs["cll"], "examples/cll", "--format", "fhir").stdout)
check_observations(yaml_obs)
assert not any("derivedFrom" in o for o in yaml_obs)
assert len(yaml_obs) == 6 * len(results_of["cll"])
assert by_patient_result(yaml_obs)[("p-002", "best_response")]["valueCodeableConcept"]["text"] == "PR"

with tempfile.TemporaryDirectory() as tmp:
    # A patient id that is not a FHIR id is named by identifier, not a malformed reference.
    csv = Path(tmp, "ids.csv")
    csv.write_text("patient_id,time,concept,value,unit\npatient_1,2024-01-01,platelets,100,10*9/L\n")
    odd = ndjson(run("--rules", packs["cll"], str(csv), "--format", "fhir").stdout)
    check_observations(odd)
    assert all(o["subject"] == {"identifier": {"value": "patient_1"}} for o in odd), odd[0]["subject"]
    # -o: the file, whole.
    out = Path(tmp, "Observation.ndjson")
    run("--rules", packs["cll"], "examples/fhir/cll", "--format", "fhir", "-o", str(out), env=env)
    assert out.read_text() == one

# A SOURCE_DATE_EPOCH that is not a number is refused, not silently replaced by the clock.
bad = run("--rules", packs["cll"], "examples/cll", "--format", "fhir", env=dict(env, SOURCE_DATE_EPOCH="soon"), ok=False)
assert bad.returncode == 64 and "SOURCE_DATE_EPOCH `soon`" in bad.stderr, (bad.returncode, bad.stderr)
print("fhir output ok:", total_derived, "derivedFrom references resolved")
