"""Places listed for several persons together (the notice's unattributed visits).

``HEADINGS``: sentences that open such a list (the list may follow on the same line), and
``NOT_HEADINGS`` that name places of a group without opening a list, or a single case's trajectory.

``EXAMPLES``: expected visits (date or None, "HH:MM" start or None, place as written) → list
texts (the text after the heading), read against ``REFERENCE``. A date carries to the items
after it, a time goes to the first item after it only; items are separated by 、；;，and line
breaks. ``NEGATIVES`` are lines that end such a list and yield no visit.
"""
import datetime as dt

REFERENCE = dt.date(2022, 4, 20)

D = dt.date

HEADINGS = [
    "上述确诊病例的近期活动场所主要涉及以下点位：",
    "现将相关人员涉及的风险点位公布如下：",
    "3人涉及的风险点位如下：",
    "两人活动轨迹涉及以下地点：",
    "现公布3名感染者的活动场所如下",
    "以上病例涉及的场所：",
    "上述人员活动场所",
    "上述病例活動場所如下：",
    "根据初步流调，相关人员近日活动涉及区域和场所如下：",
    "经初步流调，新增病例近日主要活动轨迹为：",
    "3例病例近日主要活动轨迹为：",
    "以下为无症状感染者3-5活动轨迹：",
]

#: Headings without a group word: shared only after the last case of a notice.
HEADINGS_AFTER_LAST_CASE = [
    "涉及到我市范围内的公共场所如下：",
    "涉及风险点位如下：",
]

NOT_HEADINGS = [
    "请与上述活动场所有时空交集的人员主动报备。",
    "已对上述病例涉及场所开展终末消毒。",
    "病例3的活动轨迹如下：",
    "现将1例确诊病例的活动场所公布如下：",
    "对涉及的场所进行了消杀：",
    "二人活动轨迹相同：",
    "以下为一同出行的病例3、4的活动轨迹：",
    "两人活动轨迹一致，如下：",
]

EXAMPLES = [
    # a dated item line whose places are separated by 、, a verb inside one of them
    ([(D(2022, 4, 11), None, "开发区松林路市场"), (D(2022, 4, 11), None, "福满多超市(开发区黄河路108-3号)"),
      (D(2022, 4, 11), None, "城东农贸市场"), (D(2022, 4, 12), None, "锦绣花园12栋2单元")],
     ["4月11日：开发区松林路市场、在福满多超市(开发区黄河路108-3号)购物、城东农贸市场；\n4月12日：锦绣花园12栋2单元。",
      "4月11日:开发区松林路市场、福满多超市(开发区黄河路108-3号)、城东农贸市场;4月12日:锦绣花园12栋2单元"]),
    # a dated header line, then items opened by a clock time
    ([(D(2022, 4, 11), "04:44", "中国石油第80加油站(胶北街道)"), (D(2022, 4, 11), "05:38", "河东街道丰源食品有限公司"),
      (D(2022, 4, 12), "07:00", "城北街道丽水苑小区")],
     ["4月11日\n\n4时44分,中国石油第80加油站(胶北街道);\n\n5时38分,河东街道丰源食品有限公司;\n4月12日\n7时左右,城北街道丽水苑小区。",
      "4月11日\n04:44 中国石油第80加油站(胶北街道)\n05:38 河东街道丰源食品有限公司\n4月12日\n07:00 城北街道丽水苑小区"]),
    # date and time on each item, items separated by ；
    ([(D(2022, 4, 11), "08:00", "东风路早市"), (D(2022, 4, 11), "12:15", "开发区松林路市场"),
      (D(2022, 4, 13), "17:30", "福满多超市(黄河路108-3号)")],
     ["4月11日8时左右,东风路早市;12时15分至12时28分左右,开发区松林路市场。\n4月13日17时30分左右,福满多超市(黄河路108-3号)。"]),
    # a time before a chain of places goes to the first only
    ([(D(2022, 4, 11), "08:00", "东方超市"), (D(2022, 4, 11), None, "人民公园"), (D(2022, 4, 11), None, "城西菜场")],
     ["4月11日8时，东方超市、人民公园、城西菜场。"]),
    # one place at several joined times: a visit at each
    ([(D(2022, 4, 12), "11:34", "开发区松林路市场"), (D(2022, 4, 12), "17:38", "开发区松林路市场")],
     ["4月12日11时34分至11时46分左右和17时38分至17时40分左右,开发区松林路市场。", "4月12日11:34、17:38 开发区松林路市场"]),
    ([(D(2022, 4, 12), "08:00", "东方超市"), (D(2022, 4, 12), "10:00", "人民公园")],
     ["4月12日8时东方超市、10时人民公园", "4月12日8时,东方超市;10时,人民公园"]),
    # a list of days is no list of places
    ([(D(2022, 4, 5), None, "城西菜场"), (D(2022, 4, 6), None, "城西菜场")], ["4月5日、6日：城西菜场", "4月5、6日：城西菜场"]),
    ([(D(2022, 4, 5), None, "幸福小区3号楼"), (D(2022, 4, 5), None, "5号楼")], ["4月5日：幸福小区3号楼、5号楼"]),
    # traditional characters, kept as written
    ([(D(2021, 11, 26), "22:00", "南崗區閩江路交口私人會所"), (D(2021, 11, 27), None, "中央大街商場"),
      (D(2021, 11, 27), None, "紅專街早市")],
     ["2021年11月26日22:00 南崗區閩江路交口私人會所\n11月27日：中央大街商場、紅專街早市"]),
    # no date at all
    ([(None, None, "管城区南曹乡某物流公司餐厅"), (None, None, "南曹乡胖东来便利店"), (None, None, "郑州东站地下停车场")],
     ["管城区南曹乡某物流公司餐厅、南曹乡胖东来便利店、郑州东站地下停车场。"]),
]

NEGATIVES = [
    "请与上述地点、时间有时空交集的人员,及时向所在单位、社区报备。",
    "东城区疫情防控指挥部\n2022年4月17日",
    "目前已追踪到的涉疫风险人员,均已落实相关管控措施。",
]
