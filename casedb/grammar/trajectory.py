"""A case's trajectory text → :class:`~casedb.records.Visit` list.

``parse_trajectory(text, ctx, offset)`` walks the text clause by clause (clauses end at
，。；and line breaks), carrying the current date from one clause to the next. In each
clause it finds the dates (:mod:`.dates`), clock times (:mod:`.times`), rides
(:mod:`.transport`), places (:mod:`.places`) and stays at home (:mod:`.homes`), then:

- each ride is a ``transit`` and each place a ``visit`` dated by the last date before it;
  a stay over a range of days is one visit on the first day, unless the clause says it is
  daily (每天, 上班 …): then one visit or ride per day; a list of days (3月27、28日) gives one per day;
- a clock time goes to the first item after it (and to the destination of a ride that got
  it); a time with no item after it in its clause goes to the first item of the next clause;
- home stays become ``home`` items over whole days, minus the days with a visit.

``text`` is a slice of the document text (traditional characters are read through a
same-length simplified copy; places and activities are cut from ``text`` as written);
spans are ``offset`` + index in ``text``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from casedb.grammar.dates import MAYBE_DATE, DateContext, DateMatch, read_dates, window
from casedb.grammar.homes import back_home_that_day, find_stay_after_arrival, home_phrase, subtract_days, whole_days
from casedb.grammar.memo import SHORT_TEXT, cached, short_and_checked
from casedb.grammar.places import BRACKETED, MASK, PlaceMatch, after_detection_starts, find_places
from casedb.grammar.relations import KIN
from casedb.grammar.times import PARTS_OF_DAY, TimeMatch, find_times
from casedb.grammar.transport import Ride, find_rides
from casedb.read import to_simplified
from casedb.records import Visit

#: Excel's carriage-return escape, found in exported trajectory tables; ends a sentence.
_EXCEL_CR = "_x000D_"
#: A clause; a comma inside parentheses does not end it, a colon ends it unless it is a clock's.
#: (A run of plain characters is taken at once; a bracket that does not close soon is a plain character. Plain greedy
#: repeats: the possessive ones this rule had (``++``) saved a tenth of its work but were matched wrongly before CPython
#: 3.11.5 (gh-106052), cutting most clauses short on Debian 12's Python 3.11.2; atomic groups cost more than greedy
#: repeats here.)
_CLAUSE = re.compile(r"(?:[^，,。；;\n！？!?:：（(]+|[（(][^（()）\n]{0,60}[)）]|[（(]|(?<=[0-9０-９])[:：∶](?=[0-9０-９]))+")
#: The characters that always end a clause, but for a line break: those of the rule above but colons and brackets.
_CLAUSE_ENDS = "，,。；;！？!?"
#: A habit said to happen every day (每日早9时乘坐出租车上下班), without a range of days to repeat it over.
_EVERY_DAY = re.compile(r"每天|每日|每晚|每早|天天")
#: Going to school with no school named: the case's own school (:func:`parse_trajectory`'s ``school``).
_TO_SCHOOL = re.compile(r"(?<![放停])(?:上学|到校|返校)")
#: A range or list the clause says is repeated every day.
#: 1月5日-11日,多次去X上课: some days of the range, not each (one visit, on the first day).
_SOME_TIMES = re.compile(r"多次|几次|数次|有时|偶尔")
_DAILY = re.compile(_EVERY_DAY.pattern + r"|上下班|上班|夜班|上学|上课|值班|工作")
#: A date that names another case or report, not a day of this trajectory (1月10日第28号确诊病例,
#: 5月13日吉林市通报的确诊病例2): the report may be made by a city or county named after the date.
_NOT_TRAJECTORY_DATE = re.compile(
    r"\s*(?:第|确诊的?|新增|(?:[^\s到至在去往赴回返乘，,。；;]{1,8}?[省市县区州旗](?:卫健委|疾控中心|指挥部)?)?(?:通报|报告|公布|发布))")
#: A date that only bounds a vague period (1月1日前半月内, 11月中旬至12月31日).
_VAGUE_AFTER = re.compile(r"\s*(?:前(?!往|去)|以前|之前|以来|起|前后|左右)")
_VAGUE_BEFORE = re.compile(r"(?:中旬|上旬|下旬|月底|月初|底|初)\s*(?:至|到|—|-|－)\s*$")
#: Two dates joined by clock times (1月9日8:00-1月10日24:00) form one range.
_DATETIME_RANGE_GAP = re.compile(r"^[\s0-9０-９:：时分点许左右上下午晚凌晨早]*[-—–－~～至到]\s*$")
_LIST_GAP = re.compile(r"^\s*[、和及]\s*$")
#: 自12月15日至今: up to the next date of the trajectory.
_UP_TO_NOW = re.compile(r"\s*(?:至今|到现在)")
#: 直至1月29日: a range from the day after the current one.
_UNTIL = re.compile(r"(?:直至|一直到|至|到)\s*$")
#: Places of a recent period, on no stated day: 近14天内曾去过X / 发病前曾到过X / 潜伏期内曾到过X / 最近曾到X,
#: and places told beside the dated ones (此外,还到过X / 其足迹包括X); not a period that explains a date
#: (上月22日,即潜伏期间,到过X).
#: (Every alternative starts with a literal, which the regex engine skips to: ``(?<!即)`` is tested after it.)
_RECENT = re.compile("|".join(f"{word[0]}(?<!即{word[0]}){word[1:]}" for word in (
    r"近\s*\d+\s*[天日]内", "近[一两二三]?周", "近期", "近日", "最近", "发[发病]前", "病[发病]前", "发病后曾", "病发后", "潜伏期",
    "活动范围", "此外", "另外", "足迹")))
#: A clause that lists the places visited (曾到过A、B), whose list may go on past a comma. (Every alternative starts
#: with a literal, which the regex engine skips to; it tries (?:到|去|来)过 at every character.)
_VISITED_LIST = re.compile(r"到过|去过|来过|涉及|途经")
#: A clause that tells places visited, and one that goes on with them: names the places it counted or
#: joins more (曾到两间食肆,分别为A,和B / 曾到A,和B及C).
_VISITED = re.compile(_VISITED_LIST.pattern + r"|曾经?(?:到|去)")
_NAMING_THEM = re.compile(r"\s*(?:分别为|分别是|包括|以及|和(?!平)|及)")
#: Clauses about habits, the investigation or advice, not about a day of the trajectory. (Every alternative
#: starts with a literal, which the regex engine skips to; a count of cases, 3例本土, is :data:`_CASE_COUNT`.)
_NOT_TRAJECTORY = re.compile(
    r"长期|平时|平日|经常|常常|通常|一般|追踪|密接|密切接触者\d|流调|流行病学|排查|协查|发函|消杀|消毒|"
    r"旅居史|居住史|旅行史|接触史|如下|均佩戴|全程佩戴|隔档|付款|无社会面|无公共场所|请|如果|如有|若有|提醒|市民|群众|"
    r"发布会|新闻|专家|筛查(?!点)|新增|累计|本土病例|获悉|得知|了解到|以来|就近(?![到至去在])|及时|避免|第一时间|不要|暂不|务必|"
    r"截至|截止|暂停(?<!短暂停)|停运|防控措施|过程中"
)
_CASE_COUNT = re.compile(r"(?<![0-9])[0-9]+例(?:本土|境外|确诊|无症状|新冠|病例)")
#: A sentence that draws a risk area (封控区:东至X,南至Y…; 高风险区为X小区): its places are no visits.
_AREA_DESIGNATION = re.compile(r"\s*[一-龥]{0,8}?(?:封控区|管控区|防范区|(?:高|中|低)风险(?:地)?区)(?:域)?\s*(?:[:：]|为|包括|范围|$)")
#: Advice to the public (请市民如有发热…，尽快到…就诊): the rest of the sentence is advice too.
#: (请 not after 邀 is tested after 请, so that every alternative starts with a character the engine skips to.)
_ADVICE = re.compile(r"请(?<!邀请)|提醒|如有|若有|市民|群众|务必|广大")
#: Any of the guard phrases a clause is searched for (:data:`_EVERY_DAY`, :data:`_ADVICE`, :data:`_NOT_TRAJECTORY`,
#: :data:`_RECENT`): a clause without one is scanned once, not four times. (The rules' alternatives all start with
#: a literal, and so do theirs joined: the engine still skips to the characters that may start one.)
_ANY_GUARD = re.compile("|".join(rule.pattern for rule in (_EVERY_DAY, _ADVICE, _NOT_TRAJECTORY, _RECENT)))
#: A date in brackets after a place dates that place: 永丰中学(2020/1/25)、佳旺超市(2020/2/2)逗留过.
_BRACKET = re.compile(r"[（(][\s" + MASK + r"]+[)）]")
#: 除居家、在单位上班外: what the notice says it does not list (the listed outings follow it).
_EXCLUSION = re.compile(r"除了?[^，,。；;：:\n]{1,40}?[以之]?外(?![出地省市国卖科])")
#: 期间 opening a clause without its own date: somewhere within a range, on no stated day.
_DURING = re.compile(r"\s*(?:期间|其间|其中)")
#: A riding verb right before a time: the time is the vehicle's timetable (乘坐6:30分由南票至朝阳的客车).
_RIDE_VERB_BEFORE = re.compile(r"(?:乘坐|搭乘|乘)\s*$")
#: Going back to, or staying on at, a home visited before (返回到男友家中, 一直住在哥哥家).
_BACK_TO_STAY = re.compile(r"(?:返回|回到|回|住在)(?:到|至)?\s*$")
_SOMEONES_HOME = re.compile(r"家中?$")
#: 后原路线返回: the way back on the same line as the way there.
_SAME_WAY_BACK = re.compile(r"原路(?:线)?返回?|原线路返回?")
#: Verbs that state where the case lives; without a date they describe the residence.
_RESIDENCE_VERBS = {"在", "住在", "居住在", "暂住在"}
#: Driving to a place; over a clock interval the place is reached at its end.
_DRIVE = re.compile(r"行驶|驶[至往到]|车程")
#: Another person as the subject of a clause (患者妻子曾到…, 其子1月24日到…): their outings are not the
#: case's, up to the end of the sentence. A kin word stating a relation (其妻子为病例3) or a place (父母家) is no subject.
#: (Here and in :data:`_OWN_SUBJECT` the leading blanks and masks are taken possessively: no alternative after them
#: starts with one, so the engine need not give them back one by one to try the alternatives again.)
_KIN_WORDS = "|".join(sorted((w for w in KIN if len(w) > 1), key=len, reverse=True))
_OTHER_SUBJECT = re.compile(
    rf"^[\s{MASK}]*+(?:(?:(?:患者|该患者|该病例|病例[0-9一二三四五六七八九十]*|本人|其|[一-龥]某某?)的?)?(?:{_KIN_WORDS})|其[子女夫妻])"
    rf"(?![子儿亲家处为是系]|[一-龥]?关系)")
#: what every match of the rule above holds, as a rule the regex engine skips through: a clause without a kin word is
#: not tried with its alternatives
_KIN_CUE = re.compile(f"{_KIN_WORDS}|其[子女夫妻]")
#: The case again as the subject, leading the clause (本人, 该患者, 张某).
_OWN_SUBJECT = re.compile(rf"[\s{MASK}]*+(?:本人|该患者|该病例|[一-龥]某某?(?![一-龥]?(?:{_KIN_WORDS}))|"
                          rf"(?:患者|病例[0-9一二三四五六七八九十]*)(?![0-9一二三四五六七八九十]|的?(?:{_KIN_WORDS})))")
#: The case going along with the other person, anywhere in the clause (陪同其前往, 与患者一同); every alternative
#: starts with a literal, which the regex engine skips to.
_GOING_ALONG = re.compile("|".join(f"{verb}(?:其|患者|本人|他|她|该患者)" for verb in ("与", "和", "同", "跟", "陪同?", "带", "送", "载", "接")))
#: What :func:`_rest_of` searches a clause for (:data:`_VISITED`, :data:`_GOING_ALONG`, :data:`_SAME_WAY_BACK`) and
#: the words every match of :data:`_OWN_SUBJECT` holds, as one rule: a clause without any (most new clause texts) is
#: scanned once, not four times. (All alternatives start with a literal.)
_ANY_SUBJECT_OR_VISIT = re.compile("|".join(rule.pattern for rule in (_VISITED, _GOING_ALONG, _SAME_WAY_BACK))
                                   + "|本人|某|患者|病例")
_SENTENCE_ENDS = frozenset("。；;！？!?\n")
#: What may stand next to a time in a clause that only states the time (7时39分，先后乘坐…): a text of nothing else
#: matches it whole (tested with fullmatch, which stops at the first other character; nothing follows the repeat,
#: so it gives nothing back).
_TIME_ONLY_FILLER = re.compile("[" + MASK + r"\s于在约许左右前后时分起:：—–－~～至到-]*+")


@dataclass(slots=True)
class _Item:
    """A ride or a place in a clause, before dates and times are attached."""

    start: int          # position in the clause
    end: int
    kind: str
    place: str
    activity: str | None = None
    vehicle: str | None = None
    time: TimeMatch | None = None
    part_of_day: str | None = None


class _Rest(NamedTuple):
    """What is left of a clause with its dates masked: its times and rides, and the rest with them
    masked too, read once per such text.

    The fields, in order, of the plain tuple :func:`_rest_of` returns (so are :class:`_Said` and
    :class:`_ClauseDates` of theirs): the walk unpacks such readings on every clause, and a named tuple is unpacked
    through an iterator, at three times the cost of a tuple (1.5 % of the parse)."""

    masked: str                      # the clause with its dates, times and rides masked
    times: tuple[TimeMatch, ...]
    rides: tuple[Ride, ...]
    own_subject: bool                # the case is the subject again, or goes along (陪同其前往)
    other_subject: bool              # another person leads the clause (其妻子曾到…)
    filler_only: bool                # nothing but a time's filler (于, 约, 左右 …)
    way_back: re.Match | None        # 后原路线返回
    visited_list: bool               # 曾到过A、B: a list that may go on past a comma
    visited: bool                    # the clause tells places visited (曾到…)
    home_until: re.Match | None      # its stay-at-home phrase (:func:`~.homes.home_phrase`) when it runs to a later date,
    home: re.Match | None            # … and when it does not (返回家中后未外出 is part of a day)
    opens_masked: bool               # it opens with a date or a time: a list item (so is one filling a line)


def _rest_of(without_dates: str) -> tuple:
    """One reading of what the clause holds besides its dates (masked in ``without_dates``): a :class:`_Rest`."""
    times = find_times(without_dates)
    masked = _mask(without_dates, [(t.start, t.end) for t in times]) if times else without_dates
    rides = find_rides(masked)
    masked = _mask(masked, [(r.start, r.end) for r in rides]) if rides else masked
    home_until = home_phrase(masked)
    cued = _ANY_SUBJECT_OR_VISIT.search(masked) is not None
    # (a list of places visited is a telling of them: tested only then)
    visited = cued and _VISITED.search(masked) is not None
    own_subject = cued and (_OWN_SUBJECT.match(masked) is not None or _GOING_ALONG.search(masked) is not None)
    other_subject = _KIN_CUE.search(masked) is not None and _OTHER_SUBJECT.match(masked) is not None
    filler_only = _TIME_ONLY_FILLER.fullmatch(masked) is not None
    way_back = _SAME_WAY_BACK.search(masked) if cued else None
    visited_list = visited and _VISITED_LIST.search(masked) is not None
    home = None if home_until is None or back_home_that_day(masked) else home_until
    opens_masked = masked.lstrip().startswith(MASK)
    return (masked, tuple(times), tuple(rides), own_subject, other_subject, filler_only, way_back, visited_list, visited,
            home_until, home, opens_masked)


#: :func:`_rest_of` remembered per text: a dated clause's, whose masked text is shared by its readings in every context
#: (1月5日到X, 1月6日到X). A clause without dates keeps its own in :class:`_Said`.
_read_rest = cached(_rest_of)


class _Said(NamedTuple):
    """What a clause says whatever the walk's state: its guard phrases, read once per clause text."""

    may_hold_dates: bool
    exclusions: tuple[tuple[int, int], ...]   # 除居家、在单位上班外: spans masked as no outing
    every_day: bool                           # 每天 …: a habit, unless a range of days is in scope
    advice: bool                              # advice to the public, or a risk area drawn
    not_trajectory: bool                      # habits, the investigation, figures
    during: bool                              # 期间 opening the clause
    recent: bool                              # places of a recent period, on no stated day
    detected: int | None                      # where the way to hospital after detection starts
    stay_after_arrival: re.Match | None       # 后居村无外出 opening the clause
    rest: _Rest | None                        # a clause that cannot hold a date: what it holds (:func:`_rest_of`)


