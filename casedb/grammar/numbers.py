"""Chinese numerals: 一 → 1, 十三 → 13, 四十八 → 48, 一百零五 → 105, 两 → 2, also Arabic digits."""
from __future__ import annotations

import re
from functools import lru_cache

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

#: A Chinese numeral, as a regex fragment (no groups).
CN_NUMERAL = "[零〇○一二两兩三四五六七八九十拾百佰千仟]+"
#: An Arabic or Chinese number.
NUMBER = rf"(?:\d+|{CN_NUMERAL})"

_ARABIC = re.compile(r"^\d+$")


@lru_cache(maxsize=4096)   # the same few numerals (short by nature) are read again and again
def parse_number(text: str) -> int | None:
    """The value of ``text`` (Arabic digits or a Chinese numeral), None if it is not a number."""
    text = text.strip()
    if not text:
        return None
    if _ARABIC.match(text):
        return int(text)
    if any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if all(ch in DIGITS for ch in text) and len(text) > 1:  # 二〇二二: digit by digit
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, current = 0, None
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            total += (1 if current is None else current) * UNITS[ch]
            current = None
    return total + (current or 0)
