"""analysis.cluster_table: one row per cluster, in the order of the cluster panels (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd

from casedb import analysis

DAY = dt.date(2022, 4, 2)



def test_one_row_per_cluster_in_the_order_of_the_panels(db):
    taiyuan, xian = db.notice(), db.notice(city="西安市")
    # cluster 1: ten cases, two of them in Xi'an, met at two places and linked by one stated relation
    market, tea = db.place("美特好超市"), db.place("喜茶店")
    big = [db.case(taiyuan, f"病例{n}", positive_date=DAY + dt.timedelta(days=n)) for n in range(1, 9)]
    big += [db.case(xian, "病例1", positive_date=DAY), db.case(xian, "")]   # no label
    for case_id in big:
        db.visit(case_id, market, DAY)
    db.visit(big[0], tea, DAY)
    db.visit(big[1], tea, DAY)
    db.relation(big[0], big[1], "spouse")
    # cluster 2: one relation only, stated in both cases' paragraphs (one edge, as in the panels)
    couple = [db.case(taiyuan, f"病例{n}", positive_date=DAY) for n in (20, 21)]
    db.relation(couple[1], couple[0], "spouse")
    db.relation(couple[0], couple[1], "spouse")
    db.case(taiyuan, "病例30")                                   # alone: no cluster

    graph = analysis.transmission_graph(db.engine)
    table = analysis.cluster_table(graph)
    assert list(table.columns) == ["cluster", "cases", "cities", "labels", "first_positive", "last_positive",
                                   "relations", "shared_places"]
    assert list(table["cluster"]) == list(analysis.clusters(graph)["cluster"]) == [1, 2]
    first, second = table.itertuples(index=False)
    assert (first.cases, first.cities, first.relations, first.shared_places) == (10, "太原市、西安市", 1, 2)
    assert first.labels == "病例1、病例2、病例3、病例4、病例5、病例6、病例7、病例8…"
    assert (first.first_positive, first.last_positive) == (pd.Timestamp(DAY), pd.Timestamp("2022-04-10"))
    assert (second.cases, second.labels, second.relations, second.shared_places) == (2, "病例20、病例21", 1, 0)
    assert analysis.cluster_table(graph, labels=20).iloc[0].labels.endswith(f"病例1、#{big[-1]}")


def test_the_table_of_a_few_panels_and_of_no_cluster(db):
    notice = db.notice()
    pairs = [[db.case(notice, f"病例{2 * n + side}") for side in (1, 2)] for n in range(3)]
    for owner, other in pairs:
        db.relation(owner, other, "colleague")
    graph = analysis.transmission_graph(db.engine)
    assert list(analysis.cluster_table(graph, analysis.clusters(graph).iloc[1:])["cluster"]) == [2, 3]
    assert analysis.cluster_table(graph, analysis.clusters(graph).iloc[:0]).empty
    assert analysis.cluster_table(nx.MultiGraph()).empty
