import datetime as dt
import re

import pytest

from casedb.extract import extract_text
from casedb.grammar.dates import DateContext, find_dates
from casedb.grammar import exposure
from casedb.grammar.exposure import find_exposure
from tests.corpus.exposure import EXPOSURE

CTX = DateContext(dt.date(2020, 2, 10))


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in EXPOSURE for t in texts])
def test_exposure(expected, text):
    found = find_exposure(text, [(d.start, d.end, d.last) for d in find_dates(text, CTX)])
    assert (found and (text[found.start:found.end], found.origin,
                       (found.date.month, found.date.day) if found.date else None)) == expected


@pytest.mark.parametrize("text", [t for _, texts in EXPOSURE for t in texts])
def test_the_needed_words_skip_no_match(text, monkeypatch):
    """A rule is not run on a body without its cue: with every rule run, the same is found; each rule's matches
    hold its cue, starting within the rule's reach of the match's start."""
    dates = [(d.start, d.end, d.last) for d in find_dates(text, CTX)]
    fast = find_exposure(text, dates)
    monkeypatch.setattr(exposure, "_CUES", {rule: re.compile("") for rule in exposure._CUES})
    assert find_exposure(text, dates) == fast
    for rule in (exposure._STAY, exposure._TRIP, exposure._COMER, exposure._SOURCE):
        for m in rule.finditer(text):
            cue = exposure._CUES[rule.pattern].search(m.group(0))
            assert cue and cue.start() <= exposure._REACH[rule.pattern], (rule.pattern, m.group(0))


@pytest.mark.parametrize("text", [t for _, texts in EXPOSURE for t in texts if "冷链" not in t])
def test_the_source_rule_without_its_cold_chain_matches_as_the_whole_rule(text):
    assert ([(m.span(), m.groupdict()) for m in exposure._SOURCE_WITHOUT_COLD_CHAIN.finditer(text)]
            == [(m.span(), {g: v for g, v in m.groupdict().items() if g != "cold_chain"})
                for m in exposure._SOURCE.finditer(text)])



#: :data:`exposure._CONTACTS` as it was written before it was led by its first characters' class
_CONTACTS_AS_WRITTEN = (
    r"(?:与|和|同|跟)(?P<with>[^，,。；;：:\n]{1,24}?)(?:有过?)?(?:密切)?(?:接触史|接触|共同就餐|一起就餐|共同用餐|"
    r"一起用餐|聚餐|共同生活|一起吃饭|打牌|聚会)"
    r"|接触(?:过|了)(?P<touched>[^，,。；;：:\n]{1,24})"
    r"|有(?P<history>[^，,。；;：:\n]{1,24}?)(?:密切)?接触史"
    r"|(?:系|是|为|作为)(?P<contact_of>[^，,。；;：:\n]{1,30}?)的(?:次)?(?:密切接触者|密接)"
    r"|(?:系|是|为)(?P<kin_of>[^，,。；;：:\n]{1,20}?)的?(?:家属|亲属|家人)"
    r"|有(?P<visited>[^，,。；;：:\n]{2,20}?)(?:购物|就餐|活动|逗留)史")


@pytest.mark.parametrize("text", [t for _, texts in EXPOSURE for t in texts] + [
    "作为病例2的密切接触者", "系病例2的家属", "与武汉返乡人员有接触史", "有超市购物史", "接触过确诊病例", "为作为病例1的密接"])
def test_the_contacts_rule_matches_as_written(text):
    assert ([(m.span(), m.groupdict()) for m in re.finditer(_CONTACTS_AS_WRITTEN, text)]
            == [(m.span(), m.groupdict()) for m in exposure._SOURCE_WITHOUT_COLD_CHAIN.finditer(text)])

def test_exposure_discovery_and_hospital_are_in_the_contract():
    text = ("病例1：男，30岁，现住某区。1月22日武汉回温，1月27日出现发热，在集中隔离点核酸检测中发现，"
            "现在某市定点医疗机构隔离治疗。")
    (case,) = [c for n in extract_text(text).notices for c in n.cases]
    assert (case.exposure, case.exposure_origin, case.exposure_date) == ("1月22日武汉回", "武汉", dt.date(2020, 1, 22))
    assert (case.discovery, case.discovery_phrase) == ("centralised_quarantine_screening", "集中隔离点核酸检测中发现")
    assert case.hospital == "某市定点医疗机构"


def test_a_lead_tells_how_its_cases_were_found_and_where_they_were_taken():
    text = ("我区在对重点人群核酸检测时发现2例阳性，均已转运至某医院隔离治疗。\n"
            "病例1：男，30岁，现住某区。\n病例2：女，28岁，系病例1的密切接触者。")
    cases = [c for n in extract_text(text).notices for c in n.cases]
    assert [(c.discovery, c.hospital) for c in cases] == [("community_screening", "某医院"),
                                                         ("contact_tracing", "某医院")]
