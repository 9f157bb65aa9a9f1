#!/usr/bin/env python3
"""The command line helps (docs/cli.md): --version, "did you mean" for a misspelt subcommand
and option, exit 64 for every usage error, an example in every subcommand's --help.
Run from the project root: usage.py CRIT"""
import re
import subprocess
import sys

crit = sys.argv[1]


def run(*args):
    return subprocess.run([crit, *args], capture_output=True, text=True)


# --version: the project version, a git revision (or "unknown"), the build type; exit 0.
p = run("--version")
assert p.returncode == 0, p
assert re.fullmatch(r"crit \d+\.\d+\.\d+ \(git ([0-9a-f]{7,}(-dirty)?|unknown), \w+\)\n", p.stdout), p.stdout

# A misspelt subcommand and option: the closest spelling, exit 64.
p = run("rnu", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll")
assert p.returncode == 64, p
assert "unknown command `rnu` (did you mean `run`?)" in p.stderr, p.stderr
p = run("run", "--rulez", "rules/cll/iwcll-2018.crit", "examples/cll")
assert p.returncode == 64, p
assert "crit run: unknown option `--rulez` (did you mean `--rules`?)" in p.stderr, p.stderr
p = run("check", "--fromat", "json", "rules/cll/iwcll-2018.crit")
assert p.returncode == 64 and "did you mean `--format`?" in p.stderr, p.stderr

# A misspelt value of a fixed set of values: the set and the closest spelling.
p = run("run", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--format", "tabel")
assert p.returncode == 64, p
assert "--format: `tabel` is not one of json, csv, table, fhir (did you mean `table`?)" in p.stderr, p.stderr
p = run("concepts", "--format", "yaml")
assert p.returncode == 64 and "`yaml` is not one of text, json" in p.stderr and "did you mean" not in p.stderr, p.stderr

# Every kind of usage error exits 64, never CLI11's own codes (105, 106, 109, ...).
usage_errors = [
    [],                                                                   # no subcommand
    ["run", "examples/cll"],                                              # --rules missing
    ["run", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--format", "xml"],
    ["run", "-j", "0", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll"],
    ["run", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll", "--as-of", "2024-13-01"],
    ["compare", "--rules", "rules/cll/iwcll-2018.crit", "examples/cll"],  # one --rules
    ["disasm"],
    ["fmt", "--check", "--diff", "rules/cll/iwcll-2018.crit"],
    ["concepts", "--format", "yaml"],
]
for args in usage_errors:
    p = run(*args)
    assert p.returncode == 64, (args, p.returncode, p.stderr)
    assert "internal error" not in p.stderr, (args, p.stderr)

# --help: exit 0, and every subcommand's help ends with examples that name it.
p = run("--help")
assert p.returncode == 0 and "Examples:" in p.stdout, p
subcommands = re.findall(r"^  (\w+) ", p.stdout.split("Subcommands:")[1].split("Examples:")[0], re.M)
assert {"check", "run", "fmt", "concepts", "classes"} <= set(subcommands), subcommands
for sub in subcommands:
    p = run(sub, "--help")
    assert p.returncode == 0, (sub, p)
    tail = p.stdout.split("Examples:", 1)
    assert len(tail) == 2 and f"crit {sub}" in tail[1], (sub, p.stdout)
print("ok")
