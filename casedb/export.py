"""Export the database for sharing: one file per table, a flat line list, and Global.health-style JSON.

Column names are part of casedb's interface (see README "Sharing data"); ids are renamed
``<table>_id`` so that files join on the same names.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Engine, String, Text, and_, or_, select, text
from sqlalchemy.exc import DBAPIError

from casedb.errors import CasedbError
from casedb.places import place_key
from casedb.pseudonymise import age_bands, case_pseudonym, pseudonymise_text, rare_ages, sensitive_tokens
from casedb.store.engine import in_chunks
from casedb.store.dataframes import apply_dtypes
from casedb.store import models

FORMATS = ("csv", "parquet", "json", "xlsx", "geojson")
#: The workbook of ``--format xlsx`` (one sheet per table) and the places file of ``--format geojson``.
WORKBOOK = "casedb.xlsx"
PLACES_GEOJSON = "places.geojson"
#: Excel's limit of rows in a sheet (the header takes one).
EXCEL_MAX_ROWS = 1_048_576
TABLES = ("notices", "cases", "visits", "relations", "places")
LINELIST = "linelist"
GLOBALHEALTH = "globalhealth"
GLOBALHEALTH_SCHEMA = "globalhealth.schema.json"
DEFAULT_K = 5
#: No COVID-19 trajectory happened before this day: a pseudonymised export leaves earlier dates empty
#: (such a date is a misread, e.g. a date of birth taken for the day of a visit).
EARLIEST_DATE = dt.date(2019, 12, 1)
#: Text columns that are not free text and stay as they are (the document's address, a version string).
_NOT_SCRUBBED = ("source", "parser_version")


def _case_filter(where: str | None):
    """The ids of the exported cases, as a subquery (all cases when ``where`` is None)."""
    ids = select(models.cases.c.id)
    return ids.where(case_condition(where)) if where else ids


_CONDITION_TOKEN = re.compile(
    r"\s+|(?P<string>'(?:[^']|'')*')|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<name>(?:cases\.)?[A-Za-z_][A-Za-z0-9_]*)|(?P<operator><=|>=|<>|!=|=|<|>|\(|\)|,|\+|-(?!-)|\*|\|\|)")
_CONDITION_WORDS = {"AND", "OR", "NOT", "IS", "NULL", "LIKE", "IN", "BETWEEN", "TRUE", "FALSE"}
_CONDITION_FUNCTIONS = {"LOWER", "UPPER", "LENGTH", "COALESCE", "SUBSTR", "TRIM", "ABS", "DATE"}


def case_condition(where: str):
    """``--where`` read as a condition on the ``cases`` columns, never pasted into SQL: each token is
    checked (columns of ``cases``, literals, comparison and logic words, a few functions, brackets), the
    literals become bound parameters and the columns are written by casedb. Anything else (a second
    statement, a comment, a subquery, another table) is a :class:`CasedbError` naming what was not allowed."""
    columns = models.cases.c
    parts, values, depth, position, compared = [], {}, 0, 0, None
    while position < len(where):
        m = _CONDITION_TOKEN.match(where, position)
        if m is None:
            raise CasedbError(f"--where {where!r}: {where[position:position + 12]!r} is not allowed in a condition")
        position = m.end()
        if m.group("string") is not None:
            value = m.group("string")[1:-1].replace("''", "'")
            if compared is not None and isinstance(compared.type, (Date, DateTime)):   # positive_date >= '2022-04-01'
                try:
                    value = (dt.date if isinstance(compared.type, Date) else dt.datetime).fromisoformat(value)
                except ValueError:
                    raise CasedbError(f"--where {where!r}: {value!r} is not a date for {compared.name}") from None
            values[f"where_{len(values)}"] = value
            parts.append(f":where_{len(values) - 1}")
        elif m.group("number") is not None:
            number = m.group("number")
            values[f"where_{len(values)}"] = float(number) if "." in number else int(number)
            parts.append(f":where_{len(values) - 1}")
        elif m.group("name") is not None:
            name = m.group("name").removeprefix("cases.")
            word = name.upper()
            if word in _CONDITION_WORDS:
                compared = None if word in ("AND", "OR") else compared
                parts.append(word)
            elif word in _CONDITION_FUNCTIONS and where[position:].lstrip().startswith("("):
                parts.append(word)
            elif name in columns:
                compared = columns[name]
                parts.append(f"cases.{name}")
            else:
                raise CasedbError(f"--where {where!r}: no such column: {name} (the columns of cases: "
                                  f"{', '.join(sorted(columns.keys()))})")
        elif m.group("operator") is not None:
            operator = m.group("operator")
            depth += {"(": 1, ")": -1}.get(operator, 0)
            if depth < 0:
                raise CasedbError(f"--where {where!r}: a ')' closes no '('")
            parts.append(operator)
    if depth:
        raise CasedbError(f"--where {where!r}: a '(' is not closed")
    if not parts:
        raise CasedbError("--where: the condition is empty")
    return text(" ".join(parts)).bindparams(**values)


def _table_queries(where: str | None) -> dict:
    """One SELECT per exported table, with the documented column names."""
    c, v, r, p, n, d = (table.c for table in (models.cases, models.visits, models.relations, models.places,
                                                models.notices, models.documents))
    notices_table, documents_table = models.notices, models.documents
    selected = _case_filter(where)
    notices = select(n.id.label("notice_id"), n.document_id, d.source, n.title, n.number, n.issuer, n.city,
                     n.published, n.year_in_text, n.span_start, n.span_end, n.parser_version
                     ).join_from(notices_table, documents_table, n.document_id == d.id)
    cases = select(c.id.label("case_id"), c.case_key, c.notice_id, c.document_id, c.person_id, c.label, c.series,
                   c.number, c.number_scope, c.sex, c.age, c.category, c.occupation, c.residence, c.residence_district,
                   c.residence_adcode, c.isolation_date, c.positive_date, c.onset_date, c.symptoms, c.year_inferred,
                   c.exposure, c.exposure_origin, c.exposure_date, c.discovery, c.discovery_phrase, c.hospital,
                   c.diagnosis, c.span_start, c.span_end, c.parser_version)
    visits = select(v.id.label("visit_id"), v.visit_key, v.case_id, v.notice_id, v.document_id, v.place_id, v.kind,
                    v.date, v.end_date, v.start, v.end, v.part_of_day, v.place_text, v.place_qualifier, v.activity,
                    v.vehicle, v.year_inferred, v.span_start, v.span_end, v.parser_version)
    relations = select(r.id.label("relation_id"), r.relation_key, r.case_id, r.other_case_id, r.other_label, r.other_scope, r.kind,
                       r.phrase, r.document_id, r.span_start, r.span_end, r.parser_version)
    places = select(p.id.label("place_id"), p.name, p.normalised_name, p.category, p.province, p.city, p.district,
                    p.adcode, p.latitude, p.longitude)
    if where:
        selected_notices = select(c.notice_id).where(c.id.in_(selected))
        notices = notices.where(n.id.in_(selected_notices))
        cases = cases.where(c.id.in_(selected))
        visits = visits.where(or_(v.case_id.in_(selected),
                                  and_(v.case_id.is_(None), v.notice_id.in_(selected_notices))))
        relations = relations.where(r.case_id.in_(selected))
        places = places.where(p.id.in_(select(v.place_id).where(v.case_id.in_(selected))))
    return {"notices": notices.order_by(n.id), "cases": cases.order_by(c.id),
            "visits": visits.order_by(v.id), "relations": relations.order_by(r.id),
            "places": places.order_by(p.id)}


def _text_columns(query) -> list[str]:
    return [col.name for col in query.selected_columns if isinstance(col.type, (String, Text))]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read transaction: every query sees the database as it was at its first read,
    whatever a concurrent load commits meanwhile (REPEATABLE READ on PostgreSQL; one SQLite transaction,
    which in WAL mode reads one snapshot)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def read_tables(source: Engine | Connection, where: str | None = None) -> dict[str, pd.DataFrame]:
    """The exported tables as DataFrames, typed as :func:`casedb.frames` (dates as pyarrow dates, so that
    Parquet keeps them as DATE), all read in one transaction (an engine gets a :func:`snapshot` of its own)."""
    if isinstance(source, Engine):
        with snapshot(source) as connection:
            return read_tables(connection, where)
    try:
        return {name: apply_dtypes(pd.read_sql(query, source, dtype_backend="numpy_nullable"),
                                   query.selected_columns, dates="date32")
                for name, query in _table_queries(where).items()}
    except (DBAPIError, pd.errors.DatabaseError) as err:
        if where is None:
            raise
        cause = err if isinstance(err, DBAPIError) else err.__cause__      # pandas wraps the driver's error
        reason = str(getattr(cause, "orig", cause) or err).strip().splitlines()[0]
        raise CasedbError(f"--where {where!r}: {reason}") from err


def _case_keys(connection: Connection, case_ids: pd.Series) -> dict[int, str]:
    """A natural key per case that survives reloading the same documents: source, label, offset."""
    c, d = models.cases.c, models.documents.c
    wanted = sorted(set(case_ids.dropna().astype(int)))
    keys = {}
    for chunk in in_chunks(wanted):
        query = select(c.id, d.source, c.label, c.span_start).join_from(
            models.cases, models.documents, c.document_id == d.id).where(c.id.in_(chunk))
        keys.update({row.id: f"{row.source}\x1f{row.label or ''}\x1f{row.span_start}"
                     for row in connection.execute(query)})
    return keys


def _source_tokens(connection: Connection, tables: dict[str, pd.DataFrame]) -> re.Pattern | None:
    """What the text rules find in the exported documents' own text (plates and their tails, phone, id and
    other numbers, e-mail and account ids, names), as one pattern: a field that holds a piece of it (a plate's
    tail the parser took for a train, D12345) is scrubbed even where the piece alone looks harmless."""
    document_ids = sorted({int(i) for frame in tables.values() if "document_id" in frame
                           for i in frame["document_id"].dropna()})
    tokens: set[str] = set()
    d = models.documents.c
    for chunk in in_chunks(document_ids):
        for document_text in connection.execute(select(d.text).where(d.id.in_(chunk))).scalars():
            tokens |= sensitive_tokens(document_text)
    if not tokens:
        return None
    return re.compile("|".join(re.escape(token) for token in sorted(tokens, key=len, reverse=True)), re.IGNORECASE)


def _scrub(value: str, tokens: re.Pattern | None) -> str:
    value = pseudonymise_text(value)
    return tokens.sub("[…]", value) if tokens is not None else value


def _ages(cases: pd.DataFrame) -> list[int | None]:
    return [None if pd.isna(a) else int(a) for a in cases["age"]]


def _add_age_band(cases: pd.DataFrame, k: int) -> None:
    """Insert ``age_band`` after ``age``: 10-year bands, merged until each holds ``k`` cases."""
    bands = pd.array(age_bands(_ages(cases), k=k), dtype="string")
    cases.insert(cases.columns.get_loc("age") + 1, "age_band", bands)


def _pseudonymise_tables(connection: Connection, tables: dict[str, pd.DataFrame], salt: str, k: int) -> None:
    """Rewrite ``tables`` in place: text scrubbed, dates before :data:`EARLIEST_DATE` emptied, case ids and
    stable keys hashed with the salt, exact ages shared by fewer than ``k`` cases removed (their ``age_band``
    stays)."""
    queries = _table_queries(None)
    tokens = _source_tokens(connection, tables)
    for name, frame in tables.items():
        for column in _text_columns(queries[name]):
            if column not in _NOT_SCRUBBED:
                frame[column] = frame[column].map(lambda value: _scrub(value, tokens), na_action="ignore")
        for column in _date_columns(queries[name]):
            too_early = [not pd.isna(value) and _before_covid(value) for value in frame[column]]
            if any(too_early):
                frame.loc[too_early, column] = None
    places = tables["places"]
    if len(places):   # the identity key again, from the scrubbed name (the stored one is cut from the raw name)
        places["normalised_name"] = pd.array(
            [None if pd.isna(name) else _scrub(place_key(name, None if pd.isna(city) else city), tokens)
             for name, city in zip(places["name"], places["city"])], dtype="string")
    cases = tables["cases"]
    cases.loc[cases["age"].isin(rare_ages(_ages(cases), k=k)), "age"] = pd.NA
    keys = _case_keys(connection, pd.concat([cases["case_id"], tables["relations"]["other_case_id"]]))
    pseudonym = {case_id: case_pseudonym(key, salt) for case_id, key in keys.items()}
    for name, column in (("cases", "case_id"), ("visits", "case_id"), ("relations", "case_id"),
                         ("relations", "other_case_id")):
        tables[name][column] = pd.array(
            [None if pd.isna(i) else pseudonym[int(i)] for i in tables[name][column]], dtype="string")
    for name, column in (("cases", "case_key"), ("visits", "visit_key"), ("relations", "relation_key")):
        # stable keys hash the source's path: salted too, so that they stay stable per salt and reveal nothing
        tables[name][column] = pd.array(
            [None if pd.isna(key) else case_pseudonym(key, salt) for key in tables[name][column]], dtype="string")


def _date_columns(query) -> list[str]:
    return [col.name for col in query.selected_columns if isinstance(col.type, (Date, DateTime))]


def _before_covid(value) -> bool:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return False
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        value = value.date()
    return isinstance(value, dt.date) and value < EARLIEST_DATE


def linelist(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per case: who, where, first positive date, date of onset, and how many visits and relations."""
    cases, notices = tables["cases"], tables["notices"]
    visit_counts = tables["visits"]["case_id"].value_counts()
    relation_counts = tables["relations"]["case_id"].value_counts()
    notice_info = notices.set_index("notice_id")[["city", "published"]].rename(
        columns={"published": "notice_published"})
    rows = cases[["case_id", "case_key", "notice_id", "label", "sex", "age", "age_band", "category", "residence",
                  "residence_district"]].join(notice_info, on="notice_id")
    rows["first_positive_date"] = cases["positive_date"]
    rows["onset_date"] = cases["onset_date"]
    rows[["exposure_origin", "exposure_date", "discovery"]] = cases[["exposure_origin", "exposure_date", "discovery"]]
    rows["visit_count"] = rows["case_id"].map(visit_counts).fillna(0).astype("Int64")
    rows["relation_count"] = rows["case_id"].map(relation_counts).fillna(0).astype("Int64")
    return rows[["case_id", "case_key", "label", "city", "notice_published", "sex", "age", "age_band", "category",
                 "first_positive_date", "onset_date", "exposure_origin", "exposure_date", "discovery", "residence",
                 "residence_district", "visit_count", "relation_count"]]