@cached
def _read_clause(clause: str) -> tuple:
    """One reading of the clause's guard phrases, for every reader of the walk: a :class:`_Said`."""
    bracketed = "(" in clause or "（" in clause
    plain = BRACKETED.sub("", clause) if bracketed else clause
    detected = after_detection_starts(plain)
    if detected and bracketed:   # where it starts in the clause itself (brackets kept, as blanks)
        detected = after_detection_starts(BRACKETED.sub(lambda m: " " * len(m.group(0)), clause))
    may_hold_dates = MAYBE_DATE.search(clause) is not None
    exclusions = tuple(m.span() for m in _EXCLUSION.finditer(clause)) if "除" in clause else ()
    guarded = _ANY_GUARD.search(plain) is not None   # (none of the four, in 95 % of new clause texts)
    every_day = guarded and _EVERY_DAY.search(plain) is not None
    advice = guarded and _ADVICE.search(plain) is not None or ("区" in plain and _AREA_DESIGNATION.match(plain) is not None)
    not_trajectory = guarded and _NOT_TRAJECTORY.search(plain) is not None or (
        "例" in plain and _CASE_COUNT.search(plain) is not None)
    during = ("期" in clause or "其" in clause) and _DURING.match(clause) is not None
    recent = guarded and _RECENT.search(plain) is not None
    stay_after_arrival = find_stay_after_arrival(clause)
    rest = None if may_hold_dates else _rest_of(_mask(clause, exclusions))
    return (may_hold_dates, exclusions, every_day, advice, not_trajectory, during, recent, detected, stay_after_arrival,
            rest)


