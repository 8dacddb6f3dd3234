"""Pathological pages: long runs of repeated labels, punctuation, dates or spaces parse in linear time.

Each input is parsed at two sizes, n and 4n repetitions, and the parser's work is counted (characters
handed to the regex engine plus Python calls, ``tests/work.py``), never timed. Linear code does about 4×
the work on the larger one, quadratic code (a scan of every line per label, a regex re-run over the
rest of the text per clause) 16×; the test allows 10×.
"""
from __future__ import annotations

import pytest

from casedb.parse import parse_source
from casedb.read import read_bytes
from tests.work import counted

#: (name, repeated piece, n): 4·n pieces make a page of ~25–200 thousand characters
#: (and fewer than limits.MAX_CASES_PER_NOTICE labels).
PATHOLOGICAL = [
    ("label list", "病例1、", 12_000),
    ("label range", "病例1-", 12_000),
    ("month day", "月日", 12_000),
    ("one long line of visits", "4月3日在某某超市购物,", 5_000),
    ("commas", "，", 50_000),
    ("digits", "1", 50_000),
    ("labels on one line", "病例1：男，30岁，", 1_000),
    ("labels on their own lines", "病例1：男，30岁\n", 1_000),
    ("dated lines", "4月3日到超市\n", 2_500),
    ("kin words", "病例2的妻子", 2_000),
    ("spaces", " ", 50_000),
    ("named persons", "周某某,女,", 5_000),
    ("clock ranges", "10:00-", 8_000),
    ("titles between cases", "关于新增病例轨迹的通告\n病例1：男\n", 500),
    ("open brackets", "病例1(", 2_500),
    ("ordinals", "第1例", 2_500),
    ("numbered cases", "第1号", 2_500),
    ("blank lines", "\n", 25_000),
    ("date ranges", "4月3日-4月5日、", 5_000),
    ("dates in one clause", "4月3日4月4日到超市", 5_000),
    ("train seats", "乘坐D123次列车3车厢", 5_000),
]
MAX_GROWTH = 10


def parse_work(text: str) -> int:
    source = read_bytes(text.encode("utf-8"), "pathological.txt")
    with counted() as work:
        parse_source(source)
    return work.total


@pytest.mark.parametrize("piece,n", [(piece, n) for _, piece, n in PATHOLOGICAL],
                         ids=[name for name, _, _ in PATHOLOGICAL])
def test_parse_work_grows_linearly(piece, n):
    small = parse_work(piece * n + "病例1：男")
    large = parse_work(piece * (4 * n) + "病例1：男")
    assert large < MAX_GROWTH * small, f"work {small} for n, {large} for 4n"
