"""Exposure: how a case came to be infected, as its own text states it.

:func:`find_exposure` gives the first exposure statement of a case's text (head and trajectory), one of:

- travel: ``1月22日武汉回温`` / ``自X返回`` / ``从X经Y返回`` / ``由X乘…抵达`` / ``从X前往Y`` / ``离开X回Y`` /
  ``有X旅居史`` (居住史, 旅行史) / ``去X…返回`` / ``赴X`` / ``X来宁人员``, and a return with no origin
  (``1月21日返回滨州`` / ``返莞`` / ``返乡`` / ``1月22日到达桂林``):
  ``origin`` is the place travelled from as written (武汉, 湖北省黄冈市; it must name a division or a
  country), ``date`` the day of return or arrival written before the phrase in its sentence;
- a stated source: ``与病例3共同就餐`` / ``与武汉返乡人员有接触史`` / ``接触过…`` / ``系病例3的密切接触者`` /
  ``为确诊病例家属`` / ``有某商场购物史`` / a clause about 冷链: no origin; ``date`` is the day written in a contact or a meal, or before it in its sentence,
  and None for 密切接触者 (the notice states who, not when).

The phrase is the statement as written, with its date when the date is in its clause (1月22日武汉回,
1月20日与病例2共同就餐): the place and verb of travel, or the clause of the source. Relations to other
cases are read and stored as relations too; exposure keeps the phrase.
A negated statement (无武汉旅居史, 否认…接触史, 未接触) is no exposure.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, compile_rule, cue_words, next_may_start
from casedb.places import division_named, locate

_CLAUSE_END = "，,。；;：:\n"
_NEGATION = re.compile(r"无(?!症状)|否认|没有|未|不详|不明")
_PLACE = r"(?:(?![从自由乘坐搭驾经回返到去赴]|离开|前往|出发)[一-龥]){2,12}?"
_RIDE = r"(?:乘坐?|坐|搭乘|自驾|驾车|开车)[^，,。；;\n]{0,30}?"
#: 从武汉经宁波返回 / 由上海乘G72抵达 / 1月22日武汉回温 (right after its date or at its clause's start) / 自美国入境.
#: A statement starts after a date's 日/号 or a clause's punctuation, or at 自/从/由/离开, with three Chinese characters
#: (a place of two and the verb, or the words before them) and a verb of travel later in its clause (it holds no
#: clause end; read up to its first verb or clause end at once): cheap tests that reject most positions before the
#: place is tried.
#: The rule is written from the character before such a start (or from the 自/从/由/离开 it starts with), so that the
#: regex engine skips through a body to those characters: a match that begins with one of :data:`_TRAVEL_LEAD`
#: states its travel from the next character on (:func:`_first_travel`; the same statements as
#: ``(?:(?<=[日号，,；;：:])|(?=[自从由离]))(?=…)(?:(?<=[日号])…|(?<=[，,；;：:])|自|从|由|离开)(?P<origin>…)…``,
#: tests/test_scan_less.py). Each way to start is its own alternative, led by its character, so that at each of
#: those characters the engine tries only the one that starts with it.
_TRAVEL_LEAD = "日号，,；;：:"
#: the first characters of the verbs of travel
_TRAVEL_VERB_STARTS = "返回来抵到入飞前至"
_TRAVEL_VERB_AHEAD = rf"(?=[一-龥]{{3}})(?=[^，,。；;\n{_TRAVEL_VERB_STARTS}]*+[{_TRAVEL_VERB_STARTS}])"
_TRAVEL_STARTS = (*(rf"{day}{_TRAVEL_VERB_AHEAD}(?:上午|中午|下午|傍晚|晚上|晚|凌晨|早上)?(?:自|从|由|离开)?" for day in "日号"),
                  *(rf"{mark}{_TRAVEL_VERB_AHEAD}" for mark in "，,；;：:"),
                  *(rf"{word}{_TRAVEL_VERB_AHEAD}" for word in ("自", "从", "由", "离开")))


def _then(words: str) -> str:
    """``words`` after a lazily read run, the run's next character tested first (one that can start ``words``)."""
    return next_may_start(words) + words


_TRAVEL = re.compile(
    # (at each length of the origin, whether the next character can start what follows it is tested first)
    rf"(?:{'|'.join(_TRAVEL_STARTS)})(?P<origin>{_PLACE})" + _then(
        rf"(?:经{_PLACE})?(?:{_RIDE})?(?:返回|回到|回来|返乡|回乡|回|返|来到|来|抵达|到达|抵|入境|飞抵|前往|到|至)"))
