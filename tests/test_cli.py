"""The casedb command end to end: the seed notice, re-loads, bad input, concurrent loads, sql/show/runs/db."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.reimport import make_corpus
from casedb.cli import main
from casedb.store import connect, frames, head_revision, table_counts

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def run(*args: str, url: str | None = None):
    arguments = [*args, "--db", url] if url else list(args)
    return CliRunner().invoke(main, arguments, catch_exceptions=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory) -> str:
    """The seed pages loaded by ``casedb load``, once into SQLite and once into PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'casedb.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database("casedb_seeded")
    result = run("load", str(SEEDS), "--workers", "1", url=url)
    assert result.exit_code == 0, result.output
    return url


def test_seed_notice_loads_as_cases_48_to_51(seeded):
    tables = frames(connect(seeded))
    cases, visits, relations = tables["cases"], tables["visits"], tables["relations"]
    assert list(cases.label) == ["病例48", "病例49", "病例50", "病例51"]
    case_id = dict(zip(cases.label, cases.id))
    assert set(cases.document_id) == {tables["documents"].id[tables["documents"].source.str.contains("001_")].item()}

    def visits_of(label):
        rows = visits[visits.case_id == case_id[label]]
        return [(v.kind, f"{v.date:%Y-%m-%d}", None if v.start is None or str(v.start) == "NaT" else f"{v.start:%H:%M}",
                 v.place_text if isinstance(v.place_text, str) else None) for v in rows.itertuples()]

    assert ("visit", "2022-04-02", "20:00", "茂业天地楼下喜茶店") in visits_of("病例49")
    assert ("visit", "2022-04-07", "22:00", "大井峪公园美地唐久便利店") in visits_of("病例49")
    assert ("home", "2022-04-06", None, None) in visits_of("病例49")
    for label in ("病例50", "病例51"):
        (home,) = visits[visits.case_id == case_id[label]].itertuples()
        assert (home.kind, f"{home.date:%Y-%m-%d}", f"{home.end_date:%Y-%m-%d}") == ("home", "2022-04-05", "2022-04-07")
    links = {(cases.label[cases.id == r.case_id].item(), r.other_label, r.kind) for r in relations.itertuples()}
    assert links == {("病例48", "病例44", "in_law"), ("病例50", "病例33", "child"), ("病例51", "病例33", "spouse")}


def test_reload_reports_no_change_and_exits_zero(seeded):
    before = table_counts(connect(seeded))
    result = run("load", str(SEEDS), "--quiet", url=seeded)
    assert result.exit_code == 0
    (line,) = result.output.splitlines()
    assert " ok " in line and "(0 new, 0 changed, 5 unchanged, 0 failed)" in line
    assert table_counts(connect(seeded)) == before


def test_sql_prints_table_json_csv_and_refuses_writes(seeded):
    query = "SELECT label, age FROM cases ORDER BY id"
    assert json.loads(run("sql", query, "--format", "json", url=seeded).output)[1] == {"label": "病例49", "age": 19}
    assert run("sql", query, "--format", "csv", url=seeded).output.splitlines()[:2] == ["label,age", "病例48,56"]
    table = run("sql", query, url=seeded).output.splitlines()
    assert table[0].split() == ["label", "age"] and table[2].split() == ["病例48", "56"]
    refused = CliRunner().invoke(main, ["sql", "DELETE FROM cases", "--db", seeded])
    assert refused.exit_code == 2 and ("readonly" in refused.output or "read-only" in refused.output)
    assert table_counts(connect(seeded))["cases"] == 4


def test_show_highlights_the_source_sentences(seeded):
    result = run("show", "病例49", "--city", "太原市", url=seeded)
    assert result.exit_code == 0
    assert "【茂业天地楼下喜茶店】" in result.output and "买奶茶" in result.output
    assert "001_096631c7e59e4269.txt" in result.output
    missing = CliRunner().invoke(main, ["show", "病例999", "--db", seeded])
    assert missing.exit_code == 2 and missing.output == "casedb: no case '病例999'\n"


def test_runs_lists_the_loads(seeded):
    output = run("runs", "--format", "json", url=seeded).output
    newest = json.loads(output)[0]
    assert newest["command"] == "load" and newest["files_unchanged"] == 5


