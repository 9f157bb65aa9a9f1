"""crit over a Dask cluster: a FHIR Bulk NDJSON export evaluated by many workers, with the
same JSON lines as ``crit run`` on one machine (sorted by patient). docs/scale.md.

    import crit, crit.dask
    from distributed import Client
    client = Client("tcp://scheduler:8786")
    out = crit.dask.run(crit.compile("rules/cll/iwcll-2018.crit"), "export/", client,
                        output="results.jsonl", workdir="/shared/scratch")

A Bulk export mixes patients across its files, so the job has two steps:
  1. partition: each input file is cut into byte ranges of whole lines; a task per range
     sends each line to the shard of its patient (crc32 of the patient id, mod shards) and
     writes the shard's piece as workdir/shard-K/FFFFF-CCCCC.ndjson (file and range index,
     so a shard's pieces sort in input order). Medication resources (referenced by
     MedicationAdministration, no patient) go to every shard; a line naming no patient of
     the export (bad JSON, no subject) goes to shard 0, where it is rejected once.
  2. evaluate: a task per shard runs the pack over the shard's folder (one Bulk cohort) and
     writes its JSON lines, sorted by patient, to workdir/out/shard-K.jsonl; each worker
     process compiles the pack once. The client merges the sorted shard files into the
     output and appends the summary line with the shards' counts added up.
The shuffle goes through ``workdir``: on a real cluster a folder every worker can read and
write (NFS, a parallel file system); for a LocalCluster any local folder (the default, a
temporary one).

From the command line, for a running cluster:
    python3 -m crit.dask --scheduler tcp://host:8786 --rules PACK --workdir /shared/tmp \
        --output results.jsonl export/
"""
import argparse
import heapq
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
import zlib

_NDJSON = (".ndjson", ".jsonl")
_EVERY_SHARD = -1


# ---- which patient a line belongs to -----------------------------------------------

def _patient_of_reference(ref):
    # As the loader reads a Bulk export: only a relative `Patient/ID` names a patient of it.
    if "://" in ref or ref.startswith("urn:"):
        return None
    at = -1
    i = ref.find("Patient/")
    while i != -1:
        if i == 0 or ref[i - 1] == "/":
            at = i
        i = ref.find("Patient/", i + 1)
    if at < 0:
        return None
    pid = ref[at + 8:].split("/", 1)[0]
    return pid or None


# The fast path: a line whose only "subject" is an object starting with a plain
# "reference" string is a record of that patient, whatever else the line holds (a line
# that is not valid JSON is rejected by the loader in whichever shard it lands, once).
# Anything else (Patient, Medication, `patient` references, escapes) is parsed.
_SUBJECT = re.compile(rb'"subject"\s*:\s*\{\s*"reference"\s*:\s*"([^"\\]*)"')
_TYPE = re.compile(rb'"resourceType"\s*:\s*"([A-Za-z]+)"')


def patient_key(line):
    """The patient id a resource line belongs to; None when it names none (it goes to shard
    0 and is rejected there); _EVERY_SHARD for a Medication."""
    if line.count(b'"subject"') == 1:
        kind = _TYPE.search(line)
        ref = _SUBJECT.search(line)
        if kind and ref and kind.group(1) not in (b"Patient", b"Medication") and line.count(b'"resourceType"') == 1:
            return _patient_of_reference(ref.group(1).decode("utf-8", "surrogateescape"))
    try:
        r = json.loads(line)
    except ValueError:
        return None
    if not isinstance(r, dict):
        return None
    kind = r.get("resourceType")
    if kind == "Patient":
        pid = r.get("id")
        return pid if isinstance(pid, str) and pid else None
    if kind == "Medication":
        return _EVERY_SHARD
    for field in ("subject", "patient"):
        ref = r.get(field)
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            return _patient_of_reference(ref["reference"])
    return None


def shard_of(patient, shards):
    return zlib.crc32(patient.encode("utf-8", "surrogatepass")) % shards


# ---- the tasks -------------------------------------------------------------------------

def _ranges(path, chunk_bytes):
    size = os.path.getsize(path)
    return [(start, min(start + chunk_bytes, size)) for start in range(0, max(size, 1), chunk_bytes)]


