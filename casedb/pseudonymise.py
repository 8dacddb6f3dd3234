"""Pseudonymisation of exported data: what a collaborator receives should not expose anyone
more than the published notice did, and less where that is cheap.

- ``scrub_names``: surname-level names (陈某某, 张某军, 谢某, 李女士) → ``[姓名]``.
- ``strip_house_numbers``: building/unit/room/house numbers (12号楼3单元502, 和平路8号) removed,
  which leaves an address at compound, road or district level.
- ``mask_plates``: vehicle plates (冀A12345 → 冀A*****).
- ``case_pseudonym``: a stable salted hash for a case (same salt and key → same id).
- ``age_bands``: 10-year age bands, merged with neighbours until each has at least k cases.

What it does not do: find full names written without 某 (张政), nor make a case unlinkable to
the public notice it came from (labels and dates stay, as in the notice).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter

NAME_PLACEHOLDER = "[姓名]"

# Common single-character surnames, simplified and traditional. Characters that are far more
# often the end of a place word than a surname (区, 路, 街, 村…) are left out on purpose.
_SINGLE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱覃武戴孔汤庞樊兰殷施陈翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅"
    "莫庄辛管祝左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘"
    "景薄单包司柏宁柯阮桂闵解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简"
    "娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞"
    "卞封竺冼原官衣楚佟栗匡宗应台巫鞠僧桑荆谌银扬明沙薄伏岑习胥保和蔺"
    "張劉陳楊黃趙吳孫馬鄭謝許韓馮鄧蕭葉蘇呂盧蔣羅鍾譚陸範賈韋鄒熊邱閆雷龔萬錢顏嚴溫魯聶"
    "嶽齊費紀靳華饒瞿戚鄔臧龐蘭劉廖湯樊覃殷錢龍賀顧毛郝龔邵"
)
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯",
    "歐陽", "司馬", "諸葛", "東方",
)
# Characters that follow a bare "X某" in narrative text and so are not part of a given name.
_NOT_GIVEN_NAME = (
    "到去在于与和及系为是乘坐驾自从前往回家等人的了、，,。；;：:（）() 因也均曾同其"
    "公单小医超饭餐酒商工店厂村镇街路处地企学银宾市县区省楼场"  # 某公司, 某单位, 某小区…
    "妻夫哥姐弟妹爸妈父母儿女子孙被返经托开送接陪骑走步打搭约买吃看"  # 李某哥, 李某被…
)
_SURNAME = "(?:" + "|".join(_COMPOUND_SURNAMES) + "|[" + "".join(sorted(set(_SINGLE_SURNAMES))) + "])"
NAME_PATTERN = re.compile(
    _SURNAME + r"(?:某(?:某|[^\W\d_" + re.escape(_NOT_GIVEN_NAME) + r"])?|(?:先生|女士|小姐))"
)

_NUM = r"[0-9０-９一二三四五六七八九十百千零〇两]+"
_UNIT_ID = rf"(?:{_NUM}[A-Za-zＡ-Ｚ]?|[A-Za-zＡ-Ｚ])"
# One address component: building, unit, floor, room, house number, village group,
# or a hyphenated 12-3-502 (not a date). A bare 号 is a house number unless it names a metro line, gate, exit,
# platform, a case (第3号病例) or a day of the month (1月12号).
_COMPONENT = (
    rf"(?:附|之)?{_UNIT_ID}(?:号楼|号院|栋|幢|单元|层|楼|室|组|号(?!线|门|口|站|航站|车厢|病例|确诊|患者|无症状))"
    rf"|(?!(?:19|20)[0-9]{{2}}[-－])[0-9０-９]+(?:[-－][0-9０-９]+)+(?:室|号)?(?![0-9０-９月日时点岁])"
)
# Not after 第 (第3号), 月 (1月12号) or a label (病例48-51).
HOUSE_NUMBER = re.compile(
    rf"(?<![第月例者0-9０-９A-Za-z\-－])(?:{_COMPONENT})+(?:{_NUM}(?:室|号)?(?![0-9０-９]))?"
)
PLATE_PATTERN = re.compile(
    r"([京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新])([A-HJ-NP-Z])[·.]?[A-HJ-NP-Z0-9]{5,6}"
)


def scrub_names(text: str | None) -> str | None:
    """Replace surname-level names (陈某某, 张某军, 谢某, 李女士) by ``[姓名]``."""
    if not text:
        return text
    return NAME_PATTERN.sub(NAME_PLACEHOLDER, text)


def strip_house_numbers(text: str | None) -> str | None:
    """Drop building/unit/room/house numbers: 裕华区怀特小区12号楼3单元502 → 裕华区怀特小区."""
    if not text:
        return text
    return HOUSE_NUMBER.sub("", text)


def mask_plates(text: str | None) -> str | None:
    """Keep a plate's province and city letter only: 冀A12345 → 冀A*****."""
    if not text:
        return text
    return PLATE_PATTERN.sub(lambda m: m.group(1) + m.group(2) + "*****", text)


def pseudonymise_text(text: str | None) -> str | None:
    """All text rules at once, for any free-text field."""
    return mask_plates(strip_house_numbers(scrub_names(text)))


def case_pseudonym(key: str, salt: str) -> str:
    """A stable 16-hex-digit pseudonym: HMAC-SHA256 of the case's natural key under ``salt``."""
    return hmac.new(salt.encode(), key.encode(), hashlib.sha256).hexdigest()[:16]


def age_bands(ages: list[int | None], k: int = 5, width: int = 10) -> list[str | None]:
    """A band label ("30-39") for each age: ``width``-year bands, each merged with the next
    until it holds at least ``k`` of the given ages (a short last group joins the one before)."""
    counts = Counter(a // width for a in ages if a is not None)
    groups: list[list[int]] = []           # consecutive band indexes merged into one group
    pending: list[int] = []
    for band in sorted(counts):
        pending.append(band)
        if sum(counts[b] for b in pending) >= k:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    label_of_band = {
        band: f"{group[0] * width}-{group[-1] * width + width - 1}" for group in groups for band in group
    }
    return [None if a is None else label_of_band[a // width] for a in ages]


def rare_ages(ages: list[int | None], k: int = 5) -> set[int]:
    """Exact ages shared by fewer than ``k`` of the given ages."""
    counts = Counter(a for a in ages if a is not None)
    return {age for age, n in counts.items() if n < k}
