"""Rides: flights, trains, metro and bus lines, taxis and ride-hailing, coaches, ferries.

``find_rides`` returns :class:`Ride` values with spans. ``place`` names the vehicle as the
trajectory item records it (``MF8376航班``, ``D2424次列车``, ``1路公交车``, ``出租车``);
``vehicle`` keeps the details written next to it (seat, carriage, plate). Private or
self-driven cars, e-bikes, bicycles and ambulances are not rides.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from casedb.grammar.places import MASK
from casedb.grammar.scan import compile_rule, cue_words


class Ride(NamedTuple):
    """A ride found in text. (A named tuple, as :class:`~.places.PlaceMatch` is: cheap to make.)"""

    start: int            # span in the searched text
    end: int
    place: str            # the vehicle as recorded (出租车, CA1823航班)
    vehicle: str | None   # number, seat, carriage, plate as written
    mode: str             # flight | train | metro | bus | taxi | coach | ferry


_PAREN = r"(?:\s*[（(][^（()）]{1,30}[)）])?"
_FLIGHT_NO = r"[A-Z0-9]{2}[\s\-－]?[0-9]{3,4}"   # CA1823, MU 5101, S7-6210
_TRAIN_NO = r"[GDCZTKYLS][0-9]{1,5}"
_PLATE = r"[\u4e00-\u9fff][A-Z][·•.\s]?[A-Z0-9]{4,6}"
#: A coach: its kind, after up to four characters naming it (the lookahead, a necessary condition, spares the
#: eleven words at the many places without one near).
_COACH = (r"(?=[\u4e00-\u9fff]{0,4}[大中小客长班包旅摆通])"
          r"[\u4e00-\u9fff]{0,4}(?:大巴车?|中巴车?|小巴车?|客车|长途汽车|班车|包车|旅游车|摆渡车|通勤车"
          r"|客运(?!站|中心|公司|总站|枢纽|大楼))")

#: Each rule with the words (in a string: characters) one of which every match of it holds; None for the rules every
#: text that may name a ride is scanned with (their words are common: 车, a digit, 的).
_RULES: tuple[tuple[str, str, str | tuple[str, ...] | None], ...] = (
    ("flight", r"(?:[\u4e00-\u9fff]{2,4}航空|国航|东航|南航|川航|海航|厦航|深航)?\s?" + _FLIGHT_NO + r"\s?次?(?:航班|班机)",
     ("航班", "班机")),
    ("flight", r"(?:航班|班机)(?:号)?[:：]?\s?" + _FLIGHT_NO, ("航班", "班机")),
    ("flight", r"(?:[\u4e00-\u9fff]{2,4}航空|国航|东航|南航|川航|海航|厦航|深航)\s?" + _FLIGHT_NO, "航"),
    ("train", _TRAIN_NO + r"\s?(?:次(?:列车|火车|动车组?|高铁|普快|特快|快车)?|车次|列车|火车|动车组?|高铁|车(?![站厢库]))",
     "GDCZTKYLS"),
    ("train", r"(?<![A-Za-z0-9])[GDCZTK][0-9]{3,5}(?![0-9A-Za-z路号线])", "GDCZTK"),
    # Z208号11车12号卧铺: 号 after a train number that a carriage follows
    ("train", r"(?<![A-Za-z0-9])[GDCZTK][0-9]{1,5}号(?=\s?[0-9]{1,2}\s?(?:号?车厢|车))", "GDCZTK"),
    ("train", r"(?:高铁|动车|火车|列车)(?:号)?[:：]?\s?" + _TRAIN_NO + r"次?", "GDCZTKYLS"),
    ("train", r"(?<=[乘坐搭在])(?:高铁|动车组?|火车|列车)", None),
    ("metro", r"(?:地铁|轨道交通|轻轨|港铁)\s?(?:[0-9A-Z]{1,3}号线|[\u4e00-\u9fff]{1,4}?线)", "线"),
    ("metro", r"(?<![0-9])[0-9]{1,2}号线", "线"),
    ("metro", r"(?<=[乘坐搭])(?:地铁|轻轨)(?![站口])", "铁轨"),
    ("bus", r"(?:[A-Z]?[0-9]{1,4}|[东西南北环夜快专支][0-9]{1,3})\s?(?:路|线|号)?(?:公交(?!车?站)车?|公共汽车|路车|巴士|路)(?![口段站])",
     None),
    ("bus", r"公交(?!车?站)车?|公共汽车|BRT|(?<![大中小])巴士(?!站)", None),
    ("taxi", r"滴滴(?:快车|打车|专车|出行|网约车)?|网约车|出租车|的士|出租汽车|打车|打的|拼车|顺风车|三轮车|摩的", None),
    # (由X至Y的 before the coach written as a second alternative, not an optional group: tried at every position,
    # an optional group costs more than the rest of the rule)
    ("coach", rf"由[^，,。；;的\s]{{1,12}}(?:至|到|开往|发往)[^，,。；;的\s]{{1,10}}的{_COACH}|{_COACH}",
     ("大巴", "中巴", "小巴", "客车", "长途汽车", "班车", "包车", "旅游车", "摆渡车", "通勤车", "客运")),
    ("ferry", r"[\u4e00-\u9fff]{1,6}号?(?:轮渡|渡轮|客轮|邮轮)|轮渡|渡轮|客轮", ("轮渡", "渡轮", "客轮", "邮轮")),
)
_NOT_A_RIDE = re.compile(
    r"私家车|自驾|自家车|自小客车|自用小客车|自用车|电动车|电瓶车|自行车|单车|摩托车|救护车|负压|120|公司车辆|单位车辆"
    r"|专车接送|公务车"
)
_RIDE = re.compile("|".join(f"(?P<{mode}{i}>{rule})" for i, (mode, rule, _) in enumerate(_RULES)))
#: The words of the rules that have some: the coach's (which may start at any character, so is tried at each) and the
#: rarer ones (a flight's, a train number's, a metro's, a ferry's). A text without any, as most are, is scanned with
#: the other rules only, led by the characters their matches start with (which the engine skips to), and finds the same.
_RARE_RULE_WORDS = cue_words(word for _, _, words in _RULES if words for word in words)
_COMMON_RIDE = compile_rule("|".join(f"(?P<{mode}{i}>{rule})" for i, (mode, rule, words) in enumerate(_RULES)
                                     if words is None))
_MODE_OF_GROUP = {f"{mode}{i}": mode for i, (mode, _, _) in enumerate(_RULES)}
#: A flight's or a train's number in its ride's name.
_NUMBER_OF_MODE = {"flight": re.compile(_FLIGHT_NO), "train": re.compile(_TRAIN_NO)}
_PAREN_AFTER = re.compile(_PAREN)
_EMPTY_BRACKETS = re.compile(r"[(（\[【]\s*[)）\]】]")
_PLATE_AFTER = re.compile(r"\s*[（(]?(?:车牌号?|牌照)?[:：]?\s*(" + _PLATE + r")[)）]?")
#: 车牌号为皖F12345的出租车: a plate written before the taxi word
_PLATE_BEFORE = re.compile(r"(" + _PLATE + r")\s*号?的?$")
_PLATE_RIDE = re.compile(r"(?:乘车|乘坐车辆|坐车)\s*[（(]?(?:车牌号?|牌照)[:：]?\s*(?P<plate>" + _PLATE + r")[)）]?")
_TAXI_WORDS = {"打车", "打的", "的士", "出租汽车"}
# a riding verb caught by a rule that allows Chinese characters before the vehicle word
_VERB_PREFIX = re.compile(r"^[^由]*?(?:乘坐|搭乘|换乘|转乘|驾驶|乘|坐)")
_COUNT_PREFIX = re.compile(r"^(?:一辆|一趟|一班|一)(?=\S)")


#: Cheap test for text that may name a ride at all: a ride's word (高铁, 轻轨, 班机 …; 线 also ends a line's number:
#: 3线, 地铁2 线; 路 only after one: 5路, 5 路, 5号路), or a flight's or a train's code (A1). 车 counts only in the
#: words that end in it (乘车, 打车, 公共汽车, 出租车, 顺风车, 客车, 通勤车, 火车 …), told by the character before it:
#: not in 私家车, 电动车, 驾车, most texts' 车. Two searches, each led by what the engine skips to: the words' first
#: characters, the code's letter.
_RIDE_CHE = ("乘车", "坐车", "打车", "拼车", "约车", "租车", "风车", "汽车", "班车", "包车", "客车", "游车", "勤车", "火车",
             "列车", "动车")
_MAYBE_RIDE_WORD = re.compile(r"航|车(?<=" + "|".join(_RIDE_CHE) + r")(?<!电动车)|线|渡|轮|打的|的士|滴滴|BRT|公交|巴|"
                              r"地铁|轨道|摩的|客运|路(?<=[0-9]路)|路(?<=[0-9]\s路)|高铁|轻轨|班机|号路")
_MAYBE_RIDE_CODE = re.compile(r"[A-Z][0-9]")


def _may_name_a_ride(text: str) -> bool:
    return _MAYBE_RIDE_WORD.search(text) is not None or _MAYBE_RIDE_CODE.search(text) is not None


def find_rides(text: str) -> list[Ride]:
    """Every ride named in ``text``, left to right.

    (Not cached: the trajectory walk reads each clause's rides once, in a reading cached on the clause, so a text
    came back to a cache here in 3 % of calls.)"""
    if not _may_name_a_ride(text):
        return []
    rides: list[Ride] = []
    for m in _PLATE_RIDE.finditer(text):
        rides.append(Ride(m.start(), m.end(), m.group("plate"), m.group("plate"), "taxi"))
    plates = list(rides)
    covered_until = 0  # end of the last ride with its details: (鲁UG1793) is not a train
    for m in (_COMMON_RIDE if _RARE_RULE_WORDS.search(text) is None else _RIDE).finditer(text):
        if m.start() < covered_until or (plates and any(r.start <= m.start() < r.end for r in plates)):
            continue
        mode = _MODE_OF_GROUP[m.lastgroup]
        name = m.group(0).strip()
        start = m.start()
        cleaned = _COUNT_PREFIX.sub("", _VERB_PREFIX.sub("", name))
        start += len(name) - len(cleaned)
        name = cleaned.strip()
        if not name or _NOT_A_RIDE.search(name):
            continue
        if mode == "taxi" and name in _TAXI_WORDS:
            name = "出租车"
        end = m.end()
        detail = None
        paren = _PAREN_AFTER.match(text, end)
        if paren and paren.group(0):
            # times in the brackets were masked by the caller: CA1678(08:30-10:50) has no detail
            detail = _EMPTY_BRACKETS.sub("", paren.group(0).replace(MASK, "")).strip() or None
            end = paren.end()
        else:
            plate = _PLATE_AFTER.match(text, end)
            if plate:
                detail = plate.group(1)
                end = plate.end()
            elif mode == "taxi" and (plate := _PLATE_BEFORE.search(text, max(0, start - 12), start)):
                detail = plate.group(1)
        number = _NUMBER_OF_MODE[mode].search(name) if mode in _NUMBER_OF_MODE else None
        vehicle = " ".join(x for x in (number.group(0) if number else None, detail) if x) or None
        rides.append(Ride(start, end, name, vehicle, mode))
        covered_until = end
    rides.sort(key=lambda r: r.start)
    return rides


def is_private_vehicle(text: str) -> bool:
    """True when ``text`` names a vehicle that is not a ride (own car, e-bike, ambulance)."""
    return bool(_NOT_A_RIDE.search(text))
