"""Places: normalise place strings, place them in administrative divisions, categorise them.

- :func:`normalise_place` cleans a place string as written in a trajectory (``在茂业天地楼下喜茶店买奶茶``)
  into a name, an identity ``key``, a trailing ``qualifier`` (附近, 门口…), a parenthesised
  ``address`` and a stripped ``activity``.
- :func:`locate` finds province / city / district (adcode, centroid) named in a place or residence
  string, resolving ambiguous names (鼓楼区, 城区) within the notice's own city first, and returns
  ``None`` rather than a guess.
- :func:`categorise` gives a category (supermarket, hospital, metro…) from the name's head word.
- :func:`place_columns` / :func:`residence_columns` give the store the extra columns for a row.

The division table ``casedb/data/divisions.csv.gz`` is built by ``scripts/build_divisions.py``
(sources and licence: ``casedb/data/DIVISIONS_SOURCE.md``).
"""
from __future__ import annotations

import csv
import functools
import gzip
import itertools
import operator
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Callable, NamedTuple

from casedb.grammar.scan import first_chars, needed_chars
from casedb.read import to_simplified

__all__ = [
    "NormalisedPlace", "Division", "normalise_place", "place_key", "clean_text", "locate", "categorise",
    "place_columns", "normalised_place_columns", "residence_columns", "CATEGORY_RULES", "division_named",
]

LEVELS = ("province", "city", "district")
#: Municipalities, Hong Kong and Macau: the province is also the city of its districts.
CITY_IS_PROVINCE = {"11", "12", "31", "50", "81", "82"}


# --------------------------------------------------------------------------- text cleaning

QUOTES = re.compile(r"[\s\"'“”‘’《》〈〉「」『』【】\[\]·•]")


def clean_text(text: str) -> str:
    """Half-width, simplified, without spaces and quote marks: ``（益庄店）`` → ``(益庄店)``."""
    return QUOTES.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


# --------------------------------------------------------------------------- divisions

@dataclass(frozen=True)
class Division:
    """A place in the administrative tree; ``district`` is None for a city-level answer."""

    province: str
    city: str | None
    district: str | None
    adcode: str                     # 6 digits (GB/T 2260)
    level: str                      # province | city | district
    latitude: float | None = None   # centroid (seat) of the division where the source gives it
    longitude: float | None = None


class _Columns(NamedTuple):
    """A row of ``data/divisions.csv.gz``: its columns in order, as written."""

    adcode: str
    name: str
    short: str
    level: str
    province: str
    city: str
    latitude: str                   # blank where the source gives no centroid
    longitude: str
    current: str                    # "1" for the current name of a code that had two


class _Row(_Columns):
    """A division of the table (a tuple: made in one step from the CSV's row, see :func:`_table`)."""

    @functools.cached_property
    def rank(self) -> int:
        return LEVELS.index(self.level)

    @functools.cached_property
    def prefix(self) -> str:
        """The adcode digits every division inside this one starts with."""
        if self.level == "province" or self.adcode[:2] in CITY_IS_PROVINCE:
            return self.adcode[:2]
        if self.level == "city":
            return self.adcode[:4]
        return self.adcode

    @functools.cached_property
    def generic(self) -> bool:
        """A district whose name without 区/县/市 is one of ``GENERIC_STEMS`` (老城区, 城关区…)."""
        return self.level == "district" and _DIVISION_SUFFIX.sub("", self.name) in GENERIC_STEMS

    @property
    def within_a_city(self) -> bool:
        """A city or district; municipalities (北京市) count as cities."""
        return self.level != "province" or self.adcode[:2] in CITY_IS_PROVINCE

    def contains(self, other: _Row) -> bool:
        return other.adcode.startswith(self.prefix) and other.rank >= self.rank

    def division(self) -> Division:
        """The row as a :class:`Division` (one object per row: it is frozen)."""
        return self._division

    @functools.cached_property
    def _division(self) -> Division:
        city_is_province = self.level == "province" and self.adcode[:2] in CITY_IS_PROVINCE
        return Division(
            province=self.province, city=self.name if city_is_province else self.city or None,
            district=self.name if self.level == "district" else None,
            adcode=self.adcode, level=self.level, latitude=float(self.latitude) if self.latitude else None,
            longitude=float(self.longitude) if self.longitude else None,
        )


