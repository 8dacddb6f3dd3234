"""Property tests: the reader and the parser survive any input and return well-formed records.

- random bytes (and bytes behind a BOM, zip, Word or HTML signature) and random tag soup nested
  up to 3000 deep → ``read_bytes`` gives a ``SourceText`` or raises ``InputError``, nothing else;
- random text and mutated real notices (lines deleted, duplicated or swapped, punctuation
  swapped, digits changed, truncated anywhere, SQL / ``<script>`` text inserted) → ``parse_source``
  never raises, finishes within ``PARSE_SECONDS`` (SIGALRM), and every record is well formed:
  valid dates, start ≤ end, end_date ≥ date, spans inside the text, kinds from ``records``,
  strings that fit their database columns, output that serialises to the JSON contract, and
  records that PostgreSQL stores (written in a transaction that is rolled back).

Examples per property: ``CASEDB_FUZZ_EXAMPLES`` (default 150). The seeds are ``seeds/``,
``tests/fixtures/`` and, when present, ``../shared/devset/*.txt``.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casedb.errors import InputError
from casedb.extract import to_contract
from casedb.parse import parse_source
from casedb.read import clean_text, read_bytes, read_path, to_simplified
from casedb.records import CATEGORIES, RELATION_KINDS, VISIT_KINDS, Case, Notice, SourceText, Visit
from casedb.store import connect, ensure_schema, models
from tests.shared_data import DEVSET
from casedb.store.write import ParsedDocument, write_document

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = sorted([*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/fixtures/*.txt"),
                     *DEVSET.glob("*.txt")])
#: Wall-clock bound for one read + parse (a notice takes ~10 ms; this allows a loaded CI machine).
PARSE_SECONDS = 10
#: Examples per property: 150 in CI (~10 s); set CASEDB_FUZZ_EXAMPLES for a longer hunt.
EXAMPLES = int(os.environ.get("CASEDB_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HOSTILE = ["'; DROP TABLE cases; --", "<script>alert(1)</script>", "\" OR 1=1 --", "\x00", "\ufffd", "%s%s%n",
           "${jndi:ldap://x}", "病例1、" * 50, "月日" * 40, "\n\n\n", "第9999999999999999999999号", "2022年第" + "9" * 80 + "号",
           "2022年13月45日", "25:99", "0月0日", "病例0", "病例99999", "-" * 80, "（" * 30, "男，300岁"]
PUNCTUATION = list("，,。.；;：:、（）()—-~至到 \t\n")
#: Pieces of notice text: random sequences of them look like notices more often than random characters.
NOTICE_PIECES = st.sampled_from(list("病例确诊无症状感染者男女岁年月日时分点至到在乘坐前往居家超市医院区市县路号第例"
                                     "，,。；;：:、（）()—-~0123456789一二三四五六七八九十 \n的与和其妻子女儿父母同事")
                                + ["病例12：", "2022年", "4月3日", "10:30", "密切接触者", "活动轨迹", "关于…的通告"]
                                + HOSTILE)
NOTICE_LIKE_TEXT = st.lists(NOTICE_PIECES, max_size=300).map("".join)


class ParseTimeout(Exception):
    """Not an InputError (unlike casedb.limits.parse_time_limit's): a slow parse must fail the test."""


@contextmanager
def time_limit(seconds: float):
    """Raise ParseTimeout in the main thread when the block runs longer than ``seconds``."""
    def expire(_signum, _frame):
        raise ParseTimeout(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def source_of(text: str) -> SourceText:
    """What ``read_bytes`` makes of a text, without its refusals (the parser must cope with any text)."""
    cleaned = clean_text(text)
    return SourceText(text=cleaned, simplified=to_simplified(cleaned), encoding="utf-8")


def column_width(table, column: str) -> int:
    return table.c[column].type.length


NOTICE_COLUMNS = {"number": "number", "city": "city"}
CASE_COLUMNS = {"label": "label", "series": "series", "sex": "sex", "category": "category"}
VISIT_COLUMNS = {"kind": "kind", "part_of_day": "part_of_day"}


def assert_fits(record, table, columns: dict[str, str]) -> None:
    for attribute, column in columns.items():
        value = getattr(record, attribute)
        assert value is None or len(value) <= column_width(table, column), (attribute, value)


def assert_span(span, text: str) -> None:
    if span is not None:
        start, end = span
        assert 0 <= start <= end <= len(text), span


def assert_date(value) -> None:
    if value is not None:
        assert isinstance(value, dt.date) and 1900 <= value.year <= 2100, value


def assert_visit(visit: Visit, text: str) -> None:
    assert visit.kind in VISIT_KINDS
    assert_fits(visit, models.visits, VISIT_COLUMNS)
    for value in (visit.date, visit.end_date, visit.start, visit.end):
        assert_date(value)
    if visit.start and visit.end:
        assert visit.start <= visit.end, visit
    if visit.date and visit.end_date:
        assert visit.date <= visit.end_date, visit
    assert_span(visit.span, text)


def assert_case(case: Case, text: str) -> None:
    assert_fits(case, models.cases, CASE_COLUMNS)
    assert case.sex in (None, "male", "female")
    assert case.category in (None, *CATEGORIES)
    assert case.age is None or 0 <= case.age <= 150, case.age
    assert case.number is None or case.number >= 0
    assert_date(case.isolation_date)
    assert_date(case.positive_date)
    assert_span(case.span, text)
    for relation in case.relations:
        assert relation.kind in RELATION_KINDS, relation
        assert relation.other and len(relation.other) <= column_width(models.relations, "other_label"), relation
        assert_span(relation.span, text)
    for visit in case.visits:
        assert_visit(visit, text)


def assert_well_formed(notices: list[Notice], source: SourceText) -> None:
    text = source.text
    for notice in notices:
        assert_fits(notice, models.notices, NOTICE_COLUMNS)
        assert_date(notice.published)
        assert_span(notice.span, text)
        for case in notice.cases:
            assert_case(case, text)
        for visit in notice.unattributed_visits:
            assert_visit(visit, text)
    json.dumps(to_contract(notices), ensure_ascii=False)


def parse_checked(source: SourceText) -> list[Notice]:
    """parse_source under the time bound, with every record checked."""
    with time_limit(PARSE_SECONDS):
        notices = parse_source(source)
    assert_well_formed(notices, source)
    return notices


# --- bytes ---------------------------------------------------------------------------------------

SIGNATURES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0",
              b"<html><body>", b"<!DOCTYPE html>", b"<p>", "病例1：男，".encode("gb18030")]


@FUZZ
@given(st.sampled_from(SIGNATURES), st.binary(max_size=3000))
def test_random_bytes_read_or_raise_input_error(signature, data):
    try:
        with time_limit(PARSE_SECONDS):
            source = read_bytes(signature + data, "fuzz.bin")
    except InputError as err:
        assert str(err).startswith("fuzz.bin: ") and "\n" not in str(err)
        return
    assert isinstance(source, SourceText) and len(source.simplified) == len(source.text)
    parse_checked(source)


HTML_PIECES = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<br>", "<table><tr><td>", "</td><td>",
                               "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;",
                               "&#0;", "&#x1b;", "&nbsp;", "<li>", "<b>", "</b>", "<", ">", "\"", "病例1：男，30岁",
                               "4月3日10:00到超市", "\n", "<meta charset=gbk>"])


