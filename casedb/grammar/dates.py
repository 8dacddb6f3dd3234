"""Dates in trajectory text: rules, year resolution and the explicit date context.

A :class:`DateContext` says which day "today" is for a piece of text: the notice's
publication date (``reference``), the date of the clause being read (``current``) and a
year to assume when neither helps (``year``). It is passed along explicitly; no globals.

``find_dates`` walks a text left to right and returns :class:`DateMatch` values with spans;
each match becomes the current date for the next one, so ``12月30日…1月2日`` rolls over into
the next year and ``13日`` continues the month before it.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from casedb.grammar.numbers import parse_number
from casedb.grammar.scan import compile_rule

#: Year used when nothing in the context gives one (a leap year, so 2月29日 resolves).
#: Notices without any year are compared on month and day only.
FALLBACK_YEAR = 2020
#: How far after the reference date a year-less date may fall before it is read as last year.
FUTURE_SLACK = dt.timedelta(days=7)
#: How far before the notice date a day whose year the text does not write may fall (issue 16): a
#: notice tells the last weeks of its cases, so an earlier day is more likely a year misread.
WINDOW_BEFORE = dt.timedelta(days=60)
#: A day alone this far before the current day is in the next month (current 30日, then 2日);
#: closer, it is earlier in the same month (期间3日、5日 after a range ending on the 9th).
MONTH_TURN_DAYS = 15


class DateContext(NamedTuple):
    """What a year-less or relative date is resolved against. (A named tuple: it keys the caches of
    the dates read in its clause, and a tuple is hashed without a Python call.)"""

    reference: dt.date | None = None   # the notice's own (published) date
    current: dt.date | None = None     # the date of the clause being read
    year: int | None = None            # year to assume when reference and current are unknown
    anchor: dt.date | None = None      # a full date the notice writes (自2020年12月15日…): year-less days
                                       # near it take its year or the next (1月3日 → 2021)
    floor: bool = False                # ``current`` is the first day the text may tell, not a day it told:
                                       # a day alone (24日) is the first such day on or after it

    def at(self, day: dt.date) -> DateContext:
        """This context with ``day`` as the current clause date."""
        return _at(self, day)

    def without_current(self) -> DateContext:
        """This context with no current clause date (``_replace(current=None)``, without its Python-level calls)."""
        return from_fields(DateContext, (self.reference, None, self.year, self.anchor, self.floor))

    def from_day(self, day: dt.date) -> DateContext:
        """This context with ``day`` as the first day the text may tell (the days before a notice's report)."""
        return DateContext(self.reference, day, self.year, self.anchor, floor=True)


class DateMatch(NamedTuple):
    """A date, a range of days or a list of days found in text. (A named tuple, as dear to make as a tuple:
    a walk makes one or more for every dated clause.)"""

    start: int                          # span in the searched text
    end: int
    date: dt.date                       # the (first) day
    end_date: dt.date | None = None     # last day, inclusive, of a range or list
    days: tuple[dt.date, ...] = ()      # every day of a 、-list (empty for single days and ranges)
    rule: str = ""                      # the rule that matched (range, list, single, day, relative …)
    partial_start: bool = False         # the range starts in the afternoon/evening of its first day
    year_written: bool = False          # the text writes the year (2021年1月2日, 2021-01-02); else it is inferred

    @property
    def last(self) -> dt.date:
        return self.end_date or self.date


#: A named tuple (:class:`DateMatch`, :class:`DateContext`, the walk's clause readings) from all its fields, in order:
#: ``from_fields(DateContext, (reference, current, year, anchor, floor))``, without the named tuple's Python-level
#: ``__new__`` (0.5 µs a tuple made with keywords; about 100,000 clause readings a pass over the 10k corpus).
from_fields = tuple.__new__


@lru_cache(maxsize=4096)   # a walk moves to the same days again; one context per day is shared (and hashed) by all
def _at(ctx: DateContext, day: dt.date) -> DateContext:
    return from_fields(DateContext, (ctx.reference, day, ctx.year, ctx.anchor, False))


def window(reference: dt.date, year_written: bool) -> tuple[dt.date | None, dt.date]:
    """The first and last day a notice dated ``reference`` can tell: none after it, and, unless the text
    writes the year, none more than ``WINDOW_BEFORE`` before it (no first day then: None)."""
    return (None if year_written else reference - WINDOW_BEFORE), reference


def in_window(day: dt.date, reference: dt.date, year_written: bool) -> bool:
    """Whether ``day`` lies in the :func:`window` of a notice dated ``reference``."""
    first, last = window(reference, year_written)
    return (first is None or first <= day) and day <= last


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=4096)   # a trajectory resolves the same days against the same context twice
def resolve(month: int, day: int, ctx: DateContext) -> dt.date | None:
    """The full date of a year-less ``month``/``day`` in ``ctx``; None if no such day.

    Against the current clause date the nearest year wins (trajectories are chronological,
    so 1月2日 after 12月30日 is next year); against the notice date a day more than a week
    after it is last year's (12月30日 in a January notice).
    """
    if ctx.current is not None:
        anchor = ctx.current
        candidates = [safe_date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        candidates = [c for c in candidates if c is not None]
        if ctx.reference is not None:
            bounded = [c for c in candidates if c <= ctx.reference + FUTURE_SLACK]
            candidates = bounded or candidates
        return min(candidates, key=lambda c: abs((c - anchor).days), default=None)
    if ctx.reference is not None:
        ref = ctx.reference
        same_year = safe_date(ref.year, month, day)
        if same_year is not None and same_year <= ref + FUTURE_SLACK:
            return same_year
        return safe_date(ref.year - 1, month, day) or same_year
    if ctx.anchor is not None:
        candidates = [c for y in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1)
                      if (c := safe_date(y, month, day)) is not None]
        return min(candidates, key=lambda c: abs((c - ctx.anchor).days), default=None)
    return safe_date(ctx.year or FALLBACK_YEAR, month, day)


