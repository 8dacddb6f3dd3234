"""bytes → :class:`SourceText`: decoding, HTML / Word extraction and OCR clean-up.

``SourceText.text`` is the document text every span points into. It is the decoded text
after extraction and clean-up (full-width ASCII → ASCII, OCR spaces inside dates and
numbers removed, ``_x000D_`` spreadsheet artefacts dropped). ``simplified`` is the same
text converted traditional → simplified character by character, so it has the same
length and offsets.
"""
from __future__ import annotations

import codecs
import io
import re
import shutil
from functools import lru_cache
from importlib import resources
from pathlib import Path

from casedb import limits
from casedb.errors import InputError
from casedb.grammar.scan import compile_rule
from casedb.records import SourceText

HTML_MEDIA = "text/html"
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_MEDIA = "application/msword"
RTF_MEDIA = "application/rtf"
#: Word 97 files start with the OLE compound-file signature; a ".doc" without it is another format saved so.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: The reason a .doc file fails when antiword is missing (the CLI sums these up in one line).
NO_ANTIWORD = "Word 97 .doc files need the antiword program, which is not installed"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split())
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head"})

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<meta|<div|<p[\s>])", re.I)
_SPREADSHEET_CR = re.compile(r"_x000D_")
# The clean-up rules are written with the character a match starts with first (a lookbehind moved after it:
# ``(?<=X)\(`` as ``\((?<=X\()``), so that the regex engine skips through a page to those characters
# (the same matches, tests/test_read.py; 5–10× faster than a rule led by its lookbehind).
# converter glosses after a character: 運(yùn), 時(shí)
_PINYIN_GLOSS = re.compile(r"\((?<=[\u4e00-\u9fff]\()(?:[a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][a-z]*|[a-z]{1,6}[1-5])\)")
# a number-mangling converter writes 10 as "65438+10" and 11 as "165438+10" (165438+10月9日 = 11月9日)
_MANGLED = "65438+10"
_MANGLED_TEN = compile_rule(r"(?<![\d+])(1?)65438\+10(?!\d)")
_SPACE = r"[ \t\u3000]"
# SEO copies space out Chinese punctuation: "许某 , 经"
# (each run is matched from its first space only: a long run of spaces stays linear)
_SPACED_PUNCT = re.compile(rf"{_SPACE}(?<!{_SPACE}{_SPACE}){_SPACE}*(?=[,，。;；:：、!！?？)）])"
                           rf"|{_SPACE}(?<=[,，。;；、(（]{_SPACE}){_SPACE}*")
# OCR puts spaces between the parts of dates and times: "4 月 13 日", "20 : 00", "2022 年".
_OCR_SPACED = re.compile(rf"{_SPACE}(?<=[0-9]{_SPACE}){_SPACE}*(?=[年月日时時点點分:号號])"
                         rf"|{_SPACE}(?<=[年月日时時点點:]{_SPACE}){_SPACE}*(?=[0-9])")


def read_path(path, max_bytes: int | None = None) -> SourceText:
    """Read a file (plain text in any common Chinese encoding, HTML, .docx or .doc).

    Files over ``max_bytes`` (default :data:`casedb.limits.MAX_FILE_BYTES`) are refused unread.
    """
    path = Path(path)
    max_bytes = limits.MAX_FILE_BYTES if max_bytes is None else max_bytes
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise InputError(source, f"cannot read file ({err.strerror})") from err
    if size > max_bytes:
        raise limits.too_large(source, size, max_bytes)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        with path.open("rb") as head:
            if head.read(len(_OLE_MAGIC)) == _OLE_MAGIC:
                return _finish(_doc_text(path), "antiword", DOC_MEDIA, source)
        # HTML, RTF or .docx saved with a .doc name (what "save as Word" in many tools does): read as what it is
    return read_bytes(path.read_bytes(), source, max_bytes=max_bytes)


