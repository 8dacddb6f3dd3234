"""casedb as a user installs it: a wheel built with ``python -m build``, installed in a fresh venv,
run from a folder outside the repository.

Offline: the build uses this venv's setuptools (no build isolation), pip installs the one wheel
with ``--no-index --no-deps``, and the new venv reaches casedb's dependencies through a .pth file
naming this venv's site-packages (a path line in a .pth file adds that folder only: its own .pth
files, among them the editable install's finder, are not run, so ``casedb`` comes from the wheel).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "shijiazhuang_001-010.txt"


def _run(args, cwd: Path, env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def _offline_env(**extra: str) -> dict:
    """The environment without anything that points into the repository or at a package index (but the test run's
    folder of compiled rules, tests/conftest.py)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "CASEDB_", "PYTHON", "VIRTUAL_ENV")) or key == "CASEDB_CACHE_DIR"}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", MPLBACKEND="Agg", **extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, a working folder outside the repository, environment)."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = _offline_env()
    # sdist, then the wheel built from that sdist: what a release uploads.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", tmp / "dist", ROOT], cwd=tmp, env=env)
    wheels = list((tmp / "dist").glob("casedb-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=env)
    purelib = Path(_run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=tmp, env=env).stdout.strip())
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (purelib / "casedb_test_dependencies.pth").write_text("".join(f"{path}\n" for path in ours))
    _run([venv / "bin" / "python", "-m", "pip", "install", "--no-index", "--no-deps", "--no-build-isolation",
          "--quiet", wheels[0]], cwd=tmp, env=env)
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return venv / "bin", elsewhere, wheels[0], env


def test_the_wheel_carries_the_migrations_and_the_seed_pages(installed):
    wheel = installed[2]
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = {name.rpartition("/")[2] for name in names if name.startswith("casedb/migrations/versions/")}
    assert migrations == {path.name for path in (ROOT / "migrations" / "versions").glob("*.py")}
    assert {"casedb/migrations/env.py", "casedb/migrations/script.py.mako"} <= names
    assert {f"casedb/seeds/{path.name}" for path in (ROOT / "seeds").glob("*.txt")} <= names
    assert "casedb/data/divisions.csv.gz" in names
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "migrations/"))]


def test_casedb_comes_from_the_wheel(installed):
    bin_dir, elsewhere, _, env = installed
    where = _run([bin_dir / "python", "-c", "import casedb, casedb.resources as r; "
                  "print(casedb.__file__); print(r.migrations_dir()); print(r.seeds_dir())"],
                 cwd=elsewhere, env=env).stdout.split()
    venv = bin_dir.parent
    assert all(Path(path).is_relative_to(venv) for path in where), where


def test_demo_prints_the_four_taiyuan_cases(installed):
    bin_dir, elsewhere, _, env = installed
    result = _run([bin_dir / "casedb", "demo", "--db", elsewhere / "x.sqlite"], cwd=elsewhere, env=env)
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("太原市")]
    assert [row[1] for row in rows] == ["病例48", "病例49", "病例50", "病例51"], result.stdout
    assert "5 files (5 new" in result.stdout


def test_db_upgrade_and_load_a_folder(installed):
    bin_dir, elsewhere, _, env = installed
    db = elsewhere / "loaded.sqlite"
    result = _run([bin_dir / "casedb", "db", "upgrade", "--db", db], cwd=elsewhere, env=env)
    head = max(path.name[:4] for path in (ROOT / "migrations" / "versions").glob("[0-9]*.py"))
    assert result.stdout.strip() == f"schema at revision {head}"
    notices = elsewhere / "notices"
    notices.mkdir()
    shutil.copy(FIXTURE, notices)
    result = _run([bin_dir / "casedb", "load", notices, "--db", db], cwd=elsewhere, env=env)
    cases = re.search(r"wrote \d+ notices, (\d+) cases", result.stdout)
    assert cases and int(cases.group(1)) > 0, result.stdout
    assert _run([bin_dir / "casedb", "db", "current", "--db", db], cwd=elsewhere, env=env).stdout.startswith(head)


def test_the_notebooks_run_on_the_installed_library(installed):
    """Every notebook (a jupytext percent script, plain Python) on the demo database."""
    bin_dir, elsewhere, _, env = installed
    db = elsewhere / "notebooks.sqlite"
    _run([bin_dir / "casedb", "demo", "--db", db], cwd=elsewhere, env=env)
    script = elsewhere / "notebooks.py"
    script.write_text("\n\n".join(path.read_text(encoding="utf-8")
                                  for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))), encoding="utf-8")
    figures = elsewhere / "figures"
    _run([bin_dir / "python", script], cwd=elsewhere,
         env={**env, "CASEDB_URL": f"sqlite:///{db}", "CASEDB_FIGURES": str(figures)})
    assert len(list(figures.glob("*.png"))) >= 4
