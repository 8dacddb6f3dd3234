"""Time ``casedb.analysis.co_locations`` on a SQLite database of synthetic visits.

    .venv/bin/python benchmarks/colocation.py                  # 1M visits, builds benchmarks/out/
    .venv/bin/python benchmarks/colocation.py --visits 100000  # smaller

Place popularity falls as 1/sqrt(rank) (with the defaults the busiest place gets about 30
case visits a day, a typical one under one), cases make about ten visits each over four months,
and 70% of visits have a clock time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

import numpy as np
from sqlalchemy import func, insert, select

from casedb import analysis, store
from casedb.store import models

PARSER = "benchmark"


def build(url: str, n_visits: int, n_places: int, n_cases: int, n_days: int, seed: int) -> None:
    """Fill an empty database with one notice, ``n_cases`` cases and ``n_visits`` visits."""
    engine = store.connect(url)
    models.metadata.create_all(engine)
    rng = np.random.default_rng(seed)
    now = dt.datetime(2022, 5, 1)
    first_day = dt.date(2022, 1, 1)
    with engine.begin() as conn:
        conn.execute(insert(models.documents).values(
            id=1, source="synthetic", sha256="0" * 64, size_bytes=0, encoding="utf-8",
            media_type="text/plain", text="", first_seen=now, changed_at=now, last_seen=now,
            parser_version=PARSER))
        conn.execute(insert(models.notices).values(id=1, document_id=1, city="合成市", parser_version=PARSER))
        conn.execute(insert(models.places), [
            {"id": i + 1, "name": f"地点{i + 1}", "normalised_name": f"地点{i + 1}", "city": "合成市",
             "district": f"第{i % 12 + 1}区"} for i in range(n_places)])
        conn.execute(insert(models.cases), [
            {"id": i + 1, "notice_id": 1, "document_id": 1, "label": f"病例{i + 1}", "series": "case",
             "number": i + 1, "category": "confirmed", "parser_version": PARSER}
            for i in range(n_cases)])
        popularity = 1.0 / np.sqrt(np.arange(1, n_places + 1))
        place_ids = rng.choice(n_places, size=n_visits, p=popularity / popularity.sum()) + 1
        case_ids = rng.integers(1, n_cases + 1, size=n_visits)
        days = rng.integers(0, n_days, size=n_visits)
        start_minutes = rng.integers(7 * 60, 22 * 60, size=n_visits)
        stay_minutes = rng.integers(10, 150, size=n_visits)
        timed = rng.random(n_visits) < 0.7
        for chunk in np.array_split(np.arange(n_visits), max(1, n_visits // 100_000)):
            rows = []
            for i in chunk:
                day = first_day + dt.timedelta(days=int(days[i]))
                start = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=int(start_minutes[i]))
                rows.append({
                    "case_id": int(case_ids[i]), "notice_id": 1, "document_id": 1,
                    "place_id": int(place_ids[i]), "kind": "visit", "date": day,
                    "start": start if timed[i] else None,
                    "end": start + dt.timedelta(minutes=int(stay_minutes[i])) if timed[i] else None,
                    "parser_version": PARSER})
            conn.execute(insert(models.visits), rows)
    engine.dispose()


def timed(call, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU (this process) seconds of ``repeat`` calls, and the last result.

    CPU time is the figure to compare on a busy machine, where wall time includes waiting.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(Path(__file__).parent / "out" / "colocation.sqlite"))
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=20_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database if it exists")
    args = parser.parse_args()

    path = Path(args.db)
    if args.rebuild and path.exists():
        path.unlink()
    url = f"sqlite:///{path.resolve()}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        build(url, args.visits, args.places, args.cases, args.days, args.seed)
        print(f"built {args.visits:,} visits in {time.perf_counter() - began:.1f} s: {path}")

    engine = analysis.connect(url)
    with engine.connect() as conn:
        n_visits = conn.execute(select(func.count()).select_from(models.visits)).scalar_one()
        busiest, = conn.execute(select(models.visits.c.place_id).group_by(models.visits.c.place_id)
                                .order_by(func.count().desc(), models.visits.c.place_id).limit(1)).one()
        typical = conn.execute(select(models.visits.c.place_id).group_by(models.visits.c.place_id)
                               .order_by(func.count().desc(), models.visits.c.place_id)
                               .offset(args.places // 10).limit(1)).scalar_one()
    week = {"date_from": dt.date(2022, 2, 1), "date_to": dt.date(2022, 2, 7)}
    print(f"{n_visits:,} visits; SQLite; median of 5 runs (whole database: 1 run); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'query':40s} {'wall':>9s}    {'CPU':>9s}    {'pairs':>9s}")
    cases = [
        ("busiest place, one week", lambda: analysis.co_locations(engine, place_id=busiest, **week), 5),
        ("busiest place, one week, same time",
         lambda: analysis.co_locations(engine, True, place_id=busiest, **week), 5),
        ("typical place (90th pct), one week",
         lambda: analysis.co_locations(engine, place_id=typical, **week), 5),
        ("busiest place, all days", lambda: analysis.co_locations(engine, place_id=busiest), 5),
        ("typical place (90th pct), all days", lambda: analysis.co_locations(engine, place_id=typical), 5),
        ("all places, one day", lambda: analysis.co_locations(
            engine, date_from=week["date_from"], date_to=week["date_from"]), 5),
        ("whole database", lambda: analysis.co_locations(engine), 1),
    ]
    for name, call, repeat in cases:
        wall, cpu, pairs = timed(call, repeat)
        print(f"{name:40s} {wall * 1000:9.1f} ms {cpu * 1000:9.1f} ms {len(pairs):>9,}")


if __name__ == "__main__":
    main()
