"""Scale benchmark (a script, not a test): parse-only throughput, ``casedb load`` into SQLite and
PostgreSQL, peak RSS, and how each grows from 10k to 100k cases.

    .venv/bin/pip install -e '.[bench]'            # openpyxl, for the action-tracking .xlsx
    .venv/bin/python benchmarks/scale.py           # 10k and 100k cases; prints a Markdown table
    .venv/bin/python benchmarks/scale.py --sizes 2000 10000 --markdown benchmarks/out/scale.md
    .venv/bin/python benchmarks/scale.py --sizes 100000 --steps sqlite --json big.json
    .venv/bin/python benchmarks/scale.py --render small.json big.json     # one table from several runs

The corpus (``benchmarks/corpus.py``) is written under a temporary folder and removed afterwards.
Each measurement runs in its own child process; peak RSS is ``getrusage(RUSAGE_CHILDREN)``
of a wrapper around it, i.e. the largest single process (the loader or one of its parse
workers). PostgreSQL is a throwaway server started like the test fixture does
(``tests/conftest.py``); without one the PostgreSQL column is skipped with the reason.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))           # for tests.conftest's PostgreSQL server helper

from benchmarks.corpus import REFERENCE, source_paragraphs, write_corpus  # noqa: E402

CASEDB = Path(sys.executable).with_name("casedb")
GOALS = {"sqlite": 5000, "postgresql": 1000}     # case paragraphs per second, parse + load
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
RSS_GOAL_MB = 300
#: Time per case may grow by this factor from the smallest to the largest size and count as flat.
FLAT_WITHIN = 1.15


def parse_only(corpus_dir: str) -> None:
    """Child process: read and parse every file serially; print what was found as JSON."""
    from casedb.extract import extract_file

    files = cases = visits = size = 0
    for path in sorted(Path(corpus_dir).iterdir()):
        extraction = extract_file(path)
        files += 1
        size += path.stat().st_size
        cases += sum(len(notice.cases) for notice in extraction.notices)
        visits += sum(len(case.visits) for notice in extraction.notices for case in notice.cases)
    print(json.dumps({"files": files, "bytes": size, "cases_found": cases, "visits_found": visits}))


def measure_child(command: list[str]) -> None:
    """Child process: run ``command``; print its wall time, peak RSS and output tail as JSON."""
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_kb / 1024, "returncode": proc.returncode,
                      "stdout": proc.stdout[-2000:], "stderr": proc.stderr[-2000:]}))


def measure(command: list[str], env: dict | None = None, ok_codes: tuple[int, ...] = (0,)) -> dict:
    """Run ``command`` in a fresh wrapper process, so that RSS figures do not mix."""
    wrapper = [sys.executable, __file__, "_measure", "--", *command]
    load_before = os.getloadavg()[0]
    proc = subprocess.run(wrapper, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_average"] = max(load_before, os.getloadavg()[0])   # other work on the machine, if any
    if result["returncode"] not in ok_codes:
        raise RuntimeError(f"{' '.join(command)} failed ({result['returncode']}): {result['stderr'][-800:]}")
    return result


def stored(url: str) -> dict:
    """Cases in the database, and the files the last run could not store (with the first error)."""
    from sqlalchemy import func, select

    from casedb.store.engine import connect
    from casedb.store.models import Case, ImportRun

    engine = connect(url)
    try:
        with engine.connect() as connection:
            run = connection.execute(select(ImportRun).order_by(ImportRun.id.desc()).limit(1)).one()
            return {"cases_stored": connection.execute(select(func.count()).select_from(Case)).scalar_one(),
                    "files_failed": run.files_failed, "first_error": (run.errors or "").split("\n")[0]}
    finally:
        engine.dispose()


def load_into(url: str, corpus_dir: Path) -> dict:
    """``casedb load`` of the corpus into ``url``, timed, with what it stored. Exit code 1 (some
    files failed) still counts as a run; the failures are reported."""
    result = measure([str(CASEDB), "load", str(corpus_dir)], env={"CASEDB_URL": url}, ok_codes=(0, 1))
    result.update(stored(url))
    return result


class Postgres:
    """The test suite's throwaway PostgreSQL server, or the reason there is none."""

    def __init__(self, start: bool = True):
        self.server, self.reason = None, None if start else "not in --steps"
        if not start:
            return
        try:
            from tests.conftest import PostgresServer, _postgres_bin_dir

            self.server = PostgresServer(_postgres_bin_dir())
            self.server.start()
        except Exception as err:  # noqa: BLE001 - any failure to start means "skip with the reason"
            self.server, self.reason = None, f"{type(err).__name__}: {err}"

    def database(self, name: str) -> str:
        return self.server.create_database(name)

    def version(self) -> str:
        proc = subprocess.run([str(self.server.bin_dir / "postgres"), "--version"], capture_output=True, text=True)
        return proc.stdout.strip()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


