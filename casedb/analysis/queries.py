"""The questions asked most often of a casedb database, answered in SQL.

Every function takes an SQLAlchemy engine (or a database URL) and returns a pandas DataFrame.
Joins, filters and counts run in the database through SQLAlchemy Core, so the same code works
on SQLite and PostgreSQL and uses their indexes; pandas only reshapes the result.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, String, and_, func, or_, select, type_coerce
from sqlalchemy.sql import Select

from casedb import store
from casedb.store.models import cases, notices, places, relations, visits

#: The SQLite file the quick start creates (``casedb.store.DEFAULT_URL``); ``database_url()`` looks for it.
DEFAULT_SQLITE = "casedb.sqlite"

#: How long a visit with a start time but no end time is assumed to last.
DEFAULT_STAY = pd.Timedelta(hours=1)

#: Clock hours (from, to) that a part of day written instead of a time stands for.
PARTS_OF_DAY = {
    "凌晨": (0, 6), "清晨": (5, 8), "早上": (6, 9), "早晨": (6, 9), "早": (6, 9),
    "上午": (8, 12), "中午": (11, 14), "午后": (13, 16), "下午": (12, 18), "傍晚": (17, 19),
    "晚上": (18, 24), "晚间": (18, 24), "晚": (18, 24), "夜间": (20, 24), "夜里": (20, 24),
    "深夜": (22, 24),
}

#: Case attributes that ``case_counts`` and ``epi_curve`` can group by.
GROUPABLE = {
    "category": cases.c.category,
    "series": cases.c.series,
    "sex": cases.c.sex,
    "city": notices.c.city,
}


def database_url() -> str:
    """``$CASEDB_URL``, else the quick-start SQLite file in this folder or the nearest parent
    (so a notebook started in ``notebooks/`` finds the repository's ``casedb.sqlite``)."""
    if os.environ.get("CASEDB_URL"):
        return store.resolve_url()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_SQLITE).exists():
            return store.resolve_url(str(folder / DEFAULT_SQLITE))
    return store.resolve_url()


def connect(engine_or_url: Engine | str | None = None) -> Engine:
    """A read-only engine for a URL, or (None) ``database_url()``; an engine is passed through."""
    if isinstance(engine_or_url, Engine):
        return engine_or_url
    return store.connect(engine_or_url or database_url(), read_only=True)


def _read(engine, query: Select, temporal: Iterable[str] = ()) -> pd.DataFrame:
    """Run ``query``; the ``temporal`` (date and time) columns become datetime64 on every backend."""
    with connect(engine).connect() as conn:
        frame = pd.read_sql(query, conn)
    for column in temporal:
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


def _in_city(place_id_column, city: str | None):
    """True where the place is in ``city`` (everywhere when ``city`` is None)."""
    if city is None:
        return True
    return place_id_column.in_(select(places.c.id).where(places.c.city == city))


def visit_intervals(date: pd.Series, start: pd.Series, end: pd.Series, part_of_day: pd.Series,
                    unknown_stay=DEFAULT_STAY) -> tuple[pd.Series, pd.Series]:
    """When visits began and ended, as far as the notice says (NaT when it gives no time).

    Uses the clock times (a missing end is start + ``unknown_stay``), else the hours of the
    part of day (上午 → 08:00–12:00).
    """
    date, start, end = pd.to_datetime(date), pd.to_datetime(start), pd.to_datetime(end)
    hours = part_of_day.map(PARTS_OF_DAY)
    part_from = date + pd.to_timedelta(hours.str[0], unit="h")
    part_to = date + pd.to_timedelta(hours.str[1], unit="h")
    end = end.where(end > start)
    begin = start.fillna(end - unknown_stay).fillna(part_from)
    finish = end.fillna(start + unknown_stay).fillna(part_to)
    return begin, finish


def _as_stored(column):
    """``column`` as the driver returns it: ISO text on SQLite, which pandas parses far faster
    than SQLAlchemy's row-by-row date conversion (datetimes on PostgreSQL either way)."""
    return type_coerce(column, String)


