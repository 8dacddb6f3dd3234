"""Suspicious rows: what a user should look at before trusting a query (``casedb check``).

Each check is one SQL query (SQLAlchemy Core, SQLite and PostgreSQL alike) and each row it returns is a
:class:`Finding` naming the case, its city, and the document and notice it came from. The checks
(:data:`KINDS`) only read; none of them changes or hides a row.
"""
from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from sqlalchemy import Engine, and_, func, literal, or_, select

from casedb.store.models import cases, documents, notices, places, relations, visits
from casedb.store.query import format_rows
from casedb.terminal import printable

#: The kinds of finding, in the order they are listed, with what each means.
KINDS = {
    "same_sex_spouse": "a spouse relation between two cases of the same sex",
    "parent_too_young": "a parent/child relation where the parent is younger than, or less than "
                        "PARENT_MIN_GAP years older than, the child",
    "visit_after_positive": "a visit or ride dated after the case's positive date, or after an isolation "
                            "that led to the test (QUARANTINE_DAYS), at no hospital, quarantine or transfer "
                            "(EXPECTED_AFTER_POSITIVE)",
    "duplicate_visit": "two or more visits of one case with the same kind, date, start and place "
                       "(rides without a time are not: a taxi there and a taxi back)",
    "date_outside_notice": "a date after the notice was published, or (its year not written) more than "
                           "NOTICE_WINDOW_DAYS before it "
                           "(a notice without a publication date: its latest positive date)",
    "person_two_sexes": "a case whose person (cases.person_id) has cases of both sexes",
}

#: The least age gap (years) between a parent and a child that is not suspicious.
PARENT_MIN_GAP = 12

#: How many days before a notice's publication its dates may go back.
NOTICE_WINDOW_DAYS = 60

#: An isolation that began more than this many days before the positive test was a quarantine that ended
#: (14 days on entry from abroad, then 解除隔离): visits after it are not suspicious.
QUARANTINE_DAYS = 14

#: Words in a place or activity that explain a visit after the positive test: care, testing, quarantine,
#: a transfer. Places the parser files under the ``hospital`` category count as well.
EXPECTED_AFTER_POSITIVE = ("医院", "卫生院", "诊所", "门诊", "急诊", "就诊", "就医", "住院", "隔离", "转运",
                           "转至", "转入", "方舱", "定点", "救护车", "120", "核酸", "检测", "采样", "筛查")


@dataclass(frozen=True)
class Finding:
    """One suspicious row. ``case_id`` and ``label`` are None for a visit no case is named for."""

    kind: str
    case_id: int | None
    label: str | None
    city: str | None
    source: str
    title: str | None
    detail: str


COLUMNS = [field.name for field in fields(Finding)]


def findings(engine: Engine, kinds=None) -> list[Finding]:
    """The findings of the given ``kinds`` (default: every kind of :data:`KINDS`), by kind, city and case."""
    chosen = list(KINDS) if kinds is None else [kind for kind in KINDS if kind in set(kinds)]
    unknown = set(kinds or ()) - set(KINDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))}: not a kind of finding ({', '.join(KINDS)})")
    found = []
    with engine.connect() as connection:
        for kind in chosen:
            rows = connection.execute(_CHECKS[kind](connection.dialect.name)).all()
            found += sorted((Finding(kind, row.case_id, row.label, row.city, row.source, row.title, _detail(kind, row))
                             for row in rows), key=lambda f: (f.city or "", f.case_id or 0, f.detail))
    return found


def format_findings(found: list[Finding], fmt: str = "text") -> str:
    """``text``: one line per finding; ``csv``: a header and one row per finding (:data:`COLUMNS`)."""
    if fmt == "csv":
        return format_rows(COLUMNS, [astuple(finding) for finding in found], "csv")
    return "\n".join(printable(
        f"{f.kind}: " + (f"case #{f.case_id} {f.label or '(unlabelled)'}" if f.case_id else "no case")
        + f" ({f.city or 'city unknown'}): {f.detail} — {f.source}: {f.title or '(untitled notice)'}")
        for f in found)


