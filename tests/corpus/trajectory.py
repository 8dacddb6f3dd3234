"""Whose outings a trajectory sentence tells, and which habits get no day.

``WHOSE_OUTINGS``: the places that are the case's own (expected, in order) → sentences. Another person
as the subject (患者妻子曾到…, 其子…到…) keeps their outings out of the case's trajectory up to the end
of the sentence; going with them (与妻子一同, 陪同母亲) or the case as subject again (本人, 患者, 张某某)
brings the case back.

``UNDATED_HABITS``: habits said to happen every day with no range of days of their own (每日…上下班
after a single day) → no visit and no ride at all.
"""

WHOSE_OUTINGS = [
    ([], ["4月2日中午，患者妻子曾到新建村夏家庄吃喜面，与杨某某在同场所就餐。",
          "其子4月2日到市传染病医院就诊。", "4月2日其子到市传染病医院就诊。", "4月2日，其丈夫乘出租车到万达广场购物。",
          "4月2日，儿子、儿媳到永辉超市购物。", "4月2日，患者的女儿到李家村做客。", "4月2日，病例3妻子到超市购物。",
          "4月2日，王某妻子到超市购物。", "其子有武汉旅行史，4月1日到武汉旅行，4月2日到市中心医院就诊。",
          "4月2日，同事到单位食堂就餐。"]),
    ([("超市", "购物")], ["4月2日与妻子一同到超市购物。", "4月2日陪同母亲到超市购物。", "4月2日和丈夫到超市购物。",
                        "4月2日妻子陪同其到超市购物。", "4月2日，家属发热，陪同其到超市购物。", "4月2日到超市购物。",
                        "4月1日，其丈夫到药店买药。4月2日到超市购物。", "4月2日，其丈夫到药店买药，本人到超市购物。",
                        "4月2日，其丈夫到药店买药，患者到超市购物。", "4月2日，其女儿到药店买药，张某某到超市购物。",
                        "4月2日，其妻子为病例3，到超市购物。", "4月2日，带孩子到超市购物。"]),
    ([("父母家中", "聚餐")], ["4月2日，父母家中聚餐。"]),
]

UNDATED_HABITS = [
    "金某日常在服装店工作，每日早9时、晚16时乘坐出租车上下班。",
    "4月1日到超市购物。每日早9时乘坐出租车上下班。",
    "4月1日到超市购物。每天乘坐5路公交车上下班。",
    "4月1日居家未外出，每晚到楼下散步。",
]
