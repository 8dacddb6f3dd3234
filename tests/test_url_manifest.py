"""Loading the pages a crawler saved, from its URL list: documents keyed by URL, on SQLite and PostgreSQL.

The toy parser (tests/toy_notices.py) stands in for the real one, so only listing and storing are tested.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from casedb.cli import main
from casedb.manifests import read_manifest
from casedb.store import connect, load, models, table_counts
from tests.toy_notices import notice_text, parse

CASE_49 = "CASE 病例49 case 49 male 19\nVISIT 2022-04-02 20:00 茂业天地楼下喜茶店 买奶茶"
CASE_7 = "CASE 病例7 case 7 male 30\nVISIT 2022-04-01 - 茂业天地楼下喜茶店"
CASE_8 = "CASE 病例8 case 8 female 41\nHOME 2022-04-05 2022-04-07"
PAGES = {  # URL → (saved file, text)
    "https://wjw.example.gov.cn/tz/1.html": ("pages/1.html", notice_text("太原市", "2022-04-13", CASE_49)),
    "https://wjw.example.gov.cn/tz/2.html": ("pages/2.html", notice_text("太原市", "2022-04-14", CASE_7)),
    "https://wjw.example.gov.cn/tz/3.html": ("pages/3.html", notice_text("太原市", "2022-04-15", CASE_8)),
}
FIRST, SECOND, THIRD = PAGES


def write_tsv(crawl, urls, name: str = "urls.tsv"):
    """A TSV URL list naming ``urls`` (their saved files and a fetch time); returns its path."""
    lines = ["url\tpath\tfetched_at", *(f"{url}\t{PAGES[url][0]}\t2022-04-16T08:30:00+08:00" for url in urls)]
    (crawl / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return crawl / name


@pytest.fixture
def crawl(tmp_path):
    """A crawler's folder: three saved pages (as HTML) and a URL list naming them."""
    folder = tmp_path / "crawl"
    (folder / "pages").mkdir(parents=True)
    for saved, text in PAGES.values():
        body = "".join(f"<p>{line}</p>" for line in text.splitlines())
        (folder / saved).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    write_tsv(folder, PAGES)
    return folder


def _load(manifest, url, **options):
    return load(manifests=[manifest], url=url, parser=parse, **options)


def _query(url, sql: str) -> list[tuple]:
    with connect(url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def _cases(url) -> list[tuple]:
    return _query(url, "SELECT c.id, c.label, c.age, d.source FROM cases c JOIN documents d ON d.id = c.document_id"
                       " ORDER BY c.id")


def test_pages_are_stored_under_their_url_with_the_list_and_fetch_time(crawl, db_url):
    summary = _load(crawl / "urls.tsv", db_url)
    assert (summary.files_seen, summary.files_new, summary.files_failed) == (3, 3, 0) and summary.ok
    table = models.documents
    with connect(db_url).connect() as connection:  # typed columns: SQLite gives timestamps as text otherwise
        documents = connection.execute(sa.select(table.c.source, table.c.manifest, table.c.fetched_at,
                                                 table.c.media_type, table.c.source_present).order_by(table.c.id)).all()
    assert [row[0] for row in documents] == list(PAGES)
    assert {row[1] for row in documents} == {str(crawl / "urls.tsv")}
    assert {row[2] for row in documents} == {dt.datetime(2022, 4, 16, 0, 30)}  # UTC
    assert {row[3] for row in documents} == {"text/html"} and all(row[4] for row in documents)
    assert [(label, source) for _, label, _, source in _cases(db_url)] == [
        ("病例49", FIRST), ("病例7", SECOND), ("病例8", THIRD)]


def test_reloading_an_unchanged_list_changes_nothing(crawl, db_url):
    _load(crawl / "urls.tsv", db_url)
    cases, counts = _cases(db_url), table_counts(connect(db_url))
    summary = _load(crawl / "urls.tsv", db_url)
    assert (summary.files_unchanged, summary.files_new, summary.files_changed, summary.rows.total) == (3, 0, 0, 0)
    assert _cases(db_url) == cases and table_counts(connect(db_url)) == counts


def test_a_page_saved_again_with_new_bytes_replaces_only_its_rows(crawl, db_url):
    _load(crawl / "urls.tsv", db_url)
    before = _cases(db_url)
    revised = notice_text("太原市", "2022-04-14", CASE_7.replace("male 30", "male 31"))
    (crawl / "pages" / "2.html").write_text(revised, encoding="utf-8")
    summary = _load(crawl / "urls.tsv", db_url)
    assert (summary.files_changed, summary.files_unchanged) == (1, 2)
    assert _query(db_url, "SELECT files_changed FROM import_runs ORDER BY id DESC")[0] == (1,)
    after = _cases(db_url)
    assert [c for c in after if c[3] != SECOND] == [c for c in before if c[3] != SECOND]
    assert [c[2] for c in after if c[3] == SECOND] == [31]
    (source, old_text), = _query(db_url, "SELECT d.source, v.text FROM document_versions v"
                                         " JOIN documents d ON d.id = v.document_id")
    assert source == SECOND and "male 30" in old_text


def test_the_same_bytes_saved_under_another_file_name_are_unchanged(crawl, db_url):
    _load(crawl / "urls.tsv", db_url)
    (crawl / "pages" / "1.html").rename(crawl / "pages" / "1-again.html")
    manifest = crawl / "urls.tsv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("pages/1.html", "pages/1-again.html"),
                        encoding="utf-8")
    summary = _load(manifest, db_url)
    assert (summary.files_unchanged, summary.rows.total) == (3, 0)


