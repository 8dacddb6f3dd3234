"""Relations from a case to other labelled cases, from the case's own point of view.

Rules, each around a label L (or a list ``L1、L2``) found in the case's text:

- ``kin after L`` — 系病例33的女儿 / 为病例1丈夫 / 确诊患者13余某某儿子 / 为第28号确诊病例的外孙:
  the case *is* the kin of L → the kin word's own kind (女儿 → child).
- ``kin before L`` — 其儿子为病例5 / 与其丈夫(个案2): L is the case's kin → the inverse (parent).
- ``pair with L`` — 与确诊病例12为母子关系 / 与病例1为夫妻: resolved by the case's sex (and age).
- ``link with L`` — 与个案2同住 / 与病例1为同事 / 与病例1轨迹相同 / 行动轨迹同病例1 / 与确诊病例9聚餐.
- ``contact of L`` — 为病例7的密切接触者 / 系第2例感染者、第3例感染者的密接者.
- ``kin of L, numbered in brackets`` — 梧栖女(案23768)的1岁幼儿(案24793) / 案22596的同僚刑事队长(案22638):
  the bracketed case is the kin of L (:func:`kin_before_brackets`).
"""
from __future__ import annotations

import re

from casedb.grammar.labels import Label, labels_within
from casedb.records import Relation

#: kin word → (kind when the case IS this kin of L, kind when L is this kin of the case)
KIN: dict[str, tuple[str, str]] = {}


def _kin(kind: str, inverse: str, words: str) -> None:
    for word in words.split():
        KIN[word] = (kind, inverse)


_kin("spouse", "spouse", "妻子 丈夫 配偶 爱人 老公 老婆 妻 夫")
_kin("child", "parent", "女儿 儿子 孩子 子女 儿女 小儿子 大儿子 二儿子 小女儿 大女儿 二女儿 养子 养女 继子 继女 幼儿")
_kin("parent", "child", "父亲 母亲 爸爸 妈妈 父母 继父 继母 养父 养母")
_kin("sibling", "sibling", "哥哥 姐姐 弟弟 妹妹 兄弟 姐妹 兄长 胞弟 胞妹 胞兄 胞姐")
_kin("grandparent", "grandchild", "爷爷 奶奶 外公 外婆 姥姥 姥爷 祖父 祖母 外祖父 外祖母")
_kin("grandchild", "grandparent", "孙子 孙女 外孙 外孙女 孙辈")
_kin("in_law", "in_law", "儿媳 儿媳妇 女婿 公公 婆婆 岳父 岳母 弟媳 嫂子 姐夫 妹夫 大伯 小叔子 小姑子 "
                         "妯娌 连襟 亲家 大姑姐 小舅子 弟妹 嫂嫂")
_kin("relative", "relative", "亲属 亲戚 侄子 侄女 外甥 外甥女 家属 家人 表哥 表姐 表弟 表妹 堂哥 堂姐 "
                             "堂弟 堂妹 叔叔 阿姨 舅舅 姑姑 姨妈 伯父 伯母 婶婶 舅妈 姑父 姨父")
_kin("colleague", "colleague", "同事 工友 同僚")
_kin("other", "other", "友人 朋友 女友 男友 女朋友 男朋友 女性友人 男性友人")
_kin("classmate", "classmate", "同学 同班同学 同校同学")
_kin("cohabitant", "cohabitant", "室友 舍友")

_KIN_WORDS = "|".join(sorted(KIN, key=len, reverse=True))
# 紧密接触者 / 匡列的接触者: Hong Kong's and Taiwan's words
_CONTACT = r"(?:密切接触者|密接者|密接人员|密接|次密接者?|密切接触人员|紧密接触者|(?<=的)接触者)"
_NAME = r"(?:[一-龥]某[某一-龥]?)"

# after a label (list): the case IS the kin of L / a contact of L
_OF = r"(?:的|之|得)"   # 得 for 的 in spun copies
_ASIDE = r"(?:[(（][^)）\n]{0,20}[)）])?"   # 庄某(4月2日确诊)的女儿
# 系病例10之子 / 为病例3之妻: one character after 之
_CLASSICAL_KIN = {"子": "儿子", "女": "女儿", "妻": "妻子", "夫": "丈夫", "父": "父亲", "母": "母亲",
                  "兄": "哥哥", "弟": "弟弟", "姐": "姐姐", "妹": "妹妹"}
