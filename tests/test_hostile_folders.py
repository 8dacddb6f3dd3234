"""Issue 19, findings 2-4 and 9: what a loaded folder or a crawler's URL list may hold must not hang, abort or
exhaust a nightly load: named pipes, file names that are not UTF-8, .docx bombs, malformed URL-list rows."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from casedb import limits
from casedb.errors import InputError
from casedb.read import read_bytes
from casedb.store import connect, frames, load

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "001_096631c7e59e4269.txt"
#: Generous: a load of one seed page takes a few seconds; a hang never finishes.
HANG_TIMEOUT = 180


def _casedb(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the casedb command in its own process; a hang is a failure, not a stuck test run."""
    process = subprocess.Popen([sys.executable, "-m", "casedb", *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=HANG_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        pytest.fail(f"casedb {' '.join(args)} did not finish within {HANG_TIMEOUT} s")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _sources(url: str) -> set[str]:
    return set(frames(connect(url))["documents"].source)


def _texts(url: str) -> dict[str, str]:
    from sqlalchemy import text

    with connect(url).connect() as connection:
        return dict(connection.execute(text("SELECT source, text FROM documents")).all())


# --------------------------------------------------------------------------- 2: named pipes

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_in_a_folder_or_a_url_list_is_one_line_not_a_hang(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    os.mkfifo(folder / "x.txt")
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    shutil.copy(SEED, crawl / "good.html")
    os.mkfifo(crawl / "pipe.html")
    (crawl / "urls.tsv").write_text("url\tpath\nhttps://e.example/good\tgood.html\nhttps://e.example/pipe\tpipe.html\n",
                                    encoding="utf-8")
    os.mkfifo(crawl / "list.tsv")   # a URL list that is itself a pipe
    database = tmp_path / "casedb.sqlite"
    result = _casedb("load", str(folder), "--urls", str(crawl / "urls.tsv"), "--urls", str(crawl / "list.tsv"),
                     "--db", str(database), "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("casedb: ")]
    assert [line for line in errors if "x.txt" in line] == [
        f"casedb: {folder / 'x.txt'}: skipped: not a regular file (a named pipe)"]
    assert [line for line in errors if "https://e.example/pipe" in line] == [
        "casedb: https://e.example/pipe: skipped: not a regular file (a named pipe)"]
    assert [line for line in errors if "list.tsv" in line] == [
        f"casedb: {crawl / 'list.tsv'}: cannot read URL list (skipped: not a regular file (a named pipe))"]
    assert _sources(f"sqlite:///{database}") == {str(folder / "a.txt"), "https://e.example/good"}


def test_a_device_named_like_a_notice_is_refused_unread(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    summary = load([tmp_path / "zero.txt"], f"sqlite:///{tmp_path / 'casedb.sqlite'}")
    assert summary.errors == [f"{tmp_path / 'zero.txt'}: skipped: not a regular file (a character device)"]


# --------------------------------------------------------------------------- 3: file names that are not UTF-8

def _unescape(source: str) -> bytes:
    """The file name bytes a stored source names (``\\xNN`` is a byte that was not UTF-8)."""
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), source.encode("utf-8"))


_GBK_NAMES = st.text(alphabet=st.sampled_from("通告病例轨迹石家庄市太原第号年月日"), min_size=1, max_size=8).map(
    lambda name: name.encode("gbk"))
_RAW_NAMES = st.binary(min_size=1, max_size=12).map(
    lambda name: bytes(b for b in name if b not in b"/\\\x00") or b"\xff")
_NAMES = st.lists(st.one_of(_GBK_NAMES, _RAW_NAMES).map(lambda name: b"n" + name + b".txt"),
                  min_size=1, max_size=4, unique=True)


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=_NAMES)
def test_file_names_that_are_not_utf8_load_with_every_other_file(tmp_path_factory, names):
    root = tmp_path_factory.mktemp("names")
    folder = os.path.join(os.fsencode(root), b"notices")
    os.mkdir(folder)
    names = [b"a.txt", *names, b"zz.txt"]
    for number, name in enumerate(names):
        with open(os.path.join(folder, name), "wb") as file:
            file.write(f"第{number}份通告，没有病例。\n".encode())
    url = f"sqlite:///{root / 'casedb.sqlite'}"
    summary = load([os.fsdecode(folder)], url)
    assert summary.ok and summary.errors == []
    assert summary.files_new == len(names)
    sources = _sources(url)
    assert len(sources) == len(names)
    assert {_unescape(source) for source in sources} == {os.path.join(folder, name) for name in names}
    again = load([os.fsdecode(folder)], url)
    assert (again.files_unchanged, again.files_new, again.files_changed) == (len(names), 0, 0)


def test_a_folder_named_in_gbk_is_loaded_reported_and_flagged(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), "通告".encode("gbk"))
    os.mkdir(folder)
    shutil.copy(SEED, os.path.join(folder, "病例.txt".encode("gbk")))
    open(os.path.join(folder, b"empty\xb2\xa1.txt"), "wb").close()
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    result = _casedb("load", os.fsdecode(folder), "--db", url, "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    escaped = folder.decode("utf-8", "backslashreplace")   # 通告 in GBK: b"\\xcd\\xa8\\xb8\\xe6"
    assert escaped.endswith("\\xb8\\xe6")
    assert f"casedb: {escaped}/empty\\xb2\\xa1.txt: empty file" in result.stderr.splitlines()
    assert _sources(url) == {f"{escaped}/\\xb2\\xa1\\xc0\\xfd.txt"}
    assert len(frames(connect(url))["cases"]) == 4
    os.remove(os.path.join(folder, "病例.txt".encode("gbk")))
    summary = load([os.fsdecode(folder)], url)
    assert summary.files_missing == 1
    assert not frames(connect(url))["documents"].source_present.any()


def test_a_url_list_in_a_folder_named_in_gbk(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), "爬虫".encode("gbk"))
    os.mkdir(folder)
    shutil.copy(SEED, os.path.join(folder, b"page.html"))
    with open(os.path.join(folder, b"urls.tsv"), "w", encoding="utf-8") as file:
        file.write("url\tpath\nhttps://e.example/1\tpage.html\nhttps://e.example/2\tmissing.html\n")
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    summary = load(manifests=[os.fsdecode(os.path.join(folder, b"urls.tsv"))], url=url)
    escaped = folder.decode("utf-8", "backslashreplace")
    assert summary.errors == [f"https://e.example/2: cannot read the saved page {escaped}/missing.html "
                              f"(No such file or directory; {escaped}/urls.tsv line 3)"]
    (manifest,) = set(frames(connect(url))["documents"].manifest)
    assert manifest == f"{escaped}/urls.tsv"


# --------------------------------------------------------------------------- 4: .docx bombs

def _docx_with_body(body: bytes) -> bytes:
    """python-docx's own empty document with ``body`` as the contents of ``<w:body>``."""
    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "word/document.xml":
                data = data.split(b"<w:body>")[0] + b"<w:body>" + body + b"</w:body></w:document>"
            z.writestr(member, data)
    return out.getvalue()


def _limit_address_space():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_the_issues_docx_bomb_is_refused_before_memory_explodes(tmp_path):
    """A 0.3 MB .docx of 190 MB of <w:p/> (under MAX_UNPACKED_BYTES) took casedb past 8.7 GB. Loaded here
    in a process that may use 3 GiB at most: it is refused by the element limit, and the next file loads."""
    bomb = _docx_with_body(b"<w:p/>" * 31_666_666)
    assert len(bomb) < 400_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert 190_000_000 < sum(member.file_size for member in archive.infolist()) < limits.MAX_UNPACKED_BYTES
    (tmp_path / "bomb.docx").write_bytes(bomb)
    shutil.copy(SEED, tmp_path / "z.txt")
    database = tmp_path / "casedb.sqlite"
    process = subprocess.run([sys.executable, "-m", "casedb", "load", str(tmp_path / "bomb.docx"),
                              str(tmp_path / "z.txt"), "--db", str(database), "--workers", "1"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=HANG_TIMEOUT,
                             preexec_fn=_limit_address_space)
    assert process.returncode == 1, process.stderr
    (line,) = process.stderr.splitlines()
    assert line.startswith(f"casedb: {tmp_path / 'bomb.docx'}: skipped: .docx holds more than "), line
    assert _sources(f"sqlite:///{database}") == {str(tmp_path / "z.txt")}


def _xml_elements(data: bytes) -> tuple[int, int]:
    """(elements, XML members) of a .docx, counted by lxml."""
    from lxml import etree

    elements = members = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels")):   # the template's thumbnail.jpeg
                continue
            with archive.open(member) as stream:
                members += 1
                elements += sum(1 for _ in etree.iterparse(stream, events=("start",)))
    return elements, members


_PARAGRAPH_TEXT = st.text(alphabet=st.sampled_from("病例轨迹<>&\"' 1a"), max_size=20)


@settings(max_examples=40, deadline=None, database=None)
@given(paragraphs=st.lists(_PARAGRAPH_TEXT, max_size=60), empty=st.integers(0, 3000), slack=st.integers(-400, 400))
def test_docx_element_limit_refuses_exactly_the_documents_over_it(paragraphs, empty, slack):
    """Whatever the text (tags escaped in it do not count) and however many empty paragraphs: a .docx with more
    elements than the limit is refused, one within it (less an XML declaration per part) is read whole."""
    from xml.sax.saxutils import escape

    body = b"".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>".encode()
                    for text in paragraphs) + b"<w:p/>" * empty
    data = _docx_with_body(body)
    elements, members = _xml_elements(data)
    limit = max(1, elements + slack)
    previous, limits.MAX_DOCX_ELEMENTS = limits.MAX_DOCX_ELEMENTS, limit
    try:
        if elements > limit:
            with pytest.raises(InputError, match="XML elements"):
                read_bytes(data, "x.docx")
        elif elements + members <= limit and any(text.strip() for text in paragraphs):
            text = "".join(read_bytes(data, "x.docx").text.split())   # (clean-up may drop spaces)
            assert all("".join(part.split()) in text for part in paragraphs)
    finally:
        limits.MAX_DOCX_ELEMENTS = previous


# --------------------------------------------------------------------------- 9: malformed URL-list rows

SECRET = "机密 secret of another folder"


def _crawl(tmp_path: Path, good: int = 2) -> Path:
    """A crawler's folder with ``good`` saved pages (pages/N.html), and a secret file beside it, outside it."""
    crawl = tmp_path / "crawl"
    (crawl / "pages").mkdir(parents=True)
    for number in range(good):
        (crawl / "pages" / f"{number}.html").write_text(f"第{number}页，没有病例。\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (crawl / "pages" / "link.html").symlink_to(tmp_path / "secret.txt")
    return crawl


#: One malformed row of each kind the issue names (and a few more): (TSV cells url, path, fetched_at).
BAD_TSV_ROWS = {
    "huge field": ("https://e.example/huge", "pages/" + "x" * 200_000 + ".html", ""),
    "huge fetched_at": ("https://e.example/late", "pages/0.html", "2" * 140_000),
    "NUL in path": ("https://e.example/nul", "pages/0.html\x00.txt", ""),
    "bad fetched_at": ("https://e.example/bad", "pages/0.html", "yesterday"),
    "out of range fetched_at": ("https://e.example/range", "pages/0.html", "0001-01-01T00:00:00+01:00"),
    "long URL": ("https://e.example/" + "u" * 3000, "pages/0.html", ""),
    "absolute path elsewhere": ("https://e.example/shadow", "/etc/shadow", ""),
    "relative path out": ("https://e.example/up", "../secret.txt", ""),
    "symlink out": ("https://e.example/link", "pages/link.html", ""),
}
BAD_JSON_ROWS = {
    "deep JSON": '{"url": "https://e.example/deep", "path": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "deep JSON value": '{"url": "https://e.example/deep2", "path": "pages/0.html", "x": ' + "{\"a\": " * 50_000
                       + "1" + "}" * 50_000 + "}",
    "NUL in path": '{"url": "https://e.example/nul", "path": "pages/0.html\\u0000"}',
    "lone surrogate in path": '{"url": "https://e.example/sur", "path": "pages/\\ud800.html"}',
    "lone surrogate in URL": '{"url": "https://e.example/\\ud800", "path": "pages/0.html"}',
    "control character in URL": '{"url": "https://e.example/\\u0000x", "path": "pages/0.html"}',
    "number fetched_at": '{"url": "https://e.example/n", "path": "pages/0.html", "fetched_at": 12}',
    "object fetched_at": '{"url": "https://e.example/o", "path": "pages/0.html", "fetched_at": {"a": 1}}',
    "absolute path elsewhere": '{"url": "https://e.example/shadow", "path": "/etc/shadow"}',
}


def _good_rows(count: int) -> list[tuple[str, str, str]]:
    return [(f"https://e.example/good/{number}", f"pages/{number}.html", "2022-04-13T08:00:00+08:00")
            for number in range(count)]


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(st.sampled_from(sorted(BAD_TSV_ROWS)), min_size=1, max_size=4, unique=True),
       order=st.randoms(use_true_random=False))
def test_each_malformed_tsv_row_is_one_error_and_the_others_load(tmp_path_factory, bad, order):
    root = tmp_path_factory.mktemp("tsv")
    crawl = _crawl(root)
    rows = _good_rows(2) + [BAD_TSV_ROWS[kind] for kind in bad]
    order.shuffle(rows)
    (crawl / "urls.tsv").write_text("url\tpath\tfetched_at\n" + "".join("\t".join(row) + "\n" for row in rows),
                                    encoding="utf-8")
    url = f"sqlite:///{root / 'casedb.sqlite'}"
    summary = load(manifests=[crawl / "urls.tsv"], url=url)
    assert len(summary.errors) == len(bad), summary.errors
    assert summary.files_failed == len(bad) and not summary.ok
    texts = _texts(url)
    assert set(texts) == {row[0] for row in _good_rows(2)}
    assert not any("secret" in text for text in texts.values())


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(st.sampled_from(sorted(BAD_JSON_ROWS)), min_size=1, max_size=4, unique=True),
       order=st.randoms(use_true_random=False))
def test_each_malformed_json_line_is_one_error_and_the_others_load(tmp_path_factory, bad, order):
    import json

    root = tmp_path_factory.mktemp("jsonl")
    crawl = _crawl(root)
    lines = [json.dumps({"url": u, "path": p, "fetched_at": f}) for u, p, f in _good_rows(2)]
    lines += [BAD_JSON_ROWS[kind] for kind in bad]
    order.shuffle(lines)
    (crawl / "urls.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{root / 'casedb.sqlite'}"
    summary = load(manifests=[crawl / "urls.jsonl"], url=url)
    assert len(summary.errors) == len(bad), summary.errors
    assert set(frames(connect(url))["documents"].source) == {row[0] for row in _good_rows(2)}


def test_a_url_list_cannot_make_casedb_read_a_file_outside_its_folder(tmp_path):
    crawl = _crawl(tmp_path, good=1)
    rows = [_good_rows(1)[0], BAD_TSV_ROWS["absolute path elsewhere"], BAD_TSV_ROWS["relative path out"],
            BAD_TSV_ROWS["symlink out"], ("https://e.example/abs-inside", str(crawl / "pages" / "0.html"), "")]
    (crawl / "urls.tsv").write_text("url\tpath\tfetched_at\n" + "".join("\t".join(row) + "\n" for row in rows),
                                    encoding="utf-8")
    result = _casedb("load", "--urls", str(crawl / "urls.tsv"), "--db", str(tmp_path / "casedb.sqlite"),
                     cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"casedb: https://e.example/shadow: not read: /etc/shadow is not under the URL list's folder "
        f"({crawl / 'urls.tsv'} line 3)",
        f"casedb: https://e.example/up: not read: {tmp_path / 'secret.txt'} is not under the URL list's folder "
        f"({crawl / 'urls.tsv'} line 4)",
        f"casedb: https://e.example/link: not read: {crawl / 'pages' / 'link.html'} is not under the URL list's "
        f"folder ({crawl / 'urls.tsv'} line 5)"]
    texts = _texts(f"sqlite:///{tmp_path / 'casedb.sqlite'}")
    assert set(texts) == {"https://e.example/good/0", "https://e.example/abs-inside"}
    assert not any("secret" in text for text in texts.values())
