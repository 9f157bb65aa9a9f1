"""crit from Python: compile a rule pack, run it over patient data into pandas tables,
explain a patient. docs/python.md walks through it.

    import crit
    pack = crit.compile("rules/cll/iwcll-2018.crit")
    df = pack.run(["examples/cll"], threads=2)     # one row per patient, a column per result
    iv = pack.intervals(["examples/cll"])          # patient, criterion, from, to, state
    why = pack.explain("p-002")                    # what decided each result, with the records
"""
import json as _json
import os as _os

from . import _crit
from .errors import CompileError, CritError, DataError, UsageError

Diagnostic = _crit.Diagnostic

__all__ = ["compile", "compile_text", "Pack", "Diagnostic", "CritError", "CompileError", "DataError", "UsageError"]


def _paths(data):
    if isinstance(data, (str, _os.PathLike)):
        data = [data]
    return [_os.fspath(p) for p in data]


def _as_of(as_of):
    if as_of is None:
        return None
    if hasattr(as_of, "strftime"):  # date, datetime, pandas Timestamp
        return as_of.strftime("%Y-%m-%d")
    return str(as_of)


class Pack:
    """A compiled rule pack. Immutable; its runs release the GIL and use ``threads`` threads."""

    def __init__(self, compiled, recipe):
        self._pack = compiled
        self._recipe = recipe  # (function, args) that compile it again, in another process
        self._last_data = None
        self.report = None  # what reading the data reported on the last run (a dict)

    # Workers of a Dask cluster get the path and compile the pack themselves (crit.dask).
    def __reduce__(self):
        return self._recipe

    path = property(lambda self: self._pack.path)
    name = property(lambda self: self._pack.name)
    version = property(lambda self: self._pack.version)
    sha256 = property(lambda self: self._pack.sha256)
    results = property(lambda self: list(self._pack.result_names))
    criteria = property(lambda self: list(self._pack.criterion_names))

    def __repr__(self):
        return f"<crit.Pack {self.name} {self.version} ({self.path})>"

    def check(self):
        """The compiler's diagnostics (warnings and notes; a pack with errors does not compile)."""
        return list(self._pack.diagnostics)

    def _call(self, fn, data, as_of, threads):
        paths = _paths(data)
        payload, report = fn(paths, _as_of(as_of), int(threads))
        self._last_data = paths
        self.report = report
        return payload, report

    @staticmethod
    def _raise_data_errors(report, partial):
        if report["data_errors"]:
            diags = [d for d in report["diagnostics"] if d.severity == "error"]
            err = DataError(diags[0].rendered if diags else "the data could not be read", diags)
            err.partial = partial
            raise err

    def run(self, data, as_of=None, threads=1):
        """One row per patient (input order): patient, as_of, then a column per result.
        Labels are text, truths booleans, dates datetime64; a result without a value is
        missing. Raises DataError when a file cannot be read (``e.partial`` has the rest)."""
        import pandas as pd
        cols, report = self._call(self._pack._table, data, as_of, threads)
        df = pd.DataFrame(cols, columns=["patient", "as_of"] + self.results)
        kinds = report.pop("kinds")
        df["as_of"] = pd.to_datetime(df["as_of"])
        for name in self.results:
            if kinds.get(name) == "date":
                df[name] = pd.to_datetime(df[name])
            elif kinds.get(name) == "boolean":
                df[name] = df[name].astype("boolean")
        df.attrs["ruleset"] = {"name": self.name, "version": self.version, "sha256": self.sha256}
        self._raise_data_errors(report, df)
        return df

    def intervals(self, data, as_of=None, threads=1):
        """The long table of criteria intervals: patient, criterion, from, to (both days
        included) and state (met | unknown); days not listed are not met."""
        import pandas as pd
        cols, report = self._call(self._pack._intervals, data, as_of, threads)
        df = pd.DataFrame(cols, columns=["patient", "criterion", "from", "to", "state"])
        df["from"] = pd.to_datetime(df["from"])
        df["to"] = pd.to_datetime(df["to"])
        self._raise_data_errors(report, df)
        return df

    def json_lines(self, data, as_of=None, threads=1):
        """`crit run`'s output for ``data``: (patient, line) pairs in input order; the
        summary line is ``self.report["summary_line"]``."""
        lines, report = self._call(self._pack._lines, data, as_of, threads)
        self._raise_data_errors(report, None)
        return lines

    def explain(self, patient, data=None, as_of=None):
        """Why ``patient`` got each result: ``crit explain --format json`` as a dict
        (``results``: per result its value, what decided it, and for a category why each
        better-ranked one failed, with the records), plus ``text``, the full explanation.
        ``data`` defaults to the data of the last run."""
        if data is None:
            if self._last_data is None:
                raise UsageError("explain: no data given and no run before to take it from")
            data = self._last_data
        found, values, text, as_json = self._pack._explain(_paths(data), str(patient), _as_of(as_of))
        if not found:
            raise DataError(f"no patient `{patient}` in the data")
        out = _json.loads(as_json)
        out["values"] = values
        out["text"] = text
        return out



def compile(path, bindings=None, allow_bindings=()):
    """Compiles a rule file. Raises CompileError (with .code, .file, .line and every
    diagnostic) when it has errors; warnings are in ``pack.check()``."""
    compiled = _crit.Pack.compile(_os.fspath(path), bindings or "", list(allow_bindings))
    return Pack(compiled, (compile, (_os.fspath(path), bindings, list(allow_bindings))))


def compile_text(text, name="<text>", bindings=None):
    """Compiles rules given as text (``name`` stands for the file in diagnostics)."""
    compiled = _crit.Pack.compile_text(name, text, bindings or "")
    return Pack(compiled, (compile_text, (text, name, bindings)))