# --- rules -----------------------------------------------------------------------------------

_NUM = r"[0-9０-９]{1,2}|[〇零一二三四五六七八九十]{1,3}"
#: A number read whole where what follows it never continues it (月, 日, a blank, a range's separator): the engine does
#: not try it shorter after a match fails (12次: 12 then 1, each followed by no 月).
_WHOLE_NUM = r"[0-9０-９]{1,2}+|[〇零一二三四五六七八九十]{1,3}+"
_DAY_UNIT = r"\s*[日号號]"
#: A part of the day written between a range's start and the separator (1月10日下午至18日).
_PART_BEFORE_SEP = r"(?P<partial>上午|中午|下午|傍晚|晚上|晚|凌晨|早上)?"
_RANGE_SEP = r"\s*(?:—+|–|－|-|~|～|〜|至|到)\s*"

#: 2021年, 今(2020)年, and 今年 / 去年 (the notice's year, the year before it).
_YEAR = r"(?:[今去]\s*[(（]\s*)?(?P<{p}y>(?:19|20)[0-9]{2}|２０[０-９]{2}|[今去])(?:\s*[)）])?\s*年\s*"
_MONTH = r"(?P<{p}m>" + _WHOLE_NUM + r")\s*月\s*"
_DAY = r"(?P<{p}d>" + _WHOLE_NUM + r")"


def _date_pattern(prefix: str, year: bool, month: bool) -> str:
    """Year, month and day; a day alone must end in 日 (5号 alone is a house number)."""
    parts = []
    if year:
        parts.append(_YEAR.replace("{p}", prefix))
    if month:
        parts.append(_MONTH.replace("{p}", prefix))
    parts.append(_DAY.replace("{p}", prefix) + (_DAY_UNIT if month else r"\s*日"))
    return "".join(parts)


_FIRST = r"(?:" + _date_pattern("a", True, True) + r"|" + _date_pattern("b", False, True) + r")"
_SECOND = (r"(?:" + _date_pattern("c", True, True) + r"|" + _date_pattern("e", False, True)
           + r"|" + _date_pattern("f", False, False) + r")")
_NOT_NUMBER_BEFORE = r"(?<![0-9０-９])"

