"""What the report tests share: running crit, and reading a report's embedded data and
tables with the standard library only."""
import base64
import gzip
import html.parser
import json
import subprocess


def crit(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    assert p.returncode == 0, (args, p.returncode, p.stderr)
    return p.stdout


def run_json(binary, rules, *data):
    lines = [json.loads(l) for l in crit(binary, "run", "--rules", rules, *data).splitlines()]
    assert lines[-1]["summary"]["complete"] is True
    return {j["patient"]: j for j in lines[:-1]}


class Page(html.parser.HTMLParser):
    """The parts of a report a test looks at: every element's attributes, the data
    script's text, and the text of the count and matrix tables."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs)
        self.data_attrs = None
        self.data_text = ""
        self.scripts = []
        self._in = None
        self._table = None  # (attrs) of the current table
        self.counts = {}    # (pack, result) -> {value: n}
        self.matrix = {}    # result -> {(a, b): n}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self._in = "data" if a.get("id") == "crit-data" else "script"
            if self._in == "data":
                self.data_attrs = a
            else:
                self.scripts.append("")
        if tag == "table":
            self._table = a
        if tag == "td" and self._table is not None:
            cls = self._table.get("class")
            if cls == "counts" and "data-value" in a:
                key = (int(self._table["data-pack"]), self._table["data-result"])
                self.counts.setdefault(key, {})[a["data-value"]] = None
                self._pending = (key, a["data-value"])
            if cls == "matrix" and "data-n" in a:
                self.matrix.setdefault(self._table["data-result"], {})[(a["data-a"], a["data-b"])] = int(a["data-n"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._in == "data":
            self.data_text += data
        elif self._in == "script":
            self.scripts[-1] += data
        elif getattr(self, "_pending", None):
            key, value = self._pending
            self.counts[key][value] = int(data)
            self._pending = None

    def data(self):
        if (self.data_attrs or {}).get("data-encoding") == "gzip+base64":
            return json.loads(gzip.decompress(base64.b64decode(self.data_text)).decode())
        return json.loads(self.data_text)
