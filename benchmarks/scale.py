"""Scale benchmark (a script, not a test): parse-only throughput, ``casedb load`` into SQLite and
PostgreSQL, peak RSS, and how each grows from 10k to 100k cases; beside them, as ratios, the regex
extractor ``../shared/eval/external/baseline_extract.py`` (parse only) and plain ``sqlite3`` writing
the rows casedb stored (one transaction, ``executemany``): the parse and write limits.

    .venv/bin/pip install -e '.[bench]'            # openpyxl, for the action-tracking .xlsx
    .venv/bin/python benchmarks/scale.py           # 10k and 100k cases; prints a Markdown table
    .venv/bin/python benchmarks/scale.py --sizes 2000 10000 --markdown benchmarks/out/scale.md
    .venv/bin/python benchmarks/scale.py --sizes 100000 --steps sqlite --json big.json
    .venv/bin/python benchmarks/scale.py --render small.json big.json     # one table from several runs
    .venv/bin/python benchmarks/scale.py --render after.json --before before.json   # and before → after
    .venv/bin/python benchmarks/scale.py --sizes 10000 50000 --steps sqlite --workers 1 2   # load per worker count
    .venv/bin/python benchmarks/scale.py --sizes 10000 --steps sqlite reparse   # reparse --all against the load

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
sys.path.append(str(REPO))   # for tests.conftest (PostgreSQL) and benchmarks; casedb from PYTHONPATH first

from benchmarks.corpus import REFERENCE, source_paragraphs, write_corpus  # noqa: E402

CASEDB = Path(sys.executable).with_name("casedb")
GOALS = {"sqlite": 2500, "postgresql": 1200}     # cases per second, parse + load (issue 15)
PARSE_GOAL = 2500                                # cases per second, parse only, one process (issue 15)
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: Parse workers of each ``casedb load`` (``--workers``); the first count keeps the plain keys
#: ``sqlite``/``postgresql``, the others are stored as ``sqlite_w2`` and so on.
WORKERS = [2]
RSS_GOAL_MB = 300
#: Time per case may grow by this factor from the smallest to the largest size and count as flat (issue 15: within
#: 10 %).
FLAT_WITHIN = 1.10


def parse_only(corpus_dir: str) -> None:
    """Child process: read and parse every file serially, set up as a parse worker of ``casedb load`` is
    (:func:`casedb.parse.prepare_for_many_documents`); print what was found as JSON."""
    from casedb.extract import extract_file
    from casedb.parse import prepare_for_many_documents

    prepare_for_many_documents()

    files = cases = visits = size = 0
    for path in sorted(Path(corpus_dir).iterdir()):
        extraction = extract_file(path)
        files += 1
        size += path.stat().st_size
        cases += sum(len(notice.cases) for notice in extraction.notices)
        visits += sum(len(case.visits) for notice in extraction.notices for case in notice.cases)
    print(json.dumps({"files": files, "bytes": size, "cases_found": cases, "visits_found": visits}))


def baseline_only(corpus_dir: str, external: str) -> None:
    """Child process: the regex extractor (``../shared/eval/external/baseline_extract.py``) over every
    file, serially, as ``parse_only`` does with casedb; prints what it found as JSON."""
    sys.path.insert(0, external)
    from baseline_extract import extract

    files = cases = 0
    for path in sorted(Path(corpus_dir).iterdir()):
        found = extract(path.read_text(encoding="utf-8"))
        files += 1
        cases += sum(len(notice.get("cases", [])) for notice in found["notices"])
    print(json.dumps({"files": files, "cases_found": cases}))


#: The tables of a casedb database in the order rows can be inserted (foreign keys point backwards).
PLAIN_TABLES = ("documents", "notices", "persons", "places", "cases", "visits", "relations")


def plain_sqlite(loaded: str, target: str) -> None:
    """Child process: the write limit. The rows ``casedb load`` stored in the SQLite file ``loaded``
    (read first, not timed) inserted into a new file with the same tables and indexes by plain
    ``sqlite3``: one transaction, one ``executemany`` per table. Prints the seconds as JSON."""
    source = sqlite3.connect(loaded)
    schema = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'index'")]
    rows = {table: source.execute(f"SELECT * FROM {table}").fetchall() for table in PLAIN_TABLES}
    source.close()
    database = sqlite3.connect(target, isolation_level=None)
    database.execute("PRAGMA journal_mode = WAL")
    database.execute("PRAGMA synchronous = NORMAL")
    for sql in schema:
        database.execute(sql)
    started = time.perf_counter()
    database.execute("BEGIN")
    for table in PLAIN_TABLES:
        if rows[table]:
            database.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[table][0]))})", rows[table])
    database.execute("COMMIT")
    seconds = time.perf_counter() - started
    database.close()
    print(json.dumps({"insert_seconds": seconds, "cases": len(rows["cases"]),
                      "rows": sum(len(table_rows) for table_rows in rows.values())}))


def writer_only(corpus_dir: str, url: str, workers: int) -> None:
    """Child process: ``casedb.load`` of the corpus with ``workers`` parse processes, timing the CPU this
    process spends in the writer (``write_with_retry``: building rows and running SQL), with the SQL
    statements it sends; prints them as JSON. CPU time of the writing thread, so other work on the machine
    barely moves it, and the parse workers' time is not in it."""
    from sqlalchemy import event

    from casedb.store import connect, load
    from casedb.store import write as write_module

    spent, statements, real = [0.0], [0], write_module.write_with_retry

    def timed(*args, **kwargs):
        started = time.thread_time()
        try:
            return real(*args, **kwargs)
        finally:
            spent[0] += time.thread_time() - started

    write_module.write_with_retry = timed
    engine = connect(url)

    @event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        statements[0] += 1

    summary = load([corpus_dir], engine=engine, workers=workers)
    print(json.dumps({"writer_cpu_seconds": spent[0], "statements": statements[0], "cases": summary.rows.cases,
                      "documents": summary.files_new, "workers": workers}))


