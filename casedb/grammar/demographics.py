"""Who a case is: sex, age, category (final diagnosis), residence, occupation.

Each function reads the simplified text of one case (its head sentence first) and returns a
value or None. Rules:

- sex: ``男`` / ``女`` / ``男性`` / ``男童`` as a list item (``,男,34岁``), else an unambiguous kin word
  describing the case itself (``系病例33的女儿`` → female), else the case's spouse (``与其丈夫一同`` → female)
- age: ``34岁`` / ``三十四岁`` / ``8月龄`` / ``8个月`` (→ 0)
- category: the last diagnosis statement (``诊断为无症状感染者``, ``确诊病例(轻型)``), else the label
- residence: ``居住于X`` / ``居于X`` / ``现住X`` / ``现租住X`` / ``住址:X`` / ``家住X``, else ``X人`` (X a place
  with 区/县/镇/村…; the native place, which a stated current home beats) / ``X居民``
"""
from __future__ import annotations

import re

from casedb.grammar.numbers import CN_NUMERAL, parse_number
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, compile_rule, cue_words
from casedb.places import locate

_SEX = re.compile(r"(?:^\.?|[,，:：;；\s(（、]|(?<=患者)|性别[:：为是]?|岁(?=[男女][性童孩婴病子患]))(?P<sex>男|女)(?:性|童|孩|婴|病人|子|患者|,|，|;|；|\s|[)）]|\d|$)")
_KIN_SEX = re.compile(r"(?:系|是|为)[^。;,，]{0,24}?的?(?P<kin>妻子|丈夫|女儿|儿子|母亲|父亲|爸爸|妈妈|"
                      r"奶奶|爷爷|外婆|外公|姥姥|姥爷|孙子|孙女|外孙女|外孙|哥哥|弟弟|姐姐|妹妹|儿媳|女婿|"
                      r"婆婆|公公|岳父|岳母|弟媳|嫂子|姐夫|妹夫)")
_FEMALE_KIN = frozenset("妻子 女儿 母亲 妈妈 奶奶 外婆 姥姥 孙女 外孙女 姐姐 妹妹 儿媳 婆婆 岳母 弟媳 嫂子".split())

#: The case with its spouse (与其丈夫一同, 由丈夫陪同, 其妻子): the case is of the other sex.
_SPOUSES = ("丈夫", "老公", "妻子", "老婆")
_WITH_SPOUSE = re.compile(r"(?:(?:与|和|同|跟|携|由|陪同|陪)其?|(?<![的之])其)(?P<kin>" + "|".join(_SPOUSES) + ")")
#: the spouse words, as one rule the regex engine skips through: a text without one is not searched with the rule
_SPOUSE_CUE = cue_words(_SPOUSES)

_AGE_YEARS = compile_rule(rf"(?<![\d.])(?P<n>\d{{1,3}}|{CN_NUMERAL})\s*(?:周)?岁(?!半?以[上下]|左右的人)")
_AGE_MONTHS = re.compile(r"(?<![\d.])(?P<n>\d{1,2})\s*(?:个)?月龄|(?<![\d.月])(?P<m>\d{1,2})\s*个月(?=[,，;；)）]|大)")

_DIAGNOSED_AS = r"无症状感染者|无症状|确诊病例|确诊患者|轻型|普通型|重型|危重型|疑似病例|新冠肺炎确诊|新冠肺炎(?!无症状)"
#: ,为确诊病例 / 系无症状感染者 after a clause boundary or at the text's start (:data:`_DIAGNOSIS_AT_START`)
_STATED_AS = r"\s*(?:为|系|是)(?:新冠病毒|新冠肺炎|新型冠状病毒)?(无症状感染者|确诊病例)(?![\d的之])"
#: 诊断为无症状感染者 / 确诊病例(轻型) / ,为确诊病例: its one group is the diagnosis. Written for the engine to skip
#: through (each alternative starts with a literal, a group of words split word by word in order, 确诊病例's group
#: set by a lookbehind after the words: an alternative led by a group made the engine try all of them at every
#: character, 78 → 29 ms over the benchmark's case bodies): the same matches
#: as ``(?:诊断|…|分型)(?:其|结果)?(?:为|是|:)[^。;；]{0,16}?(?P<what>…)(?![\d的之])|(?P<what2>确诊病例)[(（]…
#: |(?:^|[,，。;；])\s*(?:为|系|是)…(?P<what3>…)``, but for one at the text's start (tests/test_scan_less.py)
_DIAGNOSIS = re.compile("|".join(
    [rf"{verb}(?:其|结果)?(?:为|是|:)[^。;；]{{0,16}}?({_DIAGNOSED_AS})(?![\d的之])"
     for verb in ("诊断", "判定", "确诊", "订正", "转归", "转", "确定", "认定", "研判", "分型")]
    + [r"确诊病例(?<=(确诊病例))[(（](?:轻型|普通型|重型)"] + [mark + _STATED_AS for mark in ",，。;；"]))
