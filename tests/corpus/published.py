"""Published dates: expected date → pages holding one notice. The date a notice gives for
itself wins, in this order: its signature date (after the issuer, at its end); a full date in
its title; the day its lead says it was issued (5月9日…通报); a full date in its title or lead;
the page's byline (重庆发布 2022-05-30, a crawl timestamp); a 月日 in its title or lead, in the
page's year. Each page is ``header + CASES`` (a labelled case) or ``header + TRAJECTORY``."""
import datetime as dt

D = dt.date

CASES = "病例1:男,30岁,居住于东城区幸福小区。4月6日10时到东城区永辉超市购物。\n"
TRAJECTORY = "4月6日\n10:00 自驾车至东城区永辉超市购物\n11:00 步行至东城区人民公园\n"

EXAMPLES = [
    # the signature date beats a page byline and a lead date
    (D(2022, 4, 13), ["新增1例确诊病例的通告\n重庆发布 2022-05-30\n4月12日,我市新增1例确诊病例。\n" + CASES
                      + "请广大市民对照自查。\n东城区疫情防控指挥部\n2022年4月13日\n"]),
    # the issuing day told in the lead beats the page byline above it
    (D(2022, 5, 9), ["东城区报告1例无症状感染者,轨迹公布\n重庆发布 2022-05-30\n"
                     "5月9日重庆市通报东城区新增1例无症状感染者,现将其活动轨迹公布如下:\n" + TRAJECTORY,
                     "东城区1例确诊病例活动轨迹\n2022-05-30 00:58:51\n来源:\n"
                     "5月9日6时19分,东城区疫情防控指挥部发布关于1例确诊病例活动轨迹的通告。\n" + CASES]),
    # a dated lead that announces the cases is read as the lead, not as the trajectory
    (D(2022, 1, 5), ["2022年1月东城通报:1名初筛阳性病例详情及活动轨迹\n"
                     "2022年1月5日,东城区人民政府举行新闻发布会通报,截至1月3日18:30,东城区发现1名初筛阳性病例。\n"
                     + TRAJECTORY]),
    # a day the page states as its own: its 发布时间, 今天(…), the press conference, a day-first dateline
    (D(2022, 1, 9), ["东城区公布新增阳性感染者详情\n发布时间:2022-01-09 00:00:00\n"
                     "记者获悉,2022年1月7日18时至8日21时,东城区新增阳性感染者1名。\n" + CASES]),
    (D(2021, 10, 18), ["今天(10月18日)上午\n东城区召开新闻发布会\n2021年10月16日17时,东城区发现1名初筛阳性人员。\n"
                       + CASES]),
    (D(2022, 4, 22), ["4月22日晚,东城区第31场新冠肺炎疫情防控工作新闻发布会召开。2022年4月21日0时至24时,"
                      "东城区新增1例。\n" + CASES]),
    (D(2021, 6, 9), ["東城區1名感染者行蹤公佈\n09/06/2021\n東城區昨日新增確診病例1例。\n" + CASES]),
    # a full date in the title
    (D(2021, 6, 19), ["2021年6月19日东城区新增确诊病例情况\n" + CASES]),
    # the byline when the notice gives only a statistics period (0—24时), not its issue date
    (D(2020, 2, 2), ["东城区新增确诊病例基本情况公布\n来源: 东城发布 2020-02-02 12:19:57\n"
                     "2月1日0—24时,东城区新增确诊病例1例。\n" + CASES]),
    # the lead's 月日, in the page's year, when nothing else dates the notice
    (D(2022, 4, 12), ["关于新增1例确诊病例的通告\n4月12日,我市新增1例确诊病例。相关情况如下:\n" + CASES
                      + "2022年4月6日前曾外出。\n"]),
]
