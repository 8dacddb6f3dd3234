"""Analysis of a casedb database: DataFrames and graphs for the common questions.

    from casedb import analysis
    engine = analysis.connect()                 # $CASEDB_URL or ./casedb.sqlite
    analysis.co_locations(engine, same_time=True)
"""
from casedb.analysis.graph import clusters, transmission_graph
from casedb.analysis.queries import *  # noqa: F403  (the query functions, listed in __all__)
from casedb.analysis.queries import __all__ as _query_names

__all__ = [*_query_names, "transmission_graph", "clusters"]