def parse_trajectory(text: str, ctx: DateContext, offset: int = 0, school: str | None = None,
                     simplified: str | None = None) -> list[Visit]:
    """The visits, rides and home days stated in ``text``, in order. ``school``: where the case goes to
    school (from its head), the place of a 上学 without one; ``simplified``: ``text`` already simplified."""
    return read_trajectory(text, ctx, offset, school, simplified).visits


@dataclass
class Trajectory:
    visits: list[Visit]
    #: every date the walk read: (start, end) in the text (counted from :func:`read_trajectory`'s ``dates_at``
    #: before it), and its last day (for the events dated in it)
    dates: list[tuple[int, int, dt.date]]
    #: the last days of the dates whose year the text writes (an event dated by another has an inferred year)
    year_written_days: frozenset[dt.date] = frozenset()


def read_trajectory(text: str, ctx: DateContext, offset: int = 0, school: str | None = None,
                    simplified: str | None = None, dates_at: int = 0) -> Trajectory:
    """:func:`parse_trajectory`, with the dates read on the way (so the text is not searched for them again), their
    spans counted from ``dates_at`` before the text."""
    walk = _Walk(text, ctx, offset, school, simplified)
    for start, clause in _clauses(walk.work):
        if not clause.isspace():
            walk.read(start, clause, _REMEMBERED if len(clause) <= SHORT_TEXT else _READ_AGAIN)
    return Trajectory(walk.visits(),
                      [(at + start, at + end, last) for base, written in walk.dated_clauses for at in (base + dates_at,)
                       for start, end, last in written],
                      walk.year_written_days)