def test_bad_files_give_one_line_each_and_exit_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "001_096631c7e59e4269.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.html").write_bytes(os.urandom(4096).replace(b"<", b"x"))
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = CliRunner().invoke(main, ["load", str(folder), "--db", url, "--workers", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("casedb: ")]
    assert len(errors) == 2 and any("empty.txt: empty file" in e for e in errors)
    assert any("binary.html: " in e for e in errors)
    assert table_counts(connect(url))["cases"] == 4


def test_the_installed_command_closes_the_database_and_exits_with_the_loads_code(tmp_path):
    """The real entry point, which exits without tearing the interpreter down once a load has reported: its report
    and exit code as CliRunner sees them, and the SQLite file closed (no WAL file left beside it)."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "001_096631c7e59e4269.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    database = tmp_path / "db.sqlite"
    finished = subprocess.run([sys.executable, "-m", "casedb", "load", str(folder), "--db", str(database)],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert finished.returncode == 1, finished.stderr
    assert finished.stdout.splitlines()[-1].startswith("database now: 1 documents, 1 notices, 4 cases")
    assert finished.stderr.splitlines() == [f"casedb: {folder / 'empty.txt'}: empty file"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["db.sqlite", "in"]
    again = subprocess.run([sys.executable, "-m", "casedb", "load", str(folder / "good.txt"), "--db", str(database),
                            "--quiet"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert again.returncode == 0 and " ok casedb load run 2: 1 files (0 new, 0 changed, 1 unchanged" in again.stdout


def test_folder_without_notice_files_exits_one(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--db", str(tmp_path / "db.sqlite")])
    assert result.exit_code == 1 and "no notice files found" in result.stderr


def test_db_upgrade_current_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert "empty" in run("db", "current", url=url).output
    head = head_revision()
    previous = f"{int(head) - 1:04d}"
    assert run("db", "upgrade", url=url).output.strip().endswith(head)
    assert run("db", "downgrade", url=url).output.strip().endswith(previous)
    assert run("db", "current", url=url).output.startswith(previous)
    assert "base" in run("db", "downgrade", "base", "--yes", url=url).output


def _concurrent_loads(folder: Path, url: str, processes: int = 2) -> list[subprocess.CompletedProcess]:
    command = [sys.executable, "-m", "casedb", "load", str(folder), "--db", url, "--quiet", "--workers", "1"]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in running]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_concurrent_loads_finish_without_duplicates(tmp_path, database, request):
    url = (f"sqlite:///{tmp_path / 'db.sqlite'}" if database == "sqlite"
           else request.getfixturevalue("fresh_postgres_url"))
    documents = 12
    make_corpus(tmp_path / "notices", documents)
    for finished in _concurrent_loads(tmp_path / "notices", url):
        assert finished.returncode == 0, finished.stderr
        assert " ok " in finished.stdout
    counts = table_counts(connect(url))
    assert (counts["documents"], counts["notices"], counts["cases"], counts["visits"], counts["relations"]) == (
        documents, documents, 4 * documents, 5 * documents, 3 * documents)
    assert counts["places"] == 2 and counts["persons"] == 4 * documents
    tables = frames(connect(url))
    written = tables["import_runs"].files_new.sum()
    assert written == documents  # each document written by exactly one of the two processes


def test_reparse_only_older_parser_versions_unless_all(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    run("load", str(SEEDS), "--workers", "1", url=url)
    nothing = run("reparse", "--quiet", url=url)
    assert nothing.exit_code == 0 and "0 documents (0 re-parsed, 0 failed)" in nothing.output
    everything = run("reparse", "--all", url=url)
    assert everything.exit_code == 0 and ("5 documents (5 re-parsed: 0 with new rows, 5 with the rows stored; 0 failed); "
                                             "wrote 1 notices, 4 cases") in everything.output


# --------------------------------------------------------------------------- errors: one line, exit 2, no traceback

README = Path(__file__).resolve().parents[1] / "README.md"


def _one_error_line(result, *expected: str) -> str:
    """The result of a command that could not run: exit code 2 and exactly one line, ``casedb: …``."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    (line,) = result.output.splitlines()
    assert line.startswith("casedb: ") and "Traceback" not in line, line
    for text in expected:
        assert text in line, line
    return line


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = tmp_path / "demo.sqlite"
    assert CliRunner().invoke(main, ["load", str(SEEDS), "--db", str(path), "--workers", "1"]).exit_code == 0
    return str(path)


BAD_ARGUMENTS = {   # arguments → what the one line must say
    ("db", "downgrade", "0099"): ["Can't locate revision identified by '0099'"],
    ("db", "upgrade", "nosuchrevision"): ["nosuchrevision"],
    ("runs", "-n", "abc"): ["--limit", "'abc'", "casedb runs --help"],
    ("runs", "-n", "0"): ["--limit"],
    ("load",): ["--urls", "casedb load --help"],
    ("load", "--workers", "-1", str(SEEDS)): ["--workers"],
    ("sql",): ["Missing argument 'QUERY'"],
    ("sql", "SELEC 1"): ["syntax error"],
    ("show", "病例999"): ["no case '病例999'"],
}


@pytest.mark.parametrize("args", BAD_ARGUMENTS, ids=" ".join)
def test_a_bad_argument_or_revision_is_one_line_and_exit_two(demo_db, args):
    before = table_counts(connect(demo_db))
    _one_error_line(CliRunner().invoke(main, [*args, "--db", demo_db]), *BAD_ARGUMENTS[args])
    assert table_counts(connect(demo_db)) == before


def test_a_bad_command_or_file_argument_is_one_line_and_exit_two():
    _one_error_line(CliRunner().invoke(main, ["nosuchcommand"]), "No such command 'nosuchcommand'")
    _one_error_line(CliRunner().invoke(main, ["extract", "no/such/notice.txt"]), "no/such/notice.txt")


@pytest.mark.parametrize("args", [["sql", "select 1"], ["runs"], ["show", "病例49"], ["db", "current"],
                                  ["db", "upgrade"], ["load", str(SEEDS)], ["demo"], ["reparse"],
                                  ["export", "--out", "{tmp}/out"]], ids=" ".join)
def test_a_file_that_is_not_a_database_is_one_line_and_exit_two(tmp_path, args):
    not_a_database = tmp_path / "README.md"
    shutil.copy(README, not_a_database)
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    _one_error_line(CliRunner().invoke(main, [*args, "--db", str(not_a_database)]), "file is not a database",
                    str(not_a_database))
    assert not_a_database.read_bytes() == README.read_bytes()


def test_a_missing_database_file_is_one_line_for_reading_commands(tmp_path):
    missing = tmp_path / "missing.sqlite"
    for args in (["sql", "select 1"], ["runs"], ["show", "病例49"]):
        _one_error_line(CliRunner().invoke(main, [*args, "--db", str(missing)]), f"{missing}: no such database file")
    assert not missing.exists()


def test_an_in_memory_or_unknown_database_url_is_one_line():
    _one_error_line(CliRunner().invoke(main, ["sql", "select 1", "--db", "sqlite://"]), "not an in-memory database")
    _one_error_line(CliRunner().invoke(main, ["runs", "--db", "nosuchdialect://host/db"]), "nosuchdialect")


@pytest.mark.parametrize("args", [["load", str(SEEDS / "001_096631c7e59e4269.txt"), "--workers", "1"],
                                  ["db", "downgrade"], ["reparse", "--all", "--workers", "1"]], ids=" ".join)
def test_a_locked_database_is_one_line_and_exit_two(demo_db, args, monkeypatch):
    """Another process holds the write lock for longer than casedb waits for it (shortened here)."""
    import sqlite3

    monkeypatch.setattr("casedb.store.engine.SQLITE_BUSY_TIMEOUT_MS", 50)
    if args[0] == "load":
        CliRunner().invoke(main, ["db", "downgrade", "--db", demo_db])   # so that the load has to write
    holder = sqlite3.connect(demo_db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        _one_error_line(CliRunner().invoke(main, [*args, "--db", demo_db]), "database is locked", demo_db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_installed_command_prints_no_traceback(tmp_path):
    """The real entry point (not CliRunner): a bad revision and a text file as --db."""
    for args in (["db", "downgrade", "0099", "--db", str(tmp_path / "x.sqlite")],
                 ["sql", "select 1", "--db", str(README)]):
        finished = subprocess.run([sys.executable, "-m", "casedb", *args], capture_output=True, text=True,
                                  timeout=120, cwd=tmp_path)
        assert finished.returncode == 2 and finished.stdout == "", finished
        (line,) = finished.stderr.splitlines()
        assert line.startswith("casedb: ") and "Traceback" not in finished.stderr


def test_downgrade_to_base_asks_first(demo_db):
    cases = table_counts(connect(demo_db))["cases"]
    for answer in (None, "n\n", "\n"):   # no input at all (cron), no, and the default
        result = CliRunner().invoke(main, ["db", "downgrade", "base", "--db", demo_db], input=answer)
        assert result.exit_code == 2 and "Drop every casedb table" in result.output
        assert result.output.splitlines()[-1].startswith("casedb: db downgrade base not confirmed")
        assert table_counts(connect(demo_db))["cases"] == cases
    result = CliRunner().invoke(main, ["db", "downgrade", "base", "--db", demo_db], input="y\n")
    assert result.exit_code == 0 and "base (no tables)" in result.output
    assert "empty" in run("db", "current", url=demo_db).output
    run("db", "upgrade", url=demo_db)
    result = CliRunner().invoke(main, ["db", "downgrade", "base", "--yes", "--db", demo_db])
    assert result.exit_code == 0 and "Drop every" not in result.output and "base (no tables)" in result.output
