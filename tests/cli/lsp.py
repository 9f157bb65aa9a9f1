#!/usr/bin/env python3
"""crit lsp (docs/editors.md) driven by a scripted JSON-RPC client: diagnostics on open and
after a fix, hover, definition, completion, formatting (crit fmt's text), document symbols,
bindings resolved as crit check does, malformed input answered with errors, shutdown/exit.
Run from the project root: lsp.py CRIT"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading

crit = sys.argv[1]
tmp = tempfile.mkdtemp(prefix="crit-lsp-")
DOC = os.path.join(tmp, "t.crit")
URI = pathlib.Path(DOC).as_uri()

GOOD = """guideline "LSP test"
  source "tests/cli/lsp.py"

low_platelets "Low platelets":
  cite "test"
  platelets < 100 x10^9/L

gate = low_platelets

CR "Complete remission":
  cite "test"
  low_platelets and hemoglobin >= 11 g/dL

result response = CR if CR and gate, else NR
"""
BAD = GOOD.replace("hemoglobin >=", "hemoglobinn >=")
BAD_LINE = next(i for i, l in enumerate(BAD.splitlines()) if "hemoglobinn" in l)

proc = subprocess.Popen([crit, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
watchdog = threading.Timer(20, proc.kill)  # a hung server fails the test instead of hanging ctest
watchdog.daemon = True
watchdog.start()
next_id = [0]


def send_raw(body: bytes):
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def send(method, params=None, request=True):
    msg = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        msg["params"] = params
    if request:
        next_id[0] += 1
        msg["id"] = next_id[0]
    send_raw(json.dumps(msg).encode())
    return msg.get("id")


def receive():
    length = None
    while True:
        line = proc.stdout.readline()
        assert line, "the server closed its output"
        line = line.strip()
        if not line:
            break
        k, _, v = line.partition(b":")
        if k.lower() == b"content-length":
            length = int(v)
    return json.loads(proc.stdout.read(length))


def response(id_):
    while True:
        m = receive()
        if m.get("id") == id_ and "method" not in m:
            return m


def diagnostics(uri=URI):
    while True:
        m = receive()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return m["params"]["diagnostics"]


def call(method, params=None):
    r = response(send(method, params))
    assert "error" not in r, r
    return r["result"]


def at(line, text, word):
    return {"textDocument": {"uri": URI}, "position": {"line": line, "character": text.splitlines()[line].index(word) + 1}}


# Before initialize, a request is refused with ServerNotInitialized.
r = response(send("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
assert r["error"]["code"] == -32002, r

init = call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
caps = init["capabilities"]
for c in ("hoverProvider", "definitionProvider", "completionProvider", "documentFormattingProvider", "documentSymbolProvider"):
    assert caps.get(c), (c, caps)
send("initialized", {}, request=False)

# An unknown concept: one error on its line, with the diagnostic code's name.
send("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "crit", "version": 1, "text": BAD}}, request=False)
d = diagnostics()
errors = [x for x in d if x["severity"] == 1]
assert len(errors) == 1, d
e = errors[0]
assert e["code"] == "unknown-name" and e["range"]["start"]["line"] == BAD_LINE, e
col = BAD.splitlines()[BAD_LINE].index("hemoglobinn")
assert e["range"]["start"]["character"] == col and e["range"]["end"]["character"] == col + len("hemoglobinn"), e
assert "hemoglobinn" in e["message"] and "hemoglobin" in e["message"].split("hemoglobinn", 1)[1], e

# Fixed by a whole-text change: the diagnostics are cleared.
send("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": GOOD}]}, request=False)
assert diagnostics() == [], "expected no diagnostics after the fix"

# Hover: a concept (display name, canonical unit, code), a criterion (title, cite), a definition (source).
lines = GOOD.splitlines()
cr_line = next(i for i, l in enumerate(lines) if l.startswith("CR "))
h = call("textDocument/hover", at(cr_line + 2, GOOD, "hemoglobin"))["contents"]["value"]
assert "hemoglobin" in h.lower() and "unit:" in h, h
h = call("textDocument/hover", at(5, GOOD, "platelets"))["contents"]["value"]
assert "Platelet count" in h and "10*9/L" in h and "777-3" in h, h
h = call("textDocument/hover", at(cr_line + 2, GOOD, "low_platelets"))["contents"]["value"]
assert "Low platelets" in h and "test" in h, h
h = call("textDocument/hover", at(7, GOOD, "gate"))["contents"]["value"]
assert "gate = low_platelets" in h, h

# Definition of a criterion reference: the line that declares it.
loc = call("textDocument/definition", at(cr_line + 2, GOOD, "low_platelets"))
assert loc["uri"] == URI and loc["range"]["start"] == {"line": 3, "character": 0}, loc
loc = call("textDocument/definition", at(len(lines) - 1, GOOD, "CR if"))
assert loc["range"]["start"]["line"] == cr_line, loc

# Completion: concepts, criteria, definitions, classes, units.
items = {i["label"] for i in call("textDocument/completion", at(5, GOOD, "platelets"))["items"]}
for w in ("platelets", "hemoglobin", "low_platelets", "gate", "CR", "cll_therapy", "g/dL", "within"):
    assert w in items, w

# Document symbols: the criteria, the definition and the result.
syms = {s["name"]: s for s in call("textDocument/documentSymbol", {"textDocument": {"uri": URI}})}
assert set(syms) == {"low_platelets", "CR", "gate", "response"}, syms
assert syms["CR"]["selectionRange"]["start"]["line"] == cr_line and syms["CR"]["detail"] == "Complete remission", syms

# Formatting returns what `crit fmt` writes.
UGLY = GOOD.replace("  platelets <", "  platelets  <").replace("gate = low", "gate =   low")
send("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": UGLY}]}, request=False)
diagnostics()
edits = call("textDocument/formatting", {"textDocument": {"uri": URI}, "options": {"tabSize": 2, "insertSpaces": True}})
ugly_file = os.path.join(tmp, "ugly.crit")
pathlib.Path(ugly_file).write_text(UGLY)
subprocess.run([crit, "fmt", ugly_file], check=True, capture_output=True)
expected = pathlib.Path(ugly_file).read_text()
assert expected != UGLY and len(edits) == 1 and edits[0]["newText"] == expected, edits
assert edits[0]["range"]["start"] == {"line": 0, "character": 0}, edits

# A shipped rule pack, opened by its path: bindings found as `crit check` finds them, no errors.
pack = os.path.abspath("rules/cll/iwcll-2018.crit")
pack_uri = pathlib.Path(pack).as_uri()
send("textDocument/didOpen", {"textDocument": {"uri": pack_uri, "languageId": "crit", "version": 1,
                                               "text": pathlib.Path(pack).read_text()}}, request=False)
d = diagnostics(pack_uri)
check = subprocess.run([crit, "check", pack], capture_output=True, text=True)
assert check.returncode == 0 and not [x for x in d if x["severity"] == 1], d
assert len(d) == check.stderr.count("warning["), (d, check.stderr)

# Malformed input: error responses, and the server answers afterwards.
send_raw(b"{not json")
assert receive()["error"]["code"] == -32700
send_raw(b"[1, 2]")
assert receive()["error"]["code"] == -32600
r = response(send("textDocument/hover", {"textDocument": {"uri": URI}}))
assert r["error"]["code"] == -32602, r
r = response(send("no/such/method", {}))
assert r["error"]["code"] == -32601, r
proc.stdin.write(b"Content-Length: x\r\n\r\n")
proc.stdin.flush()
assert receive()["error"]["code"] == -32700
assert call("textDocument/hover", at(5, GOOD, "platelets")) is not None

# shutdown, then exit: exit code 0.
assert call("shutdown") is None
send("exit", request=False)
proc.stdin.close()
assert proc.wait(timeout=10) == 0, proc.stderr.read()
shutil.rmtree(tmp)
print("lsp: ok")
