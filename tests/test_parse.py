import datetime as dt

from casedb.extract import extract_text


def _cases(text):
    notices = extract_text(text).notices
    return [c for n in notices for c in n.cases]


def _relations(case):
    return sorted((r.other, r.kind) for r in case.relations)


def test_labelled_paragraphs():
    text = """关于病例8—9活动轨迹的通告
病例8
女,56岁,居住于松源小区,系病例4的弟媳。4月10日集中隔离,4月11日核酸检测结果阳性,诊断为无症状感染者。
病例9:男,19岁,居住于公园美地小区。2022年4月2日20:00左右在喜茶店买奶茶。4月11日核酸检测结果阳性。经专家会诊,诊断为确诊病例(轻型)。
晋阳市疫情防控领导小组办公室
2022年4月13日
"""
    eight, nine = _cases(text)
    assert (eight.label, eight.sex, eight.age, eight.category) == ("病例8", "female", 56, "asymptomatic")
    assert eight.residence == "松源小区"
    assert eight.positive_date == dt.date(2022, 4, 11)
    assert eight.isolation_date == dt.date(2022, 4, 10)
    assert _relations(eight) == [("病例4", "in_law")]
    assert (nine.sex, nine.age, nine.category, nine.residence) == ("male", 19, "confirmed", "公园美地小区")
    assert [v.date for v in nine.visits if v.kind == "visit"][:1] == [dt.date(2022, 4, 2)]


def test_grouped_labels_share_facts_and_symmetric_links():
    text = "病例3、4:均为女性,居住于星河湾小区,二人为夫妻关系。2022年4月5日—7日居家未外出。\n"
    three, four = _cases(text)
    assert (three.label, four.label) == ("病例3", "病例4")
    assert three.residence == four.residence == "星河湾小区"
    assert _relations(three) == [("病例4", "spouse")]
    assert _relations(four) == [("病例3", "spouse")]


def test_inline_list_of_cases_shares_the_trajectory():
    text = ("经初步调查,病例1,男,34岁;病例2,女,33岁;病例3,男,7岁,系一家三口。"
            "2021年7月17日乘坐CA8581航班至临川青云机场。\n")
    cases = _cases(text)
    assert [(c.label, c.sex, c.age) for c in cases] == [("病例1", "male", 34), ("病例2", "female", 33),
                                                        ("病例3", "male", 7)]
    assert _relations(cases[0]) == [("病例2", "relative"), ("病例3", "relative")]
    assert all(c.visits for c in cases)


def test_pair_relation_resolved_by_sex_and_contact_of_dated_case():
    text = ("病例27:男,9岁,柳河镇东王庄村人,与确诊病例12为母子关系。2021年1月2日居家未外出;1月4日结果呈阳性。\n"
            "病例28:女,70岁,柳河镇东王庄村人,为1月12日第56号确诊病例的密切接触者。2021年1月3日进行核酸检测;"
            "1月4日结果呈阳性。\n")
    boy, woman = _cases(text)
    assert _relations(boy) == [("确诊病例12", "child")]
    assert boy.residence == "柳河镇东王庄村"
    assert _relations(woman) == [("第56号确诊病例", "close_contact")]
    assert woman.positive_date == dt.date(2021, 1, 4)


def test_chinese_numeral_labels():
    text = "新增病例情况:\n患者十三,男,64岁,现住平阳县,1月19日从武汉回温。\n患者十四,女,46岁,现住乐清市。\n"
    cases = _cases(text)
    assert [(c.label, c.number, c.residence) for c in cases] == [("患者十三", 13, "平阳县"),
                                                                 ("患者十四", 14, "乐清市")]


def test_one_unlabelled_person():
    text = ("新增1例无症状感染者轨迹\n3月29日,乘SU208航班自莫斯科直飞上海。\n4月13日,乘坐CZ6252航班飞哈尔滨。\n"
            "4月16日,经核酸检测,结果呈阳性。\n")
    (case,) = _cases(text)
    assert case.label is None
    assert case.category == "asymptomatic"
    assert case.positive_date is not None and case.positive_date.month == 4 and case.positive_date.day == 16