def test_a_url_dropped_from_the_list_keeps_its_rows_marked_not_present(crawl, db_url):
    _load(crawl / "urls.tsv", db_url)
    write_tsv(crawl, [FIRST, THIRD])
    summary = _load(crawl / "urls.tsv", db_url)
    assert summary.files_missing == 1 and summary.ok
    assert dict(_query(db_url, "SELECT source, source_present FROM documents")) == {
        FIRST: True, SECOND: False, THIRD: True}
    assert table_counts(connect(db_url))["cases"] == 3
    write_tsv(crawl, PAGES)
    assert _load(crawl / "urls.tsv", db_url).files_unchanged == 3
    assert all(present for (present,) in _query(db_url, "SELECT source_present FROM documents"))


def test_a_list_flags_only_its_own_urls_as_gone(crawl, db_url):
    write_tsv(crawl, [FIRST, SECOND], name="a.tsv")
    write_tsv(crawl, [THIRD], name="b.tsv")
    load(manifests=[crawl / "a.tsv", crawl / "b.tsv"], url=db_url, parser=parse)
    write_tsv(crawl, [FIRST], name="a.tsv")
    assert _load(crawl / "a.tsv", db_url).files_missing == 1
    assert dict(_query(db_url, "SELECT source, source_present FROM documents")) == {
        FIRST: True, SECOND: False, THIRD: True}