def measure_child(command: list[str]) -> None:
    """Child process: run ``command``; print its wall time, peak RSS and output tail as JSON.

    The parse workers of ``casedb load`` are forked from a fork server that ends just after the loader: this
    process adopts it as a subreaper (Linux) and waits for it, so that the workers' CPU and RSS are counted."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(36, 1)   # PR_SET_CHILD_SUBREAPER
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    while True:   # the descendants left (the fork server), reparented to this process
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "returncode": proc.returncode,
                      "cpu_seconds": usage.ru_utime + usage.ru_stime,   # the command and its parse workers
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


def measure_script(*args: str) -> dict:
    """``measure`` of this script run as a child (``_parse``, ``_baseline``…), with what the child
    printed as JSON on its last line."""
    result = measure([sys.executable, __file__, *args])
    result.update(json.loads(result["stdout"].strip().splitlines()[-1]))
    return result


def stored(url: str) -> dict:
    """Cases in the database, and the files the last run could not store (with the first error)."""
    from sqlalchemy import func, select

    from casedb.store.engine import connect
    from casedb.store.models import cases, import_runs

    engine = connect(url)
    try:
        with engine.connect() as connection:
            run = connection.execute(select(import_runs).order_by(import_runs.c.id.desc()).limit(1)).one()
            return {"cases_stored": connection.execute(select(func.count()).select_from(cases)).scalar_one(),
                    "files_failed": run.files_failed, "first_error": (run.errors or "").split("\n")[0]}
    finally:
        engine.dispose()


def casedb_on(url: str, workers: int, *command: str, ok_codes: tuple[int, ...] = (0,)) -> dict:
    """``casedb <command> --quiet --workers N`` on the database ``url``, timed, with what it stored."""
    result = measure([str(CASEDB), *command, "--quiet", "--workers", str(workers)], env={"CASEDB_URL": url},
                     ok_codes=ok_codes)
    result.update(stored(url), workers=workers)
    return result


def load_into(url: str, corpus_dir: Path, workers: int) -> dict:
    """``casedb load --workers N`` of the corpus into ``url``, timed, with what it stored. Exit code 1
    (some files failed) still counts as a run; the failures are reported."""
    return casedb_on(url, workers, "load", str(corpus_dir), ok_codes=(0, 1))


def load_key(backend: str, workers: int) -> str:
    """The JSON key of a load: ``sqlite`` for the first worker count, ``sqlite_w2`` for others."""
    return backend if workers == WORKERS[0] else f"{backend}_w{workers}"


def load_keys() -> list[str]:
    return [load_key(backend, w) for backend in BACKENDS for w in WORKERS]


def load_title(key: str, rows: list[dict]) -> str:
    backend, _, w = key.partition("_w")
    workers = int(w) if w else next((r[key]["workers"] for r in rows if "workers" in r.get(key, {})), None)
    return f"`casedb load` → {BACKENDS[backend]}" + (f", {workers} worker{'s' * (workers != 1)}" if workers else "")


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


STEPS = ("parse", "baseline", "writer", "sqlite", "reparse", "postgresql")
#: What ``--steps reparse`` times on each database just loaded (SQLite, and PostgreSQL with ``--steps postgresql``; the
#: same parser): ``casedb reparse --all`` as it is, every document's rows coming out as stored (kept, ids included);
#: then with one document in ten, then every document, taking its rows as new (``documents.rows_digest`` cleared
#: first: the document's rows removed and written again), as after a parser change that touches those documents.
#: {key: (what, SQL run first)}
REPARSES = {"reparse": ("rows as stored", None),
            "reparse_tenth": ("one document in ten with new rows",
                              "UPDATE documents SET rows_digest = NULL WHERE id % 10 = 0"),
            "reparse_new": ("every document's rows new", "UPDATE documents SET rows_digest = NULL")}
#: The regex extractor that ``--steps baseline`` times (parse only, one process).
EXTERNAL = REPO.parent / "shared" / "eval" / "external"


def run_size(row: dict, paragraphs: list[str], work: Path, postgres: Postgres, per_notice: int, steps, save) -> None:
    """Fill ``row`` ({"n": cases}) with each measurement in ``steps``, calling ``save()`` after each."""
    n_cases = row["n"]
    corpus_dir = work / f"corpus_{n_cases}"
    row["corpus"] = corpus = write_corpus(corpus_dir, paragraphs, n_cases, per_notice)
    print(f"[{n_cases}] corpus: {corpus['files']} files, {corpus['bytes'] / 1e6:.1f} MB", file=sys.stderr)
    if "parse" in steps:
        parse = measure_script("_parse", str(corpus_dir))
        row["parse"] = parse
        save()
        print(f"[{n_cases}] parse only: {parse['seconds']:.1f} s", file=sys.stderr)
    if "baseline" in steps:
        baseline = measure_script("_baseline", str(corpus_dir), str(EXTERNAL))
        row["baseline"] = baseline
        save()
        print(f"[{n_cases}] regex extractor: {baseline['seconds']:.1f} s", file=sys.stderr)
    if "writer" in steps:
        writer_db = work / f"writer_{n_cases}.sqlite"
        writer = measure_script("_writer", str(corpus_dir), f"sqlite:///{writer_db}", str(WORKERS[-1]))
        row["writer"] = writer
        save()
        print(f"[{n_cases}] writer: {writer['writer_cpu_seconds']:.1f} s CPU", file=sys.stderr)
        for path in work.glob(f"{writer_db.name}*"):
            path.unlink()
    for workers in WORKERS:
        if "sqlite" in steps:
            key = load_key("sqlite", workers)
            sqlite_path = work / f"casedb_{n_cases}_{workers}.sqlite"
            row[key] = load_into(f"sqlite:///{sqlite_path}", corpus_dir, workers)
            row[key]["db_mb"] = sum(p.stat().st_size for p in work.glob(f"{sqlite_path.name}*")) / 1e6
            save()
            print(f"[{n_cases}] SQLite load, {workers} workers: {row[key]['seconds']:.1f} s", file=sys.stderr)
            if "reparse" in steps and workers == WORKERS[0]:
                reparses(row, "sqlite", f"sqlite:///{sqlite_path}", workers, save)
            if workers == WORKERS[0]:   # the same rows by plain sqlite3: the write limit
                plain_path = work / f"plain_{n_cases}.sqlite"
                plain = measure([sys.executable, __file__, "_plain", str(sqlite_path), str(plain_path)])
                row["plain_sqlite"] = json.loads(plain["stdout"].strip().splitlines()[-1])
                save()
                for path in work.glob(f"{plain_path.name}*"):
                    path.unlink()
            for path in work.glob(f"{sqlite_path.name}*"):
                path.unlink()
        if "postgresql" in steps:
            key = load_key("postgresql", workers)
            if postgres.server is None:
                row[key + "_skipped"] = postgres.reason
            else:
                url = postgres.database(f"bench_{n_cases}_{workers}")
                row[key] = load_into(url, corpus_dir, workers)
                save()
                print(f"[{n_cases}] PostgreSQL load, {workers} workers: {row[key]['seconds']:.1f} s",
                      file=sys.stderr)
                if "reparse" in steps and workers == WORKERS[0]:
                    reparses(row, "postgresql", url, workers, save)
    shutil.rmtree(corpus_dir)


def reparse_key(backend: str, key: str) -> str:
    """The JSON key of a re-parse (``REPARSES``) of ``backend``'s load: ``reparse`` (SQLite), ``postgresql_reparse``."""
    return key if backend == "sqlite" else f"{backend}_{key}"


