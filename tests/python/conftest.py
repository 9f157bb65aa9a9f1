# The Python tests run from the repository root with PYTHONPATH=build/python (ctest sets
# it, see tests/CMakeLists.txt) and CRIT_BINARY naming the crit binary to compare with.
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLL = os.path.join(ROOT, "rules", "cll", "iwcll-2018.crit")


@pytest.fixture(scope="session")
def crit_binary():
    path = os.environ.get("CRIT_BINARY", os.path.join(ROOT, "build", "crit"))
    assert os.access(path, os.X_OK), f"no crit binary at {path} (set CRIT_BINARY)"
    return path


def crit_run(binary, rules, *data):
    """`crit run`'s stdout lines (the JSON lines and the summary)."""
    out = subprocess.run([binary, "run", "--rules", rules, *data], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.splitlines()


def sorted_by_patient(lines):
    """crit run's lines in the order crit.dask writes them: patients sorted, summary last."""
    import json
    body = [line for line in lines if not line.startswith('{"summary"')]
    tail = [line for line in lines if line.startswith('{"summary"')]
    return sorted(body, key=lambda line: json.loads(line)["patient"]) + tail
