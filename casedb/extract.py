"""read → parse for one file, and the JSON contract of ``casedb extract`` (../shared/eval/README.md)."""
from __future__ import annotations

import datetime as dt

from casedb.errors import InputError
from casedb.limits import LimitExceeded
from casedb.parse import parse_source
from casedb.read import read_bytes, read_path
from casedb.records import Case, Extraction, Notice, Relation, SourceText, Visit


def extract_file(path) -> Extraction:
    """Read a file and parse every notice in it."""
    source = read_path(path)
    return Extraction(source=source, notices=_parse(source, str(path)))


def extract_text(data: str | bytes, source: str = "<text>") -> Extraction:
    """Parse a notice given as text (or undecoded bytes)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    text = read_bytes(raw, source)
    return Extraction(source=text, notices=_parse(text, source))


def _parse(text: SourceText, name: str) -> list[Notice]:
    """The notices of ``text``; a notice beyond :mod:`casedb.limits` is the file's one-line error."""
    try:
        return parse_source(text)
    except LimitExceeded as err:
        raise InputError(name, str(err)) from err


def to_contract(notices: list[Notice]) -> dict:
    """The ``{"notices": [...]}`` JSON object of the extraction contract."""
    return {"notices": [_notice(n) for n in notices]}


def _notice(notice: Notice) -> dict:
    return {
        "title": notice.title,
        "number": notice.number,
        "issuer": notice.issuer,
        "city": notice.city,
        "published": _date(notice.published),
        "year_in_text": notice.year_in_text,
        "cases": [_case(c) for c in notice.cases],
        "unattributed_visits": [_visit(v) for v in notice.unattributed_visits],
    }


def _case(case: Case) -> dict:
    return {
        "label": case.label,
        "sex": case.sex,
        "age": case.age,
        "category": case.category,
        "occupation": case.occupation,
        "residence": case.residence,
        "isolation_date": _date(case.isolation_date),
        "positive_date": _date(case.positive_date),
        "onset_date": _date(case.onset_date),
        "symptoms": case.symptoms,
        "year_inferred": case.year_inferred,
        "exposure": case.exposure,
        "exposure_origin": case.exposure_origin,
        "exposure_date": _date(case.exposure_date),
        "discovery": case.discovery,
        "discovery_phrase": case.discovery_phrase,
        "hospital": case.hospital,
        "relations": [_relation(r) for r in case.relations],
        "visits": [_visit(v) for v in case.visits],
    }


def _relation(relation: Relation) -> dict:
    return {"other": relation.other, "kind": relation.kind, "phrase": relation.phrase}


def _visit(visit: Visit) -> dict:
    out = {"kind": visit.kind, "date": _date(visit.date), "year_inferred": visit.year_inferred}
    if visit.kind == "home":
        out["end_date"] = _date(visit.end_date or visit.date)
        return out
    out.update({
        "end_date": _date(visit.end_date),
        "start": _time(visit.start),
        "end": _time(visit.end),
        "part_of_day": visit.part_of_day,
        "place": visit.place,
        "activity": visit.activity,
        "vehicle": visit.vehicle,
    })
    return out


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M") if value else None


def format_table(notices: list[Notice]) -> str:
    """A human-readable table of notices, cases and visits (terminal control characters escaped)."""
    from casedb.terminal import printable            # (here: a parse worker prints no table)

    if not notices:
        return "no notices found"
    out: list[str] = []
    for number, notice in enumerate(notices, 1):
        out.append(f"notice {number}: {notice.title or '(untitled)'}")
        facts = [("number", notice.number), ("issuer", notice.issuer), ("city", notice.city),
                 ("published", _date(notice.published))]
        out.append("  " + "  ".join(f"{k}: {v}" for k, v in facts if v))
        for case in notice.cases:
            who = ", ".join(str(v) for v in (
                {"male": "男", "female": "女"}.get(case.sex or ""),
                f"{case.age}岁" if case.age is not None else None,
                case.category, case.residence,
                f"positive {case.positive_date}" if case.positive_date else None) if v)
            out.append(f"  {case.label or '(unlabelled)'}: {who}")
            for relation in case.relations:
                out.append(f"    → {relation.other} {relation.kind} ({relation.phrase})")
            out.extend("    " + _visit_row(v) for v in case.visits)
        if notice.unattributed_visits:
            out.append("  unattributed visits:")
            out.extend("    " + _visit_row(v) for v in notice.unattributed_visits)
    return printable("\n".join(out))


def _visit_row(visit: Visit) -> str:
    when = _date(visit.date) or "?"
    if visit.kind == "home":
        last = _date(visit.end_date)
        return f"{when}{'…' + last if last and last != when else ''} home"
    clock = visit.start.strftime("%H:%M") if visit.start else (visit.part_of_day or "")
    extra = f" ({visit.activity})" if visit.activity else ""
    return f"{when} {clock:>5} {visit.kind:<7} {visit.place or ''}{extra}"
