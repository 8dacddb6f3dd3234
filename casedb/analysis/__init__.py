"""Analysis of a casedb database: DataFrames and graphs for the common questions.

    from casedb import analysis
    engine = analysis.connect()                 # $CASEDB_URL or ./casedb.sqlite, read-only
    analysis.co_locations(engine, same_time=True)

Figures for these results are in ``casedb.analysis.plots``.
"""
from casedb.analysis.graph import CLUSTER_LABELS, cluster_table, clusters, transmission_graph
from casedb.analysis.queries import (
    COMPLETENESS_FIELDS, DEFAULT_SQLITE, DEFAULT_STAY, GROUPABLE, OUTBREAK_GAP, PARTS_OF_DAY,
    busiest_notice, case_counts, case_dates, case_links, case_spans, case_timeline, co_location_query,
    co_locations, connect, database_url, date_fields, epi_curve, field_completeness, notice_timeline,
    notices_overview, outbreaks, place_day_counts, place_exposure, visit_intervals,
)

__all__ = [
    "CLUSTER_LABELS", "COMPLETENESS_FIELDS", "DEFAULT_SQLITE", "DEFAULT_STAY", "GROUPABLE", "OUTBREAK_GAP",
    "PARTS_OF_DAY", "busiest_notice", "case_counts", "case_dates", "case_links", "case_spans", "case_timeline",
    "cluster_table", "clusters", "co_location_query", "co_locations", "connect", "database_url", "date_fields",
    "epi_curve", "field_completeness", "notice_timeline", "notices_overview", "outbreaks", "place_day_counts",
    "place_exposure", "transmission_graph", "visit_intervals",
]
