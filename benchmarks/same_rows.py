"""Do two casedb trees store the same rows? (a script, not a test)

Loads the same folders with casedb from tree A and from tree B (each first on ``PYTHONPATH``, each with its
own number of parse workers) into two new SQLite files, optionally re-parses them (``reparse --all``), and
compares every content table: row by row in id order (all columns but timestamps: ids included), and by
content (ids aside, foreign keys followed to the rows they point at: ``tests/load_corpus.snapshot``).

    git archive <commit> casedb migrations | tar -x -C /tmp/before     # the tree to compare with
    ln -s ../migrations /tmp/before/casedb/migrations   # its own migrations, not the installed casedb's
    .venv/bin/python benchmarks/same_rows.py --a /tmp/before --a-workers 1 --b . --b-workers 2 \\
        --fixed-batches ../shared/devset seeds tests/heldout* /tmp/bench300

``--ignore COLUMN`` leaves a column out of both (one that only the newer tree has, such as ``rows_digest``).
``--fixed-batches`` writes batches by count only (no time-based flush), so that the person and place ids,
which follow how documents were batched, are comparable too. ``--any-parser-version`` leaves the
``parser_version`` column out: it is a digest of the parser's files (``casedb.PARSER_VERSION``), so two trees
whose parser files differ stamp every row differently even where they parse alike.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TIMESTAMPS = {"first_seen", "last_seen", "changed_at", "superseded_at"}
TABLES = ("documents", "notices", "cases", "visits", "relations", "persons", "places", "document_versions")
RUN = """
import sys
import casedb
import casedb.store.loading as loading
print(f"casedb from {casedb.__path__[0]}:", file=sys.stderr)
from casedb.cli import main
if sys.argv[1] == "1":
    loading.WRITE_BATCH_SECONDS = loading.WRITE_BATCH_SECONDS_POOLED = 3600   # (an older tree has no _POOLED)
main(sys.argv[2:])
"""


def run(tree: str, workers: int, url: str, folders: list[str], fixed: bool, reparse: bool, work: str) -> None:
    """Load (and re-parse) with the casedb of ``tree``: run in ``work``, as ``python -c`` puts the working directory
    before ``PYTHONPATH`` (run in a checkout, it would import that checkout's casedb whatever the tree)."""
    env = dict(os.environ, PYTHONPATH=tree)
    folders = [os.path.abspath(folder) for folder in folders]
    commands = [["load", *folders]] + ([["reparse", "--all"]] if reparse else [])
    for command in commands:
        done = subprocess.run([sys.executable, "-c", RUN, "1" if fixed else "0", *command, "--db", url,
                               "--workers", str(workers), "--quiet"], env=env, capture_output=True, text=True,
                              cwd=work)
        print(f"{tree}, {workers} workers, {command[0]}: exit {done.returncode} {done.stdout.strip()[-200:]}"
              f"{done.stderr.strip()[-300:]}")


def dump(path: str, ignore: frozenset[str]) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    rows = {}
    for table in TABLES:
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")
                   if row[1] not in TIMESTAMPS and row[1] not in ignore]
        rows[table] = connection.execute(
            f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM {table} ORDER BY id").fetchall()
    connection.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help="tree A (a folder holding casedb/)")
    parser.add_argument("--a-workers", type=int, default=1)
    parser.add_argument("--b", required=True, help="tree B")
    parser.add_argument("--b-workers", type=int, default=1)
    parser.add_argument("--fixed-batches", action="store_true", help="batches by count only: ids comparable")
    parser.add_argument("--reparse", action="store_true", help="then reparse --all both databases")
    parser.add_argument("--any-parser-version", action="store_true",
                        help="leave parser_version out (trees whose parser files differ)")
    parser.add_argument("--ignore", action="append", default=[], metavar="COLUMN",
                        help="leave this column out (e.g. one that only the newer tree has)")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.load_corpus import differences, snapshot

    with tempfile.TemporaryDirectory(prefix="casedb-same-rows-") as work:
        paths = [f"{work}/a.sqlite", f"{work}/b.sqlite"]
        for tree, workers, path in ((args.a, args.a_workers, paths[0]), (args.b, args.b_workers, paths[1])):
            run(os.path.abspath(tree), workers, f"sqlite:///{path}", args.folders, args.fixed_batches, args.reparse,
                work)
        ignore = frozenset(args.ignore) | frozenset({"parser_version"} if args.any_parser_version else ())
        a, b = dump(paths[0], ignore), dump(paths[1], ignore)
        for table in TABLES:
            print(f"{table:18} {len(a[table]):7,} / {len(b[table]):7,} rows; identical, ids included: "
                  f"{a[table] == b[table]}")
        lost, extra = differences(snapshot(f"sqlite:///{paths[0]}", ignore), snapshot(f"sqlite:///{paths[1]}", ignore))
        print(f"by content (ids aside, foreign keys followed): {lost} rows of A missing from B, {extra} extra")
    return 0 if lost == extra == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
