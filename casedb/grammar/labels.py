"""Case labels: 病例49, 确诊病例1, 无症状感染者3, 患者十三, 第4例, 8号病例, 个案2, 第85例确诊个案, 境外输入确诊病例1.

Rules (all on simplified text):

- ``<kind><number>``: 病例49, 确诊病例1, 无症状感染者3, 本土确诊病例2, 患者十三, 个案2, 感染者1
- ``第<number>例<kind>?``: 第4例, 第60例患者, 第17例确诊病例
- ``<number>号<kind>``: 8号病例, 第28号确诊病例
- groups: 病例3、4 / 病例1—病例4 / 无症状感染者1-2 / 病例1、病例2和病例3 → one label each
- as pages really write them: 确诊病例 10 (a space), 确诊病例(轻型)12 (a qualifier), 无症状感染者1号、2号,
  第11071确诊个案 / 第一宗个案 (Hong Kong), 案19730 (Taiwan)

:func:`find_labels` returns every label in a text; :func:`case_starts` only those that open
a case paragraph (at a line start or list item, followed by ``:`` / ``,`` / end of line).
"""
from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterator
from typing import NamedTuple

from casedb.grammar.numbers import CN_NUMERAL, parse_number
from casedb.grammar.scan import CLAUSE_ENDS, SENTENCE_ENDS, after_last_of, compile_rule

_PREFIX_WORDS = ("境外输入", "输入性", "本土", "本轮", "新冠肺炎", "新冠病毒", "新型冠状病毒肺炎")
_PREFIX = rf"(?:(?:{'|'.join(_PREFIX_WORDS)})(?:的)?)*"
# 案 alone is Taiwan's case number (案19730, 为案1120), never the tail of a word (个案, 方案, 档案)
_KIND_WORDS = ("确诊病例", "确诊患者", "确诊个案", "确诊案例", "无症状感染者", "无症状", "初筛阳性者", "初筛阳性", "初筛阳性人员",
               "阳性感染者", "核酸检测阳性者", "感染者", "病例", "患者", "个案", "案例")
_KIND = rf"(?:{'|'.join(_KIND_WORDS)}|(?<![个方预档议提备病答草法图报立结专文办破])案(?=[ \t]?\d{{3}}))"
# 1号 only as a case number: not 1号楼, 1号线, 1号院 …
_HAO = r"号(?![0-9楼院房室栋单层线路车次班座口门厅馆库仓期街巷])"
_NUM = (rf"(?:\d{{1,5}}(?![0-9月日号时点例岁]|\.\d)|\d{{1,5}}(?={_HAO})|"
        rf"{CN_NUMERAL}(?![同起名人家例直些样般致定个位天周次月日号时点]))")
#: A number after the first of a list (病例1、2、3 / 患者一、二和三): a Chinese numeral only when its word ends
#: there (not 病例89,三门人, a native place)
_MORE_NUM = (rf"(?:\d{{1,5}}(?![0-9月日号时点例岁]|\.\d)|\d{{1,5}}(?={_HAO})|"
             rf"{CN_NUMERAL}(?=[、和及与,，:：;；。 \t\n)）—–\-~至到号]|$))")
_PLAIN_NUM = rf"(?:\d{{1,5}}|{CN_NUMERAL})"
_RANGE_SEP = r"(?:—+|–|-|~|至|到)"
_LIST_SEP = r"(?:、|和|及|与|,)"
# between the kind and its number: a space (确诊病例 10) or a clinical qualifier (确诊病例(轻型)12)
_KIND_GAP = r"(?:[ \t]|[(（][^)）\d\n]{1,8}[)）])?"

_KIND_NUMBER = compile_rule(
    rf"(?:新增的?)?(?P<prefix>{_PREFIX})(?P<kind>{_KIND}){_KIND_GAP}(?P<num>{_NUM})(?![ \t]*例)(?:{_HAO})?"
    rf"(?P<more>(?:(?:{_RANGE_SEP}|{_LIST_SEP})(?:(?P=kind))?{_MORE_NUM}(?!例)(?:{_HAO})?)*)")
#: A kind followed by what its number may start with (a space, a bracket, a digit, a Chinese numeral), as a rule the
#: regex engine skips through (every alternative a word): :func:`_kind_numbers` tries :data:`_KIND_NUMBER` only
#: from the words before such a kind, not at each word a match may start with (确诊病例。 / 新冠病毒核酸)
_NUMBERED_KIND = re.compile(rf"(?:{'|'.join(_KIND_WORDS)}|案)(?=[ \t(（\d]|{CN_NUMERAL})")
#: The last word before a kind that the rule reads, if it reads one: 新增, a prefix word, or 的 after either
_WORDS_BEFORE_A_KIND = ("新增", "的", *_PREFIX_WORDS)
# 第4例 / 第28号确诊病例 / 第11071确诊个案 / 第一宗个案 / 第15宗31岁…男子: with a unit, a kind, or both
_ORDINAL_FROM_DI = (rf"第[ \t]?(?P<num>{_PLAIN_NUM})(?P<more>(?:[、和及]第?{_PLAIN_NUM})*)[ \t]?"
                    rf"(?:(?P<unit>例|号|宗(?=[一-龥]{{0,6}}?个案|\d{{1,3}}岁))(?P<kind>(?:(?<=宗)[一-龥]{{0,6}}?)?{_PREFIX}{_KIND})?"
                    rf"|(?P<own_kind>{_PREFIX}{_KIND}))")
_ORDINAL = compile_rule(rf"(?P<prefix>{_PREFIX}){_ORDINAL_FROM_DI}")
#: :data:`_ORDINAL` from its 第 on, a rule the regex engine skips through (its 第 first): :func:`_ordinals` reads the
#: rule from the prefix words before each match of this one, not at every character of a page
_ORDINAL_CUE = re.compile(_ORDINAL_FROM_DI)
#: (its lookbehind after the first digit, so that the regex engine skips through a text to digits: the same matches as
#: ``(?<![第\d])(?P<num>\d{1,5})号…``, tests/test_scan_less.py)
_NUMBER_HAO = re.compile(rf"(?P<num>\d(?<![第\d]\d)\d{{0,4}})号(?P<kind>{_PREFIX}{_KIND})")

# 病例汪某 / 确诊病例王某 / 境外输入关联病例庄某: a case named instead of numbered
_NAMED = compile_rule(rf"(?P<prefix>{_PREFIX})(?:关联)?(?:确诊病例|无症状感染者|病例|患者|感染者)[一-龥]某[某一-龥]?(?![一-龥]*某)")
# 一名26岁男病人(个案编号:11123) / 饭店主管(案1120) / 68岁男患者(10841) / 梧栖女(案23768): the number in brackets
# right after the person it numbers (Hong Kong and Taiwan releases)
_BRACKETED = (r"[(（](?<=[男女人者员客童婴子管师生工友儿长机佣妇士警姆例][(（])[ \t]*(?:个案编号[:：]?|个案|案号?|编号[:：]?)?"
              r"[ \t]*[「“\"]?{number}[」”\"]?(?P<more>(?:[、,][ \t]*(?:案|个案)?\d{{3,6}})*)[ \t]*[)）]")
