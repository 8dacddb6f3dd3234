"""SourceText → Notice records: read each notice's persons (:mod:`casedb.persons`) as cases.

For every notice region (:mod:`casedb.notices`) and each person segment in it, the case's label,
demographics, dates, relations and trajectory are read; facts a notice's lead states for all its
cases (category, positive date) and links stated for a group are added after.
"""
from __future__ import annotations

import datetime as dt
import gc
import re
from dataclasses import dataclass

from casedb import limits
from casedb.grammar import demographics
from casedb.grammar.clinical import find_onset
from casedb.grammar.dates import MAYBE_DATE, DateContext, find_dates, first_date_start, in_window
from casedb.grammar.discovery import find_discovery
from casedb.grammar.exposure import find_exposure
from casedb.grammar.hospital import find_hospital
from casedb.grammar.labels import MENTION, Label, labels_within, person_before_brackets
from casedb.grammar.numbers import NUMBER, parse_number
from casedb.grammar.place_lists import read_place_list
from casedb.grammar.relations import TWO_OF_THEM, find_relations, kin_before_brackets, resolve_pair
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, save_compiled_rules
from casedb.grammar.trajectory import Trajectory, read_trajectory, within_window
from casedb.notices import NEW_CASES_SENTENCE, NoticeRegion, context_for, find_notices
from casedb.persons import Segment, assign_number_scopes, find_persons, first_dated_line
from casedb.read import to_simplified
from casedb.records import Case, Notice, Relation, SourceText, Visit

# a positive nucleic-acid result (初筛阳性 counts, 核酸检测确诊 too); an antigen test (抗原…阳性) does not
# (each word of the test its own alternative, so that the regex engine skips to the words' first characters; the
# same matches as ``(?:核酸|检测|…|检出)[^。;；阴抗]{0,14}?…``, tests/test_scan_less.py)
_POSITIVE = re.compile("|".join([rf"{word}[^。;；阴抗]{{0,14}}?(?:弱)?阳性(?![感者病人员样])"
                                 for word in ("核酸", "检测", "结果", "初筛", "复核", "复检", "筛查", "采样", "检出")]
                                + [r"核酸(?:检测|复核|复检)?(?:结果)?确诊"]))
# in a lead, "初筛发现4例…核酸检测阳性病例" dates the positives of all the cases below
_LEAD_POSITIVE = re.compile(r"(?:核酸|检测|结果|初筛|复核|复检|筛查|检出)[^。;；阴抗]{0,14}?(?:弱)?阳性|"
                            r"核酸检测中[^。;；阴]{0,8}?(?:发现|检出)")   # 在例行核酸检测中,发现1例…
#: an isolation (集中隔离, 隔离医学观察, 医学隔离观察, 隔离观察, 居家隔离, 隔离管控), found from its 隔离: a rule led by a
#: word the regex engine skips through fastest. Each match ends where the one of the rule that starts with those words
#: ends, in the same sentence (all that :func:`_dated_event` reads of it; tests/test_scan_less.py)
_ISOLATION = re.compile(r"隔离(?:(?<=集中隔离)|(?<=居家隔离)|医学观察|观察|管控)")
_SENTENCE_END = re.compile(r"[。；;\n]")
_HEAD_LEAD = re.compile(r"[ \t\n:：,，]*(?:[(（][^)）\n]{0,10}[)）][ \t\n:：,，]*)?")
_GROUP_LINK = {"一家": "relative", "家人": "relative", "家庭成员": "relative", "亲属": "relative", "夫妻": "spouse",
               "夫妇": "spouse", "同事": "colleague", "同住": "cohabitant", "同学": "classmate", "朋友": "other",
               "同一": "other",   # 同一航班 / 同一车次: travelled together
               "姐弟": "sibling", "兄弟": "sibling", "姐妹": "sibling", "兄妹": "sibling"}
