"""read → parse for one file, and the JSON contract of ``casedb extract`` (../shared/eval/README.md)."""
from __future__ import annotations

from casedb.records import Extraction, Notice


def extract_file(path) -> Extraction:
    """Read a file and parse every notice in it."""
    raise NotImplementedError


def to_contract(notices: list[Notice]) -> dict:
    """The ``{"notices": [...]}`` JSON object of the extraction contract."""
    raise NotImplementedError


def format_table(notices: list[Notice]) -> str:
    """A human-readable table of notices, cases and visits."""
    raise NotImplementedError
