"""Loading, re-loading, revisions, deletions, identity and relation links — on SQLite and PostgreSQL.

The toy parser (tests/toy_notices.py) stands in for the real one, so only the store is tested here.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from casedb.store import connect, frames, load, reparse, table_counts
from casedb.store import loading as load_module
from tests.toy_notices import notice_text, parse, parse_noting_process

CASE_49 = "CASE 病例49 case 49 male 19\nVISIT 2022-04-02 20:00 茂业天地楼下喜茶店 买奶茶\nHOME 2022-04-06 2022-04-06"
CASE_50 = "CASE 病例50 case 50 female 20\nHOME 2022-04-05 2022-04-07\nREL 病例49 child 女儿"
CASE_7 = "CASE 病例7 case 7 male 30\nVISIT 2022-04-01 - 茂业天地楼下喜茶店\nRIDE 2022-04-02 D2424次列车\nRIDE 2022-04-02 出租车"


@pytest.fixture
def corpus(tmp_path):
    """A folder of three notices (one in a subfolder) and an unrelated file type."""
    folder = tmp_path / "notices"
    (folder / "2022").mkdir(parents=True)
    (folder / "a.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49, CASE_50), encoding="utf-8")
    (folder / "b.txt").write_text(notice_text("太原市", "2022-04-14", CASE_7), encoding="utf-8")
    (folder / "2022" / "c.txt").write_text(notice_text("西安市", "2022-04-14", CASE_7), encoding="utf-8")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    return folder


def _load(folder, url, **options):
    return load([folder], url, parser=parse, **options)


def _rows(url, table: str) -> list[dict]:
    with connect(url).connect() as connection:
        return [dict(row) for row in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).mappings()]


def _query(url, sql: str) -> list[tuple]:
    with connect(url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def _last_run(url) -> dict:
    with connect(url).connect() as connection:
        return dict(connection.execute(sa.text("SELECT * FROM import_runs ORDER BY id DESC")).mappings().first())


def test_load_stores_every_record_with_provenance(corpus, db_url):
    summary = _load(corpus, db_url)
    assert (summary.files_seen, summary.files_new, summary.files_failed) == (3, 3, 0)
    assert table_counts(connect(db_url)) == {"documents": 3, "notices": 3, "cases": 4, "visits": 9,
                                             "relations": 1, "places": 4, "persons": 4}
    tables = frames(connect(db_url))
    visit = tables["visits"].iloc[0]
    (document_text,), = _query(db_url, "SELECT text FROM documents WHERE id = 1")
    assert document_text[visit.span_start:visit.span_end].startswith("VISIT 2022-04-02 20:00 茂业天地楼下喜茶店")
    assert str(visit.start) == "2022-04-02 20:00:00" and visit.activity == "买奶茶"
    assert set(tables["visits"].parser_version) == {load_module.PARSER_VERSION}


def test_reload_changes_nothing(corpus, db_url):
    _load(corpus, db_url)
    before = {table: _rows(db_url, table) for table in ("notices", "cases", "visits", "relations", "places")}
    summary = _load(corpus, db_url)
    assert (summary.files_unchanged, summary.files_new, summary.files_changed, summary.rows.total) == (3, 0, 0, 0)
    assert {table: _rows(db_url, table) for table in before} == before
    run = _last_run(db_url)
    assert (run["files_changed"], run["files_new"], run["files_unchanged"], run["rows_written"]) == (0, 0, 3, 0)
    assert run["finished_at"] is not None


def test_edited_file_replaces_only_its_rows_and_keeps_history(corpus, db_url):
    _load(corpus, db_url)
    cases_before = _rows(db_url, "cases")
    (corpus / "b.txt").write_text(notice_text("太原市", "2022-04-14", CASE_7.replace("male 30", "male 31")),
                                  encoding="utf-8")
    summary = _load(corpus, db_url)
    assert (summary.files_changed, summary.files_unchanged) == (1, 2)
    assert _last_run(db_url)["files_changed"] == 1
    cases_after = _rows(db_url, "cases")
    edited_document = 2
    assert ([c for c in cases_after if c["document_id"] != edited_document]
            == [c for c in cases_before if c["document_id"] != edited_document])
    assert [c["age"] for c in cases_after if c["document_id"] == edited_document] == [31]
    (version,) = _rows(db_url, "document_versions")
    assert version["document_id"] == edited_document and "male 30" in version["text"]
    assert (version["cases_count"], version["visits_count"], version["relations_count"]) == (1, 3, 0)
    assert table_counts(connect(db_url))["cases"] == 4


def test_deleted_file_keeps_rows_but_is_flagged(corpus, db_url):
    _load(corpus, db_url)
    content = (corpus / "b.txt").read_bytes()
    (corpus / "b.txt").unlink()
    summary = _load(corpus, db_url)
    assert summary.files_missing == 1 and _last_run(db_url)["files_missing"] == 1
    present = {source.rsplit("/", 1)[-1]: flag for source, flag in
               _query(db_url, "SELECT source, source_present FROM documents")}
    assert present == {"a.txt": True, "b.txt": False, "c.txt": True}
    assert table_counts(connect(db_url))["cases"] == 4
    (corpus / "b.txt").write_bytes(content)
    assert _load(corpus, db_url).files_unchanged == 3
    assert all(flag for (flag,) in _query(db_url, "SELECT source_present FROM documents"))


def test_a_named_file_that_is_gone_fails_and_is_flagged(corpus, sqlite_url):
    _load(corpus, sqlite_url)
    (corpus / "a.txt").unlink()
    summary = load([corpus / "a.txt"], sqlite_url, parser=parse)
    assert (summary.files_failed, summary.files_missing) == (1, 1) and "No such file" in summary.errors[0]
    assert _query(sqlite_url, "SELECT count(*) FROM documents WHERE NOT source_present") == [(1,)]


def test_bad_files_fail_alone_with_one_line_each(corpus, sqlite_url):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    summary = _load(corpus, sqlite_url)
    assert summary.files_failed == 2 and summary.files_new == 3 and not summary.ok
    assert sorted(e.split(": ", 1)[0].rsplit("/", 1)[-1] for e in summary.errors) == ["binary.txt", "empty.txt"]
    assert all("\n" not in e for e in summary.errors)
    assert _last_run(sqlite_url)["errors"].count("\n") == 1
    assert table_counts(connect(sqlite_url))["documents"] == 3


def test_a_record_the_database_refuses_leaves_nothing_of_its_document(corpus, sqlite_url):
    def parse_with_a_bad_visit(source):
        notices = parse(source)
        if notices[0].city == "西安市":
            notices[0].cases[0].visits[-1].kind = None  # visits.kind is NOT NULL
        return notices

    summary = load([corpus], sqlite_url, parser=parse_with_a_bad_visit)
    assert summary.files_failed == 1 and "cannot store it" in summary.errors[0]
    counts = table_counts(connect(sqlite_url))
    assert (counts["documents"], counts["notices"], counts["cases"]) == (2, 2, 3)


def test_places_are_shared_within_a_city_only(corpus, sqlite_url):
    (corpus / "d.txt").write_text(notice_text("太原市", "2022-04-15", CASE_7.replace("茂业天地楼下喜茶店", "茂业天地喜茶店")))
    _load(corpus, sqlite_url)
    tables = frames(connect(sqlite_url))
    visits = tables["visits"].merge(tables["notices"][["id", "city"]], left_on="notice_id", right_on="id")
    shop = visits[visits.place_text.str.contains("喜茶", na=False)]
    assert shop.groupby("city").place_id.nunique().to_dict() == {"太原市": 1, "西安市": 1}
    assert shop.place_id.nunique() == 2
    assert sorted(tables["places"].city) == ["太原市", "太原市", "西安市", "西安市"]  # the shop and the train
    # a taxi ride names no particular place
    assert visits[visits.place_text == "出租车"].place_id.isna().all()


def test_new_registry_rows_get_the_ids_the_database_would_give_them(db_url):
    """On SQLite the writer gives a new person or place its id itself (it holds the write lock): the ids the
    database would give, in the order of the keys, as on PostgreSQL, where the table's sequence gives them."""
    from casedb.store.engine import ensure_schema, write_transaction
    from casedb.store.write import _upsert_registry, persons_t

    engine = connect(db_url)
    ensure_schema(engine)
    insert = "INSERT INTO persons (city, year, series, number, scope) VALUES ('太原市', 2022, 'case', {}, '')"
    with write_transaction(engine) as connection:
        connection.exec_driver_sql(insert.format(7))
        ids = _upsert_registry(connection, persons_t, ("city", "year", "series", "number", "scope"),
                               {("太原市", 2022, "case", number, ""): () for number in (9, 7, 8)})
        connection.exec_driver_sql(insert.format(10))
        stored = {row.number: row.id for row in connection.exec_driver_sql("SELECT id, number FROM persons")}
    engine.dispose()
    assert stored == {7: 1, 8: 2, 9: 3, 10: 4}
    assert ids == {("太原市", 2022, "case", number, ""): stored[number] for number in (7, 8, 9)}