def co_location_query(place_id: int | None = None, date_from: dt.date | None = None,
                      date_to: dt.date | None = None, city: str | None = None) -> Select:
    """The SQL of ``co_locations``: one row per pair of visits, by different cases, to one place
    on one day. Two cases of one person (``person_id``) are no pair.

    A MATERIALIZED CTE first lists the (day, place)s with two or more visits, read from the
    ``(date, place_id)`` index alone (in its order: no sort); the visits of those days and their
    partners are then looked up by day and place through the same index. (Materialising also keeps
    SQLite from copying a date filter onto the partner side and scanning a range instead of looking
    up the day.)
    """
    filters = []
    if place_id is not None:
        filters.append(visits.c.place_id == place_id)
    if date_from is not None:
        filters.append(visits.c.date >= date_from)
    if date_to is not None:
        filters.append(visits.c.date <= date_to)
    if city is not None:
        filters.append(_in_city(visits.c.place_id, city))
    shared_days = (select(visits.c.place_id, visits.c.date).where(*filters)
                   .group_by(visits.c.date, visits.c.place_id).having(func.count() > 1)
                   .cte("shared_days").prefix_with("MATERIALIZED"))
    a, b = visits.alias("a"), visits.alias("b")
    case_a, case_b = cases.alias("case_a"), cases.alias("case_b")
    return (
        select(
            a.c.case_id.label("case_a_id"), case_a.c.label.label("case_a"),
            b.c.case_id.label("case_b_id"), case_b.c.label.label("case_b"),
            a.c.place_id, places.c.name.label("place"), places.c.district, places.c.city,
            _as_stored(a.c.date).label("date"),
            *(_as_stored(side.c[column]).label(f"{name}_{column}")
              for name, side in (("a", a), ("b", b)) for column in ("start", "end")),
            a.c.part_of_day.label("a_part_of_day"), b.c.part_of_day.label("b_part_of_day"),
        )
        .select_from(shared_days)
        .join(a, and_(a.c.place_id == shared_days.c.place_id, a.c.date == shared_days.c.date))
        .join(b, and_(b.c.place_id == a.c.place_id, b.c.date == a.c.date, a.c.case_id < b.c.case_id))
        .join(places, places.c.id == a.c.place_id)
        .join(case_a, case_a.c.id == a.c.case_id)
        .join(case_b, case_b.c.id == b.c.case_id)
        .where(or_(case_a.c.person_id.is_(None), case_b.c.person_id.is_(None),
                   case_a.c.person_id != case_b.c.person_id))
    )


def co_locations(engine, same_time: bool = False, *, place_id: int | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 city: str | None = None, unknown_stay=DEFAULT_STAY) -> pd.DataFrame:
    """Pairs of cases that were at the same place (same ``places`` row) on the same day.

    One row per unordered pair of cases, place and day (``case_a_id < case_b_id``) with both
    cases' times there. ``overlap`` says whether their stays overlap (see ``visit_intervals``;
    NA when either visit has no time); ``same_time=True`` keeps only overlapping pairs.
    A stay over several days (``end_date``) is matched on its first day only.
    """
    query = co_location_query(place_id, date_from, date_to, city)
    pairs = _read(engine, query, ["date", "a_start", "a_end", "b_start", "b_end"])
    a_begin, a_finish, b_begin, b_finish = (
        span for side in ("a", "b") for span in visit_intervals(
            pairs["date"], pairs[f"{side}_start"], pairs[f"{side}_end"],
            pairs[f"{side}_part_of_day"], unknown_stay))
    known = a_begin.notna() & b_begin.notna()
    overlaps = (a_begin < b_finish) & (b_begin < a_finish)
    pairs["overlap"] = overlaps.astype("boolean").where(known, pd.NA)
    pairs = pairs.drop(columns=["a_part_of_day", "b_part_of_day"])
    collapsed = _one_row_per_pair_place_day(pairs)
    if same_time:
        collapsed = collapsed[collapsed["overlap"].fillna(False)]
    return collapsed.reset_index(drop=True)


#: ``overlap`` of merged rows: any overlapping visit pair wins, then any unknown one.
_OVERLAP_RANK = {True: 2, None: 1, False: 0}