_GROUP_LINK_WORD = re.compile(r"(?:系|为|是|均为|均系|乘坐)?(?:一对)?(?P<word>一家[三四五六七八九两\d]?口?人?|家人|家庭成员|夫妻|夫妇|同事|同住|同学|"
                              r"同一(?:航班|车次|班次|趟列车|列车|车厢)|(?<=[为是系两二三四五六])(?:姐弟|兄弟|姐妹|兄妹))"
                              r"(?:关系)?")
#: A lead that states a link for all the notice's persons, counted: (三人同住) / 这3例确诊病例为朋友关系
#: (a family, 一家四口, is told case by case: 为病例1丈夫)
_COUNTED_GROUP = re.compile(rf"(?P<n>{NUMBER})\s*(?:人|例|名)[^。;；\n\d一二三四五六七八九十两]{{0,12}}?(?:均为|均系|为|系|是)?"
                            r"(?:一对)?(?P<word>夫妻|夫妇|同事|同住|同学|朋友)(?:关系)?")
#: The name a labelled case's head gives right after the label (确诊病例1:宋某某,女…).
_OWN_NAME = re.compile(r"[ \t]*[:：,，]?[ \t]*(?:患者)?(?P<name>[一-龥]某[某一-龥]?)(?=[ \t]*[,，(（:：])")
_DAY_ONLY_WINDOW = dt.timedelta(days=29)
_HEAD_MAX = 300


#: Young objects Python's cyclic garbage collector lets pile up before a pass (its default: 700). A parse makes
#: many short-lived tuples and few reference cycles, and at the default the collector's passes over the
#: grammar's caches took 7 % of a long run (0.56 of 7.55 s of CPU on the 10,000-case benchmark corpus); at
#: 10,000 its 19 passes still took 0.09-0.10 s of a 4.6 s parse of that corpus, at 50,000 three passes 0.016-0.022 s.
YOUNG_OBJECTS_PER_COLLECTION = 50_000


def prepare_for_many_documents() -> None:
    """Set up this process (a parse worker) to parse many documents: what the parser's import made is frozen
    out of the collector's passes (:func:`gc.freeze`), and young objects are collected less often."""
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, older, oldest)


def parse_source(source: SourceText) -> list[Notice]:
    """Every notice in ``source`` with its cases, relations and visits.

    Raises :class:`casedb.limits.LimitExceeded` for a notice beyond the limits, before parsing any case.
    """
    regions = find_notices(source)
    for number, region in enumerate(regions, 1):
        limits.check_notice(number, region.start, region.end, len(region.case_starts))
    return [parse_notice(source, region) for region in regions]