def _clauses(work: str) -> list[tuple[int, str]]:
    """The clauses of ``work`` (the matches of :data:`_CLAUSE`), each with where it starts. A text without colons and
    brackets (four in five) is cut at :data:`_CLAUSE_ENDS` and line breaks with ``str`` methods: the rule tests its
    class character by character, at about 60 machine instructions a character."""
    if "(" in work or "（" in work or ":" in work or "：" in work:
        return [(m.start(), m.group(0)) for m in _CLAUSE.finditer(work)]
    lines = work
    for mark in _CLAUSE_ENDS:
        lines = lines.replace(mark, "\n")
    clauses = []
    start = 0
    for clause in lines.split("\n"):
        if clause:
            clauses.append((start, clause))
        start += len(clause) + 1
    return clauses


class _Walk:
    """The state carried from clause to clause: dates, a time waiting for its item, a ride's time."""

    def __init__(self, text: str, ctx: DateContext, offset: int, school: str | None = None,
                 simplified: str | None = None):
        self.source = text
        self.school = school
        self.work = (to_simplified(text) if simplified is None else simplified).replace(_EXCEL_CR, "。" + " " * (len(_EXCEL_CR) - 1))
        self.ctx = ctx
        # the context of clauses before the text's first date
        self.untold = ctx if ctx.current is None else ctx.without_current()
        self.told = False                        # the text has told a date (the caller's current day only
                                                 # resolves day-only dates, it dates no clause)
        self.offset = offset
        self.scope: DateMatch | None = None      # the last date read
        self.home_range: DateMatch | None = None  # the last range of days said to be spent at home
        self.pending: TimeMatch | None = None    # a time from a clause that held nothing else
        self.ride_time: TimeMatch | None = None  # the time of a ride that ended the last clause
        self.heading = False                     # the last clause held only a date or a time
        self.listing = False                     # the last clause was an item of a list going on after a comma
        self.after_place = False                 # … and was read as places named without a verb or after 到过
        self.places: tuple[PlaceMatch, ...] = ()  # the places of the last clause whose items were read
        self.visited_before = False              # the last clause told places visited (曾到过…)
        self.undated = False                     # the sentence tells places of no stated day (近14天内曾去过…)
        self.dates_only = False                  # the last clause held dates and nothing else
        self.found: list[Visit] = []
        #: each clause with dates written: where it starts and its dates (start, end, last day)
        self.dated_clauses: list[tuple[int, tuple[tuple[int, int, dt.date], ...]]] = []
        self.year_written_days: frozenset[dt.date] = frozenset()   # the last days of the dates whose year is written
        self.homes: list[Visit] = []
        self.open_home: Visit | None = None      # 自X日至今未出家门: a stay that ends before the next date
        self.up_to_now = False                   # the open stay runs to the reference date if no date follows
        self.other_subject = False               # the sentence tells another person's outings (其妻子到…)
        self.advice = False                      # the sentence advises the public (请市民…尽快到…就诊)
        self.afternoon: dt.time | None = None    # the last clock time of the day, when written as 下午3时

    def read(self, base: int, clause: str, readers: _Readers) -> None:
        """Read one clause (``clause``, at ``base`` in the text) with ``readers`` for its length."""
        # (the readings are plain tuples (:class:`_Rest`), unpacked at once)
        (may_hold_dates, exclusions, every_day, advice, not_trajectory, opens_during, recent, detected,
         stay_after_arrival, rest) = readers.clause(clause)
        dates, starts, vague, written, year_written_days, until, dates_masked, after = (
            readers.dates(clause, self.ctx, exclusions) if may_hold_dates else _NO_DATES)
        if written:
            self.dated_clauses.append((base, written))
            if year_written_days:
                self.year_written_days |= year_written_days
        if dates and self.open_home is not None:
            self._close_home(dates[0].date - dt.timedelta(days=1))
        before = self.ctx if self.told else self.untold
        if dates:
            self.ctx = after
            self.told = True
        # (a dated clause's rest is looked up for every such clause, so that the cache keeps what the walk reads: a rest
        # kept with the clause's dates instead left the cache's other entries to age out, 26 % more of its misses on the
        # 10,000-case corpus)
        (masked, times, rides, own_subject, other_subject, filler_only, way_back, visited_list, visited, home_until,
         home_stay, opens_masked) = rest if dates_masked is None else readers.rest(dates_masked)
        if dates:
            self.afternoon = None
        times = self._in_the_afternoon(times) if times else times
        # whose outings the clause tells: another person's from a clause led by them to the end of the
        # sentence, unless the case comes back as the subject or goes along
        if own_subject:
            self.other_subject = False
        elif other_subject:
            self.other_subject = True
        habit = every_day and not dates and not (
            self.scope is not None and (self.scope.end_date or self.scope.days))
        self.advice = self.advice or advice
        skip = vague or habit or self.other_subject or self.advice or not_trajectory
        # 居家无外出，期间曾在村中超市购物: outings on no stated day of a stay at home
        during = opens_during and not dates and self.scope is not None and self.scope is self.home_range
        listed = ((self.heading or self.listing) and not dates and not times) or (
            self.visited_before and _NAMING_THEM.match(clause) is not None)
        items = [] if skip or during or detected == 0 else self._items(
            base, clause, masked, rides, opens_masked, listed, bool(dates), readers.places)
        if detected:
            items = [item for item in items if item.start < detected]
        if dates and dates[0].start < (items[0].start if items else len(clause)):
            self.pending = None
        if items or times:
            self._times(items, times, dates, masked)
        else:   # as in most clauses: nothing to attach, no time to wait
            self.ride_time = None
        if skip:
            self.pending = None
            if self.other_subject:  # 8时左右家属发热，陪同其前往X: the time waits for the case going along
                self.pending = next((t for t in times if t.time is not None), None)
        if stay_after_arrival is not None and not (skip or dates) and self.scope is not None:
            self._stay_after_arrival(stay_after_arrival, base)
            return
        home = None if skip else home_until if until else home_stay
        if home is not None and home.group(0).startswith("家"):   # 某小区家中: the place names the home
            items = [i for i in items if i.end < home.start()]
        if home is not None and not (items and items[0].start < home.start()):   # items are in text order
            governing = _governing(dates, starts, home.start()) or self.scope
            stays = _home_visits(governing, clause, before, base + self.offset, home)
            if governing is not None and governing.end_date is not None:
                self.home_range = governing
            if governing is not None and governing in dates and _UP_TO_NOW.match(clause, governing.end):
                self.open_home, self.up_to_now = (stays[0] if stays else None), True
            else:
                self.homes.extend(stays)
        self.undated = (self.undated or recent) and not dates
        for item in items:
            governing = (_bracketed_date(item, dates, clause) or _governing(dates, starts, item.start) or self.scope
                         or dates[0]) if dates else self.scope
            ctx = self.ctx if self.told else self.untold
            if self.undated:   # 近14天内曾去过X: on no day the text tells
                governing, ctx = None, self.ctx.without_current()
            for visit in _dated(item, governing, clause, ctx, base + self.offset):
                if not _repeats(self.found, visit):
                    self.found.append(visit)
                elif self.found[-1].start is None and visit.start is not None:
                    self.found[-1] = replace(self.found[-1], start=visit.start, end=visit.end)
        if dates:
            date_only = not items and not times and filler_only
            # 12月11日,14日-18日,24日,乘公司班车上班: date-only clauses in a row name the days of what follows
            self.scope = (_joined_days(self.scope, dates) if date_only and self.dates_only and self.scope is not None
                          else dates[-1])
            self.dates_only = date_only
        else:
            self.dates_only = False
        if way_back is not None and not (skip or rides):
            self._ride_back(base + self.offset + way_back.start(), base + self.offset + way_back.end())
        # a clause holding only a date or a time heads a list item: 2月23日:百步龙庭302栋1单元
        self.heading = filler_only and not items and bool(dates or times)
        # 9月8日,A饭店,B广场,C剧本杀 / 曾到过A超市,B站、C店: a list of places goes on after a comma
        end = base + len(clause)
        follows = self.work[end:end + 1]
        self.listing = (listed or visited_list) and bool(items) and follows in (",", "，")
        self.after_place = self.listing and (visited_list or _bare(self.places))
        self.visited_before = visited
        if follows in _SENTENCE_ENDS:
            if self.other_subject:
                self.pending = None
            self.other_subject = self.advice = self.undated = False

    def _ride_back(self, start: int, end: int) -> None:
        """后原路线返回: back the same day on the line of the last ride (a second ride, untimed)."""
        ride = next((v for v in reversed(self.found) if v.kind == "transit"), None)
        if ride is not None and ride.date is not None and ride.date == self.ctx.current:
            self.found.append(replace(ride, start=None, end=None, part_of_day=None, span=(start, end)))

    def _in_the_afternoon(self, times: Sequence[TimeMatch]) -> list[TimeMatch]:
        """下午3时到银行，4时30分到街市: a bare hour after an afternoon or evening time of the same day is
        on the same 12-hour clock (16:30), when it would otherwise fall before that time."""
        out = []
        for time in times:
            if time.time is None:
                out.append(time)
                continue
            twelve_hour = PARTS_OF_DAY.get(time.part_of_day or "") in ("noon", "afternoon", "evening")
            if time.part_of_day is None and self.afternoon is not None and time.time.hour < 12:
                later = time.time.replace(hour=time.time.hour + 12)
                if later >= self.afternoon:
                    end = time.end_time
                    if end is not None and end.hour < 12:
                        end = end.replace(hour=end.hour + 12)
                    time, twelve_hour = time._replace(time=later, end_time=end), True
            self.afternoon = time.time if twelve_hour else None
            out.append(time)
        return out

    def _items(self, base: int, clause: str, masked: str, rides: tuple[Ride, ...], opens_masked: bool, listed: bool,
               dated: bool, places_around_dates: Callable[[str, bool, bool], tuple[PlaceMatch, ...]]) -> list[_Item]:
        """The clause's rides and places; undated ones only where they cannot be a residence.

        A date the notice gives (its report day) does not make 居住在X a visit: only a date this
        trajectory has told does (男,16岁,居住在X is where the case lives)."""
        own_date, dated = dated, dated or self.scope is not None or self.told
        # (fields in order, activity None: a class called with keywords builds a dict of them)
        items = [_Item(r.start, r.end, "transit", self._as_written(base + r.start, r.place), None, r.vehicle)
                 for r in rides] if rides and dated else []
        among_places = listed and self.after_place
        listed = listed or opens_masked or _fills_a_line(self.work, base, base + len(clause))
        self.places = places = places_around_dates(masked, listed, among_places)
        if places:
            told_date = own_date or self.scope is not None
            for p in places:   # (a loop, not a comprehension: that is a function call, for one place or two)
                if (told_date or p.verb not in _RESIDENCE_VERBS) and (own_date or not self._back_to_lodging(p, masked)):
                    items.append(_Item(p.start, p.end, "visit", self.source[base + p.start:base + p.end],
                                       _activity(self.source, base, clause, p.activity, p.end) if p.activity else None))
        if dated and rides and any(r.mode == "metro" for r in rides):
            taken = [(i.start, i.end) for i in items]
            items += [_Item(s, e, "visit", self.source[base + s:base + e]) for s, e in _chain_stations(masked, rides)
                      if not any(s < end and start < e for start, end in taken)]
        going_to_school = _TO_SCHOOL.search(masked) if self.school and dated else None
        if going_to_school and not any(i.kind == "visit" for i in items):   # 每天7时左右上学: to the school
            items.append(_Item(going_to_school.start(), going_to_school.end(), "visit", self.school, "上学"))
        return sorted(items, key=lambda i: i.start) if len(items) > 1 else items

    def _back_to_lodging(self, place: PlaceMatch, masked: str) -> bool:
        """返回到男友家中 / 一直住在哥哥家 (no date, no activity): back at someone's home the case went to
        stay at, no new visit."""
        if place.activity or not _SOMEONES_HOME.search(place.place) or not _BACK_TO_STAY.search(masked, 0, place.start):
            return False
        return any(v.kind == "visit" and BRACKETED.sub("", v.place or "") == place.place for v in self.found)

    def _as_written(self, at: int, name: str) -> str:
        """``name`` read at ``at`` in the simplified copy, as the source writes it (港鐵荃灣綫)."""
        written = self.source[at:at + len(name)]
        if written == name:   # as almost always: no conversion to make (it is the dearest call of the walk)
            return name
        return written if to_simplified(written) == name else name

    def _times(self, items: list[_Item], times: Sequence[TimeMatch], dates: tuple[DateMatch, ...], masked: str) -> None:
        """Attach clock times to the items and decide which time waits for the next clause (a pending time
        that a date before them replaces is dropped already)."""
        if self.ride_time is not None and items and items[0].kind == "visit" and not times and not dates:
            items[0].time = self.ride_time  # 乘坐9路公交车，前往X: X is where the timed ride went
        self.pending = _attach_times(items, times, self.pending, masked)
        self.ride_time = items[-1].time if items and items[-1].kind == "transit" else None
        if self.pending is not None and not items and times and _TIME_ONLY_FILLER.fullmatch(masked, times[-1].end) is None:
            self.pending = None  # a time carries over only from a clause that ends with it

    def _stay_after_arrival(self, stay: re.Match, base: int) -> None:
        """后居村无外出: home from the day after the arrival up to the day before the next date.
        An arrival at a village the case then stays in is the way home, not a visit."""
        arrival = self.found[-1] if self.found else None
        if (stay.group("village") or "").endswith("村") and arrival is not None and arrival.kind == "visit" \
                and arrival.date == self.scope.last and (arrival.place or "").endswith("村"):
            self.found.pop()
        span = (base + self.offset + stay.start(), base + self.offset + stay.end())
        self.open_home = Visit("home", self.scope.last + dt.timedelta(days=1), year_inferred=not self.scope.year_written,
                               span=span)
        self.up_to_now = False
        self.heading = False

    def _close_home(self, last: dt.date) -> None:
        if last >= self.open_home.date:
            self.homes.append(replace(self.open_home, end_date=last))
        self.open_home = None

    def visits(self) -> list[Visit]:
        """Everything read, in text order; home stays without the days that have a visit."""
        if self.open_home is not None:
            if self.up_to_now:
                self._close_home(self.ctx.reference or self.open_home.date)
            else:
                self.open_home = None  # 后居村无外出 with no later date: the stay has no known end
        away = {v.date for v in self.found if v.date is not None}
        out = list(self.found)
        for home in self.homes:
            for first, last in subtract_days(home.date, home.end_date, away):
                out.append(home if (first, last) == (home.date, home.end_date) else replace(home, date=first, end_date=last))
        # (sorted by their starts gathered first: a key function would be a Python call per visit)
        starts = [v.span[0] if v.span else 0 for v in out]
        return [out[i] for i in sorted(range(len(out)), key=starts.__getitem__)]


