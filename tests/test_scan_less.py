"""Issue 15's "parse scans less": a rule skipped for a text it cannot match, never one that matches.

The date rules run only on a text holding one character of each group a rule needs (a range: a day's
unit and a separator) and the rule's hint, if it has one (a range: a separator right before a number).
Here every rule is run on every text anyway: a skipped rule finds nothing.
"""
import datetime as dt
import re
import re._constants as re_constants
import re._parser as re_parser
from pathlib import Path

import pytest

import casedb.grammar.dates as dates
from casedb.grammar.trajectory import _CLAUSE
from casedb.read import to_simplified
from tests.corpus.dates import EXAMPLES, FIRST_DAYS, LISTS, NEGATIVES, PAGE_DAYS, YEAR_ROLLOVER, YEAR_WRITTEN

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PHRASES = [text for group in (EXAMPLES, LISTS, YEAR_WRITTEN) for _, texts in group for text in texts]
PHRASES += [text for _, text, _ in YEAR_ROLLOVER + PAGE_DAYS + FIRST_DAYS] + [text for text in NEGATIVES if isinstance(text, str)]


def _clauses() -> list[str]:
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))[:40]]
    return [m.group(0) for text in texts for m in _CLAUSE.finditer(text)]


def _skipped_rules_match(text: str) -> list[str]:
    present = set(dates._held(text))
    return [rule for rule, pattern, needs, also, hint in dates._RULES
            if (present.isdisjoint(needs) or (also and present.isdisjoint(also)) or (hint and not hint.search(text)))
            and pattern.search(text)]


@pytest.mark.parametrize("text", PHRASES)
def test_a_date_rule_is_skipped_only_where_it_finds_nothing(text):
    assert _skipped_rules_match(text) == []


def test_the_needed_characters_a_text_holds_are_found_with_the_common_two_looked_for_alone():
    needed = set().union(*(needs | also for _, _, needs, also, _ in dates._RULES))
    for text in PHRASES + _clauses() + ["", "月", "日", "日月", "1月2日至3日、", "次日"]:
        assert set(dates._held(text)) == needed.intersection(text), text


@pytest.mark.parametrize("text", ["3月27、28日", "3月27日、28日、29日", "3 月 2 日 、 5 日", "三月二、三日", "4月1，3日",
                                  "4月2日，15时到超市", "4月2日至5日，3次核酸检测", "1月5日、6日和8日",
                                  "男,7岁,为1月12日第56号确诊病例的密切接触者", "期间3日、5日、7日3次核酸检测"])
def test_the_list_hint_holds_wherever_the_list_rule_matches(text):
    assert not dates._LIST.search(text) or dates._LIST_HINT.search(text)


#: The day's rule written as it reads: no digit nor 月 before the number.
_DAY_ONLY_LOOKBEHIND_FIRST = re.compile(r"(?<![0-9０-９])(?<!月)(?P<ad>[0-9０-９]{1,2})\s*日(?![内以后前])")


def test_the_day_rule_starting_with_its_first_digit_matches_as_written_lookbehind_first():
    texts = _clauses() + PHRASES + ["24日", "1月24日", "124日", "月2日", "１２月３日", "3 日", "5日内", "2日、13日"]
    for text in texts:
        assert ([(m.span(), m.groupdict()) for m in dates._DAY_ONLY.finditer(text)]
                == [(m.span(), m.groupdict()) for m in _DAY_ONLY_LOOKBEHIND_FIRST.finditer(text)]), text


#: The list and bare hints as first written: their numbers (and blanks) may be tried shorter.
_LIST_HINT_TRIED_SHORTER = re.compile(r"月\s*(?:" + dates._NUM + r")(?:\s*[日号號])?\s*[、,，和及]\s*[0-9０-９〇零一二三四五六七八九十]")
_BARE_HINT_TRIED_SHORTER = re.compile(r"月\s*[0-9０-９]{1,2}(?=\s*(?:[，,、:：；;。\s]|上午|中午|下午|晚|凌晨|早|傍晚))")


def test_the_date_rules_reading_their_numbers_whole_match_as_those_trying_them_shorter():
    texts = _clauses() + PHRASES + ["12次", "三十一日", "十二三日", "1月2 日", "4月13，", "4月13 ,", "3月27、28日", "3月27日 、28日",
                                    "4月27—28日", "31日—2021年1月2日", "今(2020)年3月5日", "二〇二〇年1月2日", "21年1月2日"]
    pairs = [(rule, re.compile(rule.pattern.replace(dates._WHOLE_NUM, dates._NUM)))
             for rule in (dates._RANGE, dates._LIST, dates._SINGLE)]
    pairs += [(dates._LIST_HINT, _LIST_HINT_TRIED_SHORTER), (dates._BARE_HINT, _BARE_HINT_TRIED_SHORTER)]
    assert all(whole.pattern != shorter.pattern for whole, shorter in pairs)
    for text in texts:
        for whole, shorter in pairs:
            assert ([(m.span(), m.groups()) for m in whole.finditer(text)]
                    == [(m.span(), m.groups()) for m in shorter.finditer(text)]), (whole.pattern, text)


def test_the_candidates_searched_from_each_match_end_are_those_finditer_finds():
    """:func:`dates._candidates` searches a rule again from its last match's end: the rule's ``finditer``."""
    for text in PHRASES + _clauses() + ["1月2日、3日", "4.13日4.15", "2021-1-2至2021-1-5"]:
        expected = sorted((m.start(), m.start() - m.end(), priority, rule, m.span())
                          for priority, rule, pattern, hint, _ in dates._runs_of(dates._held(text))
                          if hint is None or hint.search(text) for m in pattern.finditer(text))
        found = [(start, length, priority, rule, m.span()) for start, length, priority, rule, m in dates._candidates(text)]
        assert found == expected, text


def test_the_first_date_is_where_the_whole_reading_puts_it():
    """:func:`dates.first_date_start` reads the first candidate only (the whole text when that is no date)."""
    contexts = [dates.DateContext(), dates.DateContext(reference=dt.date(2022, 4, 13)),
                dates.DateContext(reference=dt.date(2021, 1, 20), current=dt.date(2021, 1, 2))]
    texts = PHRASES + _clauses() + ["1990年3月7日出生,1月2日到超市", "2月30日至3月2日在家", "次日,1月5日", "男,7岁,1月12日",
                                    # read in two parts: up to a character no date reads after the first hint
                                    "3号楼4月13，在家", "1990年3月7日生于A,4月13 ,在家", "2月30日在家，至3月2日在家",
                                    "2020.2.30日在A，3月27，28日在家", "3号楼:2021-1-2", "1月5号楼4.13在家", "A次日5日在家"]
    assert any(dates.first_date_start(text, contexts[0]) not in (None, 0) for text in texts)
    for text in texts:
        for ctx in contexts:
            found = dates.find_dates(text, ctx)
            assert dates.first_date_start(text, ctx) == (found[0].start if found else None), (text, ctx)


