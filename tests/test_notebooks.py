"""Every notebook in notebooks/ runs without error (jupytext → nbclient) and saves its figures."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from casedb import analysis, store
from tests.analysis_db import build_demo_db

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
#: The figures each notebook must save (figures/<name>.png) on a database with data (epidemic
#: curves by onset too once the schema has onset dates).
FIGURES = {
    "01_overview": sorted(["01_epi_curve", "01_field_completeness"]
                          + ["01_epi_curve_onset"] * ("onset_date" in analysis.date_fields())),
    "02_trajectories": ["02_trajectories"],
    "03_transmission": ["03_clusters", "03_largest_cluster"],
    "04_places": ["04_place_day_heatmap"],
}


def run_notebook(notebook, url: str, workdir: Path, monkeypatch) -> None:
    """Execute ``notebook`` in a fresh kernel against ``url``; raises on the first failing cell."""
    monkeypatch.setenv("CASEDB_URL", url)
    monkeypatch.setenv("CASEDB_FIGURES", str(workdir / "figures"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()


def saved_figures(workdir: Path) -> list[str]:
    return sorted(figure.stem for figure in (workdir / "figures").glob("*.png"))


def all_notebooks_in_one():
    """Every notebook's cells in one notebook: one kernel start-up instead of four."""
    combined = jupytext.read(NOTEBOOKS[0])
    combined.cells = [cell for path in NOTEBOOKS for cell in jupytext.read(path).cells]
    return combined


@pytest.fixture(scope="module")
def loaded_url(tmp_path_factory) -> str:
    """A SQLite database made by ``casedb load`` from seeds/ and tests/fixtures/."""
    path = tmp_path_factory.mktemp("loaded") / "casedb.sqlite"
    subprocess.run([sys.executable, "-m", "casedb", "load", "--quiet", "--db", str(path),
                    str(ROOT / "seeds"), str(ROOT / "tests" / "fixtures")], check=True, timeout=600)
    return f"sqlite:///{path}"


def test_every_notebook_is_tested():
    assert [path.stem for path in NOTEBOOKS] == sorted(FIGURES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_on_loaded_notices_and_saves_its_figures(path, loaded_url, tmp_path,
                                                               monkeypatch):
    run_notebook(jupytext.read(path), loaded_url, tmp_path, monkeypatch)
    assert saved_figures(tmp_path) == FIGURES[path.stem]


def test_notebooks_run_on_a_hand_built_database(db_url, tmp_path, monkeypatch):
    """Relations, overlapping visits and rides that the fixture notices may not yield; on
    SQLite and on PostgreSQL."""
    engine = store.connect(db_url)
    build_demo_db(engine)
    engine.dispose()
    run_notebook(all_notebooks_in_one(), db_url, tmp_path, monkeypatch)
    assert saved_figures(tmp_path) == sorted(name for names in FIGURES.values() for name in names)


def test_notebooks_run_on_an_empty_database(tmp_path, monkeypatch):
    engine = store.connect(str(tmp_path / "empty.sqlite"))
    store.upgrade(engine)
    engine.dispose()
    run_notebook(all_notebooks_in_one(), f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path,
                 monkeypatch)