def summary(found: list[Finding]) -> str:
    """``3 findings: same_sex_spouse 2, duplicate_visit 1`` (``no findings`` when there are none)."""
    counts = {kind: sum(f.kind == kind for f in found) for kind in KINDS}
    listed = ", ".join(f"{kind} {count}" for kind, count in counts.items() if count)
    return f"{len(found)} finding{'s' * (len(found) != 1)}: {listed}" if found else "no findings"


# --------------------------------------------------------------------------- the checks

def _with_source(query, notice_column=None):
    """``query`` with the case (outer: a visit may name none), its notice and its document joined:
    the columns every finding shows."""
    notice_column = cases.c.notice_id if notice_column is None else notice_column
    return (query.add_columns(cases.c.id.label("case_id"), cases.c.label, notices.c.city, documents.c.source,
                              notices.c.title)
            .join(notices, notices.c.id == notice_column)
            .join(documents, documents.c.id == notices.c.document_id))


def _related_pairs(kinds: tuple[str, ...], condition):
    """Relations of ``kinds`` from the owner (``cases``) to the other case (``other``) where ``condition(other)``."""
    other = cases.alias("other")
    query = (select(relations.c.kind.label("relation_kind"), relations.c.phrase, other.c.id.label("other_id"),
                    other.c.label.label("other_label"), other.c.age.label("other_age"), cases.c.sex, cases.c.age)
             .select_from(relations).join(cases, cases.c.id == relations.c.case_id)
             .join(other, other.c.id == relations.c.other_case_id))
    return _with_source(query).where(relations.c.kind.in_(kinds), condition(other))


def _same_sex_spouses(_dialect):
    return _related_pairs(("spouse",), lambda other: other.c.sex == cases.c.sex)


def _parents_too_young(_dialect):
    def gap_too_small(other):
        return or_(and_(relations.c.kind == "child", other.c.age - cases.c.age < PARENT_MIN_GAP),
                   and_(relations.c.kind == "parent", cases.c.age - other.c.age < PARENT_MIN_GAP))
    return _related_pairs(("child", "parent"), gap_too_small)


def _visits_after_positive(dialect):
    explained = or_(func.coalesce(places.c.category, "") == "hospital",
                    *(func.coalesce(column, "").contains(word, autoescape=True)
                      for word in EXPECTED_AFTER_POSITIVE for column in (visits.c.place_text, visits.c.activity)))
    query = (select(visits.c.date, visits.c.kind.label("visit_kind"), visits.c.place_text, visits.c.activity,
                    cases.c.positive_date, cases.c.isolation_date)
             .select_from(visits).join(cases, cases.c.id == visits.c.case_id)
             .outerjoin(places, places.c.id == visits.c.place_id))
    return _with_source(query).where(
        visits.c.kind.in_(("visit", "transit")),
        or_(visits.c.date > cases.c.positive_date,
            and_(visits.c.date > cases.c.isolation_date,
                 or_(cases.c.positive_date.is_(None),
                     _days_between(dialect, cases.c.isolation_date, cases.c.positive_date) <= QUARANTINE_DAYS))),
        ~explained)


def _duplicate_visits(_dialect):
    key = (visits.c.notice_id, visits.c.case_id, visits.c.kind, visits.c.date, visits.c.start, visits.c.place_text)
    repeatable = and_(visits.c.kind == "transit", visits.c.start.is_(None))   # a taxi there, a taxi back
    groups = (select(*key, func.count().label("copies")).where(~repeatable).group_by(*key)
              .having(func.count() > 1).subquery("duplicates"))
    query = (select(groups.c.kind.label("visit_kind"), groups.c.date, groups.c.start, groups.c.place_text,
                    groups.c.copies)
             .select_from(groups).outerjoin(cases, cases.c.id == groups.c.case_id))
    return _with_source(query, notice_column=groups.c.notice_id)