class _Table:
    """The division table indexed by full and short name (built once, see :func:`_table`)."""

    def __init__(self, rows: list[_Row]):
        self.full: dict[str, list[_Row]] = {}
        self.short: dict[str, list[_Row]] = {}
        self.by_code: dict[str, _Row] = {}          # the current name where a code has two
        for row in rows:
            self.full.setdefault(row.name, []).append(row)
            if row.short:
                self.short.setdefault(row.short, []).append(row)
            if row.current == "1" or row.adcode not in self.by_code:
                self.by_code[row.adcode] = row
        #: the lengths of the names (of two characters or more) starting with each two characters, longest first
        #: (what :meth:`match_at` tries)
        after_two: dict[str, set[int]] = {}
        for name in (*self.full, *self.short):
            if len(name) >= 2:
                after_two.setdefault(name[:2], set()).add(len(name))
        self.lengths_after_two = {first: tuple(sorted(found, reverse=True)) for first, found in after_two.items()}
        #: what :meth:`match_at` answers for each name: the full name's rows where a short name is the same
        self.answers: dict[str, tuple[str, bool, list[_Row]]] = {
            name: (name, True, rows) for name, rows in self.short.items()}
        self.answers.update((name, (name, False, rows)) for name, rows in self.full.items())
        #: what a division's ``district`` or ``city`` may be (:meth:`_Row.division`)
        self.district_or_city = frozenset(self.full).union(row.city for row in rows if row.city)
        #: a character a name can start with (where :meth:`match_at` can find one)
        first_characters = sorted({first_two[0] for first_two in self.lengths_after_two})
        self.name_start = re.compile("[" + "".join(map(re.escape, first_characters)) + "]")

    def ancestors(self, row: _Row) -> list[_Row]:
        """The row, its city and its province, most specific first."""
        codes = dict.fromkeys((row.adcode, row.adcode[:4] + "00", row.adcode[:2] + "0000"))
        return [self.by_code[code] for code in codes if code in self.by_code]

    def match_at(self, text: str, start: int) -> tuple[str, bool, list[_Row]] | None:
        """The longest division name at ``start``: (name, is_short, rows); full names win ties."""
        answers = self.answers
        for length in self.lengths_after_two.get(text[start:start + 2], ()):
            found = answers.get(text[start:start + length])
            if found is not None and len(found[0]) == length:   # (not a shorter name at the end of the text)
                return found
        return None


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    raw = resources.files("casedb").joinpath("data/divisions.csv.gz").read_bytes()
    header, *records = csv.reader(gzip.decompress(raw).decode("utf-8").splitlines())
    if header != list(_Row._fields):
        raise RuntimeError(f"data/divisions.csv.gz: unexpected columns {header} (reinstall casedb: pip install .)")
    # (each row made in one step from csv.reader's fields: csv.DictReader and keywords took twice as long, a frozen
    # dataclass a third of the table's making, once per process)
    return _Table(list(map(_Row._make, records)))


#: Full names so generic that, alone, they are words rather than names (老城区, 小区东区):
#: they count only under an explicit parent or inside the notice's city.
GENERIC_STEMS = {"城关", "城中", "城东", "城西", "城南", "城北", "市中", "市南", "市北", "新城", "老城",
                 "中", "东", "西", "南", "北", "城", "郊", "矿", "新"}
#: Text right before a division name that lets it start a new address.
DELIMITERS = set(",，、;；:：()（）/|-—")
#: Lead-ins that let a division name start a new address: the character right before the name (or before a
#: line break right before it), :func:`_anchored`.
_LEAD_IN_CHARACTERS = frozenset("住在于至到往赴自从经是系")
#: A short name followed by these is a street, gate, town or village named after the division.
STREET_AFTER_SHORT = re.compile(r"^(?:[东南西北中]?(?:路|街|道|大街|大道|巷|弄|胡同|桥|门|里|镇|乡|村|河|江|湖|山|公园))")
#: Regional dishes named after a place (沙县小吃, 兰州拉面) are shops anywhere, not places there.
DISH_AFTER_NAME = re.compile(r"^(?:小吃|拉面|牛肉面|牛肉拉面|小面|米粉|螺蛳粉|烤鸭|热干面|臭豆腐|包子|火锅|菜馆|风味|特色)")
#: A short city name followed by a transport hub or sub-division is that city's (成都天府机场, 芜湖沈巷镇).
HUB_OR_TOWN_AFTER_SHORT = re.compile(
    r"^[\u4e00-\u9fff]{0,4}?(?:机场|火车站|高铁站|汽车站|客运站|收费站|服务区|东站|西站|南站|北站|站|港)"
    r"|^[\u4e00-\u9fff]{1,4}(?:镇|乡|街道)")


