"""crit's exceptions. Each carries the diagnostics crit reported (crit.Diagnostic objects:
severity, code, file, line, column, message, rendered); ``code``, ``file`` and ``line`` are
those of the first error, so ``except crit.CompileError as e: e.line`` points at it."""


class CritError(Exception):
    kind = "error"

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)
        first = next((d for d in self.diagnostics if d.severity == "error"), None)
        self.code = first.code if first else None
        self.file = first.file if first else None
        self.line = first.line if first else None
        self.column = first.column if first else None


class CompileError(CritError):
    """The rule pack does not compile (crit check would exit 1)."""
    kind = "rules"


class DataError(CritError):
    """The data cannot be read, wholly or in part (crit run would exit 2). ``partial`` holds
    what was evaluated from the readable part (a DataFrame, or None)."""
    kind = "data"
    partial = None


class UsageError(CritError, ValueError):
    """A bad argument, such as an as-of date that is not YYYY-MM-DD."""
    kind = "usage"


_BY_KIND = {c.kind: c for c in (CompileError, DataError, UsageError)}


def from_crit(kind, message, diagnostics):
    """The exception for a crit::api::Error (called by the C++ binding)."""
    return _BY_KIND.get(kind, CritError)(message, diagnostics)
