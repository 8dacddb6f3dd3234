"""Hospital: where a case is treated or isolated after diagnosis, apart from the visits before it.

:func:`find_hospital` gives the span of the last such place in a case's text:
``转运至X`` / ``转至X`` / ``转入X`` / ``收住X`` / ``收治于X`` / ``送至X`` (X a medical institution: 医院,
医疗机构, 卫生院, 救治中心, 病房…), or ``在X隔离治疗`` / ``在X住院`` / ``入X隔离治疗`` / ``转X救治``. A visit (到X就诊) is no hospital, nor
a quarantine site (转运至某隔离点).
"""
from __future__ import annotations

import re

_NOT_END = r"[^，,。；;\n]"
_MEDICAL = re.compile(r"医院|医疗机构|医疗中心|医学中心|卫生院|救治[\u4e00-\u9fff]{0,6}中心|病房|院区|传染病院|定点医疗|方舱")
_MOVED = re.compile(r"(?:转运|转送|送往|转往|收治|收住|收入|入住|住进|转诊)(?:至|到|入|往|于|在)?|(?:转|送)(?:至|到|入|往)")
#: 在X隔离治疗 / 1月24日入X隔离治疗 / 转X救治: the place must be followed by its treatment
_STAYING = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[日号时后]))(?:现|目前|已|正)?(?:在|于|入)|(?<![好流运])转(?![运送归至到入往诊])")
_REST = re.compile(rf"(?P<place>{_NOT_END}{{2,40}}?)(?=(?:接受|进行|继续)?(?:隔离|治疗|住院|观察|留观|收治|入院|就诊)"
                   r"|(?<=院)(?:集中)?救治|[，,。；;\n]|$)")
#: the name ends at its last institution word, with a campus or a name in brackets after it
#: (某市人民医院建华院区, 市一医院南院, 市立医院北院区(安庆传染病医院)); not 市定点医院做进一步诊断
_NAME_END = re.compile(rf".*(?:{_MEDICAL.pattern})(?:[东南西北]院|分院|[(（][^)）]{{0,20}}[)）]|[)）])?")
_TREATED = re.compile(r"(?:接受|进行|继续|集中)?(?:隔离|治疗|住院|留观|救治|收治|入院)")


def find_hospital(body: str) -> tuple[int, int] | None:
    """Span (in ``body``) of the last hospital the case is moved to or treated in (a bare 医院 is none)."""
    last = None
    for verb in (_MOVED, _STAYING):
        for m in verb.finditer(body):
            rest = _REST.match(body, m.end())
            if rest is None or not _MEDICAL.search(rest.group("place")):
                continue
            if verb is _STAYING and not _TREATED.match(body, rest.end()):
                continue   # 在某医院就诊: a visit
            end = rest.start() + _NAME_END.match(rest.group("place")).end()
            if end - rest.start() >= 3 and (last is None or rest.start() > last[0]):
                last = rest.start(), end
    return last
