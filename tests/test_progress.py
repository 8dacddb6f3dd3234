"""Progress on long work: load, reparse and export tell the total first, then report each document
(or file of rows) once, so a bar shows done/total, the rate and the time left."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

from click.testing import CliRunner

from casedb.cli import _Bar, main
from casedb.export import export
from casedb.store import connect, load, reparse
from casedb.store.loading import RunSummary

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Recorder:
    """A progress callback that remembers what it was told."""

    def __init__(self):
        self.expected: list[tuple] = []
        self.calls: list[tuple] = []

    def expect(self, total, summary):
        assert not self.calls, "the total comes before the first document"
        self.expected.append((total, summary))

    def __call__(self, source, outcome):
        self.calls.append((source, outcome))


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "notices"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.py"))
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, folder)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_load_tells_the_total_then_reports_each_document_once(tmp_path):
    folder, url = _folder(tmp_path), f"sqlite:///{tmp_path / 'db.sqlite'}"
    files = sorted(str(path) for path in folder.iterdir())
    missing = str(tmp_path / "gone.txt")
    for run, outcomes in ((1, {"new", "failed"}), (2, {"unchanged", "failed"})):
        progress = Recorder()
        summary = load([folder, missing], url, progress=progress, workers=1)
        ((total, told),) = progress.expected
        assert told is summary and isinstance(told, RunSummary)
        assert total == len(files) + 1 == len(progress.calls) == summary.files_seen
        assert sorted(source for source, _ in progress.calls) == sorted([*files, missing])
        assert {outcome for _, outcome in progress.calls} == outcomes, run


def test_reparse_tells_the_total_then_reports_each_document_once(tmp_path):
    folder, url = _folder(tmp_path), f"sqlite:///{tmp_path / 'db.sqlite'}"
    stored = load([folder], url, workers=1).files_new
    progress = Recorder()
    summary = reparse(url, force=True, progress=progress)
    ((total, told),) = progress.expected
    assert told is summary and total == stored == len(progress.calls) > 0
    nothing = Recorder()
    reparse(url, progress=nothing)   # every document is at this parser version already
    assert nothing.expected[0][0] == 0 and nothing.calls == []


def test_export_tells_the_rows_then_reports_each_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    load([SEEDS], url, workers=1)
    progress = Recorder()
    written = export(connect(url, read_only=True), tmp_path / "out", fmt="json", progress=progress)
    ((total_rows, cases),) = progress.expected
    assert cases == 4
    assert [name for name, _ in progress.calls] == list(written)
    assert total_rows == sum(rows for _, rows in progress.calls) == sum(rows for _, rows in written.values())


def _last_drawn(out: io.StringIO) -> str:
    """The last state of the bar drawn before it was cleared."""
    return [state for state in out.getvalue().split("\r") if state.strip()][-1]


def test_the_bar_shows_done_total_rate_and_the_cases_written():
    out = io.StringIO()
    summary = RunSummary(run_id=1, command="load")
    bar = _Bar(False, "loading", "documents", file=out, enabled=True)
    bar.expect(4, summary)
    for case_count in (0, 3, 3, 7):
        summary.rows.cases = case_count
        bar("x.txt", "new")
    bar.close()
    final = _last_drawn(out)
    assert "4/4" in final and "documents/s" in final and "7 cases" in final and "100%" in final, final


def test_the_export_bar_counts_rows():
    out = io.StringIO()
    bar = _Bar(False, "exporting", "rows", file=out, enabled=True)
    bar.expect(30, 4)
    bar("cases", 10)
    bar("visits", 20)
    bar.close()
    final = _last_drawn(out)
    assert "30/30" in final and "rows/s" in final and "4 cases" in final, final


def test_no_bar_unless_stderr_is_a_terminal(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    result = CliRunner().invoke(main, ["load", str(SEEDS), "--db", url, "--workers", "1"])
    assert result.exit_code == 0 and "documents/s" not in result.output
    monkeypatch.setattr("casedb.cli._on_terminal", lambda: True)
    result = CliRunner().invoke(main, ["reparse", "--all", "--db", url, "--workers", "1"])
    assert result.exit_code == 0 and "5/5" in result.stderr and "documents/s" in result.stderr
    assert "documents/s" not in CliRunner().invoke(
        main, ["reparse", "--all", "--quiet", "--db", url, "--workers", "1"]).output