def test_no_date_rule_reads_a_character_the_first_date_is_read_up_to():
    """:func:`dates.first_date_start` reads a text in two parts, cut after a character no date rule reads."""
    def named(items) -> set[str]:   # every character a parsed rule names (in a class, negated or not, too)
        chars = set()
        for op, av in items:
            if op in (re_constants.LITERAL, re_constants.NOT_LITERAL):
                chars.add(chr(av))
            elif op is re_constants.IN:
                chars |= named(av)
            elif op is re_constants.RANGE:
                chars.update(map(chr, range(av[0], av[1] + 1)))
            elif op is re_constants.BRANCH:
                chars = chars.union(*map(named, av[1]))
            elif op in (re_constants.SUBPATTERN, re_constants.MAX_REPEAT, re_constants.MIN_REPEAT,
                        re_constants.POSSESSIVE_REPEAT, re_constants.ASSERT, re_constants.ASSERT_NOT):
                chars |= named(av[-1])
            else:   # a position (^, $) or a category: blanks, which the cut is never made after
                assert op in (re_constants.AT, re_constants.CATEGORY, re_constants.NEGATE), op
                assert op is not re_constants.CATEGORY or av is re_constants.CATEGORY_SPACE
        return chars

    rules = [pattern for _, pattern, _, _, hint in dates._RULES for pattern in (pattern, hint) if pattern is not None]
    chars = set().union(*(named(re_parser.parse(rule.pattern)) for rule in rules + [dates.MAYBE_DATE, dates.BIRTH]))
    assert {"月", "日", "至", "、", "生"} <= chars
    assert not [c for c in chars if dates._NO_DATE_TEXT.match(c)]
    assert not [c for c in " \t\u3000\n" if dates._NO_DATE_TEXT.match(c)]


def test_a_range_is_read_from_all_its_groups():
    assert sorted(dates._RANGE_GROUPS) == sorted(dates._RANGE.groupindex)


def test_no_date_rule_skipped_on_the_seed_clauses_would_have_matched():
    clauses = _clauses()
    assert len(clauses) > 1000
    assert [(clause, rules) for clause in clauses if (rules := _skipped_rules_match(clause))] == []


# --- the case-body readers (exposure, discovery, hospital, onset) ---------------------------------------------

import casedb.grammar.clinical as clinical  # noqa: E402
import casedb.grammar.demographics as demographics  # noqa: E402
import casedb.grammar.discovery as discovery  # noqa: E402
import casedb.grammar.hospital as hospital  # noqa: E402
import casedb.parse as parse  # noqa: E402
from casedb.grammar.scan import SENTENCE_ENDS, after_last_of  # noqa: E402
from tests.corpus.demographics import SCHOOL  # noqa: E402

_GROUPED_DISCOVERY = re.compile("|".join(f"(?P<{kind}>{rule})" for kind, rule in discovery._RULES))
_GROUPED_MOVED = re.compile(r"(?:转运|转送|转移|送往|转往|接往|收治|收住|收入|入住|住进|住到|转诊|转院)(?:至|到|入|往|于|在)?"
                            r"|(?:转|送)(?:其|患者|病人|该患者|该病例)?(?:至|到|入|往)|接(?:其|患者|病人|该患者|该病例)(?:至|到|往)|接(?:至|入)")
_GROUPED_STAYING = re.compile(r"(?<![存所实好])(?:现|目前|已|正)?(?:在|于|入|到|至|前往|来|赴|(?<![回出过进上下失离])去|(?<![已曾神途历业])经(?![过由济营常理历]))|现住"
                              r"|(?<![好流运])转(?![运送归至到入往诊院其])|(?<![运转护接迎])送(?![至到入往回其])")


_GROUPED_POSITIVE = re.compile(r"(?:核酸|检测|结果|初筛|复核|复检|筛查|采样|检出)[^。;；阴抗]{0,14}?(?:弱)?阳性(?![感者病人员样])|"
                               r"核酸(?:检测|复核|复检)?(?:结果)?确诊")


_GROUPED_ISOLATION = re.compile(r"(?:集中隔离|隔离医学观察|医学隔离观察|隔离观察|居家隔离|隔离管控)")


def test_an_isolation_found_from_its_word_ends_where_the_grouped_rule_s_ends_in_its_sentence():
    """parse._ISOLATION starts at 隔离 (not at 集中隔离's 集): the same ends, each in the sentence of the grouped rule's
    match, as all that parse._dated_event reads of a match."""
    def read(rule, text):
        return [(after_last_of(SENTENCE_ENDS, text, 0, m.start()), m.end()) for m in rule.finditer(text)]

    texts = _texts() + _heldout_lines() + ["集中隔离医学观察", "居家隔离观察", "居家隔离医学观察", "医学隔离观察", "集中隔离管控",
                                           "隔离医学观察。隔离管控", "居家医学隔离观察", "隔离点隔离观察", "医学隔离医学观察"]
    assert sum(len(read(_GROUPED_ISOLATION, text)) for text in texts) > 100
    for text in texts:
        assert read(parse._ISOLATION, text) == read(_GROUPED_ISOLATION, text), text


_GROUPED_SCHOOL = re.compile(demographics._SCHOOL.pattern.replace("在(?<![^,，:：;；\\s]在)", "(?<![^,，:：;；\\s])在"))


_GROUPED_DIAGNOSIS = re.compile(
    r"(?:诊断|判定|确诊|订正|转归|转|确定|认定|研判|分型)(?:其|结果)?(?:为|是|:)[^。;；]{0,16}?"
    r"(?P<what>无症状感染者|无症状|确诊病例|确诊患者|轻型|普通型|重型|危重型|疑似病例|新冠肺炎确诊|新冠肺炎(?!无症状))(?![\d的之])"
    r"|(?P<what2>确诊病例)[(（](?:轻型|普通型|重型)"
    r"|(?:^|[,，。;；])\s*(?:为|系|是)(?:新冠病毒|新冠肺炎|新型冠状病毒)?(?P<what3>无症状感染者|确诊病例)(?![\d的之])")


def _diagnoses(text: str) -> list[tuple[tuple[int, int], str]]:
    """The diagnosis statements in ``text`` as demographics reads them: one at its start, then the flat rule."""
    first = demographics._DIAGNOSIS_AT_START.match(text)
    found = [first] if first else []
    found += demographics._DIAGNOSIS.finditer(text, first.end() if first else 0)
    return [(m.span(), m.group(m.lastindex)) for m in found]


def _texts() -> list[str]:
    return [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]


def _heldout_lines() -> list[str]:
    return [line for path in sorted((SEEDS.parent / "tests").glob("heldout*/*.txt"))
            for line in to_simplified(path.read_text(encoding="utf-8")).splitlines()]


def test_flat_rules_match_as_the_grouped_rules():
    for text in _texts():
        assert ([(m.span(), discovery._KIND[m.lastindex]) for m in discovery._DISCOVERY.finditer(text)]
                == [(m.span(), m.lastgroup) for m in _GROUPED_DISCOVERY.finditer(text)])
        assert [m.span() for m in hospital._MOVED.finditer(text)] == [m.span() for m in _GROUPED_MOVED.finditer(text)]
        assert [m.span() for m in hospital._STAYING.finditer(text)] == [m.span() for m in _GROUPED_STAYING.finditer(text)]
        assert [m.span() for m in parse._POSITIVE.finditer(text)] == [m.span() for m in _GROUPED_POSITIVE.finditer(text)]
    schools = [text for _, texts in SCHOOL for text in texts] + ["在某中学就读", "x在某小学就读", ",在某中学就读", "在在某中学就读"]
    assert _GROUPED_SCHOOL.pattern != demographics._SCHOOL.pattern
    for text in _texts() + schools:
        assert [m.span() for m in demographics._SCHOOL.finditer(text)] == [m.span() for m in _GROUPED_SCHOOL.finditer(text)]
    from tests.corpus.demographics import CATEGORY

    statements = [text for _, texts in CATEGORY for text in texts] + ["为确诊病例", " 系无症状感染者,后订正为确诊病例",
                                                                    "诊断为确诊病例(轻型)", "确诊病例(普通型)", "，是新冠肺炎确诊病例"]
    for text in _texts() + statements + _heldout_lines():
        assert _diagnoses(text) == [(m.span(), m.group("what") or m.group("what2") or m.group("what3"))
                                    for m in _GROUPED_DIAGNOSIS.finditer(text)], text