def read_bytes(data: bytes, source: str, max_bytes: int | None = None) -> SourceText:
    """Decode bytes whose kind is sniffed from the content (docx zip, HTML, plain text)."""
    max_bytes = limits.MAX_FILE_BYTES if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise limits.too_large(source, len(data), max_bytes)
    if not data.strip():
        raise InputError(source, "empty file")
    if data.startswith(b"PK\x03\x04"):
        return _finish(_docx_text(data, source), "docx", DOCX_MEDIA, source)
    if data.startswith(_OLE_MAGIC):
        raise InputError(source, "Word 97 .doc data: save the file with a .doc suffix (needs antiword)")
    if data.lstrip().startswith(b"{\\rtf"):
        return _finish(rtf_to_text(data), "rtf", RTF_MEDIA, source)
    text, encoding = decode(data, source)
    if _HTML_SNIFF.match(text[:512].encode("utf-8", "replace")[:512]):   # (a character is one byte or more)
        return _finish(html_to_text(text), encoding, HTML_MEDIA, source)
    return _finish(text, encoding, "text/plain", source)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding name) of plain-text bytes: BOM, UTF-8, UTF-16 without BOM, GB18030, Big5, else detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, source), encoding
    bom_less_utf16 = _utf16_without_bom(data)
    if bom_less_utf16:
        return _strict(data, bom_less_utf16, source), bom_less_utf16
    if b"\x00" in data:
        # a stray NUL or two in a text file (a bad copy) is dropped; many of them make it binary
        if data.count(b"\x00") > max(2, len(data) // 1000):
            raise InputError(source, "binary data (not a text file)")
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if not _PRIVATE_USE.search(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    try:  # Big5 bytes decode as GB18030 too, but into private-use characters
        return data.decode("big5hkscs"), "big5hkscs"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(source, "unknown text encoding")
    return str(best), best.encoding


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(source, f"invalid {encoding} data at byte {err.start}") from err


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le / utf-16-be when NUL bytes sit at every other position (CJK and ASCII text)."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.2 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > half * 0.2 and odd_nuls == 0:
        return "utf-16-be"
    return None


def html_to_text(html: str) -> str:
    """Visible text of an HTML page; block elements become line breaks, scripts and styles are dropped."""
    from bs4 import BeautifulSoup, Comment, NavigableString

    soup = BeautifulSoup(html, "lxml")
    parts: list[str] = []
    # depth-first with a stack of its own: junk pages nest elements thousands deep
    block_end = object()
    stack = list(reversed(list((soup.body or soup).children)))
    while stack:
        node = stack.pop()
        if node is block_end:
            parts.append("\n")
            continue
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(re.sub(r"\s+", " ", str(node)))
            continue
        name = (node.name or "").lower()
        if name in _DROPPED_TAGS:
            continue
        if name in _BLOCK_TAGS:
            parts.append("\n")
            stack.append(block_end)
        stack.extend(reversed(list(node.children)))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _docx_text(data: bytes, source: str) -> str:
    import docx

    limits.check_unpacked_size(data, source)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises several unrelated types for broken zips
        raise InputError(source, f"not a readable .docx file ({err})") from err
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _doc_text(path: Path) -> str:
    import subprocess   # (here: a parse of text pages starts no program)

    antiword = shutil.which("antiword")
    if antiword is None:
        raise InputError(str(path), f"{NO_ANTIWORD} (Debian/Ubuntu: apt-get install antiword)")
    # -w 0: one line per paragraph (antiword's default wrapping cut words in two: 202⏎1年, 石⏎家庄市)
    proc = subprocess.run([antiword, "-w", "0", "-m", "UTF-8.txt", str(path)], capture_output=True, timeout=120)
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["antiword failed"]
        raise InputError(str(path), f"cannot read .doc file: {reason[0]}")
    return proc.stdout.decode("utf-8", "replace")


_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|[\r\n]+|([^\\{}\r\n]+)")
#: Groups whose text is not the document's (font and colour tables, pictures, metadata…).
_RTF_SKIPPED = frozenset(b"fonttbl colortbl stylesheet info pict header footer headerl headerr footerl footerr "
                         b"object themedata datastore latentstyles xmlnstbl listtable listoverridetable rsidtbl "
                         b"generator mmathPr fldinst".split())
_RTF_CODEPAGES = {936: "gb18030", 950: "big5", 54936: "gb18030", 65001: "utf-8"}


def rtf_to_text(data: bytes) -> str:
    """The text of an RTF document: paragraphs as lines, ``\\'hh`` bytes decoded in the document's code
    page (``\\ansicpg936`` → GB18030), ``\\uN`` characters, and the tables, pictures and metadata left out."""
    codepage = re.search(rb"\\ansicpg(\d+)", data[:2048])
    encoding = _RTF_CODEPAGES.get(int(codepage.group(1)), f"cp{int(codepage.group(1))}") if codepage else "cp1252"
    out, pending, stack, skip_depth, fallback, skip_chars = [], bytearray(), [], None, 1, 0

    def flush():
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for m in _RTF_TOKEN.finditer(data):
        word, number, hex_byte, symbol, brace, plain = m.groups()
        if brace:
            flush()
            if brace == b"{":
                stack.append(fallback)
            else:
                fallback = stack.pop() if stack else 1
                if skip_depth is not None and len(stack) < skip_depth:
                    skip_depth = None
            continue
        if skip_depth is not None:
            continue
        if symbol == b"*" or word in _RTF_SKIPPED:
            skip_depth = len(stack)
        elif skip_chars and (hex_byte or plain):
            skip_chars -= 1
            if plain and len(plain) > 1:
                pending.extend(plain[1:])
        elif hex_byte:
            pending.append(int(hex_byte, 16))
        elif plain:
            pending.extend(plain)
        elif symbol:
            pending.extend(symbol if symbol in b"\\{}" else b"")
        elif word in (b"par", b"line", b"row"):
            flush()
            out.append("\n")
        elif word in (b"tab", b"cell"):
            flush()
            out.append("\t")
        elif word == b"uc":
            fallback = int(number or 1)
        elif word == b"u" and number is not None:
            flush()
            out.append(chr(int(number) % 65536))
            skip_chars = fallback
    flush()
    return "".join(out)


def _finish(raw: str, encoding: str, media_type: str, source: str) -> SourceText:
    text = clean_text(raw)
    if not text.strip():
        raise InputError(source, "empty file")
    limits.check_text(text, source)
    if _looks_binary(text):
        raise InputError(source, "binary data (not a text file)")
    return SourceText(text=text, simplified=to_simplified(text), encoding=encoding, media_type=media_type)


#: The ASCII characters other than control characters (line breaks and tabs are none), as bytes: what
#: :func:`_looks_binary` drops
_NOT_CONTROL = bytes(range(0x20, 0x80)) + b"\t\n\x0b\x0c\r"


def _looks_binary(text: str) -> bool:
    """Whether the text opens with many control characters (other than line breaks and tabs) or replacement
    characters of bad bytes (U+FFFD). The control characters are counted in the ASCII bytes of the text (the encoder
    drops the others) and U+FFFD with str.count: a third of the cost of a regex class tried at each character."""
    sample = text[:8192]
    controls = len(sample.encode("ascii", "ignore").translate(None, _NOT_CONTROL)) + sample.count("\ufffd")
    return controls > max(8, len(sample) * 0.05)


def clean_text(raw: str) -> str:
    """Line ends to ``\\n``, NUL characters (PostgreSQL cannot store them), spreadsheet ``_x000D_`` and
    converter pinyin glosses dropped, full-width ASCII → ASCII, spaces around Chinese punctuation and
    inside OCR dates removed."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").lstrip("\ufeff")
    text = _SPREADSHEET_CR.sub("", text)
    text = _PINYIN_GLOSS.sub("", _to_ascii(text))
    if _MANGLED in text:
        text = _MANGLED_TEN.sub(lambda m: "11" if m.group(1) else "10", text)
    if " " not in text and "\t" not in text:   # the space rules remove spaces only (full-width ones are ASCII now)
        return text
    text = _SPACED_PUNCT.sub("", text)
    return _OCR_SPACED.sub("", text)


#: full-width ASCII and the ideographic space, each with the ASCII character it stands for
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
#: The full-width characters Chinese notices are written with most (a page holds hundreds of ，), and the
#: ideographic space, which :func:`_to_ascii` replaces first
_COMMON_FULL_WIDTH = "，；：（）\u3000"


def _to_ascii(text: str) -> str:
    """Full-width ASCII → ASCII, each full-width character the text holds replaced all at once (a page holds
    a dozen or so of them: five times faster than translating the text character by character).

    The common ones (:data:`_COMMON_FULL_WIDTH`) are replaced whether the text holds them or not (str.replace finds
    a character with memchr), the others found in the text's UTF-32-LE bytes, where each character is four bytes and
    one of U+FF01–FF5E has 0xFF second: the bytes are searched for 0xFF (memchr), each hit looked up as the character
    it falls in (a 0xFF elsewhere is another character's). A regex class tried at each character costs twice as much."""
    for char in _COMMON_FULL_WIDTH:
        text = text.replace(char, _FULL_WIDTH[char])
    code = text.encode("utf-32-le")
    at = code.find(b"\xff")
    while at >= 0:
        char = text[at >> 2]
        half_width = _FULL_WIDTH.get(char)
        if half_width is not None:
            text = text.replace(char, half_width)
        at = code.find(b"\xff", at + 1)
    return text


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


#: Variant characters that old converters wrote for a common one (㝉 for 宁 in 㝉夏, 南㝉市), which
#: OpenCC leaves as they are.
_VARIANTS = str.maketrans({"㝉": "宁"})


@lru_cache(maxsize=1)
def _t2s_changes() -> re.Pattern | None:
    """A rule matching any character the installed OpenCC's t2s conversion may change, or a variant character
    (:data:`_VARIANTS`), from ``casedb/data/t2s_changed.txt`` (``scripts/build_t2s_gate.py``); None when that file
    was built from another OpenCC version. Any character beyond the Basic Multilingual Plane is taken as one
    that may change: the regex engine tests a class of those one by one, those of the plane with one lookup."""
    header, characters = resources.files("casedb").joinpath("data/t2s_changed.txt").read_text(
        encoding="utf-8").splitlines()[:2]
    if header.removeprefix("# opencc ").split(":")[0] != _opencc_version():
        return None
    plane = "".join(char for char in characters if char <= "\uffff")
    return re.compile(f"[{re.escape(plane)}㝉\U00010000-\U0010ffff]")


def _opencc_version() -> str:
    """The installed OpenCC's version: the module's own, else its package's (``importlib.metadata``, which takes
    longer to import than the parse of a page)."""
    import opencc

    version = getattr(opencc, "__version__", None)
    if version is None:
        import importlib.metadata

        version = importlib.metadata.version("opencc")
    return version


def to_simplified(text: str) -> str:
    """Traditional → simplified with the same length: per line, falling back to per character; variant
    characters (:data:`_VARIANTS`) become the common one. A text without a character OpenCC may change (a text in
    simplified characters) is returned as it is, unconverted."""
    changes = _t2s_changes()
    if changes is not None and changes.search(text) is None:
        return text
    converter = _t2s()
    out = []
    for line in text.splitlines(keepends=True):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(_one_char(converter, ch) for ch in line)
        out.append(converted)
    simplified = "".join(out)
    return simplified.translate(_VARIANTS) if "㝉" in simplified else simplified


def _one_char(converter, ch: str) -> str:
    converted = converter.convert(ch)
    return converted if len(converted) == 1 else ch
