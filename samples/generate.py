"""Generate the sample documents in samples/ with their .truth.json files.

Every sample is described once as data (SAMPLES below); both the rendered document and
its truth file are computed from that description, so they cannot drift apart.

    python samples/generate.py                 # render documents + truth + README into samples/
    python samples/generate.py --truth-only --out DIR   # only truth JSON (used by the tests)

All units, people and figures are fictional. doc/xls/pdf files are converted from the
docx/xlsx renderings with LibreOffice (`soffice --headless`).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_DT = datetime(2024, 3, 15, 9, 0, 0)  # document properties: no run-time timestamps
ZIP_DT = (2024, 3, 15, 9, 0, 0)
AUTHOR = "示范区财政局绩效填报"


# ---------------------------------------------------------------------------------------
# data model of one sample
# ---------------------------------------------------------------------------------------


@dataclass
class Ind:
    l1: str
    l2: str
    name: str
    sign: str | None = None  # ≥ ≤ = for quantitative indicators; None = text target
    tv: str | None = None  # target number as written
    unit: str = ""
    av: str | None = None  # actual number as written
    w: float = 0
    dev: str | None = None
    target_text: str | None = None  # qualitative / vague target as written
    actual_text: str | None = None
    score: float | None = None  # written score when it differs from the official one
    # monitoring tables
    progress: str | None = None
    forecast: str | None = None
    likelihood: str | None = None
    causes: dict = field(default_factory=dict)
    remark: str | None = None

    @property
    def target(self) -> str:
        if self.sign is None:
            return self.target_text or ""
        return f"{self.sign}{self.tv}{self.unit}"

    @property
    def actual(self) -> str | None:
        if self.sign is None:
            return self.actual_text
        if self.progress is not None:
            return f"{self.progress}{self.unit}"
        return f"{self.av}{self.unit}" if self.av is not None else None

    @property
    def forecast_text(self) -> str | None:
        return f"{self.forecast}{self.unit}" if self.forecast is not None else None

    def official(self) -> float | None:
        """Score by the official method (domain.md §2.3/§2.4); None if not computable."""
        w = self.w
        if self.sign is None:
            bands = {"达成年度指标": (0.8, 1.0), "部分达成年度指标并具有一定效果": (0.6, 0.8),
                     "未达成年度指标且效果较差": (0.0, 0.6)}
            band = bands.get(self.actual_text or "")
            if band is None or self.score_written() is None:
                return None
            lo, hi = band
            s = self.score_written()
            ok = lo * w <= s <= w if hi == 1.0 else lo * w <= s < hi * w
            return s if ok else None
        a, b = float(self.tv), float(self.av)
        if self.sign in ("≥", ">") or (self.sign == "=" and a > 0):
            return w if b >= a else round(b / a * w, 2)
        if self.sign == "=":  # A = 0
            return w if b <= 0 else 0.0
        if b <= a:
            return w
        return round((1 - (b - a) / a) * w, 2) if b < 2 * a else 0.0

    def score_written(self) -> float:
        if self.score is not None:
            return self.score
        if self.sign is None:
            return self.w
        return self.official()


@dataclass
class Fund:
    label: str
    initial: float
    annual: float
    executed: float
    forecast: float | None = None  # monitoring: 全年预计执行数


@dataclass
class Sample:
    sid: str
    unit: str
    dept: str
    project: str | None
    year: int
    doc_type: str
    layout: str
    fmt: str  # final format
    tag: str  # clean or problem tags for the file name
    funds: list[Fund]  # sub-rows; the total is their sum
    goals: list[tuple]  # (expected, actual) or (expected, progress, forecast)
    indicators: list[Ind]
    planted: list[dict] = field(default_factory=list)
    weight: float = 10
    rate_base: str = "annual"  # "initial" plants an execution rate computed on 年初预算数
    reason: str | None = None  # budget 原因 column (Sichuan)
    content: str | None = None
    conclusion: str | None = None
    problems: str | None = None
    measures: str | None = None
    formulas: bool = False
    l1_weights: bool = False
    total_override: float | None = None
    sections: list[tuple] = field(default_factory=list)  # (heading, level, [paragraphs])
    fund_groups: list[tuple] | None = None  # overall table: [(group label, [Fund])]
    heading_styles: bool = False
    rate_written: float | None = None  # plants a mistyped 执行率
    producer: str | None = None  # "xlwt": write the .xls directly instead of converting

    # ---- derived figures -------------------------------------------------------------
    @property
    def total(self) -> Fund:
        funds = self.funds if self.fund_groups is None else self.fund_groups[0][1]
        fc = [f.forecast for f in funds]
        return Fund(
            "年度资金总额",
            round(sum(f.initial for f in funds), 2),
            round(sum(f.annual for f in funds), 2),
            round(sum(f.executed for f in funds), 2),
            round(sum(fc), 2) if all(x is not None for x in fc) else None,
        )

    @property
    def rate(self) -> float:
        if self.rate_written is not None:
            return self.rate_written
        t = self.total
        base = t.initial if self.rate_base == "initial" else t.annual
        return round(t.executed / base * 100, 2)

    @property
    def true_rate(self) -> float:
        t = self.total
        return round(t.executed / t.annual * 100, 2)

    @property
    def budget_score(self) -> float | None:
        if self.doc_type == "monitoring_table":
            return None
        return round(min(self.rate, 100.0) / 100 * self.weight, 2)

    @property
    def self_score(self) -> float | None:
        if self.doc_type == "monitoring_table":
            return None
        if self.total_override is not None:
            return self.total_override
        return round(self.budget_score + sum(i.score_written() for i in self.indicators), 2)

    @property
    def recomputed(self) -> float | None:
        if self.doc_type == "monitoring_table":
            return None
        parts = [i.official() for i in self.indicators]
        if any(p is None for p in parts):
            return None
        return round(min(self.true_rate, 100.0) / 100 * self.weight + sum(parts), 2)

    @property
    def stem(self) -> str:
        kind = {"self_eval_table": "自评表", "project_report": "项目绩效评价报告",
                "overall_report": "部门整体绩效评价报告", "monitoring_table": "监控表"}[self.doc_type]
        return f"{self.sid}_{self.unit}_{self.year}_{kind}_{self.tag}"

    def l1_weight(self, l1: str) -> float:
        return sum(i.w for i in self.indicators if i.l1 == l1)

    def truth(self) -> dict:
        t = self.total
        mon = self.doc_type == "monitoring_table"
        budget = {"initial": t.initial, "annual": t.annual, "executed": t.executed,
                  "execution_rate": self.rate, "weight": None if mon else self.weight,
                  "score": self.budget_score}
        if mon:
            budget["forecast"] = t.forecast
        goals = []
        for g in self.goals:
            d = {"expected": g[0], "actual": g[1]}
            if mon:
                d["forecast"] = g[2]
            goals.append(d)
        inds = []
        for i in self.indicators:
            d = {"level1": i.l1, "level2": i.l2, "name": i.name, "target": i.target,
                 "actual": i.actual, "weight": None if mon else i.w,
                 "score": None if mon else i.score_written(), "deviation": i.dev}
            if self.layout == "sichuan":
                d["nature"], d["unit"] = i.sign, i.unit
            if self.l1_weights:
                d["level1_weight"] = self.l1_weight(i.l1)
            if mon:
                d["monitoring"] = {"progress": i.actual, "forecast": i.forecast_text,
                                   "likelihood": i.likelihood, "causes": dict(sorted(i.causes.items())),
                                   "remark": i.remark}
            inds.append(d)
        return {
            "file": f"{self.stem}.{self.fmt}",
            "format": self.fmt,
            "doc_type": self.doc_type,
            "unit": self.unit,
            "department": self.dept,
            "project": self.project,
            "year": self.year,
            "self_score": self.self_score,
            "recomputed_self_score": self.recomputed,
            # a report's table is drawn in the standard grid; the reader names it so
            "layout": "standard_2020+embedded" if self.layout == "embedded" else self.layout,
            "budget": budget,
            "goals": goals,
            "indicators": inds,
            "sections": [h for h, _lvl, _p in self.sections],
            "conclusion": self.conclusion,
            "problems": self.problems,
            "measures": self.measures,
            "planted": self.planted,
            "clean": not self.planted,
        }


def grade(score: float) -> str:
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def P(category: str, fld: str, what: str, consequence_of: str | None = None) -> dict:
    """One planted problem; `consequence_of` marks a knock-on effect of another planted field."""
    d = {"category": category, "field": fld, "what": what}
    if consequence_of:
        d["consequence_of"] = consequence_of
    return d


# ---------------------------------------------------------------------------------------
# the samples
# ---------------------------------------------------------------------------------------

OUT, EFF, SAT = "产出指标", "效益指标", "满意度指标"
NUM, QUA, TIM, COST = "数量指标", "质量指标", "时效指标", "成本指标"
ECO, SOC, ENV, SUS = "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"
SVC = "服务对象满意度指标"
FIN, CARRY, OTHER = "当年财政拨款", "上年结转资金", "其他资金"


def q(l1, l2, name, sign, tv, unit, av, w, dev=None, score=None) -> Ind:
    return Ind(l1, l2, name, sign, tv, unit, av, w, dev, score=score)


def t(l1, l2, name, target, actual, w, score=None, dev=None) -> Ind:
    return Ind(l1, l2, name, None, None, "", None, w, dev, target, actual, score)


def m(l1, l2, name, sign, tv, unit, progress, forecast, likelihood="确定能", causes=None, remark=None) -> Ind:
    return Ind(l1, l2, name, sign, tv, unit, progress=progress, forecast=forecast,
               likelihood=likelihood, causes=causes or {}, remark=remark)


def report_sections(s: Sample, *, with_problems: bool, overview: str, process: str,
                    experience: str, problems: str, suggestions: str) -> list[tuple]:
    """The 10号 附件3 outline (domain.md §4.1), filled from the sample's own figures."""
    t_ = s.total
    g = s.goals[0]
    n_ind = len(s.indicators)
    met = sum(1 for i in s.indicators if i.official() == i.w)
    five = "五、主要经验及做法、存在的问题及原因分析" if with_problems else "五、主要经验及做法"
    five_body = [experience] + ([problems] if with_problems else [])
    out_inds = "；".join(f"{i.name}{i.actual}（目标{i.target}）" for i in s.indicators if i.l1 == OUT)
    eff_inds = "；".join(f"{i.name}{i.actual}（目标{i.target}）" for i in s.indicators if i.l1 != OUT)
    return [
        ("一、基本情况", 1, []),
        ("（一）项目概况", 2, [overview, f"{s.year}年项目年初预算{t_.initial:.2f}万元，全年预算{t_.annual:.2f}万元，"
                          f"全年执行{t_.executed:.2f}万元，预算执行率{s.rate:.2f}%。"]),
        ("（二）项目绩效目标", 2, [f"年度总体目标：{g[0]}",
                            f"围绕上述目标共设置绩效指标{n_ind}个，其中产出指标"
                            f"{sum(1 for i in s.indicators if i.l1 == OUT)}个、效益指标"
                            f"{sum(1 for i in s.indicators if i.l1 == EFF)}个、满意度指标"
                            f"{sum(1 for i in s.indicators if i.l1 == SAT)}个。"]),
        ("二、绩效评价工作开展情况", 1, []),
        ("（一）评价目的、对象和范围", 2, [f"本次评价对象为{s.project}{s.year}年度资金{t_.annual:.2f}万元，"
                                  f"评价范围覆盖资金安排、使用管理及产出效益，目的是检验绩效目标实现程度，为下年度预算安排提供参考。"]),
        ("（二）评价原则、评价指标体系、评价方法、评价标准", 2, [
            "评价遵循科学公正、统筹兼顾、激励约束、公开透明原则，采用目标比较法，以年初批复的绩效目标为计划标准，"
            "按照财预〔2020〕10号规定的指标体系和评分方法打分，预算执行率10分、产出指标50分、效益指标30分、满意度指标10分。"]),
        ("（三）绩效评价工作过程", 2, [process]),
        ("三、综合评价情况及评价结论", 1, [
            f"经综合评价，项目自评得分{s.self_score:.2f}分，评价等级为“{grade(s.self_score)}”。"
            f"{n_ind}个绩效指标中{met}个全部完成，详见附件《项目支出绩效自评表》。"]),
        ("四、绩效评价指标分析", 1, []),
        ("（一）项目决策情况", 2, ["项目依据年度工作计划立项，经单位党组会议研究后纳入部门预算，绩效目标与预算同步申报、同步批复。"]),
        ("（二）项目过程情况", 2, [f"资金到位{t_.annual:.2f}万元，到位率100%；支出{t_.executed:.2f}万元，"
                            f"执行率{s.rate:.2f}%，资金支付均按国库集中支付规定办理。"]),
        ("（三）项目产出情况", 2, [out_inds + "。"]),
        ("（四）项目效益情况", 2, [eff_inds + "。"]),
        (five, 1, five_body),
        ("六、有关建议", 1, [suggestions]),
        ("七、其他需要说明的问题", 1, ["无其他需要说明的问题。"]),
    ]