@FUZZ
@given(st.lists(HTML_PIECES, max_size=400).map("".join), st.integers(0, 3000))
def test_random_tag_soup_reads_or_raises_input_error(soup, depth):
    """Broken and deeply nested HTML (thousands of levels) is read without recursion errors."""
    data = ("<html><body>" + "<div>" * depth + soup + "</div>" * depth).encode("utf-8")
    try:
        with time_limit(PARSE_SECONDS):
            source = read_bytes(data, "fuzz.html")
    except InputError as err:
        assert str(err).startswith("fuzz.html: ")
        return
    parse_checked(source)


# --- text ----------------------------------------------------------------------------------------

@FUZZ
@given(NOTICE_LIKE_TEXT | st.text(max_size=400))
def test_random_text_parses_to_well_formed_records(text):
    parse_checked(source_of(text))


def _seed_lines(path: Path) -> list[str]:
    return read_path(path).text.split("\n")


@pytest.fixture(scope="module")
def seed_texts() -> list[list[str]]:
    return [_seed_lines(path) for path in SEED_FILES]


def mutate(draw, lines: list[str]) -> str:
    """Apply 1–6 random edits to a notice's lines, then maybe truncate it anywhere."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "punctuation", "digits", "insert"]))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(i, lines[i])
        elif edit == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "punctuation":
            lines[i] = "".join(draw(st.sampled_from(PUNCTUATION)) if ch in PUNCTUATION else ch for ch in lines[i])
        elif edit == "digits":
            lines[i] = "".join(str(draw(st.integers(0, 9))) if ch.isdigit() else ch for ch in lines[i])
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(HOSTILE)) + lines[i][at:]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[:draw(st.integers(0, len(text)))]
    return text


@pytest.mark.skipif(not SEED_FILES, reason="no seed notices")
@FUZZ
@given(st.data())
def test_mutated_notices_parse_to_well_formed_records(seed_texts, data):
    lines = data.draw(st.sampled_from(seed_texts))
    parse_checked(source_of(mutate(data.draw, lines)))


@pytest.fixture(scope="module")
def postgres_engine(postgres_url):
    engine = connect(postgres_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.mark.postgres
@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(st.data())
def test_mutated_notices_are_storable_on_postgresql(postgres_engine, seed_texts, data):
    """PostgreSQL, unlike SQLite, refuses over-wide strings and NUL: every parsed record must still fit.

    Each document is written in a transaction that is then rolled back.
    """
    text = mutate(data.draw, data.draw(st.sampled_from(seed_texts)))
    source = source_of(text)
    parsed = ParsedDocument(source="fuzz://mutated", sha256="0" * 64, size_bytes=len(text.encode()), text=source,
                            notices=parse_checked(source))
    with postgres_engine.connect() as connection:
        transaction = connection.begin()
        try:
            write_document(connection, parsed, "fuzz")
        finally:
            transaction.rollback()


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_every_seed_parses_well_formed(path):
    """The unmutated seeds themselves (the starting points of the mutations)."""
    notices = parse_checked(read_path(path))
    assert isinstance(notices, list)
