"""Run in a parse worker by ``tests/test_load_processes.py``: what a worker imported and how it is set up.
(A module of its own: importing the test module in the worker would import SQLAlchemy itself.)"""
from __future__ import annotations

import gc
import hashlib
import os
import sys
from pathlib import Path

from casedb.store.worker import Input, default_parser, read_and_parse, work_chunk


def parse_and_report(path: str) -> dict:
    data = Path(path).read_bytes()
    [parsed] = work_chunk(read_and_parse, [(Input.file(path), data, hashlib.sha256(data).hexdigest())], default_parser)
    return {"cases": len(parsed.rows.cases) if parsed.rows else 0, "error": parsed.error,
            "sql_modules": sorted(name for name in sys.modules if name.split(".")[0] in ("sqlalchemy", "alembic", "psycopg")),
            "young_objects_per_collection": gc.get_threshold()[0], "frozen_objects": gc.get_freeze_count(),
            "parent": os.getppid()}


def tables_before_a_parse() -> dict:
    """Whether the tables a parse loads on first use were there before this worker parsed anything."""
    from casedb import places, read
    from casedb.store import parsed

    return {"rows_module": "casedb.store.rows" in sys.modules, "divisions": places._table.cache_info().currsize,
            "simplified_gate": read._t2s_changes.cache_info().currsize,
            "rows_digest_start": parsed._rows_digest_start.cache_info().currsize}


def surroundings() -> dict:
    return {"probe": os.environ.get("CASEDB_PROBE"), "url": os.environ.get("CASEDB_URL"), "directory": os.getcwd(),
            "path": list(sys.path)}