def overall_sections(s: Sample, *, duties: str, staff: str, problems: str, measures: str) -> list[tuple]:
    t_ = s.total
    basic, proj = s.fund_groups[1][1]
    return [
        ("一、部门（单位）概况", 1, []),
        ("（一）部门职能", 2, [duties]),
        ("（二）机构设置及人员情况", 2, [staff]),
        ("二、部门整体支出绩效目标", 1, [s.goals[0][0]]),
        ("三、部门整体支出绩效自评情况", 1, []),
        ("（一）预算执行情况", 2, [
            f"{s.year}年部门年初预算{t_.initial:.2f}万元，全年预算{t_.annual:.2f}万元，全年执行{t_.executed:.2f}万元，"
            f"预算执行率{s.rate:.2f}%。其中基本支出执行{basic.executed:.2f}万元，项目支出执行{proj.executed:.2f}万元。"]),
        ("（二）绩效目标完成情况", 2, [s.goals[0][1],
                              f"部门整体支出自评得分{s.self_score:.2f}分，等级为“{grade(s.self_score)}”，"
                              f"详见附件《部门整体支出绩效自评表》。"]),
        ("四、存在的问题及原因分析", 1, [problems]),
        ("五、下一步改进措施", 1, [measures]),
        ("六、其他需要说明的问题", 1, ["无。"]),
    ]


