"""Find the case notices in a page and read their header facts (title, number, issuer, city, date).

A page may be a bare notice, a repost wrapped in site chrome, an OCR newspaper page where the
notice sits among news articles, or news with no notice at all. A notice is where the page
describes cases: case paragraphs opened by labels (病例27：男，9岁…), or trajectory text (dated
lines of places) under a 轨迹 heading or as the page's main content. News that only mentions a
case (该社区有一例确诊病例) is not a notice.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import lru_cache
from itertools import islice, takewhile
from dataclasses import dataclass, field
from typing import NamedTuple

from casedb.grammar.dates import DateContext, resolve
from casedb.grammar.labels import Label, case_starts, described_persons, find_labels, named_persons, person_mentions
from casedb.grammar.scan import compile_rule
from casedb.places import (DISH_AFTER_NAME, STREET_AFTER_SHORT, Division, division_name_lengths, division_name_starts,
                           division_named, locate, may_be_district_or_city)
from casedb.read import to_simplified
from casedb.records import SourceText

_TITLE = re.compile(r"(?:通告|通报|公告|情况|轨迹|公布|详情|提示|紧急寻找|行程)")
_DIVISION_SUFFIX = re.compile(r"[市县区州旗]")
_DIVISION_NAME_MAX = 8
_CITY_VOTES = 40   # division-like words looked at when voting for the notice's city
_CITY_GUESS_SPAN = 5000   # characters of a notice searched for a city named only in place names
#: What follows a division's name when it names the issuing body (武汉卫健委, 胶州市疫情防控指挥部, 重庆发布).
_AUTHORITY = re.compile(r"卫健委|卫健局|卫计委|卫生健康|卫生和计划生育|疾控|疾病预防控制|疫情防控|新冠肺炎疫情|新型冠状病毒|"
                        r"应对|人民政府|政府新闻|新闻办|发布(?!会)|指挥部|领导小组")
#: What comes before a residence (家住南票区, 租住的榆次区, 居於, 49岁，藁城区…村人) or a return home
#: (返回宜都, 返渝).
#: The field after the age (49岁，藁城区…村人) may be a native place, so it weighs less than 现住.
_HOME_BEFORE = re.compile(r"(?:家住|现住|居住|租住|暂住|住址|现居|居于|居於|(?<!入)住|(?P<age>\d岁[,，])|"
                          r"(?P<back>(?<!往)返回|回到|(?<!往)返|回))(?:在|于|於|地|址|的)?[:：]?")
_RESIDENT_AFTER = re.compile(r"居民")
_MUNICIPALITY_ABBREVIATIONS = {"京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市"}
#: Before the origin of a trip or a far destination (从河北省石家庄市, 赴武汉, 飞往): where the case travelled.
_TRIP_BEFORE = re.compile(r"(?:从|自(?![驾即\d])|由(?!其)|来自|途经|经由|赴|飞往)[^，。；,;！!？?\s]{0,6}$")
#: A place named after the division it is in (大连医科大学, 荃湾愉景新城, 北京大兴国际机场), not a 三明治店.
_PLACE_AFTER = re.compile(r"[一-龥]{0,6}?(?:医科|大学|学院|中心|医院|广场|商场|新城|机场|火车站|站|公园|酒店|宾馆|市场|"
                          r"超市|小区|大厦)")
_SPECIAL_REGION = re.compile(r"特别行政区$")
_OTHER_ARTICLE = re.compile(r"^\s*(?:相关阅读|延伸阅读|相关新闻|相关链接|推荐阅读)")
_FORMAL_TITLE = re.compile(r"通告|通报|公告|新增|情况")
_TITLE_TOPIC = re.compile(r"(?:病例|感染者|阳性|确诊|轨迹|疫情|患者|行程)")
_NUMBER = re.compile(r"[(（〔\[]?\s*(?P<number>(?:\d{4}\s*年\s*)?第\s*\d{1,6}\s*号)\s*[)）〕\]]?")
#: The 第…号 every :data:`_NUMBER` match holds, a rule the regex engine skips through (its 第 first); what may come
#: before it in a match: a bracket, spaces, digits and 年 (:func:`_notice_number`)
_NUMBER_CORE = re.compile(r"第\s*\d{1,6}\s*号")
_NUMBER_LEAD = "(（〔[年"
_ISSUER_END = re.compile(r"(?:指挥部|办公室|办|委员会|卫健委|卫健局|卫生健康局|疾控中心|疾病预防控制中心|人民政府|"
                         r"政府|新闻办公室|新闻办|领导小组|防控组|综合组)$")
#: the bodies that issue notices, and the words after one that issues this notice
_ISSUING_BODY = (r"(?:指挥部(?:办公室)?|领导小组办公室|卫生健康委员会|卫健委|卫生健康局|疾控中心|疾病预防控制中心|"
                 r"人民政府新闻办公室|人民政府|新闻办公室)")
_ISSUES = r"(?=发布|通报|公布|获悉|消息|举行)"
_ISSUER_IN_LEAD = re.compile(rf"(?P<issuer>[一-龥]{{2,30}}?{_ISSUING_BODY}){_ISSUES}")
#: how every :data:`_ISSUER_IN_LEAD` match ends, as a rule the regex engine skips through (its words first): a lead
#: without it is not searched with that rule, which tries up to 30 characters of a name at each character
_BODY_ISSUES = re.compile(_ISSUING_BODY + _ISSUES)
_SIGNATURE_DATE = re.compile(r"^\s*(?:\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_FULL_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})")
# 2021年 / 2021-08-01 / 2021/8/1 / "2021宁夏吴忠疫情" (a bare year heading a line); a number with a
# counter word (2001路公交车, 2019次列车, 2020号房间, 2000多人) or inside a code (MU2019, G2019) is no year
_CONTEXT_YEAR = re.compile(r"(?<![A-Za-z0-9])((?:19|20)\d{2})(?:\s*年(?!\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?)?\s*(?:出生|生[人于,，。;；\s]))|([-/.])\d{1,2}\2\d{1,2}(?!\d))|"
                           r"^[ \t\u3000]*((?:19|20)\d{2})(?![多余路次号班趟线个人名例元辆位排座层楼室米千万])(?=[一-龥])",
                           re.MULTILINE)
_MONTH_DAY = re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|(?:19|20)\d{2}-\d{1,2}-\d{1,2}")

_TRAJECTORY_WORD = re.compile(r"轨迹|行程|风险点位|活动情况|涉及.{0,6}点位|居家未外出|未外出|行动路线")
_DATED_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年)?\d{1,2}\s*月\s*\d{1,2}\s*日|^\s*\d{1,2}\s*[:时]\s*\d{0,2}")
_LEAD_LINES = 6
_ANY_DATE = compile_rule(r"\d{1,2}月\d{1,2}日|(?<![月\d])\d{1,2}日")
#: 轨迹如下:11月16日… — the trajectory follows on the same line
_TRAJECTORY_FOLLOWS = re.compile(r"(?:轨迹|行程)(?:如下|为)[:：]?[ \t]*\d{1,2}月\d{1,2}日")
_STRONG_TRAVEL = re.compile(r"乘坐|乘|前往|到达|抵达|航班|列车|地铁|入住|就餐|购物|返回|自驾|步行")
_DATED_CLOCK = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*\d{1,2}\s*(?::\s*\d{2}|时)")
# a dated lead line that announces (2022年1月5日,…新闻发布会通报) rather than tells a trajectory
_ANNOUNCEMENT = re.compile(r"新增|通报|发布|公布|报告|召开|获悉|新闻发布会")
#: A sentence that announces new cases (11月23日,胶州市报告1例确诊病例): a lead, not a trajectory line. A match
#: is a whole sentence, so the rule is tried at sentence starts only (tried at each character of a sentence
#: without the words, it read the rest of the sentence from each: 1.6 s over the dev set's and the benchmark's pages).
NEW_CASES_SENTENCE = re.compile(r"(?<![^。\n])[^。\n]*(?:新增|发现|报告|检出|通报)[^。\n]*(?:病例|感染者|阳性)[^。\n]*")
#: The day a notice was issued, told in its lead: 5月9日重庆市通报… / 7月31日6时19分…办公室发布…通告.
#: A statistics period (3月28日0时至24时,…新增) is not an issue date: no digit may stand between.
_ISSUED_ON = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                        r"(?:\s*\d{1,2}\s*[时:点]\s*(?:\d{1,2}\s*分?)?)?[\s,，]*[^\d\s。;；,，]{0,40}?"
                        r"(?:发布|通报|公布|通告)")
#: A page's byline or timestamp (重庆发布 2022-05-30 / 2021-08-01 00:58:51 / 来源:…): the page's date,
#: which gives way to a date the notice gives for itself.
_BYLINE = re.compile(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}|(?:19|20)\d{2}\s*[年/.]\s*\d{1,2}\s*[月/.]\s*\d{1,2}\s*日?\s*"
                     r"\d{1,2}:\d{2}|来源|责编|编辑|更新时间|发布时间")
_CLOCK_LINE = re.compile(r"^\s*\d{1,2}\s*(?::\s*\d{2}|时)")
_TRAVEL = re.compile(r"到|在|乘|前往|返回|抵达|至|居家|就餐|购物|就诊|上班|入住|步行|驾车|自驾|打车|出发|离开|核酸")
_PERSON_LINE = re.compile(r"[,，](?:男|女)[,，]\s*\d{1,3}岁")
_CLOSING = re.compile(r"^\s*(?:请|凡|如有|如您|与上述|与以上|对照|广大|各位|温馨提示|提醒|希望|疫情防控[,，、]人人有责|"
                      r"相关阅读|延伸阅读|责任编辑|编辑|来源|更多|推荐|声明|扫码|点击|原标题|\(?记者)")


@dataclass
class NoticeRegion:
    """Where one notice sits in the page, and its header facts."""

    start: int
    end: int
    case_starts: list[Label] = field(default_factory=list)
    title: str | None = None
    number: str | None = None
    issuer: str | None = None
    city: str | None = None
    published: dt.date | None = None
    year_in_text: bool = True
    lead_start: int = 0      # a few lines before ``start``: a statistics lead above the title belongs to it
    body_start: int | None = None   # where the cases or the trajectory begin (after title and lead)
    #: every case label of the page, found once (:func:`~casedb.grammar.labels.find_labels`): the readers of
    #: relations take those in their text (:func:`~casedb.grammar.labels.labels_within`); None: not found yet
    page_labels: list[Label] | None = None


class Line(NamedTuple):
    start: int
    end: int
    text: str            # simplified, without the line break

    @property
    def stripped(self) -> str:
        return self.text.strip()


def lines_of(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def lines_within(lines: list[Line], start: int, end: int) -> list[Line]:
    """The lines that lie inside ``[start, end]`` (binary search: pages can have many thousand lines)."""
    first = bisect.bisect_left(lines, start, key=lambda ln: ln.start)
    last = bisect.bisect_right(lines, end, key=lambda ln: ln.end)
    return lines[first:last]


def _line_index(lines: list[Line], offset: int) -> int:
    """The index of the first line that starts at or after ``offset``."""
    return bisect.bisect_left(lines, offset, key=lambda ln: ln.start)


def _non_empty(lines) -> list[Line]:
    return [ln for ln in lines if ln.text.strip()]


def find_notices(source: SourceText) -> list[NoticeRegion]:
    """The notices in ``source``, in page order; an empty list for pages without one."""
    simplified, text = source.simplified, source.text
    lines = _non_empty(lines_of(simplified))   # (what follows reads no blank line: it is left out once)
    page_labels = find_labels(simplified, text)
    starts = (case_starts(simplified, text, labels=page_labels) or named_persons(simplified, text)
              or person_mentions(simplified))
    region = None if starts else _trajectory_region(lines, simplified)
    if not starts and region is None:   # no trajectory either: a report or brief about one person (男,44岁,…)
        starts = described_persons(simplified, text)
    if starts:
        regions = _regions_around_cases(lines, starts, simplified)
    else:
        regions = [region] if region else []
    year_in_text = _YEAR.search(simplified) is not None
    floor = 0
    for region in regions:
        above = lines_within(lines, floor, region.start)
        region.lead_start = above[-_LEAD_LINES].start if len(above) >= _LEAD_LINES else (
            above[0].start if above else region.start)
        floor = region.end
    for region in regions:
        _read_header(region, lines, simplified, text, year_in_text)
        region.page_labels = page_labels
    return regions


def _is_title(line: Line) -> bool:
    s = line.stripped
    return (4 <= len(s) <= 60 and _TITLE.search(s) is not None and _TITLE_TOPIC.search(s) is not None
            and not s.endswith(("。", ";", "；")) and s.count(",") + s.count("，") <= 2)


def _regions_around_cases(lines: list[Line], starts: list[Label], text: str) -> list[NoticeRegion]:
    """One region per run of case paragraphs; a title line between runs starts a new notice."""
    groups: list[list[Label]] = [[starts[0]]]
    for label in starts[1:]:
        previous = groups[-1][-1]
        # the lines between are looked at only where the numbering starts again
        if (label.number is not None and label.number <= (previous.number or 0)
                and any(_is_title(ln) and _FORMAL_TITLE.search(ln.text)
                        for ln in lines_within(lines, previous.span[1], label.span[0]))):
            groups.append([label])
        else:
            groups[-1].append(label)
    regions = []
    previous_end = 0
    for group in groups:
        first = group[0].span[0]
        start = _notice_start(lines, first, previous_end)
        end = _notice_end(lines, group[-1].span[0], text)
        regions.append(NoticeRegion(start, end, group))
        previous_end = end
    return regions


def _notice_start(lines: list[Line], first_case: int, floor: int) -> int:
    """The title line before the first case (at most 12 non-empty lines up), else the lead paragraph."""
    before = lines_within(lines, floor, first_case)
    window = before[-12:]
    title = _title_in(window)
    if title is not None:
        return title[0].start
    return window[0].start if window else first_case


def _title_rank(line: Line) -> int:
    """关于…的通告 over announcing titles (新增/通报/公布) over bare headings (活动轨迹)."""
    text = line.stripped
    if text.startswith("关于"):
        return 3
    if _FORMAL_TITLE.search(text) or re.search(r"公布|发布|发现", text):
        return 2
    return 1


def _title_in(window: list[Line]) -> list[Line] | None:
    """The title nearest the cases, preferring 关于…的通告; a title broken over two lines comes whole."""
    titles = [i for i, ln in enumerate(window) if _is_title(ln)]
    if not titles:
        return None
    i = max(titles, key=lambda k: (_title_rank(window[k]), k))
    if i and not window[i].stripped.startswith("关于") and window[i - 1].stripped.startswith("关于") \
            and not re.search(r"[。;；,，]", window[i - 1].text):
        return [window[i - 1], window[i]]
    return [window[i]]


def _notice_end(lines: list[Line], last_case: int, text: str) -> int:
    """After the signature (issuer + date lines) that follows the last case, else the last case paragraph."""
    # the 60 lines looked at, and the 12 after a closing line among them
    first = bisect.bisect_right(lines, last_case, key=lambda ln: ln.start)
    after = lines[first:first + 72]
    end = None
    for i, line in enumerate(after[:60]):
        if _SIGNATURE_DATE.match(line.text):
            return line.end
        if _CLOSING.match(line.text) or _starts_another_notice(line):
            end = line.start
            break
    if end is None:
        end = after[min(len(after), 60) - 1].end if after else len(text)
    # a signature soon after the closing lines still belongs to the notice
    for line in [ln for ln in after if ln.start >= end][:12]:
        if _SIGNATURE_DATE.match(line.text):
            return line.end
    return end


def _starts_another_notice(line: Line) -> bool:
    """A formal title (新增…通报), not a heading inside this notice (该病例活动轨迹如下:)."""
    return _is_title(line) and _FORMAL_TITLE.search(line.text) is not None and "如下" not in line.text


def _is_narrative_trajectory(line: Line) -> bool:
    """A prose paragraph that is itself a trajectory: several dates and several rides or visits, or a
    trajectory announced on its own line (某市一确诊患者乘坐公交车轨迹如下:11月16日至11月24日,每日…乘坐…)."""
    return (len(_STRONG_TRAVEL.findall(line.text)) >= 2
            and (len(_ANY_DATE.findall(line.text)) >= 3 or _TRAJECTORY_FOLLOWS.search(line.text) is not None))


def _trajectory_region(lines: list[Line], text: str) -> NoticeRegion | None:
    """The region of unlabelled trajectory text, if the page has one."""
    dated = [ln for ln in lines if _DATED_LINE.match(ln.text)
             and (_TRAVEL.search(ln.text) or _CLOCK_LINE.match(ln.text) or _DATED_CLOCK.match(ln.text))]
    heading = _TRAJECTORY_WORD.search(text)
    mostly_dated = len(dated) >= 2 and len(dated) * 2 >= len(lines)
    if not (heading and len(dated) >= 2) and not mostly_dated:
        first = next((ln for ln in lines if _is_narrative_trajectory(ln)), None)
        if first is None:
            return None
        dated = [first]
    start_line = dated[0]
    above = [ln for ln in lines if ln.end <= dated[0].start]
    # the title or 轨迹 heading nearest the trajectory (several headings: the first of the run above it)
    headings = [i for i, ln in enumerate(above) if _is_title(ln) or _TRAJECTORY_WORD.search(ln.text)]
    if headings:
        i = headings[-1]
        while i - 1 in headings:
            i -= 1
        start_line = above[i]
        # the person described just before a 活动轨迹: heading (周某某,女,39岁,…)
        if i and _PERSON_LINE.search(above[i - 1].text):
            start_line = above[i - 1]
    elif mostly_dated and above:
        start_line = above[0]   # raw trajectory text: its first lines (病史, 阳性 result) belong to it
    end = _notice_end(lines, dated[-1].start, text)
    # a dated lead that announces the cases (5月9日,开州区报告1例…) is not yet the trajectory
    body = next((ln for ln in dated if not NEW_CASES_SENTENCE.match(ln.text)), dated[0])
    return NoticeRegion(start_line.start, max(end, dated[-1].end), body_start=body.start)


def _read_header(region: NoticeRegion, lines: list[Line], simplified: str, text: str, year_in_text: bool) -> None:
    inside = lines[_line_index(lines, region.start):_line_index(lines, region.end)]
    page_head = lines[:8]
    first_case = region.case_starts[0].span[0] if region.case_starts else (region.body_start or region.end)
    title = _title_in([ln for ln in inside if ln.end <= first_case][:12]) or _title_in(page_head)
    title_line = title[-1] if title else None
    if title:
        region.title = "".join(text[ln.start:ln.end].strip() for ln in title)
    number = _notice_number(simplified, region.start, min(region.end, region.start + 400))
    if number and "年" in number.group("number") or (number and "号" in number.group("number")
                                                    and title_line is not None):
        region.number = re.sub(r"\s", "", text[number.start("number"):number.end("number")])
    region.issuer, signature = _issuer(inside, lines, region, simplified, text)
    region.year_in_text = year_in_text
    lead = [ln for ln in lines_within(lines, region.lead_start, first_case)[-(_LEAD_LINES + 6):]
            if not _DATED_LINE.match(ln.text) or _ANNOUNCEMENT.search(ln.text)]
    region.published = _published(signature, title_line, lead, simplified, page_head)
    header = lines_within(lines, region.lead_start, first_case)
    spans = [(title[0].start, title[-1].end)] if title else []
    if signature is not None and region.issuer:
        issuer_at = simplified.rfind(to_simplified(region.issuer[:4]), region.start, signature.start)
        spans.append((issuer_at if issuer_at >= 0 else signature.start, signature.start))
    # nearest the cases first, and not above a 相关阅读 line (the page's other article)
    spans += [(ln.start, ln.end) for ln in takewhile(lambda ln: not _OTHER_ARTICLE.match(ln.text), reversed(header))]
    region.city = _notice_city(region, spans, simplified, text)


def _notice_number(text: str, start: int, end: int) -> re.Match | None:
    """``_NUMBER.search(text, start, end)``, read from the first 第…号 (:data:`_NUMBER_CORE`) and the characters of
    its match's lead before it: :data:`_NUMBER` may start with any bracket, space or digit, so that the regex engine
    tries it at each character of a page, which rarely holds a 第…号."""
    core = _NUMBER_CORE.search(text, start, end)
    if core is None:
        return None
    lead = core.start()
    while lead > start and (text[lead - 1] in _NUMBER_LEAD or text[lead - 1].isspace() or text[lead - 1].isdecimal()):
        lead -= 1
    return _NUMBER.search(text, lead, end)


def _issuer(inside, lines, region, simplified, text) -> tuple[str | None, Line | None]:
    """The signing body (the lines before a date-only signature line) and that date line."""
    # the region's lines and the four before it that a signature may reach back to
    all_lines = lines[max(0, _line_index(lines, region.start) - 4):_line_index(lines, region.end)]
    for i in range(len(all_lines) - 1, -1, -1):
        line = all_lines[i]
        if line.start < region.start:
            break
        if _SIGNATURE_DATE.match(line.text):
            parts = []
            j = i - 1
            while j >= 0 and len(parts) < 3 and len(all_lines[j].stripped) <= 30:
                parts.insert(0, all_lines[j])
                if _ISSUER_END.search(all_lines[j].stripped) is None and len(parts) == 1:
                    parts = []
                    break
                j -= 1
                if j >= 0 and _ISSUER_END.search(all_lines[j].stripped) is None and not _continues_issuer(all_lines[j]):
                    break
            issuer = "".join(text[p.start:p.end].strip() for p in parts) or None
            return issuer, line
    lead = simplified[max(0, region.start - 600):region.end][:1500]
    m = _ISSUER_IN_LEAD.search(lead) if _BODY_ISSUES.search(lead) else None
    if m:
        offset = max(0, region.start - 600)
        issuer = text[offset + m.start("issuer"):offset + m.end("issuer")]
        return _trim_issuer(issuer), None
    return None, None


def _continues_issuer(line: Line) -> bool:
    """A short line that starts a signature broken over lines (开州区 / …领导小组办公室)."""
    s = line.stripped
    return 2 <= len(s) <= 16 and not re.search(r"[,，。;；:：!！?？]", s) and re.search(r"[区县市州]$", s) is not None


def _trim_issuer(issuer: str) -> str:
    """Drop a date or verb that the lead pattern swept up before the issuer's name."""
    issuer = re.sub(r"^.*?(?:日|,|，|、|从|据|由|在|经)", "", issuer) if re.search(r"日|从|据|由|在|经", issuer) else issuer
    return re.sub(r"^[\d时分点:\s]+", "", issuer)