def parse_notice(source: SourceText, region: NoticeRegion) -> Notice:
    ctx = context_for(region, source.simplified)
    notice = Notice(title=region.title, number=region.number, issuer=region.issuer, city=region.city,
                    published=region.published, year_in_text=region.year_in_text,
                    span=(region.start, region.end))
    segments, shared = find_persons(source, region)
    for start, end in shared:
        notice.unattributed_visits.extend(read_place_list(source.text[start:end], ctx, start))
    lead = _Lead.of(source, region, segments, ctx)
    if ctx.current is None and lead.latest_date is not None:
        # day-only dates (25日) in the cases fall in the 30 days up to the lead's date
        ctx = ctx.from_day(lead.latest_date - _DAY_ONLY_WINDOW)
    # the persons a notice names (郭某明, 孙某乙): relations may point at them as at labels
    names = {to_simplified(n) for segment in segments for n in segment.names if n}
    names |= {lab.text for segment in segments for lab in segment.labels if lab and "某" in lab.text}
    # 确诊病例1:宋某某,女,74岁 … 许某某(宋某某的孙子): a labelled case named in its head
    label_of_name = _labels_by_name(source.simplified, segments)
    names |= set(label_of_name)
    names_of_label: dict[str, set[str]] = {}
    for name, label in label_of_name.items():
        names_of_label.setdefault(label, set()).add(name)
    for segment in segments:
        notice.cases.extend(_cases_of(source, segment, ctx, lead, names - _own_names(segment, names_of_label),
                                      region.page_labels))
    _fill_how_found_from_lead(source, lead, notice.cases)
    for case in notice.cases:
        for relation in case.relations:
            relation.other = label_of_name.get(to_simplified(relation.other), relation.other)
    by_segment = _cases_by_segment(segments, notice)
    _link_groups(source, by_segment)
    _link_pairs_told_after(source, by_segment)
    _link_lead_groups(source, region.lead_start, lead.end, notice, region.page_labels)
    _link_counted_group(source, region.lead_start, lead.end, notice)
    if len(notice.cases) == 1:
        only = notice.cases[0]
        _fill_from_lead(source, min(region.lead_start, lead.start), lead.end, only)
        if lead.end > lead.start:
            _add_relations(only, find_relations(source.simplified, source.text, lead.start, lead.end,
                                                {only.label or ""}, only.sex, page_labels=region.page_labels))
            only.sex = only.sex or demographics.find_kin_sex(source.simplified[lead.start:lead.end])
    notice.cases = _merge_repeated_labels(notice.cases)
    _mirror_symmetric_relations(notice.cases)
    if notice.published is not None and _writes_a_later_day(notice):
        notice.published = None   # misread (a travel line, a trip date): a notice tells no later day in full
    assign_number_scopes(source, region, notice, ctx, notice.published or lead.latest_date)
    if notice.published is not None:
        _keep_dates_in_window(notice, notice.published)
    return notice


def _writes_a_later_day(notice: Notice) -> bool:
    """Whether a case's day that the text writes with its year falls after the notice's published date."""
    visits = [v for case in notice.cases for v in case.visits] + notice.unattributed_visits
    return (any(not v.year_inferred and v.date is not None and v.date > notice.published for v in visits)
            or any(not case.year_inferred and day is not None and day > notice.published for case in notice.cases
                   for day in (case.positive_date, case.isolation_date, case.onset_date)))


def _keep_dates_in_window(notice: Notice, published: dt.date) -> None:
    """No date after the notice's, nor, unless the text writes its year, more than 60 days before it
    (:func:`casedb.grammar.dates.window`): a visit out of it keeps its place without a date, a stay is cut
    to it (:func:`~casedb.grammar.trajectory.within_window`), a positive, isolation or onset date is emptied."""
    notice.unattributed_visits = within_window(notice.unattributed_visits, published)
    for case in notice.cases:
        case.visits = within_window(case.visits, published)
        for name in ("positive_date", "isolation_date", "onset_date"):
            day = getattr(case, name)
            if day is not None and not in_window(day, published, not case.year_inferred):
                setattr(case, name, None)


@dataclass
class _Lead:
    """The notice text before its first case: facts it states for all the cases below."""

    start: int
    end: int
    category: str | None
    positive_date: dt.date | None
    latest_date: dt.date | None     # the latest day the lead names (its report date)
    year_written_days: frozenset[dt.date]   # the days it names with their year

    @classmethod
    def of(cls, source: SourceText, region: NoticeRegion, segments: list[Segment], ctx: DateContext) -> _Lead:
        end = segments[0].start if segments else region.start
        if segments and segments[0].labels[0] is None and segments[0].names[0] is None:
            end = first_dated_line(source.simplified, region) or end
        start = region.start if region.start < end else end
        text = source.simplified[start:end]
        title = to_simplified(region.title or "")
        announced = source.simplified[min(region.lead_start, start):end]
        category = (_stated_category(title) or _stated_category(announced)
                    or _default_category(source.simplified[region.start:region.end]))
        lead_dates = find_dates(announced, ctx)
        # (the dates of a lead are read only where it states a positive result, once when it is all announced)
        positive = (_dated_event(text, _spans(lead_dates if announced == text else find_dates(text, ctx)), _LEAD_POSITIVE)
                    if _LEAD_POSITIVE.search(text) else None)
        if positive is None:   # a statistics sentence above the title: 2月27日…新增核酸阳性病例2例
            announcements = "。".join(m.group(0) for m in NEW_CASES_SENTENCE.finditer(announced))
            positive = (_dated_event(announcements, _spans(find_dates(announcements, ctx)), _LEAD_POSITIVE)
                        if _LEAD_POSITIVE.search(announcements) else None)
        latest = max((d.last for d in lead_dates), default=None)
        return cls(start, end, category, positive, latest, frozenset(d.last for d in lead_dates if d.year_written))


