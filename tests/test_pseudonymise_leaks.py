"""Issue 19, finding 5: ``--pseudonymise`` lets nothing identifying through.

Generated notices carry, each in its own spelling: identity-card numbers (in the title), mobile and
landline phone numbers (in a place name), names of every surname of the 百家姓 with 某 and with the
masks readers use (康某某, 黄XX, 黄××, 黄**, 黄○○), e-mail addresses and WeChat ids, room numbers after
座, vehicle plates (new-energy ones, with or without a separator, lower case, full width) and exact dates
of birth. They are loaded by the real parser and exported in every format; no planted value may reach any
exported file. A plain export of the same notice is checked to hold them, so the test means something.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from casedb.export import EARLIEST_DATE, FORMATS, export
from casedb.pseudonymise import NAME_PLACEHOLDER, SURNAMES, pseudonymise_text, scrub_names
from casedb.store import load

#: The 百家姓's single-character surnames: the full list every one of which must be scrubbed.
BAIJIAXING = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方"
    "俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧"
    "计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫"
    "经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓"
    "牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙"
    "池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍卻璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰"
    "巢关蒯相查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴墨哈谯笪年爱阳佟言福"
)
#: Common surnames outside the 百家姓, and compound surnames.
OTHER_SURNAMES = ("肖", "覃", "付", "兰", "冼", "邝", "欧阳", "司马", "上官", "诸葛", "慕容", "令狐")
#: How a name is written: 某 for the given name, or a reader's mask.
NAME_TAILS = ("某某", "某", "某军", "某华", "XX", "××", "**", "○○", "xx", "某X", "先生", "女士")
ALL_SURNAMES = tuple(BAIJIAXING) + OTHER_SURNAMES

DIGITS = "0123456789"
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
FULL_WIDTH = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")


def test_every_surname_of_the_full_list_is_scrubbed_in_every_spelling():
    assert set(BAIJIAXING) | set(OTHER_SURNAMES) <= set(SURNAMES)
    missed = [surname + tail for surname, tail in itertools.product(ALL_SURNAMES, NAME_TAILS)
              if scrub_names(f"到{surname}{tail}家中") != f"到{NAME_PLACEHOLDER}家中"]
    assert not missed, f"{len(missed)} names kept: {missed[:20]}"


@pytest.mark.parametrize("text", [
    "到某公司上班", "在某超市购物", "于某小区", "到和某单位", "家某公司", "公园美地新领寓小区", "XX大厦", "D2424次列车",
    "2022-04-11检测", "4月2日20:00", "K1234次", "茂业天地楼下喜茶店",
])
def test_ordinary_words_are_not_taken_for_names_or_numbers(text):
    assert pseudonymise_text(text) == text


# --- generated notices -----------------------------------------------------------------------------------

digits = st.text(DIGITS, min_size=1, max_size=1)


@st.composite
def id_cards(draw) -> str:
    birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2015, 12, 31)))
    region = draw(st.sampled_from(["130102", "140105", "110101", "440305", "510107"]))
    serial = draw(st.integers(0, 999))
    check = draw(st.sampled_from(list(DIGITS) + ["X", "x"]))
    return f"{region}{birth:%Y%m%d}{serial:03d}{check}"


@st.composite
def phones(draw) -> tuple[str, str]:
    """(as written, digits only)."""
    if draw(st.booleans()):
        number = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(digits, min_size=9, max_size=9)))
        spelling = draw(st.sampled_from(["{n}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {n}", "+86-{n}", "86{n}"]))
        written = spelling.format(n=number, a=number[:3], b=number[3:7], c=number[7:])
    else:
        area = draw(st.sampled_from(["010", "021", "0311", "0351", "0755"]))
        local = draw(st.sampled_from("2345678")) + "".join(draw(st.lists(digits, min_size=7, max_size=7)))
        number = area + local
        written = draw(st.sampled_from(["{a}-{l}", "{a}{l}", "({a}){l}", "（{a}）{l}", "{a} {l}"])).format(a=area, l=local)
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
    return written, number


names = st.builds(lambda surname, tail: surname + tail, st.sampled_from(ALL_SURNAMES), st.sampled_from(NAME_TAILS))
emails = st.builds(lambda local, domain, tld: f"{local}@{domain}.{tld}",
                   st.from_regex(r"[a-z][a-z0-9._]{3,10}[a-z0-9]", fullmatch=True),
                   st.from_regex(r"[a-z]{2,8}", fullmatch=True), st.sampled_from(["com", "cn", "net", "com.cn"]))
wechat_ids = st.from_regex(r"wxid_[a-z0-9]{8,14}|[a-zA-Z][-_a-zA-Z0-9]{5,15}", fullmatch=True)
wechat_labels = st.sampled_from(["微信号", "微信号:", "微信：", "微信号为", "VX", "wechat:", "WeChat ID "])


@st.composite
def rooms(draw) -> tuple[str, str]:
    """(as written after the compound, the room number)."""
    room = str(draw(st.integers(3000, 9899)))
    block = draw(st.sampled_from("ABCDEF"))
    return f"{block}座{room}{draw(st.sampled_from(['', '室', '房间']))}", room


@st.composite
def plates(draw) -> tuple[str, str]:
    """(as written, the part after the province and letter)."""
    body = "".join(draw(st.lists(digits, min_size=5, max_size=5)))
    kind = draw(st.sampled_from(["small_ev", "large_ev", "petrol"]))
    energy = draw(st.sampled_from("DF"))
    tail = {"small_ev": energy + body, "large_ev": body + energy, "petrol": body}[kind]
    plate = draw(st.sampled_from(PROVINCES)) + draw(st.sampled_from(PLATE_LETTERS))
    written = plate[0] + draw(st.sampled_from(["", " "])) + plate[1] + draw(st.sampled_from(["", "·", " ", "-", "."])) + tail
    style = draw(st.sampled_from(["as is", "lower", "full width"]))
    if style == "lower":
        written = written.lower()
    elif style == "full width":
        written = written.translate(FULL_WIDTH)
    return written, tail


@st.composite
def birthdates(draw) -> tuple[str, dt.date]:
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2015, 12, 31)))
    spelling = draw(st.sampled_from(["{d.year}年{d.month}月{d.day}日出生", "出生日期：{d:%Y-%m-%d}",
                                     "生于{d.year}年{d.month}月{d.day}日", "{d.year}.{d.month}.{d.day}生",
                                     "{d.year}年{d.month}月{d.day}日生"]))
    return spelling.format(d=born), born


def notice(id_card: str, phone: tuple[str, str], landline: tuple[str, str], host: str, other: str, relative: str,
           email: str, wechat_label: str, wechat: str, room: tuple[str, str], plate: tuple[str, str],
           birth: tuple[str, dt.date]) -> tuple[str, dict[str, list[str]], dt.date]:
    """A notice text with these values planted, the values that must not reach an export (by kind), and the
    date of birth."""
    (phone, phone_digits), (landline, landline_digits) = phone, landline
    (room, room_number), (plate, plate_tail), (birth, born) = room, plate, birth
    text = f"""关于病例48—49活动轨迹的通告（身份证号{id_card}）

