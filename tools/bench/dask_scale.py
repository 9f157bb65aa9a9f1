#!/usr/bin/env python3
"""Per-worker figures for docs/scale.md: the partition step and the shard evaluation of
crit.dask, each measured in a process of its own (time, peak RSS), then the whole job on a
LocalCluster compared byte for byte with `crit run`.

  PYTHONPATH=build/python python3 tools/bench/dask_scale.py EXPORT [--workers 2] [--shards N]
      [--skip-cluster] [--crit build/crit] [--rules rules/cll/iwcll-2018.crit]

EXPORT is a Bulk NDJSON folder (tools/bench/gen_ndjson.py makes one). Prints JSON lines.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s():
    # CPU time of this process: on a shared machine a steadier figure than wall time.
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(kind, args):
    # One measurement in this (fresh) process: its peak RSS is the step's alone.
    import crit
    import crit.dask as cd
    t0 = time.perf_counter()
    c0 = cpu_s()
    if kind == "partition":
        files = cd._inputs(args["export"])
        lines = read = tasks = 0
        worst = 0.0
        for fi, path in enumerate(files):
            for ci, (start, end) in enumerate(cd._ranges(path, args["chunk"])):
                r, n, s = cd.partition_range(path, fi, ci, start, end, args["shards"], args["workdir"])
                read += r
                lines += n
                tasks += 1
                worst = max(worst, s)
        secs, cpu = time.perf_counter() - t0, cpu_s() - c0
        out = {"step": "partition", "tasks": tasks, "lines": lines, "mb": read / 1e6, "seconds": secs, "cpu_s": cpu,
               "mb_per_cpu_s": read / 1e6 / cpu, "slowest_task_s": worst, "peak_rss_mb": peak_rss_mb()}
    else:
        pack = crit.compile(args["rules"])
        recipe = __import__("pickle").dumps(pack.__reduce__())
        t1, c1 = time.perf_counter(), cpu_s()
        r = cd.evaluate_shard(recipe, args["shard"], args["workdir"], None, 1)
        secs, cpu = time.perf_counter() - t1, cpu_s() - c1
        out = {"step": "evaluate-shard", "shard": args["shard"], "patients": r["patients"], "mb": r["bytes"] / 1e6,
               "compile_s": t1 - t0, "seconds": secs, "cpu_s": cpu, "patients_per_cpu_s": r["patients"] / cpu,
               "mb_per_cpu_s": r["bytes"] / 1e6 / cpu, "peak_rss_mb": peak_rss_mb()}
    print(json.dumps(out))


def measure(kind, args):
    r = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(args)], capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
    line = r.stdout.strip().splitlines()[-1]
    print(line, flush=True)
    return json.loads(line)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2], json.loads(sys.argv[3]))
    ap = argparse.ArgumentParser()
    ap.add_argument("export")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shards", type=int)
    ap.add_argument("--chunk", type=int, default=64 << 20)
    ap.add_argument("--crit", default="build/crit")
    ap.add_argument("--rules", default="rules/cll/iwcll-2018.crit")
    ap.add_argument("--skip-cluster", action="store_true")
    ap.add_argument("--workdir", default=None)
    a = ap.parse_args()
    total = sum(os.path.getsize(os.path.join(a.export, n)) for n in os.listdir(a.export))
    shards = a.shards or max(2 * a.workers, -(-total // (256 << 20)))
    base = a.workdir or tempfile.mkdtemp(prefix="crit-scale-")
    work = os.path.join(base, "serial")
    os.makedirs(work, exist_ok=True)
    print(json.dumps({"export": a.export, "mb": total / 1e6, "shards": shards}), flush=True)
    measure("partition", {"export": a.export, "chunk": a.chunk, "shards": shards, "workdir": work})
    shard_mb = sum(os.path.getsize(os.path.join(work, "shard-00000", n)) for n in os.listdir(os.path.join(work, "shard-00000")))
    print(json.dumps({"shard0_mb": shard_mb / 1e6}), flush=True)
    measure("evaluate", {"rules": a.rules, "shard": 0, "workdir": work})
    # The same shard through `crit run` (one thread), for the cost of the Python path.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([a.crit, "run", "--rules", a.rules, os.path.join(work, "shard-00000")], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(json.dumps({"step": "crit-run-shard", "seconds": time.perf_counter() - t0, "cpu_s": cpu,
                      "mb_per_cpu_s": shard_mb / 1e6 / cpu, "peak_rss_mb": after.ru_maxrss / 1024}), flush=True)
    subprocess.run(["rm", "-rf", work])
    if a.skip_cluster:
        return
    # crit run on one machine (its own -j), then the Dask job, then the bytes compared.
    expected = os.path.join(base, "crit-run.jsonl")
    t0 = time.perf_counter()
    with open(expected, "w") as out:
        subprocess.run([a.crit, "run", "-j", str(a.workers), "--rules", a.rules, a.export], stdout=out,
                       stderr=subprocess.DEVNULL, check=False)
    t_run = time.perf_counter() - t0
    import crit
    import crit.dask
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    got = os.path.join(base, "dask.jsonl")
    t0 = time.perf_counter()
    res = crit.dask.run(crit.compile(a.rules), a.export, client, output=got, shards=shards, chunk_bytes=a.chunk,
                        workdir=os.path.join(base, "dask-work"))
    t_dask = time.perf_counter() - t0
    client.close()
    cluster.close()
    with open(expected) as f:
        lines = f.read().splitlines()
    body = sorted((ln for ln in lines if not ln.startswith('{"summary"')), key=lambda ln: json.loads(ln)["patient"])
    tail = [ln for ln in lines if ln.startswith('{"summary"')]
    with open(got) as f:
        same = f.read().splitlines() == body + tail
    stats = {k: v for k, v in res.stats.items() if k not in ("shard_stats", "partition_task_seconds")}
    print(json.dumps({"crit_run_s": t_run, "dask_s": t_dask, "byte_identical": same, "patients": res.summary["patients"],
                      **stats}), flush=True)
    subprocess.run(["rm", "-rf", base])


if __name__ == "__main__":
    main()
