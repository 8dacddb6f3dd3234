"""Issue 19, finding 8: PARSER_VERSION follows the parser's source, so ``casedb reparse`` sees every parser change
(it had stayed 0.1.0 through more than 100 of them, and reparse re-parsed nothing)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import casedb
from casedb import PARSER_VERSION, parser_version

PACKAGE = Path(casedb.__file__).resolve().parent
REPOSITORY = PACKAGE.parent
SEEDS = REPOSITORY / "seeds"
PARSER_FILES = sorted({path.relative_to(PACKAGE).as_posix() for pattern in casedb.PARSER_SOURCES
                       for path in PACKAGE.glob(pattern)})
OTHER_FILES = ["cli.py", "export.py", "store/loading.py", "store/write.py", "analysis/__init__.py", "pseudonymise.py"]


def test_the_version_is_a_hash_of_the_parser_sources():
    assert re.fullmatch(rf"{re.escape(casedb.__version__)}\+[0-9a-f]{{12}}", PARSER_VERSION)
    assert PARSER_VERSION == parser_version(str(PACKAGE))
    for name in ("grammar/trajectory.py", "grammar/dates.py", "parse.py", "persons.py", "notices.py", "places.py",
                 "read.py"):
        assert name in PARSER_FILES


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("package") / "casedb"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(PARSER_FILES), other=st.sampled_from(OTHER_FILES), edit=st.binary(min_size=1, max_size=8))
def test_any_edit_of_a_parser_file_changes_the_version_and_no_other_file_does(package_copy, name, other, edit):
    before = parser_version(str(package_copy))
    assert before == PARSER_VERSION
    for changed, should_change in ((name, True), (other, False)):
        path = package_copy / changed
        original = path.read_bytes()
        try:
            path.write_bytes(original + edit)
            assert (parser_version(str(package_copy)) != before) is should_change
        finally:
            path.write_bytes(original)
    assert parser_version(str(package_copy)) == before


def test_reparse_re_parses_after_a_parser_change(tmp_path):
    """End to end on a copy of the package: load, change a grammar file, reparse re-parses every document;
    a second reparse finds nothing left to do."""
    root = tmp_path / "site"
    shutil.copytree(PACKAGE, root / "casedb", ignore=shutil.ignore_patterns("__pycache__"))
    if not (root / "casedb" / "migrations").exists():   # the source tree's migrations/ (casedb.migrations)
        shutil.copytree(REPOSITORY / "migrations", root / "migrations", ignore=shutil.ignore_patterns("__pycache__"))
    database = tmp_path / "casedb.sqlite"
    environment = {**os.environ, "PYTHONPATH": str(root)}

    def casedb_command(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "casedb", *args, "--db", str(database)], cwd=tmp_path,
                                env=environment, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "5 new" in casedb_command("load", str(SEEDS), "--quiet", "--workers", "1")
    assert "0 documents (0 re-parsed" in casedb_command("reparse", "--quiet", "--workers", "1")
    with open(root / "casedb" / "grammar" / "dates.py", "a", encoding="utf-8") as file:
        file.write("\n# a parser change\n")
    # a change that gives the same rows: re-parsed, and the rows kept
    assert ("5 documents (5 re-parsed: 0 with new rows, 5 with the rows stored; 0 failed)"
            in casedb_command("reparse", "--quiet", "--workers", "1"))
    assert "0 documents (0 re-parsed" in casedb_command("reparse", "--quiet", "--workers", "1")