#: 1月10日去武汉，11日返回六安 / 赴湖北黄冈 / 前往武汉探亲: a trip out to the place
_TRIP = re.compile(rf"(?:去|赴|前往)(?P<origin>{_PLACE})(?![区县市省])(?=[，,。；;\n]|$|探亲|旅游|出差|务工|工作|经商|[^。；;\n]{{0,12}}?(?:返回|回到))")
#: 武汉来宁人员 / 湖北来珠人员 / 武汉返乡人员
_COMER = re.compile(rf"(?P<origin>{_PLACE})(?:来|返|回)[一-龥]{{1,2}}人员")
#: 1月21日返回滨州 / 1月22日放假返莞 / 1月21日自驾返乡 / 1月22日到达桂林: a return from an unnamed place
#: (to a city, not to a district of the notice's own: 返回正定 is a trip within Shijiazhuang)
_RETURN_AFTER = r"[日号午晚假]"
_HOME_RETURNS = ("返乡", "回乡")
_RETURN_VERBS = ("返回", "回到", "到达", "抵达", "回", "返", "抵")
_RETURNED = (r"(?:(?:由|与|和|随)[^，,。；;\n从自由]{1,8}?)?(?:自驾车?|驾车|开车|(?:乘坐?|搭乘|坐)[^，,。；;\n从自由]{0,16}?)?"
             rf"(?:{'|'.join(_HOME_RETURNS)}|(?:{'|'.join(_RETURN_VERBS)})(?P<to>[一-龥]{{1,8}}?))(?=[，,。；;\n]|$)")
#: A word one of which every verb of a return starts with or holds: a body without one holds no return, and a
#: return is read only around these words (looked for with ``find``, many times cheaper than the scan with
#: :data:`_RETURN_FROM_BEFORE`; 回 or 返 is in about half the bodies)
_RETURN_WORDS = ("回", "返", "抵", "到达")
#: How far before the first of :data:`_RETURN_WORDS` a return's match may start at most (its 日, then 由 and up to 8
#: characters, then 乘坐 and up to 16: 1 + 9 + 18)
_RETURN_BEFORE_VERB = 28
#: How far after the end of the last of them its match may read (the 到 of 回到, a place of up to 8 characters and
#: the clause end after it: 1 + 8 + 1)
_RETURN_AFTER_VERB = 10
_RETURN = compile_rule(rf"(?<={_RETURN_AFTER}){_RETURNED}")
#: :data:`_RETURN` from the character before its match, for a scan of a whole body the regex engine skips through to
#: those characters (:func:`_returns`)
_RETURN_FROM_BEFORE = re.compile(rf"{_RETURN_AFTER}(?:{_RETURNED})")
#: 在武汉工作 / 长期在湖北省武汉市武昌区工作、生活 / 常年在武汉居住 / 常住湖北省武汉市: where a case lived away,
#: the origin of a return that names none (在武汉读书，1月22日放假返莞)
_LIVED_AWAY = re.compile(rf"(?:在|于)(?P<away>{_PLACE})(?:从事[一-龥]{{0,8}}?)?(?:工作|居住|上学|读书|生活|务工|打工|经商)"
                         rf"|(?:常住|长住|定居|常年居住|长期居住|长期生活)(?:于|在|地)?[:：]?(?P<home>{_PLACE})(?=[，,。；;\n]|$)")
#: where a trip went, right after its verb: 从深圳到|湖北孝感，25日回到深圳 / 从郑州到|越南旅游
_DESTINATION = re.compile(rf"(?P<to>{_PLACE})(?=[，,。；;\n(（]|$|探亲|旅游|出差|务工|工作|经商|过年|度假|游玩)")
_NOT_A_TOWN = re.compile(r"^(?:家|村|校|厂|店|院|所|队|来|回)$")
#: 有武汉旅居史 / 湖北省黄冈市居住史 / 武汉等地旅行史
_STAY = re.compile(rf"(?P<origin>{_PLACE})(?:等地)?(?:的)?(?:旅居史|居住史|旅行史|旅游史|(?:居住|旅居|旅行|旅游)(?:及|和|或)(?:居住|旅居|旅行|旅游)史)")
_STAY_LEAD = re.compile(r"^.*[有在于曾系为]")   # 近期有|武汉: the words before the place


