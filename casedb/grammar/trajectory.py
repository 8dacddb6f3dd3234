"""A case's trajectory text → :class:`~casedb.records.Visit` list.

``parse_trajectory(text, ctx, offset)`` walks the text clause by clause (clauses end at
，。；and line breaks), carrying the current date from one clause to the next. In each
clause it finds the dates (:mod:`.dates`), clock times (:mod:`.times`), rides
(:mod:`.transport`), places (:mod:`.places`) and stays at home (:mod:`.homes`), then:

- each ride is a ``transit`` and each place a ``visit`` dated by the last date before it;
  a stay over a range of days is one visit on the first day, unless the clause says it is
  daily (每天, 上班 …): then one visit per day; a list of days (3月27、28日) gives one per day;
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
from dataclasses import dataclass, replace

from casedb.grammar.dates import DateContext, DateMatch, find_dates
from casedb.grammar.homes import find_home, find_stay_after_arrival, subtract_days, whole_days
from casedb.grammar.memo import cached
from casedb.grammar.places import MASK, find_places, is_not_a_visit
from casedb.grammar.times import TimeMatch, find_times
from casedb.grammar.transport import Ride, find_rides
from casedb.read import to_simplified
from casedb.records import Visit

#: Excel's carriage-return escape, found in exported trajectory tables; ends a sentence.
_EXCEL_CR = "_x000D_"
#: A clause; a comma inside parentheses does not end it, a colon ends it unless it is a clock's.
_CLAUSE = re.compile(r"(?:[（(][^（()）\n]{0,60}[)）]|(?<=[0-9０-９])[:：∶](?=[0-9０-９])|[^，,。；;\n！？!?:：])+")
#: A range or list the clause says is repeated every day.
_DAILY = re.compile(r"每天|每日|每晚|每早|天天|上下班|上班|上学|上课|值班|工作")
#: A date that names another case or report, not a day of this trajectory (1月10日第28号确诊病例).
_NOT_TRAJECTORY_DATE = re.compile(r"\s*(?:第|通报|报告|公布|发布|确诊的?|新增)")
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
#: Clauses about habits, the investigation or advice, not about a day of the trajectory.
_NOT_TRAJECTORY = re.compile(
    r"长期|平时|平日|经常|常常|通常|一般|追踪|密接|密切接触者\d|流调|流行病学|排查|协查|发函|消杀|消毒|"
    r"旅居史|居住史|旅行史|接触史|如下|(?:均|全程)佩戴|隔档|付款|无社会面|无公共场所|请|如果|如有|若有|提醒|市民|群众|"
    r"发布会|新闻|专家|筛查(?!点)|新增|累计|本土病例|获悉|得知|了解到|以来|就近|及时|避免|第一时间|不要|暂不|务必|"
    r"截至|截止|(?<!短)暂停|停运|防控措施|过程中|"
    r"(?<![0-9])[0-9]+例(?:本土|境外|确诊|无症状|新冠|病例)"
)
_PARENTHESES = re.compile(r"[（(][^（()）]*[)）]")
#: 期间 opening a clause without its own date: somewhere within a range, on no stated day.
_DURING = re.compile(r"\s*(?:期间|其间|其中)")
#: Verbs that state where the case lives; without a date they describe the residence.
_RESIDENCE_VERBS = {"在", "住在", "居住在", "暂住在"}
#: Driving to a place; over a clock interval the place is reached at its end.
_DRIVE = re.compile(r"行驶|驶[至往到]|车程")
#: What may stand next to a time in a clause that only states the time (7时39分，先后乘坐…).
_TIME_ONLY_FILLER = re.compile("[" + MASK + r"\s于在约许左右前后时分起:：—–－~～至到-]+")


@dataclass
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


def parse_trajectory(text: str, ctx: DateContext, offset: int = 0) -> list[Visit]:
    """The visits, rides and home days stated in ``text``, in order."""
    walk = _Walk(text, ctx, offset)
    for clause in _CLAUSE.finditer(walk.work):
        if not clause.group(0).isspace():
            walk.read(clause)
    return walk.visits()


class _Walk:
    """The state carried from clause to clause: dates, a time waiting for its item, a ride's time."""

    def __init__(self, text: str, ctx: DateContext, offset: int):
        self.source = text
        self.work = to_simplified(text).replace(_EXCEL_CR, "。" + " " * (len(_EXCEL_CR) - 1))
        self.ctx = ctx
        self.offset = offset
        self.scope: DateMatch | None = None      # the last date read
        self.home_range: DateMatch | None = None  # the last range of days said to be spent at home
        self.pending: TimeMatch | None = None    # a time from a clause that held nothing else
        self.ride_time: TimeMatch | None = None  # the time of a ride that ended the last clause
        self.heading = False                     # the last clause held only a date or a time
        self.found: list[Visit] = []
        self.homes: list[Visit] = []
        self.open_home: Visit | None = None      # 自X日至今未出家门: a stay that ends before the next date
        self.up_to_now = False                   # the open stay runs to the reference date if no date follows

    def read(self, clause_match: re.Match) -> None:
        clause, base = clause_match.group(0), clause_match.start()
        dates, date_spans, vague = _clause_dates(clause, self.ctx)
        starts = [d.start for d in dates]
        if dates and self.open_home is not None:
            self._close_home(dates[0].date - dt.timedelta(days=1))
        before = self.ctx
        if dates:
            self.ctx = self.ctx.at(dates[-1].last)
        masked = _mask(clause, date_spans)
        times = find_times(masked)
        masked = _mask(masked, [(t.start, t.end) for t in times])
        rides = find_rides(masked)
        masked = _mask(masked, [(r.start, r.end) for r in rides])
        plain = _PARENTHESES.sub("", clause)
        skip = vague or bool(_NOT_TRAJECTORY.search(plain))
        # 居家无外出，期间曾在村中超市购物: outings on no stated day of a stay at home
        during = _DURING.match(clause) and not dates and self.scope is not None and self.scope is self.home_range
        items = [] if skip or during or is_not_a_visit(plain) else self._items(
            clause_match, masked, rides, listed=self.heading and not dates and not times, dated=bool(dates))
        self._times(items, times, dates, masked, len(clause))
        if skip:
            self.pending = None
        stay = None if skip or dates else find_stay_after_arrival(clause)
        if stay is not None and self.scope is not None:
            self._stay_after_arrival(stay, base)
            return
        home = None if skip else find_home(masked, any(_UNTIL.search(clause, max(0, d.start - 8), d.start) for d in dates))
        if home is not None and not any(i.start < home.start() for i in items):
            governing = _governing(dates, starts, home.start()) or self.scope
            stays = _home_visits(governing, clause, before, base + self.offset, home)
            if governing is not None and governing.end_date is not None:
                self.home_range = governing
            if governing is not None and governing in dates and _UP_TO_NOW.match(clause, governing.end):
                self.open_home, self.up_to_now = (stays[0] if stays else None), True
            else:
                self.homes.extend(stays)
        for item in items:
            governing = _governing(dates, starts, item.start) or self.scope or (dates[0] if dates else None)
            for visit in _dated(item, governing, clause, self.ctx, base + self.offset):
                if not _repeats(self.found, visit):
                    self.found.append(visit)
                elif self.found[-1].start is None and visit.start is not None:
                    self.found[-1] = replace(self.found[-1], start=visit.start, end=visit.end)
        if dates:
            self.scope = dates[-1]
        # a clause holding only a date or a time heads a list item: 2月23日:百步龙庭302栋1单元
        self.heading = bool(dates or times) and not items and not _TIME_ONLY_FILLER.sub("", masked)

    def _items(self, clause_match: re.Match, masked: str, rides: list[Ride], listed: bool, dated: bool) -> list[_Item]:
        """The clause's rides and places; undated ones only where they cannot be a residence."""
        base, clause = clause_match.start(), clause_match.group(0)
        dated = dated or self.scope is not None or self.ctx.current is not None
        items = [_Item(r.start, r.end, "transit", self._as_written(base + r.start, r.place), vehicle=r.vehicle)
                 for r in rides if dated]
        listed = listed or _listed(self.work, clause_match, masked)
        items += [_Item(p.start, p.end, "visit", self.source[base + p.start:base + p.end],
                        _activity(self.source, base, clause, p.activity, p.end))
                  for p in find_places(masked, listed=listed) if dated or p.verb not in _RESIDENCE_VERBS]
        return sorted(items, key=lambda i: i.start)

    def _as_written(self, at: int, name: str) -> str:
        """``name`` read at ``at`` in the simplified copy, as the source writes it (港鐵荃灣綫)."""
        written = self.source[at:at + len(name)]
        return written if to_simplified(written) == name else name

    def _times(self, items: list[_Item], times: list[TimeMatch], dates: list[DateMatch], masked: str,
               length: int) -> None:
        """Attach clock times to the items and decide which time waits for the next clause."""
        if dates and dates[0].start < (items[0].start if items else length):
            self.pending = None
        if self.ride_time is not None and items and items[0].kind == "visit" and not times and not dates:
            items[0].time = self.ride_time  # 乘坐9路公交车，前往X: X is where the timed ride went
        self.pending = _attach_times(items, times, self.pending, masked)
        self.ride_time = items[-1].time if items and items[-1].kind == "transit" else None
        if self.pending is not None and not items and times and _TIME_ONLY_FILLER.sub("", masked[times[-1].end:]):
            self.pending = None  # a time carries over only from a clause that ends with it

    def _stay_after_arrival(self, stay: re.Match, base: int) -> None:
        """后居村无外出: home from the day after the arrival up to the day before the next date.
        An arrival at a village the case then stays in is the way home, not a visit."""
        arrival = self.found[-1] if self.found else None
        if stay.group("village").endswith("村") and arrival is not None and arrival.kind == "visit" \
                and arrival.date == self.scope.last and (arrival.place or "").endswith("村"):
            self.found.pop()
        span = (base + self.offset + stay.start(), base + self.offset + stay.end())
        self.open_home = Visit("home", self.scope.last + dt.timedelta(days=1), span=span)
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
            out += [replace(home, date=first, end_date=last)
                    for first, last in subtract_days(home.date, home.end_date, away)]
        return sorted(out, key=lambda v: v.span[0] if v.span else 0)


