"""Who a notice is about: the persons step between finding a notice and reading its cases.

Whatever the page calls its persons, this module alone decides where each one's text starts and ends:

- labelled: one per label that opens a paragraph (病例49, 无症状感染者1号, 案19730, 第一宗个案); grouped
  labels (病例3、4：…) and inline lists (病例1,男,34岁;病例2,女,33岁;…) give one person each, sharing
  the group's text; persons named at a paragraph start among them (郭某明(男,54岁):) are persons too;
- named: 周某某,女,39岁 … / 现将潘某某活动轨迹公布如下, when no label is used;
- unlabelled: raw trajectory text. Blocks separated by blank lines that each hold dated lines
  are one person each; a lead that counts several persons (2名…系一对夫妇 / 两人轨迹相同) gives
  that many persons sharing the trajectory, unless they were not together, in which case the
  places are a shared list.

Places listed for several persons together (相关人员涉及的风险点位如下) are cut out of the persons'
text and returned as shared lists, which the parser reads as ``Notice.unattributed_visits``.

Where a person's number counts (:func:`assign_number_scopes`) is decided here too: for the whole city, for
one day (lists that restart every day, 1月14日第1号确诊病例) or for one district (泰顺县患者二十二).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from casedb.grammar.dates import DateContext, resolve
from casedb.grammar.labels import (
    MENTION, TODAY, Label, day_before, division_names_before, named_paragraphs, person_before_brackets,
)
from casedb.grammar.numbers import NUMBER, parse_number
from casedb.grammar.place_lists import heading_end
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, compile_rule
from casedb.notices import NEW_CASES_SENTENCE, NoticeRegion, lines_of
from casedb.places import locate
from casedb.read import to_simplified
from casedb.records import IN_NOTICE, Case, Notice, SourceText

_DATED_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年)?\d{1,2}\s*月\s*\d{1,2}\s*日")
#: A list item of places: a date then a clock time or a colon (4月11日8时左右,X市场; 8月16日,12时在X卸货;
#: 4月11日：X、Y)
_DATED_ITEM = re.compile(_DATED_LINE.pattern + r"(?:[\s,，]*\d{1,2}\s*[:：时点]|\s*[:：])")
_NAMED_PERSON = re.compile(
    r"(?:^|(?<=[。;；\n,，:：(（]))[ \t]*(?P<name>[一-龥]某[某一-龥]?\d?)[ \t]*[,，(（][ \t]*(?P<sex>男|女)")
#: How far after a label its case's own name may stand (病例3:患者刘某某,…).
_NAME_AFTER_LABEL = 6
_TRAVEL = re.compile(r"乘|前往|返回|抵达|到达|居家|就餐|购物|就诊|上班|入住|步行|驾车|自驾|打车|出发|离开|到[^达]")
#: A person named in prose with the facts of a case: 病例丁某某的活动轨迹 / 现将潘某某活动轨迹公布如下 /
#: 确定该区潘某某为新冠病毒阳性病例
_NAMED_TRAJECTORY = re.compile(r"(?P<name>[一-龥]某[某一-龥]?)(?:的)?(?:主要)?(?:活动|行动|行程)轨迹|"
                               r"(?<![与和及同])(?P<named>[一-龥]某[某一-龥]?)(?:为|系|是)(?:新冠病毒|新冠肺炎|新型冠状病毒)?"
                               r"(?:核酸检测)?(?:阳性病例|确诊病例|无症状感染者|阳性感染者)")
_COUNT = re.compile(rf"(?P<n>{NUMBER})\s*(?:例|名|位)")
_COUNT_PERSONS = re.compile(rf"(?P<n>{NUMBER})\s*人(?![民员次])")
_PARTS = re.compile(r"其中|包括")
_RUNNING_TOTAL = re.compile(r"截至|截止|累计")
#: The persons a lead counts were together: their trajectory is each one's. 该4例…游客于… makes the
#: group the subject of the trajectory; a tour group travels together.
_TOGETHER = re.compile(r"轨迹相同|行程相同|轨迹一致|行程一致|一同|一起|同行|同车|夫妇|夫妻|一家|结伴|两人同|二人同|"
                       r"旅行团|旅游团")
#: 该4例核酸检测阳性游客于10月18日…: the trajectory's subject is the group, and counts it.
_GROUP_SUBJECT = re.compile(rf"(?:该|这|上述)\s*(?P<n>{NUMBER})\s*(?:例|名|位|人)")

_MONTH_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")

_INLINE_MEMBER_MAX = 40
#: An inline list member's text opens with a separator or a bracket (病例1,男 / 朱某某1:女 / 病例2(张某))
_MEMBER_HEAD = re.compile(r"[ \t]*(?:[,，:：;；(（]|$)")

@dataclass
class Segment:
    """The text of one person (or of a group sharing facts) inside a notice."""

    labels: list[Label | None]   # one entry per person; None for an unlabelled person
    names: list[str | None]
    start: int                   # of the segment (label included)
    head_start: int              # after the label: where demographics start
    end: int
    heads: list[tuple[int, int]] | None = None   # per person, where their own demographics are

    def person_heads(self) -> list[tuple[int, int]]:
        return self.heads or [(self.head_start, self.end)] * len(self.labels)

def find_persons(source: SourceText, region: NoticeRegion) -> tuple[list[Segment], list[tuple[int, int]]]:
    """The persons of a notice as text segments, and the (start, end) spans of places listed for several."""
    if region.case_starts and region.case_starts[0].series == MENTION:
        segments, shared = _mentioned_segments(source, region), []
    elif region.case_starts:
        segments = _labelled_segments(source, region)
        shared = _split_shared_lists(source.simplified, segments) if len(region.case_starts) >= 2 else []
    else:
        named = _named_segments(source, region)
        segments, shared = (named, []) if named else _unlabelled_segments(source, region)
    for segment in segments:
        _end_before_a_contacts_trajectory(source.simplified, segment)
    return segments, shared


#: 该病例母亲为密切接触者,其活动轨迹为: the trajectory of someone who is no case (a contact) follows
_CONTACTS_TRAJECTORY = compile_rule(r"(?:其|该病例的?|该患者的?)?(?:母亲|父亲|妻子|丈夫|儿子|女儿|爷爷|奶奶|外公|外婆|姐姐|妹妹|"
                                  r"哥哥|弟弟|家人|家属|同事|朋友|室友|司机|同行人员?)为(?:其)?(?:密切接触者|密接者?|次密切接触者|次密接)[,，]?"
                                  r"(?:其|该人员|该密接者?)?的?(?:主要)?(?:活动|行动|行程)?轨迹(?:为|如下|[:：])")
#: what every match of the rule above holds (为密接, 为其密切接触者), as a rule the regex engine skips through: a text
#: without it is not scanned with the rule (tried at every kin word's first character)
_CONTACT_STATED = re.compile(r"为其?次?密")


def _end_before_a_contacts_trajectory(simplified: str, segment: Segment) -> None:
    """A person's text ends where the page turns to the trajectory of a contact who is no case."""
    if _CONTACT_STATED.search(simplified, segment.head_start, segment.end) is None:   # as in most
        return
    for m in _CONTACTS_TRAJECTORY.finditer(simplified, segment.head_start, segment.end):
        sentence_start = after_last_of(SENTENCE_ENDS, simplified, segment.head_start, m.start() + 1)
        if sentence_start > segment.head_start:
            segment.end = sentence_start
            return


