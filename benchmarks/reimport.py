"""Re-importing an unchanged folder: the nightly cron case. Target: 10,000 documents in < 2 s.

    .venv/bin/python benchmarks/reimport.py [--documents 10000] [--db URL]

Builds a folder of distinct notices (the seed notice with the case numbers shifted), loads it
once (parsing everything, with --workers), then times a second ``casedb load`` of the same
folder, both as the library call (wall and CPU time: on a busy machine the CPU time is the
steadier figure) and as the whole command (interpreter start-up included).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casedb.store import connect, load, table_counts

SEED_NOTICE = Path(__file__).resolve().parents[1] / "seeds" / "001_096631c7e59e4269.txt"


def make_corpus(folder: Path, documents: int) -> None:
    """``documents`` files, each the seed notice with its four cases renumbered to make it distinct."""
    text = SEED_NOTICE.read_text(encoding="utf-8")
    for index in range(documents):
        shifted = re.sub(r"病例(\d+)", lambda m: f"病例{int(m.group(1)) + 4 * index}", text)
        subfolder = folder / f"{index // 1000:02d}"
        subfolder.mkdir(parents=True, exist_ok=True)
        (subfolder / f"{index:05d}.txt").write_text(shifted, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casedb-bench-") as tmp:
        folder = Path(tmp, "notices")
        url = args.db or f"sqlite:///{Path(tmp, 'bench.sqlite')}"
        make_corpus(folder, args.documents)
        started = time.perf_counter()
        first = load([folder], url, workers=args.workers)
        first_seconds = time.perf_counter() - started
        print(f"first load ({args.workers} workers): {first_seconds:.1f} s — {first.line()}")

        started, cpu_started = time.perf_counter(), time.process_time()
        again = load([folder], url)
        library_seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        print(f"re-import, library call: {library_seconds:.2f} s wall, {cpu_seconds:.2f} s CPU — {again.line()}")

        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "casedb", "load", str(folder), "--db", url, "--quiet"], check=True)
        command_seconds = time.perf_counter() - started
        print(f"re-import, whole `casedb load --quiet` command: {command_seconds:.2f} s")
        print(f"tables: {table_counts(connect(url))}")
        assert again.files_unchanged == args.documents and again.rows.total == 0
        verdict = "OK" if library_seconds < 2 else "TOO SLOW"
        print(f"{verdict}: unchanged re-import of {args.documents} documents in {library_seconds:.2f} s "
              f"(target < 2 s; {os.getloadavg()[0]:.1f} load average on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