def _listed(work: str, clause_match: re.Match, masked: str) -> bool:
    """A clause that is a list item: it opens with a date or time, or fills a whole line."""
    if masked.lstrip().startswith(MASK):
        return True
    before, after = clause_match.start(), clause_match.end()  # skip the blanks around the clause
    while before and work[before - 1] in " \t":
        before -= 1
    while after < len(work) and work[after] in " \t":
        after += 1
    return (before == 0 or work[before - 1] == "\n") and (after == len(work) or work[after] in "\n;；。")


def _repeats(visits: list[Visit], visit: Visit) -> bool:
    """``去X亲属家，在亲属家未外出``: the same place again on the same day."""
    if not visits or visits[-1].date != visit.date or not visits[-1].place or not visit.place:
        return False
    return visits[-1].place.endswith(visit.place)


def _clause_dates(clause: str, ctx: DateContext) -> tuple[list[DateMatch], list[tuple[int, int]], bool]:
    """:func:`_trajectory_dates`, remembered per clause and context (each call gets lists of its own)."""
    dates, spans, vague = _remembered_dates(clause, ctx)
    return list(dates), list(spans), vague


@cached
def _remembered_dates(clause: str, ctx: DateContext) -> tuple[tuple[DateMatch, ...], tuple[tuple[int, int], ...], bool]:
    dates, spans, vague = _trajectory_dates(clause, ctx)
    return tuple(dates), tuple(spans), vague


