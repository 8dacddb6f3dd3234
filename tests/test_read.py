import codecs
import re
from pathlib import Path

import pytest

from casedb import read
from casedb.errors import InputError
from casedb.read import clean_text, read_bytes, read_path, to_simplified

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

NOTICE = "病例1:男,34岁,居住于小店区星河湾小区。4月5日—7日居家未外出。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings(encoding):
    data = NOTICE.encode(encoding)
    source = read_bytes(data, "x.txt")
    assert source.text.strip() == NOTICE


def test_traditional_is_simplified_with_the_same_offsets():
    source = read_bytes("個案2,男,44歲,與病例1同住。軌跡與病例1相同。".encode("big5"), "x.txt")
    assert len(source.simplified) == len(source.text)
    assert "个案2" in source.simplified and "轨迹与病例1相同" in source.simplified
    assert source.text.startswith("個案2")


def test_to_simplified_keeps_length_even_when_a_phrase_would_change_it():
    text = "乾隆皇帝\n關於新增1例確診病例\n"
    assert len(to_simplified(text)) == len(text)


def test_the_list_of_characters_t2s_may_change_is_the_installed_opencc_s():
    build = pytest.importorskip("scripts.build_t2s_gate")
    try:
        built = build.build()
    except OSError as err:   # no opencc_dict in this OpenCC
        pytest.skip(f"cannot export OpenCC's dictionaries: {err}")
    assert (Path(read.__file__).parent / "data" / "t2s_changed.txt").read_text(encoding="utf-8") == built


def test_the_opencc_version_is_the_one_its_package_gives():
    """The gate's version check reads the module's version, the one the build script writes (its package's)."""
    import importlib.metadata

    assert read._opencc_version() == importlib.metadata.version("opencc")
    assert read._t2s_changes() is not None


@pytest.mark.parametrize("text", ["深沈的回覆", "答覆:個案2,男,44歲", "个案2,男,44岁,与病例1同住。\n轨迹相同", "乾隆皇帝", "㝉夏银川",
                                  "1月3日,到超市购物", "臺灣", ""])
def test_a_text_without_a_character_t2s_changes_is_left_as_converting_would_leave_it(text):
    assert read._t2s_changes() is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read, "_t2s_changes", lambda: None)   # every text converted
        converted = to_simplified(text)
    assert to_simplified(text) == converted


def test_a_variant_character_reads_as_the_common_one_and_the_text_keeps_it():
    source = read_bytes("病例5,女,47岁,㝉夏银川人。".encode(), "x.txt")
    assert "宁夏银川人" in source.simplified and "㝉夏银川人" in source.text


def test_full_width_and_ocr_spaces_are_normalised():
    assert clean_text("４ 月 １３ 日２０：００，到超市") == "4月13日20:00,到超市"
    assert clean_text("许某 , 经检测 。") == "许某,经检测。"
    assert clean_text("停運(yùn)。1月3日_x000D_\n") == "停運。1月3日\n"
    assert clean_text("165438+10月9日;65438+10月25日至29日") == "11月9日;10月25日至29日"


#: the clean-up rules as they read led by their lookbehind (read.py writes them with their first character first)
_LOOKBEHIND_FIRST = {
    "_PINYIN_GLOSS": r"(?<=[\u4e00-\u9fff])\((?:[a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][a-z]*|[a-z]{1,6}[1-5])\)",
    "_SPACED_PUNCT": r"(?<![ \t\u3000])[ \t\u3000]+(?=[,，。;；:：、!！?？)）])|(?<=[,，。;；、(（])[ \t\u3000]+",
    "_OCR_SPACED": r"(?<=[0-9])[ \t\u3000]+(?=[年月日时時点點分:号號])|(?<=[年月日时時点點:])[ \t\u3000]+(?=[0-9])",
}
_SPACED_TEXTS = ["４ 月 １３ 日２０ ： ００ ，到超市", "许某 , 经检测 。 ( 见下)", "  ,a \t ,(　 x", "停運(yùn)。運 (yun3)時(shí)",
                 "2022 年 1 月 3 日 、 4 日", "", " ", "a" + " " * 50 + "，"]