def _one_row_per_pair_place_day(pairs: pd.DataFrame) -> pd.DataFrame:
    """Merge the rows of a case pair that met several times at one place on one day."""
    keys = ["case_a_id", "case_b_id", "place_id", "date"]
    if pairs.duplicated(keys).any():
        rank = pairs["overlap"].astype(object).where(pairs["overlap"].notna(), None).map(_OVERLAP_RANK)
        merged = pairs.assign(rank=rank).groupby(keys, sort=False).agg(
            case_a=("case_a", "first"), case_b=("case_b", "first"), place=("place", "first"),
            district=("district", "first"), city=("city", "first"),
            a_start=("a_start", "min"), a_end=("a_end", "max"),
            b_start=("b_start", "min"), b_end=("b_end", "max"), rank=("rank", "max"),
        ).reset_index()
        decode = {rank: value for value, rank in _OVERLAP_RANK.items()}
        pairs = merged.assign(overlap=merged["rank"].map(decode).astype("boolean"))
    columns = ["case_a_id", "case_a", "case_b_id", "case_b", "place_id", "place", "district", "city",
               "date", "a_start", "a_end", "b_start", "b_end", "overlap"]
    return pairs[columns].sort_values(["date", "place_id", "case_a_id", "case_b_id"])


def _trajectory_query() -> Select:
    return (
        select(
            visits.c.id.label("visit_id"), visits.c.case_id, cases.c.label.label("case"),
            visits.c.kind, visits.c.date, visits.c.end_date, visits.c.start, visits.c.end,
            visits.c.part_of_day,
            func.coalesce(visits.c.place_text, places.c.name).label("place"),
            visits.c.place_id, places.c.district, visits.c.activity, visits.c.vehicle,
            cases.c.notice_id, notices.c.city, notices.c.title.label("notice_title"),
        )
        .select_from(visits)
        .join(cases, cases.c.id == visits.c.case_id)
        .join(notices, notices.c.id == cases.c.notice_id)
        .outerjoin(places, places.c.id == visits.c.place_id)
        .order_by(cases.c.number.is_(None), cases.c.number, visits.c.case_id,
                  visits.c.date.is_(None), visits.c.date, visits.c.start.is_(None), visits.c.start,
                  visits.c.span_start, visits.c.id)
    )


def _read_trajectory(engine, query: Select) -> pd.DataFrame:
    """Trajectory rows plus ``begin``/``finish``: the known times, else the whole days."""
    frame = _read(engine, query, ["date", "end_date", "start", "end"])
    begin, finish = visit_intervals(frame["date"], frame["start"], frame["end"], frame["part_of_day"])
    is_home = frame["kind"].eq("home")
    last_day = frame["end_date"].fillna(frame["date"])
    frame["begin"] = begin.mask(is_home | begin.isna(), frame["date"])
    frame["finish"] = finish.mask(is_home | finish.isna(), last_day + pd.Timedelta(days=1))
    return frame


def case_timeline(engine, case_id: int) -> pd.DataFrame:
    """One case's visits, rides and days at home in order, with ``begin``/``finish`` for plotting.

    ``begin``/``finish`` are the clock times when known, else the part of day, else whole days.
    """
    return _read_trajectory(engine, _trajectory_query().where(visits.c.case_id == case_id))


def notice_timeline(engine, notice_id: int) -> pd.DataFrame:
    """``case_timeline`` for every case of one notice, cases in label-number order."""
    return _read_trajectory(engine, _trajectory_query().where(cases.c.notice_id == notice_id))


def _group_columns(by: Iterable[str]) -> list:
    unknown = set(by) - set(GROUPABLE)
    if unknown:
        raise ValueError(f"cannot group cases by {sorted(unknown)}; choose from {sorted(GROUPABLE)}")
    return [func.coalesce(GROUPABLE[name], "unknown").label(name) for name in by]


def case_counts(engine, by: Iterable[str] = ("city", "category")) -> pd.DataFrame:
    """Number of cases per group (missing values grouped as ``unknown``)."""
    groups = _group_columns(by)
    query = (select(*groups, func.count(cases.c.id).label("cases"))
             .select_from(cases).join(notices, notices.c.id == cases.c.notice_id)
             .group_by(*groups).order_by(func.count(cases.c.id).desc()))
    return _read(engine, query)


