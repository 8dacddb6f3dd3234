"""Hospital: where a case is treated or isolated after diagnosis, apart from the visits before it.

:func:`find_hospital` gives the span of the last such place in a case's text:
``转运至X`` / ``转至X`` / ``转入X`` / ``收住X`` / ``收治于X`` / ``送至X`` / ``转移至X`` / ``被X收治`` (X a medical
institution: 医院, 医疗机构, 卫生院, 救治中心, 病房, 市二院, 医专一附院…), or ``在X隔离治疗`` / ``在X住院`` /
``入X隔离治疗`` / ``到X接受治疗`` / ``赴X检查后住院`` / ``转X救治`` / ``来X治疗`` / ``在X进一步隔离治疗``, ``转院至X``, ``送X住院``,
``由X隔离诊治``, ``送其到X``, ``120车接至X``, ``经X隔离治疗``, ``到X发热门诊隔离治疗``, a bare transfer that ends its
clause (连夜转X，) or a bare admission after a date (1月23日入X。), or a visit that ends in admission (到X发热门诊就诊后收入院隔离治疗, 到X就诊，医院随即收治隔离 /
，收住院隔离治疗 / ，隔离治疗至今 / 就诊并接受隔离治疗).
A visit (到X就诊) is no hospital, nor a quarantine site (转运至某隔离点), nor a ward alone (收住隔离病房: the hospital
is the one the case went to).
"""
from __future__ import annotations

import re
from operator import methodcaller

from casedb.grammar.scan import CLAUSE_ENDS, cue_words, next_may_start

_NOT_END = rf"[^{CLAUSE_ENDS}]"
_MEDICAL = re.compile(r"医院|医疗机构|医疗中心|医学中心|卫生院|救治[\u4e00-\u9fff]{0,6}中心|病房|院区|传染病院|定点医疗|方舱"
                      r"|[一二三四五六七八九十]院|附院|分院|防治中心|公卫中心|临床中心|救治点")
#: a word every :data:`_MEDICAL` match holds, as plain words the regex engine skips to
_MEDICAL_CUE = cue_words(["院", "医疗", "医学中心", "救治", "病房", "方舱", "防治中心", "公卫中心", "临床中心"])
#: 120车送其到X, 接患者至X: the one taken may stand between the verb and its 到/至; 120车接至X
#: (written for the engine to skip through: each alternative starts with a literal, a group of words split word
#: by word in order; the same matches as ``(?:转运|…|转院)(?:至|到|入|往|于|在)?|(?:转|送)(?:其|…)?(?:至|到|入|往)|…``)
_WHO = r"(?:其|患者|病人|该患者|该病例)"
_MOVED = re.compile("|".join([*(rf"{verb}(?:至|到|入|往|于|在)?" for verb in ("转运", "转送", "转移", "送往", "转往", "接往", "收治",
                                                                           "收住", "收入", "入住", "住进", "住到", "转诊", "转院")),
                              rf"转{_WHO}?(?:至|到|入|往)", rf"送{_WHO}?(?:至|到|入|往)", rf"接{_WHO}(?:至|到|往)", r"接(?:至|入)"]))
#: 在X隔离治疗 / 1月24日入X隔离治疗 / 转X救治: the place must be followed by its treatment
#: how a case is treated, between the hospital and its treatment: 进一步隔离治疗, 规范治疗, 接受中西医结合治疗
_MANNER = r"(?:进一步|规范|规范化)?"
_THERAPY = r"接受[\u4e00-\u9fff]{1,6}?治疗"
#: (written for the engine to skip through, as :data:`_MOVED`: each alternative starts with a literal, and a lookbehind
#: before it follows it, ``(?<![存所实好])在`` as ``在(?<![存所实好]在)``; the same matches as
#: ``(?<![存所实好])(?:现|目前|已|正)?(?:在|于|…|(?<![回出过进上下失离])去|(?<![已曾神途历业])经(?![过由济营常理历]))|现住
#: |(?<![好流运])转(?![运送归至到入往诊院其])|(?<![运转护接迎])送(?![至到入往回其])``, tests/test_scan_less.py)
_AT = r"(?:在|于|入|到|至|前往|来|赴|(?<![回出过进上下失离])去|(?<![已曾神途历业])经(?![过由济营常理历]))"
_STAYING = re.compile("|".join([*(rf"{now[0]}(?<![存所实好]{now[0]}){now[1:]}{_AT}" for now in ("现", "目前", "已", "正")),
                                *(rf"{at[0]}(?<![存所实好]{at[0]}){at[1:]}" for at in ("在", "于", "入", "到", "至", "前往", "来", "赴")),
                                r"去(?<![存所实好]去)(?<![回出过进上下失离]去)",
                                r"经(?<![存所实好]经)(?<![已曾神途历业]经)(?![过由济营常理历])",
                                r"现住", r"转(?<![好流运]转)(?![运送归至到入往诊院其])", r"送(?<![运转护接迎]送)(?![至到入往回其])"]))