def partition_range(path, file_index, chunk_index, start, end, shards, workdir):
    """Task: the lines starting in [start, end) of `path`, each to its patient's shard.
    Returns (bytes read, lines, seconds)."""
    t0 = time.perf_counter()
    pieces = {}
    lines = read = 0
    with open(path, "rb") as f:
        if start > 0:
            f.seek(start - 1)
            if f.read(1) != b"\n":
                f.readline()  # the line that started before `start` belongs to the range before
        while f.tell() < end:
            raw = f.readline()
            if not raw:
                break
            read += len(raw)
            if not raw.strip():
                continue
            lines += 1
            if not raw.endswith(b"\n"):
                raw += b"\n"
            key = patient_key(raw)
            if key == _EVERY_SHARD:
                targets = range(shards)
            else:
                targets = (0 if key is None else shard_of(key, shards),)
            for k in targets:
                pieces.setdefault(k, []).append(raw)
    name = f"{file_index:05d}-{chunk_index:05d}.ndjson"
    for k, chunk in pieces.items():
        d = os.path.join(workdir, f"shard-{k:05d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as out:
            out.writelines(chunk)
    return read, lines, time.perf_counter() - t0


_PACKS = {}


def _worker_pack(recipe):
    # Compiled once per worker process, then reused by every shard it evaluates. The recipe
    # travels pickled: Dask would run a (function, args) tuple as a task of its own.
    if recipe not in _PACKS:
        fn, args = pickle.loads(recipe)
        _PACKS[recipe] = fn(*args)
    return _PACKS[recipe]


def evaluate_shard(recipe, shard, workdir, as_of, threads):
    """Task: one shard's patients through the pack; their lines, sorted by patient, to
    workdir/out/shard-K.jsonl. Returns the shard's counts and timings."""
    t0 = time.perf_counter()
    pack = _worker_pack(recipe)
    folder = os.path.join(workdir, f"shard-{shard:05d}")
    size = sum(e.stat().st_size for e in os.scandir(folder))
    lines = pack._pack._lines([folder], as_of, threads)
    pairs, report = lines
    pairs.sort(key=lambda pl: _key_of_line(pl[1]))  # the merge's key, exactly
    out_dir = os.path.join(workdir, "out")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, f"shard-{shard:05d}.jsonl"), "w", encoding="utf-8") as out:
        for patient, line in pairs:
            out.write(line + "\n")
    errors = [d.rendered for d in report["diagnostics"] if d.severity == "error"]
    return {"shard": shard, "patients": report["patients"], "records": report["records"],
            "rejected": report["rejected"], "skipped": report["skipped"],
            "data_errors": report["data_errors"], "errors": errors, "bytes": size,
            "seconds": time.perf_counter() - t0, "pid": os.getpid()}


# ---- the job ---------------------------------------------------------------------------

def _inputs(data):
    paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    files = []
    for p in map(os.fspath, paths):
        if os.path.isdir(p):
            files += sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith(_NDJSON))
        else:
            files.append(p)
    if not files:
        from .errors import UsageError
        raise UsageError(f"no NDJSON files (.ndjson, .jsonl) in {', '.join(map(os.fspath, paths))}")
    return files


_PATIENT_FIRST = '{"patient":"'


def _key_of_line(line):
    # crit run's line starts with the patient: decode that string only, not the line.
    if line.startswith(_PATIENT_FIRST):
        return json.decoder.scanstring(line, len(_PATIENT_FIRST))[0]
    return json.loads(line)["patient"]


class DaskRun:
    """What a distributed run made: ``summary`` (crit run's closing line as a dict),
    ``lines`` (every JSON line, when no output file was given), ``stats`` (timings)."""

    def __init__(self, summary, lines, stats):
        self.summary, self.lines, self.stats = summary, lines, stats

    def __repr__(self):
        return f"<crit.dask.DaskRun {self.summary}>"


