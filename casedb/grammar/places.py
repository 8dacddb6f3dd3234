"""Places in a trajectory clause: the verb before, the place, the activity after.

``find_places`` reads one clause in which dates, times and rides have been masked (see
:data:`MASK`) and returns :class:`PlaceMatch` values: ``在茂业天地楼下喜茶店买奶茶`` → place
``茂业天地楼下喜茶店``, activity ``买奶茶``. Chains (先到A后到B再到C) give one match per
verb; lists (A、B及C) one match per place, sharing the activity. Places that are not visits
are dropped: the case's own home (回家, 返回家中), bare cities and provinces (到哈尔滨), and
where the case was taken after detection (see :func:`after_detection_starts`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from casedb.grammar.memo import SHORT_TEXT, cached, short_and_checked
from casedb.grammar.relations import KIN
from casedb.grammar.scan import compile_rule
from casedb.places import is_bare_city_name

#: Character written over dates, times and rides before places are read; it ends a place.
MASK = "\x00"


class PlaceMatch(NamedTuple):
    """A place visited, found in a clause. (A named tuple: made with its fields at the cost of a tuple, where a
    frozen dataclass sets each field through ``object.__setattr__``, at four times the cost.)"""

    start: int                        # span of the place in the clause
    end: int
    place: str
    activity: str | None = None
    verb: str | None = None           # the verb before the place as written (到, 在, 前往)


#: What a case does at a doctor's (到X就诊, 咳嗽于X就诊, 到X体检).
_SEEING_A_DOCTOR = r"就诊|就医|看病|体检|复诊"

#: Verbs that put the case at the place that follows (其足迹包括A、B: a footprint list, Taiwan's word); longest first.
_VERBS = (
    "行动轨迹涉及", "活动轨迹涉及", "足迹包括", "足迹涉及", "足迹为", "就诊于", "就医于", "前往", "前去", "赶赴", "赶往", "去往", "来到", "到达", "抵达", "到访", "进入", "途经", "路过",
    "经过", "返回", "回到", "住在", "居住在", "暂住在", "往返", "去了", "去到", "走到", "转至",
    "入住", "送往", "到", "去", "赴", "在", "回", "由",
)
#: (Every alternative starts with a literal, which the regex engine skips to: a lookbehind is tested after the word.)
_VERB = re.compile(
    r"(?:在(?<![所现正存实内外好都还即只旨]在)|至(?<!周[一二三四五六日]至)(?!今)|"
    r"自(?!驾|行|己|述|家|然|动|主|费|身|愿|觉|感|服|测|我|此|今|从|称|由|治)|"
    r"从(?!事|而|未|不|没|来|此|前|业|中)|"
    # 就诊 written before the hospital (1月27日就诊甲医院一附院)
    r"就诊(?!于)(?=[^，,。；;" + MASK + r"]{1,20}?(?:医院|附院|院区|诊所|门诊|卫生院|卫生室)(?:[，,。；;]|$))|"
    # 于 as "at" only before a doctor's visit (咳嗽于甲县人民医院就诊); not 位于/由于/关于, nor before a date
    r"于(?<![位由关对等属至终处基鉴]于)(?=[\u4e00-\u9fff][^，,。；;" + MASK + r"]{1,29}?(?:" + _SEEING_A_DOCTOR + r"))(?![在到去赴])|"
    # 接到电话 / 收到通知 / 遇到 / 达到标准: 到 after these is no going
    + "|".join(v if v != "到" else "到(?<![接收得想听遇碰找受感达]到)" for v in _VERBS if v != "在") + ")"
)
# 回 only as a verb before a place: 回龙观, 回民街 are names
_WEAK_HUI = re.compile(r"回(?=家|村|宿舍|住|[\u4e00-\u9fff]{1,12}?(?:家|住处|宿舍|村))")
#: Where a place ends and the activity begins. Strong verbs split anywhere; weak (one
#: character) verbs only right after a place suffix.
_STRONG_ACTIVITIES = (
    "购买", "购物", "购药", "买药", "取药", "取快递", "取款", "取餐", "取检查结果", "就餐", "吃饭", "用餐", "用膳",
    "聚餐", "午餐", "晚餐", "早餐", "吃午餐", "吃晚饭", "吃早餐", "上下班", "上班", "下班", "上学", "上课",
    "上补习班", "工作", "值班", "办事", "办理", "探望", "看望", "探亲", "做客", "参加", "游玩", "游览",
    "散步", "拍照", "休息", "住宿", "居住", "停留", "短留", "逗留", "理发", "洗澡", "洗浴", "按摩", "加油",
    "就诊", "隔离就诊", "体检", "复诊", "看病", "治疗", "输液", "打针", "复查", "检查", "做核酸", "进行核酸", "核酸检测", "核酸采样",
    "采集核酸", "接受核酸", "排队", "开会", "聚会", "见面", "会面", "陪同", "陪护", "健身", "锻炼", "批发",
    "进货", "送货", "清卖", "经商", "报备", "自服", "服药", "服用", "咨询", "下高速", "上高速", "出差", "旅游", "旅行", "从事", "务工", "打工",
    "帮忙", "照顾", "参观", "观看", "看电影", "接人", "送人", "接孩子", "送孩子", "打麻将", "打牌", "唱歌",
    "喝酒", "喝茶", "暂时", "玩耍", "办公", "上网", "办业务", "办理业务", "装货", "卸货", "卸车", "装车", "拜年", "吊唁", "祭拜", "出发", "离开",
    "采样", "接受", "转入", "进行", "等候", "等待", "候车", "候机", "作业", "上下学", "接送", "拿药", "学习",
    "护理", "溜狗", "遛狗", "洗车", "归还", "住院", "开诊", "培训", "补课", "训练", "演出", "值守", "执勤",
    "就地", "停车", "停靠", "爬山", "登山", "跑步", "钓鱼", "赶集", "遛弯", "购置", "采购",
    "养病", "休养", "静养", "活动", "下车", "上厕所", "如厕", "上卫生间", "采集", "串门", "住校", "短暂",
)
_WEAK_ACTIVITIES = ("买", "吃", "取", "送", "接", "看", "玩", "打", "做", "喝", "逛", "与", "和", "同", "陪", "跟", "给")
_STRONG = re.compile("|".join(sorted(_STRONG_ACTIVITIES, key=len, reverse=True)))
_WEAK = re.compile("|".join(_WEAK_ACTIVITIES))
#: Endings of place names: a weak verb may follow one; an activity word followed by one is
#: part of the name (购物中心, 检查站).
PLACE_SUFFIX = (
    "购物中心", "鱼市", "夜市", "早市", "菜市", "集市", "街市", "门市", "小学", "中学", "大学", "幼儿园", "工地", "政府",
    "出口", "入口", "路口", "道口", "快递", "驿站", "周边", "周围", "服务区", "中心", "广场", "公园", "小区", "社区", "大厦", "酒店", "宾馆", "饭店", "餐厅", "餐馆",
    "食堂", "公司", "单位", "学校", "医院", "诊所", "门诊", "药房", "药店", "银行", "超市", "市场", "商场",
    "机场", "景区", "山庄", "农场", "附近", "对面", "门口", "楼下", "楼上", "院区", "单元", "家中",
    "店", "场", "馆", "院", "所", "站", "厅", "部", "室", "园", "村", "屯", "庄", "楼", "厦", "厂", "校",
    "城", "街", "路", "口", "门", "号", "层", "处", "局", "府", "家", "区", "镇", "乡", "寨", "堂", "吧",
    "坊", "铺", "行", "社", "苑", "居", "湾", "港", "摊", "柜", "库", "科", "内", "外", "旁", "侧", "座",
    "栋", "户", "点", "馆", "面", "房", "）", ")", "”", "线", "里", "巷", "弄", "道", "桥", "队", "组", "会",
    "池", "宫", "阁", "轩", "寺", "庙", "祠", "殿", "廊", "亭", "山", "湖", "公路", "海滩", "沙滩", "客栈", "栈",
)
_SUFFIX_ANYWHERE = re.compile("|".join(map(re.escape, sorted(PLACE_SUFFIX, key=len, reverse=True))))
#: The place endings by their last character, longest first.
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _suffix in sorted(set(PLACE_SUFFIX), key=len, reverse=True):
    _SUFFIXES_BY_LAST[_suffix[-1]] = (*_SUFFIXES_BY_LAST.get(_suffix[-1], ()), _suffix)
del _suffix
_SUFFIX_AT_START = re.compile("(?:中心|广场|市场|周边|周围|附近|店|城|场|馆|厅|部|室|点|站|楼|院|所|园|街|路|处|区|行|柜|台|机|摊|间|亭|屋|学|校|班|"
                              "机构|基地|公司|厂|诊|池|房)")
#: Where a place or an activity stops: clause connectors and punctuation.
_STOP = compile_rule(
    r"[，,。；;：:！!？?\s" + MASK + r"]|(?:之后|然后|随后|后(?=[到至去回返前乘坐打步骑自驾在再又]|$)|再(?=[到至去回返前])|"
    r"又(?=[到至去回返前])|并(?=[在到于])|期间|途中|等多?地|等多?处|先后|分别|随即|随后|居家|未[进出]|(?:无|未|没有)(?:外出|出门)|"
    r"乘坐|搭乘|换乘|转乘|乘(?!客)|骑行?|步行(?!街)|自驾|驾车|开车|驾驶)"
)
#: Between the places of a list (A、B及C); every alternative starts with a literal, which the engine skips to.
_LIST_SEP = re.compile(r"、|及|以及")

_HOME_TARGET = re.compile(r"^(?:自己?的?|其)?(?:家|家中|家里|家中\S{0,4}|家门口|家门前|住处|住所|宿舍|居所|居住地|住地|暂住地|租住地|本村|村里|村中|小区家中)$|"
                          r"^[\u4e00-\u9fff0-9]{2,16}家中$")
_PERSON_HOME = re.compile(r"父|母|爸|妈|岳|公婆|姥|爷|奶|外婆|外公|哥|姐|弟|妹|舅|姨|叔|伯|姑|亲属|亲戚|朋友|同学|同事|女友|男友|病例|儿|女")
#: A bracketed aside, one level deep, in either width (永丰中学(2020/1/25), 某超市（东门）).
BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_SEAT = re.compile(r"[车座铺舱排]|车厢|航班|车次|[0-9][A-F]")
_CITY = re.compile(r"^[\u4e00-\u9fff]{1,3}[市县]$|(?:市区|城区|县城|市内|郊区|全市|全县)$")
#: The characters a match of :data:`_CITY` ends with, and the line break its ``$`` also matches before.
_CITY_LAST = "市县区城内\n"
_SCHOOL = re.compile(r"^[\u4e00-\u9fff]{0,4}?[一二三四五六七八九十0-9]{1,3}[中小]$")
_PROVINCE_AREA = re.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
    r"贵州|云南|陕西|甘肃|青海|台湾|内蒙古?|广西|西藏|宁夏|新疆|香港|澳门)(?:省|市|自治区)?[\u4e00-\u9fff]{0,3}?(?:市|县|区|州)?$"
)
_AREA_ENDINGS = "区线号门口里"
_SHORT_NAME_SUFFIXES = "店厂馆院站场园村屯庄楼厅校家库所部室点摊柜港路街池宫阁轩寺庙祠殿吧苑廊亭镇乡房城"
_NOT_A_PLACE = compile_rule(
    r"^(?:社区|附近|周边|当地|外地|外省|市外|省外|境外|国外|一起|同一|本地|户外|外面|室外|现场|单位附近|工作单位|居住地附近)$|"
    r"^(?:上述|相关|该|此|各|多个|多处|其他|不同|人多|公共场所|所在)|密切接触|密接|(?<!\d)\d+人|住地为|住址|地址|为$|情况|"
    r"检测$|核酸(?!\S*(?:点|门诊|站|屋|亭|机构|中心|室))|阳性|阴性|症状|隔离|诊断|确诊|检测结果|"
    r"结果|感染|发[热烧](?!门诊|诊室|哨点|诊所)|体温|会诊|病例\d+$|感染者\d*$|"
    r"^[上下]午|^晚上?|^中午|^凌晨|^当[日天晚]|^其[间中]|^期间|"
    # a seat or position (三排9号位置, 5车12A座, 第3排6座), not a place
    r"^第?[0-9A-Za-z一二三四五六七八九十]+(?:号?(?:车厢|车|排|行|列))?[0-9A-Za-z一二三四五六七八九十]*号?(?:座位|位置|座|位|铺)?$|"
    # clinical findings (CT显示肺部感染, 胸部CT示肺炎)
    r"CT(?![室检])|显示|提示|肺部|双肺|肺炎|咳嗽|咽痛|咽部|不适|乏力|胸闷|腹泻|头痛|流涕|鼻塞|酸痛|疼痛|呕吐|^出现|"
    # a bare kind of institution, an admission or a transfer (发病入院, 转某医院), a contact
    r"^(?:医疗机构|定点医院|实验室)$|[出入]院$|^转(?![盘角塘])|接触|"
    # a count of places, named after it (屯门区两间食肆,分别为A和B / 将军澳3间茶餐厅)
    r"(?<![0-9A-Za-z])(?:[0-9]{1,2}|[两二三四五六七八九十几数多])[间家个处]"
    r"(?:食肆|餐厅|茶餐厅|餐馆|饭店|酒家|酒楼|食店|商店|店铺|商铺|超市|快餐店|场所|地方|诊所)$"
)
#: Sent somewhere by someone not of the family (由120送至); 送至 is looked for before the kin words, dear to test
#: after each 由 (most clauses with 由 send no one).
_SENT_BY_OTHERS = (r"(?=[^，,。；;]{0,12}送[至往到])"
                   r"(?![^，,。；;]{0,12}?(?:" + "|".join(sorted((w for w in KIN if len(w) > 1), key=len, reverse=True))
                   + r"|其[子女]|家长|朋友|邻居|同事|私家车|自家车|租车))[^，,。；;]{0,12}送[至往到]")
#: Clauses about what happened after detection: transfer, quarantine, treatment.
#: (Every alternative starts with a literal, which the regex engine skips to: 隔离 not after 主动 is tested after
#: 隔离, and 被 and 由 are two alternatives.)
_AFTER_DETECTION = re.compile(
    r"隔离(?<!主动隔离)(?!酒店消杀)|指定医院|指定机构|转运|转送|转诊|转至|"
    # 由120送至 / 被送往; driven by the family or a friend (由儿子驾车送至医院) the case went on their own
    r"被" + _SENT_BY_OTHERS + r"|由" + _SENT_BY_OTHERS + r"|"
    r"救护车|负压|120|定点医|收治|收入|住院治疗|目前在[^，,。；;]{1,20}?(?:治疗|救治)|现在[^，,。；;]{1,20}?(?:治疗|救治)|"
    r"医学观察|管控|闭环|封控|确诊为|诊断为|检测[结呈][果]?[呈为]?阳|阳性"
)
#: Words cut from a place's end (回到超市内的, 商场等地方).
_TRAILING_WORDS = ("等地方", "等场所", "等地点", "等地", "等处", "等", "了", "内的", "内", "一带", "时", "时候", "期间", "后", "的")
_TRAILING = re.compile("(?:" + "|".join(_TRAILING_WORDS) + ")$")
_UNCLOSED_TAIL = re.compile(r"[（(][^)）]*$")
_UNCLOSED_HEAD = re.compile(r"^[^（(]*[)）]")
_LEADING = re.compile(r"^(?:了|过|有)?(?:一趟|一下|一次)?(?:到|至|于|位于|自己?位于|达|往)?")
#: The characters a word of :data:`_LEADING` starts with (a name opening with another has none).
_LEADING_FIRST = "了过有一到至于位自达往"
#: The characters a word of :data:`_TRAILING` ends with, and the line break its ``$`` also matches before (a name
#: ending in another has none).
_TRAILING_LAST = "".join(dict.fromkeys(word[-1] for word in _TRAILING_WORDS)) + "\n"


_GENERIC = re.compile(r"^(?:餐厅|饭店|酒店|宾馆|超市|商场|单位|公司|医院|学校|车上|车内|车库|房间|店内|店里|小区|村里|家里)$")
_BACK_TO = re.compile(r"^(?:餐厅|饭店|酒店|宾馆|房间|车上|车内|店内|店里|病房)$")
_ORIGINS = {"从", "自", "由"}
#: Activities of a trip to a city, not of a visit to a place (到厦门旅游).
_TRAVEL = re.compile(r"旅游|旅行|出差|探亲|务工|打工|工作|返乡|回乡|过年|游玩|度假")
_ONWARD = re.compile(r"[回返到至往飞赴]")
_RETURNS = {"返回", "回到", "回"}
_STATION = re.compile(r"(?:站|机场|港|码头|航站楼|收费站|服务区)$")
_SET_OUT = re.compile(r"^[^到至往]*(?:出发|下高速|上高速|离开|步行出来|出来)")
_NEGATED = re.compile(r"(?:不|非|未|没|没有|无|禁止|避免|减少)\s*$")
#: Who signs a notice: a list line naming it is not a visit.
_ISSUER = compile_rule(r"领导小组|指挥部|防控办|疾控中心|疾病预防控制中心|卫生健康|卫健[局委]|办公室|委员会|^我[市省区县]|居家$|在家$|"
                     r"居住|住于|现住|家住|户籍|住址|^(?:根据|依据|按照|经过?|通过)")
#: (…,和B及C / …,分别为A: a list item may open with the word that joins it to the list; 和平路 is a name)
_BARE_PLACE = re.compile(r"^[\s" + MASK + r"]*(?:[,，:：]\s*)?(?:以及|和(?!平)|及|分别为|分别是|包括)?(?P<place>[^\s" + MASK + r"][^" + MASK + r"]{1,120}?)\s*$")
_BARE_WORK = re.compile(r"^\s*(?P<place>[\u4e00-\u9fff（）()0-9]{2,20}?)(?P<activity>上班|上学|工作|值班|上课|购物|就餐|用餐|吃饭|聚餐)")


#: Going home: the place before it is the way home (打车到X村回家), a verb phrase is no place (驾车返家).
_GOING_HOME = re.compile(r"(?:回|返)(?:家|到家|回家中|回住处|回住所)|(?:返回|回到)(?:家|住处|住所|宿舍)")


#: The case went to a doctor on their own (到X医院就诊, 就诊于X, 在X就诊, 到X体检): that hospital is a visit
#: even when the clause goes on to the admission (到桂林某医院就诊收入院隔离治疗, 到甲县医院隔离就诊).
_SELF_PRESENTED = compile_rule(r"(?:就诊于|就医于|(?:自行|主动)?(?:到|至|前往|去|赴|在|于)[^，,。；;]{2,30}?"
                             r"(?:" + _SEEING_A_DOCTOR + r"|复查))")


def after_detection_starts(clause: str) -> int | None:
    """Where ``clause`` starts telling where the case was taken after detection (0: all of it; None: nowhere)."""
    m = _AFTER_DETECTION.search(clause)
    if m is None:
        return None
    went = _SELF_PRESENTED.search(clause)
    return m.start() if went is not None and went.start() < m.start() else 0


def is_home(place: str) -> bool:
    """The case's own home (家, 住处, 宿舍 …), as opposed to someone else's (父母家)."""
    # (every home word holds one of 家住宿居村: a name without any is not tried)
    return ("家" in place or "住" in place or "宿" in place or "居" in place or "村" in place) \
        and bool(_HOME_TARGET.match(place)) and not _PERSON_HOME.search(place)


@cached
def is_place(name: str, in_list: bool = False) -> bool:
    """True for a name that can be a visited place: not a bare city, province or district.

    A short name without a place ending (沙湖) counts only among other places (``in_list``).
    """
    if _NOT_A_PLACE.search(name):
        return False
    if "(" not in name and "（" not in name:
        return len(name) >= 2 and _reads_as_place(name, in_list)  # the name without brackets, checked whole
    bare = BRACKETED.sub("", name)
    inside = "".join(BRACKETED.findall(name))[1:-1]
    return _named_place(bare, in_list) or (bool(inside) and not _SEAT.search(inside) and _named_place(inside, False))


def _place_suffix(text: str) -> str | None:
    """The longest of :data:`PLACE_SUFFIX` that ``text`` ends with (before a line break ending it), if any. (Looked up
    by its last character: a rule of the endings, tried at each of their first characters, took 5,000 instructions
    a text.)"""
    last = text[-1:]
    if last == "\n":
        text = text[:-1]
        last = text[-1:]
    for suffix in _SUFFIXES_BY_LAST.get(last, ()):
        if text.endswith(suffix):
            return suffix
    return None


@cached
def has_place_ending(name: str) -> bool:
    """True for a name ending like a facility (店, 超市, 小区, 机场 …)."""
    suffix = _place_suffix(BRACKETED.sub("", name))
    return bool(suffix) and (len(suffix) > 1 or suffix in _SHORT_NAME_SUFFIXES)


#: A name ending in a division's word (河北省, 地区): a division, not a place visited.
_DIVISION_AT_END = re.compile(r"(?:省|市|县|州|盟|旗|国|地区)$")


def _named_place(name: str, in_list: bool) -> bool:
    return len(name) >= 2 and not _NOT_A_PLACE.search(name) and _reads_as_place(name, in_list)


def _reads_as_place(name: str, in_list: bool) -> bool:
    """:func:`_named_place` of a name of two characters or more that :data:`_NOT_A_PLACE` does not match."""
    suffix = _place_suffix(name)
    if ((name[-1] in _CITY_LAST and _CITY.search(name)) or is_bare_city_name(name)) and not (suffix and len(suffix) > 1 and suffix != "门市"):
        return False
    if suffix and (len(suffix) > 1 or (suffix in _SHORT_NAME_SUFFIXES and len(name) > 2)):
        return True
    if _PROVINCE_AREA.match(name):
        return False
    if suffix and len(name) > 3 and suffix not in _AREA_ENDINGS:
        return True
    if _SCHOOL.match(name):
        return True
    if _DIVISION_AT_END.search(name):
        return False
    return len(name) > 4 or (in_list and len(name) >= 2)


@cached
def split_activity(segment: str) -> tuple[str, str | None]:
    """``茂业天地楼下喜茶店买奶茶`` → (``茂业天地楼下喜茶店``, ``买奶茶``)."""
    outside = _outside_parentheses(segment)
    cuts = [m.start() for m in _STRONG.finditer(segment)
            if outside[m.start()] and not _SUFFIX_AT_START.match(segment, m.end())]
    cuts += [m.start() for m in _WEAK.finditer(segment)
             if m.start() >= 2 and outside[m.start()] and _place_suffix(segment[:m.start()])
             and not _SUFFIX_AT_START.match(segment, m.end()) and not _joins_places(segment, m)]
    if not cuts:
        return _split_after_last_ending(segment)
    cut = min(cuts)
    return segment[:cut], segment[cut:]


def _outside_parentheses(text: str) -> list[bool]:
    """For each position of ``text``: True when it is not inside (…)."""
    if "(" not in text and "（" not in text:
        return [True] * len(text)
    depth, out = 0, []
    for ch in text:
        if ch in "(（":
            depth += 1
        out.append(depth == 0)
        if ch in ")）" and depth:
            depth -= 1
    return out


#: An activity written after a place is short (探视病人, 上舞蹈课).
_LONGEST_ACTIVITY = 12


def _may_list(text: str) -> bool:
    """Cheap test for :data:`_LIST_SEP` (every separator holds 、 or 及)."""
    return "、" in text or "及" in text


def _split_after_last_ending(segment: str) -> tuple[str, str | None]:
    """``新乐市医院探视病人``: no known activity word, so cut after the last place ending that is
    followed by something that does not end like a place itself."""
    for m in reversed(list(_SUFFIX_ANYWHERE.finditer(segment, max(0, len(segment) - _LONGEST_ACTIVITY - 4)))):
        rest = segment[m.end():]
        if len(rest) > _LONGEST_ACTIVITY:
            break
        if len(rest) >= 2 and not _place_suffix(rest) and not _SUFFIX_AT_START.match(rest) \
                and not (_may_list(rest) and _LIST_SEP.search(rest)) and not rest.startswith(("(", "（", "”", "\"")) \
                and is_place(segment[:m.end()]):
            return segment[:m.end()], rest
    return segment, None


_CONJUNCTION = re.compile("[与和]")
#: The second road of an intersection (与自强路交叉路口, 和建设路交汇处).
_CROSSING = re.compile(r"[\u4e00-\u9fff0-9]{1,8}?(?:大道|路|街|道|巷)(?:交叉|交汇|交界|十字)?(?:路?口|处)")


def _joins_places(segment: str, conjunction: re.Match) -> bool:
    """与/和 between two place names (长江路与化工路口), not before a companion (与朋友见面)."""
    rest = segment[conjunction.end():]
    activity = _STRONG.search(rest)
    if activity:
        rest = rest[:activity.start()]
    if conjunction.group(0) in "与和" and _CROSSING.match(segment, conjunction.end()):
        return True
    return conjunction.group(0) in "与和" and len(rest) >= 2 and bool(_place_suffix(rest))


def _verbs(clause: str) -> list[re.Match]:
    found = []
    roads = [(m.end(), m.end() + len(c.group(0))) for m in _CONJUNCTION.finditer(clause)
             if (c := _CROSSING.match(clause, m.end()))] if "与" in clause or "和" in clause else ()
    for m in _VERB.finditer(clause):
        if m.group(0) == "回" and not _WEAK_HUI.match(clause, m.start()):
            continue
        if roads and any(first <= m.start() < last for first, last in roads):
            continue  # 与自由路交叉口: a road name, not 自/由 "from"
        found.append(m)
    return found


@cached
def _clean(name: str) -> tuple[str, int]:
    """``name`` without leading particles and trailing 等/处; with how many chars were cut at the start."""
    # (each rule tried only where it may match: most names have no bracket, open with no particle, end in no 等)
    head = _UNCLOSED_HEAD.match(name) if ")" in name or "）" in name else None
    lead = head.end() if head else 0
    stripped = name[lead:]
    if "(" in stripped or "（" in stripped:
        stripped = _UNCLOSED_TAIL.sub("", stripped)
    lead += len(stripped) - len(stripped.lstrip())
    stripped = stripped.strip()
    m = _LEADING.match(stripped) if stripped[:1] in _LEADING_FIRST else None
    if m and len(stripped) - m.end() >= 2:
        lead += m.end()
        stripped = stripped[m.end():]
    while stripped[-1:] in _TRAILING_LAST:
        cut = _TRAILING.sub("", stripped)
        if cut == stripped or len(cut) < 2:
            break
        stripped = cut
    return stripped, lead


class _Readers(NamedTuple):
    """The cached readers of a clause's parts, looked up straight in their caches for a clause short enough to be
    kept (as almost all are; its parts are no longer), else through their length checks."""

    split_activity: Callable[[str], tuple[str, str | None]]
    clean: Callable[[str], tuple[str, int]]
    is_place: Callable[..., bool]
    has_place_ending: Callable[[str], bool]


_REMEMBERED, _READ_AGAIN = short_and_checked(_Readers, split_activity, _clean, is_place, has_place_ending)


def find_places(clause: str, listed: bool = False, among_places: bool = False) -> list[PlaceMatch]:
    """Every visited place in a masked clause, left to right.

    ``listed``: the clause is an item of a list of points (``18时,青兰高速胶州服务区;``), so a
    place named without a verb counts too; ``among_places``: the item before it in the list was a place
    (``A饭店,子不语剧本杀``), so a shop named for what it sells counts too.
    """
    found: list[PlaceMatch] = []
    verbs = _verbs(clause)
    readers = _REMEMBERED if len(clause) <= SHORT_TEXT else _READ_AGAIN
    if not verbs:
        return _bare_workplace(clause, readers) or (_bare_place(clause, among_places, readers) if listed else [])
    for i, verb in enumerate(verbs):
        if _NEGATED.search(clause, max(0, verb.start() - 4), verb.start()):
            continue
        limit = verbs[i + 1].start() if i + 1 < len(verbs) else len(clause)
        start: int | None = verb.end()
        while start is not None:  # 到A办业务、B购物: each listed place with its own activity
            start = _read_segment(clause, start, limit, verb.group(0), i + 1 < len(verbs), found, readers)
    return found


#: The word right after a place (an activity read when no activity word was found in the segment).
_WORD_AFTER = re.compile(r"\s*([^，,。；;\s" + MASK + r"]{2,12})")


def _read_segment(clause: str, start: int, limit: int, verb: str, verb_follows: bool,
                  found: list[PlaceMatch], readers: _Readers) -> int | None:
    """Add the places of the segment at ``start`` to ``found``; return where a next listed
    place with its own activity starts (到A办业务、B购物), if any."""
    stop = _STOP.search(clause, start, limit)
    segment_end = stop.start() if stop else limit
    segment = clause[start:segment_end]
    place_text, activity = readers.split_activity(segment)
    next_start = None
    sep = _LIST_SEP.search(activity) if activity and _may_list(activity) else None
    if sep and _listed_place_follows(activity[sep.end():], readers):
        next_start = start + len(place_text) + sep.end()
        activity = activity[:sep.start()]
    if activity is None and stop is not None and segment_end < limit:
        tail = _WORD_AFTER.match(clause, segment_end, limit)
        if tail and _STRONG.match(tail.group(1)):
            activity = tail.group(1)
    listed = _LIST_SEP.split(place_text) if _may_list(place_text) else (place_text,)
    names = [part for name in listed for part in _split_and(name, readers)]
    cleaned = [readers.clean(name) for name in names]
    # a short name counts among named places, or when the case did something there (锦绣大地批发货物)
    in_list = (len(names) > 1 and any(readers.has_place_ending(place) for place, _ in cleaned)) or (
        len(names) == 1 and len(cleaned[0][0]) >= 4 and bool(activity) and not _TRAVEL.match(activity))
    offset = start
    onward = set_out = False
    if verb in _ORIGINS:   # (what follows the place decides only whether an origin is a visit)
        after = clause[start:limit]
        onward = verb_follows or _ONWARD.search(after) is not None
        set_out = _SET_OUT.search(after) is not None
    way_home = activity is None and bool(_GOING_HOME.match(clause, segment_end))
    for n, (name, (place, lead)) in enumerate(zip(names, cleaned)):
        if _keeps(verb, place, in_list, onward, set_out, readers) and not (way_home and n == len(names) - 1):
            found.append(PlaceMatch(offset + lead, offset + lead + len(place), place, _clean_activity(activity), verb))
        offset += len(name) + 1
    return next_start


_AND = re.compile(r"[和与]")
_ROAD_END = re.compile(r"[路街道巷口线]$")


def _split_and(name: str, readers: _Readers) -> list[str]:
    """甲医院和乙医院: two places when each side ends like one (not 和平路, 黄河路与纺织路口)."""
    if "和" not in name and "与" not in name:
        return [name]
    parts = _AND.split(name)
    if len(parts) > 1 and all(len(p) >= 2 and readers.has_place_ending(readers.clean(p)[0]) and not _ROAD_END.search(p)
                              for p in parts):
        return parts
    return [name]


def _listed_place_follows(text: str, readers: _Readers) -> bool:
    """``城关镇永辉超市购物`` after 、: another place with an activity of its own."""
    place, activity = readers.split_activity(text)
    return activity is not None and readers.has_place_ending(place) and readers.is_place(place)


def _keeps(verb: str, name: str, in_list: bool, destination_follows: bool, set_out: bool, readers: _Readers) -> bool:
    """Whether the place after ``verb`` is a visit (``set_out``: 出发/下高速 follows it)."""
    if not readers.is_place(name, in_list) or is_home(name):
        return False
    if verb in _ORIGINS:
        # 从A到B: the origin is a visit only where the case set out or stopped, or at a station
        return bool(_STATION.search(name) or set_out
                    or (not destination_follows and readers.has_place_ending(name) and not _GENERIC.match(name)))
    if verb in _RETURNS:
        # 返回餐厅: back to a place named before, or home; 返回优加教育接孩子: back to do something there
        return (readers.has_place_ending(name) or in_list) and not _BACK_TO.match(name)
    return True


_BLANK = re.compile(r"\s")


def _bare_place(clause: str, among_places: bool, readers: _Readers) -> list[PlaceMatch]:
    """A list item that is only places (dates and times masked): ``东岗村菜场、中百超市(东岗后街店)``;
    ``among_places``: the list's item before was a place."""
    m = _BARE_PLACE.match(clause)
    if not m:
        return []
    place_text, activity = readers.split_activity(m.group("place"))
    found = []
    offset = m.start("place")
    parts = _LIST_SEP.split(place_text)
    for part in parts:
        name, lead = _after_going(*readers.clean(part))
        if not readers.is_place(name) or _GENERIC.match(name) or _ISSUER.search(name) \
                or _GOING_HOME.search(name) or _BLANK.search(name):
            return []  # every item of the list must be a place: 南屏镇、前山街道等开展核酸检测 is not a list of visits
        found.append(PlaceMatch(offset + lead, offset + lead + len(name), name, _clean_activity(activity)))
        offset += len(part) + 1
    # shops named for their dish (彭记热干面, 千食客蒸包(天星路)) pass beside places with a facility ending,
    # or with their address in brackets
    some_ending = among_places or any(readers.has_place_ending(p.place) for p in found)
    for p in found:
        if not readers.has_place_ending(p.place) and (len(BRACKETED.sub("", p.place)) < 4 or "等" in p.place
                                              or not (some_ending or BRACKETED.search(p.place))):
            return []
    return found


