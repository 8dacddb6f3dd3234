"""Reading the main tables back as pandas DataFrames, and row counts for summaries."""
from __future__ import annotations

from sqlalchemy import Engine, func, select

from casedb.store.models import Base

#: The tables ``frames`` returns, in dependency order.
MAIN_TABLES = ("documents", "notices", "cases", "persons", "places", "visits", "relations", "import_runs")
#: Columns left out of the frames: whole document texts (read them with ``casedb sql``).
HEAVY_COLUMNS = {"documents": {"text"}}


def frames(engine: Engine, tables: tuple[str, ...] = MAIN_TABLES):
    """``{table name: DataFrame}`` of the main tables (documents without their text).

    Integer columns with NULLs stay integers (pandas nullable dtypes).
    """
    import pandas as pd

    result = {}
    with engine.connect() as connection:
        for name in tables:
            table = Base.metadata.tables[name]
            columns = [c for c in table.c if c.name not in HEAVY_COLUMNS.get(name, ())]
            result[name] = pd.read_sql(select(*columns).order_by(table.c.id), connection,
                                       dtype_backend="numpy_nullable")  # ids stay integers with gaps
    return result


def table_counts(engine: Engine, tables: tuple[str, ...] = ("documents", "notices", "cases", "visits",
                                                            "relations", "places", "persons")) -> dict[str, int]:
    """Number of rows in each table."""
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar()
                for name in tables}
