"""Re-importing an unchanged folder: the nightly cron case. Target: 10,000 documents in < 2 s.

    .venv/bin/python benchmarks/reimport.py [--documents 10000] [--db URL] [--keep DIR] [--repeat 3]

Builds a folder of distinct notices (the seed notice with the case numbers shifted), loads it
once (parsing everything, with --workers), then times ``--repeat`` further loads of the same,
unchanged folder, both as the library call (wall and CPU time: on a busy machine the CPU time
is the steadier figure) and as the whole command (interpreter start-up included).

With ``--keep DIR`` the folder and the SQLite database stay in DIR: the next run with the same
DIR finds every document stored already, so its first load is itself an unchanged re-import
and only the timed part is left to wait for.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from casedb.store import connect, ensure_schema, load, table_counts

SEED_NOTICE = Path(__file__).resolve().parents[1] / "seeds" / "001_096631c7e59e4269.txt"


def make_corpus(folder: Path, documents: int) -> None:
    """``documents`` files, each the seed notice with its four cases renumbered to make it distinct
    (files already there are left as they are)."""
    text = SEED_NOTICE.read_text(encoding="utf-8")
    for index in range(documents):
        path = folder / f"{index // 1000:02d}" / f"{index:05d}.txt"
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(re.sub(r"病例(\d+)", lambda m: f"病例{int(m.group(1)) + 4 * index}", text), encoding="utf-8")


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the parsing workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _timed(call):
    """(result, wall seconds, CPU seconds) of ``call()``."""
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = call()
    return result, time.perf_counter() - started, _cpu_seconds() - cpu_started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", help="database URL (default: a SQLite file next to the folder)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parsing processes, first load")
    parser.add_argument("--keep", type=Path, help="folder that keeps the notices and database for the next run")
    parser.add_argument("--repeat", type=int, default=3, help="timed re-imports")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory(prefix="casedb-bench-") as tmp:
        folder = Path(tmp, "notices")
        url = args.db or f"sqlite:///{Path(tmp, 'bench.sqlite')}"
        make_corpus(folder, args.documents)
        first, first_seconds, first_cpu = _timed(lambda: load([folder], url, workers=args.workers))
        print(f"first load ({args.workers} workers): {first_seconds:.1f} s wall, {first_cpu:.1f} s CPU "
              f"(load average {os.getloadavg()[0]:.2f}) — {first.line()}")
        engine = connect(url)
        ensure_schema(engine)
        if engine.dialect.name == "sqlite":  # as when the first load's process has exited (cron runs one per night)
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

        library_seconds = []
        for _ in range(args.repeat):
            again, wall, cpu = _timed(lambda: load([folder], url))
            assert again.files_unchanged == args.documents and again.rows.total == 0, again.line()
            library_seconds.append(wall)
            print(f"re-import, library call: {wall:.2f} s wall, {cpu:.2f} s CPU "
                  f"(load average {os.getloadavg()[0]:.2f}) — {again.line()}")

        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "casedb", "load", str(folder), "--db", url, "--quiet"], check=True)
        print(f"re-import, whole `casedb load --quiet` command: {time.perf_counter() - started:.2f} s")
        print(f"tables: {table_counts(connect(url))}")
        best = min(library_seconds)
        verdict = "OK" if best < 2 else "TOO SLOW"
        print(f"{verdict}: unchanged re-import of {args.documents} documents in {best:.2f} s at best "
              f"(target < 2 s; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