def _anchored(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return (before in DELIMITERS or before in _LEAD_IN_CHARACTERS
            or before == "\n" and start >= 2 and text[start - 2] in _LEAD_IN_CHARACTERS)


@functools.lru_cache(maxsize=4096)
def _hint_rows(city_hint: str | None) -> tuple[_Row, ...]:
    """The notice's city and the divisions around it, most specific first.

    A county-level city (罗定市) brings its prefecture (云浮市) and province (广东省) along.
    """
    if not city_hint:
        return ()
    rows = _resolve(_mentions(clean_text(city_hint), ()))
    if len(rows) != 1:
        return ()
    return tuple(_table().ancestors(rows[0]))


def _in_hint(rows: list[_Row], hint: tuple[_Row, ...]) -> list[_Row]:
    """The rows inside the hint city; failing that, inside its province; failing that, all."""
    for area in hint:
        inside = [row for row in rows if area.contains(row)]
        if inside:
            return inside
    return rows


def _mentions(text: str, hint: tuple[_Row, ...]) -> list[list[_Row]]:
    """Division names written in ``text``, left to right, each as its candidate rows.

    A name counts where it can begin an address: at the start, after a delimiter or a lead-in
    verb (住, 在…), or right after another division name. Short names (鼓楼 for 鼓楼区) count only
    inside the notice's city, before another division, before a hub or town name, or alone.
    """
    table = _table()
    first_two = table.lengths_after_two      # (no name starts where its first two characters are not a key)
    mentions: list[list[_Row]] = []
    chain_end = -1
    position = 0
    while (start := table.name_start.search(text, position)) is not None:
        position = start.start()
        found = table.match_at(text, position) if text[position:position + 2] in first_two else None
        if found is None or not (position == chain_end or _anchored(text, position)):
            position += 1
            continue
        name, is_short, rows = found
        end = position + len(name)
        rest = text[end:]
        chained = position == chain_end
        if DISH_AFTER_NAME.match(rest):
            rows = []
        elif is_short:
            rows = _accept_short(rows, rest, chained, hint, alone=position == 0 and not rest)
        elif rows[0].generic and not chained:
            rows = [row for row in rows if any(area.within_a_city and area.contains(row) for area in hint)]
        if not rows:
            position += 1
            continue
        mentions.append(rows)
        chain_end = position = end
    return mentions


_DIVISION_SUFFIX = re.compile(r"(?:区|县|市)$")


def _accept_short(rows: list[_Row], rest: str, chained: bool, hint: tuple[_Row, ...], alone: bool) -> list[_Row]:
    if STREET_AFTER_SHORT.match(rest):
        return []
    if chained or alone:
        return rows
    in_city = [row for row in rows if any(area.within_a_city and area.contains(row) for area in hint)]
    if in_city:
        return in_city
    if _table().match_at(rest, 0) is not None:
        return rows
    if HUB_OR_TOWN_AFTER_SHORT.match(rest):
        return [row for row in rows if row.level != "district"] or rows
    return []


def _resolve(mentions: list[list[_Row]], hint: tuple[_Row, ...] = ()) -> list[_Row]:
    """The most specific rows consistent with every mention, in text order (outer → inner)."""
    current: list[_Row] = []
    for rows in mentions:
        if current:
            inner = [row for row in rows if any(outer.contains(row) for outer in current)]
            if not inner:
                continue        # a name that does not fit under the previous ones: ignore it
            rows = inner
        if len(rows) > 1:
            rows = _in_hint(rows, hint)
        if len(rows) > 1:
            top = min(row.rank for row in rows)
            rows = [row for row in rows if row.rank == top]
        current = rows
    return current


def _common_ancestor(rows: list[_Row]) -> Division | None:
    """The city or province shared by all candidates (鼓楼区 of 南京 and 徐州 → 江苏省)."""
    for digits, suffix in ((4, "00"), (2, "0000")):
        codes = {row.adcode[:digits] + suffix for row in rows}
        if len(codes) == 1 and (row := _table().by_code.get(codes.pop())):
            return row.division()
    return None


@functools.lru_cache(maxsize=65536)
def locate(text: str | None, city_hint: str | None = None) -> Division | None:
    """The division named in a place or residence string, or None when it names none.

    >>> locate("鼓楼区五四路", city_hint="福州市").adcode
    '350102'
    >>> locate("鼓楼区五四路") is None      # four cities have a 鼓楼区
    True
    """
    if not text:
        return None
    hint = _hint_rows(city_hint)
    rows = _resolve(_mentions(clean_text(text), hint), hint)
    if not rows:
        return None
    if len(rows) == 1:
        return rows[0].division()
    return _common_ancestor(rows)


def division_named(name: str) -> Division | None:
    """The one division whose full or short name is exactly ``name`` (武汉 → 武汉市); a city whose
    county shares its name is the city (长沙 → 长沙市, not 长沙县); None when no division or several
    unrelated divisions have that name (朝阳: a city, two districts and a county)."""
    table = _table()
    rows = table.full.get(name) or table.short.get(name) or []
    codes = {row.adcode for row in rows}
    if len(codes) == 1:
        return rows[0].division()
    cities = [row for row in rows if row.level == "city"]
    if len(cities) == 1 and all(row.adcode[:4] == cities[0].adcode[:4] for row in rows):
        return cities[0].division()
    return None


def division_name_lengths(first_two: str) -> tuple[int, ...]:
    """The lengths of the division names (full or short, of two characters or more) that start with the two
    characters ``first_two``, longest first: the only pieces of a text :func:`division_named` may name there."""
    return _table().lengths_after_two.get(first_two, ())


def may_be_district_or_city(name: str) -> bool:
    """Whether ``name`` is written as some division's ``district`` or ``city`` is (a full name of the table, or the
    city a row belongs to): a test that lets a caller skip :func:`locate` for a piece it would reject."""
    return name in _table().district_or_city


def division_name_starts() -> re.Pattern:
    """A rule matching any character a division name (of two characters or more) starts with."""
    return _table().name_start


def is_bare_city_name(name: str) -> bool:
    """True for a prefecture-level city's short name written alone (张家口, 枣庄): a city, not a place."""
    rows = _table().short.get(name) if len(name) >= 2 else None
    return rows is not None and any(row.level == "city" for row in rows)


def _leading_division_ends(text: str, city_hint: str | None) -> list[int]:
    """Where each of the division names that start ``text`` and contain ``city_hint`` ends
    (福建省福州市东街口 with 福州市 → [3, 6])."""
    hint = _hint_rows(city_hint)
    table = _table()
    ends = [0]
    while hint and (found := table.match_at(text, ends[-1])) is not None:
        name, _, rows = found
        if not any(row.contains(hint[0]) for row in rows):
            break
        ends.append(ends[-1] + len(name))
    return ends[1:]


# --------------------------------------------------------------------------- normalisation

class NormalisedPlace(NamedTuple):
    """A place string cleaned (:func:`normalise_place`; a tuple: one is made for each new place string)."""

    name: str                       # cleaned: no verb, activity, qualifier or address
    key: str                        # identity: equal keys (in the same city) are the same place
    qualifier: str | None = None    # 附近, 门口, 楼下, 对面 … written after the place
    address: str | None = None      # parenthesised street address
    activity: str | None = None     # 买奶茶, 就餐 … written after the place


LEADING_VERB = re.compile(
    r"^(?:先后|随后|然后|之后|后|再|又|并|曾|均|一起|共同|独自|自驾|步行|骑车)?"
    r"(?:前往|途经|途径|经过|到达|抵达|去往|来到|回到|返回|进入|路过|在|到|至|去|赴|往|于)")
TRAILING_ACTIVITY = re.compile(
    r"(?:购物|购买.{1,6}|买.{1,5}|就餐|用餐|吃饭|聚餐|进餐|喝茶|喝酒|就诊|看病|诊疗|做核酸|核酸检测|"
    r"核酸采样|采样|上班|工作|值班|办事|办理.{1,6}|取快递|取件|理发|洗澡|打牌|游玩|玩耍|参加.{1,8}|接送.{0,4}|"
    r"接孩子|送孩子|送货|送餐|乘车|候车|候机|住宿|入住|看望.{1,6}|探望.{1,6}|拜访.{1,6}|健身|购药|买药|取药|"
    r"停留|逗留|活动)$")
#: What ends like a place is not an activity: 购物中心, 婚姻办理处, 接待室.
PLACE_HEAD_END = re.compile(r"(?:中心|广场|处|厅|室|点|站|所|馆|部|店|场|院|楼|园)$")
QUALIFIERS = ("附近区域", "附近", "周边", "周围", "一带", "区域", "门口", "门前", "楼下", "楼上", "对面",
              "旁边", "隔壁", "东侧", "西侧", "南侧", "北侧", "东门", "西门", "南门", "北门", "里面",
              "外面", "内", "外", "旁")
TRAILING_FLOOR = re.compile(r"(?:负|地下)?(?:[一二三四五六七八九十]{1,3}|\d{1,3})(?:楼|层)$|[Bb]\d(?:层|楼)?$|\d{1,2}[Ff]$")
#: Words inside a name that say one place is within another: 茂业天地楼下喜茶店 is 茂业天地的喜茶店.
INNER_CONTAINMENT = re.compile(
    r"(?:楼下|楼上|(?:负|地下)?(?:[一二三四五六七八九十]{1,3}|\d{1,3})(?:楼|层)(?!号)|[Bb]\d(?:层|楼)?|\d{1,2}[Ff])的?"
    r"(?=[\u4e00-\u9fffA-Za-z0-9]{2})")
#: 内/里 say "inside" only after a place word (小区内超市); elsewhere they are part of names (道里区, 内蒙古).
INSIDE_PLACE = re.compile(r"(小区|超市|商场|广场|市场|大厦|中心|医院|学校|公园|园区|景区|大楼|院|城|村|店)(?:内|里)的?"
                          r"(?=[\u4e00-\u9fffA-Za-z0-9]{2})")
PARENTHESES = re.compile(r"\(([^()]*)\)")
BRANCH = re.compile(r"(?:店|分店|门店|总店|分院|院区|校区|分校|分部|分行|支行|营业部|营业厅)$")
ADDRESS_WORDS = re.compile(r"\d+号|路|街|大道|巷|弄|胡同|村|镇|乡|区|县|市|栋|幢|单元|室|交叉口|对面|旁|附近")
KEY_TRAILING_SHOP = re.compile(r"(?:分店|门店|店)$")
SHOP_SUFFIX = re.compile(r"(?:分店|门店|店|铺)$")
KEY_DROP = re.compile(r"[^\w]|_")
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
CN_NUMBER_BEFORE_UNIT = re.compile(r"([一二三四五六七八九十]{1,3})(?=号|栋|幢|单元|期|层)")


def _cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (up to 99)."""
    if "十" not in text:
        return int("".join(str(CN_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[units] if units else 0)


@functools.cache
def _may_match(pattern: str) -> Callable[[str], object]:
    """A test that the rule ``pattern`` may match a text: false when the text holds none of the characters one of which
    each match holds (:func:`~casedb.grammar.scan.needed_chars`), a search for which costs a fraction of the rule's.
    Made on first use, and keyed by the pattern's text (a compiled rule's hash is costly)."""
    needed = needed_chars(pattern)
    if needed is None:
        return lambda text: True
    return re.compile("[" + "".join(map(re.escape, sorted(needed))) + "]").search


def _strip_suffixes(text: str, pattern_or_words: re.Pattern | tuple[str, ...], minimum: int = 2,
                    keep: re.Pattern | None = None) -> tuple[str, list[str]]:
    """Repeatedly remove trailing matches, keeping at least ``minimum`` characters and any
    suffix that ``keep`` matches."""
    removed: list[str] = []
    if isinstance(pattern_or_words, re.Pattern):
        if not _may_match(pattern_or_words.pattern)(text):
            return text, removed
        search = pattern_or_words.search
        while (match := search(text)) is not None:
            suffix = match.group(0)
            if not suffix or len(text) - len(suffix) < minimum or keep is not None and keep.search(suffix):
                break
            removed.insert(0, suffix)
            text = text[: -len(suffix)]
        return text, removed
    while text.endswith(pattern_or_words):
        suffix = next(w for w in pattern_or_words if text.endswith(w))
        if not suffix or len(text) - len(suffix) < minimum or keep is not None and keep.search(suffix):
            break
        removed.insert(0, suffix)
        text = text[: -len(suffix)]
    return text, removed


def _split_parentheses(text: str) -> tuple[str, list[str]]:
    """Move address-like parenthesised parts out; keep branch names (益庄店) in the name."""
    addresses: list[str] = []
    if "(" not in text:          # nothing to move (the loop below would leave the text as it is)
        return text.strip(), addresses

    def replace(match: re.Match) -> str:
        inside = match.group(1).strip()
        if not inside:
            return ""
        if not BRANCH.search(inside) and ADDRESS_WORDS.search(inside):
            addresses.append(inside)
            return ""
        return match.group(0)

    previous = None
    while previous != text:
        previous, text = text, PARENTHESES.sub(replace, text)
    return text.strip(), addresses


#: Places whose names go on without the city in front (福州市东街口百货 = 东街口百货). Institutions
#: and hubs keep it: 四川省人民医院 is not 成都市人民医院, 莆田站 not any 站.
CITY_PREFIX_OPTIONAL = {"supermarket", "market", "mall", "restaurant", "cafe", "hotel", "shop", "bank",
                        "residential", "personal_care", "leisure", "workplace", "parking"}


def place_key(name: str, city: str | None = None) -> str:
    """Identity key of a cleaned place name (see :func:`normalise_place`)."""
    ends = _leading_division_ends(name, city)
    rest = name[ends[-1]:] if ends else name
    if ends and not (_district_starts(rest) or len(rest) >= 3 and categorise(rest) in CITY_PREFIX_OPTIONAL):
        rest = name[ends[-2]:] if len(ends) > 1 else name     # keep the innermost: 罗定市人民医院
    key = PARENTHESES.sub(r"\1", rest) if "(" in rest else rest
    if _may_match(INNER_CONTAINMENT.pattern)(key):
        key = INNER_CONTAINMENT.sub("", key)
    if "内" in key or "里" in key:      # (INSIDE_PLACE needs one)
        key = INSIDE_PLACE.sub(r"\1", key)
    if _may_match(CN_NUMBER_BEFORE_UNIT.pattern)(key):
        key = CN_NUMBER_BEFORE_UNIT.sub(lambda m: str(_cn_to_int(m.group(1))), key)
    if not key.isalnum():               # (KEY_DROP drops only what is not alphanumeric: not \w, and _)
        key = KEY_DROP.sub("", key)
    key = key.lower()
    return KEY_TRAILING_SHOP.sub("", key) if len(key) > 2 and key.endswith("店") else key


def _district_starts(text: str) -> bool:
    """Whether ``text`` starts with a division's full name."""
    return (found := _table().match_at(text, 0)) is not None and not found[1]