def _mentioned_segments(source: SourceText, region: NoticeRegion) -> list[Segment]:
    """Persons described without labels (一名25岁男子、一名64岁女子…该名25岁男子于3月1日到…): one per
    age and sex; each person's text starts at the mention that opens their own paragraph (the last one,
    after a list of them all), and the persons come in the order the page first names them."""
    last: dict[str, Label] = {}
    first: dict[str, int] = {}
    for label in region.case_starts:
        last[label.text] = label
        first.setdefault(label.text, label.span[0])
    starts = sorted(last.values(), key=lambda lab: lab.span[0])
    segments = []
    for i, label in enumerate(starts):
        end = starts[i + 1].span[0] if i + 1 < len(starts) else region.end
        segments.append(Segment([label], [None], label.span[0], label.span[0], end))
    return sorted(segments, key=lambda seg: first[seg.labels[0].text])


def _labelled_segments(source: SourceText, region: NoticeRegion) -> list[Segment]:
    """One segment per label that opens a case, and per person named at a paragraph start among them
    (病例1:…⏎郭某明(男,54岁):…): the notice's persons, whatever the page calls them."""
    simplified = source.simplified
    groups: list[list[Label]] = []
    for label in region.case_starts:
        if groups and groups[-1][0].span == label.span:
            groups[-1].append(label)
        else:
            groups.append([label])
    # (start, head start, labels, names) per person or group
    starts = [(g[0].span[0], g[0].span[1], list(g), [None] * len(g)) for g in groups]
    label_ends = [g[0].span[1] for g in groups]
    label_starts = {g[0].span[0] for g in groups}
    for m in named_paragraphs(simplified, region.start, region.end):
        if m.start("name") in label_starts or any(0 <= m.start("name") - end <= _NAME_AFTER_LABEL for end in label_ends):
            continue  # 病例6:患者赵某某,男,47岁 — the labelled case's own name
        name = source.text[m.start("name"):m.end("name")]
        starts.append((m.start("name"), m.end("name"), [None], [name]))
    starts.sort(key=lambda start: start[0])
    segments = []
    for i, (start, head_start, labels, names) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else region.end
        segments.append(Segment(labels, names, start, head_start, end))
    return _merge_inline_lists(simplified, segments)