def reparses(row: dict, backend: str, url: str, workers: int, save) -> None:
    """Time each of ``REPARSES`` on the database ``url`` just loaded (``row[backend]``), in order."""
    from sqlalchemy import text

    from casedb.store.engine import connect

    for key, (what, first) in REPARSES.items():
        if first:
            engine = connect(url)
            with engine.begin() as connection:
                connection.execute(text(first))
            engine.dispose()
        result = row[reparse_key(backend, key)] = casedb_on(url, workers, "reparse", "--all")
        save()
        print(f"[{row['n']}] {BACKENDS[backend]} reparse --all, {what}: {result['seconds']:.1f} s", file=sys.stderr)


def machine(postgres: Postgres) -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parts = [f"{os.cpu_count()} cores ({model})", f"{memory_gb:.0f} GiB RAM", interpreter(),
             f"SQLite {sqlite3.sqlite_version}"]
    if postgres.server is not None:
        parts.append(postgres.version())
    return ", ".join(parts)


def interpreter() -> str:
    """The Python that runs the benchmark, and whether its interpreter runs from a shared ``libpython``. The build
    matters: Debian's own ``/usr/bin/python3.11`` parsed a median 9 % faster in eleven alternated rounds than pyenv's
    default build (a shared ``libpython``, no ``--enable-optimizations``), first on this machine's PATH (README,
    *Which Python*)."""
    maps = Path("/proc/self/maps")
    linked = ""
    if maps.exists():
        shared = any("libpython" in line for line in maps.read_text().splitlines())
        linked = ", libpython shared" if shared else ", libpython linked in"
    return f"Python {platform.python_version()} ({Path(sys.executable).resolve()}{linked})"