_BRACKETED_NUMBER = compile_rule(_BRACKETED.format(number=r"(?P<num>\d{3,6})"))
# 任私人司机(第760宗) / 92岁妇人(个案编号第2093号): an ordinal in those brackets (read before the ordinal rule)
_BRACKETED_ORDINAL = compile_rule(_BRACKETED.format(number=r"第(?P<num>\d{3,6})[号宗]"))
# 案号「25436」 / 案「25351」、「25379」 / 个案「24907」: Taiwan's case numbers in quotes
_QUOTED_NUMBER = compile_rule(r"(?P<kind>个案|案号?)[ \t]*「[ \t]*(?P<num>\d{3,6})[ \t]*」"
                              r"(?P<more>(?:[、及和][ \t]*(?:案号?)?[ \t]*「[ \t]*\d{3,6}[ \t]*」)*)")
#: What every match of a rule holds, as a rule the regex engine skips through (a literal first): a text without it is
#: not scanned with the rule (:data:`_NUMBER_HAO` is tried at every digit, :data:`_NAMED` at every 病 or 患,
#: :data:`_QUOTED_NUMBER` at every 案, which Taiwan's quotes follow; :data:`_NAMED`'s cue is its 某 with the words
#: before it looked behind for, as 确诊病例 ends with 病例 and 无症状感染者 with 感染者: a rule led by several words is
#: tried at each of their first characters, one led by 某 skips to 某)
_NUMBER_HAO_CUE = re.compile(rf"号{_PREFIX}{_KIND}")
_HELD_BY_EVERY_MATCH = {_NUMBER_HAO: _NUMBER_HAO_CUE,
                        _NAMED: re.compile(r"某(?:(?<=(?:病例|患者)[一-龥]某)|(?<=感染者[一-龥]某))"),
                        _QUOTED_NUMBER: re.compile("「")}
#: The characters right before the bracket of :data:`_BRACKETED` (its lookbehind): a text without such a bracket is
#: not scanned with the two bracketed rules (:func:`_holds_a_bracket_after_a_person`)
_BEFORE_BRACKET = frozenset("男女人者员客童婴子管师生工友儿长机佣妇士警姆例")
_MORE_PART = compile_rule(rf"(?P<sep>{_RANGE_SEP}|{_LIST_SEP})(?:{_KIND})?(?P<num>{_MORE_NUM})(?:{_HAO})?")


class Label(NamedTuple):
    text: str                 # as written in the document (病例3 for the 3 of 病例1、3)
    series: str               # case | asymptomatic | screening, prefixed imported_ for 境外输入
    number: int | None
    span: tuple[int, int]     # of the whole match (the group for grouped labels)


#: A label's span, as a sort and search key called in C (not a Python lambda)
_SPAN = operator.itemgetter(3)


def series_of(label_text: str) -> str:
    """case | asymptomatic | screening, prefixed ``imported_`` for 境外输入 (simplified text)."""
    if "无症状" in label_text:
        series = "asymptomatic"
    elif "初筛" in label_text:
        series = "screening"
    else:
        series = "case"
    return "imported_" + series if "境外输入" in label_text else series


def label_key(label_text: str) -> tuple[str, int] | None:
    """(series, number) of a label as written, for matching 确诊病例12 / 12号病例 / 第12例 with 病例12.

    >>> label_key("1月12日第56号确诊病例")
    ('case', 56)
    >>> label_key("病例汪某") is None
    True
    """
    from casedb.read import to_simplified

    labels = find_labels(to_simplified(label_text), label_text)
    if not labels or labels[-1].number is None:
        return None
    return labels[-1].series, labels[-1].number


def find_labels(simplified: str, original: str | None = None, start: int = 0, end: int | None = None) -> list[Label]:
    """Every case label in ``simplified[start:end]``; texts are cut from ``original`` (same offsets)."""
    original = original if original is not None else simplified
    end = len(simplified) if end is None else end
    found: list[Label] = []
    taken = _Spans()
    bracketed = _holds_a_bracket_after_a_person(simplified, start, end)
    for pattern in (_BRACKETED_ORDINAL, _ORDINAL, _NUMBER_HAO, _KIND_NUMBER, _NAMED, _BRACKETED_NUMBER, _QUOTED_NUMBER):
        held = _HELD_BY_EVERY_MATCH.get(pattern)
        scan_from = start
        if held is not None:
            cue = held.search(simplified, start, end)
            if cue is None:
                continue
            # no match holds a clause's punctuation: the rule is read from the clause of the first cue on
            scan_from = max(start, after_last_of(CLAUSE_ENDS, simplified, start, cue.start()))
        if not bracketed and (pattern is _BRACKETED_NUMBER or pattern is _BRACKETED_ORDINAL):
            continue
        matches = (_kind_numbers(simplified, scan_from, end) if pattern is _KIND_NUMBER
                   else _ordinals(simplified, scan_from, end) if pattern is _ORDINAL
                   else _numbers_hao(simplified, scan_from, end) if pattern is _NUMBER_HAO
                   else pattern.finditer(simplified, scan_from, end))
        for m in matches:
            if taken.overlaps(m.start(), m.end()):
                continue
            if pattern is _NAMED:
                labels = [Label(original[m.start():m.end()], series_of(m.group(0)), None, m.span())]
            elif pattern is _BRACKETED_NUMBER or pattern is _BRACKETED_ORDINAL:
                labels = _bracketed_labels(m, original)
            elif pattern is _QUOTED_NUMBER:
                labels = _quoted_labels(m, original)
            else:
                labels = _labels_of(m, pattern, original)
            if labels:
                found.extend(labels)
                taken.add(m.start(), m.end())
    found.sort(key=_SPAN)   # (by start: labels that start together are a group's, of one span)
    return _share_ordinal_kind(simplified, found)


def _kind_numbers(text: str, start: int, end: int) -> Iterator[re.Match]:
    """``_KIND_NUMBER.finditer(text, start, end)``: the rule matched from the 新增 and prefix words written before each
    kind :data:`_NUMBERED_KIND` finds. (A match is its kind with the words before it the rule reads, each written
    once, as :func:`_prefix_start` reads them back: where the rule fails from the first of them, it fails from each.)"""
    at = start
    while (kind := _NUMBERED_KIND.search(text, at, end)) is not None:
        m = _KIND_NUMBER.match(text, _new_and_prefix_start(text, at, kind.start()), end)
        if m is None:
            at = kind.start() + 1
        else:
            yield m
            at = m.end()


