"""casedb.places: normalisation, administrative placement and categories, against the corpora."""
from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casedb import places
from casedb.places import (
    KEY_DROP, Division, categorise, is_bare_city_name, locate, normalise_place, place_columns, residence_columns,
)
from tests.corpus.places_category import CATEGORIES
from tests.corpus.places_locate import LOCATE
from tests.corpus.places_normalise import DISTINCT, FIELDS, SAME_PLACE
from tests.raw_rows import insert_document
from tests.work import counted


@pytest.mark.parametrize("city,phrasings", SAME_PLACE, ids=[p[0] for _, p in SAME_PLACE])
def test_phrasings_of_one_place_share_a_key(city, phrasings):
    keys = {phrasing: normalise_place(phrasing, city).key for phrasing in phrasings}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize("city,first,second", DISTINCT, ids=[f"{a}|{b}" for _, a, b in DISTINCT])
def test_different_places_keep_different_keys(city, first, second):
    assert normalise_place(first, city).key != normalise_place(second, city).key


@pytest.mark.parametrize("written,expected", FIELDS.items(), ids=list(FIELDS))
def test_normalised_fields(written, expected):
    place = normalise_place(written)
    assert (place.name, place.qualifier, place.address, place.activity) == expected


def test_key_ignores_width_case_and_script():
    assert normalise_place("ＫＦＣ（五一廣場店）").key == normalise_place("kfc(五一广场店)").key


LOCATE_CASES = [(adcode, hint, text) for adcode, hint, texts in LOCATE for text in texts]


@pytest.mark.parametrize("adcode,hint,text", LOCATE_CASES, ids=[f"{h}:{t}" for _, h, t in LOCATE_CASES])
def test_locate(adcode, hint, text):
    division = locate(text, city_hint=hint)
    assert (division.adcode if division else None) == adcode


def test_locate_returns_the_whole_division():
    assert locate("鼓楼区五四路", "福州市") == Division(
        province="福建省", city="福州市", district="鼓楼区", adcode="350102", level="district",
        latitude=26.081983, longitude=119.303917)
    municipality = locate("天津市枫林镇")
    assert (municipality.province, municipality.city, municipality.district) == ("天津市", "天津市", None)


def test_locate_gives_no_coordinates_it_does_not_have():
    """龙港市 (2019) has no centroid in the source: it is placed, without invented coordinates."""
    division = locate("龙港市", "温州市")
    assert division.district == "龙港市" and division.latitude is None and division.longitude is None


def test_ambiguous_name_in_one_province_resolves_to_the_province():
    """鼓楼区 of 南京 and of 徐州 are both in 江苏, but 江苏省 fixes neither."""
    assert locate("江苏省鼓楼区").adcode == "320000"


def test_locate_work_per_name_stays_flat():
    """Locating 3× the names costs about 3× the work (counted): no lookup scans what came before."""
    texts = [f"{district}{n}号" for n in range(300) for district in ("鼓楼区五四路", "藁城区增村镇", "万达广场")]

    def cost(names):
        locate.cache_clear()
        with counted() as work:
            for text in names:
                locate(text, "福州市")
        return work.total

    assert cost(texts) < 3.6 * cost(texts[:300])


CATEGORY_CASES = [(category, name) for category, names in CATEGORIES.items() for name in names]


@pytest.mark.parametrize("category,name", CATEGORY_CASES, ids=[n or "empty" for _, n in CATEGORY_CASES])
def test_categorise(category, name):
    assert categorise(name) == category


def _texts_of_places() -> list[str]:
    return ([name for _, name in CATEGORY_CASES if name] + [text for _, _, texts in LOCATE for text in texts]
            + list(FIELDS) + [p for _, phrasings in SAME_PLACE for p in phrasings])


def test_the_division_at_a_position_is_the_longest_name_there():
    """``match_at`` looks only at the lengths of names starting with the two characters it is at: the same answer as
    trying every length from the longest name down, full names before short ones."""
    table = places._table()
    longest = max(map(len, (*table.full, *table.short)))

    def every_length(text, start):
        for end in range(min(len(text), start + longest), start + 1, -1):
            piece = text[start:end]
            if piece in table.full or piece in table.short:
                return (piece, False, table.full[piece]) if piece in table.full else (piece, True, table.short[piece])
        return None

    texts = _texts_of_places() + ["内蒙古自治区呼和浩特市", "朝阳", "石家庄市藁城区增村镇", "X"]
    found = 0
    for text in texts:
        for start in range(len(text) + 1):
            assert table.match_at(text, start) == every_length(text, start), (text, start)
            found += every_length(text, start) is not None
    assert found > 100


