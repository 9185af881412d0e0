"""Layout cases as data: a grid or a small document, and the fields it must give.

Each case: `id`; `format` (docx | xlsx | xls); `rows` (a grid as in test_read_helpers: "<" merges
left, "^" merges up) and/or `before` / `after` paragraphs; `name` (the file name); `expect`,
a mapping of field paths to values, read by tests/test_layout_cases.py:
  - `layout`, `doc_type`, `unit`, `project`, `year`, `self_score`, `problems`, `measures`
  - `budget.<initial|annual|executed|execution_rate|weight|score>`
  - `goals[1].expected` / `goals[1].actual`, `len(goals)`, `len(indicators)`
  - `indicators[N].<field>`, `indicator_names` (all names in order)
  - `can.<capability>` (checker.core.layouts.CAPABILITIES)
  - `notice~` (a substring of some notice)
A new layout is one entry in checker/core/layouts.py and one case here.
"""

from __future__ import annotations

from test_layouts import CENTRAL, GOAL_SETTING, MONITORING, OVERALL, SICHUAN, STANDARD, TRANSFER

TITLE = ["项目支出绩效自评表", "（2023年度）"]

CASES = [
    # ---- table layouts: one per entry of checker.core.layouts.LAYOUTS ----
    {"id": "standard_2020", "format": "docx", "rows": STANDARD, "before": TITLE, "after": ["。"], "name": "a.docx",
     "expect": {"layout": "standard_2020", "doc_type": "self_eval_table", "budget.execution_rate": 99.24, "len(indicators)": 5,
                "can.deviation_column": True, "can.scored": True, "can.budget_reason_column": False, "can.default_weights": True}},
    {"id": "central_ab", "format": "xlsx", "rows": CENTRAL, "name": "c.xlsx",
     "expect": {"layout": "central_ab", "doc_type": "self_eval_table", "can.scored": True}},
    {"id": "sichuan", "format": "xlsx", "rows": SICHUAN, "name": "s.xlsx",
     "expect": {"layout": "sichuan", "can.budget_reason_column": True, "can.default_weights": False, "can.deviation_column": True}},
    {"id": "transfer_weight_first", "format": "docx", "rows": TRANSFER, "before": ["中央对地方转移支付项目绩效自评表", "（2023年度）"],
     "name": "t.docx", "expect": {"layout": "transfer_weight_first", "can.scored": True}},
    {"id": "goal_setting", "format": "docx", "rows": GOAL_SETTING, "before": ["项目支出绩效目标申报表", "（2024年度）"], "name": "g.docx",
     "expect": {"layout": "goal_setting", "can.actual_values": False, "can.deviation_column": False, "can.scored": False}},
    {"id": "monitoring_2019", "format": "xlsx", "rows": MONITORING, "name": "m.xlsx",
     "expect": {"layout": "monitoring_2019", "doc_type": "monitoring_table", "can.monitoring": True, "can.scored": False}},
    {"id": "monitoring_2019_xls", "format": "xls", "rows": MONITORING, "name": "m.xls",
     "expect": {"layout": "monitoring_2019", "doc_type": "monitoring_table"}},
    {"id": "overall_table", "format": "docx", "rows": OVERALL, "before": ["部门整体支出绩效自评表", "（2023年度）"], "name": "o.docx",
     "expect": {"doc_type": "overall_report"}},
    # ---- prose reports: what units write around the text ----
    {"id": "prose_budget_sentence_and_subheadings", "format": "docx", "name": "r1.docx",
     "before": ["示范区文化馆2023年非遗保护传承项目项目绩效自评报告", "报告单位：示范区文化馆", "一、基本情况",
                "2022年部门年初预算数为294.84万元，全年预算数为294.84万元，全年执行数为283.71万元，预算执行率为96.23%。",
                "二、绩效目标完成情况", "（一）总体目标完成情况", "完成非遗展演12场，培训传承人60人次。",
                "（二）绩效指标完成情况", "各项绩效指标完成情况详见下表。",
                "三、存在的问题", "宣传覆盖面不够。", "四、改进措施", "利用新媒体扩大宣传。"],
     "expect": {"layout": "prose", "doc_type": "project_report", "unit": "示范区文化馆", "project": "非遗保护传承项目", "year": 2023,
                "budget.initial": 294.84, "budget.annual": 294.84, "budget.executed": 283.71, "budget.execution_rate": 96.23,
                "goals[1].actual": "完成非遗展演12场，培训传承人60人次。", "problems": "宣传覆盖面不够。", "measures": "利用新媒体扩大宣传。",
                "can.deviation_column": True}},
    {"id": "prose_unnumbered_heading_words", "format": "docx", "name": "r2.docx",
     "before": ["2023年度农村公路养护项目绩效评价报告", "一、项目绩效目标", "总体目标", "完成县乡道日常养护420公里。", "绩效指标",
                "养护里程≥420公里。", "二、绩效目标完成情况", "总体目标完成情况", "完成养护426公里。", "绩效指标完成情况", "各项指标均已完成。",
                "示范区交通运输局", "2024年3月5日"],
     "expect": {"unit": "示范区交通运输局", "project": "农村公路养护项目", "goals[1].expected": "完成县乡道日常养护420公里。",
                "goals[1].actual": "完成养护426公里。"}},
    {"id": "prose_rate_row_in_report_table", "format": "docx", "name": "r3.docx",
     "before": ["示范区文化馆2023年非遗保护传承项目绩效自评报告", "一、基本情况", "项目由示范区文化馆实施。", "二、绩效指标完成情况"],
     "rows": [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
              ["预算执行率", "<", "<", "100%", "96.23%", "10", "9.62"],
              ["产出指标", "数量指标", "非遗展演场次", "≥12场", "12场", "20", "20"]],
     "after": ["三、存在的问题", "无。"],
     "expect": {"doc_type": "project_report", "budget.execution_rate": 96.23, "budget.weight": 10, "budget.score": 9.62,
                "indicator_names": ["非遗展演场次"], "project": "非遗保护传承项目"}},
    {"id": "prose_overall_unit_sections", "format": "docx", "name": "r4.docx",
     "before": ["下河镇人民政府2024年度绩效自评报告", "一、单位基本情况", "下河镇人民政府为县政府派出机关。",
                "二、部门整体支出绩效目标", "保障机关正常运转，完成年度重点任务。"],
     "expect": {"doc_type": "overall_report", "unit": "下河镇人民政府", "goals[1].expected": "保障机关正常运转，完成年度重点任务。"}},
    {"id": "prose_unit_above_title_seal_signature_total_score", "format": "docx", "name": "r5.docx",
     "before": ["示范区水务局", "2023年度农村饮水安全巩固提升工程绩效评价报告", "一、基本情况", "项目覆盖9个乡镇。",
                "二、综合评价结论", "经综合评价，总分92.5分，等级为优。"],
     "expect": {"unit": "示范区水务局", "self_score": 92.5, "project": "农村饮水安全巩固提升工程", "year": 2023}},
    {"id": "prose_signature_with_seal", "format": "docx", "name": "r6.docx",
     "before": ["2023年度城区道路维护项目绩效自评报告", "一、基本情况", "维护道路12公里。", "二、自评得分",
                "该项目得分为96分，其中数量指标得分为20分。", "示范区市政管理所（盖章）", "2024年2月"],
     "expect": {"unit": "示范区市政管理所", "self_score": 96, "project": "城区道路维护项目"}},
    # ---- not a performance document ----
    {"id": "not_performance_final_accounts", "format": "docx", "name": "j.docx",
     "before": ["示范区审计局2022年度部门决算", "第一部分 部门概况", "一、部门职责", "负责全区审计工作。",
                "二、收入支出决算总体情况说明", "2022年度收、支总计均为523.1万元，年初预算数为500万元。"],
     "expect": {"doc_type": "unknown", "notice~": "决算"}},
    {"id": "not_performance_blank_template", "format": "xlsx", "name": "blank.xlsx",
     "rows": [["项目支出绩效自评表", "<", "<", "<", "<", "<", "<"],
              ["项目名称", "", "<", "<", "<", "<", "<"],
              ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
              ["", "", "", "", "", "", ""]],
     "expect": {"doc_type": "unknown", "notice~": "空白"}},
]