# 4月5日—7日, 31日—2021年1月2日 (day-only start), 4月27—28日 (unit only on the last day)
_RANGE = compile_rule(
    _NOT_NUMBER_BEFORE
    + r"(?:" + _FIRST + r"|" + _date_pattern("g", False, False)
    + r"|(?:" + _MONTH.replace("{p}", "h") + r")?(?P<hd>" + _WHOLE_NUM + r"))"
    + _PART_BEFORE_SEP + _RANGE_SEP + _SECOND
)
# 3月27、28日 / 3月27日、28日、29日
_LIST = compile_rule(
    _NOT_NUMBER_BEFORE + _MONTH.replace("{p}", "l")
    + r"(?P<days>(?:" + _NUM + r")(?:" + _DAY_UNIT + r")?(?:\s*[、,，和及]\s*(?:" + _NUM + r")(?![0-9０-９]|\s*月)(?:"
    + _DAY_UNIT + r")?)+)(?=" + _DAY_UNIT + r"|[^0-9０-９])"
)
#: The single rule's groups, in order.
_SINGLE_GROUPS = ("ay", "am", "ad", "bm", "bd")
_SINGLE = compile_rule(_NOT_NUMBER_BEFORE + r"(?:" + _date_pattern("a", True, True) + r"|"
                     + _date_pattern("b", False, True) + r")")
# 4月13 without 日 when followed by a clause boundary or a time word
_MONTH_DAY_BARE = compile_rule(
    _NOT_NUMBER_BEFORE + r"(?P<m>[0-9０-９]{1,2})\s*月\s*(?P<d>[0-9０-９]{1,2})(?=\s*(?:[，,、:：；;。\s]|上午|中午|下午|晚|凌晨|早|傍晚))"
)
_NUMERIC = compile_rule(
    r"(?<![0-9０-９.．:：/])"
    + r"(?:(?P<y1>(?:19|20)[0-9]{2})\s*[-/.．]\s*(?P<m1>[0-9]{1,2})\s*[-/.．]\s*(?P<d1>[0-9]{1,2})"
    + r"|(?P<d2>[0-9]{1,2})/(?P<m2>[0-9]{1,2})/(?P<y2>(?:19|20)[0-9]{2}))(?![0-9])"
)
# 4.13 / 4.13日: month.day, not a decimal quantity (1.5公里, 3.5万元)
_DOTTED = compile_rule(
    r"(?<![0-9０-９.．:：/年])(?P<m>1[0-2]|0?[1-9])[.．](?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9０-９.．])"
    r"(?:" + _DAY_UNIT + r"|(?![万元米公千亿%％个人名例次倍斤克吨小分秒]))"
)
#: A day alone in Arabic digits (三日 alone is a count of days). It starts with its first digit and looks behind it
#: after (no digit or 月 before it): a rule starting with a character class is one the regex engine skips through
#: to that class, instead of trying a lookbehind at every position.
_DAY_ONLY = compile_rule(r"(?P<ad>[0-9０-９](?<![0-9０-９月][0-9０-９])[0-9０-９]?)\s*日(?![内以后前])")
_RELATIVE = re.compile(r"同(?P<d>[0-9０-９]{1,2})日|当日|当天|同日|同天|次日|翌日|第二天|隔天|当晚|次晚|前一天|前一日")
#: News days counted from the page's date: 昨日 / 昨天 / 昨晚, 今日 / 今天.
_NEWS_DAY = re.compile(r"昨[日天晚]|今[日天]")
#: A day of a month named from the page's date (上月22日, 本月18日) or from the clause's (同月5日).
_MONTH_WORD = compile_rule(r"(?P<word>上|本|今|同|当|下)\s*个?\s*月\s*(?P<d>" + _NUM + r")\s*[日号號]")
_MONTH_STEP = {"上": -1, "下": 1}

_NEXT_DAY = {"次日", "翌日", "第二天", "隔天", "次晚"}
_PREVIOUS_DAY = {"前一天", "前一日"}


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    number = _NUMBERS.get(text)
    return number if number is not None else parse_number(text)


#: The numbers a date writes most (1–31 in ASCII and full-width digits, 01–09, 一 to 三十一), read once.
_NUMBERS: dict[str, int] = {
    text: number for text in (
        [str(n) for n in range(32)] + [f"0{n}" for n in range(10)]
        + [str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) for n in range(32)]
        + ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        + [a + b for a in ("十", "二十", "三十") for b in ("", "一", "二", "三", "四", "五", "六", "七", "八", "九")])
    if (number := parse_number(text)) is not None}