def _throughput(n: int, result: dict) -> str:
    return (f"{result['seconds']:.1f} s · **{n / result['seconds']:,.0f} cases/s** · "
            f"peak RSS {result['peak_rss_mb']:.0f} MB")


def _parse_cell(row: dict) -> str:
    parse = row["parse"]
    return (f"{_throughput(row['n'], parse)} · {parse['bytes'] / 1e6 / parse['seconds']:.2f} MB/s · "
            f"{parse['cases_found'] / row['n']:.1%} of cases found")


def _baseline_cell(row: dict) -> str:
    baseline = row["baseline"]
    return f"{_throughput(row['n'], baseline)} · {baseline['cases_found'] / row['n']:.1%} of cases found"


def _plain_cell(row: dict) -> str:
    plain = row["plain_sqlite"]
    return (f"{plain['insert_seconds']:.2f} s · **{plain['cases'] / plain['insert_seconds']:,.0f} cases/s** · "
            f"{plain['rows']:,} rows")


def _ratios(rows: list[dict]) -> list[str]:
    """casedb beside the regex extractor (parse only) and plain sqlite3 (writing), as ratios."""
    lines = []
    for row in rows:
        n, parts = row["n"], []
        if "parse" in row and "baseline" in row:
            parts.append(f"casedb parse only {n / row['parse']['seconds']:,.0f} cases/s = "
                         f"{row['baseline']['seconds'] / row['parse']['seconds']:.2f}× the regex extractor's "
                         f"{n / row['baseline']['seconds']:,.0f}")
        if "sqlite" in row and "plain_sqlite" in row:
            plain = row["plain_sqlite"]
            limit = plain["cases"] / plain["insert_seconds"]
            parts.append(f"`casedb load` → SQLite {n / row['sqlite']['seconds']:,.0f} cases/s = "
                         f"{n / row['sqlite']['seconds'] / limit:.3f}× plain sqlite3's {limit:,.0f}")
        if "writer" in row and "plain_sqlite" in row:
            writer = row["writer"]
            plain = row["plain_sqlite"]
            per_case, plain_per_case = (writer["writer_cpu_seconds"] / writer["cases"],
                                        plain["insert_seconds"] / plain["cases"])
            parts.append(f"writer {per_case * 1000:.3f} ms/case = {per_case / plain_per_case:.1f}"
                         f"× plain sqlite3's {plain_per_case * 1000:.3f}")
        if parts:
            lines.append(f"- {n:,} cases: " + "; ".join(parts))
    return lines