def _fills_a_line(work: str, before: int, after: int) -> bool:
    """Whether the clause from ``before`` to ``after`` fills a whole line: a list item (as is one that opens with a
    date or time). (A clause holds the blanks around it: what is next to it is the text's edge or a character that
    ends clauses.)"""
    return (before == 0 or work[before - 1] == "\n") and (after == len(work) or work[after] in "\n;；。")


#: A station named right after a metro line in a chain (6号线南翠屏站(14:01)——5号线肿瘤医院——财经大学):
#: no verb, ends at 站, a bracket or the chain's dash.
_STATION = re.compile(r"[ \t]*(?P<station>(?!从|到|至|在|经|换乘|转乘|乘坐|出站|下车|进站|上车|返|回|去|往|前往)"
                      r"(?:[一-龥A-Za-z0-9·]{1,11}站(?=[ \t]*(?:[(（]|—|－|-|→|~|$|[,，。;；、]))"
                      r"|[一-龥A-Za-z0-9·]{2,12}?(?=[ \t]*(?:[(（]|—|－|-|→|~))))")
_CHAIN_LINK = re.compile(r"[ \t]*(?:[(（][^)）]*[)）])?[ \t]*(?:—+|－+|-+|→|~)[ \t]*")


def _chain_stations(masked: str, rides: Sequence[Ride]) -> list[tuple[int, int]]:
    """The stations of metro chains: after each line, and after each dash that no line follows."""
    found: list[tuple[int, int]] = []
    ride_starts = {r.start for r in rides}
    for ride in rides:
        if ride.mode != "metro":
            continue
        position = ride.end
        while (m := _STATION.match(masked, position)) and m.group("station"):
            found.append(m.span("station"))
            link = _CHAIN_LINK.match(masked, m.end())
            if link is None or link.end() in ride_starts:
                break
            position = link.end()
    return found