def test_a_reader_skips_only_where_its_rule_finds_nothing():
    for text in _texts():
        for line in text.splitlines():
            first = clinical._ONSET.search(line)
            cue = clinical._ONSET_CUE.search(line)
            assert first is None or (cue is not None and first.start() >= cue.start() - clinical._CUE_REACH)
            assert hospital._MEDICAL.search(line) is None or hospital._MEDICAL_CUE.search(line) is not None
            assert demographics._OCCUPATION.search(line) is None or demographics._OCCUPATION_CUE.search(line) is not None


def test_a_label_rule_is_skipped_only_where_it_finds_nothing():
    from casedb.grammar import labels
    from tests.corpus.labels import EXAMPLES as LABELS

    texts = _texts() + [text for _, texts in LABELS for text in texts] + ["与1号确诊病例同住", "为病例李某的密接", "病例王某某"]
    for rule, held in labels._HELD_BY_EVERY_MATCH.items():
        assert any(rule.search(text) for text in texts)
        for text in texts:
            assert rule.search(text) is None or held.search(text) is not None


def test_the_number_hao_rule_tried_before_each_cued_hao_finds_what_it_finds_over_the_text():
    from casedb.grammar import labels
    from tests.corpus.labels import EXAMPLES as LABELS

    texts = _texts() + [text for _, texts in LABELS for text in texts] + [
        "与1号确诊病例同住", "第12号病例", "123456号病例", "12号病例和13号确诊病例", "a9号病例", "病例1、2号病例", "1月2号病例3"]
    found = 0
    for text in texts:
        for start in (0, 1, 3):
            general = [m.span() for m in labels._NUMBER_HAO.finditer(text, start, len(text))]
            assert [m.span() for m in labels._numbers_hao(text, start, len(text))] == general, text
            found += len(general)
    assert found >= 5


def test_a_bare_label_is_looked_for_only_in_a_text_holding_its_cue():
    from casedb.grammar import labels

    examples = ["确诊病例:", "  • 确诊病例(轻型) :", "无症状感染者,居住在", "病例\n  男,3岁", "。患者1例,女,45岁",
                "其中,无症状感染者为一学校食堂工作人员", "初筛阳性人员现住某区", "\n感染者 34岁", "病例:", "病例为"]
    texts = _texts() + _heldout_lines() + examples + ["\n".join(examples)]
    assert sum(labels._BARE_LABEL.search(text) is not None for text in examples) >= 7
    for text in texts:
        assert labels._BARE_LABEL.search(text) is None or labels._may_hold_a_bare_label(text, 0, len(text)), text


def test_a_bare_label_s_cue_rules_led_by_their_words_find_as_the_grouped_one():
    from casedb.grammar import labels

    grouped = re.compile(r"(?:病例|患者|感染者|阳性者|阳性人员)(?:[(（][^)）\n]{0,6}[)）])?[ \t]*(?:(?:1|一)例)?[ \t]*"
                         r"(?:[:：为系是]|[,，:：]?[ \t]*(?:\n[ \t]*)?(?:男|女|\d{1,3}岁|现住|居住|住址|家住))")
    examples = ["确诊病例:", "病例(轻型) 1例 :", "阳性人员1例,女", "病例1例为", "患者一例男", "病例12岁", "病例123岁",
                "病例1234岁", "感染者\n 现住", "阳性者,\n\t女", "病例(一)例", "病例12,", "病例。", "密切接触者:", "病例 例"]
    texts = _texts() + _heldout_lines() + examples
    assert sum(grouped.search(text) is not None for text in examples) >= 9
    for text in texts:
        assert labels._may_hold_a_bare_label(text, 0, len(text)) == (grouped.search(text) is not None), text


# --- the trajectory walk's guard phrases -----------------------------------------------------------------------

import casedb.grammar.homes as homes  # noqa: E402
import casedb.grammar.places as places  # noqa: E402
import casedb.grammar.trajectory as trajectory  # noqa: E402

_GROUPED_NOT_TRAJECTORY = re.compile(
    r"长期|平时|平日|经常|常常|通常|一般|追踪|密接|密切接触者\d|流调|流行病学|排查|协查|发函|消杀|消毒|"
    r"旅居史|居住史|旅行史|接触史|如下|(?:均|全程)佩戴|隔档|付款|无社会面|无公共场所|请|如果|如有|若有|提醒|市民|群众|"
    r"发布会|新闻|专家|筛查(?!点)|新增|累计|本土病例|获悉|得知|了解到|以来|就近(?![到至去在])|及时|避免|第一时间|不要|暂不|务必|"
    r"截至|截止|(?<!短)暂停|停运|防控措施|过程中|"
    r"(?<![0-9])[0-9]+例(?:本土|境外|确诊|无症状|新冠|病例)")
_KIN_WORDS = "|".join(sorted((w for w in places.KIN if len(w) > 1), key=len, reverse=True))
_GROUPED_AFTER_DETECTION = re.compile(
    r"(?<!主动)隔离(?!酒店消杀)|指定医院|指定机构|转运|转送|转诊|转至|"
    r"[被由](?![^，,。；;]{0,12}?(?:" + _KIN_WORDS + r"|其[子女]|家长|朋友|邻居|同事|私家车|自家车|租车))[^，,。；;]{0,12}送[至往到]|"
    r"救护车|负压|120|定点医|收治|收入|住院治疗|(?:目前|现)在[^，,。；;]{1,20}?(?:治疗|救治)|医学观察|管控|闭环|封控|"
    r"确诊为|诊断为|检测[结呈][果]?[呈为]?阳|阳性")


_GROUPED_OWN_SUBJECT = re.compile(
    rf"^[\s{places.MASK}]*(?:本人|该患者|该病例|[一-龥]某某?(?![一-龥]?(?:{trajectory._KIN_WORDS}))|"
    rf"(?:患者|病例[0-9一二三四五六七八九十]*)(?![0-9一二三四五六七八九十]|的?(?:{trajectory._KIN_WORDS})))|"
    r"(?:与|和|同|跟|陪同?|带|送|载|接)(?:其|患者|本人|他|她|该患者)")


def test_literal_first_guards_match_as_the_grouped_ones():
    """The walk's guards start every alternative with a literal (the engine skips to it); they match the same."""
    clauses = _clauses() + PHRASES + ["3例本土病例", "12例确诊", "短暂停留", "暂停营业", "主动隔离", "被隔离", "全程佩戴口罩",
                                      "由120救护车送至医院", "由其子驾车送至医院", "现在某医院治疗", "目前在家",
                                      "本人到超市", " 该患者陪同其前往", "张某与其妻子", "患者的母亲到", "陪其前往", "病例3到"]
    for clause in clauses:
        not_trajectory = (trajectory._NOT_TRAJECTORY.search(clause) is not None
                          or trajectory._CASE_COUNT.search(clause) is not None)
        assert not_trajectory == (_GROUPED_NOT_TRAJECTORY.search(clause) is not None), clause
        own_subject = (trajectory._OWN_SUBJECT.match(clause) is not None
                       or trajectory._GOING_ALONG.search(clause) is not None)
        assert own_subject == (_GROUPED_OWN_SUBJECT.search(clause) is not None), clause
        assert ([m.span() for m in places._AFTER_DETECTION.finditer(clause)]
                == [m.span() for m in _GROUPED_AFTER_DETECTION.finditer(clause)]), clause


