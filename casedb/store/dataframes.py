"""Reading the main tables back as pandas DataFrames with real dtypes, and row counts for summaries.

Every column gets the pandas dtype of what it holds, on SQLite and PostgreSQL alike (issue 17):

- dates (``positive_date``, ``onset_date``, ``visits.date``, ``published``…): ``datetime64[s]`` at midnight, so
  ``cases[cases.positive_date >= "2021-01-05"]``, ``.dt.day_name()`` and ``resample`` work
  (``dates="date32"`` gives ``date32[day][pyarrow]`` instead, which Parquet stores as DATE);
- date-times (``visits.start``, ``documents.first_seen``…, naive UTC for the timestamps):
  ``datetime64[us]``;
- integers: ``Int64`` (nullable: a missing age stays an integer column), floats ``Float64``,
  flags ``boolean``, text ``string``;
- small vocabularies (``CATEGORICAL``: sex, category, series, visit and relation kinds, part of
  day…): ``category``, the documented values first, so counts show the values that never occur.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, String, Text, func, select, type_coerce

from casedb.records import CATEGORIES, DISCOVERY_KINDS, RELATION_KINDS, VISIT_KINDS
from casedb.store.models import metadata

#: The tables ``frames`` returns, in dependency order.
MAIN_TABLES = ("documents", "notices", "cases", "persons", "places", "visits", "relations", "import_runs")
#: Columns left out of the frames: whole document texts (read them with ``casedb sql``).
HEAVY_COLUMNS = {"documents": {"text"}}
#: Columns read as pandas categoricals: ``{table: {column: documented values, or None}}``; values
#: found in the database beyond the documented ones are added after them, in sorted order.
CATEGORICAL = {
    "documents": {"encoding": None, "media_type": None},
    "cases": {"series": None, "sex": ("male", "female"), "category": CATEGORIES, "discovery": DISCOVERY_KINDS},
    "places": {"category": None},
    "visits": {"kind": VISIT_KINDS, "part_of_day": None, "place_qualifier": None},
    "relations": {"other_series": None, "kind": RELATION_KINDS},
    "import_runs": {"command": ("load", "reparse")},
}
#: The pandas dtype of SQL dates for each ``dates=`` choice of ``frames``/``apply_dtypes``.
DATE_DTYPES = ("datetime64", "date32")
DATETIME_DTYPE = "datetime64[us]"


def frames(engine: Engine, tables: tuple[str, ...] = MAIN_TABLES, dates: str = "datetime64"):
    """``{table name: DataFrame}`` of the main tables (documents without their text), typed as
    the module docstring says: dates ``datetime64[s]`` (``dates="date32"``: pyarrow dates),
    date-times ``datetime64[us]``, ``Int64``, ``boolean``, ``string`` and ``category``."""
    import pandas as pd

    result = {}
    with engine.connect() as connection:
        for name in tables:
            table = metadata.tables[name]
            columns = [c for c in table.c if c.name not in HEAVY_COLUMNS.get(name, ())]
            frame = pd.read_sql(select(*(_as_stored(c) for c in columns)).order_by(table.c.id), connection,
                                dtype_backend="numpy_nullable")
            result[name] = apply_dtypes(frame, columns, dates=dates)
    return result


def _as_stored(column):
    """Dates and date-times as the driver gives them (ISO text on SQLite: pandas parses a column
    at once, far faster than SQLAlchemy's row-by-row conversion); other columns unchanged."""
    if isinstance(column.type, (Date, DateTime)):
        return type_coerce(column, String).label(column.name)
    return column


def apply_dtypes(frame, columns: Iterable, dates: str = "datetime64"):
    """Give ``frame``'s columns the dtypes of the SQL ``columns`` they were read from (in place;
    returns ``frame``).

    ``columns`` are SQLAlchemy columns or labelled columns (``cases.c.id.label("case_id")``, as in
    a SELECT's ``selected_columns``), matched to the frame's columns by name; categoricals are
    looked up by the underlying table and column (``CATEGORICAL``). For Parquet, ``dates="date32"``
    keeps SQL dates as dates (Parquet DATE) rather than timestamps.
    """
    if dates not in DATE_DTYPES:
        raise ValueError(f"dates must be one of {DATE_DTYPES}, not {dates!r}")
    for column in columns:
        name = column.name
        if name not in frame.columns:
            continue
        values, sql_type = frame[name], column.type
        base = getattr(column, "element", column)          # a Label's column
        table = getattr(getattr(base, "table", None), "name", None)
        vocabulary = CATEGORICAL.get(table, {}).get(getattr(base, "name", name), False)
        if isinstance(sql_type, DateTime):
            frame[name] = _datetimes(values).astype(DATETIME_DTYPE)
        elif isinstance(sql_type, Date):
            frame[name] = _dates(values, dates)
        elif isinstance(sql_type, Boolean):
            frame[name] = values.astype("boolean")
        elif isinstance(sql_type, Integer):
            frame[name] = values.astype("Int64")
        elif isinstance(sql_type, Float):
            frame[name] = values.astype("Float64")
        elif vocabulary is not False:
            frame[name] = _categorical(values, vocabulary)
        elif isinstance(sql_type, (String, Text)):
            frame[name] = values.astype("string")
    return frame


def _datetimes(values):
    """ISO text (SQLite), ``datetime`` objects (PostgreSQL) or nulls → ``datetime64``."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    return pd.to_datetime(values.astype(object).where(values.notna(), None), format="ISO8601")


def _dates(values, dates: str):
    import pandas as pd

    parsed = _datetimes(values).astype("datetime64[s]").dt.normalize()
    if dates == "datetime64":
        return parsed
    import pyarrow as pa

    return pd.Series(pa.array(parsed, from_pandas=True).cast(pa.date32()), index=values.index,
                     dtype=pd.ArrowDtype(pa.date32()), name=values.name)


def _categorical(values, vocabulary: tuple[str, ...] | None):
    import pandas as pd

    known = list(vocabulary or ())
    found = sorted(set(values.dropna()) - set(known))
    return pd.Series(pd.Categorical(values.astype(object).where(values.notna(), None),
                                    categories=pd.Index(known + found, dtype="string")),
                     index=values.index, name=values.name)


def table_counts(engine: Engine, tables: tuple[str, ...] = ("documents", "notices", "cases", "visits",
                                                            "relations", "places", "persons")) -> dict[str, int]:
    """Number of rows in each table."""
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(metadata.tables[name])).scalar()
                for name in tables}