def test_persons_found_separately_give_unattributed_visits():
    text = ("11月23日,莱西市报告1例确诊病例、3例无症状感染者,现将其涉及的风险点位通报如下:\n"
            "11月22日\n9时左右,到水集街道绿荫花园小区;\n12时左右,在水集街道烟台路辣子鸡店就餐;\n")
    (notice,) = extract_text(text).notices
    assert notice.cases == []
    assert notice.unattributed_visits


def test_persons_together_each_get_the_trajectory():
    text = ("天门市新增2例确诊病例(两人活动轨迹相同)。现将其轨迹公布如下:\n"
            "10月19日13:00左右,在襄北服务区吃午餐;17:30左右,入住天门市悦来酒店。\n"
            "10月20日11:00,前往天门市第一人民医院做核酸检测。\n")
    cases = _cases(text)
    assert len(cases) == 2
    assert cases[0].visits and len(cases[0].visits) == len(cases[1].visits)


def test_named_person():
    text = ("洛阳通报无症状感染者的情况。周某某,女,39岁,居住地址为涧西区青峰路14号。\n活动轨迹:\n"
            "7月16日8时,到郑大一附院产科就诊。\n7月22日7:20,到四中值班。\n")
    (case,) = _cases(text)
    assert (case.label, case.sex, case.age, case.residence) == ("周某某", "female", 39, "涧西区青峰路14号")


def test_person_named_in_prose_with_a_trajectory():
    text = ("甲城区指挥部发布通告,确定该区韩某某为新冠病毒阳性病例(工作地在乙市)。现将韩某某活动轨迹公布如下:\n"
            "9月11日\n09:07 某某加油站\n09:21 友谊超市\n")
    (case,) = _cases(text)
    assert case.label == "韩某某"
    assert [(v.date.strftime("%m-%d"), v.place) for v in case.visits] == [("09-11", "某某加油站"), ("09-11", "友谊超市")]


def test_the_one_person_of_a_news_item_is_described_in_its_lead():
    text = ("某市卫健委通报,11月2日,我市报告新增1例本土无症状感染者。该人员为外省来某人员,男,34岁,现住甲区乐园小区。\n"
            "其活动轨迹如下:10月30日8时从外省驾车抵达我市,10时在甲区百佳超市购物。10月31日居家未外出。"
            "11月1日9时到甲区人民医院发热门诊就诊。\n")
    (case,) = _cases(text)
    assert (case.label, case.sex, case.age, case.residence) == (None, "male", 34, "甲区乐园小区")
    assert [v.place for v in case.visits if v.kind == "visit"] == ["甲区百佳超市", "甲区人民医院发热门诊"]


def test_persons_described_without_labels_one_case_each_in_order_of_mention():
    text = ("卫生署今日公布新增3宗确诊个案。患者包括一名25岁男子、一名64岁女子及一名8岁女童。\n"
            "该名25岁男子于3月1日到尖沙咀某商场,3月2日到旺角某餐厅用膳。\n"
            "该名64岁女子于3月2日到观塘某街市。\n")
    cases = _cases(text)
    assert [(c.label, c.sex, c.age) for c in cases] == [(None, "male", 25), (None, "female", 64), (None, "female", 8)]
    assert [v.place for v in cases[0].visits] == ["尖沙咀某商场", "旺角某餐厅"]
    assert [v.place for v in cases[2].visits] == []


def test_taiwan_numbers_in_prose_and_the_links_their_descriptions_state():
    text = ("某县今日公布3名确诊个案。其中2例为先前确诊39岁某女(案31768)的1岁幼儿(案31793)及家中帮佣;"
            "另一名确诊31岁女(案31870)则为某区46岁男(案31765)办公室同事,4月1日曾到某夜市。\n"
            "此外,案号「31436」为民宿老板,4月2日至某医院筛检;案号「31864」则是新北案号「31146」之弟。\n")
    cases = {c.label: c for c in _cases(text)}
    assert sorted(cases) == ["案31436", "案31793", "案31864", "案31870"]
    assert (cases["案31793"].age, _relations(cases["案31793"])) == (1, [("案31768", "child")])
    assert _relations(cases["案31870"]) == [("案31765", "colleague")]
    assert _relations(cases["案31864"]) == [("案31146", "sibling")]


def test_a_report_that_opens_with_its_persons_sex_and_age():
    cases = _cases("男,44岁,现住某区某小区。1月20日到某医院就诊,1月22日核酸检测结果阳性,确诊为新冠肺炎病例。\n")
    assert [(c.label, c.sex, c.age, c.residence) for c in cases] == [(None, "male", 44, "某区某小区")]