_CASE_WORD = r"病例|患者|感染者|病人|阳性|确诊|武汉|湖北|返乡|来[一-龥]人员|回[一-龥]人员|疫区|境外|入境"
#: 与病例3共同就餐 / 与武汉返乡人员有接触史 / 接触过确诊病例 / 有确诊病例接触史 / 系病例3的密切接触者
#: (written for the engine to skip through: led by the class of the statements' first characters, each statement
#: after it told by a lookbehind of its first word, so that the engine skips to those characters; the same matches as
#: ``(?:与|和|同|跟)(?P<with>…)…|接触(?:过|了)…|有(?P<history>…)…|(?:系|是|为|作为)(?P<contact_of>…)…
#: |(?:系|是|为)(?P<kin_of>…)…|有(?P<visited>…)…``, tests/test_grammar_exposure.py)
#: (a statement's words are read one character longer at a time, up to the words after them: at each length, whether
#: the next character is one that can start those is tested first, a cheap test that rejects most lengths)
_CONTACTS = (
    rf"[与和同跟接有系是为作](?:(?<=[与和同跟])(?P<with>[^{_CLAUSE_END}]{{1,24}}?)" + _then(
        r"(?:有过?)?(?:密切)?(?:接触史|接触|共同就餐|一起就餐|共同用餐|一起用餐|聚餐|共同生活|一起吃饭|打牌|聚会)")
    + rf"|(?<=接)触(?:过|了)(?P<touched>[^{_CLAUSE_END}]{{1,24}})"
    rf"|(?<=有)(?P<history>[^{_CLAUSE_END}]{{1,24}}?)" + _then(r"(?:密切)?接触史")
    + rf"|(?:(?<=[系是为])|(?<=作)为)(?P<contact_of>[^{_CLAUSE_END}]{{1,30}}?)的(?:次)?(?:密切接触者|密接)"
    rf"|(?<=[系是为])(?P<kin_of>[^{_CLAUSE_END}]{{1,20}}?)的?(?:家属|亲属|家人)"
    + rf"|(?<=有)(?P<visited>[^{_CLAUSE_END}]{{2,20}}?)(?:购物|就餐|活动|逗留)史)")
_COLD_CHAIN = "冷链"
_SOURCE = re.compile(_CONTACTS + rf"|(?P<cold_chain>[^{_CLAUSE_END}]{{0,20}}{_COLD_CHAIN}[^{_CLAUSE_END}]{{0,20}})")
#: :data:`_SOURCE` for a text without 冷链, where its last statement (which may start at any character) cannot be
#: (the same matches, tests/test_grammar_exposure.py)
_SOURCE_WITHOUT_COLD_CHAIN = re.compile(_CONTACTS)
#: a venue or a village is a trip within the case's own town (从超市返回, 从某村回到家中), not travel
_VENUE = re.compile(r"医院|诊所|中心|小区|街道|公司|单位|宿舍|家|住|(?:店|站|场|馆|村|镇|乡|路|街|楼|园|所|学|厂|点|院|处)$")
_DIVISION_END = re.compile(r"[省市县区州旗盟]$")
_FOREIGN = re.compile(r"^(?:境外|美国|英国|法国|德国|荷兰|比利时|瑞士|瑞典|意大利|西班牙|俄罗斯|乌克兰|土耳其|伊朗|阿联酋|迪拜|"
                      r"沙特|印度|巴基斯坦|日本|韩国|新加坡|马来西亚|泰国|越南|缅甸|老挝|柬埔寨|菲律宾|印度尼西亚|印尼|"
                      r"加拿大|澳大利亚|新西兰|巴西|南非|埃及|尼日利亚|香港|澳门|台湾)$")


#: Words one of which every match of a rule contains: a body without them is not scanned with the rule
#: (these rules try a place at every character, the slowest scans of a case body).
#: Keyed by the rule's pattern text.
_NEEDED_WORDS = {
    _TRIP.pattern: ("去", "赴", "前往"),
    _SOURCE.pattern: ("接触", "密接", "就餐", "用餐", "聚餐", "共同生活", "吃饭", "打牌", "聚会", "冷链", "家属", "亲属",
                      "家人", "史"),
}


#: What every match of a rule holds, as a rule the regex engine skips through (each alternative starts with a
#: literal): the words above, and the ends of a stay and a comer (武汉|旅居史, 武汉|来宁人员)
_CUES = {pattern: cue_words(words) for pattern, words in _NEEDED_WORDS.items()} | {
    _STAY.pattern: re.compile(r"(?:居住|旅居|旅行|旅游)(?:(?:及|和|或)(?:居住|旅居|旅行|旅游))?史"),
    _COMER.pattern: re.compile(r"[来返回][一-龥]{1,2}人员"),
}