def _published(signature: Line | None, title: Line | None, lead: list[Line], simplified: str,
               page_head: list[Line]) -> dt.date | None:
    """The date the notice gives for itself, by order of evidence: its signature date; a full date
    in its title; a day the page states as its own (发布时间:, 今天(10月18日), the day of the press
    conference, a DD/MM/YYYY dateline); the day its lead says it was issued (5月9日…通报); a full date
    in its title or lead lines; the page's byline date; a 月日 in its title or lead, in the page's year."""
    if signature is not None:
        return _full_date(signature.text)
    lines = ([title] if title else []) + lead
    year = _first_match(_YEAR, simplified)
    written = _FULL_DATE.match(simplified, year.start()) if year else None
    # the page's year for a 月日; near a full date the page writes, its nearest year (12月15日… then 1月20日)
    page_year = DateContext(year=int(year.group(0)[:4]), anchor=written and _safe_date(
        int(written.group("y")), written.group("m"), written.group("d"))) if year else None
    own = [ln for ln in lines if not _BYLINE.search(ln.text)]
    bylines = [ln for ln in lines if _BYLINE.search(ln.text)]
    return ((_full_date(title.text) if title else None)
            or _first_date(_stated_day(ln.text, page_year) for ln in page_head + lines)
            or _first_date(_issued_on(ln.text, page_year) for ln in lines)
            or _first_date(_full_date(ln.text) for ln in own)
            or _first_date(_full_date(ln.text) for ln in bylines)
            or _first_date(_month_day(ln.text, page_year) for ln in lines))