def _trajectory_dates(clause: str, ctx: DateContext) -> tuple[list[DateMatch], list[tuple[int, int]], bool]:
    """The clause's dates (ranges joined across clock times, lists joined), the spans of the
    date words, and whether a date only bounds a vague period."""
    dates = [d for d in find_dates(clause, ctx) if not _NOT_TRAJECTORY_DATE.match(clause, d.end)]
    spans = [(d.start, d.end) for d in dates]
    vague = any(_VAGUE_AFTER.match(clause, d.end) or _VAGUE_BEFORE.search(clause, max(0, d.start - 8), d.start)
                for d in dates)
    joined: list[DateMatch] = []
    for date in dates:
        if joined:
            previous = joined[-1]
            gap = clause[previous.end:date.start]
            if not previous.days and previous.end_date is None and _DATETIME_RANGE_GAP.match(gap) and date.last > previous.date:
                joined[-1] = DateMatch(previous.start, date.end, previous.date, date.last, rule="range")
                continue
            if _LIST_GAP.match(gap) and date.date > previous.last:
                days = (previous.days or (previous.date,)) + (date.days or (date.date,))
                joined[-1] = DateMatch(previous.start, date.end, days[0], days[-1], days, rule="list")
                continue
        joined.append(date)
    return joined, spans, vague


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in spans:
        text = text[:start] + MASK * (end - start) + text[end:]
    return text