class _Walker:
    """Resolves the pieces of one match against a context that moves with the text."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: DateContext):
        self.ctx = ctx

    def full(self, y: str | None, m: str | None, d: str | None, backward: bool = False) -> dt.date | None:
        """A date from year/month/day texts; a day alone continues the current month.

        A day alone earlier than the current day is in the next month (``backward``: a day
        alone later than the current day is in the month before, for the start of a range
        whose end was read first).
        """
        day = _num(d)
        if day is None:
            return None
        if y is not None:
            year = _year(y, self.ctx)
            if year is None:
                y = None
            else:
                month = _num(m)
                return safe_date(year, month, day) if month else None
        if m is not None:
            return resolve(_num(m), day, self.ctx)
        current = self.ctx.current
        if current is None:
            return _last_day_numbered(day, self.ctx.reference) if self.ctx.reference else None
        found = safe_date(current.year, current.month, day)
        turn = found is not None and (found > current if backward else (
            found < current if self.ctx.floor else (current - found).days > MONTH_TURN_DAYS))
        if turn:
            step = -1 if backward else 32
            other = (current.replace(day=1) + dt.timedelta(days=step)).replace(day=1)
            found = safe_date(other.year, other.month, day)
        return found

    def advance(self, day: dt.date) -> None:
        self.ctx = _at(self.ctx, day)


@lru_cache(maxsize=256)   # a few dozen texts at most (19xx, 20xx)
def _written_year(text: str) -> int:
    return int(_ascii(text))


def _year(text: str, ctx: DateContext) -> int | None:
    """The year a year text names: written (2021), or 今 / 去 from the notice's or the clause's year."""
    if text not in ("今", "去"):
        return _written_year(text)
    known = ctx.reference or ctx.current or ctx.anchor
    if known is None:
        return None
    return known.year - (text == "去")


def _last_day_numbered(day: int, last: dt.date) -> dt.date | None:
    """The last day numbered ``day`` on or before ``last`` (24日 in a page of 27 March: 24 March)."""
    found = safe_date(last.year, last.month, day)
    if found is None or found > last:
        before = last.replace(day=1) - dt.timedelta(days=1)
        found = safe_date(before.year, before.month, day)
    return found


def _month_word_day(m: re.Match, ctx: DateContext) -> dt.date | None:
    """上月22日 / 本月18日 from the page's date (else the clause's); 同月5日 / 当月5日 from the clause's."""
    word = m.group("word")
    base = (ctx.current or ctx.reference) if word in "同当" else (ctx.reference or ctx.current)
    if base is None:
        return None
    first = base.replace(day=1)
    step = _MONTH_STEP.get(word, 0)
    if step < 0:
        first = (first - dt.timedelta(days=1)).replace(day=1)
    elif step > 0:
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return safe_date(first.year, first.month, _num(m.group("d")))


def _ascii(text: str) -> str:
    return text.translate(_FULLWIDTH)


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def _range_match(m: re.Match, walker: _Walker) -> DateMatch | None:
    # the groups as one tuple, in the rule's order (a dict of them, m.groupdict(), took 1.3 µs: the rule has fifteen;
    # named, 0.35 µs)
    ay, am, ad, bm, bd, gd, hm, hd, partial, cy, cm, cd, em, ed, fd = m.groups()
    backward = False
    if cy and not ay:
        # 12月31日—2021年1月2日: the explicit year of the end places the start
        last = walker.full(cy, cm, cd)
        if last is not None:
            walker.advance(last)
            backward = True
    if ad:
        first = walker.full(ay, am, ad)
    elif bd:
        first = walker.full(None, bm, bd)
    elif gd:
        first = walker.full(None, None, gd, backward)
    else:
        first = walker.full(None, hm, hd, backward)
    if first is None:
        return None
    walker.advance(first)
    if cd:
        last = walker.full(cy, cm, cd)
    elif ed:
        last = walker.full(None, em, ed)
    else:
        last = walker.full(None, None, fd)
    if last is None or last < first or (last - first).days > 366:
        return None
    walker.advance(last)
    return from_fields(DateMatch, (*m.span(), first, last, (), "range", bool(partial), bool(ay or cy)))


#: The range rule's groups, in the order :func:`_range_match` takes them (the rule's own order: ``m.groups()``).
_RANGE_GROUPS = ("ay", "am", "ad", "bm", "bd", "gd", "hm", "hd", "partial", "cy", "cm", "cd", "em", "ed", "fd")