_DIAGNOSIS_AT_START = re.compile(_STATED_AS)
_CATEGORY_OF = {"无症状感染者": "asymptomatic", "无症状": "asymptomatic", "疑似病例": "suspected"}

_RESIDENCE_LEAD = compile_rule(
    r"(?:(?:长期|长年)(?:居住|生活)(?:于|在)?|长[居住](?:于|在)?|现?居住(?:于|在|地(?:址)?(?:为|是|:|：)?)|现?住址(?:为|是|:|：)?|家庭住址(?:为|是|:|：)?|家住|现住(?:于|在)?|现?暂住(?:于|在)?|常住(?:于|在|地)?|"
    r"住在|现居(?:于|住)?|居于|现?(?:租|借)住(?:于|在)?(?!地)|住于|居住地(?:为|:|：)|(?:租)?住地(?:为|是|:|：)|(?<![工单])地址(?:为|是|:|：)|"
    r"(?:^|(?<=[,，:：;；]))住(?=[一-龥]{2})|(?:^|(?<=[,，:：;；]))现?居住(?=[一-龥]{2})(?!史|地附近))\s*(?:隶属于?|属于|位于)?\s*")
#: 长期在武汉市江岸区居住: where the case has long lived, written before the verb.
_LONG_STAY_IN = re.compile(r"(?:长期|长年)在(?P<place>[^，,。；;\s]{2,30}?)(?:居住|生活)")
_PLACE_PERSON = re.compile(r"(?:^|[,，;；:：])\s*(?P<be>(?:均|皆|都)?(?:为|系|是))?(?P<place>[^,，。;；:：\s]{2,30}?[区县镇村乡市街道屯庄组社区](?:[^,，。;；:：\s]{0,20}?))(?:人|居民)(?=[,，。;；]|$)")
#: 桃江人 / 云南昆明人: a native place named by divisions alone (a city or county of the division table).
_DIVISION_PERSON = re.compile(r"(?:^|[,，;；:：])\s*(?P<place>[一-龥]{2,6}?)人(?=[,，。;；]|$)")
#: how each match of the two rules above ends, as a rule the regex engine skips through: a head without it is not
#: searched with them (they try a place at every comma)
_PERSON_END = re.compile(r"(?:人|居民)(?=[,，。;；]|$)")
_RESIDENCE_STOP = compile_rule(r"(?:,|，|。|;|；|\n|的家中|家中|家里|,?系|,?与|,?在|,?为|,?从事|,?无)")


#: 54岁妇人 / 50多岁的妇女 (Taiwan and Hong Kong news)
_WOMAN = re.compile(r"\d{1,3}多?岁(?:的)?(?:妇人|妇女|老妇)")


def find_sex(head: str) -> str | None:
    """male / female from ``男``/``女`` as a list item, else from a kin word describing the case, else from
    妇人 after an age."""
    m = _SEX.search(head) if "男" in head or "女" in head else None   # (a rule tried at every character)
    if m:
        return "male" if m.group("sex") == "男" else "female"
    return find_kin_sex(head) or ("female" if "妇" in head and _WOMAN.search(head) else None)


def find_kin_sex(text: str) -> str | None:
    """The sex a kin word describing the case gives (系病例33的女儿 → female)."""
    m = _KIN_SEX.search(text)
    if m:
        return "female" if m.group("kin") in _FEMALE_KIN else "male"
    return None


def find_spouse_sex(text: str) -> str | None:
    """The sex the case's spouse gives (与其丈夫一同驾车返家 → female), for a text about one person."""
    m = _WITH_SPOUSE.search(text) if _SPOUSE_CUE.search(text) else None
    if m:
        return "female" if m.group("kin") in ("丈夫", "老公") else "male"
    return None


def find_age(head: str) -> int | None:
    """Whole years; an infant given in months is 0."""
    # (rules tried at every digit and numeral, run only on a head holding the words each of their matches holds)
    months = _AGE_MONTHS.search(head) if "月龄" in head or "个月" in head else None
    years = _AGE_YEARS.search(head) if "岁" in head else None
    if months and (years is None or months.start() < years.start()):
        return 0
    if years:
        value = parse_number(years.group("n"))
        if value is not None and value <= 120:
            return value
    return None


def find_category(text: str, label: str | None = None) -> str | None:
    """confirmed / asymptomatic / suspected: the last diagnosis the text states, else the label's kind."""
    return _category(_last_diagnosis(text)) or category_of_label(label)


def find_category_and_diagnosis(simplified: str, original: str) -> tuple[str | None, str | None]:
    """:func:`find_category` of ``simplified`` and :func:`find_diagnosis` of ``original``, the same text as
    written: read from one scan when the two are the same (a text without traditional characters)."""
    if simplified != original:
        return find_category(simplified), find_diagnosis(original)
    last = _last_diagnosis(simplified)
    return _category(last), _diagnosis_sentence(original, last)


def _last_diagnosis(text: str) -> re.Match | None:
    last = _DIAGNOSIS_AT_START.match(text)
    for last in _DIAGNOSIS.finditer(text, last.end() if last else 0):
        pass
    return last


