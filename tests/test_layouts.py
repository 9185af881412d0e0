"""Every supported layout, built as a real file, read field by field."""

from __future__ import annotations

import pytest
from test_read_helpers import to_docx, to_xls, to_xlsx

from checker.api import read_document

# ---- the 财预〔2020〕10号 grid (8 columns) -----------------------------------------------

STANDARD = [
    ["项目名称", "5109002023001-2023年农村义务教育学生营养改善计划", "<", "<", "<", "<", "<", "<"],
    ["主管部门", "示范区教育局", "<", "<", "实施单位", "示范区第一中学", "<", "<"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["^", "年度资金总额", "860.00", "948.00", "940.76", "10", "99.24%", "9.92"],
    ["^", "其中：当年财政拨款", "800.00", "888.00", "880.76", "—", "99.18%", "—"],
    ["^", "上年结转资金", "60.00", "60.00", "60.00", "—", "100.00%", "—"],
    ["^", "其他资金", "", "", "", "—", "", "—"],
    ["年度总体目标", "预期目标", "<", "<", "实际完成情况", "<", "<", "<"],
    ["^", "为12所学校约6800名学生提供营养膳食补助，全年供餐不少于200天。", "<", "<", "为12所学校6852名学生提供补助，供餐203天。", "<", "<", "<"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["^", "产出指标(50分)", "数量指标", "受益学生人数", "≥6800人", "6852人", "20", "20"],
    ["^", "^", "^", "年度供餐天数", "≥200天", "203天", "10", "10"],
    ["^", "^", "质量指标", "食品安全抽检合格率", "=100%", "98%", "20", "19.6"],
    ["^", "效益指标（30分）", "社会效益指标", "学生贫血检出率", "≤6.5%", "5.9%", "30", "30"],
    ["^", "满意度指标(10分)", "服务对象满意度指标", "学生家长满意度", "≥90%", "93.6%", "10", "10"],
    ["总分", "<", "<", "<", "<", "<", "100", "99.52"],
]
# an 8th column for deviations keeps the national layout; written as a separate block
STANDARD_DEV = [row[:] for row in STANDARD]
STANDARD_DEV[9] = STANDARD_DEV[9][:1] + ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"][:7] + ["偏差原因分析及改进措施"]


@pytest.fixture(scope="session")
def standard_doc():
    rows = [r + [r[-1] if r[-1] in ("<",) else ("<" if i in (0, 1, 7, 8, 15) else "")] for i, r in enumerate(STANDARD)]
    # a 9th column: 偏差原因分析及改进措施 for the indicator block
    rows[9][-1] = "偏差原因分析及改进措施"
    rows[12][-1] = "两批次抽检不合格，已更换供应商。"
    rows[2][-1] = "<"
    for i in (3, 4, 5, 6):
        rows[i][-1] = "<"
    data = to_docx(rows, before=["项目支出绩效自评表", "（ 2023 年度）"], after=["填报日期：2024年3月1日"])
    return read_document(data, "示范区教育局_2023_自评表.docx")


def test_standard_header_and_type(standard_doc):
    d = standard_doc
    assert d.format == "docx"
    assert d.doc_type == "self_eval_table"
    assert d.layout == "standard_2020"
    assert d.project == "2023年农村义务教育学生营养改善计划"  # code prefix stripped
    assert d.department == "示范区教育局"
    assert d.unit == "示范区第一中学"
    assert d.year == 2023
    assert d.title == "项目支出绩效自评表"


def test_standard_budget(standard_doc):
    b = standard_doc.budget
    assert (b.initial, b.annual, b.executed, b.execution_rate, b.weight, b.score) == (860, 948, 940.76, 99.24, 10, 9.92)
    assert [r.label for r in b.rows] == ["当年财政拨款", "上年结转资金", "其他资金"]
    assert b.rows[0].annual == 888 and b.rows[0].weight is None
    assert b.rows[2].annual is None
    assert b.total.location.table == 1 and b.total.location.row == 4


def test_standard_goal(standard_doc):
    (g,) = standard_doc.goals
    assert g.expected.startswith("为12所学校约6800名学生")
    assert g.actual == "为12所学校6852名学生提供补助，供餐203天。"
    assert g.location.row == 9


def test_standard_indicators(standard_doc):
    inds = standard_doc.indicators
    assert [i.name for i in inds] == ["受益学生人数", "年度供餐天数", "食品安全抽检合格率", "学生贫血检出率", "学生家长满意度"]
    assert [i.level1 for i in inds] == ["产出指标", "产出指标", "产出指标", "效益指标", "满意度指标"]
    assert [i.level1_weight for i in inds] == [50, 50, 50, 30, 10]
    assert [i.level2 for i in inds] == ["数量指标", "数量指标", "质量指标", "社会效益指标", "服务对象满意度指标"]
    assert [i.target for i in inds] == ["≥6800人", "≥200天", "=100%", "≤6.5%", "≥90%"]
    assert [i.actual for i in inds] == ["6852人", "203天", "98%", "5.9%", "93.6%"]
    assert [i.weight for i in inds] == [20, 10, 20, 30, 10]
    assert [i.score for i in inds] == [20, 10, 19.6, 30, 10]
    assert [i.deviation for i in inds] == [None, None, "两批次抽检不合格，已更换供应商。", None, None]
    assert inds[0].target_value.sign == "≥" and inds[0].target_value.number == 6800 and inds[0].target_value.unit == "人"
    assert inds[2].actual_value.number == 98
    # row/column in the table grid, 1-based; 三级指标 is column 4
    assert (inds[0].location.table, inds[0].location.row, inds[0].location.column) == (1, 11, 4)
    assert standard_doc.self_score == 99.52


# ---- central (A)/(B) edition in xlsx --------------------------------------------------

CENTRAL = [
    ["项目支出绩效自评表", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["（2022年度）", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["项目名称", "老年人健康体检", "<", "<", "<", "<", "<", "<", "<"],
    ["主管部门及代码", "219-示范区卫生健康局", "<", "<", "项目实施单位", "示范区疾控中心", "<", "<", "<"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分", ""],
    ["^", "年度资金总额", 200, 210, 199.5, 10, 0.95, 9.5, ""],
    ["^", "其中：财政拨款", 200, 210, 199.5, "/", 0.95, "/", ""],
    ["年度总体目标", "预期目标", "<", "<", "<", "实际完成情况", "<", "<", "<"],
    ["^", "为1.9万名老年人提供健康体检。", "<", "<", "<", "完成体检1.86万人。", "<", "<", "<"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值（A）", "实际完成值（B）", "分值", "得分", "偏差原因分析及改进措施"],
    ["^", "产出指标", "数量指标", "体检人数", "≥19000人", "18600人", 50, 48.95, "部分老人外出务工未能参检"],
    ["^", "效益指标", "社会效益指标", "慢病早发现", "有效提升", "有效提升", 30, 30, ""],
    ["^", "满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%", "94%", 10, 10, ""],
    ["总分", "<", "<", "<", "<", "<", 100, 98.45, ""],
]


@pytest.fixture(scope="session")
def central_doc():
    data = to_xlsx(CENTRAL, percent_cells={"G6": "0.00%", "G7": "0.00%"})
    return read_document(data, "202201_体检.xlsx")


def test_central_ab(central_doc):
    d = central_doc
    assert d.format == "xlsx" and d.layout == "central_ab" and d.doc_type == "self_eval_table"
    assert d.department == "示范区卫生健康局"  # 219- code stripped
    assert d.unit == "示范区疾控中心"
    assert d.project == "老年人健康体检"
    assert d.year == 2022
    b = d.budget
    assert (b.initial, b.annual, b.executed, b.execution_rate, b.weight, b.score) == (200, 210, 199.5, 95, 10, 9.5)
    assert d.goals[0].expected == "为1.9万名老年人提供健康体检。" and d.goals[0].actual == "完成体检1.86万人。"
    assert [(i.name, i.target, i.actual, i.weight, i.score) for i in d.indicators] == [
        ("体检人数", "≥19000人", "18600人", 50, 48.95),
        ("慢病早发现", "有效提升", "有效提升", 30, 30),
        ("老年人满意度", "≥90%", "94%", 10, 10),
    ]
    assert d.indicators[0].deviation == "部分老人外出务工未能参检"
    assert d.indicators[1].target_value.kind == "qualitative"
    assert d.self_score == 98.45
    # xlsx keeps Excel's columns: the name sits in column D
    assert d.indicators[0].location.column == 4


# ---- Sichuan, with 指标性质/度量单位 columns and the footer -------------------------------

SICHUAN = [
    ["部门预算项目支出绩效自评表（2023年度）", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["项目名称", "<", "51090023000001-城乡环境综合整治", "<", "<", "<", "<", "<", "<", "<"],
    ["主管部门", "<", "遂宁市住房和城乡建设局", "<", "<", "实施单位（盖章）", "<", "遂宁市环境卫生管理所", "<", "<"],
    ["项目基本情况", "1.项目年度目标完成情况", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["^", "项目年度目标", "<", "<", "<", "年度目标完成情况", "<", "<", "<", "<"],
    ["^", "清运生活垃圾3万吨，无害化处理率100%。", "<", "<", "<", "清运3.1万吨，无害化处理率100%。", "<", "<", "<", "<"],
    ["^", "2.项目实施内容及过程概述", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["^", "全年分四个片区实施清运，12月完成验收。", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["预算执行情况(10分)", "", "", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
    ["^", "总额", "<", 200, 220, 187, "85%", 10, 8.5, "部分工程款未到结算期"],
    ["^", "其中:财政资金", "<", 200, 220, 187, "85%", "/", "/", ""],
    ["^", "财政专户管理资金", "<", 0, 0, 0, "/", "/", "/", ""],
    ["^", "单位资金", "<", 0, 0, 0, "/", "/", "/", ""],
    ["绩效指标(90分)", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"],
    ["产出指标", "数量指标", "垃圾清运量", "≥", 3, "万吨", 3.1, 40, 40, ""],
    ["^", "质量指标", "无害化处理率", "=", 100, "%", 100, 20, 20, ""],
    ["效益指标", "社会效益指标", "环境卫生状况", "定性", "明显改善", "", "有所改善", 30, 25, "部分区域仍有反弹"],
    ["总分", "<", "<", "<", "<", "<", "<", 100, 93.5, ""],
    ["评价结论", "<", "项目自评得分93.5分，等级为优。", "<", "<", "<", "<", "<", "<", "<"],
    ["存在问题", "<", "资金支付进度偏慢。", "<", "<", "<", "<", "<", "<", "<"],
    ["改进措施", "<", "加快工程结算。", "<", "<", "<", "<", "<", "<", "<"],
]


@pytest.fixture(scope="session")
def sichuan_doc():
    return read_document(to_xlsx(SICHUAN), "sichuan.xlsx")


def test_sichuan(sichuan_doc):
    d = sichuan_doc
    assert d.layout == "sichuan" and d.doc_type == "self_eval_table"
    assert d.project == "城乡环境综合整治"
    assert d.unit == "遂宁市环境卫生管理所"
    assert d.year == 2023
    assert d.goals[0].expected == "清运生活垃圾3万吨，无害化处理率100%。"
    assert d.goals[0].actual == "清运3.1万吨，无害化处理率100%。"
    assert d.content == "全年分四个片区实施清运，12月完成验收。"
    b = d.budget
    assert (b.initial, b.annual, b.executed, b.execution_rate, b.weight, b.score) == (200, 220, 187, 85, 10, 8.5)
    assert b.reason == "部分工程款未到结算期"
    assert [r.label for r in b.rows] == ["财政资金", "财政专户管理资金", "单位资金"]
    inds = d.indicators
    assert [i.target for i in inds] == ["≥3万吨", "=100%", "明显改善"]
    assert [i.actual for i in inds] == ["3.1万吨", "100%", "有所改善"]
    assert [(i.nature, i.unit) for i in inds] == [("≥", "万吨"), ("=", "%"), ("定性", None)]
    assert inds[0].target_value.number == 30000 and inds[0].target_value.unit == "吨"
    assert inds[2].deviation == "部分区域仍有反弹"
    assert [i.level1 for i in inds] == ["产出指标", "产出指标", "效益指标"]
    assert d.self_score == 93.5
    assert (d.conclusion, d.problems, d.measures) == ("项目自评得分93.5分，等级为优。", "资金支付进度偏慢。", "加快工程结算。")
    assert d.self_grade == "优"  # from the conclusion text


# ---- 转移支付: 分值 before the values ----------------------------------------------------

TRANSFER = [
    ["项目名称", "农村公路养护补助", "<", "<", "<", "<", "<", "<"],
    ["主管部门", "示范区交通运输局", "<", "<", "实施单位", "示范区公路段", "<", "<"],
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["^", "年度资金总额", "300", "300", "300", "10", "100%", "10"],
    ["年度总体目标", "预期目标", "<", "<", "实际完成情况", "<", "<", "<"],
    ["^", "养护农村公路120公里。", "<", "<", "养护125公里。", "<", "<", "<"],
    ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "实际完成值", "得分", "偏差原因分析及改进措施"],
    ["产出指标", "数量指标", "养护里程", "50", "≥120公里", "125公里", "50", ""],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "40", "≥85%", "88%", "40", ""],
    ["合计", "<", "<", "100", "<", "<", "100", ""],
]


def test_transfer_weight_first():
    d = read_document(to_docx(TRANSFER, before=["中央对地方转移支付项目绩效自评表", "（2023年度）"]), "transfer.docx")
    assert d.layout == "transfer_weight_first"
    assert [(i.name, i.weight, i.target, i.actual, i.score) for i in d.indicators] == [
        ("养护里程", 50, "≥120公里", "125公里", 50),
        ("群众满意度", 40, "≥85%", "88%", 40),
    ]
    assert d.self_score == 100
    assert d.budget.execution_rate == 100


# ---- goal-setting table (no 实际完成值) ---------------------------------------------------

GOAL_SETTING = [
    ["项目名称", "社区养老服务站建设", "<", "<"],
    ["主管部门", "示范区民政局", "实施单位", "示范区民政局"],
    ["年度总体目标", "新建社区养老服务站8个，服务老年人2000人次。", "<", "<"],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "新建服务站数量", "≥8个"],
    ["^", "时效指标", "完工时间", "2024年10月31日前"],
    ["效益指标", "社会效益指标", "服务老年人次", "≥2000人次"],
]


def test_goal_setting():
    d = read_document(to_docx(GOAL_SETTING, before=["项目支出绩效目标申报表", "（2024年度）"]), "申报表.docx")
    assert d.layout == "goal_setting"
    assert d.goals[0].expected == "新建社区养老服务站8个，服务老年人2000人次。" and d.goals[0].actual is None
    assert [(i.name, i.target, i.actual) for i in d.indicators] == [
        ("新建服务站数量", "≥8个", None), ("完工时间", "2024年10月31日前", None), ("服务老年人次", "≥2000人次", None)]
    assert d.indicators[1].target_value.kind == "date"
    assert d.project == "社区养老服务站建设" and d.year == 2024


# ---- the 财预〔2019〕136号 monitoring table --------------------------------------------------

MONITORING = [
    ["项目支出绩效目标执行监控表", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["（2024年度）", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["项目名称", "城区生活垃圾清运", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<", "<"],
    ["主管部门及代码", "示范区城市管理局", "<", "<", "<", "<", "实施单位", "示范区环卫站", "<", "<", "<", "<", "<"],
    ["项目资金（万元）", "", "年初预算数", "<", "1-7月执行数", "<", "1-7月执行率", "<", "全年预计执行数", "<", "<", "<", "<"],
    ["^", "年度资金总额", 1560, "<", 880.4, "<", "56.44%", "<", 1548, "<", "<", "<", "<"],
    ["^", "其中：财政拨款", 1560, "<", 880.4, "<", "56.44%", "<", 1548, "<", "<", "<", "<"],
    ["年度总体目标", "年初设定目标", "<", "<", "1-7月总体目标完成情况", "<", "<", "<", "全年预计完成情况", "<", "<", "<", "<"],
    ["^", "清运垃圾10.5万吨。", "<", "<", "1-7月清运6.3万吨。", "<", "<", "<", "全年预计清运10.6万吨。", "<", "<", "<", "<"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况", "偏差原因分析", "<", "<", "<", "<", "完成目标可能性", "备注"],
    ["^", "^", "^", "^", "^", "^", "经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "^", "^"],
    ["产出指标", "数量指标", "垃圾清运量", "≥10.5万吨", "6.3万吨", "10.6万吨", "", "", "", "", "", "确定能", ""],
    ["^", "^", "分类投放点", "≥120个", "60个", "100个", "资金未到位", "", "", "", "选址难", "有可能", "已协调"],
]


@pytest.fixture(scope="session")
def monitoring_doc():
    return read_document(to_xlsx(MONITORING), "监控.xlsx")


def test_monitoring(monitoring_doc):
    d = monitoring_doc
    assert d.layout == "monitoring_2019" and d.doc_type == "monitoring_table"
    assert d.year == 2024 and d.unit == "示范区环卫站" and d.project == "城区生活垃圾清运"
    b = d.budget.total
    assert (b.initial, b.executed, b.execution_rate, b.forecast) == (1560, 880.4, 56.44, 1548)
    (g,) = d.goals
    assert (g.expected, g.actual, g.forecast) == ("清运垃圾10.5万吨。", "1-7月清运6.3万吨。", "全年预计清运10.6万吨。")
    a, b2 = d.indicators
    assert (a.name, a.target, a.actual) == ("垃圾清运量", "≥10.5万吨", "6.3万吨")
    assert a.monitoring.progress == "6.3万吨" and a.monitoring.forecast == "10.6万吨" and a.monitoring.likelihood == "确定能"
    assert a.monitoring.causes == {} and a.monitoring.forecast_value.number == 106000
    assert b2.monitoring.causes == {"经费保障": "资金未到位", "其他": "选址难"}
    assert b2.monitoring.likelihood == "有可能" and b2.monitoring.remark == "已协调"
    assert b2.level1 == "产出指标" and b2.level2 == "数量指标"


# ---- department-wide 部门整体支出绩效自评表 ------------------------------------------------

OVERALL = [
    ["部门（单位）名称", "示范区教育局", "<", "<", "<", "<", "<", "<"],
    ["年度预算资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["^", "年度资金总额", "5000", "5200", "5100", "10", "98.08%", "9.81"],
    ["^", "按收入性质分：财政拨款", "4800", "5000", "4900", "—", "", "—"],
    ["^", "其他资金", "200", "200", "200", "—", "", "—"],
    ["^", "按支出性质分：基本支出", "3000", "3000", "2990", "—", "", "—"],
    ["^", "项目支出", "2000", "2200", "2110", "—", "", "—"],
    ["年度总体目标", "预期目标", "<", "<", "实际完成情况", "<", "<", "<"],
    ["^", "保障全区中小学正常运转。", "<", "<", "全区中小学运转正常。", "<", "<", "<"],
    ["年度绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["^", "产出指标", "数量指标", "义务教育巩固率", "≥99%", "99.5%", "40", "40"],
    ["^", "满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", "92%", "50", "50"],
    ["总分", "<", "<", "<", "<", "<", "100", "99.81"],
]


def test_department_wide_table():
    d = read_document(to_docx(OVERALL, before=["部门整体支出绩效自评表", "（2023年度）"]), "整体.docx")
    assert d.doc_type == "overall_report"
    assert d.unit == "示范区教育局"
    b = d.budget
    assert (b.initial, b.annual, b.executed, b.execution_rate) == (5000, 5200, 5100, 98.08)
    assert [r.label for r in b.rows] == ["按收入性质分：财政拨款", "其他资金", "按支出性质分：基本支出", "项目支出"]
    assert [i.name for i in d.indicators] == ["义务教育巩固率", "家长满意度"]
    assert d.self_score == 99.81


# ---- prose reports ------------------------------------------------------------------

REPORT = [
    "示范区卫生健康局2023年家庭医生签约服务项目绩效评价报告",
    "评价单位：示范区卫生健康局",
    "一、基本情况",
    "（一）项目概况",
    "项目覆盖全区9个乡镇，组建家庭医生团队36个。",
    "（二）项目绩效目标",
    "重点人群签约率达到75%以上。",
    "二、绩效评价工作开展情况",
    "（一）评价目的、对象和范围",
    "评价对象为2023年度项目资金。",
    "1.评价方法",
    "采用目标比较法。",
    "2.评价标准",
    "以计划标准为主。",
    "三、综合评价情况及评价结论",
    "经综合评价，项目自评得分96.5分，评价等级为“优”。",
    "四、存在的问题及原因分析",
    "偏远村履约频次偏低。",
    "五、有关建议",
    "配备移动随访设备。",
]


def test_report_with_embedded_table():
    rows = STANDARD
    data = to_docx(rows, before=REPORT, after=["附件说明：以上为自评表。"], heading_styles=True)
    d = read_document(data, "report.docx")
    assert d.doc_type == "project_report"
    assert d.layout == "standard_2020+embedded"
    titles = [(s.level, s.number, s.title) for s in d.iter_sections()]
    assert titles[:4] == [(1, "一", "基本情况"), (2, "（一）", "项目概况"), (2, "（二）", "项目绩效目标"), (1, "二", "绩效评价工作开展情况")]
    sec2 = d.sections[1]
    assert [c.title for c in sec2.children] == ["评价目的、对象和范围"]
    assert [c.title for c in sec2.children[0].children] == ["评价方法", "评价标准"]
    assert sec2.children[0].children[0].text == "采用目标比较法。"
    assert d.sections[0].children[0].text == "项目覆盖全区9个乡镇，组建家庭医生团队36个。"
    # the table's own goal wins over the prose section
    assert d.goals[0].expected.startswith("为12所学校")
    assert len(d.indicators) == 5 and d.self_score == 99.52
    assert d.problems == "偏远村履约频次偏低。"  # from the 存在的问题 section
    assert d.measures.startswith("配备移动随访设备。")
    assert d.project == "2023年农村义务教育学生营养改善计划"


def test_prose_report_without_table():
    paras = REPORT[:7] + ["全年签约重点人群4.1万人。"] + ["（三）绩效目标完成情况", "重点人群签约率76.8%，完成目标。"] + REPORT[7:]
    d = read_document(to_docx([], before=paras), "示范区卫生健康局_2023_项目绩效评价报告.docx")
    assert d.layout == "prose" and d.doc_type == "project_report"
    assert d.budget is None and d.indicators == []
    assert d.goals[0].expected == "重点人群签约率达到75%以上。\n全年签约重点人群4.1万人。"
    assert d.goals[0].actual == "重点人群签约率76.8%，完成目标。"
    assert d.self_score == 96.5 and d.self_grade == "优"
    assert d.unit == "示范区卫生健康局" and d.year == 2023
    assert d.project == "家庭医生签约服务项目"
    assert d.content == "项目覆盖全区9个乡镇，组建家庭医生团队36个。"


def test_monitoring_in_xls_matches_xlsx(monitoring_doc):
    """The same grid written by xlwt (merged ranges in the .xls) reads the same."""
    d = read_document(to_xls(MONITORING), "监控.xls")
    assert d.format == "xls"
    assert [i.to_contract() | {"location": None} for i in d.indicators] == [
        i.to_contract() | {"location": None} for i in monitoring_doc.indicators]
    assert d.budget.to_contract() == monitoring_doc.budget.to_contract()
    assert d.goals[0].forecast == monitoring_doc.goals[0].forecast


# ---- document type, unit, project and year ---------------------------------------------


def test_names_from_the_file_name_when_the_document_is_silent():
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", "50", "50"],
            ["总分", "<", "<", "<", "<", "100", "95"],
            ["自评等级", "<", "<", "<", "<", "优", "<"]]
    d = read_document(to_xlsx(rows), "金凤区教育局_2022_自评表.xlsx")
    assert d.unit == "金凤区教育局"
    assert d.year == 2022
    assert d.doc_type == "self_eval_table"
    assert d.self_score == 95 and d.self_grade == "优"


@pytest.mark.parametrize(
    "title,doc_type",
    [("项目支出绩效监控情况表", "monitoring_table"), ("部门整体支出绩效自评表", "overall_report"),
     ("项目支出绩效自评表", "self_eval_table")],
)
def test_doc_type_from_title(title, doc_type):
    d = read_document(to_docx(STANDARD, before=[title, "（2023年度）"], after=["。"]), "x.docx")
    assert d.doc_type == doc_type


def test_unit_line_and_numeric_project_kept():
    rows = [r[:] for r in STANDARD]
    rows[0] = ["项目名称", "2023年第2批农村公路建设", "<", "<", "<", "<", "<", "<"]
    rows[1] = ["主管部门", "示范区交通运输局", "<", "<", "实施单位", "", "<", "<"]
    d = read_document(to_docx(rows, before=["项目支出绩效自评表", "填报单位（盖章）：示范区公路管理段"], after=["。"]), "x.docx")
    assert d.project == "2023年第2批农村公路建设"  # a year is not a project code
    assert d.unit == "示范区公路管理段"


def test_budget_block_in_yuan_is_converted_to_wanyuan():
    rows = [r[:] for r in TRANSFER]
    rows[2] = ["项目资金（元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    rows[3] = ["^", "年度资金总额", "3,000,000", "3,200,000", "3,040,000.00", "10", "95%", "9.5"]
    d = read_document(to_docx(rows, after=["。"]), "yuan.docx")
    b = d.budget
    assert (b.initial, b.annual, b.executed, b.execution_rate) == (300, 320, 304, 95)


def test_indicator_grid_continued_in_a_second_table():
    import io

    import docx
    from test_read_helpers import add_table

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    add_table(d, STANDARD[:12])
    d.add_paragraph("")
    add_table(d, [["^" if c == "^" else c for c in row] for row in [
        ["", "", "质量指标", "食品安全抽检合格率", "=100%", "98%", "20", "19.6"],
        ["", "满意度指标", "服务对象满意度指标", "学生家长满意度", "≥90%", "93.6%", "10", "10"],
        ["总分", "<", "<", "<", "<", "<", "100", "99.6"]]])
    d.add_paragraph("。")
    b = io.BytesIO()
    d.save(b)
    doc = read_document(b.getvalue(), "split.docx")
    assert [i.name for i in doc.indicators] == ["受益学生人数", "年度供餐天数", "食品安全抽检合格率", "学生家长满意度"]
    assert doc.indicators[2].level1 == "产出指标"  # carried over from the first table
    assert doc.indicators[2].location.table == 2
    assert doc.self_score == 99.6


def test_notes_under_a_table_do_not_make_it_a_report():
    d = read_document(to_docx(STANDARD, before=["项目支出绩效自评表", "（2023年度）"],
                              after=["填表说明", "1.金额单位", "本表金额单位为万元。", "2.指标口径", "按申报口径填写。"]), "t.docx")
    assert d.doc_type == "self_eval_table"
    assert d.layout == "standard_2020"


def test_prose_report_cover_lines():
    paras = ["2023年度项目支出绩效自评报告", "项目名称：5109002023001-城区道路维护", "项目单位：示范区市政所", "主管部门：示范区住建局"] + REPORT[2:]
    d = read_document(to_docx([], before=paras), "r.docx")
    assert (d.project, d.unit, d.department, d.year) == ("城区道路维护", "示范区市政所", "示范区住建局", 2023)


def test_goal_block_labelled_zongti_mubiao():
    rows = [r[:] for r in STANDARD]
    rows[7] = ["总体目标", "预期目标", "<", "<", "实际完成目标", "<", "<", "<"]
    d = read_document(to_docx(rows, after=["。"]), "g.docx")
    assert d.goals[0].expected.startswith("为12所学校约6800名学生") and d.goals[0].actual.startswith("为12所学校6852名")


def test_year_from_the_title_before_years_in_the_text():
    paras = ["示范区水务局2023年农村供水项目绩效评价报告", "一、基本情况", "2022年度结转资金45万元，2024年3月完成评价。"] + REPORT[3:]
    d = read_document(to_docx([], before=paras), "示范区水务局_2021_报告.docx")
    assert d.year == 2023


def test_monitoring_likelihood_as_tick_columns_and_codes():
    rows = [r[:] for r in MONITORING[:9]]
    rows.append(["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况", "完成目标可能性", "<", "<", "备注", "", "", ""])
    rows.append(["^", "^", "^", "^", "^", "^", "确定能", "有可能", "完全不可能", "^", "", "", ""])
    rows.append(["产出指标", "数量指标", "垃圾清运量", "≥10.5万吨", "6.3万吨", "10.6万吨", "√", "", "", "", "", "", ""])
    rows.append(["^", "^", "分类投放点", "≥120个", "60个", "100个", "", "√", "", "选址难", "", "", ""])
    d = read_document(to_xlsx(rows), "tick.xlsx")
    assert [i.monitoring.likelihood for i in d.indicators] == ["确定能", "有可能"]
    assert d.indicators[1].monitoring.remark == "选址难"

    coded = [r[:] for r in MONITORING]
    coded[11][11], coded[12][11] = "1", "2"
    d = read_document(to_xlsx(coded), "code.xlsx")
    assert [i.monitoring.likelihood for i in d.indicators] == ["确定能", "有可能"]