def run(pack, data, client, output=None, workdir=None, shards=None, as_of=None,
        chunk_bytes=64 << 20, threads=1, keep_workdir=False):
    """Evaluates the Bulk NDJSON export `data` (a folder or files) with `pack` on the
    workers of `client`. Writes crit run's JSON lines, sorted by patient, then the summary
    line, to `output` (a path), or returns them in ``DaskRun.lines`` when output is None.
    `workdir` must be readable and writable by every worker (see the module's doc)."""
    from .errors import DataError
    t0 = time.perf_counter()
    files = _inputs(data)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    total = sum(os.path.getsize(f) for f in files)
    if shards is None:
        shards = max(2 * workers, -(-total // (256 << 20)))
    own_workdir = workdir is None
    workdir = tempfile.mkdtemp(prefix="crit-dask-") if own_workdir else os.fspath(workdir)
    os.makedirs(workdir, exist_ok=True)
    recipe = pickle.dumps(pack.__reduce__())
    as_of = None if as_of is None else str(as_of)
    try:
        futures = [client.submit(partition_range, path, fi, ci, start, end, shards, workdir, pure=False)
                   for fi, path in enumerate(files) for ci, (start, end) in enumerate(_ranges(path, chunk_bytes))]
        parts = client.gather(futures)
        t1 = time.perf_counter()
        present = sorted(int(n[6:]) for n in os.listdir(workdir) if n.startswith("shard-"))
        futures = [client.submit(evaluate_shard, recipe, k, workdir, as_of, threads, pure=False) for k in present]
        done = client.gather(futures)
        t2 = time.perf_counter()
        summary = {"complete": True}
        for field in ("patients", "rejected", "skipped", "data_errors"):
            summary[field] = sum(d[field] for d in done)
        errors = [e for d in done for e in d["errors"]]
        outs = [open(os.path.join(workdir, "out", f"shard-{d['shard']:05d}.jsonl"), encoding="utf-8") for d in done]
        try:
            merged = heapq.merge(*outs, key=_key_of_line)
            summary_line = json.dumps({"summary": summary}, separators=(",", ":"))
            lines = None
            if output is None:
                lines = [line.rstrip("\n") for line in merged] + [summary_line]
            else:
                tmp = os.fspath(output) + ".part"
                with open(tmp, "w", encoding="utf-8") as out:
                    out.writelines(merged)
                    out.write(summary_line + "\n")
                os.replace(tmp, output)
        finally:
            for f in outs:
                f.close()
        t3 = time.perf_counter()
        stats = {"files": len(files), "bytes": total, "shards": shards, "workers": workers,
                 "partition_tasks": len(parts), "partition_seconds": t1 - t0,
                 "evaluate_seconds": t2 - t1, "merge_seconds": t3 - t2, "total_seconds": t3 - t0,
                 "partition_task_seconds": [p[2] for p in parts], "shard_stats": done}
        if errors:
            err = DataError(errors[0])
            err.partial = DaskRun(summary, lines, stats)
            raise err
        return DaskRun(summary, lines, stats)
    finally:
        if own_workdir and not keep_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        elif not keep_workdir:
            for n in os.listdir(workdir):
                if n.startswith("shard-") or n == "out":
                    shutil.rmtree(os.path.join(workdir, n), ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m crit.dask",
                                 description="Evaluate a FHIR Bulk NDJSON export on a Dask cluster (docs/scale.md).")
    ap.add_argument("data", nargs="+", help="the export: a folder of .ndjson files, or the files")
    ap.add_argument("--rules", required=True, help="the rule pack (.crit); every worker must be able to read it")
    ap.add_argument("--scheduler", help="the scheduler's address (tcp://host:8786); default: a LocalCluster")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster (default 2)")
    ap.add_argument("--workdir", help="the shuffle folder, shared by every worker (default: a temporary folder)")
    ap.add_argument("--output", "-o", help="the JSON lines (default: standard output)")
    ap.add_argument("--shards", type=int, help="patient shards (default: 2 per worker, at least one per 256 MB)")
    ap.add_argument("--as-of", help="evaluate as of YYYY-MM-DD")
    ap.add_argument("--bindings", help="another bindings file than the pack names")
    ap.add_argument("--stats", action="store_true", help="timings on standard error")
    a = ap.parse_args(argv)

    import crit
    from crit import dask as this  # tasks pickled by reference to crit.dask, never __main__
    from distributed import Client, LocalCluster
    try:
        pack = crit.compile(a.rules, bindings=a.bindings)
    except crit.CritError as e:
        print(f"crit: {e}", file=sys.stderr)
        return 1
    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        result = this.run(pack, a.data, client, output=a.output, workdir=a.workdir, shards=a.shards, as_of=a.as_of)
    except crit.CritError as e:
        print(f"crit: {e}", file=sys.stderr)
        return 2
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if a.output is None:
        sys.stdout.write("".join(line + "\n" for line in result.lines))
    if a.stats:
        s = {k: v for k, v in result.stats.items() if k not in ("shard_stats", "partition_task_seconds")}
        print(json.dumps(s), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
