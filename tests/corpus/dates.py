"""Dates: expected (first day, last day or None) → phrasings, against ``REFERENCE`` (the notice
date) and ``CURRENT`` (the date of the clause before). Negatives yield no date at all.

``LISTS`` are 、-lists of days; ``YEAR_ROLLOVER`` shows year-less dates resolved against
the notice date alone (12月30日 in a January notice is last year).
"""
import datetime as dt

REFERENCE = dt.date(2022, 4, 13)
CURRENT = dt.date(2022, 4, 2)

D = dt.date

EXAMPLES = [
    ((D(2022, 4, 13), None), ["2022年4月13日", "4月13日", "4 月 13 日", "4月13号", "四月十三日", "２０２２年４月１３日",
                             "13/04/2022", "2022-04-13", "2022/4/13", "2022.4.13", "4.13", "13日", "同13日",
                             "今日", "今天"]),
    ((D(2022, 4, 12), None), ["昨日", "昨天", "昨晚"]),   # news days count from the page's date
    ((D(2022, 3, 22), None), ["上月22日", "上个月22日"]),
    ((D(2022, 4, 8), None), ["本月8日", "本月8号"]),
    ((D(2021, 12, 29), None), ["去年12月29日"]),
    ((D(2022, 4, 5), None), ["4月5日", "4月5日晚", "4月5日上午", "4月5日,", "今年4月5日", "今(2022)年4月5日", "同月5日"]),
    ((D(2022, 4, 2), None), ["当日", "当天", "同日", "当晚"]),
    ((D(2022, 4, 3), None), ["次日", "翌日", "第二天"]),
    ((D(2022, 4, 1), None), ["前一天"]),
    ((D(2022, 4, 5), D(2022, 4, 7)), ["4月5日—7日", "4月5日-7日", "4月5日－7日", "4月5日~7日", "4月5日至7日", "4月5日到7日",
                                      "4月5日至4月7日", "4月5-7日", "4月5至7日", "5—7日", "5日至7日"]),
    ((D(2022, 3, 27), D(2022, 3, 28)), ["3月27—28日", "3月27日-3月28日"]),
    ((D(2021, 12, 29), D(2021, 12, 31)), ["12月29日至31日", "2021年12月29日—31日"]),
    ((D(2020, 12, 31), D(2021, 1, 2)), ["31日—2021年1月2日", "12月31日—2021年1月2日", "2020年12月31日至2021年1月2日"]),
    ((D(2022, 4, 10), D(2022, 4, 18)), ["4月10日下午至18日"]),
]

LISTS = [
    ((D(2022, 3, 27), D(2022, 3, 28)), ["3月27、28日", "3月27日、28日"]),
    ((D(2022, 3, 27), D(2022, 3, 28), D(2022, 3, 29)), ["3月27日、28日、29日", "3月27、28、29日"]),
]

YEAR_ROLLOVER = [
    (dt.date(2022, 1, 5), "12月30日", D(2021, 12, 30)),
    (dt.date(2022, 1, 5), "1月2日", D(2022, 1, 2)),
    (dt.date(2022, 4, 13), "4月15日", D(2022, 4, 15)),
    (dt.date(2022, 4, 13), "5月30日", D(2021, 5, 30)),
]

#: A day alone with no date told before it: the last such day up to the page's date (notice date, text, expected).
PAGE_DAYS = [
    (D(2022, 3, 27), "24日", D(2022, 3, 24)),
    (D(2022, 3, 27), "28日", D(2022, 2, 28)),
    (D(2022, 3, 2), "上月20日", D(2022, 2, 20)),
    (D(2022, 1, 5), "上月30日", D(2021, 12, 30)),
    (D(2022, 3, 2), "昨日(1日)", D(2022, 3, 1)),
]

#: A day alone after the first day a notice may tell (its report day less 29 days): the first such day on or after it.
FIRST_DAYS = [
    (D(2022, 2, 26), "24日", D(2022, 3, 24)),
    (D(2022, 2, 26), "28日", D(2022, 2, 28)),
    (D(2022, 2, 26), "5日", D(2022, 3, 5)),
]

#: Whether a date writes its year (expected → phrasings); a year-less one has it inferred.
YEAR_WRITTEN = [
    (True, ["今(2022)年4月5日", "2021年1月2日", "2021-01-02", "13/04/2022", "31日—2021年1月2日", "2020年12月31日至1月2日"]),
    (False, ["1月2日", "4.13", "13日", "3月27、28日", "12月31日—1月2日", "当日"]),
]

#: The window of a notice (issue 16): (notice date, day, year written, in the window).
WINDOW = [
    (D(2022, 1, 5), D(2021, 12, 30), False, True),    # a December date in a January notice
    (D(2022, 1, 5), D(2022, 1, 5), False, True),      # the notice's own day
    (D(2022, 1, 5), D(2022, 1, 8), False, False),     # after the notice
    (D(2022, 1, 5), D(2022, 1, 8), True, False),      # after the notice, year written or not
    (D(2022, 1, 5), D(2021, 11, 6), False, True),     # 60 days before
    (D(2022, 1, 5), D(2021, 11, 5), False, False),    # 61 days before, year inferred
    (D(2022, 1, 5), D(2021, 3, 10), True, True),      # a written year far back
]

NEGATIVES = [
    "1.5公里", "3.5万元", "24小时", "14天", "14日内", "4月份", "5号楼", "28号确诊病例", "2月30日", "第3号",
    "8:30", "18时", "13月5日", "核酸检测阳性", "三日无外出", "实施三日居家健康监测",
    # a birthdate is no day of the notice
    "1990年3月7日出生", "男,1990年3月7日生,现住某区", "本月中旬", "上月份", "今年以来",
]

#: The year a notice without its own date is read in: expected year (None: none written) → page texts.
#: Only a written year counts; route, train, flight, room and head counts of four digits do not.
CONTEXT_YEAR = [
    (2021, ["病例1：男，30岁。2021年7月22日到超市购物。", "病例1：男，30岁。2021-07-22到超市购物。",
            "2021宁夏疫情\n病例1：男，30岁。7月22日到超市购物。", "病例1：男，30岁。7月22日乘坐2001路公交车到超市，2021年7月23日居家。",
            "病例1：男，30岁。2021/7/22到超市购物。"]),
    (None, ["病例1：男，30岁。7月22日，乘坐2001路公交车到超市购物。", "病例1：男，30岁。7月22日乘坐G2019次列车到北京。",
            "病例1：男，30岁。7月22日乘坐MU2019航班到上海，入住2020号房间。", "病例1：男，30岁。7月22日乘坐2019次列车到北京。",
            "病例1：男，30岁。7月22日到超市购物。\n2001路公交车：7月22日8时。", "病例1：男，30岁。7月22日在厂区内，2000多人做核酸。",
            "病例1：男，30岁。7月22日在CA2019登机口候机。", "病例1：男，30岁。7月22日在小区2019栋楼下。",
            "病例1：男，1990年3月7日出生。7月22日到超市购物。", "病例1：男，1990年出生。7月22日到超市购物。"]),
]
