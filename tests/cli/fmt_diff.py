#!/usr/bin/env python3
"""`crit fmt --diff` (docs/cli.md): on a badly laid out copy of a pack, a unified diff that
patch(1)-style application turns into what `crit fmt` writes, exit 1, the file untouched;
on a formatted pack, no output and exit 0. Run from the project root: fmt_diff.py CRIT"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

crit = sys.argv[1]
pack = "rules/cll/iwcll-2018.crit"


def run(*args):
    return subprocess.run([crit, *args], capture_output=True, text=True)


p = run("fmt", "--diff", pack)
assert p.returncode == 0 and p.stdout == "", p

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.crit")
    lines = open(pack).read().split("\n")
    # Four-space indentation, doubled spaces, extra blank lines: what fmt undoes.
    mangled = []
    for i, l in enumerate(lines):
        indent = len(l) - len(l.lstrip(" "))
        body = l[indent:]
        if i % 7 == 3 and '"' not in body and "#" not in body:
            body = body.replace(" ", "  ", 1)
        l = " " * (2 * indent) + body
        mangled.append(l)
        if i % 11 == 5:
            mangled.append("")
            mangled.append("")
    original = "\n".join(mangled)
    open(bad, "w").write(original)
    # The bindings a header names are relative to the file: keep them reachable.
    for f in os.listdir(os.path.dirname(pack)):
        if f.endswith(".yaml"):
            shutil.copy(os.path.join(os.path.dirname(pack), f), tmp)

    p = run("fmt", "--diff", bad)
    assert p.returncode == 1, p
    diff = p.stdout
    assert diff.startswith(f"--- {bad}\n+++ {bad}\n@@ -"), diff[:200]  # an absolute path as it is
    assert open(bad).read() == original, "fmt --diff changed the file"

    # Apply the hunks by hand: the result is exactly what `crit fmt` writes.
    old = original.split("\n")
    out, at = [], 0
    for hunk in re.split(r"^@@ ", diff, flags=re.M)[1:]:
        head, *body = hunk.split("\n")
        start = int(re.match(r"-(\d+)", head).group(1))
        count = re.match(r"-\d+(?:,(\d+))?", head).group(1)
        first = start - 1 if count != "0" else start
        out += old[at:first]
        at = first
        for l in body:
            if l.startswith(" ") or l.startswith("-"):
                assert old[at] == l[1:], (at, old[at], l)
                at += 1
                if l.startswith(" "):
                    out.append(l[1:])
            elif l.startswith("+"):
                out.append(l[1:])
            # "\\ No newline at end of file" changes no line
    out += old[at:]
    applied = "\n".join(out)

    p = run("fmt", bad)
    assert p.returncode == 0, p
    assert applied == open(bad).read(), "the diff does not turn the file into fmt's output"
    p = run("fmt", "--diff", bad)
    assert p.returncode == 0 and p.stdout == "", p
print("ok")