def test_a_trajectory_announced_on_its_own_line():
    cases = _cases("本文转自某市政府发布;\n某市一确诊患者乘坐公交车轨迹如下:11月16日7时35分左右乘坐4路公交车在某站上车,"
                   "某酒店站下车;18时10分左右在某广场站上车,某站下车。\n一、及时到所在社区登记。\n")
    assert len(cases) == 1 and "4路公交车" in [v.place for v in cases[0].visits]


def test_a_running_total_in_the_lead_counts_no_persons():
    text = ("某市疫情防控通告\n3月24日,我市在来返人员中发现1例核酸检测阳性,经专家组诊断为无症状感染者。截至目前,我市共发现"
            "8例来返人员阳性病例,其中:6例确诊病例,2例无症状感染者。\n新发现的无症状感染者活动轨迹如下:\n"
            "3月21日:在某小吃部吃早餐,下午在某棋牌室打牌;\n3月22日:10时到某批发部买香烟,到某加油站加油。\n")
    cases = _cases(text)
    assert len(cases) == 1 and len(cases[0].visits) >= 3


def test_a_couple_in_prose_is_linked_to_each_other_only():
    text = "某市今日公布4名确诊者,案31687是案31595的女性友人,案31688是计程车司机、案31689和案31690是夫妻档,3人都曾到某小吃店消费。\n"
    cases = {c.label: c for c in _cases(text)}
    assert _relations(cases["案31687"]) == [("案31595", "other")]
    assert _relations(cases["案31688"]) == []
    assert _relations(cases["案31689"]) == [("案31690", "spouse")]
    assert _relations(cases["案31690"]) == [("案31689", "spouse")]


def test_a_mention_in_a_story_without_outings_is_no_case():
    assert extract_text("一名35岁男子因醉驾被行政拘留。该名男子称当晚在朋友家喝酒。\n").notices == []


def test_persons_named_at_paragraph_starts_and_their_links():
    text = ("某市通报新增2例确诊病例。\n孙某甲,男,60岁,现住甲区。1月10日乘G123次列车到某市,1月11日到百佳超市购物。\n"
            "孙某乙,男,35岁,系孙某甲的儿子,现住甲区。1月12日到甲区人民医院就诊。\n")
    cases = _cases(text)
    assert [(c.label, c.sex, c.age) for c in cases] == [("孙某甲", "male", 60), ("孙某乙", "male", 35)]
    assert _relations(cases[1]) == [("孙某甲", "child")]


def test_a_counted_group_statement_in_the_lead_links_every_pair():
    text = ("某市报告新增2例确诊病例和1例无症状感染者(三人同住),现将情况通报如下:\n"
            "确诊病例1:女,74岁,居住在某小区。\n确诊病例2:男,11岁,就读某小学。\n无症状感染者3:女,38岁,在某美容院上班。\n")
    cases = _cases(text)
    assert _relations(cases[2]) == [("确诊病例1", "cohabitant"), ("确诊病例2", "cohabitant")]
    family = "某市新增4例(一家四口)确诊病例。\n病例1:女,47岁。\n病例2:男,44岁,为病例1丈夫。\n病例3:男,8岁,为病例1小儿子。\n病例4:男,20岁,为病例1大儿子。\n"
    assert _relations(_cases(family)[0]) == []


def test_a_relation_to_a_labelled_case_given_by_its_name():
    text = ("确诊病例1:宋某某,女,74岁,居住在某小区。\n确诊病例2:许某某(宋某某的孙子),男,11岁,就读某小学。\n")
    cases = _cases(text)
    assert _relations(cases[1]) == [("确诊病例1", "grandchild")]
    assert _relations(cases[0]) == []


def test_year_less_days_take_the_year_nearest_a_full_date_the_notice_writes():
    text = ("无症状感染者,女,80岁,自2020年12月15日至今因卧床一直未出家门。\n"
            "1月3日-6日,居家未出。\n1月9日与丈夫乘坐私家车前往兴业村宴席厅参加宴请。\n1月12日乘坐3线公交车前往父亲家。\n")
    (case,) = _cases(text)
    assert [(v.kind, v.date.isoformat()) for v in case.visits if v.kind != "visit"] == [
        ("home", "2020-12-15"), ("home", "2021-01-03"), ("transit", "2021-01-12")]


