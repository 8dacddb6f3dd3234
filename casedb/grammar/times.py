"""Clock times and parts of the day: ``20:00``, ``8时30分许``, ``下午3点``, ``18时至19时``, ``晚上``.

``find_times`` returns :class:`TimeMatch` values with spans. A part of the day with no clock
time (``晚上``) gives ``time`` None and keeps ``part_of_day``; a clock time after 下午/晚上
is moved to the afternoon (下午3点 → 15:00).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from casedb.grammar.numbers import parse_number
from casedb.grammar.scan import compile_rule


class TimeMatch(NamedTuple):
    """A clock time, clock interval or part of the day found in text. (A named tuple: a walk makes one for nearly
    every clause, and a frozen dataclass took twice as long to make.)"""

    start: int                           # span in the searched text
    end: int
    time: dt.time | None                 # clock time (start of an interval)
    end_time: dt.time | None = None      # end of an interval (11时23分至17时07分)
    part_of_day: str | None = None       # 上午/中午/下午/傍晚/晚上/凌晨… as written


#: Parts of the day, longest first; the value says how a clock hour after it is read.
PARTS_OF_DAY = {
    "凌晨": "early", "清晨": "morning", "早晨": "morning", "早上": "morning", "上午": "morning",
    "中午": "noon", "午间": "noon", "下午": "afternoon", "午后": "afternoon", "傍晚": "evening",
    "晚上": "evening", "晚间": "evening", "夜间": "evening", "夜里": "evening", "深夜": "night",
    "半夜": "night", "夜晚": "evening", "晚": "evening", "早": "morning", "夜": "night",
}
_PART = "|".join(sorted(PARTS_OF_DAY, key=len, reverse=True))
_H = r"[0-9０-９]{1,2}|[〇零一二两三四五六七八九十]{1,3}"
_M = r"[0-9０-９]{1,2}|[〇零一二三四五六七八九十]{1,3}"
_APPROX = r"(?:\s*(?:左右|前后|许|多|傍边))?"
_CLOCK = (
    r"(?:(?P<{p}colh>[0-9０-９]{1,2})\s*[:：∶]\s*(?P<{p}colm>[0-9０-９]{2})(?![0-9０-９])分?"
    r"|(?P<{p}h>" + _H + r")\s*[时点時](?![间候期段區区])\s*(?:(?P<{p}half>半)|(?P<{p}m>" + _M + r")\s*分?)?)"
)


def _clock(prefix: str) -> str:
    return (r"(?:(?P<" + prefix + r"part>" + _PART + r")\s*)?" + _CLOCK.replace("{p}", prefix)
            + _APPROX)


_TIME_RANGE = compile_rule(
    r"(?<![0-9０-９.．:：/])" + _clock("a")
    + r"(?:\s*(?:—+|–|－|-|~|～|〜|至|到)\s*(?:" + _clock("b") + r"|(?P<endminute>[0-9０-９]{1,2})\s*分))?"
)
_PART_ONLY = re.compile(r"(?P<part>" + _PART + r")")
# a lone 晚/早/夜 is only a part of the day right after a date or in a fixed word
_LONE_PART_OK = re.compile(r"(?:[日号]|当|同日|次日|当天|凌)$")


#: The groups of the clock time of each end of an interval (``a`` its start, ``b`` its end), in the order
#: :func:`_hour_minute` reads them. (Read with one ``m.group(*names)``: a dict of the rule's thirteen groups,
#: ``m.groupdict()``, took three times as long.)
_CLOCK_GROUPS = {prefix: tuple(prefix + name for name in ("colh", "colm", "h", "half", "m")) for prefix in "ab"}


def _hour_minute(m: re.Match, prefix: str) -> tuple[int, int] | None:
    colon_hour, colon_minute, hour_text, half, minute_text = m.group(*_CLOCK_GROUPS[prefix])
    if colon_hour is not None:
        hour, minute = int(colon_hour), int(colon_minute)
    else:
        hour = parse_number(hour_text)
        minute = 30 if half else (parse_number(minute_text) if minute_text else 0)
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    return hour % 24 if not (hour == 24 and minute) else None, minute


def _shift(hour: int, part: str | None) -> int:
    """A 12-hour clock reading after a part of the day as a 24-hour hour."""
    kind = PARTS_OF_DAY.get(part or "")
    if kind in ("afternoon", "evening") and hour < 12:
        return hour + 12
    if kind == "night" and 6 <= hour < 12:
        return hour + 12
    if kind == "noon" and hour < 5:
        return hour + 12
    return hour


#: Cheap test for text that may hold a time at all.
_MAYBE_TIME = re.compile(r"[时点時:：∶午晚早夜凌傍]")


def find_times(text: str) -> list[TimeMatch]:
    """Every clock time, clock interval or bare part of the day in ``text``, left to right. (Not cached: the walk
    reads it once per text it caches, :func:`~casedb.grammar.trajectory._read_rest`.)"""
    if not _MAYBE_TIME.search(text):
        return []
    found: list[TimeMatch] = []
    # Each rule is run only on a text holding a character that every one of its matches holds: a clock time's mark
    # after its hour (8时, 8点, 8:30), a part of the day's 午, 晚, 早, 夜 or 晨 (上午, 凌晨, 深夜 …). (Tested with ``in``,
    # which the interpreter runs without a call; the rules are tried at every character, at 300-550 machine
    # instructions a character.)
    clock_marked = "时" in text or "点" in text or ":" in text or "：" in text or "時" in text or "∶" in text
    for m in _TIME_RANGE.finditer(text) if clock_marked else ():
        start_hm = _hour_minute(m, "a")
        if start_hm is None or start_hm[0] is None:
            continue
        part, end_part, end_hour_text, end_colon_hour, end_minute = m.group("apart", "bpart", "bh", "bcolh", "endminute")
        start = dt.time(_shift(start_hm[0], part), start_hm[1])
        end = None
        if end_hour_text or end_colon_hour:
            end_hm = _hour_minute(m, "b")
            if end_hm is not None and end_hm[0] is not None:
                end_hour = _shift(end_hm[0], end_part or part)
                if end_hour < start.hour and not end_part and end_hour + 12 < 24 and part:
                    end_hour += 12
                end = dt.time(end_hour, end_hm[1])
        elif end_minute and int(end_minute) < 60:
            end = dt.time(start.hour, int(end_minute))  # 22时00分至14分
        found.append(TimeMatch(m.start(), m.end(), start, end, part))
    if not ("午" in text or "晚" in text or "早" in text or "夜" in text or "晨" in text):
        return found   # (in text order: the clock times are found left to right)
    clock_spans = [(t.start, t.end) for t in found]
    for m in _PART_ONLY.finditer(text):
        if any(s <= m.start() < e for s, e in clock_spans):
            continue
        word = m.group("part")
        if len(word) == 1 and not _LONE_PART_OK.search(text[:m.start()]):
            continue
        found.append(TimeMatch(m.start(), m.end(), None, None, word))
    if len(found) > 1:
        found.sort(key=lambda t: t.start)
    return found