@cached
def _places_around_dates(masked: str, listed: bool, among_places: bool) -> tuple[PlaceMatch, ...]:
    """:func:`find_places`, reading on past dates in brackets after places (A(1月25日)、B(1月26日)逗留过);
    ``among_places``: the list's item before was a place (9月9日,某书店,子不语剧本杀)."""
    brackets = list(_BRACKET.finditer(masked)) if ")" in masked or "）" in masked else ()
    if not brackets:
        return tuple(find_places(masked, listed, among_places))
    chars = list(masked)
    for bracket in brackets:  # A(1月25日)和B(1月26日): 和 after a date joins a list
        if masked[bracket.end():bracket.end() + 1] in ("和", "与"):
            chars[bracket.end()] = "、"
    kept = [i for i in range(len(masked)) if not any(b.start() <= i < b.end() for b in brackets)]
    compact = "".join(chars[i] for i in kept)
    return tuple(p._replace(start=kept[p.start], end=kept[p.end - 1] + 1)
                 for p in find_places(compact, listed, among_places))


_OPENING_BRACKET = re.compile(r"\s*[（(]\s*")


def _bracketed_date(item: _Item, dates: tuple[DateMatch, ...], clause: str) -> DateMatch | None:
    """The date written in brackets right after the item (永丰中学(2020/1/25)), if any."""
    m = _OPENING_BRACKET.match(clause, item.end) if dates and ("(" in clause or "（" in clause) else None
    if m is None:
        return None
    return next((d for d in dates if d.start == m.end()), None)


