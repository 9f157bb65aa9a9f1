#!/usr/bin/env python3
"""The VS Code extension (editors/vscode) needs no build, so it is checked here: its JSON
files parse, package.json contributes the language and a grammar that exists, every regex
of the TextMate grammar compiles, and its keyword rule matches every word docs/language.md
section 14 reserves (and the words that are keywords in context). Run from the project root."""
import json
import pathlib
import re
import sys

ext = pathlib.Path("editors/vscode")
pkg = json.loads((ext / "package.json").read_text())
json.loads((ext / "language-configuration.json").read_text())
grammar = json.loads((ext / "syntaxes/crit.tmLanguage.json").read_text(encoding="utf-8"))

lang = pkg["contributes"]["languages"][0]
assert lang["id"] == "crit" and ".crit" in lang["extensions"], lang
assert (ext / lang["configuration"]).is_file()
g = pkg["contributes"]["grammars"][0]
assert g["language"] == "crit" and g["scopeName"] == grammar["scopeName"] and (ext / g["path"]).is_file(), g
assert (ext / pkg["main"]).is_file() and "vscode-languageclient" in pkg["dependencies"]
assert "lsp" in (ext / pkg["main"]).read_text()


def regexes(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("match", "begin", "end") and isinstance(v, str):
                yield v
            else:
                yield from regexes(v)
    elif isinstance(node, list):
        for v in node:
            yield from regexes(v)


for r in regexes(grammar):
    re.compile(r)  # Oniguruma's syntax is a superset of what this grammar uses

doc = pathlib.Path("docs/language.md").read_text()
section = doc.split("## 14. Reserved words", 1)[1].split("## 15.", 1)[0]
reserved = section.split("```", 2)[1].split()
contextual = re.findall(r"`([a-z]+)`", section.split("Elsewhere they", 1)[1].split("Duration units", 1)[0])
assert len(reserved) > 30 and "unless" in reserved and "class" in contextual, (reserved, contextual)

repo = grammar["repository"]
keyword = re.compile(repo["keyword"]["match"])
field = re.compile(repo["field-keyword"]["match"])
missing = [w for w in reserved if not keyword.fullmatch(w)]
assert not missing, f"reserved words the grammar does not highlight: {missing}"
missing = [w for w in contextual if not (keyword.fullmatch(w) or field.fullmatch(w) or re.fullmatch(repo["property"]["match"], "." + w))]
assert not missing, f"contextual keywords the grammar does not highlight: {missing}"

# Numbers with units, durations, dates, comments and criterion headers have their rules.
assert re.search(repo["quantity"]["match"], "4 x10^9/L").group(2) == "x10^9/L"
assert re.search(repo["quantity"]["match"], "4 for").group(2) is None
assert re.search(repo["duration"]["match"], "for 2mo").group(2) == "mo"
assert re.search(repo["date"]["match"], "at 2024-01-31")
assert re.search(repo["comment"]["match"], "x  # why")
assert re.match(repo["criterion"]["begin"], 'CR "Complete remission":').group(1) == "CR"
assert not re.match(repo["criterion"]["begin"], "therapy = first treatment of class cll_therapy")
print("vscode extension: ok")