def normalise_place(name: str, city: str | None = None) -> NormalisedPlace:
    """Clean a place string and give it an identity key.

    ``city`` (the notice's city) lets the key drop a leading 福建省福州市 that repeats it.

    >>> normalise_place("在茂业天地楼下喜茶店买奶茶").key == normalise_place("茂业天地喜茶店").key
    True
    """
    text = clean_text(name).strip(",，。;；、")
    if _may_match(LEADING_VERB.pattern)(text) and _table().match_at(text, 0) is None:   # 于都县 is not 于 + 都县
        text = LEADING_VERB.sub("", text, count=1)
    text, addresses = _split_parentheses(text)
    text, activities = _strip_suffixes(text, TRAILING_ACTIVITY, keep=PLACE_HEAD_END)
    text, qualifiers = _strip_suffixes(text, QUALIFIERS)
    text, floors = _strip_suffixes(text, TRAILING_FLOOR)
    text, more_addresses = _split_parentheses(text)
    qualifier = "".join(floors + qualifiers) or None
    return NormalisedPlace(
        name=text, key=place_key(text, city), qualifier=qualifier,
        address="；".join(addresses + more_addresses) or None,
        activity="".join(activities) or None,
    )


# --------------------------------------------------------------------------- categories

#: (category, head words). The head word that ends latest in the name decides (Chinese noun
#: phrases end with their head: 单位附近的小龙坎火锅店 is a restaurant, 医院停车场 a car park);
#: on a tie the longer word wins, then the earlier rule.
CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    ("flight", r"航班|[A-Z0-9]{2}\d{3,4}次?$"),
    ("airport", r"机场|航站楼"),
    ("train", r"[GDCZTKYLS]\d{1,4}次?(?:列车|动车|高铁|火车)?$|列车|动车|高铁(?!站)|火车(?!站)"),
    ("metro", r"地铁|轨道交通|\d+号线"),
    ("bus", r"公交|公共汽车|\d+路(?:车)?$|巴士|大巴|客车|班车|中巴"),
    ("taxi", r"出租车|的士|网约车|滴滴|出租"),
    ("ferry", r"轮渡|渡轮|渡口|码头|客轮|[\u4e00-\u9fff]号轮"),
    ("station", r"火车站|高铁站|动车站|汽车站|客运站|客运中心|汽车东站|汽车西站|[东西南北]站$|站$"),
    ("highway", r"服务区|收费站|高速(?:公路|路口|出口|入口)?|高速路出口"),
    ("gas_station", r"加油站|加气站|充电站"),
    ("hospital", r"医院|卫生院|中医院|妇幼保健院|保健院|发热门诊|急诊|住院部|门诊(?!部)|医疗机构|[一二三四五六七八九十]院$|附院"),
    ("clinic", r"诊所|门诊部|卫生室|卫生服务中心|卫生服务站|医务室|卫生所|理疗|推拿"),
    ("pharmacy", r"药店|药房|大药房|医药"),
    ("testing_site", r"核酸(?:检测|采样)?点|采样点|采样间|采样站|检测点|检测站"),
    ("school", r"学校|小学|中学|初中|高中|大学|学院|幼儿园|托儿所|培训班|培训学校|培训中心|培训机构|教育|补习班|辅导班|早教"),
    ("supermarket", r"超市|便利店|生鲜|量贩|大润发|沃尔玛|家乐福|永辉|华润万家|物美|盒马|麦德龙|山姆|联华|华联|美宜佳|钱大妈"),
    ("market", r"市场|菜场|集市|农贸|早市|夜市|批发部"),
    ("mall", r"商场|购物中心|百货|百货大楼|商城|购物广场|万达广场|奥特莱斯|商厦|广场$|大悦城|万象城|银泰|天街|吾悦|印象城|"
             r"凯德|[Mm][Aa][Ll][Ll]"),
    ("restaurant", r"饭店|餐厅|餐馆|餐饮|酒家|酒楼|食堂|小吃|火锅|烧烤|串串|面馆|拉面|米粉|粉店|饺子|包子|快餐|"
                   r"大排档|饭庄|农家乐|食府|饭馆|烤肉|烤鸭|海鲜|排骨|麻辣烫|肉|鱼|鸡|面包|蛋糕|烘焙|早餐|饼|糕点|"
                   r"菜馆|私房菜|家常菜|民间菜|"
                   r"肯德基|麦当劳|必胜客|德克士|汉堡王|华莱士|KFC|kfc|McDonald"),
    ("cafe", r"咖啡|奶茶|茶饮|喜茶|奈雪|茶百道|古茗|书亦烧仙草|星巴克|瑞幸|库迪|Costa|蜜雪冰城|茶楼|茶馆|茶社"),
    ("hotel", r"酒店|宾馆|旅馆|旅店|旅社|招待所|民宿|客栈|大酒店"),
    ("bank", r"银行|信用社|农商行|储蓄所|支行|分行|营业厅"),
    ("government", r"政府|局$|委员会|派出所|公安局|法院|检察院|办事处|街道办|居委会|村委会|社区服务中心|服务大厅|政务|"
                   r"疾病预防控制中心|疾控中心"),
    ("checkpoint", r"检查点|检查站|卡口|防控点"),
    ("religious", r"教堂|寺|庙|道观|清真寺"),
    ("leisure", r"KTV|ktv|网吧|网咖|酒吧|棋牌|麻将|影院|电影院|影城|健身|游泳|体育馆|球馆|游乐|剧院|会所|俱乐部|台球|歌厅|舞厅"),
    ("personal_care", r"洗浴|浴池|澡堂|足疗|足浴|按摩|美容|美发|理发|发廊|美甲|养生|汗蒸|spa|SPA"),
    ("park", r"公园|景区|风景区|休闲广场|文化广场|人民广场|市民广场|植物园|动物园|博物馆|纪念馆|岩画|古镇|湿地"),
    ("parking", r"停车场|车库|停车位"),
    ("workplace", r"公司|工厂|厂$|厂房|车间|单位|集团|办公室|办公楼|写字楼|工地|项目部|物流|仓库|产业园|工业园|基地|企业|商贸|商行|事务所|工作室|研究所|研究院"),
    ("shop", r"店$|铺$|商店|门市|专卖|小卖|商铺|批发|烟酒店|烟酒|五金|建材|家具|服装|手机|眼镜|文具|书店|花店|水果|母婴"),
    ("residential", r"小区|花园|家园|公寓|宿舍|新村|社区|[园苑庭府邸墅湾轩居阁]$|号院|号楼|\d+栋|单元|别墅|"
                    r"[园苑庭府邸墅湾轩居阁城](?:[一二三四五六七八九十]|\d+)期$"),
    ("village", r"村$|[庄屯寨堡]$|村委"),
    ("private_home", r"(?<![酒农])家$|住所|住处|家中|居所"),
    ("street", r"路$|街$|大道$|巷$|弄$|胡同|交叉口|路口|十字"),
)


