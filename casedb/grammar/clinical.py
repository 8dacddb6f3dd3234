"""Onset and symptoms: 1月27日出现发热、咳嗽等症状 / 1月29日发病 / 发病时间1月24日.

:func:`find_onset` gives the day of the first symptoms and the symptoms as written; the date is the last
one written before the cue in its sentence (the dates come from the caller, who has read them once), or the
one right after 发病时间. A negated cue (未出现, 无发热, 否认) is no onset; 发病前/发病后 are no onset either.
"""
from __future__ import annotations

import datetime as dt

from casedb.grammar.dates import DateContext, find_dates
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of, compile_rule, cue_words

_SYMPTOM = (r"发热|发烧|低热|高热|咳嗽|干咳|咳痰|乏力|咽痛|咽干|咽痒|咽部不适|喉咙痛|嗓子痛|(?:喉部|咽喉|喉咙|咽部)疼痛|"
            r"头痛|头晕|头疼|肌肉酸痛|"
            r"全身酸痛|酸痛|腹泻|流涕|鼻塞|胸闷|气促|气短|呼吸困难|嗅觉|味觉|畏寒|寒战|恶心|呕吐|不适")
#: 出现发热、咳嗽等症状 / 自感咽痛 / 出现症状 / 发病 / 起病
_ONSET = compile_rule(
    r"(?<![无未否没])(?:出现|自感|自觉|感到|感觉|开始)(?P<symptoms>[^。；;，,]{0,30}(?:" + _SYMPTOM + r"))(?:等)?(?:症状)?"
    r"|(?<![无未否没])出现(?:相关|轻微|明显)?症状"
    # right after its date, or 自述/身体 after it: 1月27日发热 / 27日发热到医院就诊 / 1月24日自述低热 / 1月23日身体不适
    # (1月27日因发热到某医院就诊 is the day of a visit: the onset was before it)
    r"|(?<=[日晚起])(?:自述|身体)?(?P<bare>(?:" + _SYMPTOM + r")(?:[、和及](?:" + _SYMPTOM + r"))*)(?!门诊|病人|患者)"
    # 1月17日体温37.1℃、咳嗽: a temperature of fever right after its date
    r"|(?<=[日晚起])体温(?:3[7-9]|4[0-2])(?:\.\d)?(?:℃|°C|C|度)"
    r"|(?<![无未])(?:发病|起病)(?![前后时日]|以来|情况)"
    r"|(?P<stated>发病(?:时间|日期))[为是:：]?[ \t]*")
#: a word every onset cue holds (a symptom, 症状, 体温, 发病, 起病), as plain words, so the regex engine skips to their
#: first characters: a body without one (about two in three of the benchmark's) is not scanned with
#: :data:`_ONSET`, and a body with one is scanned from at most :data:`_CUE_REACH` characters before the first
_ONSET_CUE = cue_words(_SYMPTOM.replace("(?:喉部|咽喉|喉咙|咽部)疼痛", "喉部疼痛|咽喉疼痛|喉咙疼痛|咽部疼痛").split("|")
                       + ["症状", "体温", "发病", "起病"])
#: how far into an :data:`_ONSET` match its cue word may start: 出现|自感… (2) and up to 30 characters before the symptom
_CUE_REACH = 32


def find_onset(body: str, dates: list[tuple[int, int, dt.date]], ctx: DateContext
               ) -> tuple[dt.date | None, str | None]:
    """(onset date, symptoms as written) of the first onset cue in ``body``; ``dates`` are (start, end,
    last day) of the dates written in ``body``."""
    first_symptoms = None
    cue = _ONSET_CUE.search(body)
    if cue is None:
        return None, None
    for m in _ONSET.finditer(body, max(0, cue.start() - _CUE_REACH)):
        symptoms = (m.group("symptoms") or "").lstrip("了有") or m.group("bare")
        first_symptoms = first_symptoms or symptoms
        if m.group("stated"):   # 发病时间1月24日: the date follows
            after = find_dates(body[m.end():m.end() + 16], ctx)
            if after and after[0].start == 0:
                return after[0].date, first_symptoms
            continue
        floor = after_last_of(SENTENCE_ENDS, body, 0, m.start()) - 1
        before = [last for start, end, last in dates if end <= m.start() and start > floor]
        if before:
            return before[-1], symptoms or first_symptoms
    return None, first_symptoms
