"""Places listed for several persons together → the notice's unattributed visits.

A notice may list the places of several cases without saying who went where: after a heading
(上述病例的活动场所主要涉及以下点位： / 3人涉及的风险点位如下： / 2人活动轨迹涉及以下地点：),
one item per line or separated by 、；;，, each possibly opened by a date or a clock time::

    2月22日：东岗村菜场、张先生在绵阳(江北区华润中心店)、中百超市(东岗后街店)；
    4月11日8时左右，城关街道东风路早市；12时15分至12时28分左右，开发区松林路市场。

A date carries to the items after it; a time goes to the first item after it only. Each
、-separated item is read on its own, so a verb inside one item (张先生在绵阳) does not swallow
the items before it. A place after several joined clock times (11时34分至11时46分和17时38分至
17时40分，松林路市场) was visited once at each.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from casedb.grammar.dates import DateContext, find_dates
from casedb.grammar.places import MASK
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, cue_words
from casedb.grammar.times import TimeMatch, find_times
from casedb.grammar.trajectory import parse_trajectory
from casedb.read import to_simplified
from casedb.records import Visit

#: Who the places are given for: several persons, or the cases just described.
_GROUP = (r"(?:上述|以上|相关人员|相关病例|相关感染者|这些|新增(?:病例|感染者|阳性感染者)|"
          r"(?:[2-9]|[1-9]\d+|[两二三四五六七八九十]+)\s*[例名人位])")
#: What is listed: places (涉及区域和场所).
_PLACES = (r"(?:活动场所|风险点位|点位|涉及(?:到)?[^\n。；;:：，,]{0,8}?(?:场所|地点|区域)|相关场所|活动地点|公共场所)"
           r"[^\n。；;:：，,]{0,12}?(?:如下\s*[:：]?|[:：]|[ \t]*$)")
#: …or the group's trajectory, announced as such (新增病例近日主要活动轨迹为: — not 二人活动轨迹相同:).
_TRAJECTORY = r"(?:近日|近期)?(?:主要)?(?:活动|行动|行程)轨迹(?:如下|为)\s*[:：]?"
#: The heading of a shared list: it ends with 如下, a colon or the line (a closing line that
#: names 上述…场所 in a sentence going on is no heading).
#: …or of a range or list of cases (以下为无症状感染者3-5活动轨迹:), found separately (not 一同, 同行).
_CASES_TRAJECTORY = (r"(?:以下为|以下是|下面是)(?![^\n。；;:：]*(?:一同|一起|同行|共同))[^\n。；;:：]{0,12}?\d+\s*(?:[-—~至、和]\s*\d+)+"
                     r"[^\n。；;:：\d]{0,4}?(?:活动|行动|行程)轨迹(?:如下|为)?\s*[:：]")
SHARED_LIST_HEADING = re.compile(
    r"(?:" + _GROUP + r"[^\n。；;:：]{0,20}?(?:" + _PLACES + "|" + _TRAJECTORY + ")|" + _CASES_TRAJECTORY + ")", re.M)
#: A sentence of its own that names the places without naming whose (涉及到我市范围内的公共场所如下:):
#: shared only after the last case, where it cannot be one case's own list.
_PLACES_HEADING = re.compile(r"(?:^|(?<=[。；;]))[^\n。；;:：，,]{0,10}?涉及(?:到)?[^\n。；;:：，,]{0,12}?"
                             r"(?:公共场所|场所|点位)[^\n。；;:：，,]{0,12}?(?:如下\s*[:：]?|[:：])", re.M)
#: Every heading above names places or a trajectory with one of these words: a text without them is not searched.
HEADING_CUE = cue_words(["场所", "点位", "地点", "区域", "轨迹"])
#: A 、 between two items of the list (not inside parentheses, not in a list of numbers or days:
#: 27、28日 / 27日、28日).
_ITEM_SEPARATOR = re.compile(r"(?<![0-9０-９])、(?![0-9０-９]{1,2}\s*(?:日|号(?![楼院房门店铺库棚])))|、(?![0-9０-９])")
_PARENTHESES = re.compile(r"[（(][^（()）\n]*[)）]")
#: What joins clock times that all lead to the place after them.
_TIME_JOINER = re.compile(r"\s*(?:和|及|以及|、)\s*")


def read_place_list(text: str, ctx: DateContext, offset: int = 0) -> list[Visit]:
    """The visits of a shared list ``text`` (a slice of the document starting at ``offset``)."""
    simplified = to_simplified(text)
    visits = parse_trajectory(_as_list_items(text, simplified), ctx, offset)
    return _once_per_joined_time(visits, simplified, ctx, offset)


def heading_end(text: str, start: int, end: int, after_last_case: bool = False) -> tuple[int, int] | None:
    """(start of the sentence holding a shared-list heading, end of the heading) in ``text[start:end]``."""
    if HEADING_CUE.search(text, start, end) is None:   # as in most case bodies
        return None
    m = SHARED_LIST_HEADING.search(text, start, end) or (
        _PLACES_HEADING.search(text, start, end) if after_last_case else None)
    if m is None:
        return None
    sentence_start = after_last_of(SENTENCE_ENDS, text, start, m.start())
    return max(sentence_start, start), m.end()


def _as_list_items(text: str, simplified: str) -> str:
    """``text`` with each 、-separated item on a line of its own, and joined clock times read as one
    time before their place (11时34分和17时38分，X → 11时34分 17时38分，X); same length, same positions."""
    protected = _PARENTHESES.sub(lambda m: MASK * len(m.group(0)), simplified)
    chars = list(text)
    for m in _ITEM_SEPARATOR.finditer(protected):
        chars[m.start()] = "\n"
    clocks = [t for t in find_times(simplified) if t.time is not None]
    for earlier, later in zip(clocks, clocks[1:]):
        if _TIME_JOINER.fullmatch(simplified, earlier.end, later.start):
            chars[earlier.end:later.start] = " " * (later.start - earlier.end)
    return "".join(chars)


def _once_per_joined_time(visits: list[Visit], work: str, ctx: DateContext, offset: int) -> list[Visit]:
    """A visit after several joined clock times (A至B和C至D，X) is repeated at each later time."""
    out: list[Visit] = []
    previous_end = 0
    for visit in visits:
        out.append(visit)
        if visit.span is None:
            continue
        if visit.kind == "visit" and visit.start is not None:
            times = _joined_times(work[previous_end:visit.span[0] - offset], ctx)
            if times and times[0].time == visit.start.time():
                out += [replace(visit, start=dt.datetime.combine(visit.start.date(), t.time),
                                end=dt.datetime.combine(visit.start.date(), t.end_time) if t.end_time else None)
                        for t in times[1:]]
        previous_end = visit.span[1] - offset
    return out


def _joined_times(text: str, ctx: DateContext) -> list[TimeMatch]:
    """The clock times at the end of ``text`` joined by 和/及/、 (the last run of them)."""
    masked = list(text)
    for date in find_dates(text, ctx):
        masked[date.start:date.end] = MASK * (date.end - date.start)
    clocks = [t for t in find_times("".join(masked)) if t.time is not None]
    run = clocks[-1:]
    for earlier in reversed(clocks[:-1]):
        if not _TIME_JOINER.fullmatch(text, earlier.end, run[0].start):
            break
        run.insert(0, earlier)
    return run
