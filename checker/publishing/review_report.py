"""Draft the bureau's 抽查复核报告 (.docx) from a batch output folder.

The outline follows the district bureau's own report (shared/docs/review-report.md):
title block, coverage, 部门得分汇总 table with 无 and its note, 存在的问题 with one
section per problem type found (counts, units most affected, quoted examples), and
整改建议 tied to the problems actually found. Placeholders (〔　〕号, dates, addressee)
are left for the reviewer to fill in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from checker.core.finding import SEVERITY_RANK
from checker.core.document import DOC_TYPE_LABELS
from checker.publishing import docxstyle as ds
from checker.publishing.batchdata import PROBLEM_TITLES, BatchData, unit_name
from checker.publishing.notices import units_with_problems
from checker.publishing.wording import doc_label

CN_NUM = "一二三四五六七八九十"
TABLE_COLUMNS = ["序号", "单位名称", "自评表", "项目绩效报告", "整体绩效报告", "监控表", "平均分"]
TYPE_COLUMNS = {
    "self_eval_table": "自评表",
    "project_report": "项目绩效报告",
    "overall_report": "整体绩效报告",
    "monitoring_table": "监控表",
}

# 整改建议 per problem type, in the bureau's voice; only those found are written.
ADVICE = {
    "vague_indicator": (
        "强化绩效目标管理，规范绩效指标设置。",
        "各部门要结合项目实施内容，将绩效目标细化分解为数量、质量、时效、成本和效益等可衡量的指标，"
        "指标值尽量量化并注明计量单位和取值依据；确需定性表述的，应写明可核验的评判标准，避免使用“明显提升”“较好”等模糊表述。",
    ),
    "goal_mismatch": (
        "聚焦项目实际，准确设置年度总体目标。",
        "年度总体目标应说明项目资金当年要完成的主要任务、产出数量和受益对象，与项目实施内容和实施阶段相对应，"
        "不得以国家宏观政策目标或单位职能表述代替项目目标。",
    ),
    "perfunctory_completion": (
        "如实填报目标完成情况，做到有据可查。",
        "实际完成情况应逐项对照年初目标，用数据说明实际产出和效益，未完成或偏差较大的指标要分析原因并提出改进措施，"
        "不得仅以“已完成”“项目已完成”等简单表述代替。",
    ),
    "weak_accountability": (
        "压实主体责任，严格评价打分。",
        "各部门要明确业务科室在绩效自评中的责任，由业务科室提供项目实际执行数据，按照评分规则如实打分，"
        "确保自评结果与实际完成情况相符，杜绝“满分自评”“照抄目标值”等现象。",
    ),
    "inconsistency": (
        "加强数据审核，确保填报准确一致。",
        "报送前要核对预算数、执行数、执行率、各项得分及总分等数据的计算关系，确保表内、表间数据一致。",
    ),
    "structure": (
        "规范报送材料，确保内容完整。",
        "自评表、评价报告应按规定格式完整填报，评价报告须包含存在的问题及原因分析、改进措施等必要内容。",
    ),
}


@dataclass
class ProblemStat:
    category: str
    documents: int
    units: int
    findings: int
    top_units: list[tuple[str, int]]
    examples: list[dict[str, Any]]


def _fmt_score(v: Any) -> str:
    return v if isinstance(v, str) else f"{float(v):.2f}"


def problem_stats(batch: BatchData, n_examples: int = 3) -> list[ProblemStat]:
    """Per problem type: affected documents/units, units most affected, quoted examples."""
    stats = []
    for cat in PROBLEM_TITLES:
        per_unit: Counter = Counter()
        docs = set()
        candidates = []
        for d in batch.readable:
            hits = [f for f in batch.findings_of(d) if f.get("category") == cat]
            if not hits:
                continue
            docs.add(d["path"])
            per_unit[unit_name(d)] += len(hits)
            for f in hits:
                candidates.append((-SEVERITY_RANK[f["severity"]], -f.get("confidence", 1.0), unit_name(d), d["path"], f["code"], f, d))
        if not docs:
            continue
        candidates.sort(key=lambda c: c[:5])
        examples, used_units = [], set()
        for *_, f, d in candidates:  # one example per unit, so the quotes show breadth
            if unit_name(d) in used_units or not f.get("evidence"):
                continue
            used_units.add(unit_name(d))
            examples.append({"unit": unit_name(d), "document": doc_label(d), "evidence": f["evidence"], "message": f["message"]})
            if len(examples) == n_examples:
                break
        top = sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        stats.append(ProblemStat(cat, len(docs), len(per_unit), sum(per_unit.values()), top, examples))
    return stats


def unit_table_rows(batch: BatchData) -> list[dict[str, Any]]:
    from checker.scoring.units import unit_table

    return unit_table(batch.unit_rows())


def _missing_note(rows: list[dict[str, Any]]) -> str | None:
    parts = []
    for col in TYPE_COLUMNS.values():
        units = [r["单位名称"] for r in rows if r[col] == "无"]
        if len(units) > 4:  # a long list of names helps nobody; the table shows them
            parts.append(f"{len(units)}个单位未报送{col}")
        elif units:
            parts.append(f"{'、'.join(units)}未报送{col}")
    if not parts:
        return None
    return "（注：" + "；".join(parts) + "，表中以“无”表示，不计入平均分。未报送原因请复核人员核实后补充，如只有人员类支出预算的单位无项目支出绩效评价。）"


def render_report(batch: BatchData) -> bytes:
    rows = unit_table_rows(batch)
    years = Counter(d.get("year") for d in batch.readable if d.get("year"))
    year = years.most_common(1)[0][0] if years else None
    year_text = f"{year}年度" if year else "____年度"
    doc = ds.new_document()
    ds.red_header(doc, "××××财政局文件")
    ds.centered(doc, "×财发〔　　〕　号")
    ds.title(doc, f"关于{year_text}部门绩效自评抽查复核工作的报告")
    ds.para(doc, "××人民政府：", indent=False)

    counts = batch.type_counts()
    kinds = "、".join(f"{DOC_TYPE_LABELS[t]}{n}份" for t, n in sorted(counts.items()) if t in TYPE_COLUMNS and n)
    unknown = counts.get("unknown", 0)
    coverage = (
        f"为进一步加强部门预算绩效管理，提高财政资金使用效益，我局组织开展了绩效自评抽查复核工作，"
        f"选取{len(batch.units())}个预算单位报送的{len(batch.readable)}份材料进行复核，其中{kinds or '无可识别材料'}"
    )
    if unknown:
        coverage += f"，另有{unknown}份材料类型未能识别"
    if batch.unreadable:
        coverage += f"；另有{len(batch.unreadable)}份文件无法读取，需单位重新报送"
    ds.para(doc, coverage + "。现将复核情况报告如下：")

    ds.heading(doc, f"一、{year_text}部门绩效自评复核情况")
    ds.centered(doc, "部门得分情况汇总", 14)
    ds.table(doc, TABLE_COLUMNS, [[_fmt_score(r[c]) if c not in ("序号", "单位名称") else str(r[c]) for c in TABLE_COLUMNS] for r in rows],
             widths_mm=[12, 50, 18, 22, 22, 18, 18])
    note = _missing_note(rows)
    if note:
        ds.para(doc, note)

    ds.heading(doc, "二、存在的问题")
    stats = problem_stats(batch)
    if not stats:
        ds.para(doc, "本次复核未发现需要整改的问题。")
    for n, s in enumerate(stats):
        ds.heading(doc, f"（{CN_NUM[n]}）{PROBLEM_TITLES[s.category]}", level=2)
        top = "、".join(f"{u}（{c}处）" for u, c in s.top_units)
        ds.para(doc, f"复核发现，{s.units}个单位的{s.documents}份材料存在此类问题，共{s.findings}处，问题较多的单位有{top}。")
        for ex in s.examples:
            ds.para(doc, example_sentence(ex))
    clean = [u for u in batch.units() if u not in units_with_problems(batch)]
    if clean:
        names = "、".join(clean) if len(clean) <= 6 else f"{'、'.join(clean[:6])}等{len(clean)}个单位"
        ds.para(doc, f"经复核，{names}报送的材料未发现需要整改的问题，不再下发整改通知。")

    ds.heading(doc, "三、整改建议")
    found = [s.category for s in stats] or []
    for n, cat in enumerate(found, 1):
        lead, body = ADVICE[cat]
        ds.para(doc, body, bold_lead=f"{n}. {lead}")
    n = len(found) + 1
    ds.para(
        doc,
        "各部门、各单位要针对复核反馈的问题，查找和分析原因，落实整改责任，于____年__月__日前将整改情况报送我局。"
        "我局将对整改情况进行跟踪，并将绩效自评结果和报送情况作为下一年度预算编制的重要参考依据。",
        bold_lead=f"{n}. 强化结果应用，抓好问题整改。",
    )
    ds.signature(doc, ["××××财政局", "____年__月__日"])
    return ds.to_bytes(doc)


def example_sentence(ex: dict[str, Any]) -> str:
    """如县民政局《临时救助》项目支出绩效自评表中，指标“…”的指标值“较好”…，无法衡量。

    The message already names the item and quotes the text, so it is not quoted twice."""
    msg = " ".join(str(ex["message"]).split()).rstrip("。；;，, ")
    return f"如{ex['document']}中，{msg}。"