def _split_shared_lists(text: str, segments: list[Segment]) -> list[tuple[int, int]]:
    """Cut places listed for several cases together out of the case paragraph they follow.

    Returns the (start, end) spans of the shared lists; the segments end before them.
    """
    shared = []
    for segment in segments:
        heading = heading_end(text, segment.head_start, segment.end, after_last_case=segment is segments[-1])
        if heading and heading[0] > segment.head_start:
            shared.append((heading[1], segment.end))
            segment.end = heading[0]
    return shared


def _merge_inline_lists(text: str, segments: list[Segment]) -> list[Segment]:
    """病例1,男,34岁;病例2,女,33岁;病例3,男,7岁,… (or 朱某某1,女,38岁;朱某某2,…): short members on
    one line share the last one's text; not persons told in prose (案22688是司机、案22689和案22690是夫妻档 /
    1岁幼儿(案24793)及其…)."""
    merged: list[Segment] = []
    pending: list[Segment] = []
    for segment in segments:
        short = (segment.end - segment.start <= _INLINE_MEMBER_MAX and "\n" not in text[segment.start:segment.end]
                 and not _MONTH_DAY.search(text, segment.head_start, segment.end)
                 and _MEMBER_HEAD.match(text, segment.head_start) is not None
                 and not any(label and person_before_brackets(text, label) for label in segment.labels))
        if short:
            pending.append(segment)
            continue
        if pending and "\n" not in text[pending[0].start:segment.start]:
            members = pending + [segment]
            labels = [lab for m in members for lab in m.labels]
            names = [name for m in members for name in m.names]
            heads = [(m.head_start, m.end) for m in members for _ in m.labels]
            merged.append(Segment(labels, names, pending[0].start, segment.head_start, segment.end, heads))
        else:
            merged.extend(pending)
            merged.append(segment)
        pending = []
    merged.extend(pending)
    return merged