_NUMBER = re.compile(_NUM)
_DAY_UNIT_RULE = re.compile(_DAY_UNIT)


def _list_match(m: re.Match, walker: _Walker) -> DateMatch | None:
    month = _num(m.group("lm"))
    numbers = _NUMBER.findall(m.group("days"))
    days: list[dt.date] = []
    for number in numbers:
        if days:
            walker.advance(days[-1])
        found = walker.full(None, None, number) if days else resolve(month, _num(number), walker.ctx)
        if found is None or (days and found <= days[-1]):
            return None
        days.append(found)
    walker.advance(days[-1])
    end = m.end()
    unit = _DAY_UNIT_RULE.match(m.string, end)
    if unit:
        end = unit.end()
    return DateMatch(m.start(), end, days[0], days[-1], tuple(days), rule="list")


def _single_match(m: re.Match, walker: _Walker, rule: str) -> DateMatch | None:
    if rule == "single":   # the most frequent rule by far, read without a dict of its groups
        ay, am, ad, bm, bd = m.groups()   # (the rule's groups in order: ``_SINGLE_GROUPS``)
        found = walker.full(ay, am, ad) if ad else walker.full(None, bm, bd)
        if found is None:
            return None
        walker.advance(found)
        # the year is written when the text has one: 今年 / 去年 always resolve once the context has a day
        return from_fields(DateMatch, (*m.span(), found, None, (), rule, False, bool(ay)))
    g = m.groupdict()
    if rule == "numeric":
        if g["y1"]:
            found = safe_date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        else:
            found = safe_date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    elif rule in ("bare", "dotted"):
        found = resolve(int(_ascii(g["m"])), int(_ascii(g["d"])), walker.ctx)
    elif rule == "day":
        found = walker.full(None, None, g["ad"])
    elif rule == "month word":
        found = _month_word_day(m, walker.ctx)
    elif rule == "news day":
        found = walker.ctx.reference and walker.ctx.reference - dt.timedelta(days=m.group(0)[0] == "昨")
    else:
        found = _relative(m, walker.ctx)
    if found is None:
        return None
    walker.advance(found)
    return from_fields(DateMatch, (*m.span(), found, None, (), rule, False, rule == "numeric"))


def _relative(m: re.Match, ctx: DateContext) -> dt.date | None:
    if ctx.current is None:
        return None
    word = m.group(0)
    if m.group("d"):
        return _Walker(ctx).full(None, None, m.group("d"))
    if word in _NEXT_DAY:
        return ctx.current + dt.timedelta(days=1)
    if word in _PREVIOUS_DAY:
        return ctx.current - dt.timedelta(days=1)
    return ctx.current


#: A range's separator right before its second date (4月5日—7日), and a list's joiner right before its next
#: day (3月27、28日): a text without one cannot hold the rule's match. 到 and 至 are common outside dates
#: (到超市), and the range rule is the dearest to run.
_NUMBER_STARTS = "0-9０-９〇零一二三四五六七八九十"
_RANGE_HINT = re.compile(r"(?:—|–|－|-|~|～|〜|至|到)\s*[" + _NUMBER_STARTS + "今去]")
#: A list's first joiner follows its first day right after 月 (3月27、 / 3月27日、): the many clauses with a joiner
#: before a number elsewhere (男,7岁, 期间3日、5日) hold no list.
_LIST_HINT = re.compile(r"月\s*(?:" + _WHOLE_NUM + r")(?:" + _DAY_UNIT + r")?\s*[、,，和及]\s*[" + _NUMBER_STARTS + "]")
#: A month and a day without 日 (4月13，), and a month word right before a day (上月22日): the many clauses
#: with 月 and 下午 (4月6日下午到…) hold neither.
_BARE_HINT = re.compile(r"月\s*+[0-9０-９]{1,2}+(?=[，,、:：；;。\s]|上午|中午|下午|晚|凌晨|早|傍晚)")
#: A day's number right before 日 (or blanks) that no month's 月 or other digit leads (24日, not 1月24日): the day
#: rule is the second dearest, and most dated clauses hold only month-days. (Every alternative starts with 日.)
_DAY_ALONE_HINT = re.compile(r"日(?<=\s日)|日(?<=[^月0-9０-９][0-9０-９]日)|日(?<=[^月0-9０-９][0-9０-９]{2}日)"
                             r"|日(?<=^[0-9０-９]日)|日(?<=^[0-9０-９]{2}日)")