def test_same_city_year_series_and_number_is_one_person_across_notices(tmp_path, db_url):
    (tmp_path / "first.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49), encoding="utf-8")
    (tmp_path / "later.txt").write_text(
        notice_text("太原市", "2022-04-20", CASE_49.replace("19", "20")), encoding="utf-8")
    (tmp_path / "other_city.txt").write_text(notice_text("西安市", "2022-04-20", CASE_49), encoding="utf-8")
    (tmp_path / "no_city.txt").write_text(notice_text("-", "2022-04-20", CASE_49), encoding="utf-8")
    (tmp_path / "no_date.txt").write_text(notice_text("太原市", "-", CASE_49.replace("19", "21")))
    (tmp_path / "next_year.txt").write_text(notice_text("太原市", "2023-01-20", CASE_49.replace("19", "22")))
    (tmp_path / "someone_else.txt").write_text(notice_text("太原市", "2022-04-22", CASE_49.replace("19", "60")))
    _load(tmp_path, db_url)
    cases = frames(connect(db_url))["cases"].merge(frames(connect(db_url))["notices"][["id", "city"]],
                                                   left_on="notice_id", right_on="id")
    person = {f"{age}@{city}": None if str(p) == "<NA>" else p
              for age, city, p in zip(cases.age, cases.city.fillna("-"), cases.person_id)}
    assert person["19@太原市"] == person["20@太原市"] is not None
    assert len({person["19@太原市"], person["19@西安市"], person["22@太原市"]}) == 3
    assert person["19@-"] is None and person["21@太原市"] is None
    assert person["60@太原市"] is None  # same label, 41 years older: not the same person


def _case_id(url, label: str) -> int:
    (case_id,) = [row["id"] for row in _rows(url, "cases") if row["label"] == label]
    return case_id


def _links(url) -> dict[str, int | None]:
    """{"<other label>@<document id>": other_case_id}"""
    return {f"{row['other_label']}@{row['document_id']}": row["other_case_id"] for row in _rows(url, "relations")}


def test_relations_link_in_the_notice_then_the_city_never_across_cities(tmp_path, db_url):
    relation_to_49 = "CASE 病例60 case 60 male 50\nREL 病例49 spouse 丈夫"
    (tmp_path / "1_relation_first.txt").write_text(notice_text("太原市", "2022-04-12", relation_to_49))
    (tmp_path / "2_elsewhere.txt").write_text(notice_text("西安市", "2022-04-12", relation_to_49))
    _load(tmp_path, db_url)
    assert [row["other_case_id"] for row in _rows(db_url, "relations")] == [None, None]
    (tmp_path / "3_target_later.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49, CASE_50))
    _load(tmp_path, db_url)
    case_49 = _case_id(db_url, "病例49")
    assert _links(db_url) == {"病例49@1": case_49, "病例49@2": None, "病例49@3": case_49}
    # the target's notice is revised: the links follow its new case row
    (tmp_path / "3_target_later.txt").write_text(notice_text("太原市", "2022-04-13", CASE_50, CASE_49))
    _load(tmp_path, db_url)
    new_49 = _case_id(db_url, "病例49")
    assert new_49 != case_49
    assert _links(db_url) == {"病例49@1": new_49, "病例49@2": None, "病例49@3": new_49}


def test_relations_link_by_series_and_number_whatever_the_label_spelling(tmp_path, db_url):
    relations = ("CASE 病例60 case 60 male 50\nREL 确诊病例49 spouse 丈夫\nREL 1月12日第50号确诊病例 close_contact 密接"
                 "\nREL 无症状感染者49 colleague 同事")
    (tmp_path / "1_relations.txt").write_text(notice_text("太原市", "2022-04-12", relations))
    (tmp_path / "2_targets.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49, CASE_50))
    _load(tmp_path, db_url)
    assert _links(db_url) == {"确诊病例49@1": _case_id(db_url, "病例49"),
                              "1月12日第50号确诊病例@1": _case_id(db_url, "病例50"),
                              "无症状感染者49@1": None,  # another series: another person
                              "病例49@2": _case_id(db_url, "病例49")}


def test_reparse_rewrites_documents_from_older_parser_versions(corpus, db_url, monkeypatch):
    _load(corpus, db_url)
    assert reparse(db_url, parser=parse).files_seen == 0
    monkeypatch.setattr(load_module, "PARSER_VERSION", "9.9")
    summary = reparse(db_url, parser=parse)
    assert (summary.files_seen, summary.files_changed, summary.rows.cases) == (3, 3, 4)
    tables = frames(connect(db_url))
    assert set(tables["cases"].parser_version) == {"9.9"} and set(tables["documents"].parser_version) == {"9.9"}
    assert _rows(db_url, "document_versions") == []  # same bytes: no new version
    assert table_counts(connect(db_url))["relations"] == 1


def test_reparse_rewrites_rows_only_and_leaves_a_document_revised_meanwhile(corpus, db_url, monkeypatch):
    """A re-parse replaces rows and parser versions, nothing else of a document: a source that is gone stays so
    (its last sighting too), and a document that a load revises while the re-parse runs keeps that revision
    (the re-parse of its older text is not written over it)."""
    _load(corpus, db_url)
    (corpus / "b.txt").unlink()
    _load(corpus, db_url)
    before = {row["source"]: row for row in _rows(db_url, "documents")}
    revised = corpus / "a.txt"

    def parse_while_a_load_revises(source_text):
        if "病例50" in source_text.text and "病例50" in revised.read_text(encoding="utf-8"):
            revised.write_text(notice_text("太原市", "2022-04-13", CASE_49), encoding="utf-8")
            assert _load(corpus, db_url).files_changed == 1
        return parse(source_text)

    monkeypatch.setattr(load_module, "PARSER_VERSION", "9.9")
    summary = reparse(db_url, force=True, parser=parse_while_a_load_revises)
    assert (summary.files_seen, summary.files_changed, summary.files_unchanged) == (3, 2, 1)
    assert "3 documents (2 re-parsed: 0 with new rows, 2 with the rows stored; 0 failed, 1 revised meanwhile)" in (
        summary.line())
    after = {row["source"]: row for row in _rows(db_url, "documents")}
    gone, = (source for source in before if source.endswith("b.txt"))
    assert not after[gone]["source_present"] and after[gone]["last_seen"] == before[gone]["last_seen"]
    assert after[gone]["text"] == before[gone]["text"] and after[gone]["parser_version"] == "9.9"
    changed, = (source for source in before if source.endswith("a.txt"))
    assert after[changed]["text"] == revised.read_text(encoding="utf-8") != before[changed]["text"]
    assert _query(db_url, f"SELECT count(*) FROM cases WHERE document_id = {after[changed]['id']}") == [(1,)]


def test_a_reparse_keeps_the_rows_it_gives_again_and_replaces_the_others(corpus, db_url, monkeypatch):
    """Rows that a re-parse gives again (``documents.rows_digest``) stay as stored, ids included, with the new parser
    version; a document whose rows change has them replaced, and relation links follow as ever."""
    _load(corpus, db_url)
    tables = ("notices", "cases", "visits", "relations")
    before, links = {table: _rows(db_url, table) for table in tables}, _links(db_url)
    assert list(links.values()) == [_case_id(db_url, "病例49")]

    def parse_otherwise_in_xian(source_text):   # the one document in 西安市 gets other rows
        notices = parse(source_text)
        for notice in notices:
            for case in notice.cases if notice.city == "西安市" else ():
                case.age += 1
        return notices

    monkeypatch.setattr(load_module, "PARSER_VERSION", "9.9")
    summary = reparse(db_url, parser=parse_otherwise_in_xian)
    assert (summary.files_changed, summary.files_kept, summary.rows.cases, summary.rows.visits) == (3, 2, 4, 9)
    (xian,), = _query(db_url, "SELECT id FROM documents WHERE text LIKE '%西安市%'")
    after = {table: _rows(db_url, table) for table in tables}
    for table in tables:
        assert {row["parser_version"] for row in after[table]} == {"9.9"}
        kept = [{**row, "parser_version": "9.9"} for row in before[table] if row["document_id"] != xian]
        assert [row for row in after[table] if row["document_id"] != xian] == kept
    assert [row["age"] for row in after["cases"] if row["document_id"] == xian] == [31]   # was 30
    assert {row["parser_version"] for row in _rows(db_url, "documents")} == {"9.9"}
    assert _links(db_url) == links
    assert reparse(db_url, force=True, parser=parse_otherwise_in_xian).rows.cases == 4   # as stored now: all kept
    assert {table: _rows(db_url, table) for table in tables} == after


def test_reparse_in_a_process_pool_gives_the_same_rows_as_serial(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(load_module, "MIN_DOCUMENTS_FOR_POOL", 2)
    serial, pooled = f"sqlite:///{tmp_path / 'serial.sqlite'}", f"sqlite:///{tmp_path / 'pooled.sqlite'}"
    for url in (serial, pooled):
        _load(corpus, url)
    assert reparse(serial, force=True, parser=parse_noting_process).files_changed == 3
    assert reparse(pooled, force=True, workers=2, parser=parse_noting_process).files_changed == 3
    assert str(os.getpid()) not in {row["issuer"] for row in _rows(pooled, "notices")}
    for table in ("cases", "visits", "relations"):
        assert _rows(serial, table) == _rows(pooled, table)


def test_process_pool_gives_the_same_rows_as_serial(tmp_path, monkeypatch):
    monkeypatch.setattr(load_module, "MIN_DOCUMENTS_FOR_POOL", 8)
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(20):
        block = CASE_49.replace("49", str(number + 100))
        (folder / f"{number:03d}.txt").write_text(notice_text("太原市", "2022-04-13", block), encoding="utf-8")
    serial, pooled = f"sqlite:///{tmp_path / 'serial.sqlite'}", f"sqlite:///{tmp_path / 'pooled.sqlite'}"
    load([folder], serial, parser=parse_noting_process)
    assert load([folder], pooled, workers=2, parser=parse_noting_process).files_new == 20
    parsed_by = {row["issuer"] for row in _rows(pooled, "notices")}
    assert str(os.getpid()) not in parsed_by  # parsed in worker processes
    for table in ("notices", "cases", "visits", "places", "persons"):
        without_issuer = [{k: v for k, v in row.items() if k != "issuer"} for row in _rows(serial, table)]
        assert without_issuer == [{k: v for k, v in row.items() if k != "issuer"} for row in _rows(pooled, table)]


def test_the_pools_tasks_hold_the_documents_in_order_the_last_ones_one_to_a_task():
    """Documents go to the workers ``CHUNK_DOCUMENTS`` to a task, but the last few one to a task: the workers end
    within a document of each other."""
    for count in (0, 3, 12, 13, 40):
        tasks = list(load_module._tasks(iter(range(count)), 4, 8))
        assert [item for task in tasks for item in task] == list(range(count))
        sizes = [len(task) for task in tasks]
        assert sizes == sorted(sizes, reverse=True) and set(sizes) <= {1, 4} and sizes[-8:] == [1] * min(8, count)


def test_the_pools_last_documents_are_written_while_the_workers_finish():
    """Documents from the pool wait up to ``WRITE_BATCH_SECONDS_POOLED`` for others to be written with (bigger
    batches), but only ``WRITE_BATCH_SECONDS`` once the workers parse their last tasks: the writer then writes
    what it holds while they finish, rather than after them."""
    from casedb.store.parsed import ParsedDocument

    parsing = load_module._Parsing(parse, workers=2)
    parsing.pooled = True
    writes = load_module._Writes(parsing)
    writes.add(ParsedDocument(source="/a.txt", sha256="0" * 64, size_bytes=1))
    flushed = []
    assert writes.waiting(lambda: flushed.append(True)) > load_module.WRITE_BATCH_SECONDS
    parsing.finishing = True
    left = writes.waiting(lambda: flushed.append(True))
    assert (left is None and flushed) or left <= load_module.WRITE_BATCH_SECONDS < load_module.WRITE_BATCH_SECONDS_POOLED


def test_once_the_pool_is_finishing_the_wal_is_copied_into_the_file_once(monkeypatch):
    """The first wait once the workers parse their last ``FINISHING_TASKS`` tasks copies the WAL into the database
    file, so that closing it after the workers have ended copies little; the queue is written as before."""
    from casedb.store.parsed import ParsedDocument

    copied = []
    monkeypatch.setattr(load_module, "copy_wal_into_file", copied.append)
    parsing = load_module._Parsing(parse, workers=2)
    parsing.pooled = True
    writes = load_module._Writes(parsing, engine="the engine")
    writes.add(ParsedDocument(source="/a.txt", sha256="0" * 64, size_bytes=1))
    assert writes.waiting(lambda: None) > load_module.WRITE_BATCH_SECONDS and not copied
    parsing.finishing = True
    for _ in range(2):
        left = writes.waiting(lambda: None)
        assert left is None or left <= load_module.WRITE_BATCH_SECONDS
    assert copied == ["the engine"]


def test_copying_the_wal_into_the_file_puts_the_rows_in_the_file_itself(sqlite_url):
    import sqlite3

    from casedb.store.engine import copy_wal_into_file, write_transaction

    engine = connect(sqlite_url)
    try:
        with write_transaction(engine) as connection:
            connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            connection.exec_driver_sql("INSERT INTO t VALUES (1), (2)")
        path = engine.url.database

        def in_the_file() -> list:   # immutable: the file alone, not its WAL
            reader = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
            try:
                return reader.execute("SELECT x FROM t ORDER BY x").fetchall()
            except sqlite3.OperationalError:   # no such table
                return []
            finally:
                reader.close()

        assert in_the_file() == []
        copy_wal_into_file(engine)
        assert in_the_file() == [(1,), (2,)]
    finally:
        engine.dispose()


def test_a_load_collects_garbage_less_often_and_leaves_the_collector_as_it_was(tmp_path, sqlite_url):
    """During a load the loading process's collector waits for ``LOADING_YOUNG_OBJECTS`` young objects, and freezes
    nothing (a freeze made before stays); afterwards it is as it was (a notebook's process goes on)."""
    import gc

    seen = []

    def parse_noting_the_collector(source):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        return parse(source)

    (tmp_path / "a.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49), encoding="utf-8")
    gc.freeze()   # as a parse worker's setup does (prepare_for_many_documents)
    try:
        before = gc.get_threshold()
        assert load([tmp_path / "a.txt"], sqlite_url, parser=parse_noting_the_collector).files_new == 1
        assert seen == [(load_module.LOADING_YOUNG_OBJECTS, True)]
        assert gc.get_threshold() == before and gc.get_freeze_count() > 0   # not unfrozen
    finally:
        gc.unfreeze()


def test_the_sqlite_adapters_for_none_and_bool_store_what_the_driver_stores_without_them():
    """``casedb.store.engine`` gives the sqlite3 driver adapters for None and bool (its own look-up of an adapter for
    them raises and drops an AttributeError per parameter): they bind NULL, 1 and 0, as it does without them."""
    import sqlite3

    from casedb.store import engine  # noqa: F401 (registers them)

    ours = [(type(None), sqlite3.PrepareProtocol), (bool, sqlite3.PrepareProtocol)]
    assert all(key in sqlite3.adapters for key in ours)
    rows = [(None, True, False, 0, 1, "x", 2.5), (1, None, True, None, False, None, None)]

    def stored() -> list[tuple]:
        connection = sqlite3.connect(":memory:")
        connection.execute("CREATE TABLE t (a, b, c, d, e, f, g)")
        connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return connection.execute("SELECT *, typeof(a), typeof(b), typeof(c), typeof(d) FROM t").fetchall()

    with_adapters = stored()
    saved = {key: sqlite3.adapters.pop(key) for key in ours}
    try:
        assert stored() == with_adapters
    finally:
        sqlite3.adapters.update(saved)


def test_case_report_marks_sources_and_names_the_same_person_elsewhere(tmp_path, sqlite_url):
    from casedb.store.query import case_report, find_cases

    (tmp_path / "first.txt").write_text(notice_text("太原市", "2022-04-13", CASE_49), encoding="utf-8")
    (tmp_path / "later.txt").write_text(notice_text("太原市", "2022-04-20", CASE_49.replace("19", "20")))
    _load(tmp_path, sqlite_url)
    engine = connect(sqlite_url)
    first, later = find_cases(engine, "病例49", city="太原市")
    report = case_report(engine, first, mark=lambda fragment, what: f"<{what}>{fragment}</{what}>")
    assert f"same person: case #{later}" in report
    assert "<visit>VISIT 2022-04-02 20:00 茂业天地楼下喜茶店 买奶茶</visit>" in report
    assert find_cases(engine, "病例49", city="西安市") == [] and find_cases(engine, str(later)) == [later]


def test_a_reparse_after_a_change_to_the_stores_code_writes_every_row_again(corpus, db_url, monkeypatch):
    """The rows digest covers the store's sources (``casedb.STORE_SOURCES``): after a change to how rows are made or
    written (keys, persons, links), ``reparse --all`` writes every row as the changed code would, not only those
    whose parsed values changed."""
    import casedb
    from casedb.store import parsed

    _load(corpus, db_url)
    same_code = reparse(db_url, force=True, parser=parse)
    digests = {row["id"]: row["rows_digest"] for row in _rows(db_url, "documents")}
    monkeypatch.setattr(casedb, "STORE_SOURCES", ("store/write.py",))   # as if the store's code had changed
    parsed._rows_digest_start.cache_clear()
    try:
        changed_code = reparse(db_url, force=True, parser=parse)
        after = {row["id"]: row["rows_digest"] for row in _rows(db_url, "documents")}
    finally:
        parsed._rows_digest_start.cache_clear()
    assert same_code.rows.cases == changed_code.rows.cases == 4
    assert set(digests) == set(after) and all(digests[key] != after[key] for key in digests)
