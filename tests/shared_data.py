"""Where the project's shared data lives: ``../shared`` beside the repository, never an absolute path.

A test that needs it calls :func:`require`. Without the data it is skipped with the reason, except under
CI (``CI=true``), where the data is always laid beside the clone and a skip would hide a regression:
there the test fails instead.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEVSET = SHARED / "devset"
SCORER = SHARED / "eval" / "score.py"


def require(path: Path) -> Path:
    """``path`` if it exists; else skip (a failure under CI)."""
    if not path.exists():
        reason = f"shared data not found: {path}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason + " (CI=true: the shared data must be beside the clone)")
        pytest.skip(reason)
    return path
