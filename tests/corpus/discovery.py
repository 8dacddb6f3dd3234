"""Discovery: expected (kind, phrase as written) or None → texts of a case."""

DISCOVERY = [
    (("centralised_quarantine_screening", "集中隔离点例行核酸检测中发现"),
     ["系病例3的密切接触者，均在集中隔离点例行核酸检测中发现。"]),
    (("centralised_quarantine_screening", "集中隔离医学观察；期间多次核酸检测"),
     ["1月7日作为密切接触者被转运至某隔离点进行集中隔离医学观察；期间多次核酸检测，1月9日核酸检测呈阳性。"]),
    (("home_quarantine_screening", "居家健康监测期间核酸检测"), ["居家健康监测期间核酸检测结果为阳性。"]),
    (("home_quarantine_screening", "居家隔离期间核酸检测"), ["1月5日起居家隔离期间核酸检测阳性。"]),
    (("community_screening", "重点人群筛查发现"), ["现住某区某小区，系重点人群筛查发现。"]),
    (("community_screening", "重点区域核酸筛查中发现"), ["在重点区域核酸筛查中发现。"]),
    (("community_screening", "全员核酸检测"), ["1月10日参加全员核酸检测，结果阳性。"]),
    (("presented_for_care", "发热门诊就诊"), ["1月28日18时许，到某医院发热门诊就诊。"]),
    (("presented_for_care", "因咳嗽、低热到某县医院就诊"), ["2月1日因咳嗽、低热到某县医院就诊，2月3日确诊。"]),
    (("presented_for_care", "主动就诊"), ["1月20日出现发热，主动就诊。"]),
    (("entry_screening", "入境后核酸检测"), ["2月1日自美国入境，入境后核酸检测阳性。"]),
    (("entry_screening", "落地检"), ["在某机场落地检呈阳性。"]),
    (("contact_tracing", "作为感染者140的密切接触者"), ["4月22日作为感染者140的密切接触者进行核酸检测，结果为阳性。"]),
    (("contact_tracing", "密切接触者主动排查中发现"), ["11月22日在密切接触者主动排查中发现。"]),
    (None, ["1月20日到某医院骨科就诊。", "系病例3的丈夫。", "1月20日到超市购物。", "居家隔离。"]),
]
