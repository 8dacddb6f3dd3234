"""Every notebook in notebooks/ runs without error (jupytext → nbclient) and saves its figures."""
from __future__ import annotations

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from casedb import store
from casedb.store.models import Base
from tests.analysis_db import build_demo_db

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.py"))
#: The figures each notebook must save (figures/<name>.png) on a database with data.
FIGURES = {
    "01_overview": ["01_epi_curve", "01_field_completeness"],
    "02_trajectories": ["02_trajectories"],
    "03_transmission": ["03_transmission_graph"],
    "04_places": ["04_place_day_heatmap"],
}


def run_notebook(notebook, url: str, workdir: Path, monkeypatch) -> None:
    """Execute ``notebook`` in a fresh kernel against ``url``; raises on the first failing cell."""
    monkeypatch.setenv("CASEDB_URL", url)
    monkeypatch.setenv("CASEDB_FIGURES", str(workdir / "figures"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(workdir)}}).execute()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "casedb.sqlite"
    engine = store.connect(str(path))
    build_demo_db(engine)
    engine.dispose()
    return f"sqlite:///{path}"


def test_every_notebook_is_tested():
    assert [path.stem for path in NOTEBOOKS] == sorted(FIGURES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_and_saves_its_figures(path, demo_url, tmp_path, monkeypatch):
    run_notebook(jupytext.read(path), demo_url, tmp_path, monkeypatch)
    saved = sorted(figure.stem for figure in (tmp_path / "figures").glob("*.png"))
    assert saved == FIGURES[path.stem]


def test_notebooks_run_on_an_empty_database(tmp_path, monkeypatch):
    """All notebooks' cells in one kernel (one start-up instead of four)."""
    engine = store.connect(str(tmp_path / "empty.sqlite"))
    Base.metadata.create_all(engine)
    engine.dispose()
    combined = jupytext.read(NOTEBOOKS[0])
    combined.cells = [cell for path in NOTEBOOKS for cell in jupytext.read(path).cells]
    run_notebook(combined, f"sqlite:///{tmp_path / 'empty.sqlite'}", tmp_path, monkeypatch)
