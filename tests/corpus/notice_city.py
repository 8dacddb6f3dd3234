"""Corpus for the city of a notice (casedb.notices): expected city → notices that give it.

The evidence counts in this order: the issuing body (武汉卫健委, 胶州市疫情防控指挥部), a division in
the title, signature or lead; the cases' residences and returns home (家住南票区, 返渝); the places
visited; last, a city named only inside place names. A city that is only where a trip started or
went (从石家庄市…, 前往湘潭市探亲) does not outvote the residences. A county-level city is the city as
written (胶州市), a district or county stands for its prefecture city (黄岛区 → 青岛市), and a page in
traditional characters gets the name as it writes it (哈爾濱市, 澳門).
"""

NOTICE_CITY = [
    # Hong Kong's and Macau's governments name their own territory 本港 / 本澳
    ("香港", ["衞生防護中心公布,中心正調查8宗新增個案,至今本港個案累計11,129宗。\n"
              "第一宗個案涉及一名26歲男病人(個案編號:11123)。他於3月3日到甲醫院急症室求醫。\n"]),
    ("澳门", ["新型冠狀病毒感染應變協調中心公布本澳新增1例確診個案。\n第39例確診個案:女,9歲,3月15日乘坐航班抵達。\n"]),
    # the issuing body, by its short name, beats a city where the case was found
    ("武汉市", ["武汉卫健委发紧急公告\n武汉卫健委发布通告:11月10日,潜江市发现一例境外输入无症状感染者。\n"
                "病例1：男，35岁。11月1日乘坐ZH9128航班到达武汉天河机场,19时乘动车前往潜江市。\n"]),
    # … also when a county shares the city's short name (长沙 is 长沙市, not 长沙县)
    ("长沙市", ["长沙卫健委发紧急公告\n长沙卫健委发布通告:11月10日,株洲市发现一例境外输入无症状感染者。\n"
                "病例1：男，35岁。11月1日乘坐航班到达长沙黄花机场,19时乘动车前往株洲市。\n"]),
    ("南昌市", ["南昌卫健委发布通告:11月10日,九江市发现一例无症状感染者。\n"
                "病例1：女，42岁。11月2日乘动车前往九江市,20时到浔阳区某超市购物。\n"]),
    # a county-level city issuing is the city as written; a district in the title stands for its city
    ("胶州市", ["胶州市疫情防控指挥部关于新增病例活动轨迹的通告\n病例1：女，50岁，住黄岛区某小区。"
                "11月20日到胶州市中心医院就诊。\n"]),
    ("青岛市", ["关于黄岛区新增病例活动轨迹的通告\n病例1：男，30岁，住某小区。11月21日到利群超市购物。\n"]),
    # a time (自即日起) is no trip
    ("胶州市", ["自即日起胶州市对以下人员开展排查。\n病例1：男，30岁。11月21日到利群超市购物。\n"]),
    # the origin of a trip in the lead is skipped, with the districts written after it
    ("晋中市", ["1月15日,发现1例无症状感染者。\n该感染者于1月4日17时从河北省石家庄市栾城区柳河镇自驾,"
                "返回其租住的榆次区某民居。\n1月5日10时在租住地附近就餐。\n1月6日15时到某超市购物。\n"]),
    # residences beat the places visited …
    ("葫芦岛市", ["病例3：女，60岁，家住南票区打渔山小区。1月19日乘客车到朝阳县根德乡平房村。"
                  "1月20日到朝阳县羊山镇集市。1月23日到朝阳县根德乡诊所输液。\n"]),
    # … and a return home (返渝) beats the city visited on a trip
    ("重庆市", ["病例16：女，41岁，现居金山街道。1月21日前往湖南湘潭市探亲。1月30日到湘潭市中心医院就诊。"
                "1月31日乘坐CA4598航班返渝，后乘坐出租车返回家中。\n"]),
    # residences vote by prefecture city: several divisions of one city give the city …
    ("石家庄市", ["病例1：男，49岁，栾城区柳河镇东王庄村人。1月4日至12日居村无外出。\n"
                  "病例2：女，67岁，鹿泉区青山镇北岭村人。1月1日至16日居村无外出。\n"
                  "病例3：男，59岁，现住晋州市和平花园小区。1月5日居家无外出。\n"]),
    # a native place after the age (武汉市人) weighs less than where the case lives now
    ("温州市", ["患者三十五，女，45岁，武汉市人，现住鹿城区某小区。1月22日到某超市购物。\n"]),
    # … and only one county-level city gives that city
    ("瑞安市", ["病例1：女，38岁，现住瑞安市某小区。1月22日到人民医院就诊。\n"
                "病例2：男，40岁，现住瑞安市某村。1月23日到某超市购物。\n"]),
    # traditional pages: the name as the page writes it
    ("澳門", ["第84例確診個案：男，36歲，澳門居民，居於筷子基和暉大廈。6月16日上午8時前往工地開工。\n"]),
    ("哈爾濱市", ["病例1：男，30歲。11月26日21時乘EU1960次航班從滿洲里到達哈爾濱,入住南崗區某賓館。"
                  "11月27日到南崗區某超市購物。\n"]),
    # the lead of another article above a 相关阅读 line is not this notice's
    ("哈尔滨市", ["齐齐哈尔市疾病预防控制中心提示:请从哈尔滨市来齐返齐人员主动报告。\n"
                  "相关阅读:哈尔滨感染者行动轨迹\n11月26日21:00 到南岗区某KTV。\n"
                  "11月27日10:00 到南岗区某超市购物。\n"]),
    # a city named only inside the name of a place visited, when nothing else names one
    ("大连市", ["病例1：女，30岁。12月18日7时自驾至大连医科大学附属第二医院就医。12时40分到某超市购物。\n"]),
    ("北京市", ["1月7日12时乘坐CZ3099航班抵达北京大兴国际机场，乘坐滴滴打车到融汇社区。\n1月8日自驾车前往永辉超市购物。\n"]),
    ("香港", ["個案1：男，58歲，的士司機。2月15日下午3時在荃灣愉景新城用膳。\n"]),
]

#: Notices that name no city at all.
NO_CITY = [
    "病例1：男，30岁。1月5日到某超市购物。1月6日居家未外出。\n",
    # a city's name inside a word is no place there
    "病例1：男，30岁。1月3日在三明治店就餐。1月4日到某超市购物。\n",
]