@functools.cache
def _category_patterns() -> tuple[tuple[str, re.Pattern, re.Pattern | None, frozenset[str] | None], ...]:
    """Each rule compiled, with a class of the characters its matches start with (None: any character may) and the
    characters one of which each of its matches holds (:func:`~casedb.grammar.scan.needed_chars`; None: no such set).
    Made on first use: a process that builds no rows categorises no place."""
    return tuple((category, re.compile(pattern), (first := first_chars(pattern)) and re.compile(f"[{first}]"),
                  needed_chars(pattern))
                 for category, pattern in CATEGORY_RULES)


_NEEDED_SHIFT = len(CATEGORY_RULES)
_STARTS = (1 << _NEEDED_SHIFT) - 1


def _category_mask(character: str) -> int:
    """The rules (bit ``order``) a match of which may start with ``character``, and (bit ``_NEEDED_SHIFT + order``)
    those whose matches may hold it: a rule is tried on a name only when a character of the name sets its first
    bit and one sets its second (:func:`_head_category`); otherwise it cannot match there. One match and one look-up
    in :func:`_mask_tables`, not a test of each rule."""
    starts, start_bits, any_start, needed_bits, any_needed = _mask_tables()
    return (any_start | sum(itertools.compress(start_bits, starts.match(character).groups()))
            | needed_bits.get(character, any_needed))


