"""Where the project's shared data lives: ``../shared`` beside the repository, never an absolute path.

A test that needs it calls :func:`require`. Without the data it is skipped with the reason, except under
CI (``CI=true``), where the data is always laid beside the clone and a skip would hide a regression:
there the test fails instead.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEVSET = SHARED / "devset"
SCORER = SHARED / "eval" / "score.py"
#: The 869 Shijiazhuang cases in one Word 97 file (read with antiword).
SHIJIAZHUANG_DOC = SHARED / "reference" / "Data-Mining-Shijiazhuang" / "shijiazhuang_cases_869.doc"


def _missing(reason: str) -> None:
    """Skip the test, or fail it under CI, where everything it needs is installed."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason + " (CI=true: the shared data and the packages of .ci/run must be there)")
    pytest.skip(reason)


def require(path: Path) -> Path:
    """``path`` if it exists; else skip (a failure under CI)."""
    if not path.exists():
        _missing(f"shared data not found: {path}")
    return path


def require_shijiazhuang_doc() -> Path:
    """The Shijiazhuang .doc, when it and antiword (which reads it) are there; else skip (a failure under CI)."""
    require(SHIJIAZHUANG_DOC)
    if shutil.which("antiword") is None:
        _missing("antiword is not installed (apt-get install antiword): the Shijiazhuang .doc cannot be read")
    return SHIJIAZHUANG_DOC
