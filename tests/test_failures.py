"""Bad input and limits: one clear line per failed file, the run goes on, the run log and exit code say so.

The limits of :mod:`casedb.limits` are tested directly and through ``casedb load`` / ``casedb
extract`` (lowered with monkeypatch, as the CLI runs in this process).
"""
from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from casedb import limits
from casedb.cli import main
from casedb.errors import InputError
from casedb.extract import extract_text
from casedb.limits import LimitExceeded
from casedb.parse import parse_source
from casedb.read import read_bytes
from casedb.store import connect, table_counts

SEED = Path(__file__).resolve().parents[1] / "seeds" / "001_096631c7e59e4269.txt"
SEED_CASES = 4


def notice_with_cases(count: int) -> str:
    paragraphs = "\n".join(f"病例{n}：男，{20 + n}岁，4月{n % 28 + 1}日到超市购物。" for n in range(1, count + 1))
    return f"关于新增病例活动轨迹的通告\n{paragraphs}\n2022年4月30日\n"


# --- limits --------------------------------------------------------------------------------------

def test_read_file_refuses_a_file_over_the_limit_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(InputError, match=r"big\.txt: skipped: file too large \(1001 bytes; limit 1000\)"):
        limits.read_file(path)
    path.write_bytes(b"a" * 1000)
    assert limits.read_file(path) == b"a" * 1000


def test_reader_refuses_too_many_bytes_and_too_long_text(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="file too large"):
        read_bytes("病例".encode() * 20, "a.txt")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 10_000)
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 50)
    with pytest.raises(InputError, match=r"a\.txt: skipped: text too long \(60 characters; limit 50\)"):
        read_bytes(("病例1：男" * 12).encode(), "a.txt")


def test_parser_refuses_a_notice_with_too_many_cases_before_parsing_them(monkeypatch):
    source = read_bytes(notice_with_cases(6).encode(), "many.txt")
    assert len(parse_source(source)[0].cases) == 6
    monkeypatch.setattr(limits, "MAX_CASES_PER_NOTICE", 5)
    with pytest.raises(LimitExceeded, match=r"notice 1 has too many cases \(6; limit 5\)"):
        parse_source(source)


def test_parser_refuses_a_notice_too_long(monkeypatch):
    monkeypatch.setattr(limits, "MAX_NOTICE_CHARS", 60)
    with pytest.raises(InputError, match=r"long\.txt: skipped: notice 1 too long \(\d+ characters"):
        extract_text(notice_with_cases(4), "long.txt")


def test_a_docx_that_unpacks_too_large_is_refused_before_unpacking(monkeypatch):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 2_000_000)
    assert len(packed.getvalue()) < 10_000
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(InputError, match=r"bomb\.docx: skipped: \.docx unpacks to 2000000 bytes; limit 1000000"):
        read_bytes(packed.getvalue(), "bomb.docx")


def test_default_limits_admit_the_largest_real_notices():
    """Shijiazhuang's list had 869 cases in about 250 000 characters."""
    assert limits.MAX_CASES_PER_NOTICE >= 2 * 869 and limits.MAX_NOTICE_CHARS >= 2 * 250_000
    assert limits.MAX_TEXT_CHARS >= limits.MAX_NOTICE_CHARS and limits.MAX_FILE_BYTES >= 3 * limits.MAX_TEXT_CHARS


# --- through the CLI -----------------------------------------------------------------------------

#: file name → (bytes, the reason its error line must give)
BAD_FILES = {
    "empty.txt": (b"", r"empty file"),
    "binary.txt": (bytes(range(256)) * 16, r"binary data|unknown text encoding"),
    "bad_utf16.txt": (b"\xff\xfe" + b"\x00\xd8" * 50, r"invalid utf-16 data at byte \d+"),
    "broken.docx": (b"PK\x03\x04 not really a zip", r"not a readable \.docx file"),
    "broken.doc": (b"\xd0\xcf\x11\xe0 not really a Word file", r"\.doc file"),
    "huge.html": (b"<html><body>" + b"<p>x</p>" * 5000 + b"</body></html>", r"skipped: file too large"),
    "many_cases.txt": (notice_with_cases(8).encode(), r"skipped: notice 1 has too many cases \(8; limit 5\)"),
    "crash.txt": ("病例1：男，30岁。PARSER-CRASH".encode(), r"parser failed \(RecursionError: deep\)"),
    "hang.txt": ("病例1：男，30岁。PARSER-HANG".encode(), r"skipped: reading and parsing took more than 0.5 s"),
}


