"""Issue 19, Low findings: Ctrl-C stops a long SQLite query in ``casedb sql``, and a WAL database on
read-only media can be read."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from casedb.store import connect, load

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
#: A query that never ends by itself.
ENDLESS = "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r"
#: CPU ticks the query must have used before Ctrl-C, so that the signal arrives inside SQLite.
TICKS_IN_QUERY = 30


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeded") / "casedb.sqlite"
    assert load([SEEDS], f"sqlite:///{db}", workers=1).ok
    engine = connect(str(db))
    with engine.connect() as connection:     # every row into the file itself, as a clean close leaves it
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return db


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])        # utime + stime


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the query running")
def test_ctrl_c_stops_a_long_sqlite_query(seeded_file):
    process = subprocess.Popen([sys.executable, "-m", "casedb", "sql", ENDLESS, "--db", str(seeded_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        while not _has_open(process.pid, seeded_file.resolve()) and process.poll() is None:
            pass
        start = _cpu_ticks(process.pid)
        while process.poll() is None and _cpu_ticks(process.pid) - start < TICKS_IN_QUERY:
            pass
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        try:
            _stdout, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail("casedb sql ignored Ctrl-C")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 1, stderr
    assert stderr.strip() == "Aborted!", stderr


def _read_only_runner() -> list[str]:
    """A command prefix that runs a program unable to write to read-only files and folders: as is for a normal
    user; for root, without the capabilities that let root write anywhere."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a folder read-only for root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable"]


def test_a_wal_database_on_read_only_media_can_be_read(seeded_file):
    with connect(str(seeded_file)).connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    media = Path(tempfile.mkdtemp(prefix="casedb-ro-"))
    try:
        db = media / "casedb.sqlite"
        shutil.copy(seeded_file, db)
        assert not Path(f"{db}-shm").exists()
        db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        media.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        runner = _read_only_runner()
        command = [*runner, sys.executable, "-m", "casedb"]
        probe = subprocess.run([*runner, sys.executable, "-c", f"open({str(db)!r} + '-shm', 'w')"],
                               capture_output=True, text=True, timeout=60)
        assert probe.returncode != 0, "the folder is writable: the test would mean nothing"
        result = subprocess.run([*command, "sql", "SELECT count(*) AS n FROM cases", "--db", str(db),
                                 "--format", "csv"], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["n", "4"]
        shown = subprocess.run([*command, "show", "病例49", "--db", str(db)], capture_output=True, text=True,
                               timeout=300)
        assert shown.returncode == 0 and "病例49" in shown.stdout, shown.stderr
        wal = Path(f"{db}-wal")                  # a copy with changes left in its -wal file: said, not misread
        media.chmod(stat.S_IRWXU)
        wal.write_bytes(b"x" * 4096)
        media.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        refused = subprocess.run([*command, "sql", "SELECT count(*) FROM cases", "--db", str(db)],
                                 capture_output=True, text=True, timeout=300)
        assert refused.returncode == 2 and "casedb-ro" in refused.stderr and "-wal holds changes" in refused.stderr, \
            refused.stderr
    finally:
        media.chmod(stat.S_IRWXU)
        shutil.rmtree(media, ignore_errors=True)