# 的30多岁女性友人 / 办公室同事 / 的非同住弟弟: an age, a workplace or a household between 的 and the kin word
_KIN_QUALIFIER = r"(?:\d{1,3}多?岁)?(?:办公室|公司|单位|非同住|同住)?"
_KIN_AFTER = re.compile(rf"[)）]?\s*(?:{_NAME}|患者|病人)?(?:[、和及]{_NAME})*\s*{_ASIDE}\s*(?:{_OF}?\s*{_KIN_QUALIFIER}(?P<kin>{_KIN_WORDS})"
                        rf"(?![一-龥]?关系)|之(?P<classical>[子女妻夫父母兄弟姐妹])(?![一-龥]?关系|[女婿媳妹弟]))")
# 案22596的同僚刑事队长(案22638): the kin word belongs to the case numbered right after it
_NUMBERED_AFTER_KIN = re.compile(r"[^的之，,。；;\n(（]{0,6}[(（][ \t]*(?:(?:个案|案|病例|患者)[「]?\d|\d{3,6}[)）、])")
# the text before a bracketed label: …的1岁幼儿( / …的30多岁女性友人(
_KIN_BEFORE_BRACKET = re.compile(rf"(?:的|之)[^的之，,。；;\n]{{0,8}}?(?P<kin>{_KIN_WORDS})[^的之，,。；;\n(（]{{0,6}}[(（][ \t]*$")
_MORE_NAMES = rf"(?:[、和及]{_NAME})*"      # 病例姚某某、牛某某密接人员
_CONTACT_AFTER = re.compile(rf"\s*{_NAME}?{_MORE_NAMES}\s*{_OF}?\s*(?:[^。;；,，]{{0,6}}?{_OF})?(?P<phrase>{_CONTACT})")
_COMPANION_AFTER = re.compile(rf"\s*{_OF}?\s*(?P<phrase>同行人员|同行者|同行人|陪同人员|陪护人员|同事"
                              rf"|所在[^,，。;；]{{0,6}}?(?:居民|住户|人员|员工|同事|学生|学员))")
# before a label: L is the case's kin
_KIN_BEFORE = re.compile(rf"(?:其|与其|和其|及其|携|带)(?P<kin>{_KIN_WORDS})[\s(（]*(?:为|是|系)?\s*$")
_KIN_PAREN_BEFORE = re.compile(rf"(?P<kin>{_KIN_WORDS})\s*[(（]\s*$")
# 与L…: pair, link or same trajectory
# 与L / 与1月10日第28号L / 与吉林市通报L: a date or place qualifier may sit between 与 and L
_WITH_BEFORE = re.compile(r"(?:与|和|同|跟)[^,，。;；与和同跟]{0,14}$")
_PAIRS = r"(?P<pair>夫妻|夫妇|母子|母女|父子|父女|祖孙|兄弟|姐妹|兄妹|姐弟|婆媳|翁婿|妯娌|亲属|亲戚|同事|同学|工友|室友|邻居|朋友)"
_PAIR_AFTER = re.compile(r"\s*(?:为|系|是|属|属于)?\s*" + _PAIRS + r"(?:关系)?")
#: 确诊病例3,男,26岁,确诊病例4,女,51岁。两人为母子关系: the pair the two cases just told make (read by the parser,
#: which knows which two cases those are)
TWO_OF_THEM = re.compile(r"(?:两人|二人|2人|两者|二者)(?:之间)?(?:均)?(?:为|系|是|属)" + _PAIRS + r"(?:关系)?")
# 为L的密切接触者,母子关系: the pair, stated in the next clause
_PAIR_CLAUSE_AFTER = re.compile(r"\s*[,，]\s*(?:二人|两人|双方)?(?:为|系|是)?\s*" + _PAIRS + r"关系")
_LINK_AFTER = re.compile(r"\s*(?P<phrase>同住|共同居住|共同生活|一起居住|一起生活|合租|同一户|同户)"
                         r"|\s*(?:的)?\s*(?:活动|行动|行程)?(?P<same>轨迹(?:基本|大致|完全)?(?:相同|一致|重合)|行程(?:基本|大致|完全)?(?:相同|一致))"
                         r"|\s*(?:在[^,，。;；]{1,20}?)?(?P<other>聚餐|同行|一同|一起|同车|共同就餐|同病房|接触|吃饭|就餐|用餐|"
                         r"见面|打牌|打麻将|喝酒)")