def date_fields() -> tuple[str, ...]:
    """The date columns of ``cases`` an epidemic curve can be drawn by (``positive_date``, and
    ``onset_date`` once the schema has it)."""
    return tuple(name for name in ("positive_date", "onset_date", "isolation_date") if name in cases.c)


def _date_column(date: str):
    if date not in date_fields():
        raise ValueError(f"no date column {date!r} in cases; choose from {date_fields()}")
    return cases.c[date]


def epi_curve(engine, by: Iterable[str] = ("category",), city: str | None = None, *,
              date: str = "positive_date", date_from: dt.date | None = None,
              date_to: dt.date | None = None) -> pd.DataFrame:
    """Cases per day of first positive test (``date``: another date column of ``cases``,
    ``date_fields()``): one row per day (no gaps), one column per group.

    ``by=()`` gives a single ``cases`` column. Cases without that date are left out, and so are
    those outside ``date_from``–``date_to`` (``outbreaks`` gives each city's own range).
    """
    by = tuple(by)
    groups = _group_columns(by)
    column = _date_column(date)
    day = column.label("date")
    query = (select(day, *groups, func.count(cases.c.id).label("cases"))
             .select_from(cases).join(notices, notices.c.id == cases.c.notice_id)
             .where(column.is_not(None))
             .group_by(column, *groups))
    if city is not None:
        query = query.where(notices.c.city == city)
    if date_from is not None:
        query = query.where(column >= date_from)
    if date_to is not None:
        query = query.where(column <= date_to)
    counts = _read(engine, query, ["date"])
    if counts.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="date"), columns=list(by) or ["cases"])
    if by:
        curve = counts.pivot_table(index="date", columns=list(by), values="cases", aggfunc="sum")
    else:
        curve = counts.set_index("date")[["cases"]]
    days = pd.date_range(curve.index.min(), curve.index.max(), freq="D", name="date")
    return curve.reindex(days).fillna(0).astype(int)


#: An outbreak ends after this many days without a new case (twice the longest incubation period,
#: the rule by which an outbreak is declared over): a case dated further from the rest of its city's
#: cases belongs to another outbreak, or its date is wrong.
OUTBREAK_GAP = pd.Timedelta(days=28)


def outbreak_runs(days: pd.Series, gap: pd.Timedelta = OUTBREAK_GAP) -> pd.Series:
    """For each of ``days`` (sorted, no NaT), the rank of its run (days cut where ``gap`` passes
    without one): 1 for the run with most days (then the latest), 2 the next…; same index."""
    run = (days.diff() > gap).cumsum()
    sizes = days.groupby(run).agg(["size", "max"]).sort_values(["size", "max"], ascending=False)
    rank = {run_id: number for number, run_id in enumerate(sizes.index, start=1)}
    return run.map(rank)


