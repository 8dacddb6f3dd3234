"""A small hand-built database for the sharing tests: names, house numbers, shared places, relations."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from casedb.places import residence_columns
from casedb.store import models

NOW = dt.datetime(2022, 4, 14, 9, 0)
D = dt.date


def _insert(connection, table, **values) -> int:
    return connection.execute(insert(table).values(**values)).inserted_primary_key[0]


def build_db(engine) -> dict[str, int]:
    """Two notices, eight cases with names, house numbers, shared places and relations."""
    models.metadata.create_all(engine)
    ids = {}
    with engine.begin() as db:
        doc = _insert(db, models.documents, source="https://example.org/notice/42.html", sha256="0" * 64, size_bytes=1,
                      encoding="utf-8", media_type="text/html", text="", first_seen=NOW, changed_at=NOW,
                      last_seen=NOW, parser_version="t")
        common = dict(document_id=doc, parser_version="t")
        ids["n1"] = _insert(db, models.notices, title="关于病例48—51活动轨迹的通告", number="2022年第42号", city="太原市",
                            published=D(2022, 4, 13), **common)
        ids["n2"] = _insert(db, models.notices, title="关于无症状感染者1的通告", city="石家庄市", published=D(2022, 4, 14),
                            **common)
        ages = [19, 19, 19, 19, 19, 34, 72, 5]
        residences = ["万柏林区公园美地新领寓小区12号楼3单元502", "小店区丽泽佳苑7栋1101室", "迎泽区和平路8号",
                      "万柏林区公园美地新领寓小区", None, "杏花岭区xx村", "小店区丽泽佳苑", "藁城区增村镇南桥寨村"]
        for i, (age, residence) in enumerate(zip(ages, residences)):
            notice, city = (ids["n1"], "太原市") if i < 6 else (ids["n2"], "石家庄市")
            ids[f"c{i}"] = _insert(db, models.cases, notice_id=notice, label=f"病例{48 + i}", series="case", number=48 + i,
                                   sex="male" if i % 2 else "female", age=age, category="confirmed",
                                   residence=residence, **residence_columns(residence, city), positive_date=D(2022, 4, 10 + i % 3),
                                   isolation_date=D(2022, 4, 9) if i == 0 else None, span_start=100 * i,
                                   diagnosis="与陈某某同住，诊断为确诊病例" if i == 0 else None, **common)
        ids["tea"] = _insert(db, models.places, name="茂业天地喜茶店", normalised_name="茂业天地喜茶店", city="太原市",
                             district="小店区", province="山西省", adcode="140105", latitude=37.74, longitude=112.57)
        ids["flat"] = _insert(db, models.places, name="丽泽佳苑7栋", normalised_name="丽泽佳苑7栋", city="太原市")
        visit = dict(kind="visit", **common)
        _insert(db, models.visits, case_id=ids["c0"], notice_id=ids["n1"], place_id=ids["tea"], date=D(2022, 4, 2),
                start=dt.datetime(2022, 4, 2, 20), place_text="茂业天地喜茶店", activity="和张某军买奶茶", **visit)
        _insert(db, models.visits, case_id=ids["c1"], notice_id=ids["n1"], place_id=ids["tea"], date=D(2022, 4, 2),
                place_text="茂业天地喜茶店", activity="找谢某", **visit)
        _insert(db, models.visits, case_id=ids["c1"], notice_id=ids["n1"], place_id=ids["flat"], date=D(2022, 4, 3),
                place_text="丽泽佳苑7栋", activity="拜访李女士", **visit)
        _insert(db, models.visits, case_id=ids["c0"], notice_id=ids["n1"], place_id=None, date=D(2022, 4, 4),
                end_date=D(2022, 4, 6), kind="home", document_id=doc, parser_version="t")
        _insert(db, models.visits, case_id=ids["c2"], notice_id=ids["n1"], place_id=None, date=D(2022, 4, 5),
                place_text="D2424次列车", vehicle="D2424次列车7车厢", kind="transit", document_id=doc,
                parser_version="t")
        _insert(db, models.visits, case_id=None, notice_id=ids["n1"], place_id=ids["tea"], date=D(2022, 4, 7),
                place_text="茂业天地喜茶店", **visit)
        _insert(db, models.relations, case_id=ids["c1"], other_case_id=ids["c0"], other_label="病例48", kind="spouse",
                phrase="妻子", **common)
        _insert(db, models.relations, case_id=ids["c6"], other_case_id=None, other_label="病例3", kind="close_contact",
                phrase="密切接触者", **common)
    return ids