def _category(diagnosis: re.Match | None) -> str | None:
    if diagnosis is None:
        return None
    return _CATEGORY_OF.get(diagnosis.group(diagnosis.lastindex), "confirmed")


def category_of_label(label: str | None) -> str | None:
    """The category a label names (无症状感染者3 → asymptomatic, 确诊病例1 → confirmed)."""
    if not label:
        return None
    if "无症状" in label:
        return "asymptomatic"
    if "确诊" in label:
        return "confirmed"
    if "疑似" in label:
        return "suspected"
    return None


def find_diagnosis(text: str) -> str | None:
    """The sentence that states the diagnosis, as written."""
    return _diagnosis_sentence(text, _last_diagnosis(text))


def _diagnosis_sentence(text: str, diagnosis: re.Match | None) -> str | None:
    if diagnosis is None:
        return None
    start = after_last_of(SENTENCE_ENDS, text, 0, diagnosis.start())
    return text[start:diagnosis.end()].strip() or None


_OCCUPATION_NOUN = (r"员工|工人|职工|教师|老师|学生|司机|驾驶员|医生|护士|医务人员|保安|厨师|快递员|外卖员|骑手|销售员|售货员|营业员|店员|"
                    r"收银员|服务员|保洁员?|村医|农民|个体户|个体经营者|经营者|业主|主管|经理|会计|工程师|搬运工|装卸工|环卫工|"
                    r"退休人员|退休职工|离退人员|离退休人员|无业人员|无业|务工人员|工作人员|志愿者|民警|辅警|公务员|幼师|护工|商贩|摊主|渔民")
#: 职业为快递员 / 从事冷库搬运工作 / 系某超市员工 / ,某快递公司快递员, (a noun of work in the head's list)
_OCCUPATION = re.compile(
    r"职业(?:为|是|[:：])[ \t]*(?P<stated>[^，,。；;\s]{2,16})"
    r"|从事(?P<trade>[^，,。；;]{2,16}?)(?:工作|行业|职业)"
    r"|(?:^|[,，:：;；])[ \t]*(?:为|系|是|任|担任)?(?:一名)?(?:\d{1,3}岁)?(?:[男女]性?)?"
    r"(?P<noun>[^，,。；;:：的\s]{0,12}?(?:" + _OCCUPATION_NOUN + r"))(?=[,，。；;]|$)")


#: a word every :data:`_OCCUPATION` match holds (职业, 从事 or a noun of work), as plain words the regex engine skips to:
#: a head without one is not searched with the rule, which tries up to 12 characters before a noun at each comma
_OCCUPATION_CUE = cue_words(["职业", "从事", *_OCCUPATION_NOUN.replace("保洁员?", "保洁").split("|")])


def find_occupation(head: str) -> str | None:
    """The case's work as the head states it (快递员, 某超市员工, 冷库搬运), if any."""
    if _OCCUPATION_CUE.search(head) is None:
        return None
    m = _OCCUPATION.search(head)
    if m is None:
        return None
    return m.group("stated") or m.group("trade") or m.group("noun")


#: 就读于甲县工业小学 / 在乙市第一中学就读: the school a case goes to (上学 in the trajectory goes there).
#: (each alternative starts with its word, the lookbehind before 在 moved after it, so that the regex engine skips to
#: 就 and 在: the same matches as ``(?:就读于|就学于|(?<![^,，:：;；\s])在(?=…))…``, tests/test_scan_less.py)
_SCHOOL = re.compile(r"(?:就读于|就学于|在(?<![^,，:：;；\s]在)(?=[^，,。；;\s]{2,30}?就读))(?P<school>[^，,。；;\s]{1,30}?"
                     r"(?:小学|中学|大学|学校|学院|幼儿园|中专|职高|技校|[一二三四五六七八九十\d]+中)(?=[，,。；;\s)）]|就读|$))")


def find_school(head: str) -> str | None:
    """The school the head says the case attends (就读于X), if any."""
    m = _SCHOOL.search(head)
    return m.group("school") if m else None


def _is_region(place: str) -> bool:
    division = locate(place)
    return division is None or division.level == "province"


def find_residence(head: str) -> tuple[int, int] | None:
    """Span (in ``head``) of the residence, without 居住于/住在/现住 and without a trailing 人/居民."""
    m = _RESIDENCE_LEAD.search(head)
    if m:
        start = m.end()
        stop = _RESIDENCE_STOP.search(head, start)
        end = stop.start() if stop else len(head)
        end = min(end, start + 60)
        if end - start >= 2:
            return start, end
    m = _LONG_STAY_IN.search(head)
    if m:
        return m.span("place")
    if _PERSON_END.search(head) is None:
        return None
    m = _PLACE_PERSON.search(head)
    # 病例6为台湾地区居民 tells where the case is from; 为海淀区居民, a home
    if m and not (m.group("be") and _is_region(m.group("place"))):
        return m.span("place")
    for m in _DIVISION_PERSON.finditer(head):
        division = locate(m.group("place"))
        if division is not None and division.level != "province":   # 广西人 says too little
            return m.span("place")
    return None
