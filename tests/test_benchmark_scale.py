"""The scale benchmark's report (``benchmarks/scale.py``): its goals, ratios and machine line, from saved figures."""
from __future__ import annotations

import platform
import sys

from benchmarks import scale


def _row(n: int, parse_seconds: float, load_seconds: float) -> dict:
    """A size's saved figures, as ``scale.py --json`` writes them (the steps the report reads)."""
    return {"n": n, "corpus": {"files": n // 20, "bytes": n * 560},
            "parse": {"seconds": parse_seconds, "peak_rss_mb": 90.0, "bytes": n * 560, "cases_found": n,
                      "load_average": 0.5},
            "baseline": {"seconds": n / 8000, "peak_rss_mb": 40.0, "cases_found": n, "load_average": 0.5},
            "sqlite": {"seconds": load_seconds, "peak_rss_mb": 150.0, "cases_stored": n, "files_failed": 0,
                       "workers": 2, "load_average": 0.7}}


def test_the_parse_goal_is_judged_at_the_largest_size():
    report = scale.markdown([_row(10_000, 5.0, 4.0), _row(100_000, 38.0, 39.0)])
    assert f"- parse only ≥ {scale.PARSE_GOAL:,} cases/s in one process: met (2,632/s at 100,000)" in report
    slow = scale.markdown([_row(10_000, 3.0, 4.0), _row(100_000, 41.0, 39.0)])
    assert "- parse only ≥ 2,500 cases/s in one process: **not met** (2,439/s at 100,000)" in slow


def test_the_report_sets_casedb_beside_the_regex_extractor():
    report = scale.markdown([_row(10_000, 5.0, 4.0)])
    assert ("- 10,000 cases: casedb parse only 2,000 cases/s = 0.25× the regex extractor's 8,000"
            in report)
    assert "- parse + load ≥ 2,500 cases/s, `casedb load` → SQLite, 2 workers: met (2,500/s at 10,000)" in report


def test_the_load_goals_and_flatness_are_judged_per_case():
    flat = scale.markdown([_row(10_000, 5.0, 4.0), _row(100_000, 38.0, 42.0)])
    assert "- time per case flat, `casedb load` → SQLite, 2 workers (×1.1 or less): met (×1.05)" in flat
    growing = scale.markdown([_row(10_000, 5.0, 4.0), _row(100_000, 38.0, 50.0)])
    assert "- time per case flat, `casedb load` → SQLite, 2 workers (×1.1 or less): **not met** (×1.25)" in growing
    assert "- parse + load ≥ 2,500 cases/s, `casedb load` → SQLite, 2 workers: **not met** (2,000/s at 100,000)" in growing


def test_the_machine_line_names_the_interpreter_and_how_it_is_linked():
    described = scale.interpreter()
    assert described.startswith(f"Python {platform.python_version()} (")
    if sys.platform.startswith("linux"):
        assert described.endswith(("libpython shared)", "libpython linked in)"))


def test_a_reparse_is_judged_against_the_load_of_the_same_database():
    row = _row(10_000, 5.0, 4.0)
    row["reparse"] = {"seconds": 3.2, "cpu_seconds": 6.0, "peak_rss_mb": 90.0, "load_average": 0.6}
    row["reparse_new"] = {"seconds": 4.4, "cpu_seconds": 8.0, "peak_rss_mb": 90.0, "load_average": 0.6}
    report = scale.markdown([row])
    assert ("- `reparse --all` at least as fast as the load, SQLite, rows as stored, at 10,000: met "
            "(×0.80 the load's time)") in report
    assert ("- `reparse --all` at least as fast as the load, SQLite, every document's rows new, at 10,000: **not met** "
            "(×1.10 the load's time)") in report
    assert ("| `casedb reparse --all` of that SQLite load, rows as stored (`--steps reparse`) "
            "| 3.2 s · **3,125 cases/s**") in report
    row["postgresql"] = {**row["sqlite"], "seconds": 6.0}
    row["postgresql_reparse"] = {**row["reparse"], "seconds": 5.4}
    report = scale.markdown([row])
    assert ("- `reparse --all` at least as fast as the load, PostgreSQL, rows as stored, at 10,000: met "
            "(×0.90 the load's time)") in report
    assert "PostgreSQL, one document in ten" not in report   # not measured: no line
