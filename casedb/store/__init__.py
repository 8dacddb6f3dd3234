"""The SQL store: connections, migrations, loading documents and reading tables back.

Its names are imported on first use, so that a parse worker (:mod:`casedb.store.worker`) imports no SQL.
"""
from __future__ import annotations

import importlib

_WHERE = {
    "connect": "engine", "current_revision": "engine", "downgrade": "engine", "ensure_schema": "engine",
    "head_revision": "engine", "resolve_url": "inputs", "upgrade": "engine",
    "frames": "dataframes", "table_counts": "dataframes",
    "RunSummary": "loading", "iter_files": "inputs", "load": "loading", "reparse": "loading",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"casedb.store.{_WHERE[name]}"), name)