STEPS = ("parse", "sqlite", "postgresql")


def run_size(row: dict, paragraphs: list[str], work: Path, postgres: Postgres, per_notice: int, steps, save) -> None:
    """Fill ``row`` ({"n": cases}) with each measurement in ``steps``, calling ``save()`` after each."""
    n_cases = row["n"]
    corpus_dir = work / f"corpus_{n_cases}"
    row["corpus"] = corpus = write_corpus(corpus_dir, paragraphs, n_cases, per_notice)
    print(f"[{n_cases}] corpus: {corpus['files']} files, {corpus['bytes'] / 1e6:.1f} MB", file=sys.stderr)
    if "parse" in steps:
        parse = measure([sys.executable, __file__, "_parse", str(corpus_dir)])
        parse.update(json.loads(parse["stdout"].strip().splitlines()[-1]))
        row["parse"] = parse
        save()
        print(f"[{n_cases}] parse only: {parse['seconds']:.1f} s", file=sys.stderr)
    if "sqlite" in steps:
        sqlite_path = work / f"casedb_{n_cases}.sqlite"
        row["sqlite"] = load_into(f"sqlite:///{sqlite_path}", corpus_dir)
        row["sqlite"]["db_mb"] = sum(p.stat().st_size for p in work.glob(f"casedb_{n_cases}.sqlite*")) / 1e6
        save()
        print(f"[{n_cases}] SQLite load: {row['sqlite']['seconds']:.1f} s", file=sys.stderr)
    if "postgresql" in steps:
        if postgres.server is None:
            row["postgresql_skipped"] = postgres.reason
        else:
            row["postgresql"] = load_into(postgres.database(f"bench_{n_cases}"), corpus_dir)
            save()
            print(f"[{n_cases}] PostgreSQL load: {row['postgresql']['seconds']:.1f} s", file=sys.stderr)
    shutil.rmtree(corpus_dir)
    for path in work.glob(f"casedb_{n_cases}.sqlite*"):
        path.unlink()


def machine(postgres: Postgres) -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parts = [f"{os.cpu_count()} cores ({model})", f"{memory_gb:.0f} GiB RAM", f"Python {platform.python_version()}",
             f"SQLite {sqlite3.sqlite_version}"]
    if postgres.server is not None:
        parts.append(postgres.version())
    return ", ".join(parts)


def _throughput(n: int, result: dict) -> str:
    return f"{result['seconds']:.1f} s · **{n / result['seconds']:,.0f} cases/s** · peak RSS {result['peak_rss_mb']:.0f} MB"


def _parse_cell(row: dict) -> str:
    parse = row["parse"]
    return (f"{_throughput(row['n'], parse)} · {parse['bytes'] / 1e6 / parse['seconds']:.2f} MB/s · "
            f"{parse['cases_found'] / row['n']:.1%} of cases found")


def _load_cell(row: dict, key: str) -> str:
    result = row[key]
    failed = f" · {result['files_failed']} files failed" if result["files_failed"] else ""
    size = f" · DB {result['db_mb']:.0f} MB" if "db_mb" in result else ""
    return f"{_throughput(row['n'], result)} · {result['cases_stored']:,} cases stored{failed}{size}"


def _time_per_case_ratio(rows: list[dict], key: str) -> float | None:
    measured = [row for row in rows if key in row]
    if len(measured) < 2:
        return None
    first, last = measured[0], measured[-1]
    return (last[key]["seconds"] / last["n"]) / (first[key]["seconds"] / first["n"])


def _growth(rows: list[dict], key: str) -> str:
    ratio = _time_per_case_ratio(rows, key)
    if ratio is None:
        return "–"
    measured = [row for row in rows if key in row]
    return f"time/case ×{ratio:.2f}, RSS ×{measured[-1][key]['peak_rss_mb'] / measured[0][key]['peak_rss_mb']:.2f}"


