"""casedb.places: normalisation, administrative placement and categories, against the corpora."""
from __future__ import annotations

import time

import pytest

from casedb.places import (
    Division, categorise, locate, normalise_place, place_columns, residence_columns,
)
from tests.corpus.places_category import CATEGORIES
from tests.corpus.places_locate import LOCATE
from tests.corpus.places_normalise import DISTINCT, FIELDS, SAME_PLACE


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
    municipality = locate("天津市杨柳青镇")
    assert (municipality.province, municipality.city, municipality.district) == ("天津市", "天津市", None)


def test_locate_gives_no_coordinates_it_does_not_have():
    """龙港市 (2019) has no centroid in the source: it is placed, without invented coordinates."""
    division = locate("龙港市", "温州市")
    assert division.district == "龙港市" and division.latitude is None and division.longitude is None


def test_ambiguous_name_in_one_province_resolves_to_the_province():
    """鼓楼区 of 南京 and of 徐州 are both in 江苏, but 江苏省 fixes neither."""
    assert locate("江苏省鼓楼区").adcode == "320000"


def test_locate_is_fast():
    texts = [f"{district}{n}号" for n in range(300) for district in ("鼓楼区五四路", "藁城区增村镇", "万达广场")]
    locate.cache_clear()
    started = time.perf_counter()
    for text in texts:
        locate(text, "福州市")
    assert len(texts) / (time.perf_counter() - started) > 2000


CATEGORY_CASES = [(category, name) for category, names in CATEGORIES.items() for name in names]


@pytest.mark.parametrize("category,name", CATEGORY_CASES, ids=[n or "empty" for _, n in CATEGORY_CASES])
def test_categorise(category, name):
    assert categorise(name) == category


def test_place_columns():
    columns = place_columns("在鼓楼区东街口百货门口", "福州市")
    assert columns == {
        "normalised_name": "鼓楼区东街口百货", "qualifier": "门口", "category": "mall",
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
