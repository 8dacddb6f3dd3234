"""Pseudonymisation of exported data: what a collaborator receives should not expose anyone
more than the published notice did, and less where that is cheap.

- ``scrub_names``: surname-level names (陈某某, 张某军, 谢某, 李女士) → ``[姓名]``.
- ``strip_house_numbers``: building/unit/room/house numbers (12号楼3单元502, 和平路8号) removed,
  which leaves an address at compound, road or district level.
- ``mask_plates``: vehicle plates (冀A12345 → 冀A*****).
- ``case_pseudonym``: a stable salted hash for a case (same salt and key → same id).
- ``age_bands``: 10-year age bands, merged with neighbours until each has at least k cases.

What it does not do: find full names written without 某 (张政), nor make a case unlinkable to
the public notice it came from (labels and dates stay, as in the notice).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter

NAME_PLACEHOLDER = "[姓名]"

# Single-character surnames: the whole 百家姓 (438), other common modern ones (肖, 覃, 付, 兰…),
# and their traditional forms. Surnames that are also common words (于, 和, 家, 路…) are
# ``_AMBIGUOUS_SURNAMES``: a bare 于某 before 公司/超市… is "at some company", not a name.
_SINGLE_SURNAMES = (
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳"
    "酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞"
    "熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓"
    "郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双闻莘党翟谭贡劳逄姬申扶堵"
    "冉宰郦雍卻璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东"
    "欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢"
    "况郈有琴商牟佘佴墨哈谯笪年爱阳佟言福肖覃付兰冼苟揭练邝粟眭庹禤仝母代麦粘过贠鄞寸綦植位芦蒿杞銮卿隋邸丘丛保僧原台宇官扬木"
    "来栗沿畅稽苑衣辜迟谌银"
    # traditional forms
    "劉吳呂嚴孫嶽張楊湯溫盧範紀羅聶華萬葉蔣蕭蘇蘭許謝譚費賀賈趙鄒鄔鄧鄭錢鍾閆陳陸韋韓顏顧饒馬馮魯黃齊龍龐龔衛竇雲鳳鮑畢樂時餘貝"
    "計談項藍閔強婁駱經繆幹應賁單諸鈕榮儲烏車宮寧欒鈄厲薊懷從鹹賴藺喬陰蒼雙聞黨貢勞酈壽邊郟農別莊閻連習魚終滿國廣祿闕東歐師鞏厙"
    "闞簡養須豐關後荊紅遊權蓋晉塗欽帥緱況譙愛陽練鄺麥過貟蘆鑾叢臺揚來暢諶遲銀"
)
_AMBIGUOUS_SURNAMES = "于於和时時成明文国國公东東年有后後相能通别別空那平山水云雲红紅居步终終充须須益万萬从從向路家车車经經干应應单單全都乐樂元方常过過代来來台原官保位言福爱愛阳陽商"
_COMPOUND_SURNAMES = (
    "万俟", "司马", "上官", "欧阳", "夏侯", "诸葛", "闻人", "东方", "赫连", "皇甫", "尉迟", "公羊", "澹台", "公冶",
    "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "公孙", "仲孙", "轩辕", "令狐", "钟离", "宇文", "长孙", "慕容",
    "鲜于", "闾丘", "司徒", "司空", "亓官", "司寇", "仉督", "子车", "颛孙", "端木", "巫马", "公西", "漆雕", "乐正",
    "壤驷", "公良", "拓跋", "夹谷", "宰父", "谷梁", "段干", "百里", "东郭", "南门", "呼延", "归海", "羊舌", "微生",
    "梁丘", "左丘", "东门", "西门", "伯赏", "南宫", "第五",
    "司馬", "歐陽", "諸葛", "聞人", "東方", "赫連", "尉遲", "澹臺", "濮陽", "單于", "公孫", "仲孫", "軒轅", "鍾離",
    "長孫", "鮮于", "閭丘", "子車", "顓孫", "巫馬", "樂正", "壤駟", "夾谷", "穀梁", "段幹", "東郭", "南門", "歸海",
    "東門", "西門", "伯賞", "南宮",
)
#: Every surname the name rule knows (single characters and compound surnames).
SURNAMES = tuple(dict.fromkeys(_SINGLE_SURNAMES)) + _COMPOUND_SURNAMES
# Characters that follow a bare "X某" in narrative text and so are not part of a given name.
_PLACE_WORD = "公单小医超饭餐酒商工店厂村镇街路处地企学银宾市县区省楼场"  # 某公司, 某单位, 某小区…
_NOT_GIVEN_NAME = (
    "到去在于与和及系为是乘坐驾自从前往回家等人的了、，,。；;：:（）() 因也均曾同其"
    + _PLACE_WORD
    + "妻夫哥姐弟妹爸妈父母儿女子孙被返经托开送接陪骑走步打搭约买吃看"  # 李某哥, 李某被…
)
# How notices and their readers mask a given name: 黄XX, 黄××, 黄**, 黄○○, 黄某X.
_MASK = "XＸxｘ×✕✖*＊○〇◯●"
_GIVEN = r"[^\W\d_" + re.escape(_NOT_GIVEN_NAME + _MASK) + r"]"
_NAME_TAIL = (
    rf"(?:[{re.escape(_MASK)}]{{1,3}}某?|某(?:[某{re.escape(_MASK)}]{{1,2}}|{_GIVEN})?|先生|女士|小姐)"
)
_UNAMBIGUOUS = "".join(sorted(set(_SINGLE_SURNAMES) - set(_AMBIGUOUS_SURNAMES)))
NAME_PATTERN = re.compile(
    "(?:" + "|".join(_COMPOUND_SURNAMES) + ")" + _NAME_TAIL
    + "|[" + _UNAMBIGUOUS + "]" + _NAME_TAIL
    # a surname that is also a word: not a bare 于某/和某 before 公司, 超市, 小区…
    + "|[" + "".join(sorted(set(_AMBIGUOUS_SURNAMES))) + "]"
    + rf"(?:(?!某[{_PLACE_WORD}]){_NAME_TAIL})"
)

_NUM = r"[0-9０-９一二三四五六七八九十百千零〇两]+"
_UNIT_ID = rf"(?:{_NUM}[A-Za-zＡ-Ｚ]?|[A-Za-zＡ-Ｚ])"
# One address component: building, unit, floor, room, house number, village group,
# or a hyphenated 12-3-502 (not a date). A bare 号 is a house number unless it names a metro line, gate, exit,
# platform, a case (第3号病例) or a day of the month (1月12号).
_COMPONENT = (
    rf"(?:附|之)?{_UNIT_ID}(?:号楼|号院|栋|幢|单元|层|楼|室|组|号(?!线|门|口|站|航站|车厢|病例|确诊|患者|无症状))"
    rf"|(?!(?:19|20)[0-9]{{2}}[-－])[0-9０-９]+(?:[-－][0-9０-９]+)+(?:室|号)?(?![0-9０-９月日时点岁])"
)
# Not after 第 (第3号), 月 (1月12号) or a label (病例48-51).
HOUSE_NUMBER = re.compile(
    rf"(?<![第月例者0-9０-９A-Za-z\-－])(?:{_COMPONENT})+(?:{_NUM}(?:室|号)?(?![0-9０-９]))?"
)
# A room number after a block letter (A座1503, B座-1203) or before 房/房间 (1503房间).
ROOM_NUMBER = re.compile(
    rf"(?<=座)(?:{_COMPONENT})*[-－]?[0-9０-９]{{2,5}}(?:室|房间|房|号)?(?![0-9０-９年月日时点分岁人例次])"
    r"|(?<![0-9０-９])[0-9０-９]{2,5}房间?"
)
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
_PLATE_SEPARATOR = r"[·・.．\s\-－—_]"
_PLATE_SEP = _PLATE_SEPARATOR + "?"
_PLATE_CHAR = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]"
# A plate in any spelling: 冀A12345, 冀AD12345 and 冀A12345D (new energy), 冀A·D12345, 冀A D12345, 冀a-d12345,
# 冀Ａ１２３４５ (full width), 冀A1234挂/学/警.
PLATE_PATTERN = re.compile(
    rf"([{_PROVINCES}]){_PLATE_SEP}([A-Za-zＡ-Ｚａ-ｚ]){_PLATE_SEP}"
    rf"(?:{_PLATE_CHAR}{{5,6}}|{_PLATE_CHAR}{{4}}[挂学警港澳领试超使])"
)
_D = "[0-9０-９]"
_SEP = r"[\s\-－—]?"
# Identity-card numbers (18 or 15 digits, the last may be X; some digits may already be masked by *),
# mobile, landline and 400/800 numbers in their usual spellings, then any other run of 7+ digits
# (QQ numbers, bank cards, bare local numbers).
_ID_CARD = rf"(?<![0-9０-９A-Za-z]){_D}{{4,6}}[0-9０-９*＊×]{{8,12}}[0-9０-９XxＸ](?![0-9０-９A-Za-z])"
_MOBILE = rf"(?<![0-9０-９])(?:\+?86{_SEP})?1[3-9０-９]{_D}{_SEP}[0-9０-９*＊]{{4}}{_SEP}[0-9０-９*＊]{{4}}(?![0-9０-９])"
_LANDLINE = (rf"(?<![0-9０-９])(?:[(（]0{_D}{{2,3}}[)）]|0{_D}{{2,3}}){_SEP}{_D}{{7,8}}(?:(?:[-－]|转){_D}{{1,5}})?"
             rf"|(?<![0-9０-９])[48]00{_SEP}{_D}{{3}}{_SEP}{_D}{{4}}(?![0-9０-９])")
_LONG_DIGITS = rf"(?<![0-9０-９]){_D}{{7,}}"
NUMBER_PATTERN = re.compile(f"{_ID_CARD}|{_MOBILE}|{_LANDLINE}|{_LONG_DIGITS}")
NUMBER_PLACEHOLDER = "[号码]"
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+\-]+\s*[@＠]\s*[A-Za-z0-9\-]+(?:\s*[.．]\s*[A-Za-z0-9\-]+)+")
# An account id after 微信/WeChat/QQ/VX (the label stays), or a bare wxid_….
ACCOUNT_PATTERN = re.compile(
    r"(?i)wxid_[-_A-Za-z0-9]+"
    r"|((?:微信|weixin|wechat|v信|vx|wx|qq|ＱＱ|抖音|微博)(?:号码|号|账号|帐号|id)?\s*(?:为|是)?\s*[:：]?\s*)"
    r"[A-Za-z0-9][-_A-Za-z0-9]{4,29}"
)
_YEAR = "(?:(?:19|20)[0-9]{2}|[一二三四五六七八九〇零○]{4})"
_MONTH_DAY = "(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})"
_BIRTH_DATE = (rf"{_YEAR}\s*(?:年|[./\-－])\s*(?:{_MONTH_DAY}\s*(?:月|[./\-－])?\s*(?:{_MONTH_DAY}\s*[日号]?)?)?"
               rf"|{_MONTH_DAY}\s*月\s*{_MONTH_DAY}\s*[日号]")
_BIRTH_LABEL = r"(?:出生(?:日期|年月日?|时间|于)?|生日|生于)\s*(?:为|是)?\s*[:：]?\s*"
# An exact date of birth: 1990年3月7日出生, 出生日期：1990-03-07, 生于1990年3月, 1990.3.7生.
BIRTHDATE_PATTERN = re.compile(
    rf"{_BIRTH_LABEL}(?:{_BIRTH_DATE})"
    rf"|(?:{_BIRTH_DATE})\s*(?:出生|生人|生(?![产病鲜活意效态]))"
)
CONTACT_PLACEHOLDERS = {"email": "[邮箱]", "account": "[账号]", "birthdate": "[出生日期]"}


def scrub_names(text: str | None) -> str | None:
    """Replace surname-level names (陈某某, 张某军, 谢某, 李女士) by ``[姓名]``."""
    if not text:
        return text
    return NAME_PATTERN.sub(NAME_PLACEHOLDER, text)


def strip_house_numbers(text: str | None) -> str | None:
    """Drop building/unit/room/house numbers: 裕华区怀特小区12号楼3单元502 → 裕华区怀特小区, A座1503 → A座."""
    if not text:
        return text
    return ROOM_NUMBER.sub("", HOUSE_NUMBER.sub("", text))


def mask_plates(text: str | None) -> str | None:
    """Keep a plate's province and city letter only: 冀A12345, 冀A·D12345 → 冀A*****."""
    if not text:
        return text
    return PLATE_PATTERN.sub(lambda m: m.group(1) + m.group(2).upper() + "*****", text)


