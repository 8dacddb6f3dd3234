"""The SQL store: connections, migrations, loading documents and reading tables back."""
from casedb.store.engine import (
    connect, current_revision, downgrade, ensure_schema, head_revision, resolve_url, upgrade,
)
from casedb.store.frames import frames, table_counts
from casedb.store.loading import RunSummary, iter_files, load, reparse

__all__ = ["RunSummary", "connect", "current_revision", "downgrade", "ensure_schema", "frames", "head_revision",
           "iter_files", "load", "reparse", "resolve_url", "table_counts", "upgrade"]