_SAME_BEFORE = re.compile(r"(?:轨迹|行程|活动)(?:同|与|和)\s*$")
_SAME_AFTER = re.compile(r"\s*(?:相同|一致|$|[,，。;；])")
_MET_BEFORE = re.compile(r"(?:与|和|跟)[^,，。;；与和跟为系是]{0,8}$")
_OTHER_BEFORE = re.compile(r"(?:照顾|陪护|陪同|照料|看望|探望)\s*$")

_PAIR_KIND = {"夫妻": "spouse", "夫妇": "spouse", "兄弟": "sibling", "姐妹": "sibling", "兄妹": "sibling",
              "姐弟": "sibling", "婆媳": "in_law", "翁婿": "in_law", "妯娌": "in_law", "亲属": "relative",
              "亲戚": "relative", "同事": "colleague", "工友": "colleague", "同学": "classmate",
              "室友": "cohabitant", "邻居": "other", "朋友": "other"}
# parent word, child word and the sex each side has
_GENERATION_PAIRS = {"母子": ("female", "male"), "母女": ("female", "female"),
                     "父子": ("male", "male"), "父女": ("male", "female"), "祖孙": (None, None)}
_ADULT_AGE = 30


def resolve_pair(pair: str, sex: str | None, age: int | None, other_age: int | None = None) -> str:
    """The kind of a two-sided word (母子, 夫妻) from the case's side: by sex, then by age."""
    if pair in _PAIR_KIND:
        return _PAIR_KIND[pair]
    elder, younger = ("grandparent", "grandchild") if pair == "祖孙" else ("parent", "child")
    parent_sex, child_sex = _GENERATION_PAIRS[pair]
    if sex and parent_sex != child_sex:
        return elder if sex == parent_sex else younger
    if age is not None and other_age is not None and age != other_age:
        return elder if age > other_age else younger
    if age is not None:
        return elder if age >= _ADULT_AGE else younger
    return younger


def find_relations(simplified: str, original: str, start: int, end: int, own: set[str],
                   sex: str | None = None, age: int | None = None, ages: dict[str, int] | None = None,
                   names: set[str] = frozenset(), page_labels: list[Label] | None = None) -> list[Relation]:
    """Relations stated in ``simplified[start:end]`` (a case's text) towards labels not in ``own``,
    and towards the persons the notice names (``names``: 孙某乙 in 与孙某乙为父子关系); ``page_labels`` are
    the labels of the whole text when they have been found (else those of the case's text are)."""
    ages = ages or {}
    relations: list[Relation] = []
    seen: set[tuple[str, str]] = set()
    labels = [lab for lab in labels_within(simplified, original, start, end, page_labels) if lab.text not in own]
    if names:
        labels = sorted(labels + _named(simplified, original, start, end, names, labels), key=lambda lab: lab.span[0])
    for chain in _chains(simplified, labels):
        chain_start, chain_end = chain[0].span[0], chain[-1].span[1]
        before = simplified[max(start, chain_start - 16):chain_start]
        for kind, phrase, span in _chain_kinds(simplified, original, chain_start, chain_end, before, end,
                                               sex, age, chain, ages):
            for label in chain:
                key = (label.text, kind)
                if key in seen:
                    continue
                seen.add(key)
                relations.append(Relation(other=label.text, kind=kind, phrase=phrase, span=span))
    return relations


def _named(simplified: str, original: str, start: int, end: int, names: set[str], labels: list[Label]) -> list[Label]:
    """Where the persons in ``names`` are named in ``simplified[start:end]``, outside the labels found there."""
    return [Label(original[at:at + len(name)], "case", None, (at, at + len(name)))
            for at, name in _occurrences(simplified, start, end, names)
            if not any(lab.span[0] <= at < lab.span[1] for lab in labels)]


def _occurrences(text: str, start: int, end: int, names: set[str]) -> list[tuple[int, str]]:
    """(position, name) of the names written in ``text[start:end]``, left to right, none inside another: at a
    position the longest name there (as a rule of the names, longest first, finds them; found with ``str.find``
    instead of a rule compiled for each case's names, tests/test_scan_less.py)."""
    longest_first = sorted(filter(None, names), key=len, reverse=True)   # (an empty name names no one)
    found = []
    position = start
    while True:
        first = None
        for name in longest_first:
            at = text.find(name, position, end)
            if at >= 0 and (first is None or at < first[0]):
                first = at, name
        if first is None:
            return found
        found.append(first)
        position = first[0] + len(first[1])