@functools.cache
def _mask_tables() -> tuple[re.Pattern, tuple[int, ...], int, dict[str, int], int]:
    """What :func:`_category_mask` reads: a rule that matches any character, with a group for each category rule
    that has a class of first characters, set when the character is in that class (a lookahead for it), and the bits
    of those rules in the same order; the bits of the rules whose matches may start with any character; the needed
    bits of each character in a rule's needed set, and of any other character (those of the rules without one)."""
    patterns = _category_patterns()
    starts = re.compile("".join(f"(?:(?=({first.pattern}))|)" for _, _, first, _ in patterns if first is not None))
    start_bits = tuple(1 << order for order, (_, _, first, _) in enumerate(patterns) if first is not None)
    any_start = sum(1 << order for order, (_, _, first, _) in enumerate(patterns) if first is None)
    any_needed = sum(1 << (_NEEDED_SHIFT + order) for order, (*_, needed) in enumerate(patterns) if needed is None)
    needed_bits: dict[str, int] = {}
    for order, (*_, needed) in enumerate(patterns):
        for character in needed or ():
            needed_bits[character] = needed_bits.get(character, any_needed) | 1 << (_NEEDED_SHIFT + order)
    return starts, start_bits, any_start, needed_bits, any_needed


class _Masks(dict):
    """:func:`_category_mask` of each character, made once."""

    def __missing__(self, character: str) -> int:
        mask = _category_mask(character)
        if len(self) < 100_000:
            self[character] = mask
        return mask


