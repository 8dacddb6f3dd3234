"""Exports: files per table, line list, Parquet round trip, Global.health JSON, pseudonymisation."""
from __future__ import annotations

import json
import re

import jsonschema
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from casedb.export import LINELIST, TABLES, export, globalhealth_records, read_tables, validate_globalhealth
from casedb.pseudonymise import HOUSE_NUMBER, NAME_PATTERN, age_bands, case_pseudonym, scrub_names, strip_house_numbers
from casedb.store import models
from casedb.store.loading import load
from tests.sharing_db import build_db
from tests.shared_data import DEVSET, require

# A house number with a building, unit, room or compound-number marker (a bare 1号 could be 1号线).
BUILDING_OR_ROOM = re.compile(r"号楼|单元|室|栋|幢|号院")
# What the hand-built notice says about people that must never reach a pseudonymised export.
NAMES = ("陈某某", "张某军", "谢某", "李女士")
HOUSE_NUMBERS = ("12号楼", "3单元", "502", "8号", "7栋", "1101室")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """One hand-built database for the module: exports only read it."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'casedb.sqlite'}")
    build_db(engine)
    return engine


def _db_rows(engine, table) -> int:
    with engine.connect() as connection:
        return len(connection.execute(select(table)).all())


def test_csv_export_writes_one_file_per_table_and_the_line_list(engine, tmp_path):
    written = export(engine, tmp_path / "out", fmt="csv")
    assert set(written) == set(TABLES) | {LINELIST}
    for name in TABLES:
        frame = pd.read_csv(written[name][0])
        assert len(frame) == _db_rows(engine, models.metadata.tables[name]) == written[name][1]
    cases = pd.read_csv(written["cases"][0])
    assert list(cases.columns[:5]) == ["case_id", "case_key", "notice_id", "document_id", "person_id"]
    assert {"age", "age_band", "positive_date", "residence"} <= set(cases.columns)


def test_line_list_counts_visits_and_relations_and_finds_the_district(engine, tmp_path):
    lines = pd.read_csv(export(engine, tmp_path, fmt="csv")[LINELIST][0]).set_index("label")
    assert lines.loc["病例49", "visit_count"] == 2 and lines.loc["病例49", "relation_count"] == 1
    assert lines.loc["病例48", "visit_count"] == 2 and lines.loc["病例48", "relation_count"] == 0
    assert lines.loc["病例48", "residence_district"] == "万柏林区"
    assert lines.loc["病例48", "first_positive_date"] == "2022-04-10"
    assert lines.loc["病例48", "city"] == "太原市"
    assert pd.isna(lines.loc["病例52", "residence_district"])   # no residence


def test_where_limits_cases_and_what_they_reference(engine, tmp_path):
    written = export(engine, tmp_path, fmt="csv", where="cases.label = '病例49'")
    assert written["cases"][1] == 1
    assert written["visits"][1] == 2 + 1         # its two visits and the notice's unattributed one
    assert written["relations"][1] == 1
    assert written["notices"][1] == 1
    assert set(pd.read_csv(written["places"][0])["name"]) == {"茂业天地喜茶店", "丽泽佳苑7栋"}


def test_parquet_round_trip_keeps_rows_and_values(engine, tmp_path):
    written = export(engine, tmp_path, fmt="parquet")
    db_tables = read_tables(engine)
    for name in TABLES:
        back = pd.read_parquet(written[name][0])
        expected = db_tables[name]
        if name == "cases":
            back = back.drop(columns="age_band")
        assert list(back.columns) == list(expected.columns)
        assert len(back) == len(expected) == _db_rows(engine, models.metadata.tables[name])
        for column in expected.columns:
            assert [None if pd.isna(v) else v for v in back[column]] == \
                   [None if pd.isna(v) else v for v in expected[column]], (name, column)
    with engine.connect() as connection:
        start = connection.execute(select(models.visits.c.start).where(models.visits.c.start.is_not(None))).scalar_one()
    assert start in list(pd.read_parquet(written["visits"][0])["start"])


def test_parquet_keeps_dates_integers_and_categories_typed(engine, tmp_path):
    import pyarrow.parquet as pq

    written = export(engine, tmp_path, fmt="parquet")
    schema = pq.read_schema(written["cases"][0])
    assert str(schema.field("positive_date").type) == "date32[day]"
    assert str(schema.field("age").type).startswith("int")
    assert str(schema.field("sex").type).startswith("dictionary")
    visits = pd.read_parquet(written["visits"][0])
    assert str(visits["start"].dtype).startswith("datetime64")


def test_json_export_validates_against_the_shipped_schema(engine, tmp_path):
    written = export(engine, tmp_path, fmt="json")
    records = json.loads(written["globalhealth"][0].read_text(encoding="utf-8"))
    assert len(records) == _db_rows(engine, models.cases)
    validate_globalhealth(records)
    by_label = {r["caseReference"]["sourceEntryId"]: r for r in records}
    first = by_label["病例48"]
    assert first["caseReference"]["sourceUrl"] == "https://example.org/notice/42.html"
    assert {"name": "confirmed", "dateRange": {"start": "2022-04-10", "end": "2022-04-10"}, "value": "confirmed"} \
        in first["events"]
    [tea] = first["travelHistory"]["travel"]
    assert tea["dateRange"] == {"start": "2022-04-02", "end": "2022-04-02"}
    assert tea["location"]["geometry"] == {"latitude": 37.74, "longitude": 112.57}
    assert first["location"]["administrativeAreaLevel3"] == "万柏林区"
    assert by_label["病例49"]["transmission"]["linkedCaseIds"] == [first["caseId"]]
    assert by_label["病例50"]["travelHistory"]["travel"][0]["methods"] == ["D2424次列车7车厢"]
    assert first["demographics"] == {"gender": "Female", "occupation": None, "ageRange": {"start": 19, "end": 19}}
    cases = json.loads(written["cases"][0].read_text(encoding="utf-8"))
    assert len(cases) == _db_rows(engine, models.cases)


def test_schema_rejects_a_case_without_source_url(engine):
    record = globalhealth_records(read_tables(engine))[0]
    del record["caseReference"]["sourceUrl"]
    with pytest.raises(jsonschema.ValidationError):
        validate_globalhealth([record])


def _all_exported_strings(written) -> list[str]:
    values = []
    for path, _rows in written.values():
        if path.suffix == ".json":
            values.extend(re.findall(r'"((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
        else:
            frame = pd.read_csv(path, dtype=str)
            values.extend(frame.columns)
            values.extend(v for column in frame for v in frame[column].dropna())
    return values


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_pseudonymised_export_has_no_names_or_house_numbers(engine, tmp_path, fmt):
    written = export(engine, tmp_path, fmt=fmt, pseudonymise=True, salt="s3cret")
    values = _all_exported_strings(written)
    assert values
    for value in values:
        assert not NAME_PATTERN.search(value), value
        assert not any(name in value for name in NAMES), value
        if value.startswith("https://"):
            continue
        assert not any(number in value for number in HOUSE_NUMBERS), value
    joined = "\n".join(values)
    assert "公园美地新领寓小区" in joined and "丽泽佳苑" in joined   # compound level is kept
    assert "D2424次列车" in joined                                   # not a house number


def test_pseudonymised_case_ids_are_stable_salted_hashes(engine, tmp_path):
    def case_ids(out, salt):
        return list(pd.read_csv(export(engine, tmp_path / out, pseudonymise=True, salt=salt)["cases"][0],
                                dtype=str)["case_id"])

    first, again, other = case_ids("a", "pepper"), case_ids("b", "pepper"), case_ids("c", "salt")
    assert first == again
    assert not set(first) & set(other)
    assert len(set(first)) == len(first) and all(re.fullmatch(r"[0-9a-f]{16}", i) for i in first)
    relations = pd.read_csv(tmp_path / "a" / "relations.csv", dtype=str)
    assert relations["other_case_id"].dropna().isin(first).all()
    assert set(pd.read_csv(tmp_path / "a" / "visits.csv", dtype=str)["case_id"].dropna()) <= set(first)


def test_pseudonymised_ages_are_banded_where_fewer_than_k_share_them(engine, tmp_path):
    cases = pd.read_csv(export(engine, tmp_path, pseudonymise=True, salt="s", k=5)["cases"][0])
    assert list(cases["age"].dropna()) == [19] * 5     # five cases are 19: kept; the others are alone
    assert set(cases["age_band"]) == {"0-79"}           # 8 cases cannot make two bands of 5


def test_age_bands_merge_small_groups_with_their_neighbours():
    assert age_bands([3, 15, 15, 15, 15, 40, 41, 42, 43, 44, 90], k=5) == \
        ["0-19"] * 5 + ["40-99"] * 6
    assert age_bands([31, 32, None], k=1) == ["30-39", "30-39", None]
    assert age_bands([31], k=5) == ["30-39"]


@pytest.mark.parametrize("text, expected", [
    ("确诊患者13余某某儿子", "确诊患者13[姓名]儿子"), ("与张某军同住", "与[姓名]同住"),
    ("谢某到超市购物", "[姓名]到超市购物"), ("歐陽某某家中", "[姓名]家中"), ("到某公司上班", "到某公司上班"),
    ("联系王先生", "联系[姓名]"),
])
def test_scrub_names(text, expected):
    assert scrub_names(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("裕华区怀特小区12号楼3单元502", "裕华区怀特小区"), ("迎泽区和平路8号", "迎泽区和平路"),
    ("XX大厦A座1503室", "XX大厦A座"), ("南桥寨村3组", "南桥寨村"), ("三号楼二单元", ""),
    ("地铁1号线2号口", "地铁1号线2号口"), ("1月12号到第3号病例家", "1月12号到第3号病例家"),
    ("G7088动车(16车8D座)", "G7088动车(16车8D座)"), ("10时30分", "10时30分"), ("幸福里12-3-502", "幸福里"),
    ("关于病例48—51、病例52-53的通告", "关于病例48—51、病例52-53的通告"), ("2022-04-11检测", "2022-04-11检测"),
    ("4-5月", "4-5月"),
])
def test_strip_house_numbers(text, expected):
    assert strip_house_numbers(text) == expected


def test_case_pseudonym_depends_on_salt_and_key():
    assert case_pseudonym("a", "s") == case_pseudonym("a", "s")
    assert case_pseudonym("a", "s") != case_pseudonym("a", "t") != case_pseudonym("b", "t")


def test_cli_export(engine, tmp_path):
    from casedb.cli import main

    out = tmp_path / "cli-out"
    result = CliRunner().invoke(main, ["export", "--db", str(engine.url.database), "--format", "parquet",
                                       "--out", str(out), "--pseudonymise", "--salt", "x"])
    assert result.exit_code == 0, result.output
    assert (out / "linelist.parquet").exists()
    assert "linelist" in result.output


@pytest.mark.postgres
def test_postgresql_export_matches_sqlite(engine, postgres_server, tmp_path):
    pg_engine = create_engine(postgres_server.create_database("casedb_export"))
    try:
        build_db(pg_engine)
        for pseudonymise in (False, True):
            from_sqlite = export(engine, tmp_path / f"sqlite{pseudonymise}", pseudonymise=pseudonymise, salt="s")
            from_pg = export(pg_engine, tmp_path / f"pg{pseudonymise}", pseudonymise=pseudonymise, salt="s")
            for name, (path, rows) in from_sqlite.items():
                assert from_pg[name][0].read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), name
    finally:
        pg_engine.dispose()


@pytest.fixture(scope="module")
def devset_engine(tmp_path_factory):
    """The devset notices (header lines removed) loaded with ``casedb.store.loading.load``."""
    require(DEVSET)
    folder = tmp_path_factory.mktemp("devset")
    for path in sorted(DEVSET.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[-1]
        (folder / path.name).write_text(body, encoding="utf-8")
    url = f"sqlite:///{folder / 'casedb.sqlite'}"
    assert load([folder], url).files_failed == 0
    return create_engine(url)


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_devset_json_export_validates(devset_engine, tmp_path, pseudonymise):
    written = export(devset_engine, tmp_path, fmt="json", pseudonymise=pseudonymise, salt="s")
    records = json.loads(written["globalhealth"][0].read_text(encoding="utf-8"))
    assert len(records) == _db_rows(devset_engine, models.cases) > 50
    validate_globalhealth(records)
    assert any(r["travelHistory"]["travel"] for r in records)
    assert any(r["transmission"]["linkedCaseIds"] for r in records)


def test_devset_pseudonymised_export_has_no_name_or_house_number_from_the_sources(devset_engine, tmp_path):
    with devset_engine.connect() as connection:
        texts = connection.execute(select(models.documents.c.text)).scalars().all()
    names = {m.group(0) for text in texts for m in NAME_PATTERN.finditer(text)}
    house_numbers = {m.group(0) for text in texts for m in HOUSE_NUMBER.finditer(text)
                     if BUILDING_OR_ROOM.search(m.group(0))}
    assert names and house_numbers            # the devset has both: the check below means something
    exported = "\n".join(_all_exported_strings(export(devset_engine, tmp_path, fmt="json", pseudonymise=True,
                                                        salt="s")))
    assert not [name for name in names if name in exported]
    assert not [number for number in house_numbers if number in exported]


def test_cli_export_reports_a_bad_where_in_one_line(engine, tmp_path):
    from casedb.cli import main

    result = CliRunner().invoke(main, ["export", "--db", str(engine.url.database), "--out", str(tmp_path),
                                       "--where", "no_such_column = 1"])
    assert result.exit_code == 2
    assert "--where 'no_such_column = 1': no such column: no_such_column" in result.output


def test_xlsx_export_has_a_sheet_per_table_and_excel_dates(engine, tmp_path):
    """Issue 17: one workbook, one sheet per table with the csv's columns and rows, dates as Excel dates."""
    from openpyxl import load_workbook

    written = export(engine, tmp_path, fmt="xlsx")
    [workbook_path] = {path for path, _rows in written.values()}
    assert workbook_path.name == "casedb.xlsx" and sorted(p.name for p in tmp_path.iterdir()) == ["casedb.xlsx"]
    workbook = load_workbook(workbook_path)
    assert workbook.sheetnames == [*TABLES, LINELIST]
    csv = export(engine, tmp_path / "csv", fmt="csv")
    for name in (*TABLES, LINELIST):
        rows = list(workbook[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(pd.read_csv(csv[name][0]).columns)
        assert len(rows) - 1 == written[name][1] == csv[name][1]
    cases = workbook["cases"]
    header = [cell.value for cell in cases[1]]
    positive = [row[header.index("positive_date")] for row in cases.iter_rows(min_row=2)]
    assert any(cell.value is not None for cell in positive)
    for cell in positive:
        if cell.value is not None:
            assert cell.is_date and cell.value.year == 2022, cell.value
    visits = workbook["visits"]
    header = [cell.value for cell in visits[1]]
    starts = [row[header.index("start")] for row in visits.iter_rows(min_row=2) if row[header.index("start")].value]
    assert starts and all(cell.is_date and cell.value.hour is not None for cell in starts)
    lines = workbook[LINELIST]
    header = [cell.value for cell in lines[1]]
    assert any(row[header.index("first_positive_date")].is_date for row in lines.iter_rows(min_row=2))


def test_xlsx_text_is_never_a_formula_nor_refused(tmp_path):
    from openpyxl import load_workbook

    from casedb.export import _write_workbook

    frame = pd.DataFrame({"place_text": ['=HYPERLINK("http://x","y")', "a\x01b", None]})
    _write_workbook({"visits": frame}, tmp_path / "w.xlsx", None)
    sheet = load_workbook(tmp_path / "w.xlsx")["visits"]
    assert [cell.value for cell in sheet["A"]][:3] == ["place_text", '=HYPERLINK("http://x","y")', "ab"]
    assert sheet["A2"].data_type == "s"


def test_excel_csv_starts_with_a_byte_order_mark(engine, tmp_path):
    plain = export(engine, tmp_path / "plain", fmt="csv")
    excel = export(engine, tmp_path / "excel", fmt="csv", excel=True)
    for name, (path, _rows) in excel.items():
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data[3:] == plain[name][0].read_bytes()
    assert pd.read_csv(excel["cases"][0], encoding="utf-8-sig").columns[0] == "case_id"
    with pytest.raises(ValueError):
        export(engine, tmp_path / "x", fmt="json", excel=True)


def test_geojson_export_puts_places_at_their_district_centroid(engine, tmp_path):
    written = export(engine, tmp_path, fmt="geojson")
    assert list(written) == ["places"] and sorted(p.name for p in tmp_path.iterdir()) == ["places.geojson"]
    collection = json.loads(written["places"][0].read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == written["places"][1] == _db_rows(engine, models.places)
    by_name = {feature["properties"]["name"]: feature for feature in features}
    assert by_name["茂业天地喜茶店"]["geometry"] == {"type": "Point", "coordinates": [112.57, 37.74]}
    assert any(feature["geometry"] is None for feature in features)     # no centroid known: no geometry
    for feature in features:
        assert feature["type"] == "Feature" and feature["id"] == feature["properties"]["place_id"]
        assert "latitude" not in feature["properties"]


def test_cli_export_xlsx_and_excel_csv(engine, tmp_path):
    from casedb.cli import main

    db = str(engine.url.database)
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "xlsx", "--out", str(tmp_path / "x")])
    assert result.exit_code == 0, result.output
    assert "cases: 8 rows → " in result.output and (tmp_path / "x" / "casedb.xlsx").exists()
    result = CliRunner().invoke(main, ["export", "--db", db, "--excel", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0 and (tmp_path / "c" / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = CliRunner().invoke(main, ["export", "--db", db, "--excel", "--format", "parquet", "--out",
                                       str(tmp_path / "p")])
    assert result.exit_code == 2 and "--excel is for --format csv" in result.output