def _days_between(dialect: str, earlier, later):
    """Whole days from ``earlier`` to ``later`` (two date columns) in SQL."""
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier   # PostgreSQL: date - date is an integer


def _dates_outside_notice(dialect):
    """Dates after the notice was published or, unless the text writes their year (``year_inferred`` false),
    more than :data:`NOTICE_WINDOW_DAYS` before it. Of a notice
    without a publication date, dates after the latest positive date of its cases (a year read one too
    high); a compiled list such as Shijiazhuang's spans more than the window, so no lower bound there."""
    latest = (select(cases.c.notice_id, func.max(cases.c.positive_date).label("latest_positive"))
              .group_by(cases.c.notice_id).subquery("latest"))
    end = func.coalesce(notices.c.published, latest.c.latest_positive)

    def dated(query, names_and_columns, year_inferred, notice_column=None):
        return [_with_source(query.add_columns(literal(name).label("field"), column.label("value"),
                                              notices.c.published, latest.c.latest_positive),
                            notice_column=notice_column)
                .outerjoin(latest, latest.c.notice_id == notices.c.id)
                .where(column.is_not(None),
                       or_(column > end,
                           and_(func.coalesce(year_inferred, True).is_(True),
                                _days_between(dialect, column, notices.c.published) > NOTICE_WINDOW_DAYS)))
                for name, column in names_and_columns]

    of_visits = select().select_from(visits).outerjoin(cases, cases.c.id == visits.c.case_id)
    of_cases = select().select_from(cases)
    parts = (dated(of_visits, [("visit date", visits.c.date), ("visit end date", visits.c.end_date)],
                   visits.c.year_inferred, notice_column=visits.c.notice_id)
             + dated(of_cases, [(name.replace("_", " "), cases.c[name])
                                for name in ("positive_date", "isolation_date", "onset_date")], cases.c.year_inferred))
    return parts[0].union_all(*parts[1:])


def _persons_of_two_sexes(_dialect):
    two_sexes = (select(cases.c.person_id).where(cases.c.sex.is_not(None)).group_by(cases.c.person_id)
                 .having(func.count(func.distinct(cases.c.sex)) > 1))
    query = select(cases.c.person_id, cases.c.sex).select_from(cases)
    return _with_source(query).where(cases.c.person_id.in_(two_sexes))


_CHECKS = {
    "same_sex_spouse": _same_sex_spouses,
    "parent_too_young": _parents_too_young,
    "visit_after_positive": _visits_after_positive,
    "duplicate_visit": _duplicate_visits,
    "date_outside_notice": _dates_outside_notice,
    "person_two_sexes": _persons_of_two_sexes,
}


def _detail(kind: str, row) -> str:
    """What is suspicious about one row of a check, in a few words."""
    if kind == "same_sex_spouse":
        return f"spouse of {row.other_label} (case #{row.other_id}), both {row.sex} ({row.phrase or 'no phrase'})"
    if kind == "parent_too_young":
        role = "child" if row.relation_kind == "child" else "parent"
        return (f"{role} ({row.phrase or 'no phrase'}) of {row.other_label} (case #{row.other_id}), "
                f"aged {row.age} against {row.other_age}")
    if kind == "visit_after_positive":
        dates = ", ".join(f"{name} {value}" for name, value in
                          (("positive", row.positive_date), ("isolated", row.isolation_date)) if value)
        what = " ".join(part for part in (row.place_text, row.activity) if part) or "no place"
        return f"{row.visit_kind} on {row.date} ({dates}): {what}"
    if kind == "duplicate_visit":
        when = row.start.strftime("%Y-%m-%d %H:%M") if row.start else (row.date or "no date")
        return f"{row.copies} × {row.visit_kind} {when} {row.place_text or ''}".rstrip()
    if kind == "date_outside_notice":
        window = (f"published {row.published}" if row.published else
                  f"not dated; its latest positive date is {row.latest_positive}")
        return f"{row.field} {row.value} (notice {window})"
    return f"person #{row.person_id}: {row.sex} here, the other sex in another case"