def scrub_contacts(text: str | None) -> str | None:
    """Remove e-mail addresses, WeChat/QQ ids, identity-card, phone and other long numbers, and dates of
    birth: 联系电话0311-86543210 → 联系电话[号码], 微信号wxid_abc → 微信号[账号], 1990年3月7日出生 → [出生日期]."""
    if not text:
        return text
    text = EMAIL_PATTERN.sub(CONTACT_PLACEHOLDERS["email"], text)
    text = ACCOUNT_PATTERN.sub(lambda m: (m.group(1) or "") + CONTACT_PLACEHOLDERS["account"], text)
    text = BIRTHDATE_PATTERN.sub(CONTACT_PLACEHOLDERS["birthdate"], text)
    return NUMBER_PATTERN.sub(NUMBER_PLACEHOLDER, text)


def pseudonymise_text(text: str | None) -> str | None:
    """All text rules at once, for any free-text field (plates before the number rules see their digits)."""
    return strip_house_numbers(scrub_names(scrub_contacts(mask_plates(text))))


def sensitive_tokens(text: str | None) -> set[str]:
    """What the text rules would remove from ``text``, as literal strings of 4 characters or more, with the
    pieces a parser may keep apart: a plate without its province (A·D12345) and its tail (D12345), a number's
    digits without separators, a date of birth without 出生. An exporter removes these wherever they
    reappear in fields cut from ``text``."""
    tokens: set[str] = set()
    if not text:
        return tokens
    for match in PLATE_PATTERN.finditer(text):
        plate = match.group(0)
        tail = plate[match.end(2) - match.start():]
        tokens |= {plate, plate[1:], tail, re.sub(_PLATE_SEPARATOR, "", tail)}
    for match in NUMBER_PATTERN.finditer(text):
        tokens |= {match.group(0), re.sub(r"[^0-9０-９XxＸ*＊]", "", match.group(0))}
    for pattern in (EMAIL_PATTERN, ROOM_NUMBER):
        tokens |= {match.group(0) for match in pattern.finditer(text)}
    for match in ACCOUNT_PATTERN.finditer(text):
        tokens.add(match.group(0)[len(match.group(1) or ""):])
    for match in BIRTHDATE_PATTERN.finditer(text):
        birth = match.group(0)
        tokens |= {birth, re.sub(rf"^{_BIRTH_LABEL}|\s*(?:出生|生人|生)$", "", birth)}
    # as a place's identity key writes them: lower case, without punctuation or spaces
    tokens |= {re.sub(r"[\W_]", "", token).lower() for token in tokens}
    return {token.strip() for token in tokens if len(token.strip()) >= 4}


def case_pseudonym(key: str, salt: str) -> str:
    """A stable 16-hex-digit pseudonym: HMAC-SHA256 of the case's natural key under ``salt``."""
    return hmac.new(salt.encode(), key.encode(), hashlib.sha256).hexdigest()[:16]


def age_bands(ages: list[int | None], k: int = 5, width: int = 10) -> list[str | None]:
    """A band label ("30-39") for each age: ``width``-year bands, each merged with the next
    until it holds at least ``k`` of the given ages (a short last group joins the one before)."""
    counts = Counter(a // width for a in ages if a is not None)
    groups: list[list[int]] = []           # consecutive band indexes merged into one group
    pending: list[int] = []
    for band in sorted(counts):
        pending.append(band)
        if sum(counts[b] for b in pending) >= k:
            groups.append(pending)
            pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    label_of_band = {
        band: f"{group[0] * width}-{group[-1] * width + width - 1}" for group in groups for band in group
    }
    return [None if a is None else label_of_band[a // width] for a in ages]


def rare_ages(ages: list[int | None], k: int = 5) -> set[int]:
    """Exact ages shared by fewer than ``k`` of the given ages."""
    counts = Counter(a for a in ages if a is not None)
    return {age for age, n in counts.items() if n < k}