(2022年第42号)

现将病例48—49活动轨迹通告如下:

病例48

女,56岁,居住于万柏林区松源小区{room},{birth},系病例44的弟媳。4月2日20:00左右在{host}家（联系电话{phone}）聚餐;\
4月3日乘坐{plate}出租车到{other}家（{wechat_label}{wechat}）;4月4日到{relative}开的便利店（邮箱{email}）购物;\
4月5日到华联超市（电话{landline}）购物;4月6日到{host}家（{birth}）聚餐。4月11日核酸检测结果阳性。

病例49

男,19岁,居住于万柏林区公园美地新领寓小区。4月2日20:00左右在茂业天地楼下喜茶店买奶茶;4月7日22:00左右在{other}便利店\
购物。4月11日核酸检测结果阳性。

太原市疫情防控领导小组办公室
2022年4月13日
"""
    secrets = {
        "id card": [id_card, id_card[:17]],
        "phone": [phone, phone_digits, landline, landline_digits],
        "name": [host, other, relative],
        "e-mail": [email, email.split("@")[0]],
        "wechat": [wechat],
        "room": ["座" + room_number, room_number],
        "plate": [plate, plate_tail, plate_tail.translate(FULL_WIDTH)],
        "birthdate": [birth, f"{born:%Y-%m-%d}", f"{born.year}年{born.month}月{born.day}日"],
    }
    return text, secrets, born


planted_notices = st.builds(notice, id_cards(), phones(), phones(), names, names, names, emails, wechat_labels,
                            wechat_ids, rooms(), plates(), birthdates())
FIXED_NOTICE = notice("130102199003071234", ("0311-86543210", "031186543210"), ("13812345678", "13812345678"),
                      "康某某", "黄XX", "常某某", "kang.san@qq.com", "微信号", "zhangsan_88", ("B座8503", "8503"),
                      ("冀A·D12345", "D12345"), ("1990年3月7日出生", dt.date(1990, 3, 7)))


def _exported_values(written) -> list:
    """Every value of every exported file (column names included), except the document source and the
    parser version (which this test does not plant into) and hex case pseudonyms."""
    values: list = []
    for path in dict.fromkeys(path for path, _rows in written.values()):     # an xlsx workbook holds every table
        if path.suffix == ".xlsx":
            from openpyxl import load_workbook

            for sheet in load_workbook(path, read_only=True).worksheets:
                rows = sheet.iter_rows(values_only=True)
                header = next(rows)
                values.extend(header)
                values.extend(value for row in rows for column, value in zip(header, row)
                              if value is not None and column not in ("source", "parser_version"))
            continue
        if path.suffix in (".json", ".geojson"):
            data = json.loads(path.read_text(encoding="utf-8"))
            frame = None
            stack = [data]
            while stack:
                item = stack.pop()
                if isinstance(item, dict):
                    stack.extend(v for k, v in item.items() if k not in ("source", "sourceUrl", "parser_version"))
                    values.extend(item)
                elif isinstance(item, list):
                    stack.extend(item)
                else:
                    values.append(item)
            continue
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        values.extend(frame.columns)
        for column in frame.columns:
            if column not in ("source", "parser_version"):
                values.extend(v for v in frame[column] if not (v is None or v is pd.NA or v is pd.NaT
                                                             or (isinstance(v, float) and v != v)))
    return [v for v in values if not (isinstance(v, str) and re.fullmatch(r"[0-9a-f]{16}", v))]


def _leaks(values: list, secrets: dict[str, list[str]], born: dt.date) -> list[tuple[str, str, object]]:
    strings = [v for v in values if isinstance(v, str)]
    found = [(kind, secret, value) for kind, planted in secrets.items() for secret in planted
             for value in strings if len(secret) >= 2 and secret in value]
    for value in values:
        day = None
        if isinstance(value, (dt.date, pd.Timestamp)):
            day = value.date() if isinstance(value, (dt.datetime, pd.Timestamp)) else value
        elif isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value[:10])
        if day is not None and (day < EARLIEST_DATE or day == born):
            found.append(("birthdate", str(born), value))
    return found


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One database for the module; each example adds a notice of its own."""
    folder = tmp_path_factory.mktemp("leaks")
    return folder, f"sqlite:///{folder / 'casedb.sqlite'}", itertools.count(1)