def _new_and_prefix_start(text: str, floor: int, at: int) -> int:
    """Where the prefix words (:func:`_prefix_start`) and the 新增 or 新增的 before them, written right before
    ``text[at]``, start, not before ``floor``."""
    if not text.endswith(_WORDS_BEFORE_A_KIND, floor, at):   # (most kinds: one test)
        return at
    at = _prefix_start(text, floor, at)
    for new in ("新增的", "新增"):
        if text.endswith(new, floor, at):
            return at - len(new)
    return at


def _ordinals(text: str, start: int, end: int) -> Iterator[re.Match]:
    """``_ORDINAL.finditer(text, start, end)``: the rule matched from the prefix words before each match of its cue
    (:data:`_ORDINAL_CUE`), not tried at every character."""
    at = start
    while (cue := _ORDINAL_CUE.search(text, at, end)) is not None:
        m = _ORDINAL.match(text, _prefix_start(text, at, cue.start()), end)
        yield m
        at = m.end()


def _prefix_start(text: str, floor: int, at: int) -> int:
    """Where the prefix words (:data:`_PREFIX`: each maybe followed by 的) written right before ``text[at]`` start,
    not before ``floor``; ``at`` when none is. (Read backwards word by word: no prefix word ends another.)"""
    while True:
        word_end = at - 1 if at > floor and text[at - 1] == "的" else at
        word = next((word for word in _PREFIX_WORDS if text.endswith(word, floor, word_end)), None)
        if word is None:
            return at
        at = word_end - len(word)


def _numbers_hao(text: str, start: int, end: int) -> Iterator[re.Match]:
    """``_NUMBER_HAO.finditer(text, start, end)``: the rule matched at the digits before each 号 that its cue finds
    (tried at every digit of a page, the rule read most of them: a page is full of dates and clock times)."""
    for held in _NUMBER_HAO_CUE.finditer(text, start, end):
        first = held.start()
        while first > 0 and text[first - 1].isdecimal():
            first -= 1
        if first >= start and (m := _NUMBER_HAO.match(text, first, end)) is not None:
            yield m


def _holds_a_bracket_after_a_person(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds an opening bracket right after one of :data:`_BEFORE_BRACKET` (a page holds a
    few brackets: found with ``str.find``, many times faster than a scan with a rule)."""
    for bracket in "(（":
        at = text.find(bracket, start, end)
        while at >= 0:
            if at > 0 and text[at - 1] in _BEFORE_BRACKET:
                return True
            at = text.find(bracket, at + 1, end)
    return False


def labels_within(simplified: str, original: str, start: int, end: int,
                  page_labels: list[Label] | None = None) -> list[Label]:
    """The labels in ``simplified[start:end]``: those of ``page_labels`` (the whole text's, in text order, as
    :func:`find_labels` gives them) that lie there, so that the page's labels found once serve every reader of
    a part of it; found there when ``page_labels`` is None."""
    if page_labels is None:
        return find_labels(simplified, original, start, end)
    first = bisect.bisect_left(page_labels, (start,), key=_SPAN)   # (a span (s, e) sorts before (start,) if s < start)
    last = bisect.bisect_left(page_labels, (end,), first, key=_SPAN)
    return [lab for lab in page_labels[first:last] if lab.span[1] <= end]


class _Spans:
    """Disjoint (start, end) spans kept sorted: overlap tests in log time, for pages with thousands of labels."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)   # spans before i start before ``end``
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _share_ordinal_kind(text: str, labels: list[Label]) -> list[Label]:
    """第2例、第3例感染者: the first ordinal takes the kind written after the last one."""
    out = list(labels)
    for i in range(len(out) - 2, -1, -1):
        first, second = out[i], out[i + 1]
        if not first.text.endswith("例"):
            continue
        gap = text[first.span[1]:second.span[0]]
        kind = re.search(r"例(.+)$", second.text)
        if kind and re.fullmatch(r"[、和及与,]", gap):
            out[i] = Label(first.text + kind.group(1), first.series, first.number, first.span)
    return out


def _labels_of(m: re.Match, pattern: re.Pattern, original: str) -> list[Label]:
    number = parse_number(m.group("num"))
    if number is None:
        return []
    if pattern is not _KIND_NUMBER:
        series = series_of(m.group(0))
        if pattern is _ORDINAL and m.group("more"):   # 第39、40例确诊病例: one label each
            tail = original[m.end("more"):m.end()].strip()
            numbers = [number] + [parse_number(n) for n in re.findall(_PLAIN_NUM, m.group("more"))]
            return [Label(f"第{n}{tail}", series, n, m.span()) for n in numbers if n is not None]
        return [Label(original[m.start():m.end()], series, number, m.span())]
    text_start, num_end = m.start("prefix"), m.end("num")
    series = series_of(m.string[text_start:m.end()])
    tail = "号" if m.string.startswith("号", num_end) else ""
    more = m.group("more")
    if not more:   # one number (most labels)
        return [Label(original[text_start:num_end] + tail, series, number, m.span())]
    text = original[text_start:m.end()]
    head_end = m.start("num") - text_start
    head = text[:head_end]
    group_start, members = m.start(), [(text[:num_end - text_start] + tail, number)]
    previous, end = number, m.end() - len(more)
    labels: list[Label] = []
    for part in _MORE_PART.finditer(more):
        value = parse_number(part.group("num"))
        if value is None:
            break
        part_end = m.start("more") + part.end()
        if value <= previous:
            if part.start("num") == part.end("sep"):
                break   # 病例5、3: a bare lower number belongs to no group
            # 病例77,病例54妻子: a lower number with its kind is another label (a group of its own)
            labels.extend(Label(label_text, series, n, (group_start, end)) for label_text, n in members)
            group_start = m.start("more") + part.end("sep")
            members = [(original[group_start:part_end], value)]
            previous, end = value, part_end
            continue
        if re.fullmatch(_RANGE_SEP, part.group("sep")) and value - previous <= 50:
            numbers = range(previous + 1, value + 1)
        else:
            numbers = [value]
        members.extend((_relabel(head, n, part.group("num")) + tail, n) for n in numbers)
        previous, end = value, part_end
    labels.extend(Label(label_text, series, n, (group_start, end)) for label_text, n in members)
    return labels


def _bracketed_labels(m: re.Match, original: str) -> list[Label]:
    """(个案编号:11123) → 个案编号:11123; (案1120、1121) → 案1120, 案1121 (the brackets left out of the text)."""
    inner = original[m.start() + 1:m.end() - 1].strip()
    numbers = [int(m.group("num"))] + [int(n) for n in re.findall(r"\d{3,6}", m.group("more"))]
    at = inner.find(m.group("num"))
    head = inner[:at]
    if head.endswith("第"):   # (个案编号第2093号) / (第760宗): the ordinal as written
        head = "第"
    after = inner[at + len(m.group("num")):][:1]
    first = head + m.group("num") + (after if after in ("号", "號", "宗") else "")
    return [Label(first if n == numbers[0] else f"{head}{n}", "case", n, m.span()) for n in numbers]


def _quoted_labels(m: re.Match, original: str) -> list[Label]:
    """案号「25436」 → 案25436; 案「25351」、「25379」 → 案25351, 案25379 (個案「24907」 → 個案24907)."""
    kind = original[m.start("kind"):m.end("kind")]
    head = kind if kind[0] in "个個" else kind[0]
    numbers = [m.group("num")] + re.findall(r"\d{3,6}", m.group("more"))
    return [Label(f"{head}{n}", "case", int(n), m.span()) for n in numbers]


def _relabel(head: str, number: int, written: str) -> str:
    """The label of one member of a group, in the group's own numeral style."""
    if written.isdigit():
        return f"{head}{number}"
    return f"{head}{written}" if parse_number(written) == number else f"{head}{number}"


# A case paragraph opens with a label at a line start (after bullets, spaces, 一、/(1), a day and 新),
# or after a sentence/list boundary when sex or age follows.
# (after a bullet, and a place the case is numbered in: 澳门第10例确诊患者 / 江北区确诊患者2)
# (or after the day it was confirmed: 2月12日新确诊病例赵某,家住…)
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[•●·▲■◆\-*]|[(（]?[一二三四五六七八九十\d]{1,3}[)）、.])?[ \t]*"
                         r"(?:[一-龥]{1,6}(?:市|区|县|州|省|旗)|香港|澳门|台湾|本港|本澳)?"
                         r"(?:\d{1,2}月\d{1,2}日[ \t]*[,，]?[ \t]*(?:新增|新))?")