_PLACE_MAX = 40
#: what follows a hospital's place: its treatment, 救治 after 院, or its clause's end (or the text's)
_AFTER_PLACE = (rf"{_MANNER}(?:{_THERAPY}|(?:接受|进行了?|继续|集中)?(?:隔离|治疗|住院|观察|留观|留院|收治|入院|就诊|复诊|诊治|诊疗)(?!医院|医疗))"
                rf"|(?<=院)(?:集中|接受)?救治|[{CLAUSE_ENDS}]")
#: (the place is read one character longer at a time, up to what follows it: at each length, whether the next
#: character is one that can start :data:`_AFTER_PLACE` is tested first, a cheap test that rejects most lengths)
_REST = re.compile(rf"(?P<place>{_NOT_END}{{2,{_PLACE_MAX}}}?){next_may_start(_AFTER_PLACE)}(?={_AFTER_PLACE}|$)")
#: the name ends at its last institution word, with a campus or a name in brackets after it
#: (某市人民医院建华院区, 市一医院南院, 市立医院北院区(安庆传染病医院)); not 市定点医院做进一步诊断; no match for a
#: text without an institution word
_NAME_END = re.compile(rf".*(?:{_MEDICAL.pattern})(?:[东南西北]院区?|[东南西北]区|分院|[(（][^)）]{{0,20}}[)）]|[)）])?")
#: 被某市传染病医院收治隔离 / 由昭通医疗机构收治入院: the hospital as the one that admits
#: 被定点医疗机构隔离治疗 / 由市定点医院隔离诊治 / 由某旗人民医院接入住院: the hospital as the one that isolates
_ADMITTED_BY = re.compile(r"(?:被|由)(?P<place>[^，,。；;\n至到往送转]{2,30}?)"
                          r"(?=收治|收住|收入院|接收|接入|(?:进行)?隔离(?:医学)?(?:诊治|治疗|观察))")
_TREATED = re.compile(rf"{_MANNER}(?:{_THERAPY}|(?:接受|进行了?|继续|集中)?(?:隔离|治疗|住院|留观|留院|救治|收治|入院|诊治|诊疗))")
#: 到X发热门诊就诊后收入院隔离治疗 / 就诊并被收治入院 / 就诊予以隔离治疗, and after a comma (就诊，医院随即收治隔离 /
#: 就诊，收住院隔离治疗 / 就诊，隔离治疗至今 / 到X发热门诊，入住隔离病房 / 就诊并已入院 / 就诊，医院随即对其隔离治疗), also
#: after the visit's finding (就诊，CT显示肺部炎症，收住隔离病房): a visit that ends in admission there
_ADMITTED_AFTER_VISIT = re.compile(r"(?:[就复]诊(?:后|并|时)?(?:即|随即|已)?|(?:[就复]诊)?[，,](?:医院)?(?:随即|随后|即|遂|当即|立即|后|并|当日)?"
                                   r"|(?:[就复]诊)?[，,][^，,。；;\n]{0,16}?(?:显示|提示)[^，,。；;\n]{0,16}[，,](?:随即|随后|即|遂|后|并)?)"
                                   r"(?:对其|将其)?(?:被|予以|接受|进行)?(?:收治|收住|收入|住院|入院|入住|隔离(?!点|酒店|宾馆|场所|观察点))")
#: a ward alone (收住隔离病房, 入住负压病房, 收住传染病房) names no hospital: the hospital is the one the case went to; nor does
#: an institution word alone (到医疗机构就诊后随即被隔离治疗)
_BARE_WARD = re.compile(r"(?:隔离|负压|发热|感染科?|传染科?|重症|单人|单间|留观|观察)*(?:病房|病区)|(?:该|当地|本地)?(?:医院|医疗机构|卫生院)")
#: 于28日至医院就诊: a date is no part of a name
_DATED = re.compile(r"\d日")
#: 转X医院 / 送X医院 with nothing after the name in its clause (连夜转某医院，): a transfer, as 转至X; and 入X医院
#: after a date, 随即 or a clause boundary (1月23日入某市第四人民医院。): an admission, as 入院
_BARE_MOVE = "转送"
_BARE_ADMISSION = "入"
_BEFORE_BARE_ADMISSION = "日号即后，,。；;\n"


def _ward(ends: str) -> re.Pattern:
    """What may stand between a hospital's name and its treatment: nothing, or a ward ending in ``ends``."""
    return re.compile(rf"(?:[\u4e00-\u9fff]{{0,8}}?(?:{ends}))?")


