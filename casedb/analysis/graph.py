"""The transmission graph: cases as nodes, stated relations and co-locations as edges."""
from __future__ import annotations

import networkx as nx
import pandas as pd

from casedb.analysis.queries import case_links, case_spans, co_locations

NODE_FIELDS = ("label", "person_id", "notice_id", "city", "published", "category", "sex", "age",
               "positive_date", "first_visit", "last_visit")


def _plain(value):
    """NaN/NaT → None and Timestamps → dates, so node attributes read naturally."""
    if pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def transmission_graph(engine, include_colocation: bool = True) -> nx.MultiGraph:
    """Cases as nodes (attributes ``NODE_FIELDS``) joined by typed edges.

    Every edge has ``source``: ``relation`` (with ``kind`` — spouse, close_contact, … — from the
    point of view of ``owner``, the case whose paragraph states it — and ``phrase``),
    ``same_person`` (two notices' cases of one person) or, with ``include_colocation``,
    ``co_location`` (one edge per pair of cases seen at one place on one day, with ``places`` and
    ``dates``). ``colocation`` is True on co-location edges only.
    ``graph.graph["unresolved_relations"]`` counts relations to cases not in the database.
    """
    nodes = case_spans(engine)
    links, unresolved = case_links(engine)
    graph = nx.MultiGraph(unresolved_relations=unresolved)
    graph.add_nodes_from(
        (case_id, {field: _plain(value) for field, value in zip(NODE_FIELDS, values)})
        for case_id, *values in nodes[["case_id", *NODE_FIELDS]].itertuples(index=False))
    graph.add_edges_from(
        (owner, other, f"relation:{kind}", {"source": "relation", "kind": kind, "phrase": phrase,
                                            "owner": owner, "colocation": False})
        for owner, other, kind, phrase in links.itertuples(index=False))
    first_case_of_person = nodes.dropna(subset=["person_id"]).groupby("person_id")["case_id"]
    same_person = nodes.dropna(subset=["person_id"]).assign(
        first=lambda frame: frame["person_id"].map(first_case_of_person.min()))
    graph.add_edges_from(
        (first, case_id, "same_person", {"source": "same_person", "kind": "same_person",
                                         "colocation": False})
        for first, case_id in same_person[["first", "case_id"]].itertuples(index=False)
        if first != case_id)
    if include_colocation:
        met = co_locations(engine)
        by_pair = met.groupby(["case_a_id", "case_b_id"], sort=False).agg(
            places=("place", lambda names: sorted(set(names))),
            dates=("date", lambda days: sorted({day.date() for day in days})))
        graph.add_edges_from(
            (a, b, "co_location", {"source": "co_location", "kind": "co_location",
                                   "colocation": True, "places": places, "dates": dates})
            for (a, b), places, dates in by_pair.itertuples())
    return graph


def clusters(graph: nx.Graph, min_size: int = 2) -> pd.DataFrame:
    """Connected components with at least ``min_size`` people, largest first.

    Columns: cluster (1 = largest), people (distinct persons), size (cases), cases (labels),
    case_ids, relation_edges, colocation_edges, places (where its cases met, the place shared by
    most pairs first, at most five), first/last positive date and first/last visited day of its cases.
    """
    columns = ["cluster", "people", "size", "cases", "case_ids", "relation_edges",
               "colocation_edges", "places", "first_positive", "last_positive", "first_visit", "last_visit"]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns)
    component_of = {node: index for index, members in enumerate(nx.connected_components(graph))
                    for node in members}
    nodes = (pd.DataFrame.from_dict(dict(graph.nodes(data=True)), orient="index")
             .reindex(columns=["label", "person_id", "positive_date", "first_visit", "last_visit"])
             .sort_index())
    nodes["component"] = nodes.index.map(component_of)
    nodes["case_id"] = nodes.index
    nodes["person"] = ("person:" + nodes["person_id"].astype("string")).fillna(
        "case:" + nodes["case_id"].astype("string"))
    for field in ("positive_date", "first_visit", "last_visit"):
        nodes[field] = pd.to_datetime(nodes[field])
    table = nodes.groupby("component").agg(
        people=("person", "nunique"), size=("case_id", "size"),
        cases=("label", lambda labels: "、".join(str(label) for label in labels)),
        case_ids=("case_id", list),
        first_positive=("positive_date", "min"), last_positive=("positive_date", "max"),
        first_visit=("first_visit", "min"), last_visit=("last_visit", "max"))
    edges = pd.DataFrame([(component_of[u], source) for u, _, source in graph.edges(data="source")],
                         columns=["component", "source"])
    edge_counts = pd.crosstab(edges["component"], edges["source"]).reindex(
        index=table.index, columns=["relation", "co_location"], fill_value=0)
    table["relation_edges"] = edge_counts["relation"]
    table["colocation_edges"] = edge_counts["co_location"]
    shared: dict = {}
    for u, _, places in graph.edges(data="places"):
        for place in places or ():
            counter = shared.setdefault(component_of[u], {})
            counter[place] = counter.get(place, 0) + 1
    table["places"] = [
        "、".join(sorted(shared.get(component, {}), key=lambda p: (-shared[component][p], p))[:5])
        for component in table.index]
    table = table[table["people"] >= min_size].sort_values(
        ["people", "first_positive"], ascending=[False, True], na_position="last")
    table["cluster"] = range(1, len(table) + 1)
    return table.reset_index(drop=True)[columns]


#: How many case labels a row of ``cluster_table`` lists before "…".
CLUSTER_LABELS = 8


def cluster_table(graph: nx.Graph, table: pd.DataFrame | None = None, labels: int = CLUSTER_LABELS) -> pd.DataFrame:
    """One row per cluster of ``table`` (default ``clusters(graph)``), in its order, the order of the
    panels of ``plots.plot_clusters``.

    Columns: cluster (its number in the panels), cases (how many), cities, labels (the first ``labels``
    case labels by case id, then "…"; a case without a label as #id), first/last positive date,
    relations (stated relations between its cases) and shared_places (distinct places where two of its
    cases were on the same day).
    """
    table = clusters(graph) if table is None else table
    rows = []
    for cluster in table.itertuples(index=False):
        members = sorted(cluster.case_ids)
        names = [graph.nodes[case]["label"] or f"#{case}" for case in members]
        cities = sorted({graph.nodes[case]["city"] for case in members} - {None})
        places = {place for _, _, shared in graph.subgraph(members).edges(data="places") for place in shared or ()}
        rows.append((cluster.cluster, len(members), "、".join(cities),
                     "、".join(names[:labels]) + ("…" if len(names) > labels else ""),
                     cluster.first_positive, cluster.last_positive, cluster.relation_edges, len(places)))
    return pd.DataFrame(rows, columns=["cluster", "cases", "cities", "labels", "first_positive", "last_positive",
                                       "relations", "shared_places"])