_AFTER_LABEL_OPENS = re.compile(
    r"[ \t]*(?:"
    r"[:：]"                                   # 病例1:
    r"|[,，]"                                  # 病例1,男,34岁
    r"|\.(?=[ \t]*(?:患者|[一-龥]某|[男女]))"      # 病例17.患者周某某,男 / 病例3.女,45岁
    r"|[男女]性?[,，]"                          # 患者10女,39岁
    r"|\n|$"                                   # 病例48 on its own line
    r"|[(（][^)）\n]{0,20}[)）][ \t]*[:：,，\n]"    # 病例1(张某):
    r"|(?:的)?(?:主要)?(?:活动|行动|行程)?轨迹"      # 患者一活动轨迹如下 / 第4例感染者主要活动轨迹
    r"|[(（][^)）\n]{0,20}[)）][ \t]*(?:为|系|是)"   # 本土确诊病例1(无症状感染者转确诊),为2岁男童
    r"|[(（][^)）\n]{0,20}[)）][ \t]*(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日"   # 病例4(云冈区)2020年1月21日从武汉返回
    r"|(?:现住址|现住|现居住|现居|家住|常住|居住)"     # 病例16现住址合川区钱塘镇
    r"|(?:均|皆|都)?(?:为|系|是)(?![ \t]*(?:\d|[一两二三四五六七八九十]|多)[ \t]*例)"   # 本土确诊病例3为22岁女性 / 病例12为荷兰籍 / 病例6、病例7均为台湾地区居民
    r"|[一-龥]某[某一-龥]?\d?[ \t]*[,，:]"        # 患者23 余某, / 第17例…患者李某,
    r"|、[ \t]*(?:患者|感染者)?[一-龥]某[某一-龥]?[ \t]*[,，:：]"   # 病例19、患者徐某某,女
    r"|(?:[ \t]+|[ \t]*[(（][^)）\n]{0,20}[)）][ \t]*)"   # 病例122 57岁男性 / 病例264(病例255女儿)4岁女性
    r"[^。；;:：\n]{0,12}?(?:\d{1,3}(?:岁|个月|月龄)|[男女](?:性|孩|童|婴|[,，]))"
    r")")
# 第11071确诊个案的34岁男会计 / 第一宗个案涉及一名63岁男病人 / 案19730为20多岁男性: a label described in prose
_DESCRIBED_AFTER = re.compile(r"[ \t]*(?:的|涉及一名|(?:均|皆|都|则|也)?(?:为一名|是一名|为|系|是))[^。；;,，\n)）]{0,10}?(?:\d{1,3}多?岁|[男女]性)"
                              # 第5399号44岁男子 / 第5391号无病征的男患者: the person described right after the number
                              r"|[ \t]*(?:\d{1,3}多?岁)?[^。；;,，\n与和及]{0,5}?[男女](?:子|性|患者|病人)"
                              # 病例9为中国籍,病例10、病例11均为加拿大籍: a nationality
                              r"|[ \t]*(?:均|皆|都|则|也)?(?:为|系|是)[^。；;,，\n的]{1,8}?籍"
                              # 案22688是计程车司机 / 案22689和案22690是夫妻档: a role or a couple
                              r"|[ \t]*(?:均|皆|都|则|也)?(?:为|是)(?:一对)?[^。；;,，\n的)）]{0,6}?"
                              r"(?:司机|工人|员工|老板|店员|学生|游客|夫妻档?|夫妇|母子|母女|父子|父女)(?=[。；;,，、\n]|$)"
                              # 案1127公共场所活动史为 / 案15356及案15358在7月8日下午…曾到
                              r"|(?:的)?(?:公共场所)?(?:活动史|足迹)(?:为|如下|[:：]|[,，]?(?:标示|显示|包括))"
                              r"|[ \t]*(?:在|于)[ \t]*\d{1,2}(?:月\d{1,2})?日[^。；;\n]{0,16}?(?:曾到|到过|前往|曾在|去过|(?:行动|活动)轨迹涉及)")
# 新增病例(患者5)详细情况:男,56岁 — a label in brackets after the word it numbers
_BRACKETED_OPENS = re.compile(r"[)）](?:的)?(?:详细|基本)?(?:情况|信息)?[ \t]*[:：,，][ \t]*(?:男|女|\d{1,3}岁)")
_INLINE_DEMOGRAPHICS = re.compile(r"[ \t]*[,，:：][ \t]*(?:[一-龥]某[某一-龥]?[ \t]*[,，][ \t]*)?(?:为|系|是)?(?:一名)?"
                                  r"(?:男|女|\d{1,3}岁)")
#: A clause may open with a connective before its label (而案9865,为66岁无业男性 / 另病例3,女)
_CONNECTIVE_END = re.compile(r"(?:而|另|另外|此外|其中)$")
_ORDINAL_QUALIFIER = re.compile(r"[^\n,，:：。;；]{0,16}?(?:患者|病例|感染者)?(?:[一-龥]某[某一-龥]?)?(?=[,，:：])")