def test_a_group_that_is_the_subject_of_the_trajectory_gives_each_member_its_visits():
    text = ("甲县通报:11月5日,我县在核酸检测中发现外省游客3人初筛阳性,另在邻县报告阳性2例。\n"
            "该3例初筛阳性游客于10月28日乘坐D2746次列车抵达甲县,入住某某酒店;10月29日到某某古城游览,在某某餐厅就餐;"
            "10月30日到某某景区游玩。\n")
    cases = _cases(text)
    assert len(cases) == 3
    assert all([v.place for v in c.visits if v.kind == "visit"] == ["某某酒店", "某某古城", "某某餐厅", "某某景区"]
               for c in cases)


def test_cases_found_in_a_dated_nucleic_acid_screening_are_positive_that_day():
    text = ("2022年4月3日,甲区在集中隔离人员例行核酸检测中,发现1例确诊病例和1例无症状感染者。\n"
            "病例1,男,37岁,货车司机,初筛结果阳性,已闭环转送至定点医院。\n病例2,女,34岁,餐饮店主,初筛结果阳性。\n")
    assert [c.positive_date.isoformat() for c in _cases(text)] == ["2022-04-03", "2022-04-03"]


def test_two_cases_told_in_one_paragraph_then_their_pair_word():
    text = "确诊病例3,王某某,男,26岁,确诊病例4,张某某,女,51岁。两人为母子关系,于11月19日乘G1262次列车到某市。\n"
    assert [_relations(case) for case in _cases(text)] == [[("确诊病例4", "child")], [("确诊病例3", "parent")]]
    # a pair word in the next paragraph is not said of these two
    text = "病例1:男,30岁,现住某区。\n病例2:女,28岁,现住某区。两人为夫妻关系。\n"
    assert [_relations(case) for case in _cases(text)] == [[], []]


def test_a_group_told_as_siblings_links_each_pair():
    text = "病例1、2、3为87岁陈某的三个儿女,为三姐弟。3月29日17时在某区居住地聚餐。\n"
    assert [_relations(case) for case in _cases(text)] == [
        [("病例2", "sibling"), ("病例3", "sibling")], [("病例1", "sibling"), ("病例3", "sibling")],
        [("病例1", "sibling"), ("病例2", "sibling")]]


def test_a_person_named_by_the_day_of_confirmation_is_a_case():
    text = ("某区防控指挥部2月1日晚发文\n李某于1月30日作为新冠肺炎确诊病例。该患者近期相关出行信息如下:\n"
            "1月20日,患者从武汉乘火车返回某市(G466武汉-某市东,15:21出发——16:57到达)。\n"
            "有以上共同出行史的人员请注意:\n")
    assert [case.label for case in _cases(text)] == ["李某"]
    assert _cases("李某于1月30日作为确诊病例。\n他爱好读书,经常去图书馆。\n") == []   # no dated outing


def test_a_positive_result_under_a_date_heading_is_dated_by_it():
    text = ("无症状感染者3:系外省返回居家管控人员。\n11月27日\n10:00-11:59 某服务区;\n11月30日\n核酸初筛结果为阳性。\n"
            "无症状感染者4:女。\n11月28日\n某超市购物。\n核酸初筛结果为阳性。\n")
    assert [c.positive_date for c in _cases(text)][0].isoformat()[5:] == "11-30"
    assert _cases(text)[1].positive_date is None   # the date is two lines up: not its heading


def test_demographics_on_the_line_after_a_qualified_label():
    text = "确诊病例 10(轻型):\n女,38 岁,现住甲区某小区。\n确诊病例 11(轻型):\n男,14 岁,学生,系确诊病例 10 之子。\n"
    cases = _cases(text)
    assert [(c.label, c.sex, c.age) for c in cases] == [("确诊病例 10", "female", 38), ("确诊病例 11", "male", 14)]
    assert _relations(cases[1]) == [("确诊病例 10", "child")]


