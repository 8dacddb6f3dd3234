"""An interrupted ``casedb reparse`` is logged in ``import_runs`` as stopped, as an interrupted ``load`` is
(issue 19, Low): SIGTERM, Ctrl-C, or an exception in the middle of the run. Before, its run row read like a
clean finish (``finished_at`` set, no error)."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from casedb.store import load, reparse

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

#: A ``casedb reparse --all`` whose parsing stops at its second document until it is signalled; the first
#: document is re-parsed (and written) normally, and MARKER tells the test it is under way.
SLOW_REPARSE = """
import sys, time
from pathlib import Path
import casedb.store.loading as loading
from casedb.cli import main

marker, url = Path(sys.argv[1]), sys.argv[2]
parse = loading.parse_stored
seen = []

def slow(item, parser=loading.default_parser):
    seen.append(item[0])
    if len(seen) == 2:
        marker.write_text("parsing")
        for _ in range(6000):   # until the test stops us
            time.sleep(0.05)
    return parse(item, parser)

loading.parse_stored = slow
main(["reparse", "--all", "--workers", "1", "--db", url])
"""


def _last_run(url: str):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT command, finished_at, errors FROM import_runs ORDER BY id DESC LIMIT 1")).one()
    finally:
        engine.dispose()


@pytest.fixture
def loaded(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert load([SEEDS], url, workers=1).ok
    return url


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)   # a background test run inherits SIGINT ignored


@pytest.mark.parametrize("stop,exit_code,message", [(signal.SIGTERM, 143, "casedb: stopped by SIGTERM"),
                                                    (signal.SIGINT, 1, "Aborted!")])
def test_a_stopped_reparse_logs_its_run_as_stopped(loaded, tmp_path, stop, exit_code, message):
    marker = tmp_path / "marker"
    process = subprocess.Popen([sys.executable, "-c", SLOW_REPARSE, str(marker), loaded], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_default_sigint)
    while process.poll() is None and not marker.exists():
        time.sleep(0.01)
    assert marker.exists(), process.communicate()[1].decode()
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == exit_code, stderr.decode()
    assert stderr.decode().strip().splitlines()[-1] == message
    command, finished_at, errors = _last_run(loaded)
    assert command == "reparse" and finished_at is not None
    assert errors is not None and errors.startswith("run stopped: "), errors
    summary = reparse(loaded, force=True, workers=1)   # a re-run completes, and is logged as clean
    assert summary.ok and summary.files_changed == summary.files_seen > 0
    assert _last_run(loaded)[2] is None


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_a_reparse_stopped_by_an_exception_logs_it(loaded, error):
    def progress(_source, _outcome):
        raise error("stop here")

    with pytest.raises(error):
        reparse(loaded, force=True, workers=1, progress=progress)
    command, finished_at, errors = _last_run(loaded)
    assert command == "reparse" and finished_at is not None
    assert errors == f"run stopped: {error.__name__}: stop here"
