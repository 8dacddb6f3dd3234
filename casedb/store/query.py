"""Reading the database for people: SQL results as table/JSON/CSV, the run log, one case with its sources."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from sqlalchemy import Engine, select, text

from casedb.store.models import cases, documents, import_runs, notices, relations, visits
from casedb.terminal import json_printable, printable

Rows = tuple[list[str], list[tuple]]


def run_sql(engine: Engine, sql: str) -> Rows:
    """(column names, rows) of one SQL statement."""
    with engine.connect() as connection:
        result = connection.execute(text(sql))
        if not result.returns_rows:
            return [], []
        return list(result.keys()), [tuple(row) for row in result]


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table") -> str:
    """Rows as an aligned text table, a JSON array of objects, or CSV with a header.

    Made to be printed (see :mod:`casedb.terminal`): no format carries a raw terminal control character.
    CSV text cells (and names) go through :func:`printable` (``\\x1b``); JSON writes such characters as
    ``\\u001b`` escapes, so it decodes to the stored values exactly."""
    if fmt == "json":
        return json_printable(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False,
                                         indent=1, default=str))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([printable(str(name)) for name in columns])
        writer.writerows([printable(value) if isinstance(value, str) else value for value in row] for row in rows)
        return out.getvalue().rstrip("\n")
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([_width(name)] + [_width(row[i]) for row in cells]) for i, name in enumerate(columns)]

    def line(values):
        return "  ".join(value + " " * (width - _width(value)) for value, width in zip(values, widths)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return " ".join(printable(str(value)).split())


def _width(value: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in value)


def recent_runs(engine: Engine, limit: int = 10) -> Rows:
    """The newest ``limit`` rows of ``import_runs``, errors shortened to the first one."""
    columns = ["id", "command", "started_at", "finished_at", "parser_version", "files_seen", "files_new",
               "files_changed", "files_unchanged", "files_failed", "files_missing", "rows_written", "errors"]
    with engine.connect() as connection:
        rows = connection.execute(select(*(import_runs.c[name] for name in columns))
                                  .order_by(import_runs.c.id.desc()).limit(limit)).all()
    return columns, [(*row[:-1], _first_error(row[-1])) for row in rows]


def _first_error(errors: str | None) -> str | None:
    if not errors:
        return None
    lines = errors.splitlines()
    return lines[0] + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else "")


def find_cases(engine: Engine, key: str, city: str | None = None) -> list[int]:
    """Ids of the cases a user means by ``key``: a case id (``12``) or a label (``病例49``), optionally in one city."""
    query = select(cases.c.id).join(notices, notices.c.id == cases.c.notice_id).order_by(cases.c.id)
    query = query.where(cases.c.id == int(key)) if key.isdigit() else query.where(cases.c.label == key)
    if city:
        query = query.where(notices.c.city == city)
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


@dataclass
class Highlight:
    start: int
    end: int
    what: str


def case_report(engine: Engine, case_id: int, mark=lambda fragment, what: f"【{fragment}】") -> str:
    """A case with its notice, document, visits and relations, and its source text with the parts
    each row came from marked by ``mark(fragment, kind)``."""
    with engine.connect() as connection:
        case = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().one()
        notice = connection.execute(select(notices).where(notices.c.id == case["notice_id"])).mappings().one()
        document = connection.execute(select(documents.c.source, documents.c.text, documents.c.source_present)
                                      .where(documents.c.id == case["document_id"])).mappings().one()
        case_visits = connection.execute(select(visits).where(visits.c.case_id == case_id)
                                         .order_by(visits.c.date, visits.c.start, visits.c.id)).mappings().all()
        outgoing = connection.execute(select(relations).where(relations.c.case_id == case_id)
                                      .order_by(relations.c.id)).mappings().all()
        incoming = connection.execute(
            select(relations, cases.c.label.label("owner_label")).join(cases, cases.c.id == relations.c.case_id)
            .where(relations.c.other_case_id == case_id).order_by(relations.c.id)).mappings().all()
        same_person = [] if case["person_id"] is None else connection.execute(
            select(cases.c.id, notices.c.published, notices.c.title).join(notices, notices.c.id == cases.c.notice_id)
            .where(cases.c.person_id == case["person_id"], cases.c.id != case_id).order_by(notices.c.published)).all()

    facts = ", ".join(str(value) for value in (case["sex"], case["age"], case["category"]) if value is not None)
    lines = [
        f"{case['label'] or '(unlabelled case)'} — case #{case_id}" + (f": {facts}" if facts else ""),
        f"notice #{notice['id']}: {notice['title'] or '(untitled)'} {notice['number'] or ''} — "
        f"{notice['city'] or 'city unknown'}, published {notice['published'] or 'unknown'}",
        f"source: {document['source']}" + ("" if document["source_present"] else " (no longer present)")
        + f", characters {case['span_start']}–{case['span_end']}, parser {case['parser_version']}",
    ]
    for name in ("residence", "occupation", "onset_date", "symptoms", "exposure", "exposure_origin", "exposure_date",
                 "discovery", "discovery_phrase", "isolation_date", "positive_date", "hospital", "diagnosis",
                 "case_key"):
        if case[name] is not None:
            lines.append(f"{name.replace('_', ' ')}: {case[name]}")
    lines += [f"same person: case #{other_id}, {title or 'notice'} ({published or 'date unknown'})"
              for other_id, published, title in same_person]
    lines.append(f"visits ({len(case_visits)}):")
    lines += [f"  {_visit_line(v)}" for v in case_visits]
    lines.append(f"relations ({len(outgoing) + len(incoming)}):")
    lines += [f"  → {r['other_label']} {r['kind']} ({r['phrase'] or ''})"
              + (f" = case #{r['other_case_id']}" if r["other_case_id"] else " (not in the database)")
              for r in outgoing]
    lines += [f"  ← {r['owner_label']} (case #{r['case_id']}) {r['kind']} ({r['phrase'] or ''})" for r in incoming]
    highlights = [Highlight(r["span_start"], r["span_end"], kind)
                  for kind, rows in (("visit", case_visits), ("relation", outgoing))
                  for r in rows if r["span_start"] is not None]
    lines = [printable(line) for line in lines]
    excerpt = _excerpt(document["text"], case["span_start"], case["span_end"], highlights, mark)
    if excerpt:
        lines += ["source text:", excerpt]
    return "\n".join(lines)


def _visit_line(visit) -> str:
    when = str(visit["date"] or "date unknown")
    if visit["end_date"] and visit["end_date"] != visit["date"]:
        when += f"..{visit['end_date']}"
    if visit["start"]:
        when += f" {visit['start']:%H:%M}" + (f"-{visit['end']:%H:%M}" if visit["end"] else "")
    elif visit["part_of_day"]:
        when += f" {visit['part_of_day']}"
    parts = [when, visit["kind"], visit["place_text"], visit["activity"], visit["vehicle"]
             if visit["vehicle"] != visit["place_text"] else None]
    return "  ".join(part for part in parts if part)


def _excerpt(document_text: str, start: int | None, end: int | None, highlights: list[Highlight], mark,
             limit: int = 4000) -> str:
    """The text from the case's span and its rows' spans, with each row's span marked."""
    starts = [h.start for h in highlights] + ([start] if start is not None else [])
    ends = [h.end for h in highlights] + ([end] if end is not None else [])
    if not starts or not ends:
        return ""
    start, end = min(starts), max(ends)
    end = min(end, start + limit)
    pieces, position = [], start
    for highlight in sorted(highlights, key=lambda h: h.start):
        if highlight.start < position or highlight.end > end:
            continue  # overlapping or outside the excerpt
        pieces.append(printable(document_text[position:highlight.start]))
        pieces.append(mark(printable(document_text[highlight.start:highlight.end]), highlight.what))
        position = highlight.end
    pieces.append(printable(document_text[position:end]))
    return "".join(pieces).strip()