_CATEGORY_MASKS = _Masks()


def categorise(name: str | None) -> str | None:
    """A category for a place name, from its head word; None when no rule applies.

    >>> categorise("北国超市(益庄店)"), categorise("省人民医院发热门诊"), categorise("511路公交车")
    ('supermarket', 'hospital', 'bus')
    """
    if not name:
        return None
    text = clean_text(name)
    if "(" in text:
        text = PARENTHESES.sub("", text) or text
    text, _ = _strip_suffixes(text, QUALIFIERS)
    category = _head_category(text)
    if category == "shop":      # 火锅店 is a restaurant, 喜茶店 a cafe: a bare 店 decides last
        category = _head_category(SHOP_SUFFIX.sub("", text)) or category
    return category


def _head_category(text: str) -> str | None:
    best: tuple[int, int, int] | None = None
    chosen = None
    mask = functools.reduce(operator.or_, map(_CATEGORY_MASKS.__getitem__, text), 0)
    mask &= mask >> _NEEDED_SHIFT & _STARTS
    patterns = _category_patterns()
    while mask:                       # the rules that may match, in order
        bit = mask & -mask
        mask ^= bit
        order = bit.bit_length() - 1
        category, pattern, _, _ = patterns[order]
        for match in pattern.finditer(text):
            start, end = match.span()
            score = (end, end - start, -order)
            if best is None or score > best:
                best, chosen = score, category
    return chosen