def _json_value(value):
    """A JSON-ready value: NA → None, dates → ISO strings, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = list(frame.columns)
    return [{col: _json_value(val) for col, val in zip(columns, row)}
            for row in frame.itertuples(index=False, name=None)]


def _date_range(start, end=None) -> dict:
    start = _json_value(start)
    return {"start": start, "end": _json_value(end) or start}


def globalhealth_records(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """One Global.health-style case object per case (schema: ``casedb/data/globalhealth.schema.json``)."""
    notices = {row["notice_id"]: row for row in _records(tables["notices"])}
    places = {row["place_id"]: row for row in _records(tables["places"])}
    visits_of: dict = {}
    for visit in _records(tables["visits"]):
        if visit["case_id"] is not None:
            visits_of.setdefault(visit["case_id"], []).append(visit)
    links_of: dict = {}
    for relation in _records(tables["relations"]):
        if relation["other_case_id"] is not None:
            links_of.setdefault(relation["case_id"], []).append(str(relation["other_case_id"]))
    records = []
    for case in _records(tables["cases"]):
        notice = notices[case["notice_id"]]
        visits = visits_of.get(case["case_id"], [])
        travel = [_travel_item(visit, places.get(visit["place_id"])) for visit in visits if visit["kind"] != "home"]
        records.append({
            "caseId": str(case["case_id"]),
            "caseReference": {"sourceUrl": notice["source"], "sourceEntryId": case["label"],
                              "notice": notice["title"], "noticePublished": notice["published"]},
            "demographics": _demographics(case),
            "location": {"country": "China", "administrativeAreaLevel2": notice["city"],
                         "administrativeAreaLevel3": case["residence_district"],
                         "place": case["residence"]},
            "events": _events(case),
            "travelHistory": {"traveledPrior30Days": bool(travel), "travel": travel},
            "transmission": {"linkedCaseIds": sorted(set(links_of.get(case["case_id"], []))),
                             "places": sorted({v["place_text"] for v in visits
                                               if v["kind"] == "visit" and v["place_text"]})},
        })
    return records


def _demographics(case: dict) -> dict:
    demographics = {"gender": {"male": "Male", "female": "Female"}.get(case["sex"]),
                    "occupation": case["occupation"]}
    if case["age"] is not None:
        demographics["ageRange"] = {"start": case["age"], "end": case["age"]}
    elif case.get("age_band"):
        low, high = case["age_band"].split("-")
        demographics["ageRange"] = {"start": int(low), "end": int(high)}
    return demographics


def _events(case: dict) -> list[dict]:
    events = []
    if case["positive_date"]:
        events.append({"name": "confirmed", "dateRange": _date_range(case["positive_date"]),
                       "value": case["category"]})
    if case["onset_date"]:   # the symptoms as written go with it (发热、咳嗽)
        events.append({"name": "onsetSymptoms", "dateRange": _date_range(case["onset_date"]),
                       "value": case["symptoms"]})
    if case["isolation_date"]:
        events.append({"name": "selfIsolation", "dateRange": _date_range(case["isolation_date"])})
    return events


def _travel_item(visit: dict, place: dict | None) -> dict:
    place = place or {}
    location = {"name": visit["place_text"] or place.get("name"),
                "administrativeAreaLevel2": place.get("city") or None,
                "administrativeAreaLevel3": place.get("district")}
    if place.get("latitude") is not None and place.get("longitude") is not None:
        location["geometry"] = {"latitude": place["latitude"], "longitude": place["longitude"]}
    item = {"location": location, "kind": visit["kind"], "purpose": visit["activity"]}
    if visit["date"]:
        item["dateRange"] = _date_range(visit["date"], visit["end_date"])
    if visit["kind"] == "transit":
        item["methods"] = [visit["vehicle"] or visit["place_text"] or "transit"]
    return item


def globalhealth_schema() -> dict:
    return json.loads(resources.files("casedb").joinpath("data", GLOBALHEALTH_SCHEMA).read_text(encoding="utf-8"))


def validate_globalhealth(records: list[dict]) -> None:
    """Raise ``jsonschema.ValidationError`` unless every record fits the shipped schema."""
    import jsonschema

    schema = globalhealth_schema()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for record in records:
        validator.validate(record)


def _write(frame: pd.DataFrame, path: Path, fmt: str, excel: bool = False) -> None:
    if fmt == "csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig" if excel else "utf-8")
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        _write_json(path, _records(frame))


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def _excel_value(value, kind: str | None, illegal: re.Pattern):
    """A cell value: dates and times as Excel dates (``kind`` "date" or "datetime"), NA empty, no character
    Excel refuses (``illegal``: openpyxl's ``ILLEGAL_CHARACTERS_RE``)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind is not None:
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        if kind == "date" and isinstance(value, dt.datetime):
            value = value.date()
        return value
    if isinstance(value, str):
        return illegal.sub("", value)
    return value.item() if hasattr(value, "item") else value


def _date_kinds() -> dict[str, str]:
    """Column name → "date" or "datetime", for every exported date or time column (the line list's too)."""
    kinds = {}
    for query in _table_queries(None).values():
        for col in query.selected_columns:
            if isinstance(col.type, DateTime):
                kinds[col.name] = "datetime"
            elif isinstance(col.type, Date):
                kinds[col.name] = "date"
    kinds.update(notice_published="date", first_positive_date="date")
    return kinds


def _write_workbook(tables: dict[str, pd.DataFrame], path: Path, progress) -> None:
    """One sheet per table, a header row, dates as Excel dates; text is always text (a value starting with = is
    never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # imported once, not for every cell

    too_long = [name for name, frame in tables.items() if len(frame) >= EXCEL_MAX_ROWS]
    if too_long:
        raise CasedbError(f"{', '.join(too_long)}: more rows than an Excel sheet holds ({EXCEL_MAX_ROWS - 1:,}); "
                          "export as csv or parquet, or cut with --where")
    kinds = _date_kinds()
    workbook = Workbook(write_only=True)
    for name, frame in tables.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append(list(frame.columns))
        column_kinds = [kinds.get(column) for column in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            cells = []
            for value, kind in zip(row, column_kinds):
                value = _excel_value(value, kind, ILLEGAL_CHARACTERS_RE)
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    value = cell
                cells.append(value)
            sheet.append(cells)
        if progress is not None:
            progress(name, len(frame))
    workbook.save(path)


def places_geojson(places: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection with one feature per place: a point at the centroid of the place's division
    (district, else city or province) where casedb's division table has one, else no geometry."""
    features = []
    for place in _records(places):
        latitude, longitude = place.get("latitude"), place.get("longitude")
        geometry = None
        if latitude is not None and longitude is not None:
            geometry = {"type": "Point", "coordinates": [longitude, latitude]}
        properties = {key: value for key, value in place.items() if key not in ("latitude", "longitude")}
        features.append({"type": "Feature", "id": place["place_id"], "geometry": geometry,
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def _sync(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def export(engine: Engine, out_dir, fmt: str = "csv", where: str | None = None, pseudonymise: bool = False,
           salt: str | None = None, k: int = DEFAULT_K, progress=None, excel: bool = False
           ) -> dict[str, tuple[Path, int]]:
    """Write every table, the line list and (for ``json``) Global.health-style cases to ``out_dir``.

    Formats: ``csv`` (``excel``: with a UTF-8 byte-order mark, so Excel reads the Chinese), ``parquet``, ``json``
    (plus ``globalhealth.json``), ``xlsx`` (one workbook, ``casedb.xlsx``, a sheet per table, dates as Excel
    dates) and ``geojson`` (only ``places.geojson``: each place at its division's centroid where known).

    ``where`` is a SQL condition on the ``cases`` table; the other tables are cut to what those
    cases reference. ``pseudonymise`` scrubs names and house numbers, hashes case ids with
    ``salt`` (random when None, so ids then do not line up between exports) and removes exact
    ages shared by fewer than ``k`` cases. Returns ``{name: (path, rows)}``.

    The files are one snapshot: every table is read in one transaction (REPEATABLE READ on PostgreSQL), so a
    load running meanwhile is either wholly in them or not at all. They are written into a temporary folder
    inside ``out_dir`` and moved into place only when all are written: a failure (a full disk) leaves the
    files of an earlier export as they were and no partial file.

    ``progress(name, rows)`` is called after each file is written; if it has a method
    ``expect(total_rows, cases)``, that is called once before the first file.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if excel and fmt != "csv":
        raise ValueError("excel (a byte-order mark for Excel) is for csv only")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with snapshot(engine) as connection:
        tables = read_tables(connection, where)
        _add_age_band(tables["cases"], k if pseudonymise else 1)
        if pseudonymise:
            _pseudonymise_tables(connection, tables, salt or secrets.token_hex(16), k)
    tables[LINELIST] = linelist(tables)
    records = globalhealth_records(tables) if fmt == "json" else None
    if getattr(progress, "expect", None) is not None:
        total = len(tables["places"]) if fmt == "geojson" else sum(map(len, tables.values())) + len(records or ())
        progress.expect(total, len(tables["cases"]))
    staging = Path(tempfile.mkdtemp(prefix=".casedb-export-", dir=out))
    try:
        staged = _write_all(tables, records, staging, fmt, progress, excel)
        for path in dict.fromkeys(path for path, _rows in staged.values()):   # a workbook holds several tables
            os.replace(path, out / path.name)
        return {name: (out / path.name, rows) for name, (path, rows) in staged.items()}
    except OSError as err:     # a full disk, a file-size limit…
        reason = err.strerror or str(err)
        raise CasedbError(f"{out}: {reason}: nothing was exported (the files already there are as they were)") \
            from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_all(tables: dict[str, pd.DataFrame], records: list[dict] | None, staging: Path, fmt: str,
               progress, excel: bool = False) -> dict[str, tuple[Path, int]]:
    if fmt == "xlsx":
        workbook = staging / WORKBOOK
        _write_workbook(tables, workbook, progress)
        _sync(workbook)
        return {name: (workbook, len(frame)) for name, frame in tables.items()}
    staged = {}

    def written(name: str, path: Path, rows: int) -> None:
        """``path`` is written: flush it to disk, note it and report it."""
        _sync(path)
        staged[name] = (path, rows)
        if progress is not None:
            progress(name, rows)

    if fmt == "geojson":
        path = staging / PLACES_GEOJSON
        _write_json(path, places_geojson(tables["places"]))
        written("places", path, len(tables["places"]))
        return staged
    for name, frame in tables.items():
        path = staging / f"{name}.{fmt}"
        _write(frame, path, fmt, excel)
        written(name, path, len(frame))
    if records is not None:
        path = staging / f"{GLOBALHEALTH}.json"
        _write_json(path, records)
        written(GLOBALHEALTH, path, len(records))
    return staged