_MONTH_WORD_HINT = re.compile(r"[上本今同当下]\s*个?\s*月\s*[" + _NUMBER_STARTS + "]")

#: Rules in priority order: at one position the first rule that matches wins; longer
#: matches at an earlier position win over later ones. Each rule names characters one of which
#: its matches always hold, and for some a second such group (a range has a day's unit and a
#: separator), to skip it cheaply; and, for some, a hint: a pattern every match holds, scanned for
#: only when the characters are there.
_RULES: tuple[tuple[str, re.Pattern, frozenset[str], frozenset[str], re.Pattern | None], ...] = tuple(
    (rule, pattern, frozenset(needs), frozenset(also), hint) for rule, pattern, needs, also, hint in (
        ("range", _RANGE, "日号號", "—–－-~～〜至到", _RANGE_HINT),
        ("list", _LIST, "月", "、,，和及", _LIST_HINT),
        ("numeric", _NUMERIC, r"-/.．", "", None),
        ("single", _SINGLE, "月", "", None),
        ("bare", _MONTH_DAY_BARE, "月", "", _BARE_HINT),
        ("dotted", _DOTTED, ".．", "", None),
        ("day", _DAY_ONLY, "日", "", _DAY_ALONE_HINT),
        ("relative", _RELATIVE, "当同次翌第隔前", "", None),
        ("month word", _MONTH_WORD, "月", "上本今同当下", _MONTH_WORD_HINT),
        ("news day", _NEWS_DAY, "昨今", "", None),
    ))
#: Every character a rule needs but a date's 月 and 日, which nearly every dated text holds (:func:`_held` looks for
#: each of those with ``in``): one scan of a text finds those it holds. (The scan stops at each it finds, about 1.4k
#: instructions a stop: 月 and 日 were most of its stops.)
_RARER_NEEDED = re.compile("[" + re.escape("".join(sorted(
    set().union(*(needs | also for _, _, needs, also, _ in _RULES)).difference("月日")))) + "]")


@lru_cache(maxsize=4096)   # the needed characters a text holds (:func:`_held`): about 700 strings over 17,000 clauses
def _runs_of(held: str) -> tuple[tuple[int, str, re.Pattern, re.Pattern | None, str | None], ...]:
    """(priority, rule, pattern, hint, needed) of the rules whose needed characters are among ``held`` (the priority
    is the rule's place in ``_RULES``; ``needed``: the one character it needs, if it needs only one)."""
    present = frozenset(held)
    return tuple((priority, rule, pattern, hint, next(iter(needs)) if len(needs) == 1 else None)
                 for priority, (rule, pattern, needs, also, hint) in enumerate(_RULES)
                 if not present.isdisjoint(needs) and not (also and present.isdisjoint(also)))


def _held(text: str) -> str:
    """The characters of ``text`` that rules need: 月 and 日 once if there, then the others in order (repeated)."""
    return ("月" if "月" in text else "") + ("日" if "日" in text else "") + "".join(_RARER_NEEDED.findall(text))


def _candidates(text: str, first_only: bool = False) -> list[tuple[int, int, int, str, re.Match]]:
    """(start, minus length, priority, rule, match) of the matches of the rules that can match in ``text`` (its
    characters hold what they need, and their hint is in it), in order: the first of them is the first date to read.
    ``first_only``: the first match of each rule only."""
    found = []
    for priority, rule, pattern, hint, needed in _runs_of(_held(text)):
        if hint is not None and hint.search(text) is None:
            continue
        # a search from each match's end, not finditer (whose iterator alone costs about two searches; the rules'
        # matches are never empty, so both find the same), while the rest holds the one character a rule needs
        m = pattern.search(text)
        while m is not None:
            start, end = m.span()
            found.append((start, start - end, priority, rule, m))
            m = (None if first_only or (needed is not None and text.find(needed, end) < 0)
                 else pattern.search(text, end))
    if len(found) > 1:
        found.sort()   # (start, longest first, priority) differ for any two candidates
    return found