def _activity(source: str, base: int, clause: str, activity: str | None, place_end: int) -> str | None:
    """The activity as written in ``source`` (it follows the place in the clause)."""
    if not activity:
        return None
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
        before = []
        while waiting < len(times) and times[waiting].end <= item.start:
            before.append(times[waiting])
            waiting += 1
        clocks = [t for t in before if t.time is not None]
        if clocks:
            item.time = clocks[0]
            if item.time.end_time is not None and _DRIVE.search(masked, item.time.end, item.start):
                item.time = replace(item.time, time=item.time.end_time, end_time=None)
        elif pending is not None and previous is None:
            item.time = pending
        elif previous is not None and not before and (previous.kind == "transit") != (item.kind == "transit"):
            item.time = previous.time  # a ride and where it started or ended (8:30在A村搭乘三轮车)
        parts = [t.part_of_day for t in before if t.part_of_day]
        if parts:
            item.part_of_day = parts[-1]
        previous_end, previous = item.end, item
    leftover = [t for t in times if t.start >= previous_end and t.time is not None]
    if items:
        return leftover[0] if leftover else None
    return leftover[0] if leftover else pending


def _governing(dates: list[DateMatch], starts: list[int], position: int) -> DateMatch | None:
    """The last date that starts at or before ``position`` (``starts``: the dates' starts, in order)."""
    index = bisect.bisect_right(starts, position)
    return dates[index - 1] if index else None


def _span_days(date: DateMatch) -> list[dt.date]:
    if date.days:
        return list(date.days)
    return [date.date + dt.timedelta(days=n) for n in range((date.last - date.date).days + 1)]


def _dated(item: _Item, date: DateMatch | None, clause: str, ctx: DateContext, base: int) -> list[Visit]:
    """The item as visits: one per day for a list or a daily range, else one on the first day."""
    span = (base + item.start, base + item.end)
    if date is None:
        days: list[dt.date | None] = [ctx.current] if ctx.current and not _DAILY.search(clause) else [None]
        end_date = None
    elif date.days or (date.end_date and _DAILY.search(clause) and item.kind == "visit"):
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
        out.append(Visit(item.kind, day, end_date if end_date != day else None, start, end,
                         None if start else item.part_of_day, item.place, item.activity, item.vehicle, span))
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
    if date is not None and date.days:
        return [Visit("home", day, day, span=span) for day in date.days]
    days = whole_days(first, last, partial_start, after)
    return [Visit("home", days[0], days[1], span=span)] if days else []
