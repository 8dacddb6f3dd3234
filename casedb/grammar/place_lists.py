"""Places listed for several persons together → the notice's unattributed visits.

A notice may list the places of several cases without saying who went where: after a heading
(上述病例的活动场所主要涉及以下点位： / 3人涉及的风险点位如下： / 2人活动轨迹涉及以下地点：),
one item per line or separated by 、；;，, each possibly opened by a date or a clock time::

    2月22日：新合村菜场、付先生在成都(汉阳区万科未来中心店)、中百超市(新合后街店)；
    4月11日8时左右，甘井子街道杨西街早市；12时15分至12时28分左右，金普新区龙王庙市场。

A date carries to the items after it; a time goes to the first item after it only. Each
、-separated item is read on its own, so a verb inside one item (付先生在成都) does not swallow
the items before it.
"""
from __future__ import annotations

import re

from casedb.grammar.dates import DateContext
from casedb.grammar.trajectory import parse_trajectory
from casedb.records import Visit

#: Who the places are given for: several persons, or the cases just described.
_GROUP = r"(?:上述|以上|相关人员|相关病例|相关感染者|这些|[\d两二三四五六七八九十]+\s*[例名人位])"
#: What is listed.
_PLACES = r"(?:活动场所|风险点位|点位|涉及的?场所|相关场所|活动地点|涉及(?:以下|如下)?的?地点)"
#: The heading of a shared list: it ends with 如下, a colon or the line (a closing line that
#: names 上述…场所 in a sentence going on is no heading).
SHARED_LIST_HEADING = re.compile(
    _GROUP + r"[^\n。；;:：]{0,20}?" + _PLACES + r"[^\n。；;:：，,]{0,12}?(?:如下\s*[:：]?|[:：]|[ \t]*$)", re.M)
#: A 、 between two items of the list (not inside parentheses, not in a list of days: 27、28日).
_ITEM_SEPARATOR = re.compile(r"(?<![0-9０-９])、(?![0-9０-９])")
_PARENTHESES = re.compile(r"[（(][^（()）\n]*[)）]")


def read_place_list(text: str, ctx: DateContext, offset: int = 0) -> list[Visit]:
    """The visits of a shared list ``text`` (a slice of the document starting at ``offset``)."""
    return parse_trajectory(_one_item_per_line(text), ctx, offset)


def heading_end(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start of the sentence holding a shared-list heading, end of the heading) in ``text[start:end]``."""
    m = SHARED_LIST_HEADING.search(text, start, end)
    if m is None:
        return None
    sentence_start = max(text.rfind(mark, start, m.start()) for mark in "\n。；;") + 1
    return max(sentence_start, start), m.end()


def _one_item_per_line(text: str) -> str:
    """``text`` with each 、-separated item on a line of its own (same length, same positions)."""
    protected = _PARENTHESES.sub(lambda m: "\x00" * len(m.group(0)), text)
    chars = list(text)
    for m in _ITEM_SEPARATOR.finditer(protected):
        chars[m.start()] = "\n"
    return "".join(chars)
