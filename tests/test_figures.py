"""The notebooks' figures on a realistic database (issue 17): the dev set plus the 869-case
Shijiazhuang .doc, about 1,150 cases from 56 cities and four years.

Every PNG stays within ``plots.MAX_PIXELS`` on each side and no glyph is missing; each epidemic
curve shows its city's outbreak and nothing beyond it.
"""
from __future__ import annotations

import shutil

import matplotlib
import pandas as pd
import pytest
from PIL import Image

from casedb import analysis
from casedb.analysis import plots
from casedb.store import load
from tests.shared_data import DEVSET, require, require_shijiazhuang_doc
from tests.test_notebooks import FIGURES, all_notebooks_in_one, run_notebook

matplotlib.use("Agg")



@pytest.fixture(scope="module")
def realistic_url(tmp_path_factory) -> str:
    """The dev-set notices (their header lines removed) and the Shijiazhuang .doc in one SQLite file."""
    require(DEVSET)
    doc = require_shijiazhuang_doc()
    folder = tmp_path_factory.mktemp("realistic")
    notices = folder / "notices"
    notices.mkdir()
    for path in sorted(DEVSET.glob("*.txt")):
        (notices / path.name).write_text(path.read_text(encoding="utf-8").split("\n\n", 1)[-1], encoding="utf-8")
    shutil.copy(doc, notices / doc.name)
    url = f"sqlite:///{folder / 'casedb.sqlite'}"
    summary = load([notices], url)
    assert summary.files_failed == 0
    assert summary.rows.cases > 1000
    return url


@pytest.fixture(scope="module")
def engine(realistic_url):
    engine = analysis.connect(realistic_url)
    yield engine
    engine.dispose()


def test_every_notebook_figure_fits_and_has_every_glyph(realistic_url, tmp_path, monkeypatch):
    notebook = all_notebooks_in_one()
    run_notebook(notebook, realistic_url, tmp_path, monkeypatch)
    saved = sorted((tmp_path / "figures").glob("*.png"))
    assert [path.stem for path in saved] == sorted(name for names in FIGURES.values() for name in names)
    for path in saved:
        with Image.open(path) as image:
            width, height = image.size
        assert width <= plots.MAX_PIXELS and height <= plots.MAX_PIXELS, (path.name, width, height)
    errors = "\n".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
                       if output.get("name") == "stderr")
    if plots.use_cjk_font() is not None:           # without a CJK font casedb says so once, by design
        assert "missing from font" not in errors, errors


def test_epi_curves_show_each_city_over_its_own_outbreak_only(engine):
    dated = analysis.case_dates(engine)
    table = analysis.outbreaks(engine)
    figure = plots.plot_epi_curves(dated, top=6)
    panels = [ax for ax in figure.axes if hasattr(ax, "outbreak")]
    assert len(panels) == 6
    largest = table[table["outbreak"] == 1].set_index("city")
    assert largest.index[0] == "石家庄市" and largest.loc["石家庄市", "cases"] > 700
    for ax in panels:
        city = ax.get_title().split(":")[0]
        first, last = largest.loc[city, "first"], largest.loc[city, "last"]
        assert ax.outbreak == (first, last)
        low, high = (matplotlib.dates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
        allowed_low, allowed_high = plots.curve_limits(first, last)
        assert allowed_low <= low and high <= allowed_high, (city, low, high, first, last)
        assert (pd.Timestamp(high) - pd.Timestamp(low)).days <= max(plots.MIN_CURVE_DAYS, (last - first).days + 2)
        bars = [patch.get_x() for patch in ax.patches]
        assert bars and all(low.timestamp() <= matplotlib.dates.num2date(x).timestamp() <= high.timestamp()
                            for x in bars)
        others = dated[(dated["city"] == city) & (dated["outbreak"] != 1).fillna(True)]
        if len(others):
            assert "not drawn" in ax.get_xlabel()
    beijing = next(ax for ax in panels if ax.get_title().startswith("北京市"))
    assert "2023-10-08" in beijing.get_xlabel()                  # a later outbreak, named, not drawn
    matplotlib.pyplot.close(figure)


def test_onset_curves_show_each_city_over_its_own_onset_outbreak(engine):
    """The same figure by day of first symptoms: whatever number of cases have an onset date (none, before
    the grammar read them), each panel is a city's largest onset outbreak and nothing beyond it."""
    dated = analysis.case_dates(engine, date="onset_date", include_undated=True)
    table = analysis.outbreaks(engine, date="onset_date")
    figure = plots.plot_epi_curves(dated, top=6, date_label="onset date")
    panels = [ax for ax in figure.axes if hasattr(ax, "outbreak")]
    largest = table[table["outbreak"] == 1].set_index("city")
    assert len(panels) == min(6, int((largest["cases"] >= 3).sum()))
    if not panels:
        assert figure.axes[0].get_title() == "no outbreak of 3 or more cases with an onset date"
    undated = dated[dated["date"].isna()]["city"].value_counts()
    for ax in panels:
        city = ax.get_title().split(":")[0]
        first, last = largest.loc[city, "first"], largest.loc[city, "last"]
        assert ax.outbreak == (first, last) and ax.get_title().startswith(f"{city}: {largest.loc[city, 'cases']} cases")
        low, high = (matplotlib.dates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
        allowed_low, allowed_high = plots.curve_limits(first, last)
        assert allowed_low <= low and high <= allowed_high, (city, low, high, first, last)
        bars = [patch.get_x() for patch in ax.patches]
        assert bars and all(low.timestamp() <= matplotlib.dates.num2date(x).timestamp() <= high.timestamp()
                            for x in bars)
        assert sum(patch.get_height() for patch in ax.patches) == largest.loc[city, "cases"]
        if undated.get(city, 0):
            assert "without an onset date" in ax.get_xlabel()
    matplotlib.pyplot.close(figure)


def test_the_largest_cluster_is_drawn_with_places_as_nodes(engine):
    graph = analysis.transmission_graph(engine)
    table = analysis.clusters(graph)
    members = table["case_ids"].iloc[0]
    assert len(members) > 100
    view, notes = plots.cluster_view(graph, members)
    cases = [node for node, kind in view.nodes(data="kind") if kind == "case"]
    assert len(cases) == len(members) and not notes
    simple = graph.subgraph(members)
    assert view.number_of_edges() < simple.number_of_edges()     # co-location cliques became stars
    capped, notes = plots.cluster_view(graph, members, max_cases=50)
    assert sum(kind == "case" for _, kind in capped.nodes(data="kind")) == 50
    assert notes == [f"the 50 of {len(members)} cases with most links drawn"]