#: The sex a person mention (series MENTION, text 25岁男) gives.
_MENTION_SEX = {"男": "male", "女": "female"}
_AGED_SENTENCE = re.compile(r"[^。;；\n]*?\d{1,3}岁[^。;；\n]*")
#: What every :data:`_AGED_SENTENCE` holds: its sentence is the one of the first of these (tried from every character
#: of a sentence without one, the rule read the rest of the sentence from each).
_AGE_WRITTEN = re.compile(r"\d岁")


def _fill_from_lead(source: SourceText, start: int, end: int, case: Case) -> None:
    """The one person of a news item is described in the lead (该人员为外省来某人员,男,34岁,现住…):
    sex, age and residence the case's own text lacks come from the lead's sentence that gives an age."""
    m = _aged_sentence(source.simplified, start, end)
    if m is None:
        return
    sentence = m.group(0)
    case.sex = case.sex or demographics.find_sex(sentence)
    case.age = case.age if case.age is not None else demographics.find_age(sentence)
    residence = demographics.find_residence(sentence)
    if case.residence is None and residence:
        case.residence = source.text[m.start() + residence[0]:m.start() + residence[1]].strip()


def _aged_sentence(text: str, start: int, end: int) -> re.Match | None:
    """:data:`_AGED_SENTENCE`'s first match in ``text[start:end]``, looked for from the sentence of its first age."""
    age = _AGE_WRITTEN.search(text, start, end)
    if age is None:
        return None
    return _AGED_SENTENCE.search(text, max(start, after_last_of(SENTENCE_ENDS, text, start, age.start())), end)


def _stated_category(text: str) -> str | None:
    """The one kind of case a lead or title announces (新增3例确诊病例), None if it names both or neither."""
    confirmed = re.search(r"确诊|轻型|普通型", text) is not None
    asymptomatic = "无症状" in text
    if confirmed != asymptomatic:
        return "confirmed" if confirmed else "asymptomatic"
    return None


def _default_category(notice_text: str) -> str | None:
    """病例/患者 in a notice that never speaks of asymptomatic infections are confirmed cases."""
    if "无症状" in notice_text or "初筛" in notice_text or not re.search(r"病例|患者", notice_text):
        return None
    return "confirmed"


def _add_relations(case: Case, relations: list[Relation]) -> None:
    for relation in relations:
        if not any(r.other == relation.other and r.kind == relation.kind for r in case.relations):
            case.relations.append(relation)


def _merge_repeated_labels(cases: list[Case]) -> list[Case]:
    """A label that opens a second paragraph in the same notice (info, then 活动轨迹) is the same case.

    A label without number or name (病例⏎男,… four times in a repost that lost the numbers) names a
    new person each time."""
    kept: list[Case] = []
    by_label: dict[str, Case] = {}
    for case in cases:
        identifies = case.label and (case.number is not None or "某" in case.label)
        first = by_label.get(case.label) if identifies else None
        if first is None:
            kept.append(case)
            if case.label:
                by_label[case.label] = case
            continue
        for name in ("sex", "age", "category", "occupation", "residence", "isolation_date", "positive_date",
                     "onset_date", "symptoms", "diagnosis", "exposure", "exposure_origin", "exposure_date",
                     "discovery", "discovery_phrase", "hospital"):
            if getattr(first, name) is None:
                setattr(first, name, getattr(case, name))
        seen = {_visit_said(visit) for visit in first.visits}   # a page that repeats a paragraph: once
        first.visits.extend(visit for visit in case.visits if _visit_said(visit) not in seen)
        _add_relations(first, case.relations)
    return kept