def markdown(rows: list[dict]) -> str:
    """The results table, the machine, the commands and the goals, from the saved figures."""
    def line(title: str, key: str, cell) -> str:
        cells = [cell(r) if key in r else (f"skipped: {r[key + '_skipped']}" if key + "_skipped" in r else "not run")
                 for r in rows]
        return f"| {title} | {' | '.join(cells)} | {_growth(rows, key)} |"

    sizes = " | ".join(f"{r['n']:,} cases" for r in rows)
    lines = [f"| | {sizes} | growth {rows[0]['n']:,} → {rows[-1]['n']:,} |",
             "|---" * (len(rows) + 2) + "|",
             "| corpus | " + " | ".join(f"{r['corpus']['files']:,} notices, {r['corpus']['bytes'] / 1e6:.1f} MB"
                                     for r in rows) + " | |",
             line("parse only (1 process)", "parse", _parse_cell),
             line("`casedb load` → SQLite", "sqlite", lambda r: _load_cell(r, "sqlite")),
             line("`casedb load` → PostgreSQL", "postgresql", lambda r: _load_cell(r, "postgresql"))]
    busiest = max(r[key]["load_average"] for r in rows for key in STEPS if key in r)
    commands = ", ".join(sorted({f"`{r['command']}`" for r in rows if "command" in r}))
    lines += ["", f"Machine: {rows[-1].get('machine', 'not recorded')}; highest 1-minute load average around a "
              f"measurement: {busiest:.1f}.", f"Commands: {commands}", "",
              "Goals:"]
    lines += _goals(rows)
    lines += sorted({f"- note: {note}" for r in rows for note in r.get("notes", [])})
    lines += [f"- note: {BACKENDS[key]} at {r['n']:,}: {r[key]['files_failed']} files failed, e.g. "
              f"`{r[key]['first_error']}`" for r in rows for key in BACKENDS if r.get(key, {}).get("files_failed")]
    return "\n".join(lines) + "\n"


def _goals(rows: list[dict]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    goals = []
    for key, goal in GOALS.items():
        measured = [row for row in rows if key in row]
        if measured:
            largest = measured[-1]
            rate = largest["n"] / largest[key]["seconds"]
            goals.append(f"- parse + load ≥ {goal:,} cases/s into {BACKENDS[key]}: {verdict(rate >= goal)} "
                         f"({rate:,.0f}/s at {largest['n']:,})")
    loads = [(row["n"], row[key]["peak_rss_mb"]) for row in rows for key in BACKENDS if key in row]
    if loads:
        largest_n = max(n for n, _ in loads)
        peak = max(rss for n, rss in loads if n == largest_n)
        goals.append(f"- peak RSS < {RSS_GOAL_MB} MB at {largest_n:,} cases: {verdict(peak < RSS_GOAL_MB)} "
                     f"({peak:.0f} MB)")
    for key in BACKENDS:
        ratio = _time_per_case_ratio(rows, key)
        if ratio is not None:
            goals.append(f"- time per case flat into {BACKENDS[key]} (×{FLAT_WITHIN} or less): "
                         f"{verdict(ratio <= FLAT_WITHIN)} (×{ratio:.2f})")
    return goals


def render(paths: list[Path]) -> str:
    """The table from one or more ``--json`` files (later files win for the same size and step)."""
    rows: dict[int, dict] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows.setdefault(row["n"], {}).update(row)
    return markdown([rows[n] for n in sorted(rows)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes in cases")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS), help="what to measure")
    parser.add_argument("--cases-per-notice", type=int, default=20)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file (after each step)")
    parser.add_argument("--render", type=Path, nargs="+", help="only print the table of earlier --json files")
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="the shared/reference folder")
    args = parser.parse_args(argv)
    if args.render:
        table = render(args.render)
    else:
        table = markdown(measure_all(args, " ".join(sys.argv[1:] if argv is None else argv)))
    print(table)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(table, encoding="utf-8")


def measure_all(args, arguments: str) -> list[dict]:
    paragraphs, notes = source_paragraphs(args.reference)
    print(f"{len(paragraphs)} source paragraphs", file=sys.stderr)
    postgres = Postgres(start="postgresql" in args.steps)
    rows = [{"n": n, "command": f"python benchmarks/scale.py {arguments}".strip(), "machine": machine(postgres),
             "notes": notes} for n in sorted(args.sizes)]

    def save() -> None:
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")

    try:
        with tempfile.TemporaryDirectory(prefix="casedb-scale-") as work:
            for row in rows:
                run_size(row, paragraphs, Path(work), postgres, args.cases_per_notice, args.steps, save)
    finally:
        postgres.stop()
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["_parse"]:
        parse_only(sys.argv[2])
    elif sys.argv[1:2] == ["_measure"]:
        measure_child(sys.argv[3:])
    else:
        main()
