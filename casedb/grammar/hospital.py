"""Hospital: where a case is treated or isolated after diagnosis, apart from the visits before it.

:func:`find_hospital` gives the span of the last such place in a case's text:
``转运至X`` / ``转至X`` / ``转入X`` / ``收住X`` / ``收治于X`` / ``送至X`` / ``转移至X`` / ``被X收治`` (X a medical
institution: 医院, 医疗机构, 卫生院, 救治中心, 病房, 市二院, 医专一附院…), or ``在X隔离治疗`` / ``在X住院`` /
``入X隔离治疗`` / ``到X接受治疗`` / ``转X救治`` / ``来X治疗`` / ``在X进一步隔离治疗``, ``转院至X``, or a visit that ends in admission (到X发热门诊就诊后收入院隔离治疗).
A visit (到X就诊) is no hospital, nor a quarantine site (转运至某隔离点).
"""
from __future__ import annotations

import re

from casedb.grammar.scan import compile_rule

_NOT_END = r"[^，,。；;\n]"
_MEDICAL = re.compile(r"医院|医疗机构|医疗中心|医学中心|卫生院|救治[\u4e00-\u9fff]{0,6}中心|病房|院区|传染病院|定点医疗|方舱"
                      r"|[一二三四五六七八九十]院|附院|防治中心|公卫中心")
_MOVED = re.compile(r"(?:转运|转送|转移|送往|转往|接往|收治|收住|收入|入住|住进|转诊|转院)(?:至|到|入|往|于|在)?|(?:转|送)(?:至|到|入|往)")
#: 在X隔离治疗 / 1月24日入X隔离治疗 / 转X救治: the place must be followed by its treatment
#: how a case is treated, between the hospital and its treatment: 进一步隔离治疗, 规范治疗, 接受中西医结合治疗
_MANNER = r"(?:进一步|规范|规范化)?"
_THERAPY = r"接受[\u4e00-\u9fff]{1,6}?治疗"
_STAYING = compile_rule(r"(?<![存所实好])(?:现|目前|已|正)?(?:在|于|入|到|至|前往|来)|现住|(?<![好流运])转(?![运送归至到入往诊院])")
_REST = re.compile(rf"(?P<place>{_NOT_END}{{2,40}}?)(?={_MANNER}(?:{_THERAPY}|(?:接受|进行|继续|集中)?(?:隔离|治疗|住院|观察|留观|留院|收治|入院|就诊)(?!医院|医疗))"
                   r"|(?<=院)(?:集中)?救治|[，,。；;\n]|$)")
#: the name ends at its last institution word, with a campus or a name in brackets after it
#: (某市人民医院建华院区, 市一医院南院, 市立医院北院区(安庆传染病医院)); not 市定点医院做进一步诊断
_NAME_END = re.compile(rf".*(?:{_MEDICAL.pattern})(?:[东南西北]院区?|[东南西北]区|分院|[(（][^)）]{{0,20}}[)）]|[)）])?")
#: 被某市传染病医院收治隔离 / 由昭通医疗机构收治入院: the hospital as the one that admits
_ADMITTED_BY = re.compile(r"(?:被|由)(?P<place>[^，,。；;\n至到往送转]{2,30}?)(?=收治|收住|收入院|接收)")
_TREATED = re.compile(rf"{_MANNER}(?:{_THERAPY}|(?:接受|进行|继续|集中)?(?:隔离|治疗|住院|留观|留院|救治|收治|入院))")
#: 到X发热门诊就诊后收入院隔离治疗 / 就诊并被收治入院 / 就诊予以隔离治疗: a visit that ends in admission there
_ADMITTED_AFTER_VISIT = re.compile(r"就诊(?:后|并|时)?(?:被|予以)?(?:收治|收住|收入|住院|入院|隔离)")


def _ward(ends: str) -> re.Pattern:
    """What may stand between a hospital's name and its treatment: nothing, or a ward ending in ``ends``."""
    return re.compile(rf"(?:[\u4e00-\u9fff]{{0,8}}?(?:{ends}))?")


#: before a treatment, only a ward (感染科, 隔离病房): not 检查后居家隔离, 陪护住院亲属, 门诊治疗; before a visit that
#: ends in admission, its clinic too (发热门诊)
_WARD = _ward("科|病房|病区|楼")
_CLINIC = _ward("科|病房|病区|楼|门诊")


def find_hospital(body: str) -> tuple[int, int] | None:
    """Span (in ``body``) of the last hospital the case is moved to or treated in (a bare 医院 is none)."""
    last = None
    for m in _ADMITTED_BY.finditer(body) if "收" in body else ():
        if _MEDICAL.search(m.group("place")):
            last = m.start("place"), m.start("place") + _NAME_END.match(m.group("place")).end()
    for verb in (_MOVED, _STAYING):
        for m in verb.finditer(body):
            rest = _REST.match(body, m.end())
            if rest is None or not _MEDICAL.search(rest.group("place")):
                continue
            end = rest.start() + _NAME_END.match(rest.group("place")).end()
            if verb is _STAYING and not _treated_there(body, end, rest.end()):
                continue   # 在某医院就诊, 到某医院检查后居家隔离: a visit
            if end - rest.start() >= 3 and (last is None or rest.start() > last[0]):
                last = rest.start(), end
    return last


def _treated_there(body: str, name_end: int, place_end: int) -> bool:
    """Whether the case is treated (or, after its visit, admitted) at the hospital whose name ends at
    ``name_end``, its place text at ``place_end``."""
    if _TREATED.match(body, place_end):
        return _WARD.fullmatch(body, name_end, place_end) is not None
    return (_ADMITTED_AFTER_VISIT.match(body, place_end) is not None
            and _CLINIC.fullmatch(body, name_end, place_end) is not None)