def _visit_said(visit: Visit) -> tuple:
    """What a visit says, without where it was read."""
    return (visit.kind, visit.date, visit.end_date, visit.start, visit.end, visit.part_of_day, visit.place,
            visit.activity, visit.vehicle)


_SYMMETRIC_PHRASE = re.compile(r"同住|共同居住|共同生活|一起居住|一起生活|合租|同户|同事|工友|同学|室友|关系|夫妻|夫妇|兄弟|姐妹|兄妹|姐弟")
_INVERSE = {"parent": "child", "child": "parent", "grandparent": "grandchild", "grandchild": "grandparent"}


def _mirror_symmetric_relations(cases: list[Case]) -> None:
    """病例1 与个案2同住 → 个案2 同住 病例1 too (symmetric statements go on each case)."""
    by_label = {c.label: c for c in cases if c.label}
    for case in cases:
        for relation in list(case.relations):
            other = by_label.get(relation.other)
            if other is None or other is case or not case.label or not _SYMMETRIC_PHRASE.search(relation.phrase or ""):
                continue
            kind = _INVERSE.get(relation.kind, relation.kind)
            _add_relations(other, [Relation(case.label, kind, relation.phrase, relation.span)])


# --- one case ------------------------------------------------------------------------------------

def _cases_of(source: SourceText, segment: Segment, ctx: DateContext, lead: _Lead, names: set[str],
              page_labels: list[Label] | None) -> list[Case]:
    simplified, text = source.simplified, source.text
    body = simplified[segment.head_start:segment.end]
    trajectory_offset = _trajectory_offset(body, _first_date_at(body, ctx))
    trajectory_start = segment.head_start + trajectory_offset
    visits_text = text[trajectory_start:segment.end]
    heads = segment.person_heads()
    own_labels = {lab.text for lab in segment.labels if lab is not None}
    category, diagnosis = demographics.find_category_and_diagnosis(body, text[segment.head_start:segment.end])
    trajectories: dict[str | None, Trajectory] = {}   # per school: the members of a group share their text
    events = None   # positive, isolation and onset: one body, read once for all its persons
    cases = []
    for label, name, (head_start, head_end) in zip(segment.labels, segment.names, heads):
        head, two_sentences = _heads(simplified, head_start, head_end)
        sex, age = demographics.find_sex(head), demographics.find_age(head)
        if sex is None and age is None:
            # a lead sentence first (第二例:1月24日,我市新增1例确诊病例。患者男,武汉人): the next describes the case
            head = two_sentences
            sex, age = demographics.find_sex(head), demographics.find_age(head)
        # 一名26岁男病人(个案编号:11123): the person is described before the number
        described = person_before_brackets(simplified, label) if label is not None else ""
        if described:
            sex = demographics.find_sex(described) or sex
            described_age = demographics.find_age(described)
            age = age if described_age is None else described_age
        named = label is not None and label.series != MENTION
        case = Case(label=label.text if named else name, series=label.series if named else None,
                    number=label.number if label else None, span=(segment.start, segment.end))
        case.sex = (sex or (demographics.find_spouse_sex(body) if len(heads) == 1 else None)
                    or (_MENTION_SEX[label.text[-1]] if label and not named else None))
        case.age = age
        case.category = (category or demographics.category_of_label(simplified[label.span[0]:label.span[1]]
                                                                   if label else None) or lead.category)
        case.diagnosis = diagnosis
        residence = demographics.find_residence(head) or (
            demographics.find_residence(two_sentences) if head is not two_sentences else None)
        if residence:
            case.residence = text[head_start + residence[0]:head_start + residence[1]].strip()
        own = own_labels | ({to_simplified(name)} if name else set())
        case.relations = find_relations(simplified, text, segment.head_start, segment.end, own,
                                        case.sex, case.age, names=names - own, page_labels=page_labels)
        if described:   # 梧栖女(案23768)的1岁幼儿(案24793): the description is a relation
            _add_relations(case, kin_before_brackets(simplified, text, label.span[0], page_labels))
        school = demographics.find_school(two_sentences)
        if school not in trajectories:
            trajectories[school] = read_trajectory(visits_text, ctx, trajectory_start, school=school,
                                                   simplified=simplified[trajectory_start:segment.end],
                                                   dates_at=trajectory_offset)
        trajectory = trajectories[school]
        case.visits = list(trajectory.visits)
        if events is None:   # the body's dates as the trajectory read them (the head before it has none)
            dates = trajectory.dates
            events = (_dated_event(body, dates, _POSITIVE) or lead.positive_date,
                      _dated_event(body, dates, _ISOLATION),
                      find_onset(body, dates, ctx) if len(heads) == 1 else (None, None))
            stated = _stated_course(text, segment.head_start, body, dates, alone=len(heads) == 1)
        case.positive_date, case.isolation_date, (case.onset_date, case.symptoms) = events
        (case.exposure, case.exposure_origin, case.exposure_date, case.discovery, case.discovery_phrase,
         case.hospital) = stated
        case.year_inferred = any(day not in trajectory.year_written_days | lead.year_written_days
                                 for day in (case.positive_date, case.isolation_date, case.onset_date) if day)
        case.occupation = demographics.find_occupation(head) or (demographics.find_occupation(described) if described else None)
        cases.append(case)
    return cases