def _named_segments(source: SourceText, region: NoticeRegion) -> list[Segment]:
    """周某某,女,39岁… paragraphs of persons named instead of numbered."""
    found = [m for pattern in (_NAMED_PERSON, _NAMED_TRAJECTORY)
             for m in pattern.finditer(source.simplified, region.start, region.end)]
    starts, names = [], set()
    for m in sorted(found, key=_name_start):
        if _name(m) not in names:
            names.add(_name(m))
            starts.append(m)
    segments = []
    for i, m in enumerate(starts):
        end = _name_start(starts[i + 1]) if i + 1 < len(starts) else region.end
        group = "name" if m.group("name") else "named"
        name = source.text[m.start(group):m.end(group)]
        segments.append(Segment([None], [name], m.start(group), m.end(group), end))
    return _merge_inline_lists(source.simplified, segments)


def _name(m: re.Match) -> str:
    return m.group("name") or m.group("named")


def _name_start(m: re.Match) -> int:
    return m.start("name") if m.group("name") else m.start("named")


def _unlabelled_segments(source: SourceText, region: NoticeRegion) -> tuple[list[Segment], list[tuple[int, int]]]:
    """Raw trajectory text: one person per blank-line block of dated lines, else the persons the lead
    counts sharing it — or, when they were not together, a shared list of places."""
    simplified = source.simplified
    blocks = _person_blocks(simplified, region)
    if len(blocks) >= 2:
        return [Segment([None], [None], s, s, e) for s, e in blocks], []
    first_dated = first_dated_line(simplified, region)
    lead_end = first_dated or region.end
    persons, together = _persons_in_lead(simplified[max(0, region.start - 800):lead_end])
    trajectory_start = first_dated or region.start
    if persons >= 2 and not together:
        return [], [(trajectory_start, region.end)]
    segment = Segment([None] * max(persons, 1), [None] * max(persons, 1), region.start, region.start, region.end)
    return [segment], []


def first_dated_line(simplified: str, region: NoticeRegion) -> int | None:
    """Start of the trajectory proper: the first line that opens with a date and tells a move, a
    dated list item (4月11日8时左右,X市场) or a bare date heading (11月22日) — not a dated
    announcement (11月23日,胶州市报告1例…)."""
    for line in lines_of(simplified):
        if not (region.start <= line.start < region.end) or not _DATED_LINE.match(line.text):
            continue
        if NEW_CASES_SENTENCE.match(line.text):
            continue
        if _TRAVEL.search(line.text) or _DATED_ITEM.match(line.text) or len(line.stripped) <= 14:
            return line.start
    return None


def _person_blocks(text: str, region: NoticeRegion) -> list[tuple[int, int]]:
    """Blank-line separated blocks that each hold at least two dated lines (one person each)."""
    blocks, current = [], []
    for line in lines_of(text):
        if not (region.start <= line.start < region.end):
            continue
        if line.stripped:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    persons = [b for b in blocks if sum(1 for ln in b if _DATED_LINE.match(ln.text)) >= 2]
    if len(persons) < 2 or len(persons) != len([b for b in blocks if len(b) >= 2]):
        return []
    return [(b[0].start, b[-1].end) for b in persons]


def _persons_in_lead(lead: str) -> tuple[int, bool]:
    """(number of persons the lead announces, whether it says they were together).

    The announcing sentence nearest the trajectory counts (新增1例确诊病例、3例无症状感染者 → 4), not a
    running total (截至目前,累计…8例).
    """
    subject = _GROUP_SUBJECT.search(lead)
    if subject and 1 < (parse_number(subject.group("n")) or 0) < 50:
        return parse_number(subject.group("n")), True
    announced = 1
    for sentence in NEW_CASES_SENTENCE.finditer(lead):
        if _RUNNING_TOTAL.search(sentence.group(0)):
            continue   # 截至目前,我市共发现8例…: earlier persons too
        # 新增5例感染者,其中3名为…,另2名为…: the parts after 其中 count the same persons again
        announcing = _PARTS.split(sentence.group(0), 1)[0]
        counts = [parse_number(m.group("n")) or 0 for m in _COUNT.finditer(announcing)]
        if not counts:
            counts = [parse_number(m.group("n")) or 0 for m in _COUNT_PERSONS.finditer(announcing)]
        counts = [c for c in counts if 0 < c < 50]
        if counts:
            announced = sum(counts)
    return announced, bool(_TOGETHER.search(lead))