def test_a_category_rule_is_skipped_only_for_a_name_it_cannot_match():
    """A rule is not tried on a name holding none of the characters its matches start with, or none of the
    characters one of which each of its matches holds (``places._category_mask``)."""
    names = _texts_of_places() + ["CA1234次航班", "3号线地铁", "渡口", "12路车", "幸福园二期"]
    shift = places._NEEDED_SHIFT
    for order, (category, rule, starts, needed) in enumerate(places._category_patterns()):
        for name in names:
            masks = [places._category_mask(character) for character in name]
            if not (any(mask >> order & 1 for mask in masks) and any(mask >> (shift + order) & 1 for mask in masks)):
                assert rule.search(name) is None, (category, name)
    assert sum(starts is not None for _, _, starts, _ in places._category_patterns()) > 30
    assert sum(needed is not None for _, _, _, needed in places._category_patterns()) > 30
    assert not places._category_mask("x") & ((1 << shift) - 1) and not places._category_mask("，") & ((1 << shift) - 1)


def test_a_rule_is_skipped_only_where_it_cannot_change_the_text():
    """The tests before a normalisation rule (``places._may_match``; ``str.isalnum`` before ``KEY_DROP``) pass every
    text the rule matches."""
    texts = _texts_of_places() + ["茂业天地3F喜茶店", "二十三号楼", "在万达广场B1层", "去五楼下", "a_b", "①号", "²楼", "Ⅻ店"]
    rules = (places.LEADING_VERB, places.TRAILING_ACTIVITY, places.TRAILING_FLOOR, places.INNER_CONTAINMENT,
             places.CN_NUMBER_BEFORE_UNIT)
    for rule in rules:
        matched = [text for text in texts if rule.search(text)]
        assert matched, rule.pattern
        for text in matched:
            assert places._may_match(rule.pattern)(text), (rule.pattern, text)
    assert any(not text.isalnum() for text in texts)
    for text in texts:
        if text.isalnum():
            assert places.KEY_DROP.sub("", text) == text, text


def test_a_characters_category_mask_is_that_of_testing_each_rule():
    """``places._category_mask`` (one match and one look-up) sets the bits a test of each rule sets."""
    shift = places._NEEDED_SHIFT
    characters = set("".join(_texts_of_places())) | {chr(code) for code in range(0x20, 0x250)} | set("航渡鿿一\n　")
    for character in characters:
        mask = 0
        for order, (_, _, starts, needed) in enumerate(places._category_patterns()):
            if starts is None or starts.match(character):
                mask |= 1 << order
            if needed is None or character in needed:
                mask |= 1 << (shift + order)
        assert places._category_mask(character) == mask, character


def _every_rule_category(text):
    """``places._head_category`` trying every rule on every name."""
    best, chosen = None, None
    for order, (category, rule, _, _) in enumerate(places._category_patterns()):
        for match in rule.finditer(text):
            score = (match.end(), match.end() - match.start(), -order)
            if best is None or score > best:
                best, chosen = score, category
    return chosen


def test_the_head_category_is_the_one_every_rule_tried_gives():
    names = _texts_of_places() + ["CA1234次航班", "3号线地铁", "东渡口码头", "12路车", "幸福园二期", "KTV", ""]
    found = {places._head_category(name) for name in names}
    assert all(places._head_category(name) == _every_rule_category(name) for name in names)
    assert len(found) > 15


def test_place_columns():
    columns = place_columns("在鼓楼区东街口百货门口", "福州市")
    assert columns == {
        "normalised_name": "鼓楼区东街口百货", "category": "mall",
        "province": "福建省", "district": "鼓楼区", "adcode": "350102",
        "latitude": 26.081983, "longitude": 119.303917,
    }


def test_place_columns_without_a_named_division_keep_only_the_notice_province():
    columns = place_columns("万达广场", "福州市")
    assert columns["province"] == "福建省"
    assert columns["district"] is columns["adcode"] is columns["latitude"] is None