#: The lookbehinds of :data:`places._VERB` and :data:`homes._HOME_NAMED` written first, before their word.
_LOOKBEHIND_FIRST_VERB = re.compile(
    places._VERB.pattern.replace("在(?<![所现正存实内外好都还即只旨]在)", "(?<![所现正存实内外好都还即只旨])在")
    .replace("至(?<!周[一二三四五六日]至)", "(?<!周[一二三四五六日])至")
    .replace("于(?<![位由关对等属至终处基鉴]于)", "(?<![位由关对等属至终处基鉴])于")
    .replace("到(?<![接收得想听遇碰找受感达]到)", "(?<![接收得想听遇碰找受感达])到"))
_LOOKBEHIND_FIRST_HOME_NAMED = re.compile(r"(?<=[区村苑园城里院楼号室舍庄寓])家(?:中|里)(?=[\s;；。,，]*$)")


def test_words_before_their_lookbehinds_match_as_written_lookbehind_first():
    assert _LOOKBEHIND_FIRST_VERB.pattern.count("(?<") == places._VERB.pattern.count("(?<") == 4
    clauses = _clauses() + PHRASES + ["现在家中", "周一至周五", "至今", "位于某路", "咳嗽于甲县人民医院就诊", "接到电话",
                                      "到超市购物", "在超市", "自强小区家中", "家中"]
    for clause in clauses:
        assert [m.span() for m in places._VERB.finditer(clause)] == [m.span() for m in _LOOKBEHIND_FIRST_VERB.finditer(clause)]
        assert ([m.span() for m in homes._HOME_NAMED.finditer(clause)]
                == [m.span() for m in _LOOKBEHIND_FIRST_HOME_NAMED.finditer(clause)]), clause


def test_list_separators_written_as_literals_split_as_the_class_first_rule():
    class_first = re.compile(r"[、及]|以及")
    for text in _clauses() + ["A、B及C", "A、B以及C", "以及", "及时就诊", "甲、、乙"]:
        assert places._LIST_SEP.split(text) == class_first.split(text), text
        assert [m.span() for m in places._LIST_SEP.finditer(text)] == [m.span() for m in class_first.finditer(text)]
        assert places._may_list(text) or places._LIST_SEP.search(text) is None, text


# --- rides ---------------------------------------------------------------------------------------------------------

import casedb.grammar.transport as transport  # noqa: E402

_COACH_LOOKAHEAD = r"(?=[\u4e00-\u9fff]{0,4}[大中小客长班包旅摆通])"
_COACH_FROM_TO = r"由[^，,。；;的\s]{1,12}(?:至|到|开往|发往)[^，,。；;的\s]{1,10}的"


def test_rides_are_found_alike_by_the_rules_a_text_allows():
    """Each ride rule's matches hold one of the words it names; a text without any rule's words finds the same rides
    with the rules without (led by their first characters); the coach rule (its lookahead, 由X至Y的 written as an
    alternative) finds what it finds written plainly, with an optional 由X至Y的 and no lookahead."""
    assert transport._COACH.startswith(_COACH_LOOKAHEAD)
    plain_coach = f"(?:{_COACH_FROM_TO})?{transport._COACH.removeprefix(_COACH_LOOKAHEAD)}"
    as_written = re.compile("|".join(f"(?P<{mode}{i}>{plain_coach if mode == 'coach' else rule})"
                                     for i, (mode, rule, _) in enumerate(transport._RULES)))
    texts = _clauses() + _texts() + ["乘坐K1234次列车", "乘坐由石家庄开往北京的大巴车", "搭乘3路公交车", "坐出租车",
                                     "乘地铁2号线", "乘坐CA1234航班", "乘坐渡轮", "坐长途汽车", "由村里到镇上的班车",
                                     "由家到单位的路上乘坐公交车"]
    for text in texts:
        expected = [(m.span(), m.lastgroup) for m in as_written.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in transport._RIDE.finditer(text)] == expected
        if transport._RARE_RULE_WORDS.search(text) is None:
            assert [(m.span(), m.lastgroup) for m in transport._COMMON_RIDE.finditer(text)] == expected
        for _, rule, words in transport._RULES:
            assert words is None or all(any(word in m.group(0) for word in words) for m in re.finditer(rule, text)), \
                (rule, text)


def test_a_text_may_name_a_ride_as_by_one_rule_with_its_classes_first():
    """The cheap test before the ride rules (searches led by what the engine skips to) answers as the one rule it
    was: a letter and a digit, a digit and 路 or 线 (with a space between or not), or a ride's word (车 in one: 乘车,
    出租车, 动车 but not 电动车 …), 高铁, 轻轨, 班机 or 号路."""
    one_rule = re.compile(r"[A-Z][0-9]|[0-9]\s?[路线]|航|[乘坐打拼约租风汽班包客游勤火列]车|(?<!电)动车|线|渡|轮|打的|的士|"
                          r"滴滴|BRT|公交|巴|地铁|轨道|摩的|客运|高铁|轻轨|班机|号路")
    texts = _clauses() + _texts() + ["K1234次", "3路", "3 路", "路边", "一路", "5号线", "A 1", "a1", "乘BRT", "B1栋",
                                     "乘高铁", "乘高铁,驾车", "驾车,乘高铁", "骑电动车", "乘动车"]
    for text in texts:
        assert transport._may_name_a_ride(text) == (one_rule.search(text) is not None), text


#: The cheap test as it was, every 车 counting (and 高铁, 轻轨, 班机, 号路, which it let through only beside a 车).
_MAY_NAME_A_RIDE_ANY_CHE = re.compile(r"[A-Z][0-9]|[0-9]\s?[路线]|航|车|线|渡|轮|打的|的士|滴滴|BRT|公交|巴|地铁|轨道|摩的|客运|"
                                      r"高铁|轻轨|班机|号路")


def test_a_text_the_cheap_test_turns_away_names_no_ride():
    """No rule matches a text the cheap test turns away where the test as it was, taking every 车, let it through;
    and the test lets through no text that it turned away (so rides are found as they were)."""
    from tests.corpus.transport import EXAMPLES as RIDES, NEGATIVES as NOT_RIDES

    texts = _clauses() + _texts() + [text for _, texts in RIDES for text in texts] + NOT_RIDES + [
        "乘私家车换乘高铁", "驾车后坐轻轨", "骑电动车到5号路", "驾车,12 3456班机", "自驾车至CA 1823班机"]
    rules = [transport._PLATE_RIDE] + [re.compile(rule) for _, rule, _ in transport._RULES]
    for text in texts:
        if transport._may_name_a_ride(text):
            assert _MAY_NAME_A_RIDE_ANY_CHE.search(text), text
        elif _MAY_NAME_A_RIDE_ANY_CHE.search(text):
            assert not any(rule.search(text) for rule in rules), text


_GROUPED_HOME = re.compile(
    r"(?:居家|在家中?|居村|在本?村(?:内|中|里)?(?:活动)?|在居住处|在住处|在宿舍|在居住地|在小区内?|一直)"
    r"(?:期间)?(?:未|无|没有|均未|一直未)(?:外出|出门|出|离开)"
    r"|(?<![以列人])(?:居家|居村)(?:隔离|休息|观察|养病)?(?!健康|监测|自我|为主|快筛|筛检|自测|抗原|检测|检疫)"
    r"|在家(?:中|里)?(?!养病|休养|中养病|中休养|具|电|居|纺|乐|园|属|政|福|门口|[中里]?(?:聚餐|聚会|吃饭|宴请|打牌|打麻将))"
    r"|(?:自述|均|一直|全天)?(?:未|无|没有)再?(?:外出|出门|出家门)")


def test_the_home_phrase_matches_as_the_grouped_one():
    texts = _clauses() + _texts() + ["居家未外出", "在家中未外出", "在本村内活动未外出", "以居家为主", "13人列居家隔离",
                                     "居家隔离", "在家中聚餐", "在家休息", "自述未外出", "一直未外出", "均无外出", "没有再出门"]
    for text in texts:
        assert [m.span() for m in homes._HOME.finditer(text)] == [m.span() for m in _GROUPED_HOME.finditer(text)], text