#: A day a page states as its own: 发布时间:2022-01-09 / 今天(10月18日) / 4月22日晚,…新闻发布会召开 /
#: 4月9日,在…新闻发布会上 / a dateline 09/06/2021 (day first, as Hong Kong writes it).
_STATED_DAY = re.compile(
    r"发布(?:时间|日期)\s*[:：]\s*(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
    r"|(?:今天|今日)\s*[(（]\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日\s*[)）]"
    r"|(?<![\d年])(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日[^。\n月]{0,40}?新闻发布会(?:召开|上|举行)"
    r"|^\s*(?P<d4>\d{2})/(?P<m4>\d{2})/(?P<y4>(?:19|20)\d{2})\s*$")


def _stated_day(text: str, page_year: DateContext | None) -> dt.date | None:
    m = _STATED_DAY.search(text)
    if m is None:
        return None
    if m.group("y"):
        return _safe_date(int(m.group("y")), m.group("m"), m.group("d"))
    if m.group("y4"):
        return _safe_date(int(m.group("y4")), m.group("m4"), m.group("d4"))
    month, day = (m.group("m2"), m.group("d2")) if m.group("m2") else (m.group("m3"), m.group("d3"))
    return _page_day(page_year, month, day)


def _first_date(dates) -> dt.date | None:
    return next((d for d in dates if d is not None), None)


