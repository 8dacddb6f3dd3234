"""Folders that ship inside the casedb package: the alembic migrations and the demo's seed pages.

In the repository they are the top-level ``migrations/`` and ``seeds/`` folders; ``setup.py`` maps
them to the packages ``casedb.migrations`` and ``casedb.seeds``, so a wheel carries them inside
``casedb/`` and an editable install finds them where they are. Code finds them through the package
(importlib.resources), never by a path relative to this file.
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path

_SOURCE_TREE = Path(__file__).resolve().parents[1]


def package_folder(package: str) -> Path:
    """The folder of ``package`` (``casedb.migrations`` or ``casedb.seeds``) on the file system.

    An editable install made before these folders became packages does not know them: then the
    source tree's folder is used, when it is there.
    """
    try:
        return Path(str(importlib.resources.files(package)))
    except ModuleNotFoundError:
        folder = _SOURCE_TREE / package.rpartition(".")[2]
        if (folder / "__init__.py").exists():
            return folder
        raise RuntimeError(f"{package} is not installed: reinstall casedb (pip install .)") from None


def migrations_dir() -> Path:
    """The alembic script folder (env.py, versions/)."""
    return package_folder("casedb.migrations")


def seeds_dir() -> Path:
    """The bundled newspaper pages that ``casedb demo`` loads."""
    return package_folder("casedb.seeds")