def _repeats(visits: list[Visit], visit: Visit) -> bool:
    """``去X亲属家，在亲属家未外出``: the same place again on the same day."""
    if not visits or visits[-1].date != visit.date or not visits[-1].place or not visit.place:
        return False
    return visits[-1].place.endswith(visit.place)


class _ClauseDates(NamedTuple):
    """What the dates of a clause say, read once per clause text and context."""

    dates: tuple[DateMatch, ...]           # ranges joined across clock times, lists joined
    starts: tuple[int, ...]                # where each of them starts
    vague: bool                            # a date only bounds a vague period
    written: tuple[tuple[int, int, dt.date], ...]   # every date written (a report's too): start, end, last day
    year_written_days: frozenset[dt.date]  # … the last days of those whose year is written
    until: bool                            # a date follows 直至 / 到 (直至1月29日)
    without_dates: str | None              # the clause with these dates and ``exclusions`` masked, for :func:`_read_rest`
    after: DateContext | None              # the context the next clause is read in (the last date's last day current)


_NO_DATES = tuple(_ClauseDates((), (), False, (), frozenset(), False, None, None))


class _Readers(NamedTuple):
    """The walk's remembered readings of a clause, looked up straight in their caches for a clause short enough
    to be kept (as almost all are; its masked copies have its length), else read every time."""

    clause: Callable[[str], _Said]
    dates: Callable[[str, DateContext, tuple[tuple[int, int], ...]], _ClauseDates]
    rest: Callable[[str], _Rest]
    places: Callable[[str, bool, bool], tuple[PlaceMatch, ...]]


#: What a date's own words after it say (a report's date, dropped; a vague period's bound): one match for both.
_AFTER_DATE = re.compile(f"(?P<report>{_NOT_TRAJECTORY_DATE.pattern})|(?P<vague>{_VAGUE_AFTER.pattern})")
#: The characters :data:`_VAGUE_BEFORE` and :data:`_UNTIL` end with (blanks aside): a date after none of them
#: (as most are, or at the clause's start) is tested with neither.
_RANGE_TO = frozenset("至到—-－")


def _after_range_word(clause: str, start: int) -> bool:
    """Whether the text before ``start`` may end in a range's 至 / 到 / dash (then tested with the rules)."""
    return start > 0 and (clause[start - 1] in _RANGE_TO or clause[start - 1].isspace())


@cached
def _clause_dates(clause: str, ctx: DateContext, exclusions: tuple[tuple[int, int], ...] = ()) -> tuple:
    """The clause's dates and what they say (a :class:`_ClauseDates`), and the clause with them masked (``exclusions``:
    its spans masked as no outing, :class:`_Said`); remembered per clause and context. (Only for a clause that
    :data:`~.dates.MAYBE_DATE` finds something in.)"""
    written = read_dates(clause, ctx)
    # (gathered in the loops over the dates, not by comprehensions over them again: a new clause has one date or two)
    told: list[tuple[int, int, dt.date]] = []   # every date written: start, end, last day
    year_written_days: list[dt.date] = []
    dates: list[DateMatch] = []
    spans: list[tuple[int, int]] = []           # … and those of ``dates``, masked
    vague = False
    for d in written:
        start, end, first, end_date, _, _, _, year_written = d   # (its fields read at once, not looked up one by one)
        last = end_date or first
        told.append((start, end, last))
        if year_written:
            year_written_days.append(last)
        after = _AFTER_DATE.match(clause, end)
        if after is not None and after.lastgroup == "report":
            continue
        dates.append(d)
        spans.append((start, end))
        if not vague and (after is not None or _after_range_word(clause, start) and _VAGUE_BEFORE.search(
                clause, start - 8 if start > 8 else 0, start)):
            vague = True
    joined: list[DateMatch] = []
    starts: list[int] = []
    for date in dates:
        if joined:
            previous = joined[-1]
            gap = clause[previous.end:date.start]
            if not previous.days and previous.end_date is None and _DATETIME_RANGE_GAP.match(gap) and date.last > previous.date:
                joined[-1] = DateMatch(previous.start, date.end, previous.date, date.last, rule="range",
                                       year_written=previous.year_written or date.year_written)
                continue
            if _LIST_GAP.match(gap) and date.date > previous.last:
                days = (previous.days or (previous.date,)) + (date.days or (date.date,))
                joined[-1] = DateMatch(previous.start, date.end, days[0], days[-1], days, rule="list",
                                       year_written=previous.year_written or date.year_written)
                continue
        joined.append(date)
        starts.append(date.start)
    until = False
    for d in joined:
        if _after_range_word(clause, d.start) and _UNTIL.search(clause, d.start - 8 if d.start > 8 else 0, d.start):
            until = True
            break
    last = joined[-1].last if joined else None
    return (
        tuple(joined), tuple(starts), vague, tuple(told), frozenset(year_written_days),
        until, _mask(clause, spans + list(exclusions) if exclusions else spans),
        # (the same context on the clause before's day)
        None if last is None else ctx if last == ctx.current and not ctx.floor else ctx.at(last))