def _load_one(workspace, text: str) -> tuple[Path, str]:
    folder, url, numbers = workspace
    notices = folder / f"notices{next(numbers)}"
    notices.mkdir()
    (notices / "notice.txt").write_text(text, encoding="utf-8")
    assert load([notices], url, workers=1).files_failed == 0
    return notices, url


def test_a_plain_export_holds_what_was_planted(workspace, tmp_path):
    """Without --pseudonymise the planted values do reach the files: the leak test below means something."""
    from casedb.store import connect

    text, secrets, born = FIXED_NOTICE
    _notices, url = _load_one(workspace, text)
    values = _exported_values(export(connect(url), tmp_path, fmt="csv"))
    kinds = {kind for kind, _secret, _value in _leaks(values, secrets, born)}
    assert kinds >= {"id card", "phone", "name", "e-mail", "wechat", "room", "plate", "birthdate"}, kinds


def test_the_fixed_notice_leaks_nothing_pseudonymised(workspace, tmp_path):
    from casedb.store import connect

    text, secrets, born = FIXED_NOTICE
    _notices, url = _load_one(workspace, text)
    for fmt in FORMATS:
        values = _exported_values(export(connect(url), tmp_path / fmt, fmt=fmt, pseudonymise=True, salt="s"))
        assert not _leaks(values, secrets, born), fmt


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(planted=planted_notices)
def test_no_planted_value_reaches_any_pseudonymised_export(workspace, tmp_path_factory, planted):
    from casedb.store import connect

    text, secrets, born = planted
    _notices, url = _load_one(workspace, text)
    engine = connect(url, read_only=True)
    try:
        for fmt in FORMATS:
            out = tmp_path_factory.mktemp(f"pseudonymised-{fmt}")
            values = _exported_values(export(engine, out, fmt=fmt, pseudonymise=True, salt="s"))
            assert values
            leaks = _leaks(values, secrets, born)
            assert not leaks, (fmt, leaks[:5])
    finally:
        engine.dispose()
