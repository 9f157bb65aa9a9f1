"""crit as a Python module (docs/python.md): tables equal to crit run's output, intervals,
explanations, diagnostics as objects, exceptions carrying crit's diagnostic."""
import json
import os
import pickle

import pandas as pd
import pytest

import crit
from conftest import CLL, ROOT, crit_binary, crit_run  # noqa: F401

CLL_DATA = os.path.join(ROOT, "examples", "cll")


@pytest.fixture(scope="module")
def pack():
    return crit.compile(CLL)


def test_pack_describes_itself(pack):
    assert pack.name == "iwCLL 2018"
    assert "best_response" in pack.results and "lymphocytosis" in pack.results
    assert "CR" in pack.criteria
    assert len(pack.sha256) == 64


def test_run_is_one_row_per_patient_with_crit_runs_values(pack, crit_binary):
    df = pack.run([CLL_DATA], threads=2)
    expected = [json.loads(line) for line in crit_run(crit_binary, CLL, CLL_DATA) if '"summary"' not in line]
    assert list(df["patient"]) == [e["patient"] for e in expected]
    assert list(df.columns) == ["patient", "as_of"] + pack.results
    for (_, row), e in zip(df.iterrows(), expected):
        assert row["as_of"] == pd.Timestamp(e["as_of"])
        for name, want in e["results"].items():
            got = row[name]
            if want is None:
                assert pd.isna(got), (e["patient"], name, got)
            elif isinstance(want, bool):
                assert bool(got) is want
            elif isinstance(got, pd.Timestamp):
                assert got == pd.Timestamp(want)
            else:
                assert got == want, (e["patient"], name)
    assert str(df["lymphocytosis"].dtype) == "boolean"
    assert pack.report["patients"] == len(df)


def test_one_thread_and_many_agree(pack):
    pd.testing.assert_frame_equal(pack.run(CLL_DATA, threads=1), pack.run(CLL_DATA, threads=3))


def test_json_lines_are_crit_runs_bytes(pack, crit_binary):
    for data in (CLL_DATA, os.path.join(ROOT, "examples", "ndjson", "cll")):
        lines = [line for _, line in pack.json_lines([data], threads=2)]
        assert lines + [pack.report["summary_line"]] == crit_run(crit_binary, CLL, data)


def test_as_of_moves_the_evaluation(pack):
    df = pack.run(CLL_DATA, as_of="2024-06-01")
    assert (df["as_of"] == pd.Timestamp("2024-06-01")).all()
    with pytest.raises(crit.UsageError):
        pack.run(CLL_DATA, as_of="June")


def test_intervals_long_table_matches_the_json_criteria(pack, crit_binary):
    iv = pack.intervals([CLL_DATA])
    assert list(iv.columns) == ["patient", "criterion", "from", "to", "state"]
    assert set(iv["state"]) <= {"met", "unknown"}
    assert (iv["from"] <= iv["to"]).all()
    rows = []
    for line in crit_run(crit_binary, CLL, CLL_DATA):
        j = json.loads(line)
        for criterion, runs in j.get("criteria", {}).items():
            rows += [(j["patient"], criterion, r["from"], r["to"], r["state"]) for r in runs]
    got = [(p, c, f.strftime("%Y-%m-%d"), t.strftime("%Y-%m-%d"), s) for p, c, f, t, s in iv.itertuples(index=False)]
    assert got == rows and rows


def test_explain_is_structured(pack):
    pack.run(CLL_DATA)
    why = pack.explain("p-002")  # the data of the last run
    assert why["patient"] == "p-002"
    assert why["values"]["best_response"] == "PR"
    best = next(r for r in why["results"] if r["name"] == "best_response")
    assert best["value"] == "PR" and best["failed"][0]["label"] == "CR"
    record = best["failed"][0]["conditions"][0]["record"]
    assert record["concept"] == "node_longest_max" and record["line"] == 11
    assert "CR not met" in why["text"]
    with pytest.raises(crit.DataError):
        pack.explain("nobody", CLL_DATA)


def test_check_returns_diagnostic_objects():
    pack = crit.compile_text("low = platelets < 100 x10^9/L\nA: lymphocytes < 30%\n", name="w.crit",
                             bindings=os.path.join(ROOT, "bindings", "default.yaml"))
    diags = pack.check()
    assert [(d.severity, d.code, d.file, d.line, d.column) for d in diags] == [
        ("warning", "unused", "w.crit", 1, 1), ("warning", "no-citation", "w.crit", 2, 1)]
    assert "`low` is defined but named nowhere" in diags[0].message and "^^^" in str(diags[0])


def test_compile_error_carries_code_file_line(tmp_path):
    bad = tmp_path / "bad.crit"
    bad.write_text(open(CLL).read().replace("platelets >= 100", "platelts >= 100", 1))
    with pytest.raises(crit.CompileError) as e:
        crit.compile(bad)
    err = e.value
    assert err.file == str(bad) and err.line > 0 and err.code == "unknown-name"
    assert any(d.code == "unknown-name" and d.severity == "error" for d in err.diagnostics)
    assert "platelts" in str(err)


def test_missing_rules_file_is_a_compile_error(tmp_path):
    with pytest.raises(crit.CompileError) as e:
        crit.compile(tmp_path / "none.crit")
    assert e.value.code == "io" and e.value.file == str(tmp_path / "none.crit")


def test_unreadable_data_is_a_data_error_with_the_rest_evaluated(pack, tmp_path):
    missing = str(tmp_path / "nowhere")
    with pytest.raises(crit.DataError) as e:
        pack.run([CLL_DATA, missing])
    assert e.value.diagnostics and e.value.diagnostics[0].severity == "error"
    assert missing in str(e.value)
    assert len(e.value.partial) == len(pack.run(CLL_DATA))


def test_pack_pickles_by_recipe(pack):
    again = pickle.loads(pickle.dumps(pack))
    assert again.sha256 == pack.sha256
    text_pack = crit.compile_text(open(CLL).read(), name=CLL)
    assert pickle.loads(pickle.dumps(text_pack)).sha256 == text_pack.sha256