#: How far into a match of a rule its cue may start at most: a rule's matches are looked for from that far before
#: the first cue on (a trip's verb opens it; 12 characters of a place before a comer's 来|宁人员, those and 等地的
#: before a stay's 旅居史; a source's, a contact's 作为|30 characters|的次密切|接触者, the furthest)
_REACH = {_TRIP.pattern: 0, _STAY.pattern: 15, _COMER.pattern: 12, _SOURCE.pattern: 36}


#: A word every cue of a rule holds (史 of a stay's 旅居史, 人员 of a comer's 来宁人员), looked for first with ``in``:
#: most bodies hold neither, and the test is many times cheaper than the scan with the cue's rule
_CUE_HOLDS = {_STAY.pattern: "史", _COMER.pattern: "人员"}


def _matches(rule: re.Pattern, body: str):
    held = _CUE_HOLDS.get(rule.pattern)
    if held is not None and held not in body:
        return ()
    cue = _CUES[rule.pattern].search(body)
    if cue is None:
        return ()
    start = max(0, cue.start() - _REACH[rule.pattern])
    if rule is _SOURCE and _COLD_CHAIN not in body:
        rule = _SOURCE_WITHOUT_COLD_CHAIN
    return rule.finditer(body, start)


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
    # the first; there one that names its origin (由上海乘…抵达, not a return from nowhere), the longest; on a tie,
    # the rule tried first. A rule's statements come in order (each starts after the one before), so a rule is
    # read to its first statement, and not past the best start found so far
    best = _first_travel(body)
    for rule, read in _RULES_AFTER_TRAVEL:
        for m in (_matches(rule, body) if rule is not _RETURN else _returns(body)):
            if best is not None and m.start() > best[0]:
                break
            found = read(body, m)
            if found is not None:
                if best is None or _rank(found) < _rank(best):
                    best = found
                break
    if best is None:
        return None
    start, end, origin, dated = best
    returned = _RETURN.match(body, start) if origin is None and dated else None
    if returned is not None:
        origin = _lived_away(body[:start], returned.group("to"))
    trip = _round_trip(body, end, origin) if origin is not None and dated and body[end - 1] in "到至往" else None
    if trip is not None:   # 1月18日从深圳到湖北孝感，25日回到深圳: a trip out from home, back on the 25th
        destination, back = trip
        written = _date_before(body, dates, back.start())
        return Exposure(_opening(body, _date_before(body, dates, start), start), back.end(), destination,
                        written and written[1])
    if origin is not None and not dated:   # 1月10日去武汉，11日返回六安: the day of the return after it
        back = _RETURN.search(body, end, end + 40)
        if back is None or _return(body, back) is None:
            return Exposure(start, end, origin, None)
        written = _date_before(body, dates, back.start())
        # a trip's phrase runs to its return; a stay's (武汉居住史) stays as written
        return Exposure(start, back.end() if _TRIP.match(body, start) else end, origin, written and written[1])
    return _dated(body, dates, start, end, origin, start) if dated else Exposure(start, end, None, None)


def _rank(found: tuple) -> tuple:
    start, end, origin, _ = found
    return start, origin is None, -end


def _dated(body: str, dates: list[tuple[int, int, dt.date]], start: int, end: int, origin: str | None,
           cue: int) -> Exposure:
    """The statement with the day written in it (与确诊病例1月16日聚餐), else the last day before ``cue`` in its
    sentence; the phrase then opens with that date when it is in the statement's clause."""
    inside = [last for date_start, date_end, last in dates if start <= date_start and date_end <= end]
    if inside:
        return Exposure(start, end, origin, inside[0])
    written = _date_before(body, dates, cue)
    return Exposure(_opening(body, written, start), end, origin, written and written[1])


def _opening(body: str, written: tuple[int, dt.date] | None, start: int) -> int:
    """Where a statement at ``start`` opens: at the date ``written`` before it when that is in its clause."""
    return written[0] if written and _clause_start(body, start) <= written[0] < start else start


def _clause_start(body: str, position: int) -> int:
    return after_last_of(_CLAUSE_END, body, 0, position)


def _negated(body: str, start: int, end: int) -> bool:
    return _NEGATION.search(body, _clause_start(body, start), end) is not None


