"""Whole trajectory paragraphs (written for these tests) → visits, per ../shared/eval/ANNOTATION.md."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casedb.grammar.dates import DateContext
from casedb.grammar.places import MASK
from casedb.grammar.trajectory import _mask, parse_trajectory
from tests.corpus.trajectory import UNDATED_HABITS, WHOSE_OUTINGS
from tests.work import counted

CTX = DateContext(reference=dt.date(2022, 4, 13))


def rows(text, ctx=CTX, offset=0):
    return [(v.kind, v.date and v.date.isoformat(), v.start and v.start.strftime("%H:%M"), v.place, v.activity)
            for v in parse_trajectory(text, ctx, offset)]


def test_dated_visits_with_times_activities_and_a_home_day():
    text = "4月2日20:00左右在茂业天地楼下喜茶店买奶茶；4月6日居家未外出；4月7日22:00左右在大井峪唐久便利店购物，23:30左右被集中隔离。"
    assert rows(text) == [
        ("visit", "2022-04-02", "20:00", "茂业天地楼下喜茶店", "买奶茶"),
        ("home", "2022-04-06", None, None, None),
        ("visit", "2022-04-07", "22:00", "大井峪唐久便利店", "购物"),
    ]


def test_the_current_date_carries_over_clauses_and_rolls_over_the_year():
    text = "2021年12月30日到万达广场看电影，后到海底捞火锅店就餐；31日居家未外出；1月1日上午到仁济医院发热门诊就诊。"
    got = rows(text, DateContext(reference=dt.date(2022, 1, 5)))
    assert [(kind, day, place) for kind, day, _, place, _ in got] == [
        ("visit", "2021-12-30", "万达广场"), ("visit", "2021-12-30", "海底捞火锅店"),
        ("home", "2021-12-31", None), ("visit", "2022-01-01", "仁济医院发热门诊"),
    ]


def test_a_ride_is_a_transit_and_the_station_a_visit():
    text = "3月5日9:40从住处乘坐9路公交车前往新安街33号楼，12时到长春西站乘D9125次列车（2车13C号）返回农安。"
    assert rows(text) == [
        ("transit", "2022-03-05", "09:40", "9路公交车", None),
        ("visit", "2022-03-05", "09:40", "新安街33号楼", None),
        ("visit", "2022-03-05", "12:00", "长春西站", None),
        ("transit", "2022-03-05", "12:00", "D9125次列车", None),
    ]


def test_own_car_and_ambulance_are_not_rides():
    text = "4月3日自驾车到家乐福超市购物，骑电动车到单位上班；4月4日由120负压救护车转运至定点医院。"
    assert [(kind, place) for kind, _, _, place, _ in rows(text)] == [("visit", "家乐福超市"), ("visit", "单位")]


def test_in_a_chain_only_the_first_place_gets_the_time():
    text = "4月8日18时许先后至明亮眼镜店、嘉荣超市。"
    assert [(start, place) for _, _, start, place, _ in rows(text)] == [("18:00", "明亮眼镜店"), (None, "嘉荣超市")]


def test_clock_interval_gives_start_and_end():
    (visit,) = parse_trajectory("4月3日11时23分至17时07分在本村楼间小广场打玉米。", CTX)
    assert (visit.start.strftime("%H:%M"), visit.end.strftime("%H:%M")) == ("11:23", "17:07")


def test_part_of_day_without_clock_time():
    (visit,) = parse_trajectory("4月3日下午到普和小区快递柜取快递。", CTX)
    assert visit.start is None and visit.part_of_day == "下午"


def test_multi_day_stay_is_one_visit_and_daily_work_one_per_day():
    stay = rows("4月1日至3日在西宁锦程假日酒店住宿。")
    assert [(day, place) for _, day, _, place, _ in stay] == [("2022-04-01", "西宁锦程假日酒店")]
    work = rows("4月1日至3日每天到金泽塑胶厂上班。")
    assert [day for _, day, _, _, _ in work] == ["2022-04-01", "2022-04-02", "2022-04-03"]


def test_list_of_days_gives_one_visit_per_day():
    got = rows("4月1日、3日到大柳树村婚庆用品店取快递。")
    assert [(day, place, activity) for _, day, _, place, activity in got] == [
        ("2022-04-01", "大柳树村婚庆用品店", "取快递"), ("2022-04-03", "大柳树村婚庆用品店", "取快递")]


def test_after_detection_transfers_and_returning_home_are_not_visits():
    text = "4月9日到文化广场门口采集核酸，后返回家中；4月10日核酸检测结果阳性，随即被转运至太原市第四人民医院隔离治疗。"
    assert [(day, place) for _, day, _, place, _ in rows(text)] == [("2022-04-09", "文化广场门口")]


def test_place_with_no_date_has_date_none():
    (visit,) = parse_trajectory("两人先后均到过凯德MALL大峡谷店。", DateContext())
    assert visit.date is None and visit.place == "凯德MALL大峡谷店"


def test_spans_are_document_offsets():
    text = "4月2日到茂业天地喜茶店买奶茶。"
    (visit,) = parse_trajectory(text, CTX, offset=100)
    assert text[visit.span[0] - 100:visit.span[1] - 100] == "茂业天地喜茶店"


def test_traditional_characters_are_read_and_kept_as_written():
    (visit,) = parse_trajectory("4月2日到茂業天地樓下喜茶店購物。", CTX)
    assert (visit.place, visit.activity) == ("茂業天地樓下喜茶店", "購物")


def test_excel_line_breaks_separate_sentences():
    text = "4月5日12:20，打车至丁香苑小区附近。_x000D_4月6日居家未外出。"
    got = rows(text)
    assert got[0][:4] == ("transit", "2022-04-05", "12:20", "出租车")
    assert got[1][3] == "丁香苑小区附近" and got[-1][0] == "home"


def test_time_alone_in_its_clause_goes_to_the_next_clause():
    text = "3月1日，7时39分，乘坐816路公交车至北海公园站。"
    assert rows(text)[0][:4] == ("transit", "2022-03-01", "07:39", "816路公交车")


def test_relation_dates_do_not_move_the_current_date():
    text = "4月2日与4月10日通报的确诊病例9在北沟农家乐山庄聚餐。"
    assert [day for _, day, _, _, _ in rows(text)] == ["2022-04-02"]


def test_many_clauses_cost_the_same_work_each():
    """200 parses of one paragraph do 200 times the work of one: nothing accumulates between calls."""
    text = "4月2日20:00左右在茂业天地楼下喜茶店买奶茶，后到郭庄药店购买药品；4月6日居家未外出。" * 5
    parse_trajectory(text, CTX)
    with counted() as once:
        parse_trajectory(text, CTX)
    with counted() as many:
        for _ in range(200):
            parse_trajectory(text, CTX)
    assert many.total <= 200 * once.total * 1.05


def test_list_of_points_without_verbs():
    text = "11月22日\n\n4时左右,长平高速柳泉收费站出口;\n\n4时44分,中国石化潍坊第12加油站(北关街道);\n\n太原市疫情防控领导小组办公室\n"
    assert rows(text, DateContext(reference=dt.date(2022, 11, 24))) == [
        ("visit", "2022-11-22", "04:00", "长平高速柳泉收费站出口", None),
        ("visit", "2022-11-22", "04:44", "中国石化潍坊第12加油站(北关街道)", None),
    ]


@pytest.mark.parametrize("text", [
    "4月10日,提醒市民如出现发热症状,及时到就近的发热门诊就诊。据记者从市卫健委获悉,该小区已封控。",
    "4月10日,请市民如有发热、咳嗽等症状,尽快到附近医院发热门诊就诊。",
    "4月10日,广大群众出现发热症状的,请主动到发热门诊就诊,就诊途中全程佩戴口罩。",
])
def test_advice_and_news_prose_are_not_visits(text):
    assert rows(text) == []


def test_advice_lasts_to_the_end_of_its_sentence_only():
    text = "4月9日到城东超市购物,请市民注意防护。4月10日到城西药店买药。"
    assert [place for _, _, _, place, _ in rows(text)] == ["城东超市", "城西药店"]


def test_a_drive_over_an_interval_reaches_the_place_at_its_end():
    (visit,) = parse_trajectory("5月8日13:50—15:18自驾车行驶至东岭镇高速路口(途中未下车)", CTX)
    assert visit.start.strftime("%H:%M") == "15:18"


PARAGRAPHS = [
    "4月2日20:00左右在茂业天地楼下喜茶店买奶茶；4月6日居家未外出；4月7日22:00左右在大井峪唐久便利店购物。",
    "3月5日9:40从住处乘坐9路公交车前往新安街33号楼，12时到长春西站乘D9125次列车（2车13C号）返回农安。",
    "1月1日到(萧山区北干街道翠湖雅苑小区,杭州市)入住，后到郑大一附院(河医院区)取检查结果。",
    "4月17日晚8点左右去了一趟楼下的便利店买烟，后步行到萬達廣場（一樓）購物。",
]


def test_each_visit_span_holds_its_place():
    for text in PARAGRAPHS:
        for visit in parse_trajectory(text, CTX, offset=7):
            if visit.kind == "visit":
                assert text[visit.span[0] - 7:visit.span[1] - 7] == visit.place, (text, visit)


def test_any_text_parses_without_error():
    from hypothesis import given, settings, strategies as st

    alphabet = st.sampled_from(list("0123456789月日时分:：至—、，。；在到乘坐家居外出超市公交车航班上午晚(（)）") + ["_x000D_"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join))
    def parse(text):
        for visit in parse_trajectory(text, CTX):
            assert visit.kind in ("visit", "transit", "home")

    parse()


def test_during_a_trip_places_go_to_its_first_day_but_not_during_a_stay_at_home():
    trip = rows("4月12日—13日乘坐包车到沙湖景区游玩，期间在河套人家餐厅就餐。")
    assert [(day, place) for _, day, _, place, _ in trip][-1] == ("2022-04-12", "河套人家餐厅")
    home = rows("4月12日至13日居村无外出，期间曾在村中超市购物。")
    assert [kind for kind, *_ in home] == ["home"]


def test_place_around_a_station_keeps_its_surroundings():
    (visit,) = parse_trajectory("3月28日11时23分至17时07分在宁德动车站周边待客。", CTX)
    assert (visit.place, visit.activity) == ("宁德动车站周边", "待客")


def test_shops_named_for_their_dish_in_a_list_of_points():
    text = "4月3日:李记热干面(民主路)、老王火锅鸡(建设路与和平路交叉口)、乐乐小店(民主路)\n4月5日:好客蒸包(胜利路)、阿香鸡排(解放路)\n"
    got = rows(text, DateContext(reference=dt.date(2022, 4, 8)))
    assert [(day, place) for _, day, _, place, _ in got] == [
        ("2022-04-03", "李记热干面(民主路)"), ("2022-04-03", "老王火锅鸡(建设路与和平路交叉口)"), ("2022-04-03", "乐乐小店(民主路)"),
        ("2022-04-05", "好客蒸包(胜利路)"), ("2022-04-05", "阿香鸡排(解放路)")]


def test_a_list_of_places_goes_on_past_commas():
    got = rows("9月8日,中央大街老厨家,圣母教堂外广场,佳佳超市。", DateContext(reference=dt.date(2021, 9, 20)))
    assert [place for _, _, _, place, _ in got] == ["中央大街老厨家", "圣母教堂外广场", "佳佳超市"]
    got = rows("9月4日至9月10日,曾到过甲镇永辉超市,甲镇加油站、乙村快餐店,丙小区药房。", DateContext(reference=dt.date(2021, 9, 20)))
    assert [place for _, _, _, place, _ in got] == ["甲镇永辉超市", "甲镇加油站", "乙村快餐店", "丙小区药房"]


def test_a_comma_after_a_visit_with_its_activity_ends_the_list():
    got = rows("9月8日到某某超市购物,佩戴口罩,停留约10分钟。", DateContext(reference=dt.date(2021, 9, 20)))
    assert [place for _, _, _, place, _ in got] == ["某某超市"]


def test_date_only_clauses_in_a_row_name_the_days_of_what_follows():
    got = rows("12月11日,14日-15日,17日,从家乘公司班车上班。", DateContext(reference=dt.date(2020, 12, 27)))
    assert [(kind, day, place) for kind, day, _, place, _ in got] == [
        ("transit", "2020-12-11", "公司班车"), ("transit", "2020-12-14", "公司班车"),
        ("transit", "2020-12-15", "公司班车"), ("transit", "2020-12-17", "公司班车")]


def test_places_of_a_recent_period_have_no_day():
    got = rows("12月8日在居民筛查中检出核酸阳性。该患者近14天内曾去过甲区中央公园、乙区美甲店。12月9日到佳佳超市。",
               DateContext(reference=dt.date(2020, 12, 9)))
    assert [(day, place) for _, day, _, place, _ in got] == [
        (None, "甲区中央公园"), (None, "乙区美甲店"), ("2020-12-09", "佳佳超市")]


def test_places_since_the_onset_have_no_day():
    got = rows("1月29日发病，2月2日确诊。发病后曾在甲镇某村附近、乙街道某居委会附近逗留。", DateContext(reference=dt.date(2020, 2, 3)))
    assert [(day, place) for _, day, _, place, _ in got] == [(None, "甲镇某村附近"), (None, "乙街道某居委会附近")]


def test_stations_of_a_metro_chain_are_visits():
    got = rows("1月8日乘坐地铁6号线甲站——5号线乙医院站——1号线丙站——丁大学站,步行回家。", DateContext(reference=dt.date(2022, 1, 10)))
    assert [(kind, place) for kind, _, _, place, _ in got] == [
        ("transit", "地铁6号线"), ("visit", "甲站"), ("transit", "5号线"), ("visit", "乙医院站"),
        ("transit", "1号线"), ("visit", "丙站"), ("visit", "丁大学站")]
    got = rows("1月7日乘坐地铁4号线从南湖站到北山站。", DateContext(reference=dt.date(2022, 1, 10)))
    assert [(kind, place) for kind, _, _, place, _ in got] == [("transit", "地铁4号线"), ("visit", "南湖站"), ("visit", "北山站")]


def test_a_risk_area_drawn_by_its_boundaries_is_no_visit():
    text = "封控区:东至某水库管理处,南至某篮球场-某公寓,西至某消防站。实行区域封闭管理。4月3日到佳佳超市购物。"
    got = rows(text, DateContext(reference=dt.date(2022, 4, 8)))
    assert [place for _, _, _, place, _ in got] == ["佳佳超市"]


def test_dated_lines_listing_places_without_verbs():
    text = "2月22日:东兴村菜场、中百超市(东兴后街店);\n2月23日:百步龙庭302栋1单元;\n13日,东湖镇、西岭街道等开展大规模核酸检测。"
    got = rows(text, DateContext(reference=dt.date(2022, 2, 28)))
    assert [(day, place) for _, day, _, place, _ in got] == [
        ("2022-02-22", "东兴村菜场"), ("2022-02-22", "中百超市(东兴后街店)"), ("2022-02-23", "百步龙庭302栋1单元")]


def test_long_inputs_take_linear_work():
    """Four times the text costs about four times the work (quadratic would be sixteen), counted, not timed."""
    def cost(text):
        with counted() as work:
            parse_trajectory(text, CTX)
        return work.total

    for unit in ("在", "到超市", "1", "4月5日", "(", "8时到超市", "4月5日到超市", "乘1路公交车", "4月5日居家，",
                 "到店、", "从店、", "到(店"):
        small, large = (cost(unit * (size // len(unit))) for size in (3000, 12000))
        assert large < 10 * small, (unit, small, large)


def test_a_list_item_with_its_own_activity_keeps_its_place_and_the_time():
    text = "4月9日10时步行到城关镇建设银行办业务、城关镇永辉超市购物。"
    assert rows(text) == [
        ("visit", "2022-04-09", "10:00", "城关镇建设银行", "办业务"),
        ("visit", "2022-04-09", None, "城关镇永辉超市", "购物"),
    ]


def test_going_home_is_no_visit_but_the_taxi_home_is_a_ride():
    text = "4月3日17时与丈夫一同驾车返家后未外出；4月4日从万达广场打车到李家村回家。"
    assert [(kind, place) for kind, _, _, place, _ in rows(text)] == [("transit", "出租车")]


def test_staying_in_after_arriving_lasts_up_to_the_next_date():
    text = "4月2日20时抵达李家村，后居村无外出；4月6日转运至隔离点。"
    assert rows(text) == [("home", "2022-04-03", None, None, None)]
    (home,) = parse_trajectory(text, CTX)
    assert home.end_date == dt.date(2022, 4, 5)


def test_staying_in_after_arriving_with_no_later_date_gives_no_home_days():
    assert rows("4月2日到超市购物，后居家未外出。") == [("visit", "2022-04-02", None, "超市", "购物")]


def test_traditional_rides_are_transits_as_written_and_a_bus_stop_is_a_visit():
    text = "4月2日晚上8時乘坐港鐵觀塘綫返家；4月3日乘搭41號巴士返家；4月4日9时步行至长安路公交站。"
    assert [(kind, place) for kind, _, _, place, _ in rows(text)] == [
        ("transit", "港鐵觀塘綫"), ("transit", "41號巴士"), ("visit", "长安路公交站")]


def test_what_an_exclusion_lead_leaves_out_is_no_visit():
    text = "4月2日至6日，除居家、到公司上班外：4月3日到华联超市购物；4月5日，除了在家以外，还到惠民药店买药。"
    assert [(kind, day, place) for kind, day, _, place, _ in rows(text)] == [
        ("visit", "2022-04-03", "华联超市"), ("visit", "2022-04-05", "惠民药店"),
    ]


def test_an_outing_in_the_clause_of_an_exclusion_is_read():
    assert [place for _, _, _, place, _ in rows("4月5日除在家外还到惠民药店买药。")] == ["惠民药店"]


def test_a_date_in_brackets_after_a_place_dates_that_place():
    text = "4月1日发热，此后在东风菜市场（4月2日）、福满楼饭店（2022/4/4）和市第一医院(2022-04-05)停留过。"
    assert [(day, place) for _, day, _, place, _ in rows(text)] == [
        ("2022-04-02", "东风菜市场"), ("2022-04-04", "福满楼饭店"), ("2022-04-05", "市第一医院")]


@pytest.mark.parametrize("expected,text", [(places, text) for places, texts in WHOSE_OUTINGS for text in texts])
def test_another_persons_outings_are_not_the_cases(expected, text):
    assert [(place, activity) for _, _, _, place, activity in rows(text) if place] == expected


@pytest.mark.parametrize("text", UNDATED_HABITS)
def test_a_daily_habit_gets_no_day(text):
    assert [row for row in rows(text) if row[0] != "home" and row[3] != "超市"] == []


def test_a_daily_habit_over_a_range_is_one_visit_a_day():
    assert [day for _, day, _, _, _ in rows("4月1日至3日，每天到单位上班。")] == ["2022-04-01", "2022-04-02", "2022-04-03"]


def test_a_bare_hour_after_an_afternoon_time_stays_in_the_afternoon():
    text = "4月6日下午2时到工商银行办事，3时15分到红街市买菜；晚上8时到福满楼饭店吃饭，9时返家。4月7日9时到药店。"
    assert [(start, place) for _, _, start, place, _ in rows(text)] == [
        ("14:00", "工商银行"), ("15:15", "红街市"), ("20:00", "福满楼饭店"), ("09:00", "药店")]


def test_a_twenty_four_hour_clock_is_not_shifted():
    text = "4月6日15时到工商银行办事，9时到药店。"
    assert [start for _, _, start, _, _ in rows(text)] == ["15:00", "09:00"]


def test_the_date_of_a_report_on_another_case_is_not_the_visit_date():
    text = "4月3日19时同4月9日大连市通报的确诊病例5在老街羊汤馆吃饭；4月5日到市卫健委报告的采样点做核酸。"
    assert [(day, place) for _, day, _, place, _ in rows(text)] == [
        ("2022-04-03", "老街羊汤馆"), ("2022-04-05", "市卫健委报告的采样点")]


def test_a_time_told_of_another_person_goes_to_the_case_going_along():
    assert rows("4月2日8时左右家属发热，陪同其前往刘圩村卫生室。") == [("visit", "2022-04-02", "08:00", "刘圩村卫生室", None)]
    assert rows("4月2日8时其丈夫到超市购物。到药店买药。") == [("visit", "2022-04-02", None, "药店", "买药")]


def test_the_same_way_back_is_a_second_ride_on_that_line():
    text = "4月3日乘坐37路公交车到市图书馆借书，后原路返回；4月4日到红星超市购物，原路线返回。"
    assert [(kind, day, place) for kind, day, _, place, _ in rows(text)] == [
        ("transit", "2022-04-03", "37路公交车"), ("visit", "2022-04-03", "市图书馆"),
        ("transit", "2022-04-03", "37路公交车"), ("visit", "2022-04-04", "红星超市")]


def test_a_timetable_time_after_the_riding_verb_does_not_replace_the_stated_time():
    text = "4月3日9时10分，在汽车站乘坐8:40由县城开往市区的班车。"
    assert [(kind, start) for kind, _, start, _, _ in rows(text)] == [("visit", "09:10"), ("transit", "09:10")]


def test_back_at_a_home_the_case_stays_at_is_no_new_visit():
    text = "4月2日到姐姐家探亲，住在姐姐家。4月3日到人民公园散步，后返回姐姐家。离开前一直住在姐姐家。4月5日回姐姐家吃饭。"
    assert [(day, place) for _, day, _, place, _ in rows(text)] == [
        ("2022-04-02", "姐姐家"), ("2022-04-03", "人民公园"), ("2022-04-05", "姐姐家")]


def test_a_daily_ride_over_a_range_is_one_ride_a_day():
    got = rows("4月1日至3日在河北宾馆住宿，乘大巴车上下班。")
    assert [(kind, day) for kind, day, _, _, _ in got if kind == "transit"] == [
        ("transit", "2022-04-01"), ("transit", "2022-04-02"), ("transit", "2022-04-03")]


def test_a_range_visited_several_times_is_one_visit_not_one_a_day():
    got = rows("4月1日至5日，多次去某培训学校上课。")
    assert [(day, place) for kind, day, _, place, _ in got if kind == "visit"] == [("2022-04-01", "某培训学校")]


def test_night_shifts_over_a_range_are_one_visit_a_night():
    got = rows("4月1日至2日白天居家无外出，晚上在单位上夜班。")
    assert [(day, place) for kind, day, _, place, _ in got if kind == "visit"] == [
        ("2022-04-01", "单位"), ("2022-04-02", "单位")]


def test_the_callers_current_day_resolves_day_only_dates_but_dates_no_clause():
    ctx = DateContext(current=dt.date(2022, 3, 5))   # the start of the window day-only dates fall in
    got = rows("15:30前往某商场购物，未外出。25日到某超市购物。", ctx)
    assert [(kind, day, place) for kind, day, _, place, _ in got] == [
        ("visit", None, "某商场"), ("visit", "2022-03-25", "某超市")]


def test_going_to_school_with_no_school_named_goes_to_the_cases_school():
    got = parse_trajectory("4月1至2日,每天7时左右上学,11:40放学后回家。4月3日在家未外出。", CTX, school="甲县工业小学")
    assert [(v.kind, v.date.isoformat(), v.place) for v in got] == [
        ("visit", "2022-04-01", "甲县工业小学"), ("visit", "2022-04-02", "甲县工业小学"), ("home", "2022-04-03", None)]
    assert all(v.place is None for v in parse_trajectory("4月1日7时左右上学。", CTX) if v.kind == "visit")


def test_going_to_the_nearest_clinic_is_a_visit_but_advice_to_do_so_is_not():
    assert [place for _, _, _, place, _ in rows("4月1日因发热就近到甲镇卫生院就诊。")] == ["甲镇卫生院"]
    assert rows("4月1日起，请市民如有发热就近到发热门诊就诊。") == []


@given(st.text(alphabet="ab月日,", max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=8))
def test_masking_spans_equals_masking_them_one_by_one(text, spans):
    spans = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in spans]
    one_by_one = text
    for start, end in spans:
        one_by_one = one_by_one[:start] + MASK * (end - start) + one_by_one[end:]
    assert _mask(text, spans) == one_by_one


def test_a_visit_out_of_the_window_is_the_visit_without_date_or_times():
    from dataclasses import fields, replace

    from casedb.grammar.trajectory import _undated
    from casedb.records import Visit
    # (_undated builds the copy from the fields in order: a new field must be added there too)
    assert [f.name for f in fields(Visit)] == ["kind", "date", "end_date", "start", "end", "part_of_day", "place",
                                               "activity", "vehicle", "span", "year_inferred"]
    visit = Visit("transit", dt.date(2021, 1, 2), dt.date(2021, 1, 3), dt.datetime(2021, 1, 2, 8),
                  dt.datetime(2021, 1, 2, 9), "上午", "K1234次列车", "乘车", "12车厢", (3, 9), True)
    assert _undated(visit) == replace(visit, date=None, end_date=None, start=None, end=None, year_inferred=False)


def test_a_visit_is_checked_against_the_window_as_by_clamping_its_days():
    """within_window keeps a visit inside the window as it is, tested without clamping its days to the window
    first: the same as the rule that clamps them and keeps the visit whose days did not change."""
    from dataclasses import replace

    from casedb.grammar.dates import window
    from casedb.grammar.trajectory import _undated, within_window
    from casedb.records import Visit

    def clamped(visit, reference):
        if visit.date is None:
            return [visit]
        earliest, latest = window(reference, not visit.year_inferred)
        first = visit.date if earliest is None else max(visit.date, earliest)
        last = min(visit.end_date or visit.date, latest)
        if first == visit.date and last == (visit.end_date or visit.date) and first <= last:
            return [visit]
        if visit.kind == "home" or first == visit.date and first <= last:
            return [replace(visit, date=first, end_date=last if visit.end_date else None)] if first <= last else []
        return [_undated(visit)]

    reference = dt.date(2022, 4, 13)
    days = [None] + [reference + dt.timedelta(days=n) for n in (-70, -61, -60, -59, -1, 0, 1, 5)]
    visits = [Visit(kind, date, end_date, place="甲", span=(0, 1), year_inferred=inferred)
              for kind in ("visit", "home") for date in days for end_date in days for inferred in (True, False)]
    assert [v for visit in visits for v in clamped(visit, reference)] == within_window(visits, reference)


def test_visits_and_home_days_come_in_the_order_of_their_spans():
    """_Walk.visits sorts home days in among the visits by where they start in the text (stable: a list of days
    keeps its days in order), as ``sorted(visits, key=lambda v: v.span[0])``."""
    text = "4月1日至4月5日居家未外出，期间4月3日到甲超市购物；4月6日、7日到乙药店买药，4月8日居家。"
    visits = parse_trajectory(text, CTX)
    assert [v.kind for v in visits].count("home") >= 2 and len({v.kind for v in visits}) == 2
    assert visits == sorted(visits, key=lambda v: v.span[0])


def test_a_clause_without_any_guard_phrase_holds_none_of_the_guards():
    """_read_clause searches a new clause once for any guard phrase, and for each guard only when it finds one."""
    from pathlib import Path

    from casedb.grammar import trajectory
    from casedb.read import to_simplified

    guards = (trajectory._EVERY_DAY, trajectory._ADVICE, trajectory._NOT_TRAJECTORY, trajectory._RECENT)
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [m.group(0) for path in seeds for m in trajectory._CLAUSE.finditer(to_simplified(path.read_text(encoding="utf-8")))]
    texts += ["每天到超市", "邀请朋友", "请市民", "短暂停留", "暂停营业", "即近期", "近期", "近 14 天内", "即潜伏期间", "足迹包括",
              "密切接触者3", "筛查点", "就近到", "就近就诊", ""]
    assert any(trajectory._ANY_GUARD.search(text) for text in texts)
    for text in texts:
        assert (trajectory._ANY_GUARD.search(text) is not None) == any(guard.search(text) for guard in guards), text


def test_a_clause_without_a_subject_or_visit_cue_matches_none_of_its_rules():
    """_rest_of tries _VISITED, _OWN_SUBJECT, _GOING_ALONG and _SAME_WAY_BACK only on a clause that
    _ANY_SUBJECT_OR_VISIT finds something in: a clause any of them matches holds a match of it."""
    from pathlib import Path

    from casedb.grammar import trajectory
    from casedb.read import to_simplified

    searched = (trajectory._VISITED, trajectory._GOING_ALONG, trajectory._SAME_WAY_BACK)
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [m.group(0) for path in seeds for m in trajectory._CLAUSE.finditer(to_simplified(path.read_text(encoding="utf-8")))]
    texts += ["曾到过超市", "曾经去", "陪同其前往", "与患者一同", "后原路线返回", "原线路返", "本人到", "张某到", "该病例",
              "患者3", "病例12到", "  本人", "其妻子到", ""]
    matched = [text for text in texts
               if any(rule.search(text) for rule in searched) or trajectory._OWN_SUBJECT.match(text)]
    assert matched
    assert all(trajectory._ANY_SUBJECT_OR_VISIT.search(text) for text in matched)
    assert not all(trajectory._ANY_SUBJECT_OR_VISIT.search(text) for text in texts)


def test_the_walks_readings_are_plain_tuples_of_their_named_fields():
    """_read_clause, _rest_of and _clause_dates return plain tuples (unpacked without an iterator) holding the fields
    of _Said, _Rest and _ClauseDates in order."""
    import datetime as dt

    from casedb.grammar import trajectory
    from casedb.grammar.dates import DateContext

    ctx = DateContext(reference=dt.date(2021, 1, 20))
    for clause in ("1月5日到超市购物", "在家中未外出", "本人曾到过A超市", ""):
        said = trajectory._read_clause(clause)
        assert type(said) is tuple and len(said) == len(trajectory._Said._fields)
        rest = trajectory._rest_of(clause)
        assert type(rest) is tuple and len(rest) == len(trajectory._Rest._fields)
        assert trajectory._Rest._make(rest).masked == clause
        dates = trajectory._clause_dates(clause, ctx)
        assert type(dates) is tuple and len(dates) == len(trajectory._ClauseDates._fields)
    assert trajectory._ClauseDates._make(trajectory._clause_dates("1月5日到超市", ctx)).dates[0].date == dt.date(2021, 1, 5)
    assert type(trajectory._NO_DATES) is tuple and len(trajectory._NO_DATES) == len(trajectory._ClauseDates._fields)


def test_the_characters_tested_before_a_rule_are_in_every_text_it_matches():
    """_read_clause tries _DURING only on a clause with 期 or 其, _bracketed_date _OPENING_BRACKET only on one
    with a bracket: every match of the rule holds one."""
    from pathlib import Path

    from casedb.grammar import trajectory
    from casedb.read import to_simplified

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [m.group(0) for path in seeds for m in trajectory._CLAUSE.finditer(to_simplified(path.read_text(encoding="utf-8")))]
    texts += ["期间到超市", " 其间", "其中1人", "A超市 (1月2日)", "B店（", ""]
    during = [text for text in texts if trajectory._DURING.match(text)]
    bracketed = [text for text in texts if any(trajectory._OPENING_BRACKET.match(text, i) for i in range(len(text)))]
    assert during and bracketed
    assert all("期" in text or "其" in text for text in during)
    assert all("(" in text or "（" in text for text in bracketed)


def test_the_walks_rules_match_as_written_before_they_were_made_cheaper():
    """Possessive leading blanks and masks (no alternative starts with one) and literal-first alternatives
    (到过|去过|来过) match as the greedy and grouped rules did."""
    import re
    from pathlib import Path

    from casedb.grammar import trajectory
    from casedb.read import to_simplified

    before = {
        trajectory._OWN_SUBJECT: re.compile(trajectory._OWN_SUBJECT.pattern.replace("]*+(?:", "]*(?:", 1)),
        trajectory._OTHER_SUBJECT: re.compile(trajectory._OTHER_SUBJECT.pattern.replace("]*+(?:", "]*(?:", 1)),
        trajectory._TIME_ONLY_FILLER: re.compile(trajectory._TIME_ONLY_FILLER.pattern[:-1]),
        trajectory._VISITED_LIST: re.compile(r"(?:到|去|来)过|涉及|途经"),
        trajectory._VISITED: re.compile(r"(?:到|去|来)过|涉及|途经|曾经?(?:到|去)"),
    }
    assert all(rule.pattern != was.pattern for rule, was in before.items())
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [m.group(0) for path in seeds for m in trajectory._CLAUSE.finditer(to_simplified(path.read_text(encoding="utf-8")))]
    texts += [MASK * 5 + "本人到超市", " " + MASK * 3 + "其妻子到", MASK * 4 + " 张某与其丈夫", MASK * 2 + "患者的母亲", "  约 ",
              MASK * 6 + "左右", MASK * 3 + "到过A", "曾到B", "去过", "来过", "途经C", ""]
    for text in texts:
        for rule, was in before.items():
            for position in range(len(text) + 1):
                assert (rule.match(text, position) is None) == (was.match(text, position) is None), (rule, text, position)
                assert (rule.fullmatch(text, position) is None) == (was.fullmatch(text, position) is None), (rule, text)
            assert (rule.search(text) is None) == (was.search(text) is None), (rule, text)


def test_a_text_is_cut_into_the_clauses_the_clause_rule_matches():
    """_clauses cuts a text without colons and brackets with ``str`` methods, into the matches of _CLAUSE."""
    from pathlib import Path

    from casedb.grammar import trajectory
    from casedb.read import to_simplified

    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in seeds]
    texts += [text.translate({ord(c): "、" for c in "(（:："}) for text in texts]   # (cut with str methods)
    texts += ["1月5日，到超市。。\n\n 2月3日;A店;B店!?C店！？", "，,。；;！？!?\n", " \t ，到家 \n", "到超市", "19∶00离开", "",
              "1月5日(周二)到超市，14:30返回", "（未闭合的括号，到超市", "12：30到达"]
    assert sum(not any(c in text for c in "(（:：") for text in texts) > len(seeds)
    for text in texts:
        assert trajectory._clauses(text) == [(m.start(), m.group(0)) for m in trajectory._CLAUSE.finditer(text)], text


def test_home_stays_and_ride_items_are_built_from_their_fields_in_order():
    """_home_visits and _items build Visit and _Item positionally (a class called with keywords builds a dict of
    them): the same objects as with keywords."""
    import re
    from dataclasses import fields

    from casedb.grammar.dates import DateContext, DateMatch
    from casedb.grammar.trajectory import _home_visits, _Item
    from casedb.records import Visit
    assert [f.name for f in fields(_Item)][:6] == ["start", "end", "kind", "place", "activity", "vehicle"]
    assert _Item(1, 4, "transit", "出租车", None, "粤B12345") == _Item(1, 4, "transit", "出租车", vehicle="粤B12345")
    home = re.search("居家", "1月2日至4日居家")
    listed = DateMatch(0, 6, dt.date(2021, 1, 2), dt.date(2021, 1, 4), (dt.date(2021, 1, 2), dt.date(2021, 1, 4)))
    assert _home_visits(listed, "1月2日、4日居家", DateContext(), 10, home) == [
        Visit("home", day, day, year_inferred=True, span=(17, 19)) for day in listed.days]
    ranged = DateMatch(0, 6, dt.date(2021, 1, 2), dt.date(2021, 1, 4), year_written=True)
    assert _home_visits(ranged, "1月2日至4日居家", DateContext(), 10, home) == [
        Visit("home", dt.date(2021, 1, 2), dt.date(2021, 1, 4), year_inferred=False, span=(17, 19))]


def test_places_read_past_dates_in_brackets_keep_their_spans_in_the_clause():
    """_places_around_dates reads the clause without its brackets and moves each place's span back (PlaceMatch,
    a named tuple, copied with _replace)."""
    from casedb.grammar.places import MASK, PlaceMatch
    from casedb.grammar.trajectory import _places_around_dates
    masked = f"到A超市({MASK * 5})、B商场({MASK * 5})购物"
    found = _places_around_dates(masked, False, False)
    assert found == (PlaceMatch(1, 4, "A超市", "购物", "到"), PlaceMatch(12, 15, "B商场", "购物", "到"))
    assert [masked[p.start:p.end] for p in found] == ["A超市", "B商场"]