import casedb.grammar.place_lists as place_lists  # noqa: E402


def test_a_shared_list_heading_holds_its_cue():
    """:func:`~casedb.grammar.place_lists.heading_end` searches only a text holding a cue word: every heading holds one."""
    headings = ["上述病例的活动场所主要涉及以下点位:", "3人涉及的风险点位如下:", "2人活动轨迹涉及以下地点:", "新增病例近日主要活动轨迹为:",
                "以下为无症状感染者3-5活动轨迹:", "。涉及到我市范围内的公共场所如下:", "相关病例涉及区域:"]
    rules = (place_lists.SHARED_LIST_HEADING, place_lists._PLACES_HEADING)
    assert all(any(rule.search(heading) for rule in rules) for heading in headings)
    for text in _texts() + headings:
        for rule in rules:
            for m in rule.finditer(text):
                assert place_lists.HEADING_CUE.search(m.group(0)), m.group(0)


def test_a_head_reader_skips_only_where_its_rule_finds_nothing():
    """find_sex, find_age, find_spouse_sex and find_residence run a rule only on a text holding what each of its
    matches holds: 男 or 女, 岁, 月龄 or 个月, a spouse word, a place person's ending (X人, / X居民。)."""
    from tests.corpus.demographics import AGE, RESIDENCE, SEX, SPOUSE_SEX

    heads = [text for group in (AGE, RESIDENCE, SEX, SPOUSE_SEX) for _, texts in group for text in texts]
    texts = _texts() + [line for text in _texts() for line in text.splitlines()] + heads
    gates = ((demographics._SEX, lambda text: "男" in text or "女" in text),
             (demographics._AGE_YEARS, lambda text: "岁" in text),
             (demographics._AGE_MONTHS, lambda text: "月龄" in text or "个月" in text),
             (demographics._WITH_SPOUSE, lambda text: demographics._SPOUSE_CUE.search(text) is not None),
             (demographics._PLACE_PERSON, lambda text: demographics._PERSON_END.search(text) is not None),
             (demographics._DIVISION_PERSON, lambda text: demographics._PERSON_END.search(text) is not None))
    for rule, gate in gates:
        assert any(rule.search(text) for text in heads), rule.pattern
        for text in texts:
            assert rule.search(text) is None or gate(text), (rule.pattern, text)


