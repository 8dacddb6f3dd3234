"""Plain records passed between pipeline stages.

read → find notices → parse → **records** → store. The parser builds these; the store only
writes them. Every record that comes from text carries a ``span``: (start, end) character
offsets into the *document text* (``SourceText.text``, i.e. after decoding and HTML/Word
extraction, before traditional→simplified conversion, which keeps offsets).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Span = tuple[int, int]

#: The 14 relation kinds of the extraction contract (../shared/eval/README.md).
RELATION_KINDS = (
    "spouse", "child", "parent", "sibling", "grandparent", "grandchild", "in_law",
    "relative", "cohabitant", "colleague", "classmate", "close_contact",
    "same_trajectory", "other",
)
VISIT_KINDS = ("visit", "transit", "home")
#: How a case was found (``Case.discovery``): in a quarantine hotel or site, in home quarantine or health
#: monitoring, by community / mass / key-group screening, by going to a doctor, on arrival (landing or
#: entry test, closed-loop management), by tracing the contacts of a case.
DISCOVERY_KINDS = ("centralised_quarantine_screening", "home_quarantine_screening", "community_screening",
                   "presented_for_care", "entry_screening", "contact_tracing")
CATEGORIES = ("confirmed", "asymptomatic", "suspected")
#: ``Case.number_scope`` of a number that counts within its notice only (a day's list whose day is not known).
IN_NOTICE = "notice"


@dataclass
class Visit:
    """One trajectory item of a case: a place visit, a ride (transit) or days at home."""

    kind: str                          # visit | transit | home
    date: dt.date | None = None
    end_date: dt.date | None = None    # last day (inclusive) for home stays and multi-day stays
    start: dt.datetime | None = None   # clock time of arrival / start; None when not stated
    end: dt.datetime | None = None
    part_of_day: str | None = None     # 上午/中午/下午/晚上… when no clock time is given
    place: str | None = None           # as written; for transit the vehicle (D2424次列车, 出租车)
    activity: str | None = None        # 买奶茶, 就餐 …
    vehicle: str | None = None         # flight/train number, seat, bus line, plate (transit)
    span: Span | None = None
    year_inferred: bool = False        # the year of its date was not written but inferred


@dataclass
class Relation:
    """A stated link from the case that owns it to another labelled case."""

    other: str                         # the other case's label as written (病例33)
    kind: str                          # one of RELATION_KINDS, from the owner's point of view
    phrase: str | None = None          # the kin/link word as written (女儿, 密切接触者)
    span: Span | None = None
    other_scope: str = ""              # where the other's number counts (see Case.number_scope)


@dataclass
class Case:
    """One case of a notice (a confirmed, asymptomatic or suspected person): who, when found and how, where it
    went (``visits``) and whom it is linked to (``relations``)."""

    label: str | None                  # as written (病例49, 无症状感染者3); None for 该人员
    series: str | None = None          # case | asymptomatic | screening, prefixed imported_ for 境外输入
    number: int | None = None
    sex: str | None = None             # male | female
    age: int | None = None             # whole years; infants in months → 0
    category: str | None = None        # confirmed | asymptomatic | suspected
    occupation: str | None = None
    residence: str | None = None
    isolation_date: dt.date | None = None
    positive_date: dt.date | None = None
    onset_date: dt.date | None = None  # first symptoms (出现发热、咳嗽等症状 / 发病)
    symptoms: str | None = None        # as written: 发热、咳嗽、乏力
    diagnosis: str | None = None       # diagnosis sentence as written
    visits: list[Visit] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    span: Span | None = None
    year_inferred: bool = False        # the year of its positive / isolation / onset date was not written
    exposure: str | None = None        # as written: 1月22日武汉回温 / 与病例3共同就餐
    exposure_origin: str | None = None # the place travelled from: 武汉
    exposure_date: dt.date | None = None   # the return, or the stated exposure
    discovery: str | None = None       # one of DISCOVERY_KINDS
    discovery_phrase: str | None = None    # as written: 在集中隔离点核酸检测中发现
    hospital: str | None = None        # where the case is treated or isolated after diagnosis
    number_scope: str = ""             # where its number counts: "" the city (cumulative), "day:2020-01-28"
                                       # (a list that restarts every day), "district:泰顺县", "notice" (this one)


@dataclass
class Notice:
    """One notice of a document (a page may hold several): its heading facts and its cases."""

    title: str | None = None
    number: str | None = None          # 2022年第42号
    issuer: str | None = None
    city: str | None = None
    published: dt.date | None = None
    year_in_text: bool = True
    cases: list[Case] = field(default_factory=list)
    unattributed_visits: list[Visit] = field(default_factory=list)
    span: Span | None = None


@dataclass
class SourceText:
    """A document decoded to text. ``simplified`` has the same length as ``text``."""

    text: str
    simplified: str
    encoding: str
    media_type: str = "text/plain"     # text/plain | text/html | application/vnd…docx | application/msword


@dataclass
class Extraction:
    """What the pipeline found in one document."""

    source: SourceText
    notices: list[Notice] = field(default_factory=list)
