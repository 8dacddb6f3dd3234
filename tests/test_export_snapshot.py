"""Issue 19, finding 6 (and the Low "export on a full disk"): an export is one consistent snapshot, written
whole or not at all.

While another process keeps revising documents (each revision deletes a document's rows and writes them
again under new ids), exports are taken again and again, on SQLite and on a real PostgreSQL server. Every
export must finish (a pseudonymised one used to die with a KeyError) and its files must agree with each
other: no row points at a row the files do not hold, and each document has all of its rows or none.
A failure while writing (a full disk, here a file-size limit) leaves the earlier export's files as they
were and no partial or temporary file.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from casedb.export import FORMATS, LINELIST, TABLES, export
from casedb.store import connect, load
from tests.load_corpus import make_folder

DOCUMENTS = 12
#: Enough exports during the revisions for a torn read to show (the old code tore 11 of 12).
EXPORTS_DURING_LOAD = 4

REVISER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from casedb.store import load

    folder, url, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    files = sorted(folder.iterdir())
    for round_ in range(1, rounds + 1):
        for path in files:
            text = path.read_text(encoding="utf-8").rstrip("\\n")
            path.write_text(text + "\\n" * (1 + round_ % 2), encoding="utf-8")   # a new version, same rows
        summary = load([folder], url, workers=1)
        assert summary.files_changed == len(files), summary
        print(round_, flush=True)
""")


def _per_document(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[int, int, int]]:
    """Rows of each table per document source."""
    source_of = dict(zip(tables["notices"]["document_id"], tables["notices"]["source"]))
    counts = {}
    for source in set(source_of.values()):
        ids = {d for d, s in source_of.items() if s == source}
        counts[source] = tuple(int(tables[name]["document_id"].isin(ids).sum()) for name in ("cases", "visits",
                                                                                          "relations"))
    return counts


def _problems(out: Path, expected: dict[str, tuple[int, int, int]]) -> list[str]:
    tables = {name: pd.read_csv(out / f"{name}.csv", dtype=str) for name in (*TABLES, LINELIST)}
    problems = []

    def within(name, column, target, key):
        values = set(tables[name][column].dropna())
        missing = values - set(tables[target][key].dropna())
        if missing:
            problems.append(f"{name}.{column}: {len(missing)} values not in {target}.{key}")

    within("cases", "notice_id", "notices", "notice_id")
    within("visits", "case_id", "cases", "case_id")
    within("visits", "notice_id", "notices", "notice_id")
    within("visits", "place_id", "places", "place_id")
    within("relations", "case_id", "cases", "case_id")
    within("relations", "other_case_id", "cases", "case_id")
    within(LINELIST, "case_id", "cases", "case_id")
    counts = _per_document({name: frame for name, frame in tables.items()})
    problems += [f"{source}: {rows} rows, expected {expected[source]}" for source, rows in counts.items()
                 if rows != expected[source]]
    if set(counts) != set(expected):
        problems.append(f"{len(counts)} documents, expected {len(expected)}")
    return problems


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_exports_taken_while_a_load_revises_documents_are_snapshots(tmp_path, database, request):
    folder = tmp_path / "notices"
    make_folder(folder, DOCUMENTS)
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}" if database == "sqlite" \
        else request.getfixturevalue("fresh_postgres_url")
    assert load([folder], url, workers=1).files_failed == 0
    first = tmp_path / "first"
    export(connect(url), first)
    expected = _per_document({name: pd.read_csv(first / f"{name}.csv", dtype=str) for name in TABLES})
    assert len(expected) >= 4 and not _problems(first, expected)    # the pages without a notice give no rows

    reviser = subprocess.Popen([sys.executable, "-c", REVISER, str(folder), url, "1000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    engine = connect(url, read_only=True)
    problems, during, attempts = [], 0, 0
    try:
        while during < EXPORTS_DURING_LOAD and attempts < 60:
            attempts += 1
            for pseudonymise in (False, True):
                out = tmp_path / f"export{attempts}{'p' if pseudonymise else ''}"
                export(engine, out, pseudonymise=pseudonymise, salt="s")   # a KeyError here fails the test
                if not pseudonymise:
                    problems += [f"export {attempts}: {problem}" for problem in _problems(out, expected)]
            during += reviser.poll() is None
    finally:
        reviser.kill()
        _stdout, stderr = reviser.communicate(timeout=60)
        engine.dispose()
    assert reviser.returncode is not None and "Traceback" not in stderr.replace("KeyboardInterrupt", ""), stderr
    assert during >= EXPORTS_DURING_LOAD
    assert problems == []


def test_a_failed_export_leaves_the_earlier_files_and_nothing_partial(tmp_path):
    """``casedb export`` under a file-size limit (the effect of a full disk): one line, exit 2, the earlier
    export's files unchanged, no temporary file."""
    folder = tmp_path / "notices"
    make_folder(folder, 8)
    db = tmp_path / "casedb.sqlite"
    assert load([folder], f"sqlite:///{db}", workers=1).files_failed == 0
    out = tmp_path / "share"
    export(connect(str(db)), out, fmt="json")
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    assert max(map(len, before.values())) > 8192
    limit = textwrap.dedent("""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))
        from casedb.cli import main
        sys.argv = ["casedb", *sys.argv[1:]]
        main()
    """)
    result = subprocess.run([sys.executable, "-c", limit, "export", "--db", str(db), "--format", "json",
                             "--out", str(out), "--pseudonymise", "--salt", "s"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"casedb: {out}: File too large: nothing was exported") \
        and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_leaves_no_temporary_files(tmp_path, fmt):
    folder = tmp_path / "notices"
    make_folder(folder, 2)
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    load([folder], url, workers=1)
    written = export(connect(url), tmp_path / "out", fmt=fmt)
    assert sorted(os.listdir(tmp_path / "out")) == sorted({path.name for path, _rows in written.values()})