def test_named_paragraphs_are_found_at_line_starts_as_over_the_text():
    from casedb.grammar import labels

    texts = _texts() + ["郭某明(男,54岁):\n2.宁某某,男,34岁\n李某于1月30日作为密接确诊", "\n\n张某,女,3岁\n 王某某,1月30日确诊"]
    assert any(labels.NAMED_PARAGRAPH.search(text) for text in texts)
    for text in texts:
        for start, end in ((0, len(text)), (1, len(text) - 1), (len(text) // 3, 2 * len(text) // 3)):
            assert ([m.span() for m in labels.named_paragraphs(text, start, end)]
                    == [m.span() for m in labels.NAMED_PARAGRAPH.finditer(text, start, end)]), (text, start, end)


def test_a_contacts_trajectory_holds_its_cue_and_a_woman_her_word():
    import casedb.persons as persons

    contacts = ["该病例母亲为密切接触者,其活动轨迹为:", "其妻子为其次密接,轨迹如下:", "同事为密接者的行程轨迹:"]
    assert all(persons._CONTACTS_TRAJECTORY.search(text) for text in contacts)
    assert demographics._WOMAN.search("54岁妇人从桃园上车")
    for text in _texts() + contacts:
        for m in persons._CONTACTS_TRAJECTORY.finditer(text):
            assert persons._CONTACT_STATED.search(m.group(0)), m.group(0)
        for m in demographics._WOMAN.finditer(text):
            assert "妇" in m.group(0)


def test_a_filler_only_text_is_told_by_a_full_match_as_by_removing_its_filler():
    filler = re.compile(trajectory._TIME_ONLY_FILLER.pattern[:-1] + "+")   # the class, repeated: what is removed
    texts = _clauses() + ["", " ", "约\x00左右", "\x00时\x00分许", "7时许到超市", "于\x00至\x00,"]
    for text in texts:
        assert (trajectory._TIME_ONLY_FILLER.fullmatch(text) is not None) == (not filler.sub("", text)), text
        for start in range(0, len(text), 7):
            assert (trajectory._TIME_ONLY_FILLER.fullmatch(text, start) is None) == bool(filler.sub("", text[start:])), text


def test_another_subject_holds_a_kin_word():
    texts = _clauses() + ["患者妻子曾到超市", "其子1月24日到", "该病例的母亲到", "张某某的丈夫到", "其妻子为病例3", " \x00其女到"]
    assert any(trajectory._OTHER_SUBJECT.match(text) for text in texts)
    for text in texts:
        m = trajectory._OTHER_SUBJECT.match(text)
        assert m is None or trajectory._KIN_CUE.search(m.group(0)), text


_GROUPED_RECENT = re.compile(r"(?<!即)(?:近\s*\d+\s*[天日]内|近[一两二三]?周|近期|近日|最近|[发病]{2}前|发病后曾|病发后|潜伏期|"
                             r"活动范围|此外|另外|足迹)")


def test_the_recent_period_rule_starts_with_its_words_and_matches_as_the_grouped_one():
    texts = _clauses() + PHRASES + ["近14天内曾去过", "近 3 日内", "近两周", "发病前曾到", "病发后", "即潜伏期", "上月22日,即潜伏期间",
                                    "此外,还到过", "其足迹包括", "即近期", "发病后曾到"]
    assert any(_GROUPED_RECENT.search(text) for text in texts)
    for text in texts:
        assert (trajectory._RECENT.search(text) is None) == (_GROUPED_RECENT.search(text) is None), text


def test_the_last_hospital_is_the_last_verb_that_names_one():
    """find_hospital reads its verbs from the text's end and stops at the first that names a hospital: the one a
    reading of every verb from the start keeps last."""
    from tests.corpus.hospital import HOSPITAL

    checked = 0
    for line in [line for text in _texts() for line in text.splitlines()] + _heldout_lines() + [text for _, texts in HOSPITAL for text in texts]:
        named = [span for verb in (hospital._MOVED, hospital._STAYING) for m in verb.finditer(line)
                 if (span := hospital._named_after(line, m)) is not None]
        if named and not hospital._ADMITTED_BY.search(line):
            checked += 1
            assert hospital.find_hospital(line) == max(named, key=lambda span: span[0]), line
    assert checked > 100


def test_an_exposure_rule_read_from_its_reach_before_its_cue_finds_every_match():
    """exposure._matches looks for a rule's matches from _REACH before its first cue on: the same as from the start."""
    import casedb.grammar.exposure as exposure
    from tests.corpus.exposure import EXPOSURE

    texts = _texts() + [line for text in _texts() for line in text.splitlines()] + _heldout_lines()
    texts += [text for _, texts in EXPOSURE for text in texts]
    # each rule's cue as far into its match as it goes
    texts += ["作为" + "甲" * 30 + "的次密切接触者", "甲" * 12 + "来宁人员", "甲" * 12 + "等地的旅居史"]
    for rule in (exposure._TRIP, exposure._STAY, exposure._COMER, exposure._SOURCE):
        assert any(rule.search(text) for text in texts)
        for text in texts:
            assert [m.span() for m in exposure._matches(rule, text)] == [m.span() for m in rule.finditer(text)], text


def test_an_exposure_rule_s_cue_ends_with_the_word_looked_for_before_it():
    """exposure._matches skips the scan with a rule's cue in a body without the word of _CUE_HOLDS: every match of the
    cue ends with that word (its rule is a sequence that ends with the word's characters; a rule that is one
    alternation parses as one item)."""
    from re import _constants as sre
    from re import _parser

    import casedb.grammar.exposure as exposure

    assert exposure._CUE_HOLDS
    for pattern, word in exposure._CUE_HOLDS.items():
        parsed = list(_parser.parse(exposure._CUES[pattern].pattern))
        assert parsed[-len(word):] == [(sre.LITERAL, ord(char)) for char in word]
        assert len(parsed) > len(word)


@pytest.mark.parametrize("rule", ["_DESCRIBED_PARAGRAPH", "_BARE_LABEL", "NAMED_PARAGRAPH"])
def test_a_line_start_rule_finds_as_with_its_blanks_given_back(rule):
    """The blanks that indent a line are taken once (``[ \\t]*+``): given back, they were split among the rule's
    blank runs in every way before a line failed (four runs in a described paragraph: about 40 µs a line)."""
    from casedb.grammar import labels

    taken_once = getattr(labels, rule)
    given_back = re.compile(taken_once.pattern.replace(r"[ \t]*+", r"[ \t]*", 1))
    assert given_back.pattern != taken_once.pattern
    examples = ["男,44岁,现住…", "  2,女,50岁,", "\t 患者女性,33岁", "\n      新增确诊患者,71岁女性", "   周某某,女,现居住地",
                "  3  . 男, 4岁", "        性别:男概况:现居", "         男人", "  • 确诊病例:", "\n    病例\n  男,3岁",
                "其中,  无症状感染者为一学校食堂工作人员", "   郭某明(男,54岁):", "  2.  宁某某,男,34岁", "\t李某于1月30日作为密接确诊"]
    texts = _texts() + _heldout_lines() + examples + ["\n".join(examples)]
    assert any(taken_once.search(text) for text in examples)
    for text in texts:
        assert ([m.groupdict() | {"span": m.span()} for m in taken_once.finditer(text)]
                == [m.groupdict() | {"span": m.span()} for m in given_back.finditer(text)]), text


def test_a_new_cases_sentence_is_found_at_sentence_starts_as_anywhere():
    from casedb import notices

    anywhere = re.compile(notices.NEW_CASES_SENTENCE.pattern.removeprefix("(?<![^。\\n])"))
    assert anywhere.pattern != notices.NEW_CASES_SENTENCE.pattern
    examples = ["11月23日,胶州市报告1例确诊病例。", "据通报,新增1例无症状感染者\n今日发现阳性", "报告。新增病例3例", "阳性新增"]
    texts = _texts() + examples + ["".join(examples)]
    assert any(notices.NEW_CASES_SENTENCE.search(text) for text in examples)
    for text in texts:
        assert ([m.span() for m in notices.NEW_CASES_SENTENCE.finditer(text)]
                == [m.span() for m in anywhere.finditer(text)]), text
    for line in _heldout_lines() + [line for text in texts for line in text.splitlines()]:
        assert ((m := notices.NEW_CASES_SENTENCE.match(line)) and m.span()) == ((m := anywhere.match(line)) and m.span())


def test_a_page_without_a_persons_words_holds_no_unlabelled_person():
    """person_mentions, described_persons and named_persons skip a page without an age, a 男 or 女, a 某."""
    from casedb.grammar import labels

    texts = _texts() + _heldout_lines() + ["一名25岁男子", "该名 20 多 岁女子", "8个月大女婴", "男,44岁,现住", "。患者女性,33岁",
                                           ",杨某齐,男,40岁", "郭某明(男,54岁):", "李某于1月30日作为密接确诊"]
    gates = ((labels._MENTION, lambda text: labels._AGE_OF_A_MENTION.search(text)),
             (labels._DESCRIBED_PARAGRAPH, lambda text: "男" in text or "女" in text),
             (labels._DESCRIBED_IN_PROSE, lambda text: "男" in text or "女" in text),
             (labels._NAMED_IN_PROSE, lambda text: "男" in text or "女" in text),
             (labels.NAMED_PARAGRAPH, lambda text: "某" in text))
    for rule, gate in gates:
        assert any(rule.search(text) for text in texts), rule.pattern
        for text in texts:
            assert rule.search(text) is None or gate(text), (rule.pattern, text)


def test_the_lead_sentence_with_an_age_is_found_from_its_first_age():
    texts = _texts() + ["据通报,该人员为外省来某人员。男,34岁,现住某区", "男,34岁", "无年龄。女。", "3个月,12岁;2岁", "第1岁"]
    for text in texts:
        for start, end in ((0, len(text)), (len(text) // 3, len(text)), (1, 2 * len(text) // 3)):
            found, anywhere = parse._aged_sentence(text, start, end), parse._AGED_SENTENCE.search(text, start, end)
            assert (found and found.span()) == (anywhere and anywhere.span()), (text, start, end)


def test_items_without_times_get_the_times_the_full_attachment_gives_them():
    import datetime as dt
    from itertools import product

    from casedb.grammar.times import TimeMatch
    pending, ridden = TimeMatch(0, 2, dt.time(8, 30)), TimeMatch(0, 2, dt.time(9, 0))
    after_all = TimeMatch(40, 42, None, part_of_day="上午")   # a time after the items, no clock: nothing to attach
    for kinds in [("visit",), ("transit",), ("transit", "visit"), ("visit", "transit", "visit"), ("visit", "visit")]:
        for waiting, first_time in product((None, pending), (None, ridden)):
            def items():
                made = [trajectory._Item(5 * n, 5 * n + 3, kind, "X") for n, kind in enumerate(kinds)]
                made[0].time = first_time
                return made
            without, full = items(), items()
            assert trajectory._attach_times(without, [], waiting, "") == trajectory._attach_times(full, [after_all], waiting, "")
            assert [i.time for i in without] == [i.time for i in full], (kinds, waiting, first_time)


def test_the_words_around_a_date_are_read_as_by_their_own_rules():
    """:func:`trajectory._clause_dates` reads a report's date and a vague bound after a date with one match, and tests
    the range words before a date only after 至/到/a dash or a blank: the same as each rule run on its own."""
    import casedb.grammar.trajectory as trajectory
    texts = PHRASES + _clauses() + [
        "1月10日第28号确诊病例", "5月13日吉林市通报的确诊病例2", "1月1日前半月内", "11月中旬至12月31日", "11月初 到 12月3日",
        "11月下旬-12月3日", "12月底—1月5日", "1月初－2月1日", "自12月15日起", "直至1月29日", "一直到 1月29日", "1月2日左右"]
    for text in texts:
        for position in range(len(text) + 1):
            after = trajectory._AFTER_DATE.match(text, position)
            report = trajectory._NOT_TRAJECTORY_DATE.match(text, position) is not None
            assert (after is not None and after.lastgroup == "report") == report, (text, position)
            vague = not report and trajectory._VAGUE_AFTER.match(text, position) is not None
            assert (after is not None and not report) == vague, (text, position)
            window = (text, max(0, position - 8), position)
            if trajectory._VAGUE_BEFORE.search(*window) or trajectory._UNTIL.search(*window):
                assert trajectory._after_range_word(text, position), (text, position)


def test_a_clause_fills_a_line_where_its_blanks_reach_the_line_ends():
    """:func:`trajectory._fills_a_line` looks right around the clause: the blanks next to it are in it."""
    import casedb.grammar.trajectory as trajectory

    def with_blanks_skipped(work, start, end):
        while start and work[start - 1] in " \t":
            start -= 1
        while end < len(work) and work[end] in " \t":
            end += 1
        return (start == 0 or work[start - 1] == "\n") and (end == len(work) or work[end] in "\n;；。")

    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))[:40]]
    texts += ["  1月5日 ,\t到超市 \n 2月3日：A店 ;", "\t\n \n 到B超市 。 \n"]
    for work in texts:
        for m in _CLAUSE.finditer(work):
            assert trajectory._fills_a_line(work, m.start(), m.end()) == with_blanks_skipped(work, m.start(), m.end()), (work, m)


def test_a_list_of_places_visited_is_a_telling_of_places_visited():
    """:func:`trajectory._read_rest` looks for the list's words only in a clause that tells places visited."""
    import casedb.grammar.trajectory as trajectory
    assert trajectory._VISITED.pattern.startswith(trajectory._VISITED_LIST.pattern + "|")
    for text in _clauses() + ["曾到过A超市", "行程涉及B区", "途经C站", "曾经去D店"]:
        assert not trajectory._VISITED_LIST.search(text) or trajectory._VISITED.search(text), text


def test_a_rule_compiles_the_same_with_its_character_classes_remembered(monkeypatch):
    """:func:`casedb.grammar.scan.remember_character_classes`: every rule of the parser's modules compiles to the
    same code with the regex compiler's own character-class optimiser."""
    import importlib
    import re
    from re import _compiler

    from casedb.grammar import scan

    modules = [importlib.import_module(f"casedb.{name}") for name in (
        "parse", "notices", "persons", "places", "read", "grammar.clinical", "grammar.dates", "grammar.demographics",
        "grammar.discovery", "grammar.exposure", "grammar.homes", "grammar.hospital", "grammar.labels",
        "grammar.numbers", "grammar.place_lists", "grammar.places", "grammar.relations", "grammar.times",
        "grammar.trajectory", "grammar.transport")]
    rules = [value for module in modules for value in vars(module).values() if isinstance(value, re.Pattern)]
    assert len(rules) > 300 and getattr(_compiler._optimize_charset, "remembers", False)
    monkeypatch.setattr(_compiler, "_optimize_charset", _compiler._optimize_charset.original)
    assert [scan.compile_anew(rule.pattern, rule.flags) for rule in rules] == rules


_GROUPED_TRAVEL_AT = r"(?:(?<=[日号，,；;：:])|(?=[自从由离]))(?=[^，,。；;\n]*?[返回来抵到入飞前至])"


def test_a_travel_statement_is_found_from_the_character_before_it_as_from_its_start():
    """exposure._TRAVEL starts with the character before a statement (日, a comma) or its first (自): every
    statement, and the first that reads as travel, as the rule that starts at the statement finds them."""
    import casedb.grammar.exposure as exposure
    from tests.corpus.exposure import EXPOSURE

    grouped = re.compile(
        _GROUPED_TRAVEL_AT + rf"(?:(?<=[日号])(?:上午|中午|下午|傍晚|晚上|晚|凌晨|早上)?(?:自|从|由|离开)?|(?<=[，,；;：:])|自|从|由|离开)"
        rf"(?P<origin>{exposure._PLACE})(?:经{exposure._PLACE})?(?:{exposure._RIDE})?"
        r"(?:返回|回到|回来|返乡|回乡|回|返|来到|来|抵达|到达|抵|入境|飞抵|前往|到|至)")

    def statements(rule, text, lead):
        found, position = [], 0
        while (m := rule.search(text, max(position - 1, 0) if lead else position)) is not None:
            start = m.start() + 1 if lead and text[m.start()] in exposure._TRAVEL_LEAD else m.start()
            if start < position:   # the rule's own 自 at the last start: from one character on
                m = rule.search(text, position)
                start = m and (m.start() + 1 if text[m.start()] in exposure._TRAVEL_LEAD else m.start())
                if m is None:
                    break
            found.append((start, m.end(), m.group("origin")))
            position = start + 1
        return found

    def first(text):
        for start, end, origin in statements(grouped, text, False):
            if exposure._is_origin(origin) and not exposure._negated(text, start, end):
                return start, end, origin, True
        return None

    texts = _texts() + [line for text in _texts() for line in text.splitlines()] + _heldout_lines()
    texts += [text for _, texts in EXPOSURE for text in texts]
    texts += ["1月2日从武汉返回", "1日自武汉返回", "日从武汉回", "，离开武汉回家", "离开武汉回", "中午自驾从浙江嘉兴返回",
              "3日下午从武汉经宁波返回", "号离开湖北到", "自从武汉回来", "日日从武汉回"]
    assert sum(first(text) is not None for text in texts) > 50
    for text in texts:
        assert statements(exposure._TRAVEL, text, True) == statements(grouped, text, False), text
        assert exposure._first_travel(text) == first(text), text


def test_a_stated_pair_is_looked_for_over_all_the_pairs_segments_first():
    """parse._link_pairs_told_after scans the span of all its pairs' segments once before each segment: a match in a
    segment is one in the span only for a rule that looks at nothing around its match."""
    from re import _constants as sre
    from re import _parser

    from casedb.grammar.relations import TWO_OF_THEM

    def ops(items):
        for op, arg in items:
            yield op
            for part in (arg if isinstance(arg, (tuple, list)) else ()):
                if isinstance(part, _parser.SubPattern):
                    yield from ops(part)
                elif isinstance(part, list):
                    for alternative in part:
                        if isinstance(alternative, _parser.SubPattern):
                            yield from ops(alternative)

    found = set(ops(_parser.parse(TWO_OF_THEM.pattern)))
    assert sre.BRANCH in found and sre.LITERAL in found
    assert not found & {sre.ASSERT, sre.ASSERT_NOT, sre.AT}


def test_names_found_with_str_find_are_those_a_rule_of_the_names_finds():
    """relations._occurrences: the same (position, name) as the names' rule, longest first, that _named compiled for
    each case, on names that are written inside one another (张某, 张某某, 某某)."""
    from casedb.grammar.relations import _occurrences

    texts = _texts() + _heldout_lines() + ["张某某与张某同住，某某张某某", "病例张某某,其妻李某"]
    checked = 0
    for text in texts:
        written = set(re.findall(r"[一-龥]某[某一-龥]?", text))
        for names in ([written] if written else []) + [written | {"某某", "张某", "张某某", "某"}, {"张某"}]:
            rule = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
            for start, end in ((0, len(text)), (len(text) // 3, len(text) - 2)):
                expected = [(m.start(), m.group()) for m in rule.finditer(text, start, end)]
                assert _occurrences(text, start, end, names) == expected, (text, names)
                checked += bool(expected)
    assert checked > 50


def test_returns_found_from_the_character_before_them_are_the_rule_s_matches():
    import casedb.grammar.exposure as exposure
    from tests.corpus.exposure import EXPOSURE

    texts = _texts() + [line for text in _texts() for line in text.splitlines()] + _heldout_lines()
    texts += [text for _, texts in EXPOSURE for text in texts] + ["1月21日返回滨州，22日返回滨州", "日返回滨州日返乡", "午返乡"]
    # a return as far before its verb and after the last verb as it reaches (exposure._RETURN_BEFORE_VERB, _AFTER_VERB)
    texts += ["，1月2日由某某某某某某某某乘坐某某某某某某某某某某某某某某某某返回武汉，", "日由某某某某某某某某乘坐某某某某某某某某某某某某某某某某返回武汉",
              "日回到某某某某某某某某，", "日回到某某某某某某某某", "前日回到某某某某某某某某某。", "日抵达武汉。日到达某某某某某某某某，"]
    assert sum(exposure._RETURN.search(text) is not None for text in texts) > 20
    for text in texts:
        assert [m.span() for m in exposure._returns(text)] == [m.span() for m in exposure._RETURN.finditer(text)], text
    # a body without one of _RETURN_WORDS is not scanned: every verb of a return holds one
    assert all(any(word in verb for word in exposure._RETURN_WORDS)
               for verb in exposure._HOME_RETURNS + exposure._RETURN_VERBS)


def test_a_numbered_label_is_found_from_its_first_digit_and_a_bracketed_one_after_a_person():
    """labels._NUMBER_HAO tests its lookbehind after the first digit: the same matches as the rule led by it; the
    bracketed rules are skipped only for a text without a bracket right after a person's character."""
    from casedb.grammar import labels
    from tests.corpus.labels import EXAMPLES as LABELS

    led = re.compile(rf"(?<![第\d])(?P<num>\d{{1,5}})号(?P<kind>{labels._PREFIX}{labels._KIND})")
    texts = _texts() + [text for _, texts in LABELS for text in texts] + _heldout_lines()
    texts += ["与1号确诊病例同住", "第1号病例", "123456号病例", "12345号病例", "1号2号病例", "第12号病例、3号病例", "8号病例于4.13日就诊", "2021年1月3号无症状感染者",
              "一名26岁男病人(个案编号:11123)", "饭店主管(案1120)", "梧栖女（案23768）", "(案1120)", "92岁妇人(个案编号第2093号)"]
    assert sum(led.search(text) is not None for text in texts) >= 5
    assert sum(labels._BRACKETED_NUMBER.search(text) is not None for text in texts) >= 3
    for text in texts:
        assert [m.span() for m in labels._NUMBER_HAO.finditer(text)] == [m.span() for m in led.finditer(text)], text
        if not labels._holds_a_bracket_after_a_person(text, 0, len(text)):
            assert labels._BRACKETED_NUMBER.search(text) is None and labels._BRACKETED_ORDINAL.search(text) is None


def test_a_label_rule_read_from_its_first_cue_s_clause_finds_every_match():
    """find_labels reads a rule of labels._HELD_BY_EVERY_MATCH from the clause of the rule's first cue on."""
    from casedb.grammar import labels
    from tests.corpus.labels import EXAMPLES as LABELS

    texts = _texts() + [text for _, texts in LABELS for text in texts] + ["与1号确诊病例同住", "为病例李某的密接，病例王某某"]
    for rule, held in labels._HELD_BY_EVERY_MATCH.items():
        for text in texts:
            cue = held.search(text)
            if cue is not None:
                clause = max(text.rfind(p, 0, cue.start()) for p in labels.CLAUSE_ENDS) + 1
                assert [m.span() for m in rule.finditer(text, clause)] == [m.span() for m in rule.finditer(text)], text


def test_a_division_is_looked_for_only_where_a_name_starts_and_as_long_as_names_there_are():
    """notices._division_after tries only the lengths of the names starting with a position's two characters, and
    _named_city only positions where a name starts: the same as trying every length at every position."""
    import casedb.notices as notices
    from casedb.places import DISH_AFTER_NAME, STREET_AFTER_SHORT, division_name_starts, division_named

    def every_length(text, start, ceiling):
        for end in range(min(ceiling, start + notices._DIVISION_NAME_MAX), start + 1, -1):
            piece, after = text[start:end], text[end:end + 12]
            if (division := division_named(piece)) is None or DISH_AFTER_NAME.match(after):
                continue
            if not (piece not in (division.district, division.city, division.province) and STREET_AFTER_SHORT.match(after)):
                return start, end, division
        return None

    found = 0
    for text in _texts()[:20] + ["沙县小吃", "金山街道", "武汉市", "湖北武汉", "大连医科大学"]:
        for start in range(len(text)):
            for ceiling in (len(text), start + 3):
                expected = every_length(text, start, ceiling)
                assert notices._division_after(text, start, ceiling) == expected, (text[start:start + 8], ceiling)
                found += expected is not None
                assert expected is None or division_name_starts().match(text, start)
    assert found > 100


def test_a_piece_that_is_no_district_or_city_name_is_none_of_the_division_it_locates():
    """notices._division_ending_at skips locate for a piece that is no division's district or city as written."""
    from casedb.places import locate, may_be_district_or_city

    checked = 0
    for text in _texts()[:20] + ["武汉市", "湖北省武汉市江岸区", "黄岛区", "青岛市黄岛区"]:
        for end in range(2, len(text) + 1):
            for start in range(max(0, end - 8), end - 1):
                piece = text[start:end]
                division = locate(piece)
                if division is not None and piece in (division.district, division.city):
                    checked += 1
                    assert may_be_district_or_city(piece), piece
    assert checked > 50


def test_remembered_character_classes_are_bounded(monkeypatch):
    """:func:`casedb.grammar.scan.remember_character_classes` keeps at most ``REMEMBERED_CLASSES`` classes; a class
    past them is still compiled as the compiler's own optimiser compiles it."""
    import re
    from re import _compiler

    from casedb.grammar import scan

    remembered = _compiler._optimize_charset.remembered
    monkeypatch.setattr(scan, "REMEMBERED_CLASSES", len(remembered))
    before = len(remembered)
    rule = re.compile("[\u3400-\u3401\u0041-\u0042x]")   # a class no rule of the grammar holds
    assert len(remembered) == before
    monkeypatch.setattr(_compiler, "_optimize_charset", _compiler._optimize_charset.original)
    assert scan.compile_plainly(rule.pattern, rule.flags) == rule


def test_kind_numbers_read_from_their_numbered_kinds_match_as_the_rule_over_the_text():
    """labels._kind_numbers tries the rule from the words before each kind followed by what a number starts with
    (labels._NUMBERED_KIND), read back: the rule's own matches, with words before the kinds in every order."""
    from casedb.grammar import labels
    from tests.corpus.labels import EXAMPLES as LABELS

    leads = ["", "新增", "新增的", "的", "境外输入", "境外输入性", "输入性的", "本土本轮", "新冠病毒的", "新型冠状病毒肺炎",
             "新增本土", "本土新增", "新增新增", "确诊", "个", "方"]
    kinds = [*labels._KIND_WORDS, "案", "症状", "阳性者"]
    rests = ["1", " 12", "(轻型)3", "十三", "。", "1、2和3", "1—病例4", "123", " 2021", "20例", "一家", "5号"]
    texts = [lead + kind + rest for lead in leads for kind in kinds for rest in rests]
    texts += [text for _, texts in LABELS for text in texts] + [" ".join(texts[i:i + 7]) for i in range(0, len(texts), 7)]
    found = 0
    for text in texts:
        for start in (0, 1, 2):
            general = [(m.span(), m.groupdict()) for m in labels._KIND_NUMBER.finditer(text, start, len(text))]
            assert [(m.span(), m.groupdict()) for m in labels._kind_numbers(text, start, len(text))] == general, text
            found += len(general)
    assert found > 1000


def test_the_kinds_listed_as_words_match_as_the_kinds_written_as_one_rule():
    from casedb.grammar import labels

    written = (r"(?:确诊病例|确诊患者|确诊个案|确诊案例|无症状感染者|无症状|初筛阳性者?|初筛阳性人员|阳性感染者|"
               r"核酸检测阳性者|感染者|病例|患者|个案|案例|(?<![个方预档议提备病答草法图报立结专文办破])案(?=[ \t]?\d{3}))")
    texts = [kind + rest for kind in (*labels._KIND_WORDS, "案", "个案", "初筛阳性人", "无症状感染")
             for rest in ("", "1", "者", "人员", " 123", "员")]
    for text in texts:
        for start in (0, 1):
            assert ([m.span() for m in re.finditer(labels._KIND, text[start:])]
                    == [m.span() for m in re.finditer(written, text[start:])]), text