def test_a_missing_saved_page_is_one_line_and_the_others_load(crawl, db_url):
    (crawl / "pages" / "2.html").unlink()
    result = CliRunner().invoke(main, ["load", "--urls", str(crawl / "urls.tsv"), "--db", db_url, "--workers", "1"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"casedb: {SECOND}: cannot read the saved page {crawl / 'pages' / '2.html'} "
        f"(No such file or directory; {crawl / 'urls.tsv'} line 3)"]
    assert "2 new, 0 changed, 0 unchanged, 1 failed" in result.stdout
    assert [row[0] for row in _query(db_url, "SELECT source FROM documents ORDER BY id")] == [FIRST, THIRD]


def test_json_lines_and_csv_lists_read_alike(tmp_path):
    (tmp_path / "urls.jsonl").write_text(
        json.dumps({"url": FIRST, "path": "p/1.html", "fetched_at": "2022-04-16T00:30:00Z", "status": 200})
        + "\n\n" + json.dumps({"url": SECOND, "path": f"{tmp_path}/abs/2.html"}) + "\n", encoding="utf-8")
    (tmp_path / "urls.csv").write_text(f"\ufeffstatus,URL,path,fetched_at\n200,{FIRST},p/1.html,2022-04-16 00:30\n"
                                       f"200,{SECOND},{tmp_path}/abs/2.html,\n", encoding="utf-8")
    read = [read_manifest(tmp_path / name) for name in ("urls.jsonl", "urls.csv")]
    for manifest in read:
        assert (manifest.errors, manifest.complete) == ([], True)
        assert [(p.url, p.path, p.fetched_at) for p in manifest.pages] == [
            (FIRST, str(tmp_path / "p" / "1.html"), dt.datetime(2022, 4, 16, 0, 30)),
            (SECOND, str(tmp_path / "abs" / "2.html"), None)]


def test_a_url_listed_twice_takes_its_last_row(tmp_path):
    (tmp_path / "urls.tsv").write_text(f"url\tpath\n{FIRST}\told.html\n{SECOND}\t2.html\n{FIRST}\tnew.html\n",
                                       encoding="utf-8")
    manifest = read_manifest(tmp_path / "urls.tsv")
    assert [(p.url, p.path) for p in manifest.pages] == [(SECOND, str(tmp_path / "2.html")),
                                                         (FIRST, str(tmp_path / "new.html"))]


def test_bad_rows_fail_alone_and_a_row_without_url_flags_nothing_gone(crawl, sqlite_url):
    _load(crawl / "urls.tsv", sqlite_url)
    (crawl / "urls.tsv").write_text(f"url\tpath\tfetched_at\n{FIRST}\tpages/1.html\tyesterday\n"
                                    f"www.example.gov.cn/x\tpages/2.html\t\n{THIRD}\t\t\n", encoding="utf-8")
    summary = _load(crawl / "urls.tsv", sqlite_url)
    assert (summary.files_seen, summary.files_failed, summary.files_missing) == (3, 3, 0) and not summary.ok
    assert [error.split(": ", 1)[1] for error in summary.errors] == [
        "fetched_at is not an ISO 8601 time: 'yesterday' (" + str(crawl / "urls.tsv") + " line 2)",
        "no URL (scheme://…) in the url column: 'www.example.gov.cn/x'",
        f"no saved file in the path column ({crawl / 'urls.tsv'} line 4)"]
    assert all(present for (present,) in _query(sqlite_url, "SELECT source_present FROM documents"))


def test_an_unreadable_list_is_one_error_and_changes_nothing(crawl, sqlite_url):
    _load(crawl / "urls.tsv", sqlite_url)
    (crawl / "urls.tsv").write_text("address\tfile\nhttps://a/\tb\n", encoding="utf-8")
    summary = _load(crawl / "urls.tsv", sqlite_url)
    assert summary.errors == [f"{crawl / 'urls.tsv'}: the first line must name the columns url and path "
                              "(TSV, CSV) or the file must be JSON Lines"]
    assert (summary.files_failed, summary.files_missing) == (1, 0)
    missing = _load(crawl / "gone.tsv", sqlite_url)
    assert missing.errors == [f"{crawl / 'gone.tsv'}: cannot read URL list (No such file or directory)"]
    assert all(present for (present,) in _query(sqlite_url, "SELECT source_present FROM documents"))


def test_folders_and_url_lists_load_in_one_run(crawl, tmp_path, sqlite_url):
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a.txt").write_text(notice_text("西安市", "2022-04-13", CASE_49), encoding="utf-8")
    summary = load([folder], sqlite_url, manifests=[crawl / "urls.tsv"], parser=parse)
    assert (summary.files_seen, summary.files_new) == (4, 4)
    assert _query(sqlite_url, "SELECT count(*) FROM documents WHERE manifest IS NULL") == [(1,)]


def test_load_needs_paths_or_a_url_list():
    result = CliRunner().invoke(main, ["load"])
    assert result.exit_code == 2 and "--urls" in result.output


def test_show_names_the_url_a_case_came_from(crawl, sqlite_url):
    _load(crawl / "urls.tsv", sqlite_url)
    result = CliRunner().invoke(main, ["show", "病例7", "--db", sqlite_url])
    assert result.exit_code == 0 and f"source: {SECOND}, characters" in result.output