def _issued_on(text: str, page_year: DateContext | None) -> dt.date | None:
    """The day an issuing statement (5月9日重庆市通报…) gives, in its own year or the page's."""
    for m in _ISSUED_ON.finditer(text):
        day = (_safe_date(int(m.group("y")), m.group("m"), m.group("d")) if m.group("y")
               else _page_day(page_year, m.group("m"), m.group("d")))
        if day:
            return day
    return None


def _month_day(text: str, page_year: DateContext | None) -> dt.date | None:
    m = _MONTH_DAY.search(text)
    return _page_day(page_year, m.group("m"), m.group("d")) if m else None


def _page_day(page_year: DateContext | None, month: str, day: str) -> dt.date | None:
    """A 月日 in the page's year (``page_year``: its year and the full date it was read from)."""
    return resolve(int(month), int(day), page_year) if page_year is not None else None


def _safe_date(year: int, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(year, int(month), int(day))
    except ValueError:
        return None


def _full_date(text: str) -> dt.date | None:
    m = _FULL_DATE.search(text)
    return _safe_date(int(m.group("y")), m.group("m"), m.group("d")) if m else None


def _notice_city(region: NoticeRegion, spans: list[tuple[int, int]], simplified: str, text: str) -> str | None:
    """The notice's city by order of evidence: the issuing body (武汉卫健委, 胶州市疫情防控指挥部);
    the first division in the title, signature and lead; the cases' residences and returns home
    (家住南票区, 返渝); the places visited; last, any city the notice names where it names a place."""
    city = (_issuer_city(spans, simplified, text) or _own_region(region, simplified)
            or _city(spans, simplified, text)
            or _home_city(region, simplified, text) or _main_city(region, simplified)
            or _named_city(region, simplified, text))
    return _as_written(city, simplified, text) if city else None


#: 本港 / 本澳: Hong Kong's and Macau's governments name their own territory so (本港个案累计, 本澳第39例).
_OWN_REGION = re.compile(r"本(?P<region>港|澳)(?![口币元股])")
_OWN_REGION_CITY = {"港": "香港", "澳": "澳门"}


def _own_region(region: NoticeRegion, simplified: str) -> str | None:
    m = _OWN_REGION.search(simplified, min(region.lead_start, region.start), region.end)
    return _OWN_REGION_CITY[m.group("region")] if m else None


def _as_written(city: str, simplified: str, text: str) -> str:
    """The city in the page's own script (哈爾濱市 on a traditional page), when the page writes it;
    Hong Kong and Macau by their short names (香港, 澳門), as the pages and their users call them."""
    city = _SPECIAL_REGION.sub("", city)
    short = city.removesuffix("市")
    at = simplified.find(short)
    if at < 0 or len(short) < 2:
        return city
    return text[at:at + len(short)] + city[len(short):] if city.startswith(short) else city


def _issuer_city(spans: list[tuple[int, int]], simplified: str, text: str) -> str | None:
    """The city of a body named in the header spans (武汉卫健委 → 武汉市, 重庆发布 → 重庆市)."""
    for start, end in spans:
        for m in _AUTHORITY.finditer(simplified, start, end):
            found = _division_before(simplified, max(start, m.start() - _DIVISION_NAME_MAX), m.start())
            if found is not None and (name := _city_name(*found, text)):
                return name
    return None


def _city(spans: list[tuple[int, int]], simplified: str, text: str) -> str | None:
    """The first city or county-level city named in the header spans (title, lead, signature),
    leaving out the origin or destination of a trip (从河北省石家庄市…自驾).

    A county-level city (胶州市, 罗定市) is the notice's city as written; a district (黄岛区) stands
    for its prefecture city (青岛市).
    """
    for start, end in spans:
        for m in _DIVISION_SUFFIX.finditer(simplified, start, end):
            found = _division_ending_at(simplified, max(start, m.end() - _DIVISION_NAME_MAX), m.end())
            if found is None or _on_a_trip(simplified, found[0]):
                continue
            name_start, division = found
            if division.level == "district" and not simplified[m.end() - 1] == "市":
                return division.city
            return text[name_start:m.end()]
    return None


def _division_ending_at(simplified: str, floor: int, end: int):
    """(start, division) of the longest division name ending at ``end``."""
    for start in range(floor, end - 1):
        piece = simplified[start:end]
        if not may_be_district_or_city(piece):   # (then it is neither of the division it may name)
            continue
        division = locate(piece)
        if division is not None and piece in (division.district, division.city):
            return start, division
    return None


def _division_before(simplified: str, floor: int, end: int):
    """(start, end, division) of the longest full or short division name ending at ``end``."""
    for start in range(floor, end - 1):
        if (division := division_named(simplified[start:end])) is not None:
            return start, end, division
    return None


def _division_after(simplified: str, start: int, ceiling: int):
    """(start, end, division) of the longest full or short division name starting at ``start``;
    not a name that only names a street or a dish (金山街道, 沙县小吃)."""
    longest = min(ceiling, start + _DIVISION_NAME_MAX) - start
    for length in division_name_lengths(simplified[start:start + 2]):   # (the lengths a name starting there has)
        if length > longest:
            continue
        end = start + length
        piece, after = simplified[start:end], simplified[end:end + 12]
        if (division := division_named(piece)) is None or DISH_AFTER_NAME.match(after):
            continue
        short = piece not in (division.district, division.city, division.province)
        if not (short and STREET_AFTER_SHORT.match(after)):
            return start, end, division
    return None


def _city_name(start: int, end: int, division: Division, text: str) -> str | None:
    """The notice city a division name written at ``text[start:end]`` stands for: a city or a
    county-level city as written (a short name completed: 武汉 → 武汉市, 宜都 → 宜都市), a district's
    prefecture city (榆次区 → 晋中市); Hong Kong and Macau by their common name (澳門, 香港)."""
    written = text[start:end]
    if division.level == "district" and not (division.district or "").endswith("市"):
        return _SPECIAL_REGION.sub("", division.city) if division.city else None
    full = division.district if division.level == "district" else division.city
    if full is None and division.level == "province" and _SPECIAL_REGION.search(division.province):
        full = division.province    # 香港特别行政区 / 澳门特别行政区: a city of its own
    if full is None:
        return None     # a province
    if _SPECIAL_REGION.search(full):
        common = _SPECIAL_REGION.sub("", full)
        return written if to_simplified(written) == common else common
    return written if to_simplified(written) == full else full


def _on_a_trip(simplified: str, name_start: int) -> bool:
    """A division named as where a trip started or went far (从河北省石家庄市…自驾, 赴武汉, 飞往)."""
    while found := _division_before(simplified, max(0, name_start - _DIVISION_NAME_MAX), name_start):
        name_start = found[0]      # 从河北省石家庄市藁城区: the names before this one are on the trip too
    return _TRIP_BEFORE.search(simplified, max(0, name_start - 8), name_start) is not None


def _home_city(region: NoticeRegion, simplified: str, text: str) -> str | None:
    """The city most residences and returns home in the notice point to (家住南票区, 租住的榆次区,
    返回宜都, 澳門居民, 返渝)."""
    votes: list[tuple[str | None, str | None, int]] = []
    for m in _HOME_BEFORE.finditer(simplified, region.start, region.end):
        weight = 1 if m.group("age") else 2
        if found := _division_after(simplified, m.end(), region.end):
            votes.append((found[2].city, _city_name(*found, text), weight))
        elif m.group("back") and (city := _MUNICIPALITY_ABBREVIATIONS.get(simplified[m.end():m.end() + 1])):
            votes.append((city, city, weight))
    for m in _RESIDENT_AFTER.finditer(simplified, region.start, region.end):
        if found := _division_before(simplified, max(region.start, m.start() - _DIVISION_NAME_MAX), m.start()):
            votes.append((found[2].city, _city_name(*found, text), 2))
    return _most_voted(votes)


def _most_voted(votes: list[tuple[str | None, str | None, int]]) -> str | None:
    """The winner of weighted (prefecture city, notice city, weight) votes: the prefecture with
    the most weight, named by its county-level city when every vote there names that one (现住新乐市
    alone → 新乐市)."""
    weights: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for city, name, weight in votes:
        if city and name:
            weights[city] = weights.get(city, 0) + weight
            names.setdefault(city, set()).add(name)
    if not weights:
        return None
    city = max(weights, key=weights.get)
    return next(iter(names[city])) if len(names[city]) == 1 else _SPECIAL_REGION.sub("", city)


def _main_city(region: NoticeRegion, simplified: str) -> str | None:
    """The prefecture city most divisions named in the notice (residences, places) belong to;
    trip origins and destinations count only when nothing else is named."""
    votes: dict[str, int] = {}
    trip_votes: dict[str, int] = {}
    body = simplified[region.start:region.end]
    for m in islice(_DIVISION_SUFFIX.finditer(body), _CITY_VOTES):
        found = _division_ending_at(body, max(0, m.end() - _DIVISION_NAME_MAX), m.end())
        if found and found[1].city:
            tally = trip_votes if _on_a_trip(body, found[0]) else votes
            tally[found[1].city] = tally.get(found[1].city, 0) + 1
    votes = votes or trip_votes
    return max(votes, key=votes.get) if votes else None


def _named_city(region: NoticeRegion, simplified: str, text: str) -> str | None:
    """The city most often named, short names included, at the head of a place name (大连医科大学,
    荃灣愉景新城, 集中救治大连中心): a guess for notices that name no division otherwise."""
    votes: list[tuple[str | None, str | None, int]] = []
    position, stop = region.start, min(region.end, region.start + _CITY_GUESS_SPAN)
    name_start = division_name_starts()
    while position < stop:
        at = name_start.search(simplified, position, stop)   # (where no name starts, none is found)
        if at is None:
            break
        position = at.start()
        found = _division_after(simplified, position, stop)
        if found is None:
            position += 1
            continue
        end = found[1]
        if _PLACE_AFTER.match(simplified, end):
            votes.append((found[2].city, _city_name(*found, text), 1))
        position = end
    return _most_voted(votes)


@lru_cache(maxsize=4)
def _first_match(pattern: re.Pattern, text: str) -> re.Match | None:
    """``pattern.search(text)`` over the whole page, searched once for all the notices on it."""
    return pattern.search(text)


def context_for(region: NoticeRegion, simplified: str) -> DateContext:
    """The date context of a notice: its published date, else the first year written in it."""
    if region.published:
        return DateContext(reference=region.published)
    m = _CONTEXT_YEAR.search(simplified, region.start, region.end) or _first_match(_CONTEXT_YEAR, simplified)
    if m is None:
        return DateContext()
    written = _FULL_DATE.match(m.string, m.start())
    anchor = _safe_date(int(written.group("y")), written.group("m"), written.group("d")) if written else None
    return DateContext(year=int(m.group(1) or m.group(3)), anchor=anchor)



