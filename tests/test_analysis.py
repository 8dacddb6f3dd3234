"""casedb.analysis on small hand-built databases with known answers (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import matplotlib
import pandas as pd
import pytest
from sqlalchemy import text

from casedb import analysis, store
from casedb.analysis import plots
from tests.analysis_db import DbBuilder

matplotlib.use("Agg")

D1, D2, D3 = dt.date(2022, 4, 2), dt.date(2022, 4, 3), dt.date(2022, 4, 5)



@pytest.fixture
def notice(db):
    return db.notice()


def pairs_of(frame):
    return sorted(zip(frame["case_a_id"], frame["case_b_id"]))


# --- co-locations ----------------------------------------------------------------------------

def test_two_cases_same_place_same_day_make_exactly_one_pair(db, notice):
    tea = db.place("茂业天地喜茶店", district="小店区")
    first, second = db.case(notice, "病例1"), db.case(notice, "病例2")
    db.visit(second, tea, D1, "20:00")
    db.visit(first, tea, D1, "20:30")
    met = analysis.co_locations(db.engine)
    assert len(met) == 1
    row = met.iloc[0]
    assert (row.case_a_id, row.case_b_id) == (first, second)
    assert (row.case_a, row.case_b) == ("病例1", "病例2")
    assert (row.place, row.district, row.city) == ("茂业天地喜茶店", "小店区", "太原市")
    assert row.date == pd.Timestamp(D1)
    assert row.a_start == pd.Timestamp("2022-04-02 20:30")
    assert row.b_start == pd.Timestamp("2022-04-02 20:00")


def test_different_days_or_places_make_no_pair(db, notice):
    tea, market = db.place("喜茶店"), db.place("美特好超市")
    first, second, third = (db.case(notice, f"病例{n}") for n in (1, 2, 3))
    db.visit(first, tea, D1)
    db.visit(second, tea, D2)
    db.visit(third, market, D1)
    assert analysis.co_locations(db.engine).empty


def test_each_unordered_pair_once_per_place_and_day(db, notice):
    tea, market = db.place("喜茶店"), db.place("美特好超市")
    first, second, third = (db.case(notice, f"病例{n}") for n in (1, 2, 3))
    for case_id in (first, second, third):
        db.visit(case_id, tea, D1, "10:00", "11:00")
    db.visit(first, tea, D1, "18:00")            # came back the same evening
    db.visit(first, market, D2)
    db.visit(second, market, D2)
    met = analysis.co_locations(db.engine)
    assert pairs_of(met) == [(first, second), (first, second), (first, third), (second, third)]
    evening = met[(met.case_a_id == first) & (met.case_b_id == second) & (met.place_id == tea)]
    assert len(evening) == 1
    assert evening.iloc[0].a_start == pd.Timestamp("2022-04-02 10:00")


def test_merged_pair_overlaps_if_any_visit_pair_does_else_unknown_beats_no(db, notice):
    tea = db.place("喜茶店")
    first, second, third = (db.case(notice, f"病例{n}") for n in (1, 2, 3))
    db.visit(first, tea, D1, "10:00", "11:00")
    db.visit(first, tea, D1)                     # same day again, no time
    db.visit(second, tea, D1, "10:30")           # overlaps the first visit
    db.visit(third, tea, D1, "20:00")            # overlaps neither timed visit
    met = analysis.co_locations(db.engine).set_index(["case_a_id", "case_b_id"])["overlap"]
    assert len(met) == 3
    assert met[(first, second)]
    assert pd.isna(met[(first, third)])
    assert not met[(second, third)]


def test_unattributed_and_home_visits_are_not_co_locations(db, notice):
    tea = db.place("喜茶店")
    first, second = db.case(notice, "病例1"), db.case(notice, "病例2")
    db.visit(first, tea, D1)
    db.visit(None, tea, D1, notice_id=notice)
    db.visit(first, None, D1, kind="home")
    db.visit(second, None, D1, kind="home")
    assert analysis.co_locations(db.engine).empty


def test_overlap_flag_and_same_time_filter(db, notice):
    tea = db.place("喜茶店")
    early, overlapping, later, untimed, morning = (
        db.case(notice, f"病例{n}") for n in (1, 2, 3, 4, 5))
    db.visit(early, tea, D1, "10:00", "11:00")
    db.visit(overlapping, tea, D1, "10:30", "12:00")
    db.visit(later, tea, D1, "14:00")            # no end time: assumed one hour
    db.visit(untimed, tea, D1)
    db.visit(morning, tea, D1, part_of_day="上午")
    met = analysis.co_locations(db.engine).set_index(["case_a_id", "case_b_id"])["overlap"]
    assert met[(early, overlapping)]
    assert not met[(early, later)]
    assert not met[(overlapping, later)]
    assert pd.isna(met[(early, untimed)])
    assert met[(early, morning)]                 # 上午 = 08:00–12:00
    assert not met[(later, morning)]
    same_time = analysis.co_locations(db.engine, same_time=True)
    assert pairs_of(same_time) == sorted([(early, overlapping), (early, morning),
                                          (overlapping, morning)])
    assert same_time["overlap"].all()


def test_two_notices_cases_of_one_person_are_no_pair(db):
    tea = db.place("喜茶店")
    person = db.person(number=5)
    first_report = db.case(db.notice(), "病例5", person_id=person)
    second_report = db.case(db.notice(published=D3), "病例5", person_id=person)
    other = db.case(db.notice(), "病例6", person_id=db.person(number=6))
    for case_id in (first_report, second_report, other):
        db.visit(case_id, tea, D1)
    assert pairs_of(analysis.co_locations(db.engine)) == [(first_report, other),
                                                          (second_report, other)]


def test_co_location_filters(db):
    taiyuan, xian = db.notice(), db.notice(city="西安市")
    tea, wall = db.place("喜茶店"), db.place("城墙", city="西安市")
    t1, t2 = db.case(taiyuan, "病例1"), db.case(taiyuan, "病例2")
    x1, x2 = db.case(xian, "病例1"), db.case(xian, "病例2")
    for case_id in (t1, t2):
        db.visit(case_id, tea, D1)
        db.visit(case_id, tea, D3)
    for case_id in (x1, x2):
        db.visit(case_id, wall, D2)
    assert len(analysis.co_locations(db.engine)) == 3
    assert len(analysis.co_locations(db.engine, place_id=tea)) == 2
    assert len(analysis.co_locations(db.engine, place_id=tea, date_from=D2, date_to=D3)) == 1
    assert pairs_of(analysis.co_locations(db.engine, city="西安市")) == [(x1, x2)]


def test_co_location_query_uses_the_date_place_index(tmp_path):
    engine = store.connect(f"sqlite:///{tmp_path / 'plan.sqlite'}")
    DbBuilder(engine)
    query = analysis.co_location_query(place_id=1, date_from=D1, date_to=D3)
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    for side in ("a", "b"):
        assert f"SEARCH {side} USING INDEX ix_visits_date_place_id (date=? AND place_id=?)" in plan, plan
    assert "SEARCH visits USING COVERING INDEX ix_visits_date_place_id (date>? AND date<?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan   # the shared days are grouped in the index's order


# --- timelines -------------------------------------------------------------------------------

def test_case_timeline_is_in_order_with_plot_intervals(db, notice):
    tea, train = db.place("喜茶店"), db.place("D2424次列车")
    case_id = db.case(notice, "病例7")
    db.visit(case_id, tea, D2, "18:00", "19:00")
    db.visit(case_id, None, D1, kind="home", end_date=D1 + dt.timedelta(days=1))
    db.visit(case_id, train, D2, "09:00", "11:30", kind="transit", vehicle="D2424")
    db.visit(case_id, tea, D3, part_of_day="下午")
    db.visit(case_id, tea, D3 + dt.timedelta(days=1))
    timeline = analysis.case_timeline(db.engine, case_id)
    assert list(timeline["kind"]) == ["home", "transit", "visit", "visit", "visit"]
    assert list(timeline["begin"]) == [
        pd.Timestamp("2022-04-02"), pd.Timestamp("2022-04-03 09:00"),
        pd.Timestamp("2022-04-03 18:00"), pd.Timestamp("2022-04-05 12:00"),
        pd.Timestamp("2022-04-06")]
    assert list(timeline["finish"]) == [
        pd.Timestamp("2022-04-04"), pd.Timestamp("2022-04-03 11:30"),
        pd.Timestamp("2022-04-03 19:00"), pd.Timestamp("2022-04-05 18:00"),
        pd.Timestamp("2022-04-07")]
    assert timeline.iloc[1]["place"] == "D2424次列车"


def test_notice_timeline_orders_cases_by_number(db, notice):
    tea = db.place("喜茶店")
    later, earlier = db.case(notice, "病例10"), db.case(notice, "病例9")
    db.visit(later, tea, D1)
    db.visit(earlier, tea, D2)
    other_notice_case = db.case(db.notice(), "病例1")
    db.visit(other_notice_case, tea, D1)
    timeline = analysis.notice_timeline(db.engine, notice)
    assert list(timeline["case"]) == ["病例9", "病例10"]
    assert analysis.busiest_notice(db.engine) == notice


def test_plot_timelines_draws_one_bar_per_row(db, notice):
    tea = db.place("喜茶店")
    first, second = db.case(notice, "病例1"), db.case(notice, "病例2")
    db.visit(first, tea, D1, "10:00")
    db.visit(second, None, D1, kind="home")
    db.visit(second, tea, D2)
    ax = plots.plot_timelines(analysis.notice_timeline(db.engine, notice))
    assert len(ax.patches) == 3
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["病例1", "病例2"]


# --- transmission graph ----------------------------------------------------------------------

@pytest.fixture
def family_and_strangers(db, notice):
    """1–2 spouses, 3–4 close contacts, 2 and 3 met at a shop, 5 alone, 6 names an absent case."""
    ids = {n: db.case(notice, f"病例{n}", positive_date=dt.date(2022, 4, 10 + n)) for n in range(1, 7)}
    db.relation(ids[1], ids[2], "spouse")
    db.relation(ids[2], ids[1], "spouse")
    db.relation(ids[4], ids[3], "close_contact")
    db.relation(ids[6], None, "child", other_label="病例99")
    shop = db.place("美特好超市")
    db.visit(ids[2], shop, D1, "09:00")
    db.visit(ids[3], shop, D1, "15:00")
    return ids


def test_transmission_graph_nodes_and_typed_edges(db, family_and_strangers):
    ids = family_and_strangers
    graph = analysis.transmission_graph(db.engine)
    assert graph.number_of_nodes() == 6
    assert graph.nodes[ids[1]]["label"] == "病例1"
    assert graph.nodes[ids[1]]["positive_date"] == dt.date(2022, 4, 11)
    assert graph.nodes[ids[2]]["first_visit"] == D1
    assert graph.graph["unresolved_relations"] == 1
    kinds = sorted(kind for _, _, kind in graph.edges(data="kind"))
    assert kinds == ["close_contact", "co_location", "spouse"]   # the two spouse statements merge
    (edge,) = [data for _, _, data in graph.edges(data=True) if data["colocation"]]
    assert edge["places"] == ["美特好超市"] and edge["dates"] == [D1]
    without = analysis.transmission_graph(db.engine, include_colocation=False)
    assert sorted(kind for _, _, kind in without.edges(data="kind")) == ["close_contact", "spouse"]


def test_clusters_are_connected_components(db, family_and_strangers):
    ids = family_and_strangers
    joined = analysis.clusters(analysis.transmission_graph(db.engine))
    assert list(joined["size"]) == [4]
    row = joined.iloc[0]
    assert sorted(row.case_ids) == sorted(ids[n] for n in (1, 2, 3, 4))
    assert (row.relation_edges, row.colocation_edges) == (2, 1)
    assert row.places == "美特好超市"
    assert row.first_positive == pd.Timestamp("2022-04-11")
    assert row.last_positive == pd.Timestamp("2022-04-14")
    separate = analysis.clusters(analysis.transmission_graph(db.engine, include_colocation=False))
    assert list(separate["size"]) == [2, 2]
    assert list(separate["cluster"]) == [1, 2]
    assert separate.iloc[0].cases == "病例1、病例2"      # the earlier first positive date first
    everyone = analysis.clusters(analysis.transmission_graph(db.engine), min_size=1)
    assert list(everyone["size"]) == [4, 1, 1]


def test_cases_of_one_person_are_one_cluster_member(db):
    person = db.person(number=1)
    first_report = db.case(db.notice(), "病例1", person_id=person, positive_date=D1)
    second_report = db.case(db.notice(published=D3), "病例1", person_id=person)
    contact = db.case(db.notice(published=D3), "病例2")
    db.relation(contact, second_report, "close_contact")
    lonely = db.case(db.notice(), "病例3")
    graph = analysis.transmission_graph(db.engine)
    assert sorted(kind for _, _, kind in graph.edges(data="kind")) == ["close_contact", "same_person"]
    table = analysis.clusters(graph)
    assert table[["people", "size", "relation_edges"]].values.tolist() == [[2, 3, 1]]
    assert sorted(table.iloc[0].case_ids) == sorted([first_report, second_report, contact])
    assert table.iloc[0].first_positive == pd.Timestamp(D1)
    assert analysis.clusters(graph, min_size=1)["case_ids"].iloc[-1] == [lonely]


def test_graph_of_empty_database(db):
    graph = analysis.transmission_graph(db.engine)
    assert graph.number_of_nodes() == 0
    assert analysis.clusters(graph).empty
    plots.plot_transmission_graph(graph)


# --- counts ----------------------------------------------------------------------------------

def test_epi_curve_counts_cases_per_positive_day_without_gaps(db):
    taiyuan, xian = db.notice(), db.notice(city="西安市")
    db.case(taiyuan, "病例1", positive_date=D1)
    db.case(taiyuan, "病例2", positive_date=D1, category="asymptomatic")
    db.case(taiyuan, "病例3", positive_date=D3)
    db.case(xian, "病例1", positive_date=D2)
    db.case(xian, "病例2", positive_date=None)
    curve = analysis.epi_curve(db.engine)
    assert list(curve.index) == list(pd.date_range(D1, D3))
    assert curve.loc[pd.Timestamp(D1)].to_dict() == {"asymptomatic": 1, "confirmed": 1}
    assert curve["confirmed"].tolist() == [1, 1, 0, 1]
    total = analysis.epi_curve(db.engine, by=())
    assert total["cases"].tolist() == [2, 1, 0, 1]
    assert analysis.epi_curve(db.engine, by=(), city="西安市")["cases"].tolist() == [1]
    by_city = analysis.epi_curve(db.engine, by=("city", "category"))
    assert by_city[("太原市", "confirmed")].sum() == 2
    with pytest.raises(ValueError, match="cannot group"):
        analysis.epi_curve(db.engine, by=("colour",))


def test_epi_curve_date_range_and_date_column(db, notice):
    db.case(notice, "病例1", positive_date=D1, isolation_date=D1)
    db.case(notice, "病例2", positive_date=D3)
    curve = analysis.epi_curve(db.engine, by=(), date_from=D2)
    assert list(curve.index) == [pd.Timestamp(D3)]
    assert analysis.epi_curve(db.engine, by=(), date="isolation_date")["cases"].tolist() == [1]
    assert "positive_date" in analysis.date_fields()
    with pytest.raises(ValueError, match="no date column"):
        analysis.epi_curve(db.engine, date="published")


def test_outbreaks_are_cut_by_28_days_without_a_case(db):
    early, late = db.notice(published=dt.date(2022, 1, 20)), db.notice(published=dt.date(2022, 4, 20))
    for n, day in enumerate([dt.date(2022, 1, 10), dt.date(2022, 1, 12)], start=1):
        db.case(early, f"病例{n}", positive_date=day)
    for n in range(3, 8):                                         # 5 cases, 20 days apart at most
        db.case(late, f"病例{n}", positive_date=dt.date(2022, 4, 1) + dt.timedelta(days=4 * (n - 3)))
    db.case(late, "病例8", positive_date=dt.date(2022, 5, 1))     # after its notice: misread
    db.case(db.notice(city="西安市"), "病例1", positive_date=D1)
    db.case(late, "病例9")                                          # no date
    dated = analysis.case_dates(db.engine)
    assert "病例9" not in set(dated["label"])
    by_label = dated[dated["city"] == "太原市"].set_index("label")
    assert by_label.loc["病例3", "outbreak"] == 1 and by_label.loc["病例1", "outbreak"] == 2
    assert pd.isna(by_label.loc["病例8", "outbreak"])
    assert by_label.loc["病例8", "outlier"] == "after its notice was published"
    table = analysis.outbreaks(db.engine)
    assert table[["city", "outbreak", "cases", "days"]].values.tolist() == [
        ["太原市", 1, 5, 17], ["太原市", 2, 2, 3], ["西安市", 1, 1, 1]]
    everyone = analysis.case_dates(db.engine, include_undated=True)
    assert everyone["label"].iloc[-1] == "病例9" and pd.isna(everyone["outbreak"].iloc[-1])
    figure = plots.plot_epi_curves(everyone, min_cases=1)
    taiyuan = figure.axes[0]
    assert "1 case without a positive date" in taiyuan.get_xlabel()
    assert taiyuan.outbreak == (pd.Timestamp("2022-04-01"), pd.Timestamp("2022-04-17"))
    assert "病例1 2022-01-10" in taiyuan.get_xlabel() and "病例8 2022-05-01 (after its notice" in taiyuan.get_xlabel()
    low, high = plots.curve_limits(*taiyuan.outbreak)
    assert taiyuan.get_xlim() == (matplotlib.dates.date2num(low), matplotlib.dates.date2num(high))
    one_day = figure.axes[1]
    low, high = (matplotlib.dates.num2date(x) for x in one_day.get_xlim())
    assert (high - low).days == plots.MIN_CURVE_DAYS


def test_main_span_leaves_out_far_off_days():
    days = pd.Series(pd.to_datetime(["2019-03-01", "2021-01-02", "2021-01-20", "2021-02-10", "2023-01-01"]))
    assert plots.main_span(days) == (pd.Timestamp("2021-01-02"), pd.Timestamp("2021-02-10"))
    assert all(pd.isna(day) for day in plots.main_span(days.iloc[:0]))


def test_long_timelines_are_cut_into_pages(db, notice):
    for n in range(1, 46):
        db.visit(db.case(notice, f"病例{n}"), None, D1, kind="home")
    db.visit(db.case(notice, "病例46"), None, dt.date(2020, 1, 1), kind="home")   # a misread year
    timeline = analysis.notice_timeline(db.engine, notice)
    pages = plots.timeline_pages(timeline)
    assert [page["case"].nunique() for page in pages] == [40, 6]
    ax = plots.plot_timelines(timeline)
    assert len(ax.get_yticks()) == 40 and "the first 40 of 46 cases" in ax.get_xlabel()
    last = plots.plot_timelines(pages[1])
    assert "病例46 2020-01-01" in last.get_xlabel()
    assert matplotlib.dates.num2date(last.get_xlim()[0]).year == 2022


def test_save_figure_keeps_every_side_within_max_pixels(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("CASEDB_FIGURES", str(tmp_path))
    figure = matplotlib.pyplot.figure(figsize=(10, 60))
    with pytest.warns(UserWarning, match="lower resolution"):
        path = plots.save_figure(figure, "tall")
    with Image.open(path) as image:
        assert max(image.size) <= plots.MAX_PIXELS and image.size[1] > 3900


def test_a_cluster_of_600_cases_is_laid_out_without_scipy():
    import networkx as nx

    graph = nx.MultiGraph()
    graph.add_nodes_from((n, {"label": f"病例{n}", "category": "confirmed"}) for n in range(600))
    graph.add_edges_from((n, n // 3, {"source": "relation"}) for n in range(1, 600))
    position = plots.force_layout(nx.Graph(graph))
    assert len(position) == 600 and all(abs(x) <= 1.0001 and abs(y) <= 1.0001 for x, y in position.values())
    ax = plots.plot_cluster(graph, list(graph.nodes), max_cases=600)
    assert "names written on" in ax.get_xlabel()
    matplotlib.pyplot.close(ax.figure)


def test_cluster_view_makes_a_place_node_of_a_co_location_clique(db, notice):
    market = db.place("美特好超市")
    ids = [db.case(notice, f"病例{n}") for n in range(1, 7)]
    for case_id in ids:
        db.visit(case_id, market, D1)
    db.relation(ids[1], ids[0], "spouse")
    graph = analysis.transmission_graph(db.engine)
    assert graph.number_of_edges() == 15 + 1
    view, notes = plots.cluster_view(graph, ids)
    assert view.number_of_nodes() == 7 and view.nodes[("place", "美特好超市")]["kind"] == "place"
    assert sorted(source for _, _, source in view.edges(data="source")) == ["co_location"] * 6 + ["relation"]
    ax = plots.plot_cluster(graph, ids)
    assert len(ax.texts) == 7                                    # room for every name
    figure = plots.plot_clusters(graph, analysis.clusters(graph))
    assert figure.axes[0].get_title().startswith("cluster 1: 6 people")
    empty = plots.plot_clusters(graph, analysis.clusters(graph).iloc[:0])
    assert empty.axes[0].get_title() == "no cluster of two or more people"


def test_case_counts_group_missing_values_as_unknown(db, notice):
    db.case(notice, "病例1")
    db.case(notice, "病例2", category=None)
    db.case(notice, "病例3")
    counts = analysis.case_counts(db.engine, by=("category",))
    assert dict(zip(counts["category"], counts["cases"])) == {"confirmed": 2, "unknown": 1}


def test_place_exposure_ranks_by_distinct_cases_then_visits(db, notice):
    tea = db.place("喜茶店", district="小店区")
    market = db.place("美特好超市", district="小店区")
    park = db.place("迎泽公园", district="迎泽区")
    first, second, third = (db.case(notice, f"病例{n}") for n in (1, 2, 3))
    db.visit(first, tea, D1)
    db.visit(first, tea, D2)
    db.visit(second, market, D1)
    db.visit(third, market, D2)
    db.visit(first, park, D3)
    db.visit(None, park, D3, notice_id=notice)
    db.visit(None, park, D3, notice_id=notice)
    ranked = analysis.place_exposure(db.engine)
    assert list(ranked["place"]) == ["美特好超市", "迎泽公园", "喜茶店"]
    assert list(ranked["cases"]) == [2, 1, 1]
    assert list(ranked["visits"]) == [2, 3, 2]
    assert ranked.iloc[0].first_date == pd.Timestamp(D1)
    assert len(analysis.place_exposure(db.engine, top=1)) == 1
    districts = analysis.place_exposure(db.engine, by="district")
    assert list(districts["district"]) == ["小店区", "迎泽区"]
    assert list(districts["cases"]) == [3, 1]
    assert list(districts["places"]) == [2, 1]
    heat = analysis.place_day_counts(db.engine, top=1)
    assert set(heat["place"]) == {"美特好超市"}
    assert list(heat["cases"]) == [1, 1]


def test_overview_and_field_completeness(db, notice):
    db.notice(city=None, published=None)
    first = db.case(notice, "病例1", sex="female", age=56, onset_date=D1, symptoms="发热")
    db.case(notice, "病例2")
    db.visit(first, db.place("喜茶店"), D1, "10:00")
    overview = analysis.notices_overview(db.engine)
    assert overview[["city", "notices", "cases", "visits"]].values.tolist() == [
        ["太原市", 1, 2, 1], ["unknown", 1, 0, 0]]
    filled = analysis.field_completeness(db.engine).set_index(["table", "field"])
    assert filled.loc[("cases", "sex"), "share"] == 0.5
    assert filled.loc[("cases", "onset_date"), "share"] == filled.loc[("cases", "symptoms"), "share"] == 0.5
    assert filled.loc[("notices", "city"), "filled"] == 1
    assert filled.loc[("visits", "start"), "share"] == 1.0
    assert pd.isna(filled.loc[("relations", "phrase"), "share"])     # no relations: no share


def test_database_url_prefers_the_environment_then_the_nearest_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEDB_URL", "postgresql://example/casedb")
    assert analysis.database_url() == "postgresql+psycopg://example/casedb"
    monkeypatch.delenv("CASEDB_URL")
    (tmp_path / "casedb.sqlite").touch()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert analysis.database_url() == f"sqlite:///{tmp_path.resolve() / 'casedb.sqlite'}"
    with pytest.raises(FileNotFoundError):          # analysis never creates an empty database
        analysis.connect(str(tmp_path / "missing.sqlite"))