#: Cheap test for text that may hold a date at all (where one may start, near enough). Every alternative starts with
#: a plain character, which the engine skips to (not to every digit): a digit's dot or dash (4.13, 2021-01-02) is
#: found at the mark, the digit looked back at (then also one just before a search's ``pos``).
MAYBE_DATE = re.compile("|".join([*"日号號/", "昨[天晚]", "今天", *(rf"{mark}(?<=[0-9０-９]{mark})" for mark in (r"\.", "．", r"\-")),
                                  "当[日天晚]", "同[日天0-9０-９]", "次[日晚]", "翌日", "第二天", "隔天", "前一[天日]"]))


def find_dates(text: str, ctx: DateContext) -> list[DateMatch]:
    """Every date, range or list of days in ``text``, left to right, resolved in ``ctx``.

    Each match moves the context on, so later year-less and relative dates follow it.
    """
    return read_dates(text, ctx) if MAYBE_DATE.search(text) else []


def read_dates(text: str, ctx: DateContext) -> list[DateMatch]:
    """:func:`find_dates` for a text :data:`MAYBE_DATE` finds something in."""
    walker = _Walker(ctx)
    matches: list[DateMatch] = []
    taken_until = 0
    for start, _, _, rule, m in _candidates(text):
        if start < taken_until:
            continue
        saved = walker.ctx
        found = _read(rule, m, walker)
        if found is None or _born_on(text, found):
            walker.ctx = saved   # a birthdate (1990年3月7日出生) is no day of the notice
            taken_until = found.end if found else taken_until
            continue
        matches.append(found)
        taken_until = found.end
    return matches


def first_date_start(text: str, ctx: DateContext) -> int | None:
    """Where the first date :func:`find_dates` finds in ``text`` starts, read without the dates after it: up to
    the first character after :data:`MAYBE_DATE`'s first find that no date rule reads, then, if that part holds
    no date, the rest. (No rule reads across such a character, nor sees it as anything but no date's: the
    parts hold the text's candidates; and a failed reading leaves the context as it was, so the rest is read
    as the whole text would go on.)"""
    maybe = MAYBE_DATE.search(text)
    if maybe is None:
        return None
    cut = _NO_DATE_TEXT.search(text, maybe.end())
    if cut is None:
        return _first_start(text, ctx)
    found = _first_start(text[:cut.end()], ctx)
    if found is None and (found := _first_start(text[cut.end():], ctx)) is not None:
        found += cut.end()
    return found


#: Every character a date rule, its hint, :data:`MAYBE_DATE` or :data:`BIRTH` names, blanks aside
#: (tests/test_scan_less.py checks).
_DATE_TEXT = ("0-9０-９〇零一二三四五六七八九十"                   # numbers
              "年月日号號天今去昨本同当上下个次翌第隔前后午中傍晚凌晨早"   # dates' words, parts of the day
              "—–－\\-~～〜至到、,，和及()（）/.．:：;；。%％"        # separators, joiners, brackets, marks
              "出生人于内以万元米公千亿名例倍斤克吨小分秒")         # words a date is told from by (出生, 日内, 1.5公里)
#: A character no date goes on past (a date's text ends before it), nor is seen as anything but no date's.
_NO_DATE_TEXT = re.compile(f"[^{_DATE_TEXT}\\s]")


def _first_start(text: str, ctx: DateContext) -> int | None:
    """Where the first date :func:`read_dates` finds in ``text`` starts: the first match of each rule, and the
    first of those read (``text`` read whole when that one is no date)."""
    firsts = _candidates(text, first_only=True)
    if not firsts:
        return None
    start, _, _, rule, m = firsts[0]   # read_dates' first candidate: a rule's matches come in order
    found = _read(rule, m, _Walker(ctx))
    if found is not None and not _born_on(text, found):
        return start
    dates = read_dates(text, ctx)
    return dates[0].start if dates else None


def _read(rule: str, m: re.Match, walker: _Walker) -> DateMatch | None:
    if rule == "range":
        return _range_match(m, walker)
    if rule == "list":
        return _list_match(m, walker)
    return _single_match(m, walker, rule)


def _born_on(text: str, found: DateMatch) -> bool:
    return text[found.end:found.end + 1] in _BIRTH_STARTS and BIRTH.match(text, found.end) is not None


#: After a date: the person was born on it (1990年3月7日出生 / 1990年3月7日生,).
BIRTH = re.compile(r"\s*(?:出生|生(?:人|于)?(?:[,，。;；\s]|$))")
_BIRTH_STARTS = frozenset("出生 \t\u3000")