def _stated_course(text: str, offset: int, body: str, dates: list[tuple[int, int, dt.date]], alone: bool) -> tuple:
    """(exposure, its origin, its date, discovery kind, its phrase, hospital) as a case body (at ``offset`` in
    ``text``) writes them; the exposure only for a body of one person (a group's is told member by member)."""
    exposure = find_exposure(body, dates) if alone else None
    discovery = find_discovery(body)
    hospital = find_hospital(body)
    written = lambda span: text[offset + span[0]:offset + span[1]] if span else None   # noqa: E731
    return (written(exposure and (exposure.start, exposure.end)), exposure and exposure.origin,
            exposure and exposure.date, discovery and discovery.kind,
            written(discovery and (discovery.start, discovery.end)), written(hospital))


def _fill_how_found_from_lead(source: SourceText, lead: _Lead, cases: list[Case]) -> None:
    """How the cases were found (在重点人群核酸检测时发现) and where they were taken (均已转运至地坛医院), as the
    notice's lead states it for all its cases, for the cases that do not state their own."""
    text = source.simplified[lead.start:lead.end]
    discovery, hospital = find_discovery(text), find_hospital(text)
    for case in cases:
        if discovery and discovery.stated and case.discovery is None:
            case.discovery = discovery.kind
            case.discovery_phrase = source.text[lead.start + discovery.start:lead.start + discovery.end]
        if hospital and case.hospital is None:
            case.hospital = source.text[lead.start + hospital[0]:lead.start + hospital[1]]


def _first_date_at(body: str, ctx: DateContext) -> int | None:
    """Where the first date of a case body starts, read sentence by sentence (the rest of the body is read
    by its trajectory)."""
    start = 0
    while (maybe := MAYBE_DATE.search(body, start)) is not None:
        end = _SENTENCE_END.search(body, maybe.end())
        end = end.end() if end else len(body)
        found = first_date_start(body[start:end], ctx)
        if found is not None:
            return start + found
        start = end
    return None


def _heads(simplified: str, start: int, end: int) -> tuple[str, str]:
    """The case's first sentence and its first two: where sex, age and residence are given (the head's whole
    text, the same string, for those it does not end)."""
    text = simplified[start:min(end, start + _HEAD_MAX)]
    # past the label's own qualifier and colon: 确诊病例 10(轻型):⏎女,38岁
    first = _head_end(text, _HEAD_LEAD.match(text).end())
    if first < 0:
        return text, text
    second = _head_end(text, first + 1)
    return text[:first], (text if second < 0 else text[:second])