# a label without a number: 确诊病例: / 无症状感染者,居住在… / 病例⏎男,… (a repost that lost the numbers) /
# 其中,无症状感染者为一学校食堂工作人员
_BARE_LABEL = compile_rule(rf"(?:^|\n|(?<=[。;；])|(?<=其中[,，]))[ \t]*+(?:[•●·▲■◆\-*][ \t]*)?(?P<label>{_PREFIX}(?:确诊病例|确诊患者|无症状感染者|"
                         rf"核酸检测阳性者|初筛阳性者|阳性感染者|(?:核酸)?(?:复核|初筛)阳性人员|(?P<plain>病例|患者|感染者)))"
                         rf"(?:[(（][^)）\n]{{0,6}}[)）])?[ \t]*(?:(?<!病例)(?<!患者)(?<!感染者)(?:1|一)例)?[ \t]*"
                         rf"(?:(?(plain)(?!)|[:：])|[,，:：]?[ \t]*(?:\n[ \t]*)?(?=(?:男|女)[,，]|\d{{1,3}}岁|"
                         rf"(?:现住|居住|住址|家住))"
                         # 其中,无症状感染者为一学校食堂工作人员: the one person of that kind, described
                         rf"|(?(plain)(?!)|(?:为|系|是))一?(?:名|位)?[^。;；\n]{{0,12}}?(?:人员|员工|工人|学生|司机|男|女|\d{{1,3}}岁))")
#: What every match of :data:`_BARE_LABEL` holds from its word's last character on, as rules the regex engine skips
#: through (a literal first: led by several words, a rule is tried with a character class at each character, and
#: its word at each of them): a text without one is not scanned with that rule, which is tried at every space and
#: line start (:func:`_may_hold_a_bare_label`). The lookahead after the word turns most places away at once
#: (病例12, 病例。): it holds the characters the rest may start with.
_BARE_LABEL_REST = (r"(?=[(（ \t一:：为系是,，\n男女现居住家]|1例|\d{1,3}岁)(?:[(（][^)）\n]{0,6}[)）])?[ \t]*(?:(?:1|一)例)?[ \t]*"
                    r"(?:[:：为系是]|[,，:：]?[ \t]*(?:\n[ \t]*)?(?:男|女|\d{1,3}岁|现住|居住|住址|家住))")
_HELD_BY_A_BARE_LABEL = tuple(re.compile(word + _BARE_LABEL_REST)
                              for word in ("例(?<=病例)", "者(?:(?<=患者)|(?<=感染者)|(?<=阳性者))", "阳性人员"))


