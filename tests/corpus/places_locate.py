"""Corpus for casedb.places.locate: (expected adcode or None, notice city, [texts]).

An adcode ending in 00 is a city-level answer, 0000 a province-level one. ``None`` means the
text names no division that can be placed without guessing.
"""

LOCATE = [
    # one district, written several ways
    ("350102", "福州市", ["鼓楼区五四路", "福州市鼓楼区", "福建省福州市鼓楼区五四路88号", "家住鼓楼区",
                          "现住福州市鼓楼区温泉街道", "鼓楼", "XX超市(鼓楼区五四路88号)"]),
    # 鼓楼区 also exists in 南京, 徐州 and 开封: the notice's city decides …
    ("320106", "南京市", ["鼓楼区", "鼓楼区中山路", "南京市鼓楼区"]),
    ("320302", "徐州市", ["鼓楼区"]),
    ("410204", "开封市", ["鼓楼区"]),
    # … an explicit city beats the notice's city …
    ("320106", "福州市", ["南京市鼓楼区", "江苏省南京市鼓楼区"]),
    # … and without either it cannot be placed
    (None, None, ["鼓楼区", "鼓楼区五四路"]),
    (None, "上海市", ["鼓楼区"]),
    # 城区 is a district of 晋城, 阳泉, 汕尾 …, and a plain word everywhere else
    ("140502", "晋城市", ["城区", "城区凤台东街"]),
    ("441502", "汕尾市", ["城区"]),
    (None, "福州市", ["城区", "老城区", "主城区"]),
    ("410302", "洛阳市", ["老城区"]),
    (None, "中山市", ["东区菜市场", "XX小区东区"]),
    # 朝阳区 in 北京 and 长春; 朝阳 is also a city
    ("110105", "北京市", ["朝阳区", "朝阳区三里屯"]),
    ("220104", "长春市", ["朝阳区"]),
    (None, "福州市", ["朝阳区"]),
    ("211300", None, ["朝阳市"]),
    # unique names resolve anywhere
    ("110108", "石家庄市", ["海淀区枫林路街道翠湖园二里"]),
    ("130109", None, ["河北省石家庄市藁城区增村镇柳营村"]),
    ("130109", "石家庄市", ["藁城区育才街", "藁城区增村镇大柳庄村"]),
    ("131022", "北京市", ["廊坊市固安县柳河镇便民服务点"]),
    ("411528", "漯河市", ["河南省息县北服务区"]),
    ("230124", "哈尔滨市", ["方正县仁和医院外科门诊"]),
    # traditional characters, county-level cities by short name
    ("445381", "云浮市", ["雲浮羅定市龍灣鎮石橋村委新華村", "罗定市"]),
    ("330381", "温州市", ["瑞安", "瑞安市"]),
    # names from before a rename and after it
    ("130502", "邢台市", ["桥东区", "襄都区"]),
    ("610821", None, ["陕西省神木县"]),
    ("610881", None, ["陕西省神木市"]),
    # province / city level only
    ("340000", None, ["安徽省龙眠山服务区"]),
    ("120000", None, ["天津市枫林镇"]),
    ("510100", "重庆市", ["成都锦城机场"]),
    ("340200", "马鞍山市", ["芜湖枫桥镇"]),
    ("220200", None, ["吉林市"]),
    # streets, dishes and shops named after places are not places there
    (None, "上海市", ["南京路步行街", "北京东路"]),
    (None, "福州市", ["兰州拉面馆", "重庆小面", "中山路", "沙县小吃"]),
    (None, "北京市", ["中山开发区南兴里东街14号", "长安街"]),
    (None, "福州市", ["万达广场", "出租车", "", "单位"]),
]
LOCATE += [
    # one-character counties are names, not words
    ("371525", None, ["冠县人民医院", "山东省冠县"]),
    ("411526", None, ["潢川县"]),
    ("350427", "三明市", ["沙县"]),
]
LOCATE += [
    # a county-level city as the notice's city: its prefecture and province count as home too
    ("445302", "罗定市", ["云城区"]),
    ("445381", "罗定市", ["罗定", "云浮市罗定市"]),
    ("350102", "福建省福州市", ["鼓楼"]),
    ("110105", "北京", ["朝阳"]),
]
LOCATE += [
    # 城区 of 大同, 阳泉, 长治 and 晋城 are all in 山西: a 太原 notice's 城区 is none of them
    (None, "太原市", ["城区"]),
]
