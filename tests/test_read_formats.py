"""One notice, whatever file it comes in: a Word .doc, a .docx and an HTML copy parse to the same cases,
visits and relations as its plain text (issue 16).

The Shijiazhuang file of 869 cases is a Word 97 .doc; antiword's default wrapping cut words in two
(202⏎1年, 转运至石⏎家庄市), so 81 cases lost their category and place names were cut. Read whole (``-w 0``),
it is compared with the same paragraphs saved as .txt, .docx and HTML.
"""
from __future__ import annotations

import html
import re

import pytest

from casedb.extract import extract_file
from casedb.read import read_path
from tests.shared_data import SHIJIAZHUANG_DOC as SHIJIAZHUANG, require_shijiazhuang_doc



def _rows(path) -> list[tuple]:
    """Every case with its facts, visits and relations, as comparable tuples."""
    rows = []
    for notice in extract_file(path).notices:
        for case in notice.cases:
            rows.append((case.label, case.sex, case.age, case.category, case.residence, case.positive_date,
                         tuple((v.kind, v.date, v.start, v.place, v.activity) for v in case.visits),
                         tuple(sorted((r.other, r.kind) for r in case.relations))))
    return rows


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    text = read_path(require_shijiazhuang_doc()).text
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def from_text(paragraphs, tmp_path_factory):
    path = tmp_path_factory.mktemp("txt") / "shijiazhuang.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return _rows(path)


def test_the_doc_is_read_whole(paragraphs):
    cut = [(a[-8:], b[:8]) for a, b in zip(paragraphs, paragraphs[1:])
           if re.search(r"\d$", a) and re.match(r"\d*年", b) or a.endswith("石") and b.startswith("家庄")]
    assert cut == []
    cases = [c for n in extract_file(SHIJIAZHUANG).notices for c in n.cases]
    assert len(cases) == 869
    assert sum(c.category is None for c in cases) <= 2            # 81 with antiword's wrapping
    assert not any(v.place and v.place.startswith("家庄") for c in cases for v in c.visits)


def test_the_doc_reads_as_its_text(from_text):
    assert _rows(SHIJIAZHUANG) == from_text


def test_a_docx_copy_reads_as_its_text(paragraphs, from_text, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    path = tmp_path / "shijiazhuang.docx"
    document.save(path)
    assert _rows(path) == from_text


def test_an_html_copy_reads_as_its_text(paragraphs, from_text, tmp_path):
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in paragraphs)
    path = tmp_path / "shijiazhuang.html"
    path.write_text(f"<html><head><meta charset='utf-8'><title>通报</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    assert _rows(path) == from_text