def test_labels_stripped_by_a_repost_are_one_case_each():
    text = ("关于新增病例情况的通告\n病例\n男,居住于甲区北村,系病例74的密接人员。10月13日核酸检测结果为阳性。\n"
            "病例\n女,居住于甲区南村,系病例79的母亲。10月13日核酸检测结果为阳性。\n")
    cases = _cases(text)
    assert [(c.label, c.sex) for c in cases] == [("病例", "male"), ("病例", "female")]
    assert _relations(cases[1]) == [("病例79", "parent")]


def test_repeated_label_is_one_case():
    text = ("确诊病例5:省外返巴人员,系确诊病例4的密切接触者,4月26日核酸检测阳性,诊断为确诊病例(轻型)。\n"
            "活动轨迹\n确诊病例5\n4月23日抵达南江高速公路东出口。\n")
    (case,) = _cases(text)
    assert _relations(case) == [("确诊病例4", "close_contact")]


def test_a_repeated_label_keeps_the_onset_of_its_second_paragraph():
    text = ("确诊病例5:男,30岁,4月26日核酸检测阳性。\n"
            "活动轨迹\n确诊病例5\n4月22日出现发热、咳嗽等症状,4月23日到某超市购物。\n")
    (case,) = _cases(text)
    assert ((case.onset_date.month, case.onset_date.day), case.symptoms) == ((4, 22), "发热、咳嗽")


def test_news_mentioning_a_case_gives_nothing():
    assert extract_text("小店区丽泽佳苑社区有一例确诊病例,环卫中心党员深入封控区。\n").notices == []


def test_prose_trajectory_paragraph_is_one_person():
    text = ("武汉卫健委发布紧急通告:荆门市报告一例境外返鄂人员核酸检测阳性。\n"
            "经调查,该感染者10月16日乘国际航班入境,10月31日解除隔离。11月1日乘坐ZH9128航班到达武汉天河机场。"
            "当日16:36乘坐轨道交通2号线,17:15到汉阳火车站下车。\n")
    (case,) = _cases(text)
    assert case.label is None and case.visits


def test_hospital_names_do_not_count_persons():
    text = ("1月15日,榆次区发现其核酸检测结果呈阳性,当日转晋中市第二人民医院诊治。\n"
            "1月5日10时,与其丈夫在租住地附近就餐。\n1月6日15时,与其丈夫去某超市购物。\n")
    (notice,) = extract_text(text).notices
    assert len(notice.cases) == 1 and notice.unattributed_visits == []


def test_group_statement_above_the_cases_links_them():
    text = ("摘要:新增的病例5、病例6是一对夫妻,两人活动轨迹基本一致。\n"
            "病例5,女,47岁,住海淀区玉海园一里。6月12日到永定路70号院。\n"
            "病例6,男,48岁,住海淀区玉海园一里。6月14日做核酸检测。\n")
    five, six = _cases(text)
    assert ("病例6", "spouse") in _relations(five)
    assert ("病例5", "spouse") in _relations(six)


def test_places_listed_for_several_cases_are_unattributed():
    text = ("确诊病例1:居住于宗关街新合东村,确诊为新冠肺炎(轻型)。\n"
            "确诊病例2:居住于宗关街新合东村,为确诊病例1的家人。\n"
            "上述确诊病例的近期活动场所主要涉及以下点位:\n"
            "2月22日:到新合村菜场购物。\n2月24日:在中百超市购物。\n")
    (notice,) = extract_text(text).notices
    assert [c.label for c in notice.cases] == ["确诊病例1", "确诊病例2"]
    assert all(not c.visits for c in notice.cases)
    assert notice.unattributed_visits


def test_named_persons_listed_inline_share_the_trajectory():
    text = ("外省有2名对象(朱某某1,女,38岁;朱某某2,男,14岁)在当地核酸检测初筛呈阳性。\n主要活动轨迹:\n"
            "7月10日,从外省返乡途经望城区。\n17:34 从宁乡东收费站下高速;\n18:40 在黑色经典排队购买臭豆腐;\n")
    first, second = _cases(text)
    assert (first.label, first.sex, first.age) == ("朱某某1", "female", 38)
    assert (second.label, second.sex, second.age) == ("朱某某2", "male", 14)
    assert first.visits and len(first.visits) == len(second.visits)


def test_day_only_dates_take_the_month_of_the_lead():
    text = ("7月30日,厦门市召开疫情防控情况新闻发布会。\n"
            "确诊病例1:男,35岁,25日入境后,首次核酸检测阴性。28日再次采样,29日结果为可疑阳性。\n")
    (case,) = _cases(text)
    assert (case.positive_date.month, case.positive_date.day) == (7, 29)