def _chains(text: str, labels: list[Label]) -> list[list[Label]]:
    """Labels joined by 、/和/及 (or sharing one grouped match) form one chain."""
    chains: list[list[Label]] = []
    for label in labels:
        if chains:
            last = chains[-1][-1]
            gap = text[last.span[1]:label.span[0]]
            if label.span == last.span or re.fullmatch(r"\s*[、和及与,，]\s*", gap):
                chains[-1].append(label)
                continue
        chains.append([label])
    return chains


def _chain_kinds(text, original, s, e, before, limit, sex, age, chain, ages):
    """(kind, phrase, span) of every rule that fires around the label chain text[s:e]."""
    found = []
    m = _KIN_AFTER.match(text, e, limit)
    if m and not _NUMBERED_AFTER_KIN.match(text, m.end()):
        word = m.group("kin") or _CLASSICAL_KIN[m.group("classical")]
        group = "kin" if m.group("kin") else "classical"
        found.append((KIN[word][0], original[m.start(group) - (group == "classical"):m.end(group)], (s, m.end())))
    m = _CONTACT_AFTER.match(text, e, limit)
    if m and not _MET_BEFORE.search(before):   # 与L的接触者有互动: met a contact of L, not one of L's
        found.append(("close_contact", original[m.start("phrase"):m.end("phrase")], (s, m.end())))
        pair = _PAIR_CLAUSE_AFTER.match(text, m.end(), limit)
        if pair:
            kind = resolve_pair(pair.group("pair"), sex, age, ages.get(chain[0].text))
            found.append((kind, original[pair.start("pair"):pair.end()], (s, pair.end())))
    m = _COMPANION_AFTER.match(text, e, limit)
    if m:
        kind = "colleague" if m.group("phrase").endswith("同事") else "other"
        found.append((kind, original[m.start("phrase"):m.end("phrase")], (s, m.end())))
    for pattern in (_KIN_BEFORE, _KIN_PAREN_BEFORE):
        b = pattern.search(before)
        if b:
            kin_start = s - len(before) + b.start("kin")
            found.append((KIN[b.group("kin")][1], original[kin_start:kin_start + len(b.group("kin"))],
                          (kin_start, e)))
            break
    if _WITH_BEFORE.search(before):
        m = _PAIR_AFTER.match(text, e, limit)
        if m:
            other_age = ages.get(chain[0].text)
            kind = resolve_pair(m.group("pair"), sex, age, other_age)
            found.append((kind, original[m.start("pair"):m.end()], (s, m.end())))
        m = _LINK_AFTER.match(text, e, limit)
        if m:
            if m.group("phrase"):
                found.append(("cohabitant", m.group("phrase"), (s, m.end())))
            elif m.group("same"):
                found.append(("same_trajectory", m.group("same"), (s, m.end())))
            else:
                found.append(("other", m.group("other"), (s, m.end())))
    if _SAME_BEFORE.search(before) and _SAME_AFTER.match(text, e, limit):
        found.append(("same_trajectory", "轨迹相同", (s - 3, e)))
    b = _OTHER_BEFORE.search(before)
    if b:
        found.append(("other", b.group(0).strip(), (s - len(before) + b.start(), e)))
    return found


def kin_before_brackets(simplified: str, original: str, label_start: int,
                        page_labels: list[Label] | None = None) -> list[Relation]:
    """The relation a bracketed label's description states: 梧栖女(案23768)的1岁幼儿(案24793) → the case of
    案24793 is the child of 案23768; [] when the label at ``label_start`` is not so described (``page_labels``:
    as for :func:`find_relations`)."""
    bracket = label_start if simplified[label_start:label_start + 1] in ("(", "（") else label_start - 1
    window = max(0, bracket - 40)
    m = _KIN_BEFORE_BRACKET.search(simplified, window, bracket + 1)
    if m is None:
        return []
    before = [lab for lab in labels_within(simplified, original, window, m.start(), page_labels)
              if simplified[lab.span[1]:m.start()] in ("", ")", "）")]
    if not before:
        return []
    kin = m.group("kin")
    return [Relation(other=before[-1].text, kind=KIN[kin][0], phrase=original[m.start("kin"):m.end("kin")],
                     span=(before[-1].span[0], label_start))]