def _head_end(text: str, start: int) -> int:
    """Where the first 。 or line break of ``text`` from ``start`` on is (-1: none), found with str.find (a regex
    search for either costs several times as much)."""
    stop = text.find("。", start)
    line_end = text.find("\n", start, len(text) if stop < 0 else stop)
    return line_end if line_end >= 0 else stop


def _trajectory_offset(body: str, first: int | None) -> int:
    """Where the trajectory starts in a case body: at its first date (the head gives residence, not visits),
    or at the start of its sentence when the date is in brackets after a place (在永丰中学(2020/1/25)逗留)."""
    if first is None:
        return 0
    line_start = body.rfind("\n", 0, first) + 1
    if not body[line_start:first].strip():
        return line_start
    if body[:first].rstrip()[-1:] in ("(", "（"):
        return after_last_of(SENTENCE_ENDS, body, 0, first)
    return first


def _spans(dates) -> list[tuple[int, int, dt.date]]:
    return [(d.start, d.end, d.last) for d in dates]


def _dated_event(body: str, dates: list[tuple[int, int, dt.date]], pattern: re.Pattern) -> dt.date | None:
    """The date of the first dated ``pattern`` event: the last date (start, end, last day) written before
    it (in its sentence)."""
    m = pattern.search(body)   # (searched again from each match's end: finditer's iterator costs about two searches)
    while m is not None:
        floor = after_last_of(SENTENCE_ENDS, body, 0, m.start()) - 1
        day = next((last for start, end, last in reversed(dates) if end <= m.end() and start > floor), None)
        if day is None and floor >= 0 and body[floor] == "\n":   # 11月30日⏎核酸初筛结果为阳性: a date heading
            day = next((last for start, end, last in reversed(dates)
                        if _BARE_DATE_LINE.fullmatch(body, body.rfind("\n", 0, start) + 1, floor)), None)
        if day is not None:
            return day
        m = pattern.search(body, m.end())
    return None


#: A line that is only a date (a heading the lines below it belong to).
_BARE_DATE_LINE = re.compile(r"[ \t]*(?:(?:19|20)\d{2}[ \t]*年[ \t]*)?\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*[日号][ \t:：,，]*")


# --- group statements ----------------------------------------------------------------------------

def _cases_by_segment(segments: list[Segment], notice: Notice) -> list[tuple[Segment, list[Case]]]:
    """Each segment with the cases made from it (in order: one per label)."""
    by_segment = []
    index = 0
    for segment in segments:
        count = len(segment.labels)
        by_segment.append((segment, notice.cases[index:index + count]))
        index += count
    return by_segment


def _link_pairs_told_after(source: SourceText, by_segment: list[tuple[Segment, list[Case]]]) -> None:
    """确诊病例3,男,26岁,确诊病例4,女,51岁。两人为母子关系: the case just told and the one before it in
    the same paragraph, each from its own side (by sex, then age: :func:`resolve_pair`)."""
    pairs = [(segment.start, segment, cases) for segment, cases in by_segment if len(cases) == 2]   # one segment
    pairs += [(previous.start, segment, before + cases)
              for (previous, before), (segment, cases) in zip(by_segment, by_segment[1:])
              if len(before) == 1 and len(cases) == 1]
    # one scan over all the pairs' segments first: most notices state no pair (the rule has no lookaround, so a
    # match within a segment is one within them all)
    if not pairs or TWO_OF_THEM.search(source.simplified, min(segment.head_start for _, segment, _ in pairs),
                                       max(segment.end for _, segment, _ in pairs)) is None:
        return
    for first_start, segment, (a, b) in pairs:
        if a.label is None or b.label is None:
            continue
        m = TWO_OF_THEM.search(source.simplified, segment.head_start, segment.end)
        if m is None or "\n" in source.simplified[first_start:m.start()]:
            continue
        phrase, span = source.text[m.start("pair"):m.end()], m.span()
        _add_relations(a, [Relation(b.label, resolve_pair(m.group("pair"), a.sex, a.age, b.age), phrase, span)])
        _add_relations(b, [Relation(a.label, resolve_pair(m.group("pair"), b.sex, b.age, a.age), phrase, span)])


