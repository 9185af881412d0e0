"""Label normalisation and the header synonyms every block finder matches against (domain.md §1.3)."""

from __future__ import annotations

import re
import unicodedata

# ---- label normalisation -------------------------------------------------------------

_BRACKET = re.compile(r"[（(【\[][^（()）】\]]{0,10}[)）】\]]")
_LEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}(?:[、．.](?!\d)))")


def nkey(text: str | None) -> str:
    """Comparable label: NFKC, no spaces, no (A)/(万元)/(10分) brackets, no leading 1. / 一、, no trailing colon."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = _LEAD_NUM.sub("", t)
    t = _BRACKET.sub("", t)
    t = t.rstrip(":：")
    return t


def _any(patterns: str) -> re.Pattern:
    return re.compile(rf"^(?:{patterns})$")


_MONTHS = r"(?:1[-—–~～至到]\d{1,2}月|\d{1,2}月(?:底|末)?|截至\d{1,2}月(?:底|末)?|当前月)"

BUDGET_COLS = {
    "initial": _any(r"年初预算数?|年初预算金额|年初预算资金|年初预算安排数?"),
    "annual": _any(r"全年预算数?|调整后预算数?|调整后全年预算数|当年预算数?|预算数|全年预算金额|预算金额|全年预算安排数?"),
    "executed": _any(rf"全年执行数|预算执行数|实际执行数|执行数|全年实际执行数|实际支出数?|全年实际支出数?|{_MONTHS}执行数|{_MONTHS}预算执行数"),
    "execution_rate": _any(rf"执行率|预算执行率|全年执行率|全年预算执行率|{_MONTHS}执行率|{_MONTHS}预算执行率|执行率B/A"),
    "weight": _any(r"分值|权重"),
    "score": _any(r"得分|自评得分"),
    "forecast": _any(r"全年预计执行数|预计全年执行数|全年预计执行金额|全年预计支出数|全年预计支出|预计执行数|全年预计完成数|全年预计执行"),
    "reason": _any(r"原因|偏差原因|原因说明|执行偏差原因|原因分析|未完成原因|偏差原因分析"),
}
BUDGET_CORE = ("initial", "annual", "executed", "forecast")

IND_COLS = {
    "level1": _any(r"一级指标"),
    "level2": _any(r"二级指标"),
    "name": _any(r"三级指标|指标名称|具体指标|三级指标名称|绩效指标名称|指标内容"),
    "target": _any(r"年度指标值|指标值|目标值|年度目标值|预期指标值|年度绩效指标值|计划指标值|预期目标值|年度指标目标值|绩效指标值"),
    "actual": _any(r"实际完成值|完成值|全年实际值|实际值|实际完成指标值|全年实际完成值|实际完成数"),
    "nature": _any(r"指标性质|计算符号|性质|符号|指标方向"),
    "unit": _any(r"度量单位|计量单位|单位"),
    "weight": _any(r"分值|权重|指标分值|指标权重"),
    "score": _any(r"得分|自评得分"),
    "deviation": _any(r"偏差原因分析及改进措施|未完成原因分析|未完成原因分析及改进措施|偏差原因及整改措施|偏差原因分析|原因分析及改进措施"
                      r"|偏差原因|未完成原因及改进措施|偏差原因分析及整改措施|未完成原因分析及整改措施|偏差原因分析及改进措施说明"),
    "progress": _any(rf"{_MONTHS}执行情况|{_MONTHS}完成情况|{_MONTHS}完成值|{_MONTHS}指标完成情况|{_MONTHS}实际完成值|{_MONTHS}实际完成情况|{_MONTHS}实际值|执行情况"),
    "forecast": _any(r"全年预计完成情况|全年预计完成值|预计全年完成情况|全年预计完成|预计全年完成值|全年预计值|预计完成值|全年预计完成数"),
    "cause_经费保障": _any(r"经费保障|经费保障偏差原因"),
    "cause_制度保障": _any(r"制度保障|制度保障偏差原因"),
    "cause_人员保障": _any(r"人员保障|人员保障偏差原因"),
    "cause_硬件条件保障": _any(r"硬件条件保障|硬件保障|硬件条件|硬件保障偏差原因|硬件保障偏差目标"),
    "cause_其他": _any(r"其他|其他偏差原因|其他原因"),
    "likelihood": _any(r"完成目标可能性|完成可能性"),
    "remark": _any(r"备注|偏差原因备注"),
}
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")

GOAL_EXPECTED = _any(r"预期目标|年初预期目标|项目年度目标|年度目标|绩效目标|总体目标|年初设定目标|年度总体目标值|年度绩效目标|预期绩效目标")
GOAL_ACTUAL = _any(rf"实际完成情况|实际完成目标|目标完成情况|完成情况|目标实际完成情况|年度实际完成情况|年度目标完成情况|总体目标完成情况|{_MONTHS}总体目标完成情况|{_MONTHS}目标完成情况|{_MONTHS}完成情况|实际完成情况说明")
GOAL_FORECAST = _any(r"全年预计完成情况|预计全年完成情况|全年目标预计完成情况")
GOAL_ANCHOR = _any(r"年度总体目标|总体目标|年度目标|项目年度目标|年度总体目标完成情况|项目年度目标完成情况|绩效目标")

HEADER_LABELS = {
    "project": _any(r"项目名称|项目全称"),
    "department": _any(r"主管部门|主管部门及代码|市级主管部门|县级主管部门|主管单位|主管部门名称|部门名称及代码"),
    "unit": _any(r"实施单位|项目实施单位|承担处室|实施单位盖章|单位名称|部门单位名称|部门名称|预算单位|预算单位名称|填报单位|评价单位|单位"),
}
TOTAL_LABEL = _any(r"总分|合计|总计|自评总分|总分得分|总分/得分|综合得分|自评得分|总得分|合计得分|得分合计")
GRADE_LABEL = _any(r"自评等级|评价等级|等级|绩效等级|自评结果")
FOOTER = {
    "conclusion": _any(r"评价结论|自评结论|总体评价|综合评价结论|自评结论及得分|综合评价"),
    "problems": _any(r"存在问题|存在的问题|主要问题|存在问题及原因|存在的问题及原因|存在问题及原因分析|存在的问题及原因分析"),
    "measures": _any(r"改进措施|改进意见|整改措施|下一步改进措施|改进措施及建议|有关建议|改进建议|下一步工作打算"),
    "content": _any(r"项目实施内容及过程概述|项目实施内容|项目概况|项目实施情况|实施内容及过程概述"),
}
BUDGET_TOTAL = _any(r"年度资金总额|资金总额|总额|合计|总计|年度资金总额合计|预算资金总额|项目资金总额")
BUDGET_ANCHOR = re.compile(r"^(项目资金|预算执行情况|部门预算资金情况|年度预算资金情况|资金情况|预算资金情况|部门整体支出情况|预算执行$|部门资金)")
SCORE_IN_TEXT = re.compile(r"(?:自评|综合|评价|最终|总)\s*得分\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d+)?)\s*分")
GRADE_IN_TEXT = re.compile(r"(?:自评|评价|绩效)?等级\s*(?:为|是|：|:)\s*[“\"'「『]?(优秀|良好|合格|不合格|优|良|中|差)")
L1_WEIGHT = re.compile(r"[（(]\s*(\d{1,6}(?:\.\d{1,6})?)\s*分?\s*[)）]")
SIGN_CELL = re.compile(r"^(≥|≤|=|>|<|＞|＜|＝|>=|<=|大于等于|小于等于|等于|大于|小于|不低于|不高于|不少于|不超过)$")


