"""The Datasette metadata: every canned query runs on the schema, and a real server serves one as JSON."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.sharing_db import build_db

METADATA = Path(str(resources.files("casedb").joinpath("data", "datasette_metadata.json")))
DATASETTE = Path(sys.executable).with_name("datasette")


def _queries() -> dict:
    return json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["casedb"]["queries"]


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "casedb.sqlite"      # Datasette names the database after the file: "casedb"
    build_db(create_engine(f"sqlite:///{path}"))
    return path


def _run(db_path: Path, query: str, **params) -> list[dict]:
    with sqlite3.connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(_queries()[query]["sql"], params)]


def test_metadata_describes_every_exported_table():
    tables = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["casedb"]["tables"]
    assert {"notices", "cases", "visits", "relations", "places"} <= set(tables)
    assert all(table["description"] for table in tables.values())
    assert {"co_location", "case_timeline", "transmission_cluster"} <= set(_queries())


def test_co_location_pairs_cases_at_one_place_on_one_day(db_path):
    rows = _run(db_path, "co_location", place="")
    assert [(r["date"], r["place"], r["case_a"], r["case_b"], r["case_a_arrival"]) for r in rows] == \
        [("2022-04-02", "茂业天地喜茶店", "病例48", "病例49", "20:00:00")]
    assert _run(db_path, "co_location", place="喜茶") == rows
    assert _run(db_path, "co_location", place="医院") == []


def test_case_timeline_lists_visits_in_time_order(db_path):
    rows = _run(db_path, "case_timeline", label="病例48", city="")
    assert [(r["kind"], r["date"], r["place"]) for r in rows] == \
        [("visit", "2022-04-02", "茂业天地喜茶店"), ("home", "2022-04-04", None)]
    assert _run(db_path, "case_timeline", label="病例48", city="石家庄市") == []


def test_transmission_cluster_follows_relations_both_ways(db_path):
    rows = _run(db_path, "transmission_cluster", label="病例48", city="太原市")
    assert [(r["label"], r["steps"]) for r in rows] == [("病例48", 0), ("病例49", 1)]
    assert rows[1]["stated_relations"] == "spouse of 病例48"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, deadline: float):
    """GET ``url`` until the server answers or ``deadline`` (time.monotonic) passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(not DATASETTE.exists(), reason="datasette is not installed in this environment")
def test_datasette_serves_a_canned_query_as_json(db_path):
    port = _free_port()
    server = subprocess.Popen([str(DATASETTE), str(db_path), "-m", str(METADATA), "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        query = urllib.parse.urlencode({"label": "病例49", "city": "", "_shape": "array"})
        rows = _get_json(f"http://127.0.0.1:{port}/casedb/case_timeline.json?{query}", time.monotonic() + 30)
        assert [(r["label"], r["date"], r["place"]) for r in rows] == \
            [("病例49", "2022-04-02", "茂业天地喜茶店"), ("病例49", "2022-04-03", "丽泽佳苑7栋")]
        tables = _get_json(f"http://127.0.0.1:{port}/casedb.json", time.monotonic() + 5)["tables"]
        cases = next(table for table in tables if table["name"] == "cases")
        assert cases["count"] == 8
    finally:
        server.terminate()
        server.wait(timeout=10)