_REMEMBERED, _READ_AGAIN = short_and_checked(_Readers, _read_clause, _clause_dates, _read_rest, _places_around_dates)


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each span (they may overlap) replaced by as many MASK characters; one pass, so
    a long clause with many dates stays linear."""
    if not spans:
        return text
    pieces, kept_to = [], 0
    for start, end in sorted(spans) if len(spans) > 1 else spans:
        if start < kept_to:
            start = kept_to
        if end <= start:
            continue
        pieces += [text[kept_to:start], MASK * (end - start)]
        kept_to = end
    pieces.append(text[kept_to:])
    return "".join(pieces)


def _bare(places: Sequence[PlaceMatch]) -> bool:
    """Places named without a verb (a list going on: 9月8日,A饭店,B广场)."""
    return bool(places) and all(p.verb is None for p in places)


def _activity(source: str, base: int, clause: str, activity: str, place_end: int) -> str:
    """The activity as written in ``source`` (it follows the place in the clause)."""
    at = clause.find(activity, place_end)
    return source[base + at:base + at + len(activity)] if at >= 0 else activity


def _attach_times(items: list[_Item], times: list[TimeMatch], pending: TimeMatch | None,
                  masked: str) -> TimeMatch | None:
    """Give each item the first time between the previous item and itself; return a time left over.

    A drive over a clock interval (13:50—15:18自驾车行驶至X) reaches X at the end of it.
    """
    previous_end = 0
    previous: _Item | None = None
    waiting = 0  # index of the first time not yet passed
    for item in items:
        while waiting < len(times) and times[waiting].start < previous_end:
            waiting += 1
        first_before = waiting
        clocks = []   # the clock times between the previous item and this one
        part = None   # … and the last part of the day among the times there
        while waiting < len(times) and times[waiting].end <= item.start:
            time = times[waiting]
            if time.time is not None:
                clocks.append(time)
            if time.part_of_day:
                part = time.part_of_day
            waiting += 1
        stated = previous.time if previous is not None else pending
        timetable = item.kind == "transit" and stated is not None and clocks and all(
            _RIDE_VERB_BEFORE.search(masked, max(0, t.start - 4), t.start) for t in clocks)
        if timetable:  # 7时20分，在X乘坐6:30分由南票开出的客车: the ride starts at the stated time
            item.time = stated
        elif clocks:
            item.time = clocks[0]
            if item.time.end_time is not None and _DRIVE.search(masked, item.time.end, item.start):
                item.time = item.time._replace(time=item.time.end_time, end_time=None)
        elif pending is not None and previous is None:
            item.time = pending
        elif previous is not None and waiting == first_before and (previous.kind == "transit") != (item.kind == "transit"):
            item.time = previous.time  # a ride and where it started or ended (8:30在A村搭乘三轮车)
        if part:
            item.part_of_day = part
        previous_end, previous = item.end, item
    for time in times:
        if time.start >= previous_end and time.time is not None:
            return time
    return None if items else pending


def _governing(dates: tuple[DateMatch, ...], starts: tuple[int, ...], position: int) -> DateMatch | None:
    """The last date that starts at or before ``position`` (``starts``: the dates' starts, in order)."""
    index = bisect.bisect_right(starts, position)
    return dates[index - 1] if index else None


def _joined_days(scope: DateMatch, dates: tuple[DateMatch, ...]) -> DateMatch:
    """The days of ``scope`` and of ``dates`` as one list of days (12月11日,14日-18日,24日)."""
    days = sorted({day for d in [scope, *dates] for day in _span_days(d)})
    return DateMatch(dates[-1].start, dates[-1].end, days[0], days[-1], tuple(days), rule="list",
                     year_written=any(d.year_written for d in [scope, *dates]))


def _span_days(date: DateMatch) -> list[dt.date]:
    if date.days:
        return list(date.days)
    return [date.date + dt.timedelta(n) for n in range((date.last - date.date).days + 1)]   # (n days: no keyword dict)


def _dated(item: _Item, date: DateMatch | None, clause: str, ctx: DateContext, base: int) -> list[Visit]:
    """The item as visits: one per day for a list or a daily range, else one on the first day."""
    span = (base + item.start, base + item.end)
    if date is None:
        days: list[dt.date | None] = [ctx.current] if ctx.current and not _DAILY.search(clause) else [None]
        end_date = None
    elif date.days or (date.end_date and _DAILY.search(clause) and not _SOME_TIMES.search(clause)):
        days, end_date = _span_days(date), None
    else:
        days, end_date = [date.date], date.end_date
    out = []
    for day in days:
        start = end = None
        if day is not None and item.time is not None and item.time.time is not None:
            start = dt.datetime.combine(day, item.time.time)
            if item.time.end_time is not None:
                end = dt.datetime.combine(day, item.time.end_time)
                if end < start:
                    end += dt.timedelta(days=1)
        # (all fields in order: keywords would make the call build a dict)
        out.append(Visit(item.kind, day, end_date if end_date != day else None, start, end,
                         None if start else item.part_of_day, item.place, item.activity, item.vehicle,
                         span, day is not None and not (date is not None and date.year_written)))
    return out


def _home_visits(date: DateMatch | None, clause: str, ctx: DateContext, base: int, home: re.Match) -> list[Visit]:
    """Home days from the governing date; ``ctx`` is the context before the clause (for 直至X日)."""
    if date is None:
        if ctx.current is None:
            return []
        first = last = ctx.current
        partial_start, after = False, ""
    else:
        first, last = date.date, date.last
        partial_start, after = date.partial_start, clause[date.end:]
        if not date.end_date and _UNTIL.search(clause, max(0, date.start - 8), date.start) and ctx.current and ctx.current < first:
            first = ctx.current + dt.timedelta(days=1)
    span = (base + home.start(), base + home.end())
    inferred = date is None or not date.year_written
    # (the fields in order, as in :func:`_dated`)
    if date is not None and date.days:
        return [Visit("home", day, day, None, None, None, None, None, None, span, inferred) for day in date.days]
    days = whole_days(first, last, partial_start, after)
    return [Visit("home", days[0], days[1], None, None, None, None, None, None, span, inferred)] if days else []


def within_window(visits: list[Visit], reference: dt.date) -> list[Visit]:
    """``visits`` checked against the date of the notice that tells them (:func:`~.dates.window`): a stay
    running past the window ends at its edge; a home stay with no day in it is dropped; a visit or ride
    whose first day is out of it keeps its place, without a date or times."""
    out = []
    inferred_window, written_window = window(reference, False), window(reference, True)
    for visit in visits:
        date = visit.date
        if date is None:
            out.append(visit)
            continue
        earliest, latest = inferred_window if visit.year_inferred else written_window
        last = visit.end_date or date
        if (earliest is None or earliest <= date) and date <= last <= latest:
            out.append(visit)   # inside the window, as almost every visit is
            continue
        first = date if earliest is None else max(date, earliest)
        last = min(last, latest)
        if visit.kind == "home" or first == date and first <= last:
            if first <= last:
                out.append(replace(visit, date=first, end_date=last if visit.end_date else None))
        else:
            out.append(_undated(visit))
    return out


def _undated(visit: Visit) -> Visit:
    """``visit`` without a date or times, its place kept: ``replace(visit, date=None, end_date=None, start=None,
    end=None, year_inferred=False)``, built from the fields in order (a fifth of ``replace``'s cost; on the 10k
    corpus, 14,291 of 62,705 visits fall out of their notice's window)."""
    return Visit(visit.kind, None, None, None, None, visit.part_of_day, visit.place, visit.activity, visit.vehicle,
                 visit.span, False)