# --------------------------------------------------------------------------- store columns

def place_columns(name: str, city: str | None) -> dict:
    """Columns of the ``places`` row for a place string seen in a notice from ``city``.

    ``province`` falls back to the notice city's province; district, adcode and coordinates
    come only from divisions the place string itself names (None otherwise). The visit's own
    qualifier (附近, 门口) is ``normalise_place(name).qualifier``: it is not a property of the place.
    """
    return normalised_place_columns(normalise_place(name, city), city)


def normalised_place_columns(place: NormalisedPlace, city: str | None) -> dict:
    """:func:`place_columns` of a place already normalised (the loader normalises each place once)."""
    return dict(zip(PLACE_COLUMNS, (place.key, *place_values(place, city))))


#: The columns :func:`place_columns` gives, in the order of :func:`place_values`' values after the first.
PLACE_COLUMNS = ("normalised_name", "category", "province", "district", "adcode", "latitude", "longitude")


def place_values(place: NormalisedPlace, city: str | None) -> tuple:
    """The values of :func:`normalised_place_columns` but the first (normalised_name), as a tuple: category,
    province, district, adcode, latitude, longitude (the order of ``casedb.store.parsed.PLACE_ROW``)."""
    division = locate(" ".join(filter(None, (place.name, place.address))), city)
    known = division or (locate(city) if city else None)
    province = known.province if known else None
    category = categorise(place.name)
    if division:
        return category, province, division.district, division.adcode, division.latitude, division.longitude
    return category, province, None, None, None, None


def residence_columns(residence: str | None, city: str | None) -> dict:
    """``residence_district`` and ``residence_adcode`` of a case living at ``residence``."""
    division = locate(residence, city) if residence else None
    return {
        "residence_district": division.district if division else None,
        "residence_adcode": division.adcode if division else None,
    }