def test_places_dated_by_brackets_open_the_trajectory():
    (case,) = _cases("病例5:女,36岁,家住建设路。此后在红星商场(2022/3/8)、人民公园(2022/3/9上午)活动过。\n")
    assert [(v.date, v.place) for v in case.visits] == [
        (dt.date(2022, 3, 8), "红星商场"), (dt.date(2022, 3, 9), "人民公园")]


def test_a_name_after_the_label_is_not_a_second_case():
    (case,) = _cases("病例7:患者孙某某,男,58岁。3月2日到光明超市购物。\n")
    assert (case.label, case.sex, case.age) == ("病例7", "male", 58)


def test_macau_style_release():
    text = ("第31例確診個案：男，40歲，居於青洲大廈。\n"
            "第32例確診個案：女，38歲，為第31例確診個案的妻子。6月3日下午2時到新口岸中國銀行辦理業務，3時到紅街市購物。\n")
    first, second = _cases(text)
    assert (first.label, first.category, second.label, second.category) == (
        "第31例確診個案", "confirmed", "第32例確診個案", "confirmed")
    assert _relations(second) == [("第31例確診個案", "spouse")]
    assert [(v.start.strftime("%H:%M"), v.place) for v in second.visits] == [
        ("14:00", "新口岸中國銀行"), ("15:00", "紅街市")]


def test_a_lead_sentence_before_the_description_is_read_past():
    text = "第二例:1月24日,我市新增1例输入性确诊病例。患者男,武汉人。1月19日20时由武汉自驾车到达乙区某村探亲。"
    (case,) = _cases(text)
    assert (case.label, case.sex, case.residence) == ("第二例", "male", "武汉")


def test_a_person_numbered_in_brackets_is_described_before_the_number():
    text = ("衞生署公布新增個案。\n第一宗源頭不明個案涉及一名26歲男病人(個案編號:11123)。他於2月21日出現發燒,3月3日到甲醫院急症室求醫。\n"
            "第二宗源頭不明個案涉及一名58歲女病人(個案編號:11128)。她於3月3日出現發燒。")
    first, second = _cases(text)
    assert (first.label, first.number, first.sex, first.age) == ("個案編號:11123", 11123, "male", 26)
    assert (second.number, second.sex, second.age) == (11128, "female", 58)


def test_a_paragraph_the_page_repeats_gives_its_visits_once():
    paragraph = """病例584
女,17岁,藁城区增村镇北桥寨村人。2020年12月28日7时乘511路公交车从小果庄站到第九中学学习;2021年1月1日至1月10日居村无外出。
"""
    later = "病例584\n1月11日到东关超市购物。\n"   # a second paragraph with more: kept
    (case,) = _cases("石家庄市新增确诊病例活动轨迹\n" + paragraph + "病例583\n女,45岁。1月2日到超市购物。\n"
                     + paragraph + later)[:1]
    said = [(v.kind, v.date, v.place) for v in case.visits]
    assert len(said) == len(set(said)) == 5
    assert ("visit", dt.date(2021, 1, 11), "东关超市") in said


def test_a_contacts_trajectory_is_not_the_cases():
    text = """关于病例2活动轨迹的通告
病例2:男,40岁,住某小区。1月5日到华联超市购物。其妻子为密切接触者,其活动轨迹为:1月6日到某菜场买菜。
病例3:女,30岁,为病例1的密切接触者,其活动轨迹如下:1月5日到某书店购物。
"""
    two, three = _cases(text)
    assert [v.place for v in two.visits] == ["华联超市"]
    assert [v.place for v in three.visits] == ["某书店"]       # a contact who is a case: its own trajectory


def test_head_end_finds_what_the_rule_for_a_sentence_or_line_end_finds():
    import re

    from casedb.parse import _head_end

    rule = re.compile(r"[。\n]")   # the rule parse._heads searched with
    for text in ("", "男,34岁", "男,34岁。现住某区", "男,34岁\n现住某区。", "。\n", "\n。", "女。\n2月1日。", "无句号"):
        for start in range(len(text) + 1):
            m = rule.search(text, start)
            assert _head_end(text, start) == (m.start() if m else -1), (text, start)
