"""compile_rule: the same matches as re.compile, led by a lookahead of the possible first characters."""
import re

import pytest

from casedb.grammar import dates, labels
from casedb.grammar.scan import compile_rule, first_chars, needed_chars, next_may_start


@pytest.mark.parametrize("pattern, expected", [
    (r"(?<![0-9])(?:境外输入)?病例\d+", "境病"),          # lookbehind skipped, optional part then the literal
    (r"(?:^|[,，])\s*为", r",，\s为"),                      # ^ consumes nothing; \s kept as a class
    (r"[0-9０-９]{1,2}日|第\d+例", "0-9０-９第"),
    (r"a-?b", "a"),
])
def test_first_chars(pattern, expected):
    assert first_chars(pattern) == expected


@pytest.mark.parametrize("pattern, expected", [
    ("渡口|码头|[\u4e00-\u9fff]号轮", "口头轮"),
    ("(?<![酒农])家$|住所", "家所"),
    ("[GD]\\d{1,4}次?(?:列车|动车)?$|高铁(?!站)", "DG铁"),
    ("\\d+号线|地铁", "线铁"),
    ("[A-Z0-9]{2}\\d{3,4}次?$|航班", None),      # a match may hold only letters and digits
    ("(?:超市|商场)门口", "口"),
    ("(?:超市|\\d+)", None),
])
def test_the_characters_every_match_holds(pattern, expected):
    assert needed_chars(pattern) == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize("pattern", [r"a?", r".b", r"[^a]b", r"(?i)ab", r"(?i:a)b", r"(?:a|.)b", r"\s*"])
def test_unknown_first_chars_leave_the_pattern_alone(pattern):
    assert first_chars(pattern) is None
    assert compile_rule(pattern).pattern == pattern


def test_next_may_start_tests_the_next_character():
    """After a lazily read run, the lookahead rejects a length whose next character cannot start what follows (and
    passes at the text's end); a pattern that may start with any character gets none."""
    after = next_may_start("(?:ab|c)d") + "(?:ab|c)d"
    assert after == "(?![^ac])(?:ab|c)d"
    run = re.compile(f"x(.+?){after}|x(.+?)$")
    assert [m.group(1) or m.group(2) for m in run.finditer("x12abd x3cd x45")] == ["12", "3", "45"]
    assert next_may_start(".x") == ""


def test_a_pattern_the_engine_already_skips_for_is_left_alone():
    assert compile_rule("病例|患者").pattern == "病例|患者"


TEXTS = ["1月5日—7日在A超市购物，12月31日至2021年1月2日居家", "3月27、28日上班；病例3、4：男，34岁",
         "境外输入确诊病例12为第4例患者的密接，8号病例于4.13日就诊", "２０２１年１２月５日、6日", "无关文字"]


@pytest.mark.parametrize("rule", [dates._RANGE, dates._LIST, dates._SINGLE, dates._MONTH_DAY_BARE, dates._DOTTED,
                                  labels._KIND_NUMBER, labels._ORDINAL, labels._NAMED])
def test_grammar_rules_match_as_compiled_plainly(rule):
    assert rule.pattern.startswith("(?=[")
    plain = re.compile(rule.pattern.split("])", 1)[1])
    for text in TEXTS:
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_lookahead_leads_every_alternative_of_a_rule():
    """Put before a top-level alternation, the lookahead would lead its first alternative only, and the others were
    tried at every character (notices._ANY_DATE, clinical._ONSET: 0.19 → 0.03 s over the benchmark's case bodies)."""
    from re import _constants as sre, _parser

    rule = compile_rule(r"\d{1,2}月\d{1,2}日|(?<![月\d])\d{1,2}日")
    assert _parser.parse(rule.pattern)[0][0] is sre.ASSERT
    plain = re.compile(r"\d{1,2}月\d{1,2}日|(?<![月\d])\d{1,2}日")
    for text in TEXTS + ["1月2日、3日", "23日至25日"]:
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_after_last_of_finds_where_a_sentence_or_clause_starts():
    from casedb.grammar.scan import SENTENCE_ENDS, after_last_of

    text = "1月2日到A。3日,到B;4日到C"
    assert after_last_of(SENTENCE_ENDS, text, 0, len(text)) == text.index("4日")
    assert after_last_of(SENTENCE_ENDS + ",", text, 0, text.index("到B")) == text.index("到B")
    assert after_last_of(SENTENCE_ENDS, text, 0, text.index("。")) == 0   # none before: 0
    assert after_last_of(SENTENCE_ENDS, text, text.index("3日"), text.index(";")) == 0   # none within the bounds


def test_after_last_of_answers_as_the_last_rfind_of_each_mark():
    """The one-match form answers as ``max(text.rfind(mark, start, end) for mark in marks) + 1`` for every bound that
    is not negative, in or past the text, and for marks a character class would read otherwise (a line break, ``]``)."""
    import itertools

    from casedb.grammar.scan import CLAUSE_ENDS, SENTENCE_ENDS, after_last_of

    text = "病例1:男,\n1月2日到A。3日；到B;4日到C，返回"
    for marks in (SENTENCE_ENDS, CLAUSE_ENDS, CLAUSE_ENDS + ":：", "-]^\\"):
        for start, end in itertools.product(range(len(text) + 3), repeat=2):
            expected = max(text.rfind(mark, start, end) for mark in marks) + 1
            assert after_last_of(marks, text, start, end) == expected, (marks, start, end)