def _writer_cell(row: dict) -> str:
    writer = row["writer"]
    return (f"**{writer['writer_cpu_seconds'] / writer['cases'] * 1000:.3f} ms/case** · "
            f"{writer['statements'] / writer['documents']:.1f} SQL statements per document · "
            f"{writer['workers']} workers")


def _writer_ratio(rows: list[dict]) -> float | None:
    measured = [row["writer"] for row in rows if "writer" in row]
    if len(measured) < 2:
        return None
    return (measured[-1]["writer_cpu_seconds"] / measured[-1]["cases"]) / (
        measured[0]["writer_cpu_seconds"] / measured[0]["cases"])


def _load_cell(row: dict, key: str) -> str:
    result = row[key]
    failed = f" · {result['files_failed']} files failed" if result["files_failed"] else ""
    size = f" · DB {result['db_mb']:.0f} MB" if "db_mb" in result else ""
    cpu = (f" · CPU {result['cpu_seconds'] / row['n'] * 1000:.2f} ms/case (loader and workers), load average "
           f"{result['load_average']:.1f}" if "cpu_seconds" in result else "")
    return f"{_throughput(row['n'], result)} · {result['cases_stored']:,} cases stored{failed}{size}{cpu}"


def _reparse_cell(row: dict, backend: str, key: str) -> str:
    """A re-parse's rate, and its time against the load's of the same database (below 1: faster than the load)."""
    result = row[reparse_key(backend, key)]
    cpu = f" · CPU {result['cpu_seconds'] / row['n'] * 1000:.2f} ms/case" if "cpu_seconds" in result else ""
    versus = f" · ×{result['seconds'] / row[backend]['seconds']:.2f} the load's time" if backend in row else ""
    return f"{_throughput(row['n'], result)}{versus}{cpu}, load average {result['load_average']:.1f}"


def _time_per_case_ratio(rows: list[dict], key: str) -> float | None:
    measured = [row for row in rows if key in row]
    if len(measured) < 2:
        return None
    first, last = measured[0], measured[-1]
    return (last[key]["seconds"] / last["n"]) / (first[key]["seconds"] / first["n"])