@functools.lru_cache(maxsize=65536)
def _is_origin(name: str) -> bool:
    """A country, or a division named in full (武汉, 湖北省黄冈市, 湖北黄冈; not 上海市参与外派), above a bare
    district (藁城区, 藁城, 新乐市: a trip within the case's own city). Kept per name: a body's rejected travel
    candidates are a few words written again and again (转运, 步行, 下午: 1,103 names in 18,696 tries on the
    benchmark corpus)."""
    if _FOREIGN.match(name):
        return True
    division = None if _VENUE.search(name) else locate(name)
    return (division is not None and not (division.level == "district" and len(name) <= 4)
            and (_DIVISION_END.search(name) is not None or any(division_named(name[i:]) for i in range(len(name) - 1))))


def _first_travel(body: str) -> tuple | None:
    """The first travel statement in ``body`` (:data:`_TRAVEL`) whose origin is an origin and that is not negated;
    after a match that reads as nothing the rule is tried again one character after its start (中午自驾|从浙江嘉兴返:
    the first try took 中午 for the origin)."""
    m = _TRAVEL.search(body)
    while m is not None:
        start = m.start() + 1 if body[m.start()] in _TRAVEL_LEAD else m.start()
        origin = m.group("origin")
        if _is_origin(origin) and not _negated(body, start, m.end()):
            return start, m.end(), origin, True
        # the next statement starts after this one's start: from its lead character on (a statement after it starts
        # one character later), but not at this one's own 自/从/由/离 again
        m = _TRAVEL.search(body, start)
        if m is not None and m.start() == start and body[start] not in _TRAVEL_LEAD:
            m = _TRAVEL.search(body, start + 1)
    return None


def _returns(body: str):
    """:data:`_RETURN`'s matches in ``body``, as ``finditer`` gives them: each is where the rule from the character
    before it finds one (one character on)."""
    first = [at for word in _RETURN_WORDS if (at := body.find(word)) >= 0]
    if not first:
        return
    position = max(min(first) - _RETURN_BEFORE_VERB + 1, 0)
    end = max(body.rfind(word) + len(word) for word in _RETURN_WORDS) + _RETURN_AFTER_VERB
    while (before := _RETURN_FROM_BEFORE.search(body, max(position - 1, 0), end)) is not None:
        m = _RETURN.match(body, before.start() + 1)
        yield m
        position = m.end()


def _stay(body: str, m: re.Match):
    """A stay, a trip out or a comer from a place: the origin, without a date."""
    origin = _STAY_LEAD.sub("", m.group("origin"))
    start = m.start() if m.start() < m.start("origin") else m.end("origin") - len(origin)   # 去武汉 / 有|武汉旅居史
    if not _is_origin(origin) or _negated(body, m.start(), m.end()):
        return None
    return start, m.end(), origin, False


def _return(body: str, m: re.Match):
    town = m.group("to")
    if town is not None and (_NOT_A_TOWN.match(town) if len(town) == 1 else not _is_origin(town)):
        return None
    return m.start(), m.end(), None, True


def _round_trip(body: str, end: int, origin: str) -> tuple[str, re.Match] | None:
    """(where to, the return) when travel from ``origin`` ending at ``end`` goes to a place and comes back to
    ``origin`` within 40 characters."""
    went = _DESTINATION.match(body, end)
    if went is None or not _is_origin(went.group("to")):
        return None
    back = _RETURN.search(body, went.end(), went.end() + 40)
    if back is None or not back.group("to") or back.group("to")[0] not in origin:
        return None
    return went.group("to"), back


def _lived_away(before: str, to: str | None) -> str | None:
    """The last place ``before`` says the case lived, worked or studied in, when it is an origin and not the
    place returned to (常住东莞, 1月26日返莞 is a return home, not from it)."""
    for m in reversed(list(_LIVED_AWAY.finditer(before))):
        away = m.group("away") or m.group("home")
        if _is_origin(away) and not (to and to[0] in away):
            return away
    return None


def _source(body: str, m: re.Match):
    who = next(g for g, said in m.groupdict().items() if said is not None)   # the statement's own group
    if who not in ("visited", "cold_chain") and not re.search(_CASE_WORD, m.group(who)):
        return None
    if _negated(body, m.start(), m.end()):
        return None
    return m.start(), m.end(), None, who in ("with", "touched")


def _date_before(body: str, dates: list[tuple[int, int, dt.date]], position: int) -> tuple[int, dt.date] | None:
    """(start, last day) of the last date written before ``position`` in its sentence."""
    floor = after_last_of(SENTENCE_ENDS, body, 0, position) - 1
    before = [(start, last) for start, end, last in dates if end <= position and start > floor]
    return before[-1] if before else None


_RULES_AFTER_TRAVEL = ((_STAY, _stay), (_TRIP, _stay), (_COMER, _stay), (_SOURCE, _source), (_RETURN, _return))
