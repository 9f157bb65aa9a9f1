"""crit.dask (docs/scale.md): a Bulk NDJSON export partitioned by patient and evaluated on a
LocalCluster of 2 worker processes gives crit run's JSON lines exactly (sorted by patient)."""
import os
import subprocess
import sys

import pytest

import crit
import crit.dask
from conftest import CLL, ROOT, crit_binary, crit_run, sorted_by_patient  # noqa: F401

ALL = os.path.join(ROOT, "rules", "all", "all-response.crit")


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    out = tmp_path_factory.mktemp("cohort")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench", "gen_ndjson.py"), "500", str(out), "4"],
                   check=True, capture_output=True)
    return str(out)


@pytest.mark.parametrize("rules,data", [(CLL, "examples/ndjson/cll"), (ALL, "examples/ndjson/all")])
def test_shipped_examples_equal_crit_run(client, crit_binary, rules, data):
    result = crit.dask.run(crit.compile(rules), os.path.join(ROOT, data), client, shards=3)
    assert result.lines == sorted_by_patient(crit_run(crit_binary, rules, data))


def test_generated_cohort_equals_crit_run_byte_for_byte(client, crit_binary, cohort, tmp_path):
    out = tmp_path / "dask.jsonl"
    # Small ranges and more shards than workers: every file is cut, every shard has pieces.
    result = crit.dask.run(crit.compile(CLL), cohort, client, output=out, shards=5, chunk_bytes=1 << 20)
    expected = sorted_by_patient(crit_run(crit_binary, CLL, cohort))
    assert out.read_text().splitlines() == expected
    assert result.summary["patients"] == 500
    assert result.stats["partition_tasks"] > len(os.listdir(cohort))
    # Each worker process compiled the pack once, whatever the number of shards it ran.
    assert len({s["pid"] for s in result.stats["shard_stats"]}) <= 2


def test_a_patients_records_stay_together():
    line = b'{"resourceType":"Observation","subject":{"reference":"Patient/p-7"}}\n'
    assert crit.dask.patient_key(line) == "p-7"
    assert crit.dask.patient_key(b'{"resourceType":"Patient","id":"p-7"}') == "p-7"
    assert crit.dask.patient_key(b'{"resourceType":"Medication","id":"m"}') == crit.dask._EVERY_SHARD
    assert crit.dask.patient_key(b'{"resourceType":"Observation","subject":{"reference":"urn:uuid:1"}}') is None
    assert crit.dask.patient_key(b'{not json') is None
    # Past the fast path: a `patient` reference, escapes, a contained resource with its own subject.
    assert crit.dask.patient_key(b'{"resourceType":"Procedure","patient":{"reference":"Patient/p-8"}}') == "p-8"
    assert crit.dask.patient_key(b'{"resourceType":"Observation","subject":{"reference":"Patient/p\\u002d9"}}') == "p-9"
    contained = (b'{"resourceType":"Observation","contained":[{"resourceType":"Observation",'
                 b'"subject":{"reference":"Patient/other"}}],"subject":{"reference":"Patient/p-10"}}')
    assert crit.dask.patient_key(contained) == "p-10"


def test_bad_lines_are_rejected_once(client, crit_binary, tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    src = os.path.join(ROOT, "examples", "ndjson", "cll")
    for name in os.listdir(src):
        if name.endswith(".ndjson"):
            text = open(os.path.join(src, name)).read()
            if name == "Observation.ndjson":
                text += '{"resourceType":"Observation", truncated\n{"resourceType":"Observation","status":"final"}\n'
            (export / name).write_text(text)
    result = crit.dask.run(crit.compile(CLL), str(export), client, shards=4)
    assert result.lines == sorted_by_patient(crit_run(crit_binary, CLL, str(export)))
    assert result.summary["rejected"] >= 2


def test_command_line_with_a_local_cluster(crit_binary, tmp_path):
    out = tmp_path / "cli.jsonl"
    env = dict(os.environ)
    r = subprocess.run([sys.executable, "-m", "crit.dask", "--rules", CLL, "--workers", "2", "--output", str(out),
                        os.path.join(ROOT, "examples", "ndjson", "cll")], capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert out.read_text().splitlines() == sorted_by_patient(crit_run(crit_binary, CLL, "examples/ndjson/cll"))


def test_not_an_export_is_a_usage_error(client, tmp_path):
    with pytest.raises(crit.UsageError):
        crit.dask.run(crit.compile(CLL), str(tmp_path), client)