_GOING_AFTER = re.compile(r"^.*后(?:回到|返回|回|到|去|至)")


def _after_going(name: str, lead: int) -> tuple[str, int]:
    """出院后回老四川餐厅: the place is what follows 后回 (name and its offset, moved on)."""
    m = _GOING_AFTER.match(name)
    return (name[m.end():], lead + m.end()) if m and len(name) - m.end() >= 2 else (name, lead)


def _bare_workplace(clause: str, readers: _Readers) -> list[PlaceMatch]:
    """``单位上班``, ``塔北路菜市场购物``: a place named without a verb before its activity."""
    m = _BARE_WORK.match(clause)
    if not m:
        return []
    name, lead = _after_going(*readers.clean(m.group("place")))
    if not readers.has_place_ending(name) or not readers.is_place(name):
        return []
    start = m.start("place") + lead
    return [PlaceMatch(start, start + len(name), name, m.group("activity"))]


#: Where an activity ends: a break, or going on somewhere after it.
_ACTIVITY_ENDS = re.compile(r"[，,。；;\s" + MASK + r"]|后(?:[回返到至去]|$)")


def _clean_activity(activity: str | None) -> str | None:
    if not activity:
        return None
    activity = _ACTIVITY_ENDS.split(activity, 1)[0].rstrip("、和及与")
    return activity or None