def _growth(rows: list[dict], key: str) -> str:
    if key == "writer":
        ratio = _writer_ratio(rows)
        return "–" if ratio is None else f"writer CPU/case ×{ratio:.2f}"
    if key == "plain_sqlite":
        measured = [row[key] for row in rows if key in row]
        if len(measured) < 2:
            return "–"
        ratio = (measured[-1]["insert_seconds"] / measured[-1]["cases"]) / (
            measured[0]["insert_seconds"] / measured[0]["cases"])
        return f"time/case ×{ratio:.2f}"
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
             line("regex extractor, parse only (1 process; `--steps baseline`)", "baseline", _baseline_cell),
             line("plain `sqlite3`: the stored rows, one transaction, `executemany` (the write limit)",
                  "plain_sqlite", _plain_cell),
             line("writer CPU in `casedb.load` → SQLite (`--steps writer`)", "writer", _writer_cell),
             *(line(load_title(key, rows), key, lambda r, key=key: _load_cell(r, key))
               for key in _measured_loads(rows)),
             *(line(f"`casedb reparse --all` of that {BACKENDS[backend]} load, {what} (`--steps reparse`)",
                    reparse_key(backend, key), lambda r, backend=backend, key=key: _reparse_cell(r, backend, key))
               for backend in BACKENDS for key, (what, _) in REPARSES.items()
               if any(reparse_key(backend, key) in r for r in rows))]
    busiest = max((r[key]["load_average"] for r in rows
                   for key in ("parse", "baseline", "writer", *_measured_loads(rows)) if key in r), default=None)
    commands = ", ".join(sorted({f"`{r['command']}`" for r in rows if "command" in r}))
    lines += ["", f"Machine: {rows[-1].get('machine', 'not recorded')}; highest 1-minute load average around a "
              f"measurement: {'none measured' if busiest is None else f'{busiest:.1f}'}.", f"Commands: {commands}", ""]
    ratios = _ratios(rows)
    if ratios:
        lines += ["Side by side:", *ratios, ""]
    lines += ["Goals:"]
    lines += _goals(rows)
    lines += sorted({f"- note: {note}" for r in rows for note in r.get("notes", [])})
    lines += [f"- note: {load_title(key, rows)} at {r['n']:,}: {r[key]['files_failed']} files failed, e.g. "
              f"`{r[key]['first_error']}`" for r in rows for key in _measured_loads(rows)
              if r.get(key, {}).get("files_failed")]
    return "\n".join(lines) + "\n"


def _measured_loads(rows: list[dict]) -> list[str]:
    """The load keys of ``rows`` (measured or skipped), SQLite first, fewer workers first."""
    keys = {key.removesuffix("_skipped") for row in rows for key in row
            if key.removesuffix("_skipped").split("_w")[0] in BACKENDS}
    return sorted(keys, key=lambda k: (list(BACKENDS).index(k.split("_w")[0]), int(k.partition("_w")[2] or 0)))


