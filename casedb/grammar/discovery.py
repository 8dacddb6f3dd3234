"""Discovery: how a case was found, as one of :data:`casedb.records.DISCOVERY_KINDS`, with the phrase.

:func:`find_discovery` reads a case's text (head and trajectory). Each kind has its rule:

- ``centralised_quarantine_screening``: 集中隔离点例行核酸检测中发现 / 集中隔离期间核酸检测阳性
- ``home_quarantine_screening``: 居家隔离期间核酸检测 / 居家健康监测期间检测
- ``community_screening``: 社区/区域/全员/重点人群/常规核酸筛查 (例行核酸检测, 管控区人员筛查)
- ``presented_for_care``: 主动就诊 / 因发热到某医院就诊 / 到某医院发热门诊就诊 / 自行至某医院检测核酸
- ``entry_screening``: 落地检 / 入境后核酸检测 / 口岸(机场, 海关)检测 / 闭环管理人员筛查 (not 全程实施闭环管理,
  which is how the case was taken to hospital)
- ``contact_tracing``: 作为密切接触者(次密接)… / 系病例3的密切接触者 / 密接人员排查中发现 / 追踪

When several are written, a statement that says 发现 wins (均在集中隔离点例行核酸检测中发现), then the
first one in the text; contact tracing comes last, as a close contact is usually found by a later
screening that the text states too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_END = r"[^，,。；;\n]"
_FILL = r"[^，,。；;、\n]"   # within a statement, not across a list of measures (集中隔离、居家隔离、核酸检测)
_TEST = r"(?:核酸)?(?:检测|筛查|采样|复核|复检)"
_RULES = (
    ("centralised_quarantine_screening", rf"集中隔离(?:点|场所|酒店|医学观察|观察)?(?:期间|中|内|时)?{_FILL}{{0,12}}?{_TEST}"
                                         rf"|集中隔离{_FILL}{{0,12}}?[；;，,](?:隔离)?期间{_FILL}{{0,12}}?{_TEST}"
                                         rf"|(?<!居家)隔离(?:点|场所)(?:内|中)?{_FILL}{{0,8}}?{_TEST}"),
    ("home_quarantine_screening", rf"居家(?:隔离|健康监测|医学观察|观察|健康观察)(?:期间|中|时)?{_FILL}{{0,12}}?{_TEST}"),
    ("entry_screening", rf"落地(?:即)?(?:检|核酸)|入境(?:后|时)?{_FILL}{{0,10}}?{_TEST}|(?:口岸|机场|海关){_FILL}{{0,8}}?{_TEST}"
                        rf"|闭环管理{_FILL}{{0,10}}?{_TEST}"),
    ("presented_for_care", rf"主动(?:到{_NOT_END}{{0,20}}?)?就诊|(?:自行|主动)(?:到|至|前往|去){_NOT_END}{{0,20}}?(?:检测|采样)|(?:因|出现){_NOT_END}{{0,20}}?(?:到|至|前往|去){_NOT_END}{{0,30}}?就诊"
                           rf"|发热门诊(?:就诊|就医)|就诊时{_NOT_END}{{0,10}}?{_TEST}"),
    ("community_screening", rf"(?:社区|区域|全员|重点人群|重点区域|常规|例行|大规模|全民|管控区|封控区|防范区){_FILL}{{0,6}}?"
                            rf"(?:人员)?{_TEST}"),
    ("contact_tracing", rf"(?:作为|系|为|是){_NOT_END}{{0,30}}?(?:次)?(?:密切接触者|密接)|(?:密切接触者|密接人员|密接){_NOT_END}{{0,8}}?(?:排查|追踪)"
                        r"|(?:排查|追踪)(?:中|时)?发现"),
)
_AREAS = ("社区", "区域", "全员", "重点人群", "重点区域", "常规", "例行", "大规模", "全民", "管控区", "封控区", "防范区")
#: :data:`_RULES` as the regex engine scans them fast: each alternative starts with a literal (an alternative of
#: words is split word by word, in order, and a lookbehind moved after the first character), so the engine
#: skips to the characters a statement can start with; an empty group ends each, and the group's number tells
#: the kind. The same matches, in the same order, as ``(?P<kind>rule)|…`` (``tests/test_scan_less.py``).
_FLAT_RULES = (
    ("centralised_quarantine_screening", (rf"集中隔离(?:点|场所|酒店|医学观察|观察)?(?:期间|中|内|时)?{_FILL}{{0,12}}?{_TEST}",
                                          rf"集中隔离{_FILL}{{0,12}}?[；;，,](?:隔离)?期间{_FILL}{{0,12}}?{_TEST}",
                                          rf"隔(?<!居家隔)离(?:点|场所)(?:内|中)?{_FILL}{{0,8}}?{_TEST}")),
    ("home_quarantine_screening", (rf"居家(?:隔离|健康监测|医学观察|观察|健康观察)(?:期间|中|时)?{_FILL}{{0,12}}?{_TEST}",)),
    ("entry_screening", (r"落地(?:即)?(?:检|核酸)", rf"入境(?:后|时)?{_FILL}{{0,10}}?{_TEST}",
                         *(rf"{place}{_FILL}{{0,8}}?{_TEST}" for place in ("口岸", "机场", "海关")),
                         rf"闭环管理{_FILL}{{0,10}}?{_TEST}")),
    ("presented_for_care", (rf"主动(?:到{_NOT_END}{{0,20}}?)?就诊",
                            *(rf"{who}(?:到|至|前往|去){_NOT_END}{{0,20}}?(?:检测|采样)" for who in ("自行", "主动")),
                            *(rf"{why}{_NOT_END}{{0,20}}?(?:到|至|前往|去){_NOT_END}{{0,30}}?就诊" for why in ("因", "出现")),
                            r"发热门诊(?:就诊|就医)", rf"就诊时{_NOT_END}{{0,10}}?{_TEST}")),
    ("community_screening", tuple(rf"{area}{_FILL}{{0,6}}?(?:人员)?{_TEST}" for area in _AREAS)),
    ("contact_tracing", (*(rf"{verb}{_NOT_END}{{0,30}}?(?:次)?(?:密切接触者|密接)" for verb in ("作为", "系", "为", "是")),
                         *(rf"{who}{_NOT_END}{{0,8}}?(?:排查|追踪)" for who in ("密切接触者", "密接人员", "密接")),
                         *(rf"{how}(?:中|时)?发现" for how in ("排查", "追踪")))),
)
_DISCOVERY = re.compile("|".join(f"{rule}()" for _, rules in _FLAT_RULES for rule in rules))
#: the kind of each empty group's number
_KIND = {number: kind for number, kind in enumerate((kind for kind, rules in _FLAT_RULES for _ in rules), start=1)}
_FOUND = re.compile(rf"{_NOT_END}{{0,8}}?(?:中|时)?(?:发现|检出)")


@dataclass(frozen=True)
class Discovery:
    """How a case was found: its kind, the span of the phrase in the searched text, and whether the phrase
    says 发现 (a lead's statement for all its cases is taken only then)."""

    kind: str
    start: int
    end: int
    stated: bool


def find_discovery(body: str) -> Discovery | None:
    """How ``body`` says its case was found, if it says."""
    found = []
    for m in _DISCOVERY.finditer(body):
        stated = _FOUND.match(body, m.end())
        end = stated.end() if stated else m.end()
        kind = _KIND[m.lastindex]
        found.append((stated is None, kind == "contact_tracing", m.start(),
                      Discovery(kind, m.start(), end, stated is not None)))
    return min(found, key=lambda f: f[:3])[3] if found else None