@pytest.mark.parametrize("name", sorted(_LOOKBEHIND_FIRST))
def test_clean_up_rules_match_as_led_by_their_lookbehind(name):
    rule, plain = getattr(read, name), re.compile(_LOOKBEHIND_FIRST[name])
    texts = _SPACED_TEXTS + [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))[:60]]
    for text in texts + [read._to_ascii(text) for text in texts]:
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_text_without_spaces_is_cleaned_as_by_the_space_rules():
    """clean_text skips its space rules for a text without an ASCII space or tab once full-width ones are ASCII:
    every match of those rules starts with a space."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    texts += ["许某，经检测。", "４月１３日２０：００", "许某\u3000，经", "4\u3000月", "许某\t，经"]
    unspaced = [clean_text(text) for text in texts if " " not in clean_text(text) and "\t" not in clean_text(text)]
    assert len(unspaced) >= 5
    for text in unspaced:
        assert read._SPACED_PUNCT.search(text) is None and read._OCR_SPACED.search(text) is None
    assert clean_text("许某\u3000，经") == "许某,经" and clean_text("4\u3000月") == "4月"


def test_full_width_characters_become_ascii_as_translated_one_by_one():
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    # (and characters with a byte 0xFF elsewhere in UTF-32-LE, which _to_ascii searches for 0xFF: 仿 U+4EFF, U+1FF0C)
    for text in _SPACED_TEXTS + ["".join(map(chr, range(0xFF00, 0xFF62))) + "\u3000中文，（）",
                                 "仿\U0001ff0c，\U0010ff01！\uffff仿？ａ", "ＡＢ　\U0001f600１２"]:
        assert read._to_ascii(text) == text.translate(table)


def test_a_text_looks_binary_as_by_counting_its_control_characters_with_a_rule():
    binary_char = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))[:40]]
    texts += ["".join(map(chr, range(0x2000))) * 3, "病例\ufffd" * 9, "\x01\x02\x03\x04中" * 3, "\t\n\r\x0b\x0c\x7f" * 20,
              "\u4e01\u4e02\u0102\uff01" * 9 + "\x1f" * 8, "\x1f" * 9, "a" * 9000 + "\x00" * 9]
    seen = set()
    for text in texts:
        sample = text[:8192]
        by_rule = len(binary_char.findall(sample)) > max(8, len(sample) * 0.05)
        assert read._looks_binary(text) == by_rule, text[:40]
        seen.add(by_rule)
    assert seen == {True, False}


def test_html_blocks_become_lines_and_scripts_go():
    html = ("<html><head><style>p{}</style></head><body><script>var a=1;</script>"
            "<p><b>病例1</b>:男,34岁</p><div>4月5日居家未外出</div></body></html>")
    source = read_bytes(html.encode("utf-8"), "page.html")
    assert source.media_type == "text/html"
    lines = [ln for ln in source.text.splitlines() if ln.strip()]
    assert lines == ["病例1:男,34岁", "4月5日居家未外出"]


def test_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("病例1:男,34岁")
    document.add_paragraph("4月5日居家未外出")
    path = tmp_path / "notice.docx"
    document.save(path)
    source = read_path(path)
    assert source.text.splitlines()[:2] == ["病例1:男,34岁", "4月5日居家未外出"]


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\t\n", "empty file"),
    (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00\x07", "binary"),
])
def test_bad_input(data, reason):
    with pytest.raises(InputError, match=reason):
        read_bytes(data, "bad.txt")


def test_too_large(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match="too large"):
        read_path(path, max_bytes=1024)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_path(tmp_path / "missing.txt")


def test_doc_without_antiword(tmp_path, monkeypatch):
    monkeypatch.setattr("casedb.read.shutil.which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(InputError, match="antiword"):
        read_path(path)


def test_bom_is_detected():
    data = codecs.BOM_UTF8 + NOTICE.encode("utf-8")
    assert read_bytes(data, "x.txt").encoding == "utf-8-sig"


RTF_NOTICE = (r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}"
              r"{\colortbl;\red0\green0\blue0;}{\*\generator Msftedit 5.41;}\viewkind4\uc1\pard\f0\fs24 "
              r"\'b2\'a1\'c0\'fd1\'a3\'ba\'c4\'d0\'a3\'ac34\'cb\'ea\par 4\'d4\'c25\'c8\'d5\u23621?\'bc\'d2\'ce\'b4\'cd\'e2"
              r"\'b3\'f6\par}").encode("latin-1")


def test_rtf_is_read_in_its_code_page_without_its_tables():
    source = read_bytes(RTF_NOTICE, "notice.rtf")
    assert source.media_type == "application/rtf"
    assert [ln for ln in source.text.splitlines() if ln.strip()] == ["病例1:男,34岁", "4月5日居家未外出"]


@pytest.mark.parametrize("kind", ["html", "rtf", "docx"])
def test_a_doc_name_on_another_format_is_read_as_that_format(tmp_path, kind):
    path = tmp_path / "notice.doc"
    if kind == "html":
        path.write_text("<html><body><p>病例1:男,34岁</p><p>4月5日居家未外出</p></body></html>", encoding="utf-8")
    elif kind == "rtf":
        path.write_bytes(RTF_NOTICE)
    else:
        docx = pytest.importorskip("docx")
        document = docx.Document()
        document.add_paragraph("病例1:男,34岁")
        document.add_paragraph("4月5日居家未外出")
        document.save(path)
    lines = [ln for ln in read_path(path).text.splitlines() if ln.strip()]
    assert lines[:2] == ["病例1:男,34岁", "4月5日居家未外出"]


def test_a_stray_nul_byte_does_not_make_a_notice_binary():
    data = "病例1:男,34岁\x00\n4月5日居家未外出。".encode()
    assert read_bytes(data, "notice.txt").text.splitlines() == ["病例1:男,34岁", "4月5日居家未外出。"]
    with pytest.raises(InputError, match="binary"):
        read_bytes(b"\x00" * 40 + "病例1".encode(), "notice.txt")


def test_a_folder_load_reads_rtf_files(tmp_path):
    from casedb.store import load

    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "notice.rtf").write_bytes(RTF_NOTICE)
    summary = load([tmp_path / "notices"], f"sqlite:///{tmp_path / 'db.sqlite'}", workers=1)
    assert summary.files_new == 1 and summary.rows.cases == 1