def build_samples() -> list[Sample]:
    S: list[Sample] = []

    # s01 — clean standard 10号 grid, docx
    S.append(Sample(
        "s01", "示范区教育局", "示范区教育局", "2023年农村义务教育学生营养改善计划", 2023,
        "self_eval_table", "standard_2020", "docx", "clean",
        [Fund(FIN, 860.00, 912.40, 905.16), Fund(CARRY, 0.00, 35.60, 35.60), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("为全区12所农村义务教育学校约6800名学生按每生每天5元标准提供营养膳食补助，全年供餐不少于200天，"
          "学生营养餐食品安全事故为零。",
          "全年为12所学校6852名学生提供营养膳食补助，累计供餐198天（10月流感停课2天），支出补助资金940.76万元；"
          "抽检食堂48批次全部合格，未发生食品安全事故；学生营养健康监测显示贫血检出率由上年的6.8%下降至5.9%；"
          "发放家长问卷500份，回收有效问卷468份，满意度93.6%。")],
        [q(OUT, NUM, "受益学生人数", "≥", "6800", "人", "6852", 15),
         q(OUT, NUM, "年度供餐天数", "≥", "200", "天", "198", 10,
           dev="10月流感疫情停课2天未供餐；已与学校约定停课期间改发营养包，保证补助按天足额使用。"),
         q(OUT, QUA, "食堂食品安全抽检合格率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "补助资金按月拨付及时率", "=", "100", "%", "100", 5),
         q(OUT, COST, "每生每天营养膳食补助标准", "≤", "5", "元", "5", 10),
         q(EFF, SOC, "学生贫血检出率", "≤", "6.5", "%", "5.9", 15),
         q(EFF, SUS, "学生营养健康监测覆盖学校数", "≥", "12", "所", "12", 15),
         q(SAT, SVC, "学生家长满意度", "≥", "90", "%", "93.6", 10)],
    ))

    # s02 — central (A)/(B) edition, pdf; vague indicator + perfunctory completion
    S.append(Sample(
        "s02", "示范区卫生健康局", "示范区卫生健康局", "2023年老年人健康体检项目", 2023,
        "self_eval_table", "central_ab", "pdf", "vague-perfunctory",
        [Fund(FIN, 420.00, 456.00, 441.32), Fund(CARRY, 0.00, 0.00, 0.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("为辖区65岁及以上常住老年人约1.9万人提供一次免费健康体检（含血常规、尿常规、肝肾功能、心电图、腹部B超），"
          "体检率达到70%以上，并同步更新电子健康档案。", "已完成。")],
        [q(OUT, NUM, "老年人健康体检人数", "≥", "13300", "人", "13862", 15),
         q(OUT, NUM, "体检项目种类", "≥", "5", "项", "5", 10),
         q(OUT, QUA, "体检结果异常告知率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "体检工作完成时限", "≤", "10", "月", "9", 5),
         q(OUT, COST, "人均体检费用", "≤", "120", "元", "118", 10),
         t(EFF, SOC, "老年人健康管理水平", "明显提升", "明显提升", 15),
         q(EFF, SOC, "高血压、糖尿病患者规范管理率", "≥", "60", "%", "63.5", 15),
         q(SAT, SVC, "体检老年人满意度", "≥", "90", "%", "94.2", 10)],
        planted=[P("vague_indicator", "indicators[6].target", "年度指标值为“明显提升”，没有数值和可核验的标准，不可衡量"),
                 P("perfunctory_completion", "goals[1].actual", "实际完成情况只写“已完成。”，未量化说明体检人数、体检率等产出")],
    ))

    # s03 — 一级 labels with weights, doc; inflated score + missing deviation reason
    S.append(Sample(
        "s03", "示范区交通运输局", "示范区交通运输局", "2023年农村公路养护工程", 2023,
        "self_eval_table", "standard_2020", "doc", "inflated-nodeviation",
        [Fund(FIN, 600.00, 580.00, 571.30), Fund(CARRY, 40.00, 40.00, 40.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("完成全区农村公路日常养护里程312公里，实施路面修补及安防工程改造18公里，农村公路优良中等路率达到85%以上。",
          "全年完成农村公路日常养护312公里，完成路面修补及安防工程改造12公里（剩余6公里因雨季延期至2024年一季度实施），"
          "经年度评定优良中等路率为87.2%，未发生因养护不到位引发的交通事故；沿线群众问卷调查有效问卷260份，满意度91.5%。")],
        [q(OUT, NUM, "农村公路日常养护里程", "≥", "312", "公里", "312", 15),
         q(OUT, NUM, "路面修补及安防工程改造里程", "≥", "18", "公里", "12", 15, score=15),
         q(OUT, QUA, "养护工程验收合格率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "养护任务按期完成率", "≥", "95", "%", "96", 5),
         q(OUT, COST, "每公里日常养护成本", "≤", "1.2", "万元", "1.15", 5),
         q(EFF, SOC, "农村公路优良中等路率", "≥", "85", "%", "87.2", 15),
         q(EFF, SUS, "农村公路管养责任落实到村覆盖率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "沿线群众满意度", "≥", "90", "%", "91.5", 10)],
        l1_weights=True,
        planted=[P("weak_accountability", "indicators[2].score", "实际完成12公里低于目标18公里，仍自评满分15分，按比例应得10分"),
                 P("weak_accountability", "self_score", "自评总分高于按官方方法重算的得分（多计5分）"),
                 P("perfunctory_completion", "indicators[2].deviation", "实际值低于目标值，偏差原因分析及改进措施栏为空")],
    ))

    # s04 — clean standard grid in xlsx, one indicator partly met with reason
    S.append(Sample(
        "s04", "示范区住房和城乡建设局", "示范区住房和城乡建设局", "2023年城市绿化养护项目", 2023,
        "self_eval_table", "standard_2020", "xlsx", "clean",
        [Fund(FIN, 1250.00, 1310.00, 1296.55), Fund(CARRY, 0.00, 0.00, 0.00), Fund(OTHER, 60.00, 60.00, 54.00)],
        [("对城区主次干道、公园广场及游园共计186万平方米绿地实施日常养护，补植补栽苗木2.4万株，"
          "城区绿地率保持在38%以上，绿化病虫害成灾率控制在3%以内。",
          "全年完成186万平方米绿地日常养护，补植补栽苗木2.26万株（因秋季苗源不足，1400株顺延至2024年春季），"
          "城区绿地率38.4%，病虫害成灾率1.2%，开展养护质量月度考核12次；委托第三方开展市民问卷调查，有效问卷620份，满意度92.1%。")],
        [q(OUT, NUM, "绿地养护面积", "≥", "186", "万平方米", "186", 15),
         q(OUT, NUM, "补植补栽苗木数量", "≥", "2.4", "万株", "2.26", 10,
           dev="秋季苗源不足，1400株补植顺延至2024年3月完成；今后提前与苗圃签订供苗协议。"),
         q(OUT, QUA, "补植苗木成活率", "≥", "95", "%", "96.3", 10),
         q(OUT, TIM, "养护作业月度考核按时完成率", "=", "100", "%", "100", 5),
         q(OUT, COST, "每平方米年养护成本", "≤", "7", "元", "6.97", 10),
         q(EFF, ENV, "城区绿地率", "≥", "38", "%", "38.4", 15),
         q(EFF, ENV, "绿化病虫害成灾率", "≤", "3", "%", "1.2", 15),
         q(SAT, SVC, "市民满意度", "≥", "90", "%", "92.1", 10)],
    ))

    # s05 — Sichuan variant xlsx; slogan goal + execution rate computed on 年初预算
    S.append(Sample(
        "s05", "示范区农业农村局", "示范区农业农村局", "2023年高标准农田建设项目", 2023,
        "self_eval_table", "sichuan", "xlsx", "slogan-rate",
        [Fund("其中:财政资金", 1800.00, 2000.00, 1720.00), Fund("财政专户管理资金", 0.00, 0.00, 0.00),
         Fund("单位资金", 0.00, 0.00, 0.00), Fund("其他资金", 0.00, 0.00, 0.00)],
        [("深入贯彻乡村振兴战略，推动农业高质量发展，夯实粮食安全根基，服务全区经济社会发展大局。",
          "新建高标准农田1.2万亩，配套建设田间道路18.6公里、灌排渠道24.3公里，项目区亩均粮食产能提高约80公斤，"
          "工程竣工验收合格率100%，项目区农户问卷调查有效问卷300份，满意度93%。")],
        [q(OUT, NUM, "新建高标准农田面积", "≥", "1.2", "万亩", "1.2", 15),
         q(OUT, NUM, "田间道路建设长度", "≥", "18", "公里", "18.6", 10),
         q(OUT, QUA, "工程竣工验收合格率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "主体工程完工时间", "≤", "11", "月", "11", 5),
         q(OUT, COST, "亩均建设成本", "≤", "1500", "元", "1433", 10),
         q(EFF, ECO, "项目区亩均粮食产能提高", "≥", "75", "公斤", "80", 15),
         q(EFF, SUS, "工程设施管护责任落实率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "项目区农户满意度", "≥", "90", "%", "93", 10)],
        rate_base="initial",
        reason="部分田间道路工程因土地流转协调延后，工程款280万元尚未结算。",
        content="项目于2023年3月完成招标，4月开工建设，11月完成主体工程并通过区级竣工验收，"
                "覆盖3个乡镇11个行政村。",
        conclusion="项目自评得分99.56分，自评等级为优。",
        problems="部分田间道路工程因土地流转协调延后，资金支付进度偏慢。",
        measures="加强与乡镇的协调，2024年一季度完成剩余工程结算，并落实建后管护经费。",
        planted=[P("goal_mismatch", "goals[1].expected", "年度目标只有“乡村振兴战略”“高质量发展”“服务大局”等口号，未写本项目的建设内容和数量"),
                 P("inconsistency", "budget.execution_rate", "执行率按年初预算1800万元计算为95.56%，按调整后预算2000万元应为86.00%"),
                 P("weak_accountability", "self_score", "执行率多算使预算执行得分多计0.96分，自评总分高于重算",
                   consequence_of="budget.execution_rate")],
    ))

    # s06 — clean, xlsx with formulas for 执行率/得分/总分 (cached values via LibreOffice)
    S.append(Sample(
        "s06", "示范区自然资源局", "示范区自然资源局", "2023年地质灾害隐患点监测预警项目", 2023,
        "self_eval_table", "standard_2020", "xlsx", "clean-formulas",
        [Fund(FIN, 280.00, 280.00, 276.40), Fund(CARRY, 15.00, 15.00, 15.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("对全区43处地质灾害隐患点开展汛期专业监测和群测群防，完成隐患点年度核查43处，安装自动化监测设备20套，"
          "全年因地质灾害造成的人员伤亡为零。",
          "完成43处隐患点汛期监测和年度核查，安装裂缝计、雨量计等自动化监测设备20套，设备在线率93.8%，发布预警信息17次，"
          "组织避险演练8场、转移群众326人次，全年未发生因地质灾害造成的人员伤亡；周边群众入户问卷有效样本210份，满意度95%。")],
        [q(OUT, NUM, "隐患点年度核查数量", "≥", "43", "处", "43", 15),
         q(OUT, NUM, "自动化监测设备安装数量", "≥", "20", "套", "20", 10),
         q(OUT, QUA, "监测设备在线率", "≥", "95", "%", "93.8", 10,
           dev="7月强降雨期间3套设备供电中断，在线率下降；已为野外设备加装太阳能备用电源。"),
         q(OUT, TIM, "汛前核查完成月份", "≤", "5", "月", "5", 5),
         q(OUT, COST, "单套监测设备购置安装成本", "≤", "4.5", "万元", "4.3", 10),
         q(EFF, SOC, "地质灾害造成人员伤亡人数", "=", "0", "人", "0", 15),
         q(EFF, SUS, "群测群防员培训覆盖率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "隐患点周边群众满意度", "≥", "90", "%", "95", 10)],
        formulas=True,
    ))

    # s07 — xls; vague indicators + "项目已完成"
    S.append(Sample(
        "s07", "示范区民政局", "示范区民政局", "2023年困难群众临时救助项目", 2023,
        "self_eval_table", "standard_2020", "xls", "vague-perfunctory",
        [Fund(FIN, 350.00, 380.00, 372.80), Fund(CARRY, 20.00, 20.00, 20.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("对遭遇突发性、紧急性、临时性生活困难的家庭和个人实施临时救助约1500人次，救助资金在审批后10个工作日内发放到位。",
          "项目已完成。")],
        [q(OUT, NUM, "临时救助人次", "≥", "1500", "人次", "1563", 15),
         q(OUT, NUM, "急难型救助先行救助户数", "≥", "120", "户", "131", 10),
         q(OUT, QUA, "救助对象认定准确率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "救助资金审批后发放时限", "≤", "10", "个工作日", "8", 5),
         q(OUT, COST, "人均临时救助金额", "≤", "2500", "元", "2385", 10),
         t(EFF, SOC, "困难群众基本生活保障水平", "有效提高", "有效提高", 15),
         t(EFF, SUS, "救助工作规范化水平", "较好", "较好", 15),
         q(SAT, SVC, "救助对象满意度", "≥", "90", "%", "94", 10)],
        planted=[P("vague_indicator", "indicators[6].target", "年度指标值为“有效提高”，不可衡量"),
                 P("vague_indicator", "indicators[7].target", "年度指标值为“较好”，不可衡量"),
                 P("perfunctory_completion", "goals[1].actual", "实际完成情况只写“项目已完成。”，未说明救助人次和资金发放情况")],
    ))

    # s08 — clean Sichuan variant, xls; one indicator partly met with reason
    S.append(Sample(
        "s08", "示范区文化旅游体育局", "示范区文化旅游体育局", "2023年公共文化场馆免费开放项目", 2023,
        "self_eval_table", "sichuan", "xls", "clean",
        [Fund("其中:财政资金", 210.00, 226.00, 219.62), Fund("财政专户管理资金", 0.00, 0.00, 0.00),
         Fund("单位资金", 0.00, 0.00, 0.00), Fund("其他资金", 10.00, 10.00, 9.50)],
        [("保障区文化馆、图书馆及9个乡镇综合文化站全年免费开放，每周开放不少于56小时，举办公益性文化活动不少于120场，"
          "年接待群众不少于25万人次。",
          "区文化馆、图书馆及9个乡镇综合文化站全年免费开放，每周开放56小时，举办公益讲座、展览、培训等活动126场，"
          "接待群众23.8万人次（受图书馆6月至8月闭馆维修影响，较目标少1.2万人次）；现场问卷调查有效问卷800份，满意度95%。")],
        [q(OUT, NUM, "免费开放场馆数量", "≥", "11", "个", "11", 15),
         q(OUT, NUM, "公益性文化活动场次", "≥", "120", "场", "126", 10),
         q(OUT, QUA, "每周开放时长", "≥", "56", "小时", "56", 10),
         q(OUT, TIM, "场馆全年开放天数", "≥", "300", "天", "305", 5),
         q(OUT, COST, "场均活动成本", "≤", "1.5", "万元", "1.3", 10),
         q(EFF, SOC, "年接待群众人次", "≥", "25", "万人次", "23.8", 15,
           dev="图书馆6月至8月闭馆维修，接待量减少；已于9月恢复开放并延长周末开放时间。"),
         q(EFF, SUS, "数字图书资源新增量", "≥", "2000", "册", "2150", 15),
         q(SAT, SVC, "群众满意度", "≥", "90", "%", "95", 10)],
        content="项目资金用于场馆水电物业、免费开放活动组织和数字资源采购，按季度拨付至各场馆。",
        conclusion="项目自评得分98.99分，自评等级为优。",
        problems="图书馆闭馆维修期间未设置临时借阅点，接待人次未达到年度目标。",
        measures="2024年将场馆维修安排在淡季，维修期间设置临时服务点，并加强数字阅读推广。",
    ))

    # s09 — clean project report, docx with heading styles and the embedded table
    s09 = Sample(
        "s09", "示范区卫生健康局", "示范区卫生健康局", "2023年家庭医生签约服务项目", 2023,
        "project_report", "embedded", "docx", "clean",
        [Fund(FIN, 520.00, 540.00, 532.60), Fund(CARRY, 0.00, 0.00, 0.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("组建家庭医生团队36个，为老年人、孕产妇、儿童、慢病患者等重点人群提供签约服务，重点人群签约率达到75%以上，"
          "签约居民年均履约服务不少于4次，高血压、糖尿病患者规范管理率达到65%。",
          "全区组建家庭医生团队36个，签约重点人群41260人，签约率76.8%；人均履约服务3.8次（偏远村履约次数偏低），"
          "高血压、糖尿病患者规范管理率分别为67.2%和66.5%，电话回访320户，签约居民满意度93.4%。")],
        [q(OUT, NUM, "家庭医生团队数量", "≥", "36", "个", "36", 10),
         q(OUT, NUM, "重点人群签约人数", "≥", "40000", "人", "41260", 10),
         q(OUT, QUA, "重点人群签约率", "≥", "75", "%", "76.8", 10),
         q(OUT, QUA, "签约居民年均履约服务次数", "≥", "4", "次", "3.8", 10,
           dev="偏远村家庭医生团队人员不足、交通不便，履约次数偏低；2024年为偏远村团队配备移动随访设备。"),
         q(OUT, TIM, "签约服务补助资金季度拨付及时率", "=", "100", "%", "100", 5),
         q(OUT, COST, "人均签约服务补助标准", "≤", "130", "元", "129", 5),
         q(EFF, SOC, "高血压患者规范管理率", "≥", "65", "%", "67.2", 15),
         q(EFF, SOC, "糖尿病患者规范管理率", "≥", "65", "%", "66.5", 15),
         q(SAT, SVC, "签约居民满意度", "≥", "90", "%", "93.4", 10)],
        heading_styles=True,
    )
    s09.sections = report_sections(
        s09, with_problems=True,
        overview="家庭医生签约服务项目由区卫生健康局组织实施，依托8家乡镇卫生院和14家社区卫生服务站组建家庭医生团队，"
                 "为重点人群提供基本医疗、公共卫生和健康管理服务。",
        process="2024年1月成立评价工作组，收集签约台账、履约记录和资金支付凭证，抽查签约居民320户电话回访，"
                "2月完成数据核实与打分，3月形成评价报告。",
        experience="主要经验：一是将签约服务费与履约考核挂钩，按季度考核后拨付；二是通过信息系统实时记录履约服务，数据可追溯。",
        problems="存在的问题：部分偏远村签约居民履约服务频次偏低，原因是团队人员不足、交通不便；"
                 "签约服务补助标准多年未调整，对基层医务人员激励不足。",
        suggestions="建议2024年为偏远村团队配备移动随访设备，推动补助标准动态调整，并将履约满意度纳入团队绩效分配。",
    )
    S.append(s09)

    # s10 — project report as pdf; slogan goal and no 存在的问题
    s10 = Sample(
        "s10", "示范区水务局", "示范区水务局", "2023年农村饮水安全巩固提升工程", 2023,
        "project_report", "embedded", "pdf", "slogan-noproblems",
        [Fund(FIN, 760.00, 760.00, 748.20), Fund(CARRY, 45.00, 45.00, 45.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("坚持以人民为中心的发展思想，全面提升农村供水保障水平，助力乡村振兴，为建设幸福河湖贡献水务力量。",
          "改造农村供水管网46公里，新建蓄水池3座，更换智能水表2860块，受益人口2.1万人，农村自来水普及率由96.2%提高到"
          "98.1%，水质抽检合格率100%，入户走访问卷150份，满意度92%。")],
        [q(OUT, NUM, "改造供水管网长度", "≥", "45", "公里", "46", 15),
         q(OUT, NUM, "更换智能水表数量", "≥", "2800", "块", "2860", 10),
         q(OUT, QUA, "水质抽检合格率", "=", "100", "%", "100", 10),
         q(OUT, TIM, "工程完工月份", "≤", "10", "月", "10", 5),
         q(OUT, COST, "每公里管网改造成本", "≤", "12", "万元", "11.6", 10),
         q(EFF, SOC, "工程受益人口", "≥", "2", "万人", "2.1", 15),
         q(EFF, SOC, "农村自来水普及率", "≥", "98", "%", "98.1", 15),
         q(SAT, SVC, "受益群众满意度", "≥", "90", "%", "92", 10)],
        planted=[P("goal_mismatch", "goals[1].expected", "年度目标是“以人民为中心”“助力乡村振兴”等口号，未写管网改造长度、受益人口等本项目内容"),
                 P("structure", "problems", "报告缺少“存在的问题及原因分析”部分（第五部分只写了主要经验及做法）")],
    )
    s10.sections = report_sections(
        s10, with_problems=False,
        overview="农村饮水安全巩固提升工程由区水务局组织实施，涉及4个乡镇23个行政村，主要建设内容为老旧供水管网改造、"
                 "蓄水池新建和智能水表更换。",
        process="2024年1月组成评价组，查阅工程招投标、监理、验收和资金支付资料，现场查看管网改造点位12处，"
                "入户走访受益群众150户。",
        experience="主要经验：一是实行项目法人负责制和工程监理制，质量安全责任到人；二是建管并重，同步落实村级管水员46名。",
        problems="",
        suggestions="建议进一步完善农村供水工程运行维护经费保障机制，推广水费收缴信息化管理。",
    )
    S.append(s10)

    # s11 — clean department-wide report, docx
    s11 = Sample(
        "s11", "示范区教育局", "示范区教育局", None, 2023,
        "overall_report", "embedded", "docx", "clean",
        [], [("保障全区46所中小学、幼儿园正常运转和3.2万名在校学生教育教学需求；完成2所学校校舍改扩建，新增学位900个；"
              "义务教育巩固率保持在99%以上。",
              "全年保障46所学校正常运转，在校学生3.24万人；完成第二小学、实验中学2所学校改扩建，新增学位960个；"
              "义务教育巩固率99.6%，招聘补充教师76名，全年未发生重大校园安全事故；家长问卷调查有效问卷2100份，满意度94.5%。")],
        [q(OUT, NUM, "保障运转学校数量", "≥", "46", "所", "46", 10),
         q(OUT, NUM, "新增学位数", "≥", "900", "个", "960", 10),
         q(OUT, NUM, "招聘补充教师人数", "≥", "80", "名", "76", 10,
           dev="物理、音乐等4个学科岗位无人报考；已纳入2024年春季招聘计划并放宽专业要求。"),
         q(OUT, QUA, "义务教育巩固率", "≥", "99", "%", "99.6", 10),
         q(OUT, TIM, "校舍改扩建工程按期竣工率", "=", "100", "%", "100", 5),
         q(OUT, COST, "“三公”经费控制率", "≤", "100", "%", "92.3", 5),
         q(EFF, SOC, "重大校园安全事故发生数", "=", "0", "起", "0", 15),
         q(EFF, SUS, "教师年度培训覆盖率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "学生家长满意度", "≥", "90", "%", "94.5", 10)],
        fund_groups=[("按收入性质分", [Fund("财政拨款", 18600.00, 19450.00, 19236.80),
                                   Fund("其他资金", 320.00, 350.00, 338.40)]),
                     ("按支出性质分", [Fund("基本支出", 12400.00, 12860.00, 12780.50),
                                   Fund("项目支出", 6520.00, 6940.00, 6794.70)])],
    )
    s11.sections = overall_sections(
        s11,
        duties="示范区教育局负责全区学前教育、义务教育和普通高中教育的统筹管理，承担教师队伍建设、教育经费管理和校园安全监管等职责。",
        staff="局机关内设7个股室，下属学校及幼儿园46所；年末在职教职工2860人，其中专任教师2514人。",
        problems="一是项目支出中校舍改扩建资金集中在四季度支付，支出进度前慢后快；二是部分学校公用经费预算编制偏粗，年中调整较多。",
        measures="一是建立重点项目支出进度月通报制度；二是细化学校公用经费预算编制，减少年中调整；三是将自评结果与下年预算安排挂钩。",
    )
    S.append(s11)

    # s12 — department-wide report as doc; vague indicators, band violation, inflated score
    s12 = Sample(
        "s12", "示范区市场监督管理局", "示范区市场监督管理局", None, 2023,
        "overall_report", "embedded", "doc", "vague-inflated",
        [], [("完成食品安全监督抽检1200批次，对全区1.6万户市场主体开展“双随机、一公开”监管，特种设备定期检验率达到100%，"
              "消费投诉按期办结率不低于98%。",
              "完成食品安全监督抽检1100批次，开展“双随机、一公开”检查覆盖市场主体1.62万户，特种设备定期检验率100%，"
              "受理消费投诉2361件，按期办结率99.1%；消费者问卷调查有效样本1000份，满意度91.2%。")],
        [q(OUT, NUM, "食品安全监督抽检批次", "≥", "1200", "批次", "1100", 10, score=10,
           dev="部分抽检任务因承检机构资质调整延后，已于2024年1月补检完成。"),
         q(OUT, NUM, "“双随机、一公开”抽查市场主体户数", "≥", "16000", "户", "16200", 10),
         q(OUT, QUA, "特种设备定期检验率", "=", "100", "%", "100", 10),
         q(OUT, QUA, "消费投诉按期办结率", "≥", "98", "%", "99.1", 10),
         q(OUT, TIM, "抽检结果按时公布率", "=", "100", "%", "100", 5),
         q(OUT, COST, "“三公”经费控制率", "≤", "100", "%", "95", 5),
         t(EFF, SOC, "食品安全监管水平", "明显提升", "部分达成年度指标并具有一定效果", 15, score=15),
         t(EFF, SUS, "市场秩序", "有效规范", "有效规范", 15),
         q(SAT, SVC, "消费者满意度", "≥", "90", "%", "91.2", 10)],
        fund_groups=[("按收入性质分", [Fund("财政拨款", 2860.00, 2980.00, 2911.60),
                                   Fund("其他资金", 0.00, 0.00, 0.00)]),
                     ("按支出性质分", [Fund("基本支出", 2100.00, 2150.00, 2138.40),
                                   Fund("项目支出", 760.00, 830.00, 773.20)])],
        planted=[P("vague_indicator", "indicators[7].target", "年度指标值为“明显提升”，不可衡量"),
                 P("vague_indicator", "indicators[8].target", "年度指标值为“有效规范”，不可衡量"),
                 P("weak_accountability", "indicators[1].score", "抽检1100批次低于目标1200批次，仍自评满分10分，按比例应得9.17分"),
                 P("weak_accountability", "indicators[7].score", "完成值为“部分达成年度指标并具有一定效果”，得分应低于权重的80%（12分），却自评15分"),
                 P("weak_accountability", "self_score", "自评总分高于按官方方法重算的得分")],
    )
    s12.sections = overall_sections(
        s12,
        duties="示范区市场监督管理局负责全区市场主体登记注册、食品药品安全监管、特种设备安全监察、产品质量监督和消费者权益保护。",
        staff="局机关内设9个股室，下设6个市场监督管理所；年末在职人员168人。",
        problems="一是基层监管所人员年龄偏大、专业技术人员不足；二是抽检任务受承检机构变动影响，部分批次延后完成。",
        measures="一是通过政府购买服务补充检测力量；二是与两家承检机构签订备用协议，保证抽检进度；三是加强业务培训。",
    )
    S.append(s12)

    # s13 — clean monitoring table, docx (landscape)
    S.append(Sample(
        "s13", "示范区城市管理局", "示范区城市管理局", "2024年生活垃圾清运处理项目", 2024,
        "monitoring_table", "monitoring_2019", "docx", "clean",
        [Fund("其中：财政拨款", 1560.00, 1560.00, 880.40, 1548.00), Fund("其他资金", 0.00, 0.00, 0.00, 0.00)],
        [("全年清运处理城区及乡镇生活垃圾10.5万吨，生活垃圾无害化处理率保持100%，新增垃圾分类投放点120个。",
          "1-7月清运处理生活垃圾6.3万吨，无害化处理率100%，新增分类投放点78个；6月入户问卷调查有效问卷400份，居民满意度91.5%。",
          "全年预计清运处理生活垃圾10.6万吨，新增分类投放点120个，无害化处理率100%。")],
        [m(OUT, NUM, "生活垃圾清运量", "≥", "10.5", "万吨", "6.3", "10.6"),
         m(OUT, NUM, "新增垃圾分类投放点", "≥", "120", "个", "78", "120"),
         m(OUT, QUA, "生活垃圾无害化处理率", "=", "100", "%", "100", "100"),
         m(OUT, TIM, "垃圾日产日清率", "≥", "98", "%", "99", "99"),
         m(OUT, COST, "吨垃圾清运处理成本", "≤", "150", "元", "146", "147"),
         m(EFF, ENV, "垃圾分类居民小区覆盖率", "≥", "80", "%", "72", "78", "有可能",
           {"其他": "部分老旧小区无物业管理，投放点选址协调难度大"}, "8月起由街道牵头逐小区协调，力争年底达标"),
         m(SAT, SVC, "居民满意度", "≥", "90", "%", "91.5", "92")],
    ))

    # s14 — monitoring table xlsx; 确定能 although the forecast is below target
    S.append(Sample(
        "s14", "示范区人力资源和社会保障局", "示范区人力资源和社会保障局", "2024年职业技能提升培训项目", 2024,
        "monitoring_table", "monitoring_2019", "xlsx", "likelihood",
        [Fund("其中：财政拨款", 600.00, 640.00, 298.50, 632.00), Fund("其他资金", 40.00, 40.00, 12.00, 38.00)],
        [("全年开展职业技能提升培训6000人次，培训后取得职业资格或技能等级证书3600人，培训后就业率达到70%。",
          "1-7月开展培训2860人次，取证1540人，培训后就业率68%，参训人员问卷调查满意度93%。",
          "全年预计培训5600人次，取证3300人，培训后就业率70%。")],
        [m(OUT, NUM, "职业技能培训人次", "≥", "6000", "人次", "2860", "5600"),
         m(OUT, NUM, "取得职业资格或技能等级证书人数", "≥", "3600", "人", "1540", "3300", "有可能",
           {"经费保障": "部分培训补贴资金尚未拨付"}, "已申请追加拨付，9月底前到位"),
         m(OUT, QUA, "培训合格率", "≥", "90", "%", "92", "92"),
         m(OUT, TIM, "培训补贴审核发放时限", "≤", "30", "天", "25", "25"),
         m(OUT, COST, "人均培训补贴标准", "≤", "1200", "元", "1150", "1150"),
         m(EFF, SOC, "培训后就业率", "≥", "70", "%", "68", "70"),
         m(SAT, SVC, "参训人员满意度", "≥", "90", "%", "93", "93")],
        planted=[P("weak_accountability", "indicators[1].likelihood",
                   "全年预计完成5600人次低于年度指标6000人次，完成目标可能性却填“确定能”，且未分析偏差原因")],
    ))
    # s15 — .xls written directly with xlwt; mistyped execution rate
    S.append(Sample(
        "s15", "示范区应急管理局", "示范区应急管理局", "2023年基层应急救援队伍能力提升项目", 2023,
        "self_eval_table", "standard_2020", "xls", "rate",
        [Fund(FIN, 180.00, 195.00, 185.25), Fund(CARRY, 0.00, 0.00, 0.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("为全区9个乡镇应急救援队配备救援装备9套，开展应急救援技能培训不少于12期，组织综合演练4次。",
          "为9个乡镇应急救援队配齐救援装备9套，开展技能培训11期、培训队员536人次，组织防汛、森林防火等综合演练4次，"
          "全年参与处置突发事件21起；乡镇群众问卷调查有效问卷300份，满意度93%。")],
        [q(OUT, NUM, "配备救援装备套数", "≥", "9", "套", "9", 15),
         q(OUT, NUM, "应急救援技能培训期数", "≥", "12", "期", "11", 10,
           dev="第四季度1期培训因防汛应急任务推迟，已于2024年1月补训。"),
         q(OUT, QUA, "参训队员考核合格率", "≥", "95", "%", "97.5", 10),
         q(OUT, TIM, "装备采购到位月份", "≤", "6", "月", "6", 5),
         q(OUT, COST, "每套救援装备采购成本", "≤", "12", "万元", "11.8", 10),
         q(EFF, SOC, "突发事件先期处置到场时间", "≤", "30", "分钟", "26", 15),
         q(EFF, SUS, "乡镇救援队规范化建设达标率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "乡镇群众满意度", "≥", "90", "%", "93", 10)],
        rate_written=98.50, producer="xlwt",
        planted=[P("inconsistency", "budget.execution_rate", "执行率填写为98.50%，全年执行数185.25万元÷全年预算数195万元应为95.00%"),
                 P("weak_accountability", "self_score", "执行率多填使预算执行得分多计0.35分，自评总分高于重算",
                   consequence_of="budget.execution_rate")],
    ))

    # s16 — monitoring table as pdf; 确定能 on a reverse indicator whose forecast misses the target
    S.append(Sample(
        "s16", "示范区生态环境局", "示范区生态环境局", "2024年大气污染防治项目", 2024,
        "monitoring_table", "monitoring_2019", "pdf", "likelihood",
        [Fund("其中：财政拨款", 900.00, 950.00, 512.30, 940.00), Fund("其他资金", 0.00, 0.00, 0.00, 0.00)],
        [("全年完成30家涉气企业深度治理，安装道路扬尘在线监测设备15套，城区PM2.5年均浓度控制在32微克/立方米以内，"
          "优良天数比例达到82%。",
          "1-7月完成19家涉气企业深度治理，安装扬尘在线监测设备15套，城区PM2.5累计平均浓度34微克/立方米，优良天数比例80.2%；"
          "周边群众问卷调查有效问卷500份，满意度91%。",
          "全年预计完成30家企业深度治理，PM2.5年均浓度约33微克/立方米，优良天数比例约81%。")],
        [m(OUT, NUM, "涉气企业深度治理数量", "≥", "30", "家", "19", "30"),
         m(OUT, NUM, "扬尘在线监测设备安装数量", "≥", "15", "套", "15", "15"),
         m(OUT, QUA, "治理设施验收合格率", "=", "100", "%", "100", "100"),
         m(OUT, TIM, "治理项目按计划开工率", "=", "100", "%", "100", "100"),
         m(OUT, COST, "单家企业治理补助标准", "≤", "20", "万元", "18", "18"),
         m(EFF, ENV, "城区PM2.5年均浓度", "≤", "32", "微克/立方米", "34", "33"),
         m(EFF, ENV, "优良天数比例", "≥", "82", "%", "80.2", "81", "有可能",
           {"其他": "7月以来沙尘天气偏多"}, "加强秋冬季重污染天气应急管控"),
         m(SAT, SVC, "周边群众满意度", "≥", "90", "%", "91", "91")],
        planted=[P("weak_accountability", "indicators[6].likelihood",
                   "PM2.5年均浓度全年预计33微克/立方米，高于≤32的年度指标值，完成目标可能性却填“确定能”")],
    ))

    # s17 — standard table, docx; goal is a funding note, completion a stock phrase
    S.append(Sample(
        "s17", "示范区残疾人联合会", "示范区残疾人联合会", "2023年残疾人康复救助项目", 2023,
        "self_eval_table", "standard_2020", "docx", "fundingnote-perfunctory",
        [Fund(FIN, 240.00, 252.00, 249.48), Fund(CARRY, 0.00, 0.00, 0.00), Fund(OTHER, 0.00, 0.00, 0.00)],
        [("用于残疾人康复救助相关支出，专款专用。", "按计划完成各项工作，达到预期目标。")],
        [q(OUT, NUM, "残疾儿童康复救助人数", "≥", "160", "人", "168", 15),
         q(OUT, NUM, "辅助器具适配人数", "≥", "450", "人", "436", 10,
           dev="14名申请人经评估不符合适配条件，已转介至医疗康复渠道。"),
         q(OUT, QUA, "康复训练服务合格率", "≥", "95", "%", "96.4", 10),
         q(OUT, TIM, "救助资金拨付及时率", "=", "100", "%", "100", 5),
         q(OUT, COST, "残疾儿童人均年度康复救助标准", "≤", "1.2", "万元", "1.2", 10),
         q(EFF, SOC, "救助儿童康复训练有效率", "≥", "80", "%", "84.5", 15),
         q(EFF, SUS, "定点康复机构服务协议签订率", "=", "100", "%", "100", 15),
         q(SAT, SVC, "残疾人及家属满意度", "≥", "90", "%", "95.2", 10)],
        planted=[P("goal_mismatch", "goals[1].expected", "年度目标只是资金用途说明（“用于……相关支出，专款专用”），没有写救助人数等产出和效果"),
                 P("perfunctory_completion", "goals[1].actual", "实际完成情况为套话“按计划完成各项工作，达到预期目标”，没有量化")],
    ))
    return S


# ---------------------------------------------------------------------------------------
# table grids (shared by the docx and xlsx renderers)
# ---------------------------------------------------------------------------------------


@dataclass
class Num:
    v: float
    kind: str = "money"  # money | rate | score | int


@dataclass
class Formula:
    expr: str  # an Excel formula; LibreOffice fills in the cached value


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, Num):
        if v.kind == "money":
            return f"{v.v:.2f}"
        if v.kind == "rate":
            return f"{v.v:.2f}%"
        if v.kind == "int":
            return str(int(v.v))
        return str(int(v.v)) if float(v.v).is_integer() else f"{v.v:.2f}"
    return str(v)


def score_num(v: float) -> Num:
    return Num(v, "score")


class Grid:
    def __init__(self, ncols: int):
        self.ncols = ncols
        self.items: list[tuple] = []  # (r1, c1, r2, c2, value, bold)
        self.nrows = 0

    def put(self, r, c, value, c2=None, r2=None, bold=False):
        r2, c2 = r2 or r, c2 or c
        self.items.append((r, c, r2, c2, value, bold))
        self.nrows = max(self.nrows, r2)


def _fund_rows(s: Sample):
    """(label, Fund, show_weight) rows of the 项目资金 block."""
    t_ = s.total
    rows = [("年度资金总额", t_, True)]
    if s.fund_groups:
        for gl, funds in s.fund_groups:
            for n, f in enumerate(funds):
                rows.append(((f"{gl}：" if n == 0 else "") + f.label, f, False))
    else:
        for n, f in enumerate(s.funds):
            label = f.label
            if s.layout in ("standard_2020", "central_ab", "embedded") and n == 0:
                label = "其中：" + label
            rows.append((label, f, False))
    return rows


def _sub_rate(f: Fund):
    return Num(round(f.executed / f.annual * 100, 2), "rate") if f.annual else "—"


def grid_self_eval(s: Sample, xl_row0: int | None = None) -> Grid:
    """The 10号 grid (domain.md §1.2), central (A)/(B) headers or the 部门整体 variant.

    `xl_row0` is the sheet row of grid row 1; given, 执行率/得分/总分 become Excel formulas.
    """
    from openpyxl.utils import get_column_letter as L

    g = Grid(8)
    ab = s.layout == "central_ab"
    overall = s.doc_type == "overall_report"
    r = 1
    if overall:
        g.put(r, 1, "部门（单位）名称", bold=True)
        g.put(r, 2, s.unit, c2=8)
        r += 1
    else:
        g.put(r, 1, "项目名称", bold=True)
        g.put(r, 2, s.project, c2=8)
        g.put(r + 1, 1, "主管部门", bold=True)
        g.put(r + 1, 2, s.dept, c2=4)
        g.put(r + 1, 5, "实施单位", bold=True)
        g.put(r + 1, 6, s.unit, c2=8)
        r += 2
    rows = _fund_rows(s)
    g.put(r, 1, "年度预算资金（万元）" if overall else "项目资金（万元）", r2=r + len(rows), bold=True)
    heads = ["年初预算数", "全年预算数（A）" if ab else "全年预算数", "全年执行数（B）" if ab else "全年执行数",
             "分值", "执行率（B/A）" if ab else "执行率", "得分"]
    for k, h in enumerate(heads):
        g.put(r, 3 + k, h, bold=True)
    fund_r0 = r + 1
    for n, (label, f, main) in enumerate(rows):
        rr = fund_r0 + n
        g.put(rr, 2, label)
        g.put(rr, 3, Num(f.initial))
        g.put(rr, 4, Num(f.annual))
        g.put(rr, 5, Num(f.executed))
        if xl_row0 is not None:
            xr = xl_row0 + rr - 1
            rate = Formula(f"=ROUND({L(5)}{xr}/{L(4)}{xr}*100,2)") if f.annual else "—"
            g.put(rr, 7, rate)
            if main:
                g.put(rr, 6, Num(s.weight, "int"))
                g.put(rr, 8, Formula(f"=ROUND(MIN({L(7)}{xr},100)/100*{L(6)}{xr},2)"))
            else:
                g.put(rr, 6, "—")
                g.put(rr, 8, "—")
            continue
        if main:
            g.put(rr, 6, Num(s.weight, "int"))
            g.put(rr, 7, Num(s.rate, "rate"))
            g.put(rr, 8, score_num(s.budget_score))
        else:
            g.put(rr, 6, "—")
            g.put(rr, 7, _sub_rate(f))
            g.put(rr, 8, "—")
    budget_score_row = fund_r0
    r = fund_r0 + len(rows)
    g.put(r, 1, "年度总体目标", r2=r + len(s.goals), bold=True)
    g.put(r, 2, "预期目标", c2=5, bold=True)
    g.put(r, 6, "实际完成情况", c2=8, bold=True)
    for n, goal in enumerate(s.goals):
        g.put(r + 1 + n, 2, goal[0], c2=5)
        g.put(r + 1 + n, 6, goal[1], c2=8)
    r += 1 + len(s.goals)
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值（A）" if ab else "年度指标值",
             "实际完成值（B）" if ab else "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    for k, h in enumerate(heads):
        g.put(r, 1 + k, h, bold=True)
    r += 1
    ind_r0 = r
    _put_indicator_tree(g, s, r, label_fn=(lambda l1: f"{l1}({int(s.l1_weight(l1))}分)") if s.l1_weights else None)
    for n, i in enumerate(s.indicators):
        rr = r + n
        g.put(rr, 3, i.name)
        g.put(rr, 4, i.target)
        g.put(rr, 5, i.actual)
        g.put(rr, 6, Num(i.w, "int"))
        g.put(rr, 7, score_num(i.score_written()))
        g.put(rr, 8, i.dev or "")
    r += len(s.indicators)
    g.put(r, 1, "总分", c2=5, bold=True)
    g.put(r, 6, Num(100, "int"))
    if xl_row0 is not None:
        a, b = xl_row0 + ind_r0 - 1, xl_row0 + r - 2
        g.put(r, 7, Formula(f"=ROUND({L(8)}{xl_row0 + budget_score_row - 1}+SUM({L(7)}{a}:{L(7)}{b}),2)"))
    else:
        g.put(r, 7, score_num(s.self_score))
    g.put(r, 8, "")
    return g


def _put_indicator_tree(g: Grid, s: Sample, r0: int, label_fn=None, c1: int = 1):
    """一级/二级 cells merged vertically over their runs, as real templates do."""
    inds = s.indicators

    def runs(key):
        out, start = [], 0
        for n in range(1, len(inds) + 1):
            if n == len(inds) or key(inds[n]) != key(inds[start]):
                out.append((start, n - 1))
                start = n
        return out

    for a, b in runs(lambda i: i.l1):
        text = label_fn(inds[a].l1) if label_fn else inds[a].l1
        g.put(r0 + a, c1, text, r2=r0 + b)
    for a, b in runs(lambda i: (i.l1, i.l2)):
        g.put(r0 + a, c1 + 1, inds[a].l2, r2=r0 + b)


def grid_sichuan(s: Sample) -> Grid:
    """四川 部门预算项目支出绩效自评表 (domain.md §1.4)."""
    g = Grid(10)
    g.put(1, 1, "项目名称", c2=2, bold=True)
    g.put(1, 3, s.project, c2=10)
    g.put(2, 1, "主管部门", c2=2, bold=True)
    g.put(2, 3, s.dept, c2=5)
    g.put(2, 6, "实施单位（盖章）", c2=7, bold=True)
    g.put(2, 8, s.unit, c2=10)
    g.put(3, 1, "项目基本情况", r2=6, bold=True)
    g.put(3, 2, "1.项目年度目标完成情况", c2=10, bold=True)
    g.put(4, 2, "项目年度目标", c2=6, bold=True)
    g.put(4, 7, "年度目标完成情况", c2=10, bold=True)
    g.put(5, 2, s.goals[0][0], c2=6)
    g.put(5, 7, s.goals[0][1], c2=10)
    g.put(6, 2, "2.项目实施内容及过程概述", c2=3, bold=True)
    g.put(6, 4, s.content, c2=10)
    g.put(7, 1, "预算执行情况(10分)", r2=7 + len(s.funds) + 1, bold=True)
    for k, h in enumerate(["年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"]):
        g.put(7, 4 + k, h, bold=True)
    t_ = s.total
    rows = [("总额", t_, True)] + [(f.label, f, False) for f in s.funds]
    for n, (label, f, main) in enumerate(rows):
        rr = 8 + n
        g.put(rr, 2, label, c2=3)
        g.put(rr, 4, Num(f.initial))
        g.put(rr, 5, Num(f.annual))
        g.put(rr, 6, Num(f.executed))
        if main:
            g.put(rr, 7, Num(s.rate, "rate"))
            g.put(rr, 8, Num(s.weight, "int"))
            g.put(rr, 9, score_num(s.budget_score))
            g.put(rr, 10, s.reason or "")
        else:
            g.put(rr, 7, _sub_rate(f) if f.annual else "/")
            g.put(rr, 8, "/")
            g.put(rr, 9, "/")
            g.put(rr, 10, "")
    r = 8 + len(rows)
    g.put(r, 1, "绩效指标(90分)", c2=10, bold=True)
    r += 1
    for k, h in enumerate(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值",
                           "权重", "得分", "未完成原因分析"]):
        g.put(r, 1 + k, h, bold=True)
    r += 1
    _put_indicator_tree(g, s, r)
    for n, i in enumerate(s.indicators):
        rr = r + n
        g.put(rr, 3, i.name)
        g.put(rr, 4, i.sign)
        g.put(rr, 5, i.tv)
        g.put(rr, 6, i.unit)
        g.put(rr, 7, i.av)
        g.put(rr, 8, Num(i.w, "int"))
        g.put(rr, 9, score_num(i.score_written()))
        g.put(rr, 10, i.dev or "")
    r += len(s.indicators)
    g.put(r, 1, "总分", c2=7, bold=True)
    g.put(r, 8, Num(100, "int"))
    g.put(r, 9, score_num(s.self_score))
    g.put(r, 10, "")
    for label, text in (("评价结论", s.conclusion), ("存在问题", s.problems), ("改进措施", s.measures)):
        r += 1
        g.put(r, 1, label, c2=2, bold=True)
        g.put(r, 3, text, c2=10)
    r += 1
    g.put(r, 1, "项目负责人：王建国", c2=5)
    g.put(r, 6, "财务负责人：刘晓梅", c2=10)
    return g


def grid_monitoring(s: Sample) -> Grid:
    """项目支出绩效目标执行监控表 (财预〔2019〕136号, domain.md §5.1), data as of 1-7月."""
    g = Grid(13)
    g.put(1, 1, "项目名称", c2=2, bold=True)
    g.put(1, 3, s.project, c2=13)
    g.put(2, 1, "主管部门及代码", c2=2, bold=True)
    g.put(2, 3, s.dept, c2=7)
    g.put(2, 8, "实施单位", c2=9, bold=True)
    g.put(2, 10, s.unit, c2=13)
    rows = [("年度资金总额", s.total)] + [(f.label, f) for f in s.funds]
    g.put(3, 1, "项目资金（万元）", c2=2, r2=3 + len(rows), bold=True)
    for c, c2, h in ((5, 6, "年初预算数"), (7, 8, "全年预算数"), (9, 10, "1-7月执行数"), (11, 11, "1-7月执行率"),
                     (12, 13, "全年预计执行数")):
        g.put(3, c, h, c2=c2, bold=True)
    g.put(3, 3, "", c2=4)
    for n, (label, f) in enumerate(rows):
        rr = 4 + n
        g.put(rr, 3, label, c2=4)
        g.put(rr, 5, Num(f.initial), c2=6)
        g.put(rr, 7, Num(f.annual), c2=8)
        g.put(rr, 9, Num(f.executed), c2=10)
        g.put(rr, 11, Num(s.rate, "rate") if n == 0 else _sub_rate(f))
        g.put(rr, 12, Num(f.forecast), c2=13)
    r = 4 + len(rows)
    g.put(r, 1, "年度总体目标", c2=2, r2=r + len(s.goals), bold=True)
    g.put(r, 3, "预期目标", c2=7, bold=True)
    g.put(r, 8, "1-7月总体目标完成情况", c2=10, bold=True)
    g.put(r, 11, "全年预计完成情况", c2=13, bold=True)
    for n, goal in enumerate(s.goals):
        g.put(r + 1 + n, 3, goal[0], c2=7)
        g.put(r + 1 + n, 8, goal[1], c2=10)
        g.put(r + 1 + n, 11, goal[2], c2=13)
    r += 1 + len(s.goals)
    for c, h in ((1, "一级指标"), (2, "二级指标"), (3, "三级指标"), (4, "年度指标值"), (5, "1-7月执行情况"),
                 (6, "全年预计完成情况"), (12, "完成目标可能性"), (13, "备注")):
        g.put(r, c, h, r2=r + 1, bold=True)
    g.put(r, 7, "偏差原因分析", c2=11, bold=True)
    causes = ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    for k, h in enumerate(causes):
        g.put(r + 1, 7 + k, h, bold=True)
    r += 2
    _put_indicator_tree(g, s, r)
    for n, i in enumerate(s.indicators):
        rr = r + n
        g.put(rr, 3, i.name)
        g.put(rr, 4, i.target)
        g.put(rr, 5, i.actual)
        g.put(rr, 6, i.forecast_text)
        for k, h in enumerate(causes):
            g.put(rr, 7 + k, i.causes.get(h, ""))
        g.put(rr, 12, i.likelihood)
        g.put(rr, 13, i.remark or "")
    return g


# ---------------------------------------------------------------------------------------
# renderers
# ---------------------------------------------------------------------------------------


def _new_docx(landscape: bool = False):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    for name, font, size in (("Normal", "宋体", 10.5), ("Heading 1", "黑体", 14), ("Heading 2", "楷体", 12),
                             ("Title", "方正小标宋简体", 18)):
        st = d.styles[name]
        st.font.name = font
        st.font.size = Pt(size)
        rpr = st.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.8))
    cp = d.core_properties
    cp.author = cp.last_modified_by = AUTHOR
    cp.created = cp.modified = cp.last_printed = FIXED_DT
    cp.revision = 1
    cp.title = ""
    return d


def _docx_center(d, text, size=16, bold=True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return p


DOCX_WIDTHS_CM = {
    8: [1.9, 2.0, 3.2, 2.0, 2.0, 1.5, 1.8, 3.0],  # portrait, 17.4 cm text width
    13: [1.8, 2.0, 3.0, 2.2, 2.0, 2.0, 1.7, 1.7, 1.7, 1.9, 2.2, 1.7, 2.2],  # landscape, 26.1 cm
}


def grid_to_docx(d, g: Grid):
    from docx.shared import Cm, Pt

    table = d.add_table(rows=g.nrows, cols=g.ncols)
    table.style = "Table Grid"
    widths = DOCX_WIDTHS_CM.get(g.ncols)
    if widths:  # Word and LibreOffice take the width from each cell
        table.autofit = False
        for col, w in zip(table.columns, widths):
            col.width = Cm(w)  # <w:gridCol>, which LibreOffice lays out from
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    for r1, c1, r2, c2, value, bold in g.items:
        cell = table.cell(r1 - 1, c1 - 1)
        if (r2, c2) != (r1, c1):
            cell = cell.merge(table.cell(r2 - 1, c2 - 1))
        cell.text = ""
        run = cell.paragraphs[0].add_run(fmt(value))
        run.bold = bold
        run.font.size = Pt(9)
    return table


def render_table_docx(s: Sample, path: Path):
    if s.doc_type == "monitoring_table":
        d = _new_docx(landscape=True)
        _docx_center(d, "项目支出绩效监控情况表")
        _docx_center(d, f"（{s.year}年1-7月）", size=12, bold=False)
        grid_to_docx(d, grid_monitoring(s))
    else:
        d = _new_docx()
        _docx_center(d, "项目支出绩效自评表")
        _docx_center(d, f"（ {s.year} 年度）", size=12, bold=False)
        grid_to_docx(d, grid_self_eval(s))
        d.add_paragraph(f"填报单位：{s.unit}　　填报人：张明　　联系电话：0951-5550123　　填报日期：{s.year + 1}年3月15日")
    d.save(path)


def render_report_docx(s: Sample, path: Path):
    from docx.shared import Pt

    d = _new_docx()
    overall = s.doc_type == "overall_report"
    title = (f"{s.unit}{s.year}年度部门整体支出绩效评价报告" if overall
             else f"{s.unit}{s.project}绩效评价报告")
    _docx_center(d, title, size=18)
    cover = ([("部门（单位）名称", s.unit)] if overall else [("项目名称", s.project), ("项目单位", s.unit)])
    cover += [("主管部门", s.dept), ("评价类型", "单位自评"), ("评价日期", f"{s.year + 1}年3月15日")]
    for k, v in cover:
        d.add_paragraph(f"{k}：{v}")
    for heading, level, paras in s.sections:
        if s.heading_styles:
            d.add_paragraph(heading, style=f"Heading {level}")
        else:
            p = d.add_paragraph()
            run = p.add_run(heading)
            run.bold = True
            run.font.size = Pt(14 if level == 1 else 12)
        for text in paras:
            p = d.add_paragraph(text)
            p.paragraph_format.first_line_indent = Pt(21)
    d.add_paragraph(f"附件：{'部门整体支出绩效自评表' if overall else '项目支出绩效自评表'}")
    _docx_center(d, "部门整体支出绩效自评表" if overall else "项目支出绩效自评表")
    _docx_center(d, f"（ {s.year} 年度）", size=12, bold=False)
    grid_to_docx(d, grid_self_eval(s))
    # a paragraph after the last table: LibreOffice's .doc export loses a table that ends the body
    d.add_paragraph(f"{s.unit}（盖章）　　{s.year + 1}年3月15日")
    d.save(path)


def grid_to_sheet(ws, g: Grid, row0: int):
    from openpyxl.styles import Alignment, Border, Font, Side

    side = Side(style="thin")
    border = Border(left=side, right=side, top=side, bottom=side)
    for r1, c1, r2, c2, value, bold in g.items:
        cell = ws.cell(row0 + r1 - 1, c1)
        if isinstance(value, Num):
            if value.kind == "rate":
                cell.value = value.v  # bare percent number, as many templates do
                cell.number_format = "0.00"
            else:
                cell.value = value.v
                cell.number_format = "0.00" if value.kind in ("money",) else "General"
        elif isinstance(value, Formula):
            cell.value = value.expr
            cell.number_format = "0.00"
        else:
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a typed "=100%" is text, not a formula
        cell.font = Font(name="宋体", size=10, bold=bold)
        for rr in range(r1, r2 + 1):
            for cc in range(c1, c2 + 1):
                x = ws.cell(row0 + rr - 1, cc)
                x.border = border
                x.alignment = Alignment(wrap_text=True, vertical="center")
        if (r2, c2) != (r1, c1):
            ws.merge_cells(start_row=row0 + r1 - 1, start_column=c1, end_row=row0 + r2 - 1, end_column=c2)


def render_xls_xlwt(s: Sample, path: Path):
    """A BIFF8 .xls written by xlwt (the other common producer of old Excel files)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("自评表")
    g = grid_self_eval(s)
    base = "font: name 宋体, height 200; align: wrap on, vert centre; borders: left thin, right thin, top thin, bottom thin"
    styles = {
        (False, None): xlwt.easyxf(base), (True, None): xlwt.easyxf(base + "; font: bold on"),
        (False, "0.00"): xlwt.easyxf(base, num_format_str="0.00"),
    }
    title = xlwt.easyxf("font: name 宋体, height 320, bold on; align: horiz centre")
    ws.write_merge(0, 0, 0, g.ncols - 1, "项目支出绩效自评表", title)
    ws.write_merge(1, 1, 0, g.ncols - 1, f"（ {s.year} 年度）", xlwt.easyxf("align: horiz centre"))
    row0 = 2
    for r1, c1, r2, c2, value, bold in g.items:
        if isinstance(value, Num):
            v, st = value.v, styles[(False, "0.00")] if value.kind == "money" else styles[(bold, None)]
        else:
            v, st = ("" if value is None else value), styles[(bold, None)]
        ws.write_merge(row0 + r1 - 1, row0 + r2 - 1, c1 - 1, c2 - 1, v, st)
    for k, w in enumerate([14, 16, 26, 14, 14, 10, 10, 30]):
        ws.col(k).width = w * 256
    wb.save(str(path))


def render_xlsx(s: Sample, path: Path):
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    if s.layout == "sichuan":
        ws.title = "自评表"
        title, sub, g = "部门预算项目支出绩效自评表", f"（{s.year}年度）", grid_sichuan(s)
        widths = [10, 12, 22, 8, 10, 10, 10, 8, 8, 26]
    elif s.doc_type == "monitoring_table":
        ws.title = "监控表"
        title, sub, g = "项目支出绩效监控情况表", f"（{s.year}年1-7月）", grid_monitoring(s)
        widths = [10, 12, 22, 12, 12, 12, 10, 10, 10, 10, 14, 10, 22]
    else:
        ws.title = "自评表"
        title, sub = "项目支出绩效自评表", f"（ {s.year} 年度）"
        g = grid_self_eval(s, xl_row0=4 if s.formulas else None)
        widths = [14, 16, 26, 14, 14, 10, 10, 30]
    ws.cell(1, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=g.ncols)
    ws.cell(2, 1, sub)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=g.ncols)
    for r in (1, 2):
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    row0 = 3
    if s.layout == "sichuan":
        ws.cell(3, 1, "报表编号：510000_0013zp")
        row0 = 4
    elif s.formulas:
        row0 = 4
        ws.cell(3, 1, f"填报单位：{s.unit}（盖章）")
    grid_to_sheet(ws, g, row0)
    for k, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = w
    wb.properties.creator = wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = wb.properties.modified = FIXED_DT
    wb.save(path)


# ---------------------------------------------------------------------------------------
# determinism helpers and LibreOffice conversion
# ---------------------------------------------------------------------------------------

_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize_zip(path: Path):
    """Rewrite an OOXML zip with fixed entry times and fixed core-property dates."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATES.sub(rb"\g<1>2024-03-15T09:00:00Z\g<3>", data)
            info = zipfile.ZipInfo(name, date_time=ZIP_DT)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


def normalize_pdf(path: Path):
    """Blank the creation dates and /ID of a LibreOffice PDF without moving any byte."""
    data = path.read_bytes()

    def same_len(m: re.Match) -> bytes:
        return m.group(1) + re.sub(rb"[0-9A-Za-z]", b"0", m.group(2)) + m.group(3)

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)([^)]*)(\))", same_len, data)
    data = re.sub(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>)", same_len, data)
    data = re.sub(rb"(>\s*<)([0-9A-Fa-f]{16,})(>\s*\])", same_len, data)
    data = re.sub(rb"(<xmp:CreateDate>)([^<]*)(</xmp:CreateDate>)", same_len, data)
    data = re.sub(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)()", same_len, data)
    path.write_bytes(data)


def soffice_convert(files: list[Path], target: str, outdir: Path, profile: Path):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("需要 LibreOffice（soffice）才能生成 pdf/doc/xls 样例。")
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
           "--outdir", str(outdir)] + [str(f) for f in files]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)


# ---------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------


def write_truth(samples: list[Sample], out: Path):
    out.mkdir(parents=True, exist_ok=True)
    for s in samples:
        (out / f"{s.stem}.truth.json").write_text(
            json.dumps(s.truth(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


LAYOUT_LABELS = {"standard_2020": "财预〔2020〕10号标准表", "central_ab": "中央部门(A)/(B)版",
                 "sichuan": "四川版（指标性质/度量单位分列）", "embedded": "正文+附表",
                 "monitoring_2019": "财预〔2019〕136号监控表"}
TYPE_LABELS = {"self_eval_table": "项目支出绩效自评表", "project_report": "项目绩效评价报告",
               "overall_report": "部门整体支出绩效评价报告", "monitoring_table": "项目支出绩效监控情况表"}


def write_readme(samples: list[Sample], out: Path):
    lines = [
        "# 样例文档（samples/）",
        "",
        "虚构的“示范区”各单位填报的绩效自评材料，用于测试读取和检查。每个文件旁边的 `.truth.json`",
        "记录了应当读出的内容以及有意埋设的问题。文档和真值由 `samples/generate.py` 从同一份数据生成，",
        "两者不会不一致。重新生成：`make samples`（需要 LibreOffice）；只写真值：",
        "`python samples/generate.py --truth-only --out DIR`；只渲染无需转换的 docx/xlsx/xls：`--no-convert`。",
        "",
        "pdf/doc 由 LibreOffice 从 docx 转换，xls 由 LibreOffice 从 xlsx 转换（s15 由 xlwt 直接写出），",
        "s06 的执行率/得分/总分是公式，经 LibreOffice 重算后带缓存值。文档属性时间固定，zip 条目时间固定，",
        "pdf 的创建时间、/ID 和校验和已清零：在依赖版本不变时，所有文件逐字节可复现。",
        "",
        "## 真值字段",
        "",
        "- 编号从 1 开始：`indicators[1]` 是第一个指标；金额单位万元，执行率为百分数（98.75 表示 98.75%）。",
        "- `target`/`actual` 为表中写法；四川版指标性质、指标值、度量单位分列，`target` 为三者拼接，",
        "  `actual` 为完成值加度量单位，另有 `nature`、`unit`。一级指标名不含“(50分)”，分值在 `level1_weight`。",
        "- 监控表：`budget.executed`/`execution_rate` 是 1-7 月执行数/执行率，`budget.forecast` 为全年预计执行数；",
        "  目标的 `actual` 是 1-7 月完成情况、`forecast` 是全年预计；指标的 `actual` 是 1-7 月执行情况，",
        "  `monitoring` 中有 `progress`、`forecast`、`likelihood`（完成目标可能性）、`causes`（偏差原因各栏）、`remark`。",
        "- 报告：`sections` 为编号标题（一、…/（一）…），按出现顺序；资金、目标、指标取自附表。",
        "- `self_score` 为表中填写的总分；`recomputed_self_score` 为按官方方法重算的结果（见文末）。",
        "- `planted`：每个埋设问题的类别（与规则类别一致）、所在字段和说明；`consequence_of` 表示它是另一个",
        "  埋设问题的连带结果（如执行率多算导致总分偏高）。`clean` 为 true 的样例没有任何已知问题。",
        "",
        "| 文件 | 类型 | 格式 | 版式 | 埋设的问题 |",
        "|---|---|---|---|---|",
    ]
    for s in samples:
        probs = "；".join(f"{p['category']}（`{p['field']}`）" for p in s.planted) or "无（干净样例）"
        layout = LAYOUT_LABELS[s.layout] + ("，一级指标标注分值" if s.l1_weights else "") + \
            ("，执行率/得分/总分为公式" if s.formulas else "")
        lines.append(f"| `{s.stem}.{s.fmt}` | {TYPE_LABELS[s.doc_type]} | {s.fmt} | {layout} | {probs} |")
    lines += ["", "自评总分重算（`recomputed_self_score`）按 domain.md §2：预算执行得分 min(执行率,100%)×10，",
              "正向指标 B≥A 得满分、否则 B/A×分值，反向指标线性扣分，定性指标须落在等级区间内；",
              "无法重算（目标值不可衡量、得分超出等级区间）时为 null。", ""]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def render_all(samples: list[Sample], out: Path, convert: bool = True):
    """Render every sample into `out`; with convert=False skip those LibreOffice must convert."""
    with tempfile.TemporaryDirectory(prefix="jx_samples_") as tmp:
        tmp = Path(tmp)
        profile = tmp / "lo_profile"
        staged: dict[str, list[Path]] = {"pdf": [], "doc": [], "xls": [], "xlsx": []}
        for s in samples:
            if s.producer == "xlwt":
                render_xls_xlwt(s, out / f"{s.stem}.xls")
                continue
            src_ext = "xlsx" if (s.layout == "sichuan" or s.fmt in ("xlsx", "xls")) else "docx"
            direct = s.fmt == src_ext and not s.formulas
            if not direct and not convert:
                continue
            path = (out if direct else tmp) / f"{s.stem}.{src_ext}"
            if src_ext == "docx":
                (render_report_docx if s.doc_type in ("project_report", "overall_report") else render_table_docx)(s, path)
            else:
                render_xlsx(s, path)
            normalize_zip(path)
            if not direct:
                staged[s.fmt].append(path)
        if not convert:
            return
        for target, files in staged.items():
            if not files:
                continue
            conv = tmp / f"out_{target}"
            soffice_convert(files, target, conv, profile)
            for f in files:
                res = conv / f"{f.stem}.{target}"
                if not res.is_file():
                    sys.exit(f"LibreOffice 未能转换 {f.name}")
                if target == "xlsx":
                    normalize_zip(res)
                elif target == "pdf":
                    normalize_pdf(res)
                shutil.move(str(res), out / res.name)


def main(argv=None):
    ap = argparse.ArgumentParser(description="生成 samples/ 下的样例文档和真值文件")
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--truth-only", action="store_true", help="只写 .truth.json（不渲染文档）")
    ap.add_argument("--no-convert", action="store_true", help="只渲染不需要 LibreOffice 转换的 docx/xlsx/xls 样例")
    args = ap.parse_args(argv)
    samples = build_samples()
    if not args.truth_only:
        args.out.mkdir(parents=True, exist_ok=True)
        for old in list(args.out.glob("s[0-9][0-9]_*")):
            old.unlink()
        render_all(samples, args.out, convert=not args.no_convert)
        write_readme(samples, args.out)
    write_truth(samples, args.out)
    print(f"已生成 {len(samples)} 个样例到 {args.out}")


if __name__ == "__main__":
    main()
