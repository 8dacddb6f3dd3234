"""Issue 19, findings 2-4 and 9: what a loaded folder or a crawler's URL list may hold must not hang, abort or
exhaust a nightly load: named pipes, file names that are not UTF-8, .docx bombs, malformed URL-list rows."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
