"""Exposure: how a case came to be infected, as its own text states it.

:func:`find_exposure` gives the first exposure statement of a case's text (head and trajectory), one of:

- travel: ``1月22日武汉回温`` / ``自X返回`` / ``从X经Y返回`` / ``由X乘…抵达`` / ``从X前往Y`` / ``离开X回Y`` /
  ``有X旅居史`` (居住史, 旅行史):
  ``origin`` is the place travelled from as written (武汉, 湖北省黄冈市; it must name a division or a
  country), ``date`` the day of return or arrival written before the phrase in its sentence;
- a stated source: ``与病例3共同就餐`` / ``与武汉返乡人员有接触史`` / ``接触过…`` / ``系病例3的密切接触者`` /
  a clause about 冷链: no origin; ``date`` is the day written before a contact or a meal in its sentence,
  and None for 密切接触者 (the notice states who, not when).

The phrase is the statement as written, with its date when the date is in its clause (1月22日武汉回,
1月20日与病例2共同就餐): the place and verb of travel, or the clause of the source. Relations to other
cases are read and stored as relations too; exposure keeps the phrase.
A negated statement (无武汉旅居史, 否认…接触史, 未接触) is no exposure.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from casedb.places import locate

_CLAUSE_END = "，,。；;：:\n"
_NEGATION = re.compile(r"无(?!症状)|否认|没有|未|不详|不明")
_PLACE = r"[一-龥]{2,12}?"
_RIDE = r"(?:乘坐?|坐|搭乘|自驾|驾车|开车)[^，,。；;\n]{0,30}?"
#: 从武汉经宁波返回 / 由上海乘G72抵达 / 1月22日武汉回温 (right after its date) / 自美国入境
_TRAVEL = re.compile(
    rf"(?:(?<=[日号])(?:上午|中午|下午|傍晚|晚上|晚|凌晨|早上)?(?:自|从|由|离开)?|自|从|由|离开)(?P<origin>{_PLACE})"
    rf"(?:经{_PLACE})?(?:{_RIDE})?(?:返回|回到|回来|返乡|回乡|回|返|来到|来|抵达|到达|抵|入境|飞抵|前往|到)")
#: 有武汉旅居史 / 湖北省黄冈市居住史 / 武汉等地旅行史
_STAY = re.compile(rf"(?P<origin>{_PLACE})(?:等地)?(?:的)?(?:旅居史|居住史|旅行史|旅游史|(?:居住|旅居|旅行|旅游)(?:及|和|或)(?:居住|旅居|旅行|旅游)史)")
_STAY_LEAD = re.compile(r"^.*[有在于曾系为]")   # 近期有|武汉: the words before the place
_CASE_WORD = r"病例|患者|感染者|病人|阳性|确诊|武汉|湖北|返乡|来[一-龥]人员|回[一-龥]人员|疫区|境外|入境"
#: 与病例3共同就餐 / 与武汉返乡人员有接触史 / 接触过确诊病例 / 有确诊病例接触史 / 系病例3的密切接触者
_SOURCE = re.compile(
    rf"(?:与|和|同|跟)(?P<with>[^{_CLAUSE_END}]{{1,24}}?)(?:有过?)?(?:密切)?(?:接触史|接触|共同就餐|一起就餐|共同用餐|"
    r"一起用餐|聚餐|共同生活|一起吃饭|打牌|聚会)"
    rf"|接触(?:过|了)(?P<touched>[^{_CLAUSE_END}]{{1,24}})"
    rf"|有(?P<history>[^{_CLAUSE_END}]{{1,24}}?)(?:密切)?接触史"
    rf"|(?:系|是|为|作为)(?P<contact_of>[^{_CLAUSE_END}]{{1,30}}?)的(?:次)?(?:密切接触者|密接)"
    rf"|(?P<cold_chain>[^{_CLAUSE_END}]{{0,20}}冷链[^{_CLAUSE_END}]{{0,20}})")
_NO_ORIGIN = re.compile(r"^(?:家|家中|住处|住所|宿舍|单位|公司|医院|小区|村|超市|市场|酒店|宾馆)")
_FOREIGN = re.compile(r"国$|^境外$|^(?:日本|韩国|新加坡|马来西亚|泰国|越南|缅甸|老挝|俄罗斯|意大利|伊朗|西班牙|迪拜|香港|澳门|台湾)$")


@dataclass(frozen=True)
class Exposure:
    """An exposure statement: its span in the searched text, the origin of travel, the day."""

    start: int
    end: int
    origin: str | None
    date: dt.date | None


def find_exposure(body: str, dates: list[tuple[int, int, dt.date]]) -> Exposure | None:
    """The first exposure statement in ``body``; ``dates`` are (start, end, last day) of the dates
    written in ``body``."""
    found = [_travel(body, m) for m in _TRAVEL.finditer(body)]
    found += [_stay(body, m) for m in _STAY.finditer(body)]
    found += [_source(body, m) for m in _SOURCE.finditer(body)]
    found = [f for f in found if f is not None]
    if not found:
        return None
    start, end, origin, dated = min(found)
    written = _date_before(body, dates, start) if dated else None
    if written is None:
        return Exposure(start, end, origin, None)
    date_start, date = written
    return Exposure(date_start if date_start >= _clause_start(body, start) else start, end, origin, date)


def _clause_start(body: str, position: int) -> int:
    return max(body.rfind(p, 0, position) for p in _CLAUSE_END) + 1


def _negated(body: str, start: int, end: int) -> bool:
    return _NEGATION.search(body, _clause_start(body, start), end) is not None


def _is_origin(name: str) -> bool:
    return not _NO_ORIGIN.match(name) and (_FOREIGN.search(name) is not None or locate(name) is not None)


def _travel(body: str, m: re.Match):
    origin = m.group("origin")
    if not _is_origin(origin) or _negated(body, m.start(), m.end()):
        return None
    return m.start(), m.end(), origin, True


def _stay(body: str, m: re.Match):
    origin = _STAY_LEAD.sub("", m.group("origin"))
    start = m.end("origin") - len(origin)
    if not _is_origin(origin) or _negated(body, m.start(), m.end()):
        return None
    return start, m.end(), origin, False


def _source(body: str, m: re.Match):
    who = next(g for g in ("with", "touched", "history", "contact_of", "cold_chain") if m.group(g) is not None)
    if who != "cold_chain" and not re.search(_CASE_WORD, m.group(who)):
        return None
    if _negated(body, m.start(), m.end()):
        return None
    return m.start(), m.end(), None, who in ("with", "touched")


def _date_before(body: str, dates: list[tuple[int, int, dt.date]], position: int) -> tuple[int, dt.date] | None:
    """(start, last day) of the last date written before ``position`` in its sentence."""
    floor = max(body.rfind(p, 0, position) for p in "。;；\n")
    before = [(start, last) for start, end, last in dates if end <= position and start > floor]
    return before[-1] if before else None