def _link_groups(source: SourceText, by_segment: list[tuple[Segment, list[Case]]]) -> None:
    """Symmetric links stated for a whole group (系一家三口 / 为夫妻关系 / 同事) go on each member."""
    for segment, cases in by_segment:
        if len(cases) < 2 or any(c.label is None for c in cases):
            continue
        body = source.simplified[segment.head_start:segment.end]
        m = _GROUP_LINK_WORD.search(body[:_head_length(body)])
        if m:
            _link_each_other(cases, m, source.text, segment.head_start)


_GROUP_SEPARATOR = re.compile(r"\s*(?:、|和|及|与|,)\s*")
_STATEMENT_AFTER_GROUP = 8


def _link_lead_groups(source: SourceText, start: int, end: int, notice: Notice,
                      page_labels: list[Label] | None) -> None:
    """病例5、病例6是一对夫妻 in a lead or summary above the cases: a link between those cases."""
    by_label = {c.label: c for c in notice.cases if c.label}
    labels = [lab for lab in labels_within(source.simplified, source.text, start, end, page_labels)
              if lab.text in by_label]
    group: list[Label] = []
    for label in labels + [None]:
        if label is not None and group and (
                label.span == group[-1].span
                or _GROUP_SEPARATOR.fullmatch(source.simplified[group[-1].span[1]:label.span[0]])):
            group.append(label)
            continue
        if len({lab.text for lab in group}) >= 2:
            after = group[-1].span[1]
            m = _GROUP_LINK_WORD.search(source.simplified, after, after + _STATEMENT_AFTER_GROUP)
            if m:
                _link_each_other([by_label[lab.text] for lab in group], m, source.text, 0)
        group = [label] if label is not None else []


def _labels_by_name(simplified: str, segments: list[Segment]) -> dict[str, str]:
    """name → label of the labelled cases whose head starts with a name (确诊病例1:宋某某,…)."""
    out = {}
    for segment in segments:
        if len(segment.labels) == 1 and segment.labels[0] is not None and segment.labels[0].number is not None:
            m = _OWN_NAME.match(simplified, segment.head_start, segment.end)
            if m:
                out[m.group("name")] = segment.labels[0].text
    return out


def _own_names(segment: Segment, names_of_label: dict[str, set[str]]) -> set[str]:
    """The names the segment's labelled cases are given in their heads (``names_of_label``: label → names)."""
    return {name for lab in segment.labels if lab is not None for name in names_of_label.get(lab.text, ())}


def _link_counted_group(source: SourceText, start: int, end: int, notice: Notice) -> None:
    """(三人同住) / 这3例确诊病例为朋友关系 above the cases, counting all of them: a link between each pair."""
    if len(notice.cases) < 2 or any(c.label is None for c in notice.cases):
        return
    for m in _COUNTED_GROUP.finditer(source.simplified, start, end):
        if parse_number(m.group("n")) == len(notice.cases):
            _link_each_other(notice.cases, m, source.text, 0)
            return


def _link_each_other(cases: list[Case], m: re.Match, text: str, offset: int) -> None:
    word = m.group("word")
    kind = next(kind for key, kind in _GROUP_LINK.items() if word.startswith(key))
    phrase = text[offset + m.start("word"):offset + m.end("word")]
    for case in cases:
        for other in cases:
            if other is not case:
                _add_relations(case, [Relation(other.label, kind, phrase, (offset + m.start(), offset + m.end()))])


def _head_length(body: str) -> int:
    end = _head_end(body, 1)
    return end + 1 if end >= 0 else len(body)


# The parser's rules are all compiled now: kept for the next process (casedb.grammar.scan.remember_compiled_rules).
save_compiled_rules()
