import pytest

from casedb.grammar.labels import find_labels, labels_within
from casedb.grammar.relations import find_relations, kin_before_brackets, resolve_pair
from tests.corpus.relations import (
    CONTACT_AND_PAIR, EXAMPLES, KIN_BEFORE_BRACKETS, NEGATIVES, NEGATIVES_BRACKETED, PAIRS,
)

PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


def _relations(text, sex=None, age=None):
    return [(r.other, r.kind) for r in find_relations(text, text, 0, len(text), set(), sex, age)]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_relations(expected, text):
    assert _relations(text) == expected


@pytest.mark.parametrize("phrase,expected", PAIRS)
def test_pair_words_resolve_by_sex_and_age(phrase, expected):
    text, sex, age = phrase
    assert _relations(text, sex, age) == [("确诊病例12", expected)]


@pytest.mark.parametrize("phrase,expected", CONTACT_AND_PAIR)
def test_pair_word_after_a_contact_link(phrase, expected):
    text, sex, age = phrase
    assert sorted(_relations(text, sex, age)) == sorted([("确诊病例12", "close_contact"), ("确诊病例12", expected)])


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_relation(text):
    assert [kind for _, kind in _relations(text) if kind != "other"] == []


@pytest.mark.parametrize("text", NEGATIVES_BRACKETED)
def test_a_kin_word_before_a_bracketed_number_is_not_the_owners(text):
    assert _relations(text) == []


@pytest.mark.parametrize("given,expected", KIN_BEFORE_BRACKETS)
def test_kin_before_brackets(given, expected):
    text, label = given
    found = kin_before_brackets(text, text, text.index(label))
    assert [(r.other, r.kind) for r in found] == expected


def test_own_labels_are_skipped():
    text = "病例3、4为夫妻关系,与病例2同住"
    found = find_relations(text, text, 0, len(text), {"病例3", "病例4"})
    assert [(r.other, r.kind) for r in found] == [("病例2", "cohabitant")]


def test_ambiguous_generation_pair_uses_ages():
    assert resolve_pair("父子", "male", 60, 30) == "parent"
    assert resolve_pair("父子", "male", 30, 60) == "child"


@pytest.mark.parametrize("expected,text", PHRASINGS[::3])
def test_the_pages_labels_give_the_relations_of_a_part_of_it(expected, text):
    # the case's text inside a page: its labels taken from the page's, found once, as found in the part alone
    page = f"病例90:男,30岁。\n{text}\n病例91:女,31岁。"
    start, end = page.index(text), page.index(text) + len(text)
    page_labels = find_labels(page, page)
    assert ([(r.other, r.kind, r.span) for r in find_relations(page, page, start, end, {"病例90", "病例91"},
                                                               page_labels=page_labels)]
            == [(r.other, r.kind, r.span) for r in find_relations(page, page, start, end, {"病例90", "病例91"})])
    assert labels_within(page, page, start, end, page_labels) == find_labels(page, page, start, end)