#: before a treatment, only a ward (感染科, 隔离病房): not 检查后居家隔离, 陪护住院亲属, 门诊治疗; before a visit that
#: ends in admission, its clinic too (发热门诊)
_WARD = _ward("科|病房|病区|楼")
#: 到X发热门诊隔离治疗 / 发烧门诊隔离观察: isolated at its fever clinic (not 门诊治疗, an outpatient's)
_FEVER_CLINIC = re.compile(r"(?:发热|发烧)门诊")
_CLINIC = _ward("科|病房|病区|楼|门诊")
#: 赴X医院检查后住院隔离治疗 / 检查后在该院住院: examined there, then admitted (not 检查后居家隔离, which is no admission)
_CHECKED_THEN = re.compile(r"检查后(?:在该院|即|随即)?")
_ADMISSION = re.compile(r"住院|收治|入院")
_END = methodcaller("end")
#: the last clause (up to the end of the text matched) that holds an institution word of :data:`_MEDICAL_CUE`: the
#: engine backs off from the text's end to it, reading only the clauses after it
_LAST_NAMING_CLAUSE = re.compile(rf"(?s:.*[{CLAUSE_ENDS}])?(?P<clause>[^{CLAUSE_ENDS}]*(?:{_MEDICAL_CUE.pattern})[^{CLAUSE_ENDS}]*)")


def find_hospital(body: str) -> tuple[int, int] | None:
    """Span (in ``body``) of the last hospital the case is moved to or treated in (a bare 医院 is none)."""
    # a hospital's name holds an institution word in the clause of its verb (or of the 被/由 that admits there):
    # only those clauses are read, the last first
    end = len(body)
    while (clause := _LAST_NAMING_CLAUSE.match(body, 0, end)) is not None:
        start, end = clause.span("clause")
        named = _named_in(body, start, end)
        if named is not None:
            return named
        end = start
    return None


def _named_in(body: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the last hospital named in the clause ``body[start:end]``."""
    admitted = None
    for m in _ADMITTED_BY.finditer(body, start, end):
        name = _NAME_END.match(m.group("place"))   # (None for a place without an institution's name)
        if name is not None:
            admitted = m.start("place"), m.start("place") + name.end()
    # the last: the verbs read from the clause's end, a verb read only when its hospital would start after the
    # admission's (the first that names one wins; a moving and a staying verb ending together name the same)
    for m in sorted([*_MOVED.finditer(body, start, end), *_STAYING.finditer(body, start, end)], key=_END, reverse=True):
        if admitted is not None and m.end() <= admitted[0]:
            break
        named = _named_after(body, m)
        if named is not None:
            return named
    return admitted


def _named_after(body: str, m: re.Match) -> tuple[int, int] | None:
    """Span of the hospital named right after the verb ``m`` (of :data:`_MOVED` or :data:`_STAYING`), if the case
    is moved to or treated there."""
    rest = _REST.match(body, m.end())
    name = _NAME_END.match(rest.group("place")) if rest is not None else None
    if name is None:
        return None
    end = rest.start() + name.end()
    if _BARE_WARD.fullmatch(body, rest.start(), end) or _DATED.search(body, rest.start(), end):
        return None
    if m.re is _STAYING and not _treated_there(body, end, rest.end()) and not _moved_bare(body, m, end):
        return None   # 在某医院就诊, 到某医院检查后居家隔离: a visit
    return (rest.start(), end) if end - rest.start() >= 3 else None


def _moved_bare(body: str, verb: re.Match, name_end: int) -> bool:
    """Whether ``verb`` is a bare 转/送 whose hospital name ends its clause (后转某中心医院，), or a bare 入 after a
    date or a clause boundary (1月23日入某医院。)."""
    admitted = (verb.group() == _BARE_ADMISSION and (verb.start() == 0 or body[verb.start() - 1] in _BEFORE_BARE_ADMISSION)
                and body[verb.end():verb.end() + 1] not in ("住", "院"))   # not 入住隔离病房 (a ward alone)
    return ((verb.group()[-1] in _BARE_MOVE or admitted) and (name_end == len(body) or body[name_end] in CLAUSE_ENDS)
            and not re.search(r"[到至往去回给把和与]", body[verb.end():name_end]))


def _treated_there(body: str, name_end: int, place_end: int) -> bool:
    """Whether the case is treated (or, after its visit, admitted) at the hospital whose name ends at
    ``name_end``, its place text at ``place_end``."""
    treated = _TREATED.match(body, place_end)
    if treated:
        return (_WARD.fullmatch(body, name_end, place_end) is not None
                or (_FEVER_CLINIC.fullmatch(body, name_end, place_end) is not None and "隔离" in treated.group())
                or (_CHECKED_THEN.fullmatch(body, name_end, place_end) is not None and _ADMISSION.match(treated.group())))
    return (_ADMITTED_AFTER_VISIT.match(body, place_end) is not None
            and _CLINIC.fullmatch(body, name_end, place_end) is not None)