# --- where a number counts ------------------------------------------------------------------------

#: The notice's new cases of the day (…新增…确诊病例54例) and the city's total (累计报告…114例).
_NEW_COUNT = re.compile(r"新增[^。;；\n\d]{0,30}?(?P<n>\d{1,5})[ \t]*例")
_TOTAL_COUNT = re.compile(r"累计[^。;；\n\d]{0,30}?(?P<n>\d{1,5})[ \t]*例")


def assign_number_scopes(source: SourceText, region: NoticeRegion, notice: Notice, ctx: DateContext,
                         day: dt.date | None) -> None:
    """Set where each case's number counts (``Case.number_scope``) and where each relation's other case's
    does (``Relation.other_scope``); ``day`` is the notice's own (published, else the day its lead reports).

    A case's number counts for the day a label names (1月14日第1号确诊病例, 今日第6号), else for the district
    written before it (泰顺县患者二十二), else for the notice's day when the notice lists the day's new cases
    from 1 and the city's total is larger (2020年1月28日…新增…54例, 累计…114例: 患者一…患者五十四 restart every
    day), else for the whole city (""). A relation's other case counts where the text before its label says,
    else where the notice's case of that label counts, else where its owner's number does.
    """
    simplified = source.simplified
    own_day = _day_scope(day)
    first_case = min((case.span[0] for case in notice.cases if case.span), default=region.lead_start)
    daily = _lists_the_days_cases(simplified[region.lead_start:first_case], notice.cases)
    for case in notice.cases:
        written = (_written_scope(simplified, case.span[0], notice.city, ctx, own_day)
                   if case.label and case.span else None)
        case.number_scope = written if written is not None else own_day if daily else ""
    scope_of_label = {case.label: case.number_scope for case in notice.cases if case.label}
    for case in notice.cases:
        for relation in case.relations:
            at = _label_at(simplified, relation.other, relation.span)
            written = _written_scope(simplified, at, notice.city, ctx, own_day) if at is not None else None
            relation.other_scope = (written if written is not None
                                    else scope_of_label.get(relation.other, case.number_scope))


def _day_scope(day: dt.date | None) -> str:
    return f"day:{day.isoformat()}" if day else IN_NOTICE


def _lists_the_days_cases(lead: str, cases: list[Case]) -> bool:
    """Whether the cases are the day's new ones numbered from 1 (in each series) while the city's total (the
    first one the lead gives) is larger."""
    numbers: dict[str, list[int]] = {}
    for case in cases:
        if case.number is not None:
            numbers.setdefault(case.series, []).append(case.number)
    if not numbers or any(min(listed) != 1 for listed in numbers.values()):
        return False
    listed = max(max(listed) for listed in numbers.values())
    total = _TOTAL_COUNT.search(lead)
    return (total is not None and int(total.group("n")) > listed
            and any(int(m.group("n")) == listed for m in _NEW_COUNT.finditer(lead)))


def _label_at(simplified: str, label: str, span) -> int | None:
    """Where a relation's other label is written in its span."""
    if span is None:
        return None
    at = simplified.find(to_simplified(label), span[0], span[1])
    return at if at >= 0 else None


def _written_scope(simplified: str, label_start: int, city: str | None, ctx: DateContext, own_day: str) -> str | None:
    """The scope the text right before a label gives its number: a day, a district; None when it gives none."""
    named = day_before(simplified, label_start)
    if named == TODAY:
        return own_day
    if named is not None:
        return _day_scope(resolve(*named, ctx))
    for name in division_names_before(simplified, label_start):
        division = locate(name, city)
        if division is not None and division.district == name and (city is None or division.city == city):
            return f"district:{name}"
    return None
