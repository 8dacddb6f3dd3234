"""Whole days at home: 居家未外出, 在家未外出, 居村无外出, 在家 over a day or a range of days.

:func:`home_phrase` finds the phrase in a clause and :func:`back_home_that_day` tells a clause that means
the rest of a day only (the trajectory walk reads both once per clause text); ``whole_days`` turns the clause's dates into the
inclusive first..last day range, leaving out half days (1月7日至10日上午 → 7日..9日).
"""
from __future__ import annotations

import datetime as dt
import re

#: (Every alternative starts with a literal, which the regex engine skips to: a group of words is split into one
#: alternative per first character, in the same order, and a lookbehind is tested after the word.)
_NO_OUTING = r"(?:期间)?(?:未|无|没有|均未|一直未)(?:外出|出门|出|离开)"
_STAYING_IN = r"(?:隔离|休息|观察|养病)?(?!健康|监测|自我|为主|快筛|筛检|自测|抗原|检测|检疫)"
_NO_MORE_OUTINGS = r"再?(?:外出|出门|出家门)"
_NOT_OUT = r"(?:未|无|没有)" + _NO_MORE_OUTINGS
_HOME = re.compile(
    r"居家" + _NO_OUTING + r"|在(?:家中?|本?村(?:内|中|里)?(?:活动)?|居住处|住处|宿舍|居住地|小区内?)" + _NO_OUTING
    + r"|居村" + _NO_OUTING + r"|一直" + _NO_OUTING
    # (以居家为主 is mostly at home, not whole days; 在家中聚餐 is a gathering; 居家快筛阳性 is a test at home;
    # 居家检疫 is entry quarantine; 13人列居家隔离 / 匡列其家人3人居家隔离 are the contacts)
    + r"|居家(?<![以列人]居家)" + _STAYING_IN + r"|居村(?<![以列人]居村)" + _STAYING_IN
    + r"|在家(?:中|里)?(?!养病|休养|中养病|中休养|具|电|居|纺|乐|园|属|政|福|门口|[中里]?(?:聚餐|聚会|吃饭|宴请|打牌|打麻将))"
    + "".join(f"|{lead}{_NOT_OUT}" for lead in ("自述", "均", "一直", "全天"))
    + "".join(f"|{word}{_NO_MORE_OUTINGS}" for word in ("未", "无", "没有"))
)
#: Home for part of a day only: after coming back, or "no more outings".
_PARTIAL = re.compile(r"后[^，,。；;]{0,6}(?:无|未)(?:再)?外出|未再(?:外出|出门)|返回[^，,。；;]{0,10}家")
_HALF_DAY = re.compile(r"^[\s,，]*(?:上午|中午|下午|傍晚|晚上|晚|凌晨|早上|白天)")
_HALF_DAY_BEFORE = re.compile(r"(?:上午|中午|下午|傍晚|晚上|凌晨|早上|白天)[\s,，]*$")


#: Staying in after arriving, with no end date (20时抵达X村，后居村无外出): home from the next day on.
_STAY_AFTER_ARRIVAL = re.compile(r"^\s*(?:之后|随后|然后|后)(?P<village>居村|在村|居家|在家)?(?:中|内|里)?(?:一直)?(?:无|未)再?(?:外出|出门)")


def find_stay_after_arrival(clause: str) -> re.Match | None:
    """``后居村无外出`` opening a clause: the case stays in from the next day up to the next date.
    Group ``village`` starts with 居村/在村 when the arrival was at the home village."""
    return _STAY_AFTER_ARRIVAL.match(clause) if "后" in clause else None   # (every alternative holds 后)


def home_phrase(clause: str) -> re.Match | None:
    """The stay-at-home phrase of a clause, None when the clause has none or it is a half day's (上午居家).
    A clause that also comes back home that day (返回家中后未外出: :func:`back_home_that_day`) means whole days
    at home only when it runs to a later date (返回家中，至21日未再外出)."""
    home = _HOME.search(clause) or _home_named(clause)
    if home is None or _HALF_DAY_BEFORE.search(clause, max(0, home.start() - 6), home.start()):
        return None
    return home


def back_home_that_day(clause: str) -> bool:
    """返回家中后未外出 / 未再外出: at home for the rest of a day only."""
    return _PARTIAL.search(clause) is not None


#: 12:00至11月29日 枝城镇永彬小区家中: the clause is only the home, named by its place (a home stay over
#: the clause's days), not 回到永彬小区家中 (a return) nor 到朋友家中 (a visit).
#: (家 first, which the regex engine skips to; the lookbehind is tested after it)
_HOME_NAMED = re.compile(r"家(?<=[区村苑园城里院楼号室舍庄寓]家)(?:中|里)(?=[\s;；。,，]*$)")
_ONLY_A_PLACE_BEFORE = re.compile(r"(?:[\s\x00:：,，]|(?<=\x00)[至到\-—~～](?=\x00))*(?:在|于)?[^\s\x00,，。;；:：到回返至往去进入住送接亲朋友的]{2,24}$")


def _home_named(clause: str) -> re.Match | None:
    m = _HOME_NAMED.search(clause)
    return m if m and _ONLY_A_PLACE_BEFORE.fullmatch(clause, 0, m.start()) else None


def whole_days(first: dt.date, last: dt.date, partial_start: bool, text_after: str) -> tuple[dt.date, dt.date] | None:
    """The whole days of ``first``..``last``: a half day at either end is left out."""
    if partial_start:
        first += dt.timedelta(days=1)
    if _HALF_DAY.match(text_after):
        last -= dt.timedelta(days=1)
    return (first, last) if first <= last else None


_ONE_DAY = dt.timedelta(days=1)


def subtract_days(first: dt.date, last: dt.date, away: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """``first``..``last`` without the days in ``away``, as inclusive runs (the gaps between the days away
    within the range, found without walking the range day by day)."""
    runs: list[tuple[dt.date, dt.date]] = []
    run_start = first
    for day in sorted(day for day in away if first <= day <= last):
        if day > run_start:
            runs.append((run_start, day - _ONE_DAY))
        run_start = day + _ONE_DAY
    if run_start <= last:
        runs.append((run_start, last))
    return runs