@pytest.fixture
def mixed_folder(tmp_path, monkeypatch) -> Path:
    """A folder with one good notice and one file for each failure mode, limits lowered to reach them."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 30_000)   # the good seed has 18 kB
    monkeypatch.setattr(limits, "MAX_CASES_PER_NOTICE", 5)
    monkeypatch.setattr(limits, "MAX_PARSE_SECONDS", 0.5)
    real_parse = parse_source

    def buggy_parse(source):
        if "PARSER-CRASH" in source.text:
            raise RecursionError("deep")
        while "PARSER-HANG" in source.text:
            time.sleep(0.01)
        return real_parse(source)

    monkeypatch.setattr("casedb.parse.parse_source", buggy_parse)
    return folder


def test_load_reports_each_bad_file_in_one_line_and_goes_on(mixed_folder, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = CliRunner().invoke(main, ["load", str(mixed_folder), "--db", url, "--workers", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("casedb: ")]
    assert len(errors) == len(BAD_FILES), result.stderr
    for name, (_, reason) in BAD_FILES.items():
        (line,) = [e for e in errors if f"{mixed_folder / name}: " in e]
        assert re.search(reason, line), line
    assert table_counts(connect(url))["cases"] == SEED_CASES        # the good file was loaded all the same
    with connect(url).connect() as connection:
        run = connection.execute(text("SELECT files_seen, files_new, files_failed, errors, finished_at "
                                      "FROM import_runs ORDER BY id DESC")).first()
    assert (run.files_seen, run.files_new, run.files_failed) == (len(BAD_FILES) + 1, 1, len(BAD_FILES))
    assert run.finished_at is not None
    logged = run.errors.splitlines()
    assert len(logged) == len(BAD_FILES) and all(any(name in line for line in logged) for name in BAD_FILES)


def test_quiet_load_gives_one_failed_line_naming_the_first_bad_file(mixed_folder, tmp_path):
    result = CliRunner().invoke(main, ["load", str(mixed_folder), "--db", str(tmp_path / "db.sqlite"), "--quiet"])
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert " FAILED " in line and f"{len(BAD_FILES)} failed" in line and str(mixed_folder) in line


def test_a_missing_path_is_one_line_and_the_others_still_load(tmp_path):
    missing = tmp_path / "gone.txt"
    result = CliRunner().invoke(main, ["load", str(missing), str(SEED), "--db", str(tmp_path / "db.sqlite")])
    assert result.exit_code == 1
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("casedb: ")]
    assert f"{missing}: cannot read file" in line
    assert table_counts(connect(str(tmp_path / "db.sqlite")))["cases"] == SEED_CASES


def test_extract_names_the_file_over_a_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CASES_PER_NOTICE", 5)
    path = tmp_path / "many.txt"
    path.write_text(notice_with_cases(8), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), str(SEED)])
    assert result.exit_code == 0   # another file gave notices
    assert f"casedb: {path}: skipped: notice 1 has too many cases (8; limit 5)" in result.stderr.splitlines()
    assert "病例49" in result.stdout


def test_reparse_reports_a_limit_in_one_line_and_keeps_the_rows(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert CliRunner().invoke(main, ["load", str(SEED), "--db", url]).exit_code == 0
    monkeypatch.setattr(limits, "MAX_CASES_PER_NOTICE", 2)
    result = CliRunner().invoke(main, ["reparse", "--all", "--db", url])
    assert result.exit_code == 1
    assert f"casedb: {SEED}: skipped: notice 1 has too many cases (4; limit 2)" in result.stderr.splitlines()
    assert table_counts(connect(url))["cases"] == SEED_CASES


@pytest.mark.parametrize("command", [["load", str(SEED)], ["runs"], ["show", "病例49"], ["reparse"]])
def test_an_unusable_database_is_one_line(tmp_path, command):
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("not a database, just some notes\n" * 10)
    unreachable = "postgresql://reader:secret@/casedb?host=/nonexistent"
    for url, reason in ((str(not_a_database), "file is not a database"),
                        (unreachable, "/nonexistent/.s.PGSQL.5432")):
        result = CliRunner().invoke(main, [*command, "--db", url])
        assert result.exit_code == 2
        (line,) = result.output.splitlines()
        assert line.startswith("casedb: ") and reason in line and "secret" not in line, line