def _goals(rows: list[dict]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "**not met**"

    goals = []
    parsed = [row for row in rows if "parse" in row]
    if parsed:
        largest = parsed[-1]
        rate = largest["n"] / largest["parse"]["seconds"]
        goals.append(f"- parse only ≥ {PARSE_GOAL:,} cases/s in one process: {verdict(rate >= PARSE_GOAL)} "
                     f"({rate:,.0f}/s at {largest['n']:,})")
    keys = _measured_loads(rows)
    for key in keys:
        goal = GOALS[key.split("_w")[0]]
        measured = [row for row in rows if key in row]
        if measured:
            largest = measured[-1]
            rate = largest["n"] / largest[key]["seconds"]
            goals.append(f"- parse + load ≥ {goal:,} cases/s, {load_title(key, rows)}: {verdict(rate >= goal)} "
                         f"({rate:,.0f}/s at {largest['n']:,})")
    loads = [(row["n"], row[key]["peak_rss_mb"]) for row in rows for key in keys if key in row]
    if loads:
        largest_n = max(n for n, _ in loads)
        peak = max(rss for n, rss in loads if n == largest_n)
        goals.append(f"- peak RSS < {RSS_GOAL_MB} MB at {largest_n:,} cases: {verdict(peak < RSS_GOAL_MB)} "
                     f"({peak:.0f} MB)")
    for backend in BACKENDS:
        for key, (what, _) in REPARSES.items():
            for row in rows:
                if reparse_key(backend, key) in row and backend in row:
                    ratio = row[reparse_key(backend, key)]["seconds"] / row[backend]["seconds"]
                    goals.append(f"- `reparse --all` at least as fast as the load, {BACKENDS[backend]}, {what}, at "
                                 f"{row['n']:,}: {verdict(ratio <= 1)} (×{ratio:.2f} the load's time)")
    ratio = _writer_ratio(rows)
    if ratio is not None:
        goals.append(f"- writer CPU per case flat (×{FLAT_WITHIN} or less): {verdict(ratio <= FLAT_WITHIN)} "
                     f"(×{ratio:.2f})")
    for key in keys:
        ratio = _time_per_case_ratio(rows, key)
        if ratio is not None:
            goals.append(f"- time per case flat, {load_title(key, rows)} (×{FLAT_WITHIN} or less): "
                         f"{verdict(ratio <= FLAT_WITHIN)} (×{ratio:.2f})")
    return goals


def _read_rows(paths: list[Path]) -> list[dict]:
    """The rows of one or more ``--json`` files (later files win for the same size and step)."""
    rows: dict[int, dict] = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows.setdefault(row["n"], {}).update(row)
    return [rows[n] for n in sorted(rows)]


def render(paths: list[Path]) -> str:
    """The table from one or more ``--json`` files."""
    return markdown(_read_rows(paths))


def compare(before_paths: list[Path], after_paths: list[Path]) -> str:
    """Before → after of each load both measured: cases/s at each size, and how time per case grows
    from the smallest size to each larger one (1.00 = flat)."""
    before, after = _read_rows(before_paths), _read_rows(after_paths)
    lines = ["| load | cases | before: cases/s | after: cases/s | speed-up | time/case vs smallest size, "
             "before → after |", "|---|---|---|---|---|---|"]
    for key in _measured_loads(after):
        old = {row["n"]: row[key] for row in before if key in row}
        new = {row["n"]: row[key] for row in after if key in row}
        for n in sorted(new):
            smallest = min(new)
            growth_after = (new[n]["seconds"] / n) / (new[smallest]["seconds"] / smallest)
            growth_before = ((old[n]["seconds"] / n) / (old[smallest]["seconds"] / smallest)
                             if n in old and smallest in old else None)
            lines.append(
                f"| {load_title(key, after)} | {n:,} | "
                + (f"{n / old[n]['seconds']:,.0f}" if n in old else "not run")
                + f" | {n / new[n]['seconds']:,.0f} | "
                + (f"×{old[n]['seconds'] / new[n]['seconds']:.2f}" if n in old else "–") + " | "
                + (f"×{growth_before:.2f} → " if growth_before is not None else "")
                + f"×{growth_after:.2f} |")
    old_w = {row["n"]: row["writer"] for row in before if "writer" in row}
    new_w = {row["n"]: row["writer"] for row in after if "writer" in row}
    for n in sorted(new_w):
        def per_case(w):
            return w["writer_cpu_seconds"] / w["cases"] * 1000
        smallest = min(new_w)
        lines.append(f"| writer CPU, ms/case (statements/document) | {n:,} | "
                     + (f"{per_case(old_w[n]):.3f} ({old_w[n]['statements'] / old_w[n]['documents']:.1f})"
                        if n in old_w else "not run")
                     + f" | {per_case(new_w[n]):.3f} ({new_w[n]['statements'] / new_w[n]['documents']:.1f}) | "
                     + (f"×{per_case(old_w[n]) / per_case(new_w[n]):.2f}" if n in old_w else "–") + " | "
                     + (f"×{per_case(old_w[n]) / per_case(old_w[smallest]):.2f} → " if n in old_w and smallest in old_w
                        else "")
                     + f"×{per_case(new_w[n]) / per_case(new_w[smallest]):.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes in cases")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS), help="what to measure")
    parser.add_argument("--workers", type=int, nargs="+", default=WORKERS,
                        help="parse workers of each casedb load (one load per count)")
    parser.add_argument("--cases-per-notice", type=int, default=20)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file (after each step)")
    parser.add_argument("--render", type=Path, nargs="+", help="only print the table of earlier --json files")
    parser.add_argument("--before", type=Path, nargs="+",
                        help="with --render: also print before → after against these --json files")
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="the shared/reference folder")
    args = parser.parse_args(argv)
    WORKERS[:] = args.workers
    if "reparse" in args.steps and not {"sqlite", "postgresql"} & set(args.steps):   # it re-parses what a load stored
        args.steps.append("sqlite")
    if args.render:
        table = render(args.render)
        if args.before:
            table += "\nBefore → after:\n\n" + compare(args.before, args.render)
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
    elif sys.argv[1:2] == ["_baseline"]:
        baseline_only(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["_plain"]:
        plain_sqlite(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["_writer"]:
        writer_only(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1:2] == ["_measure"]:
        measure_child(sys.argv[3:])
    else:
        main()