def _may_hold_a_bare_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds one of :data:`_HELD_BY_A_BARE_LABEL`: else no :data:`_BARE_LABEL` is in it."""
    return any(rule.search(text, start, end) for rule in _HELD_BY_A_BARE_LABEL)


#: A person a page describes without any label (Hong Kong releases, news items): 一名25岁男子 / 该名64岁女子 /
#: 这名8岁女童 / 公布了一名56岁的男性 / 个案是41岁的男人 / 一名居于某花园的72岁女子 / 6岁男童,以及63岁男子; the series ``person``
#: marks them (their label is null).
_MENTION = re.compile(r"(?:(?<=[。；;\n，,:：、及和是为])|(?<=新增)|^|(?<![第另\d])(?=该名|这名|一名|1名))[ \t]*(?:患者包括)?(?P<person>(?P<who>该名|这名|一名|1名|另一名)?[ \t]*"
                      r"(?:(?:居于|居住于|居住在|住在)[^，,。；;\n的]{2,20}的)?"
                      r"(?P<age>\d{1,3}[ \t]*多?)[ \t]*(?:岁|个月大)(?:的)?(?:染疫|确诊)?(?P<sex>男|女)(?:子|性|童|孩|婴|病人|患者|士|人)?)")
#: Where a mention without 一名/该名 may stand: after 是/为 (个案是41岁的男人), a list's 以及, or opening a paragraph.
_BARE_MENTION_AFTER = ("是", "为", "以及", "\n")
#: The age every mention gives (25岁, 20多岁, 8个月大), as a rule the regex engine skips through to a digit: a page
#: without one is not scanned for mentions (a rule led by lookbehinds, tried at every character).
_AGE_OF_A_MENTION = re.compile(r"\d[ \t]*多?[ \t]*(?:岁|个月大)")
#: …whose text goes on with a dated outing: the page tells a trajectory, not a court or traffic story.
_DATED_OUTING = re.compile(r"\d{1,2}(?:月\d{1,2})?日[^。；;\n]{0,30}?(?:到|往|在|曾|乘|前往|到过|逗留|用膳|求诊|就诊)")
#: …or is what a case is: 新增的病例为一名…72岁女子 / 本地个案是一名56岁男子 / 新增一名20多岁男子确诊.
_CASE_IS = re.compile(r"(?:病例|个案|患者|感染者|确诊者)[^。；;，,\n]{0,4}(?:是|为)[ \t]*$")
_CONFIRMED_AFTER = re.compile(r"[ \t]*(?:确诊|核酸检测呈?阳性|检测呈?阳性)")
MENTION = "person"


def person_mentions(simplified: str, start: int = 0, end: int | None = None) -> list[Label]:
    """Persons described without a label (一名25岁男子…该名男子于3月1日到…), one Label per mention
    (series :data:`MENTION`, text ``<age>岁<sex>`` as the person's key); none unless one of them has a
    dated outing in its sentence or the next, or is said to be a case (个案是一名56岁男子)."""
    end = len(simplified) if end is None else end
    if _AGE_OF_A_MENTION.search(simplified, start, end) is None:
        return []
    mentions = [m for m in _MENTION.finditer(simplified, start, end)
                if m.group("who") or m.start() == 0 or simplified.endswith(_BARE_MENTION_AFTER, 0, m.start())]
    if not any(_DATED_OUTING.search(simplified, m.end(), min(end, m.end() + 120))
               or _CASE_IS.search(simplified, max(0, m.start() - 16), m.start())
               or _CONFIRMED_AFTER.match(simplified, m.end()) for m in mentions):
        return []
    return [Label(f"{m.group('age').replace(' ', '')}岁{m.group('sex')}", MENTION, None, m.span("person"))
            for m in mentions]


#: A paragraph that opens by describing its one person, with no label or a bare word before (reports and news
#: briefs): 男,44岁,现住… / 2,女,50岁,… / 患者女性,33岁 / 新增确诊患者,71岁女性 / 周某某,女,现居住地…
_DESCRIBED_PARAGRAPH = re.compile(
    r"(?:^|(?<=\n))[ \t]*+(?:\d{1,3}(?:[ \t]*[.、,，]|[ \t]+|(?=患者|病例)))?[ \t]*(?:新增|出院)?(?:确诊)?(?:病例|患者|病人)?"
    r"(?:基本情况|基本信息)?[ \t]*[:：,，]?[ \t]*(?:为)?"
    r"(?:(?P<name>[一-龥]{1,2}某[某一-龥]?)[ \t]*[,，、(（][ \t]*)?"
    r"(?:(?P<sex>男|女)(?:性)?[ \t]*[,，、][ \t]*(?:(?P<age>\d{1,3})[ \t]*岁)?"
    r"|(?P<age_first>\d{1,3})[ \t]*岁[ \t]*[,，、]?[ \t]*(?:的)?(?P<sex_after>男|女)(?:性)?"
    # 性别:男概况:现居…: a form's fields
    r"|性别[ \t]*[:：][ \t]*(?P<sex_field>男|女))")
#: …or describing a case in the course of a paragraph, the case word first (…我市新增报告1例确诊病例。新增病例为男性,
#: 51岁,… / 。患者女性,50岁 / 。新增确诊患者,39岁男性): not a bare sex and age (据介绍,男,44岁).
_DESCRIBED_IN_PROSE = re.compile(
    r"(?<=[。;；])[ \t]*(?:新增|新确诊)?(?:确诊)?(?:病例|患者)(?:为|系)?[ \t]*[:：,，]?[ \t]*"
    r"(?:(?P<sex>男|女)(?:性)?[ \t]*[,，、][ \t]*(?P<age>\d{1,3})[ \t]*岁"
    r"|(?P<age_first>\d{1,3})[ \t]*岁[ \t]*[,，、]?[ \t]*(?:的)?(?P<sex_after>男|女)(?:性)?)")
#: …or named with sex and age after a clause boundary (病,23,杨某齐,男,40岁 / 新增1例确诊患者为:姚某,32岁,男性 /
#: 2名患者为夫妻,王某某,男,38岁,郭某某,女,34岁 / :1.安远县患者熊某某,女,40岁 / 。死者张某,女,31岁): a name, a sex and an age say who the text is about.
_NAMED_IN_PROSE = re.compile(
    r"(?<=[。;；,，:：])[ \t]*(?:\d{1,2}[.、])?(?:[一-龥]{2,5}(?:市|区|县))?(?:患者|病例|死者)?"
    r"(?P<name>[一-龥]{1,2}某[某一-龥]?)[ \t]*[,，、][ \t]*"
    r"(?:(?:男|女)(?:性)?[ \t]*[,，、][ \t]*\d{1,3}[ \t]*岁|\d{1,3}[ \t]*岁[ \t]*[,，、][ \t]*(?:男|女)(?:性)?)")
#: …in a paragraph that says the person is a case.
#: (a bare report about one patient may say so only by its care: 1月23日被隔离治疗 / 到县人民医院就诊 /
#: 1月28日入院治疗)
_A_CASE = re.compile(r"确诊|阳性|病例|感染者|患者|病人|隔离治疗|发热门诊|(?:医院|卫生院|卫生室)[^。；;,，\n]{0,8}就诊|入院|住院治疗")


def described_persons(simplified: str, original: str | None = None) -> list[Label]:
    """Persons described without a label (男,44岁,现住… / 患者女性,33岁,… at a paragraph start; 。新增病例为男性,
    51岁 / ,杨某齐,男,40岁 in its course), in a paragraph that calls them a case; named ones are labelled by
    their name, the others are person mentions (series :data:`MENTION`, text ``<age>岁<sex>``)."""
    if "男" not in simplified and "女" not in simplified:   # each rule's person is a 男 or a 女
        return []
    original = original if original is not None else simplified
    found: list[Label] = []
    taken = _Spans()
    for pattern in (_DESCRIBED_PARAGRAPH, _DESCRIBED_IN_PROSE, _NAMED_IN_PROSE):
        for m in pattern.finditer(simplified):
            if taken.overlaps(m.start(), m.end()):
                continue
            # (named in prose, the case word may come first in the sentence: 新增1例确诊患者为:姚某,32岁)
            sentence = m.start() if pattern is not _NAMED_IN_PROSE else _sentence_start(simplified, m.start())
            if not _A_CASE.search(simplified, sentence, _paragraph_end(simplified, m.end())):
                continue
            taken.add(m.start(), m.end())
            if m.groupdict().get("name"):
                found.append(Label(original[m.start("name"):m.end("name")], "case", None, m.span("name")))
                continue
            sex = m.group("sex") or m.group("sex_after") or m.groupdict().get("sex_field")
            age = m.group("age") or m.group("age_first") or ""
            found.append(Label(f"{age}岁{sex}" if age else sex, MENTION, None, (m.start(), m.end())))
    return sorted(found, key=lambda label: label.span[0])


#: A person named at the start of a paragraph: 郭某明(男,54岁): / 2.宁某某,男,34岁
NAMED_PARAGRAPH = re.compile(
    r"(?:^|(?<=\n))[ \t]*+(?:[•●·▲■◆\-*]|[(（]?[一二三四五六七八九十\d]{1,3}[)）、.])?[ \t]*"
    r"(?P<name>[一-龥]某(?:(?![于在])[某一-龥])?\d?)[ \t]*(?:[,，(（][ \t]*(?:男|女)"
    # 李某于1月30日作为…确诊病例 / 王某某,1月30日确诊: named by the day the person was confirmed
    r"|[,，]?[ \t]*(?:于|在)?[ \t]*\d{1,2}月\d{1,2}日[^。；;\n]{0,24}?确诊)")


def named_paragraphs(simplified: str, start: int, end: int) -> Iterator[re.Match]:
    """:data:`NAMED_PARAGRAPH`'s matches in ``simplified[start:end]``, the rule tried at the starts of the lines that
    hold a 某 only: a match starts at a line start and holds no line break, and its name holds 某 (run over the text,
    the rule tests for a line start at every character; tried at each line, it is tried at many that name no one)."""
    name = simplified.find("某", start, end)
    while name >= 0:
        m = NAMED_PARAGRAPH.match(simplified, max(start, simplified.rfind("\n", start, name) + 1), end)
        if m is not None:
            yield m
        line_end = simplified.find("\n", name, end)
        if line_end < 0:
            return
        name = simplified.find("某", line_end, end)


def named_persons(simplified: str, original: str | None = None) -> list[Label]:
    """Persons named at paragraph starts (孙某甲,男,60岁,… / 李某于1月30日…确诊), on a page where one of them
    has a dated outing in their paragraph or the next; one Label per paragraph, its text the name."""
    if "某" not in simplified:   # every name the rule reads holds 某
        return []
    original = original if original is not None else simplified
    found = list(NAMED_PARAGRAPH.finditer(simplified))
    if not any(_DATED_OUTING.search(simplified, m.end(), _paragraph_end(simplified, _paragraph_end(simplified, m.end()) + 1))
               for m in found):   # in its paragraph or the next (该患者近期出行信息如下:⏎1月20日,患者从…)
        return []
    return [Label(original[m.start("name"):m.end("name")], "case", None, m.span("name")) for m in found]


def _sentence_start(text: str, at: int) -> int:
    return after_last_of(SENTENCE_ENDS, text, max(0, at - _LOOKBACK), at)


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def case_starts(simplified: str, original: str | None = None, start: int = 0, end: int | None = None,
                labels: list[Label] | None = None) -> list[Label]:
    """Labels that open a case paragraph, in text order (grouped labels give one per member); ``labels`` are
    those of ``simplified[start:end]`` when :func:`find_labels` has found them already.

    A label without a number (确诊病例: 男性,23岁…) opens a case only at a line start before a colon.
    """
    original = original if original is not None else simplified
    labels = find_labels(simplified, original, start, end) if labels is None else labels
    # the members of a group (病例61—80) share their span: whether it opens a case is read once for them all
    opens = {span: _opens_case(simplified, *span) for span in dict.fromkeys(label.span for label in labels)}
    out = [label for label in labels if opens[label.span]]
    taken = {label.span for label in out}
    end = len(simplified) if end is None else end
    bare = _BARE_LABEL.finditer(simplified, start, end) if _may_hold_a_bare_label(simplified, start, end) else ()
    for m in bare:
        span = m.span("label")
        if span not in taken:
            out.append(Label(original[span[0]:span[1]], series_of(m.group("label")), None, span))
    return _drop_ordinals_before_numbers(simplified, _drop_names_after_labels(
        simplified, sorted(out, key=lambda lab: lab.span[0])))


def _drop_ordinals_before_numbers(text: str, starts: list[Label]) -> list[Label]:
    """第一宗个案涉及一名26岁男病人(个案编号:11123): the day's ordinal and the case number in brackets in the
    same clause are one person, known by the number."""
    kept: list[Label] = []
    for label in starts:
        previous = kept[-1] if kept else None
        bracketed = _opening_bracket(text, label.span[0]) is not None
        if bracketed and any(k.number == label.number for k in kept):
            continue   # 第11071确诊个案…; 34岁男患者(11071)于3月1日病发: the same person told again
        if (previous is not None and bracketed and previous.span[1] <= label.span[0]
                and _opening_bracket(text, previous.span[0]) is None and not re.search(r"[。；;，,\n]", text[previous.span[1]:label.span[0]])):
            kept.pop()
        kept.append(label)
    return kept


_NAME_AFTER_LABEL_GAP = re.compile(r"[ \t]*[:：,，]?[ \t]*")


def _drop_names_after_labels(text: str, starts: list[Label]) -> list[Label]:
    """病例3:患者刘某某,女,60岁: a named label right after a numbered one is that case's name, not a second
    case; so is a bare 患者 (or a named one, 患者张某某) later in the same paragraph before the case was described
    (第二例:1月24日,我市新增1例确诊病例。患者男,武汉人)."""
    kept: list[Label] = []
    for label in starts:
        previous = kept[-1] if kept else None
        if (label.number is None and previous is not None and previous.number is not None
                and (_NAME_AFTER_LABEL_GAP.fullmatch(text, previous.span[1], label.span[0])
                     or _describes_previous(text, previous, label))):
            continue
        kept.append(label)
    return kept


#: (or the case's name: 第一例:1月23日,辽宁新增1例确诊病例。患者张某某,男,42岁)
_PLAIN_LABEL = re.compile(r"(?:病例|患者|感染者)(?:[一-龥]某[某一-龥]?)?")
_DESCRIBED = re.compile(r"[男女][,，性]|\d{1,3}岁|\n")


def _describes_previous(text: str, previous: Label, label: Label) -> bool:
    """A bare 患者/病例 (or 患者张某某) in the paragraph of a numbered case that nothing has described yet."""
    return (_PLAIN_LABEL.fullmatch(text, *label.span) is not None
            and _DESCRIBED.search(text, previous.span[1], label.span[0]) is None)


# (…活动轨迹如下: / 活动轨迹 10月11日… / 活动轨迹给城区增加风险。11月8日下午…: a sentence the dated trajectory follows)
_TRAJECTORY_HEADING = re.compile(r"(?:的)?(?:主要)?(?:活动|行动|行程)轨迹(?:如下|为|[:：]|[ \t]*(?:\n|\d{1,2}月\d{1,2}日)"
                                 r"|[^。\n]{0,24}。[ \t]*\d{1,2}月\d{1,2}日)")
_SECTION_HEADING = re.compile(r"[ \t]*[:：]?[ \t]*\d{1,2}月\d{1,2}日(?:新增|通报|报告|发现)")
_LINKING_WORD_BEFORE = re.compile(r"(?:与|和|同|跟|及|为|系|是|的)$")


#: How far back on its line the rules look before a label (bounded: a page can be one long line).
_LOOKBACK = 200


def _opens_case(text: str, s: int, e: int) -> bool:
    """Whether the label at ``text[s:e]`` opens a case paragraph."""
    window_start = max(0, s - _LOOKBACK)
    newline = text.rfind("\n", window_start, s)
    before = text[newline + 1 if newline >= 0 else window_start:s]
    after_boundary = _CONNECTIVE_END.sub("", before.rstrip())[-1:] in ("", ";", "；", "。", ",", "，", ":", "：")
    if _SECTION_HEADING.match(text, e):
        return False
    if after_boundary and text[e:e + 1] in (":", "："):
        return True
    at_line_start = (newline >= 0 or window_start == 0) and _LINE_START.fullmatch("\n" + before) is not None
    if not _LINKING_WORD_BEFORE.search(before) and _TRAJECTORY_HEADING.match(text, e):
        return True
    if at_line_start and _AFTER_LABEL_OPENS.match(text, e):
        return True
    if at_line_start and text[s] == "第" and _ORDINAL_QUALIFIER.match(text, e):
        return True
    if before.endswith(("(", "（")) and _BRACKETED_OPENS.match(text, e):
        return True
    if not _LINKING_WORD_BEFORE.search(before) and not before.endswith(("(", "（")) and _DESCRIBED_AFTER.match(text, e):
        return True
    if after_boundary and _INLINE_DEMOGRAPHICS.match(text, e):
        return True
    if _QUOTE_OPENS in text[s:e] and _opens_its_clause(text, s, e):
        return True
    if (after_boundary and before.lstrip().startswith(text[s:s + 2]) and _GROUP_SEPARATOR.search(text, s + 2, e)
            and _GROUP_TRAVELS.match(text, e)):
        return True
    return _numbered_person(text, s, e) is not None


_QUOTE_OPENS = "「"
#: 病例8为中国籍,…,病例6—病例8自台湾地区出发,乘坐同一航班: in a paragraph of labelled cases, a group told
#: together opens a passage that belongs to each of them (one person named again, ,病例1于…, does not: it is
#: often the case the paragraph's own person met; nor does a group in a dated narrative, 15日9时,病例1、2在…)
_GROUP_SEPARATOR = re.compile(rf"{_RANGE_SEP}|{_LIST_SEP}")
_GROUP_TRAVELS = re.compile(r"[ \t]*(?:均|都|皆|一同|共同)?(?:自|从|由|于|在|乘坐|搭乘|乘)")


def _opens_its_clause(text: str, s: int, e: int) -> bool:
    """案号「25436」为民宿老板 / 而案「25351」、「25379」均为游客: a quoted case number its clause does not link
    to another person (系因新北个案「24907」…, 案号「25146」之弟, 案号「25387」的接触者)."""
    clause_start = after_last_of("。；;，,\n:：", text, max(0, s - _LOOKBACK), s)
    return _LINKED_BEFORE.search(text, clause_start, s) is None and _LINKED_AFTER.match(text, e) is None


_PERSON_NOUN_END = re.compile(r"[男女人者员客童婴子管师生工友儿长机佣妇士警姆例]$")
_LINKED_AFTER = re.compile(r"[ \t]*(?:的|之|与|和|同|及)")
_OF_AFTER = re.compile(r"[ \t]*(?:的|之)")
_INTRODUCED = re.compile(r"[一两二三四五六七八九十\d](?:名|例)|\d{1,3}多?岁")
#: 梧栖女(案23768)的1岁幼儿 / 案22596的同僚刑事队长: a new person described as someone's kin or companion
_DESCRIBED_AFTER_A_LABEL = re.compile(r"(?:\d[」”]?|[)）])(?:的|之)(?P<described>[^的之]{1,12})$")
_LINKED_BEFORE = re.compile(r"(?:与|和|同|跟|(?<!涉)及|为|系|是|属|像|如|其)[^，,。；;\n]*$")


def person_before_brackets(text: str, label: Label) -> str:
    """The description a bracketed label numbers (一名26岁男病人 of 一名26岁男病人(个案编号:11123)); '' for others."""
    return _numbered_person(text, *label.span) or ""


def _opening_bracket(text: str, label_start: int) -> int | None:
    """Where the bracket a label stands in opens: the label's own first character, or the one before it."""
    for at in (label_start, label_start - 1):
        if at >= 0 and text[at:at + 1] in ("(", "（"):
            return at
    return None


def _numbered_person(text: str, s: int, e: int) -> str | None:
    """一名26岁男病人(个案编号:11123) / 2名外省游客(病例1、2,夫妻): a label in brackets right after the person
    it numbers opens that person's case; the person's description, or None when the label is not so, or the
    bracket names a case the clause links to (与饭店主管(案1120)同住, 梧栖女(案23768)的1岁幼儿)."""
    opening = _opening_bracket(text, s)
    if opening is None or opening < 1:
        return None
    closing = min((i for i in (text.find(")", e - 1), text.find("）", e - 1)) if i >= 0), default=-1)
    if closing < 0 or closing - e > 12:
        return None
    clause_start = after_last_of("。；;，,\n", text, 0, opening)
    before = text[clause_start:opening]
    kin_of_a_case = _DESCRIBED_AFTER_A_LABEL.search(before)
    if kin_of_a_case:   # the link is this person's relation (relations.kin_before_brackets), not a reference
        described = kin_of_a_case.group("described")
        return described if _PERSON_NOUN_END.search(described) and not _OF_AFTER.match(text, closing + 1) else None
    # 一名26岁男病人 / 2名外省游客 / (a sentence opening with) 确诊的饭店主管; not 其丈夫(个案2), a kin of this case
    introduced = _INTRODUCED.search(before) is not None or (
        len(before) <= 10 and text[clause_start - 1:clause_start] in ("", "。", "\n")) or (
        text.startswith(("(第", "（第", "(个案编号", "（个案编号"), opening))   # 任私人司机(第760宗)
    numbered = (introduced and _PERSON_NOUN_END.search(before) is not None and not _LINKED_BEFORE.search(before)
                and not _LINKED_AFTER.match(text, closing + 1))
    return before if numbered else None


# --- where a label's number counts (what is written just before it) -----------------------------------

#: The day written before an ordinal that numbers the cases of that day: 1月14日第1号确诊病例 /
#: 1月23号第8号确诊病例 / 1月12日74号确诊病例和75号确诊病例 (both) / 今日第6号确诊病例. A plain label
#: after a date (1月14日病例3到…) is a trajectory's date, not a numbering.
_DAY_BEFORE_ORDINAL = re.compile(
    r"(?:(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]|(?P<today>今日|当日|今天|当天))(?:新增|通报|公布|报告|确诊)?的?"
    rf"(?:第?[ \t]?\d{{1,5}}[号例]?(?:{_PREFIX}{_KIND})?{_LIST_SEP})*$")
_ORDINAL_TEXT = re.compile(r"第|\d")
#: A county or district written before a label it numbers: 泰顺县患者二十二 / 江北区确诊患者2.
_DIVISION_BEFORE = re.compile(r"[一-龥]{1,5}(?:区|县|市|旗)$")
#: ``day_before`` for 今日/当日: the notice's own day.
TODAY = (0, 0)
_BEFORE = 40


def day_before(simplified: str, label_start: int) -> tuple[int, int] | None:
    """(month, day) written just before the ordinal label at ``label_start`` that numbers it within that
    day (1月14日第1号确诊病例 → (1, 14)); :data:`TODAY` for 今日/当日; None when no day is written.

    >>> day_before("为1月12日74号确诊病例和75号确诊病例的儿子", 6)
    (1, 12)
    """
    if not _ORDINAL_TEXT.match(simplified, label_start):
        return None
    m = _DAY_BEFORE_ORDINAL.search(simplified[max(0, label_start - _BEFORE):label_start])
    if m is None:
        return None
    return TODAY if m.group("today") else (int(m.group("month")), int(m.group("day")))


def division_names_before(simplified: str, label_start: int) -> list[str]:
    """The names a county or district written right before a label may have, longest first
    (与泰顺县患者二十二 → 与泰顺县, 泰顺县); the caller keeps the one that is a division."""
    line_start = max(simplified.rfind("\n", 0, label_start) + 1, label_start - 6)
    m = _DIVISION_BEFORE.search(simplified, line_start, label_start)
    if m is None:
        return []
    return [m.group(0)[i:] for i in range(len(m.group(0)) - 2)]
