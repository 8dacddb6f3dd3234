"""Errors shown to users as one line: ``<file>: <reason>``."""


class CasedbError(Exception):
    """Base class; ``str(err)`` is a complete one-line message."""


class InputError(CasedbError):
    """A file that cannot be read as a notice text (empty, binary, unknown encoding, too large…)."""

    def __init__(self, source: str, reason: str):
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")


class UnusableDatabase(CasedbError, ValueError):
    """A database URL casedb cannot work with (e.g. an in-memory SQLite database)."""


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM); a BaseException, so that no ``except Exception`` swallows it."""