def case_dates(engine, date: str = "positive_date", gap: pd.Timedelta = OUTBREAK_GAP,
               include_undated: bool = False) -> pd.DataFrame:
    """Every case with a ``date`` (default ``positive_date``; ``include_undated``: every case,
    NaT when it has none), and the outbreak of its city it falls in.

    Columns: case_id, label, city ("unknown" when the notice names none), published (the
    notice's), category, date, outbreak and outlier. A city's cases are cut into outbreaks
    where ``gap`` days pass without a case; ``outbreak`` 1 is the one with most cases (then the
    latest), 2 the next… ``outlier`` names why a case is in no outbreak (``outbreak`` NA):
    "after its notice was published" (an impossible date, so a misread one).
    """
    column = _date_column(date)
    query = (select(cases.c.id.label("case_id"), cases.c.label,
                    func.coalesce(notices.c.city, "unknown").label("city"),
                    _as_stored(notices.c.published).label("published"), cases.c.category,
                    _as_stored(column).label("date"))
             .select_from(cases).join(notices, notices.c.id == cases.c.notice_id)
             .order_by(column.is_(None), column, cases.c.id))
    if not include_undated:
        query = query.where(column.is_not(None))
    frame = _read(engine, query, ["published", "date"])
    frame["outlier"] = pd.Series(pd.NA, index=frame.index, dtype="string").mask(
        frame["date"] > frame["published"], "after its notice was published")
    frame["outbreak"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    dated = frame[frame["outlier"].isna() & frame["date"].notna()]
    for _city, rows in dated.groupby("city", sort=False):
        days = rows["date"].sort_values()
        frame.loc[days.index, "outbreak"] = outbreak_runs(days, gap).to_numpy()
    return frame


def outbreaks(engine, date: str = "positive_date", gap: pd.Timedelta = OUTBREAK_GAP) -> pd.DataFrame:
    """Each city's outbreaks (see ``case_dates``): city, outbreak (1 = most cases), first, last,
    days, cases, notices; cities with the largest outbreak first."""
    dated = case_dates(engine, date, gap)
    columns = ["city", "outbreak", "first", "last", "days", "cases"]
    if dated["outbreak"].notna().sum() == 0:
        return pd.DataFrame(columns=columns)
    table = (dated.dropna(subset=["outbreak"]).groupby(["city", "outbreak"])
             .agg(first=("date", "min"), last=("date", "max"), cases=("case_id", "size")).reset_index())
    table["days"] = (table["last"] - table["first"]).dt.days + 1
    biggest = table[table["outbreak"] == 1].set_index("city")["cases"]
    table = table.assign(order=table["city"].map(biggest)).sort_values(
        ["order", "city", "outbreak"], ascending=[False, True, True])
    return table[columns].reset_index(drop=True)


def place_exposure(engine, by: str = "place", city: str | None = None,
                   top: int | None = None) -> pd.DataFrame:
    """Places (or, ``by="district"``, districts) ranked by distinct cases, then by visits.

    Visits not attributed to a case (risk-point lists) count as visits but add no case.
    """
    distinct_cases = func.count(visits.c.case_id.distinct()).label("cases")
    visit_count = func.count(visits.c.id).label("visits")
    spans = (func.min(visits.c.date).label("first_date"),
             func.max(func.coalesce(visits.c.end_date, visits.c.date)).label("last_date"))
    if by == "place":
        keys = (places.c.id.label("place_id"), places.c.name.label("place"), places.c.category,
                places.c.district, places.c.city)
        extra = ()
    elif by == "district":
        keys = (places.c.city, places.c.district)
        extra = (func.count(places.c.id.distinct()).label("places"),)
    else:
        raise ValueError('by must be "place" or "district"')
    query = (select(*keys, distinct_cases, visit_count, *extra, *spans)
             .select_from(visits).join(places, places.c.id == visits.c.place_id)
             .group_by(*keys)
             .order_by(distinct_cases.desc(), visit_count.desc(), *keys)
             .limit(top))
    if city is not None:
        query = query.where(places.c.city == city)
    return _read(engine, query, ["first_date", "last_date"])


def place_day_counts(engine, top: int = 20, city: str | None = None) -> pd.DataFrame:
    """Distinct cases and visits per place and day, for the ``top`` places by distinct cases."""
    top_places = (select(visits.c.place_id)
                  .where(visits.c.place_id.is_not(None), _in_city(visits.c.place_id, city))
                  .group_by(visits.c.place_id)
                  .order_by(func.count(visits.c.case_id.distinct()).desc(), visits.c.place_id)
                  .limit(top).subquery())
    query = (select(places.c.id.label("place_id"), places.c.name.label("place"), places.c.district,
                    visits.c.date, func.count(visits.c.case_id.distinct()).label("cases"),
                    func.count(visits.c.id).label("visits"))
             .select_from(visits)
             .join(top_places, top_places.c.place_id == visits.c.place_id)
             .join(places, places.c.id == visits.c.place_id)
             .where(visits.c.date.is_not(None))
             .group_by(places.c.id, places.c.name, places.c.district, visits.c.date)
             .order_by(places.c.id, visits.c.date))
    return _read(engine, query, ["date"])


def notices_overview(engine) -> pd.DataFrame:
    """Notices, cases and visits per city and publication date."""
    per_notice = (select(notices.c.id, notices.c.city, notices.c.published,
                         select(func.count(cases.c.id)).where(cases.c.notice_id == notices.c.id)
                         .scalar_subquery().label("cases"),
                         select(func.count(visits.c.id)).where(visits.c.notice_id == notices.c.id)
                         .scalar_subquery().label("visits"))
                  .subquery())
    city = func.coalesce(per_notice.c.city, "unknown").label("city")
    query = (select(city, per_notice.c.published, func.count(per_notice.c.id).label("notices"),
                    func.sum(per_notice.c.cases).label("cases"),
                    func.sum(per_notice.c.visits).label("visits"))
             .group_by(city, per_notice.c.published)
             .order_by(per_notice.c.published.is_(None), per_notice.c.published, city))
    return _read(engine, query, ["published"])


#: The fields whose fill rate ``field_completeness`` reports, per table.
COMPLETENESS_FIELDS = {
    "notices": ("title", "number", "issuer", "city", "published"),
    "cases": ("label", "sex", "age", "category", "occupation", "residence", "onset_date", "symptoms",
              "exposure", "discovery", "isolation_date", "positive_date", "hospital", "diagnosis"),
    "visits": ("date", "start", "end", "part_of_day", "place_id", "activity", "vehicle"),
    "relations": ("other_case_id", "phrase"),
}


def field_completeness(engine) -> pd.DataFrame:
    """For each table and field: rows, rows with a value, and the share filled."""
    tables = {"notices": notices, "cases": cases, "visits": visits, "relations": relations}
    frames = []
    for name, fields in COMPLETENESS_FIELDS.items():
        table = tables[name]
        query = select(func.count().label("rows"),
                       *(func.count(table.c[field]).label(field) for field in fields))
        counts = _read(engine, query).iloc[0]
        frames.append(pd.DataFrame({"table": name, "field": list(fields), "rows": counts["rows"],
                                    "filled": [counts[field] for field in fields]}))
    result = pd.concat(frames, ignore_index=True)
    result["share"] = (result["filled"] / result["rows"].where(result["rows"] > 0)).round(3)
    return result


def case_spans(engine) -> pd.DataFrame:
    """Per case: label, person, notice, city, category, positive date, first/last visited day."""
    visit_days = (select(visits.c.case_id, func.min(visits.c.date).label("first_visit"),
                         func.max(func.coalesce(visits.c.end_date, visits.c.date)).label("last_visit"))
                  .where(visits.c.case_id.is_not(None))
                  .group_by(visits.c.case_id).subquery())
    query = (select(cases.c.id.label("case_id"), cases.c.label, cases.c.person_id, cases.c.notice_id,
                    notices.c.city, notices.c.published, cases.c.category, cases.c.sex, cases.c.age,
                    cases.c.positive_date, visit_days.c.first_visit, visit_days.c.last_visit)
             .select_from(cases).join(notices, notices.c.id == cases.c.notice_id)
             .outerjoin(visit_days, visit_days.c.case_id == cases.c.id)
             .order_by(cases.c.id))
    return _read(engine, query, ["published", "positive_date", "first_visit", "last_visit"])


def case_links(engine) -> tuple[pd.DataFrame, int]:
    """Relations between two cases in the database, and how many name a case not found in it."""
    query = (select(relations.c.case_id, relations.c.other_case_id, relations.c.kind,
                    relations.c.phrase)
             .where(relations.c.other_case_id.is_not(None),
                    relations.c.other_case_id != relations.c.case_id)
             .order_by(relations.c.id))
    unresolved = select(func.count(relations.c.id)).where(relations.c.other_case_id.is_(None))
    with connect(engine).connect() as conn:
        return pd.read_sql(query, conn), conn.execute(unresolved).scalar_one()


def busiest_notice(engine) -> int | None:
    """The id of the notice with the most visits attributed to cases (None when there are none)."""
    visit_count = func.count(visits.c.id)
    query = (select(visits.c.notice_id).where(visits.c.case_id.is_not(None))
             .group_by(visits.c.notice_id).order_by(visit_count.desc(), visits.c.notice_id).limit(1))
    with connect(engine).connect() as conn:
        return conn.execute(query).scalar()
