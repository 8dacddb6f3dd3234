"""The SQL store: connections, migrations, loading documents and reading tables back."""
from casedb.store.engine import (
    connect, current_revision, downgrade, ensure_schema, head_revision, resolve_url, upgrade,
)

__all__ = ["connect", "current_revision", "downgrade", "ensure_schema", "head_revision", "resolve_url",
           "upgrade"]