def test_residence_columns():
    assert residence_columns("万柏林区公园美地新领寓小区", "太原市") == {
        "residence_district": "万柏林区", "residence_adcode": "140109"}
    assert residence_columns(None, "太原市") == {"residence_district": None, "residence_adcode": None}


def test_migration_fills_rows_stored_before_it(db_url):
    """Revision 0003 gives places, residences and visits already in the database their columns."""
    import sqlalchemy as sa

    from casedb.store import connect, downgrade, upgrade

    engine = connect(db_url)
    upgrade(engine, "0002")
    with engine.begin() as connection:
        insert_document(connection)
        connection.execute(sa.text("INSERT INTO notices (id, document_id, city, year_in_text, parser_version)"
                                   " VALUES (1, 1, '太原市', true, 'v')"))
        connection.execute(sa.text(
            "INSERT INTO cases (id, notice_id, document_id, residence, parser_version)"
            " VALUES (1, 1, 1, '万柏林区松源小区', 'v')"))
        connection.execute(sa.text("INSERT INTO places (id, name, normalised_name, city)"
                                   " VALUES (1, '小店区茂业天地喜茶店', 'stored key', '太原市')"))
        connection.execute(sa.text(
            "INSERT INTO visits (id, case_id, notice_id, document_id, place_id, kind, place_text, parser_version)"
            " VALUES (1, 1, 1, 1, 1, 'visit', '小店区茂业天地喜茶店门口', 'v')"))
    upgrade(engine)
    with engine.connect() as connection:
        place = connection.execute(sa.text(
            "SELECT normalised_name, province, district, adcode, category FROM places")).one()
        case = connection.execute(sa.text("SELECT residence_district, residence_adcode FROM cases")).one()
        qualifier = connection.execute(sa.text("SELECT place_qualifier FROM visits")).scalar_one()
    assert tuple(place) == ("stored key", "山西省", "小店区", "140105", "cafe")
    assert tuple(case) == ("万柏林区", "140109")
    assert qualifier == "门口"
    downgrade(engine, "0002")
    assert "adcode" not in {column["name"] for column in sa.inspect(engine).get_columns("places")}
    engine.dispose()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="在到茂业天地楼下喜茶店附近(（)）鼓楼区福州市省1２三号买奶茶内里 ", max_size=24))
def test_normalise_and_locate_take_any_text(text):
    place = normalise_place(text, "福州市")
    assert bool(place.key) == bool(KEY_DROP.sub("", place.name))
    division = locate(text, "福州市")
    assert division is None or division.adcode.startswith("35")      # in a 福州 notice 鼓楼区 is 福州's


def test_docstring_examples():
    assert doctest.testmod(places).failed == 0


@pytest.mark.parametrize("name, bare", [
    ("张家口", True), ("枣庄", True), ("乌鲁木齐", True), ("张家口宾馆", False), ("大悦城", False), ("河北", False),
])
def test_a_city_name_written_alone_is_recognised_from_the_divisions(name, bare):
    assert is_bare_city_name(name) is bare


def test_a_division_row_gives_one_division_and_knows_whether_it_is_generic():
    import re

    table = places._table()
    rows = list(table.by_code.values())
    for row in rows:
        assert row.division() is row.division()
        assert row.generic == (row.level == "district" and re.sub(r"(?:区|县|市)$", "", row.name) in places.GENERIC_STEMS)
    assert any(row.generic for row in rows) and not all(row.generic for row in rows)
    assert locate("鼓楼区五四路", city_hint="福州市") == Division(
        province="福建省", city="福州市", district="鼓楼区", adcode="350102", level="district",
        latitude=locate("鼓楼区", city_hint="福州市").latitude, longitude=locate("鼓楼区", city_hint="福州市").longitude)


def test_the_division_table_is_read_column_by_column_into_its_rows():
    """``_table`` reads the CSV's columns in order into the row's fields (and checks the file's header)."""
    beijing = places._table().by_code["110000"]
    assert (beijing.name, beijing.short, beijing.level, beijing.province, beijing.city) == ("北京市", "北京", "province", "北京市", "")
    division = beijing.division()
    assert division.latitude == pytest.approx(39.904211) and division.longitude == pytest.approx(116.407394)
    assert places._table().by_code["130421"].division().latitude is None     # (邯郸县: no centroid in the source)
