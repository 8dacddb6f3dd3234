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
