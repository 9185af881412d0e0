"""`jxcheck explain CODE`: one rule's title, rationale, basis, parameters and examples, in Chinese."""

from __future__ import annotations

import argparse
import sys

HELP = "显示一条规则的说明与示例"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", metavar="CODE", help="规则代码，如 IN01")
    p.add_argument("--config", metavar="FILE", help="配置文件：显示调整后的级别与参数")


def describe_example(example) -> str:
    """One example as a readable line (indicator fields joined, texts as is)."""
    if isinstance(example, str):
        return example
    if not isinstance(example, dict):
        return str(example)
    if "target" in example or "name" in example:
        parts = [example.get("level2") or example.get("level1") or "", example.get("name") or "", str(example.get("target") or "（空）")]
        text = "｜".join(p for p in parts if p)
        if example.get("actual") is not None:
            text += f"｜实际：{example['actual']}"
        return text
    for key in ("goal", "completion"):
        if key in example:
            return str(example[key])
    return _describe_document(example)


DOC_KEYS = {
    "doc_type": "类型", "project": "项目", "unit": "单位", "year": "年度", "self_score": "自评总分",
    "self_grade": "自评等级", "layout": "版式", "problems": "存在问题", "measures": "改进措施", "conclusion": "评价结论",
}
BUDGET_KEYS = {"initial": "年初预算", "annual": "全年预算", "executed": "执行数", "execution_rate": "执行率%", "weight": "分值", "score": "得分"}


def _describe_indicator(i: dict) -> str:
    text = f"{i.get('level1', '')}/{i.get('level2', '')}｜{i.get('name', '')}｜{i.get('target') or '（空）'}"
    if i.get("actual") is not None:
        text += f" → {i['actual']}"
    if i.get("weight") is not None or i.get("score") is not None:
        text += f"（分值 {i.get('weight', '—')}，得分 {i.get('score', '—')}）"
    if i.get("deviation"):
        text += f" 偏差原因：{i['deviation']}"
    mon = i.get("monitoring") or {}
    if mon:
        text += " 监控：" + "，".join(f"{k}={v}" for k, v in mon.items())
    return text


def _describe_document(d: dict) -> str:
    """A whole-document example (checker.reading.docbuild dict) as short readable lines."""
    from checker.core.document import DOC_TYPE_LABELS

    lines = []
    head = []
    for k, label in DOC_KEYS.items():
        if d.get(k) is not None:
            v = DOC_TYPE_LABELS.get(d[k], d[k]) if k == "doc_type" else d[k]
            head.append(f"{label}：{v}")
    if head:
        lines.append("；".join(head))
    b = d.get("budget") or {}
    if b:
        lines.append("项目资金：" + "，".join(f"{BUDGET_KEYS.get(k, k)} {v}" for k, v in b.items() if k in BUDGET_KEYS))
    for g in d.get("goals") or []:
        lines.append(f"目标：{g.get('expected', '')}" + (f" → 完成：{g['actual']}" if g.get("actual") else ""))
    for i in d.get("indicators") or []:
        lines.append("指标：" + _describe_indicator(i))
    if d.get("sections"):
        lines.append("章节：" + "、".join(str(x) for x in d["sections"]))
    return "\n      ".join(lines) or "（空文档）"


def render(spec) -> str:
    from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS
    from checker.publishing.wording import basis_words

    scope = {"indicator": "每条绩效指标", "goal": "每条年度目标", "completion": "每条完成情况", "document": "整份文档", "batch": "批量（多份文档）"}
    lines = [
        f"{spec.code}  {spec.title}",
        f"类别：{CATEGORY_LABELS[spec.category]}    级别：{SEVERITY_LABELS[spec.severity]}    状态：{'正式' if spec.status == 'stable' else '试行'}",
        f"检查对象：{scope.get(spec.scope, spec.scope)}",
        "",
        "为什么是问题：",
        f"  {spec.rationale}",
        f"依据：{basis_words(spec.basis)}",
    ]
    if spec.params:
        lines.append("参数（可在 jxcheck.toml 的 [rules." + spec.code + "] 中调整）：")
        lines += [f"  {k} = {v}" for k, v in sorted(spec.params.items())]
    if spec.wordlists:
        lines.append("词表：" + "、".join(f"rules/wordlists/{w}.txt" for w in spec.wordlists))
    if spec.suggestion:
        from checker.webui.rulecard import rule_suggestion

        lines += ["", "修改建议（示例）：", f"  {rule_suggestion(spec)}"]
    for key, label in (("bad", "会被提示的写法"), ("good", "合格的写法")):
        if spec.examples.get(key):
            lines += ["", f"{label}："] + [f"  - {describe_example(e)}" for e in spec.examples[key]]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from checker.core.config import load_config
    from checker.judging.spec import all_rules, load_rules

    code = args.code.strip().upper()
    rules = {r.code: r for r in all_rules()}
    if code not in rules:
        near = sorted(c for c in rules if c[:2] == code[:2])
        hint = f"，同类规则有：{'、'.join(near)}" if near else "；用 jxcheck rules 查看全部规则"
        print(f"没有代码为 {code} 的规则{hint}", file=sys.stderr)
        return 2
    configured = {r.code: r for r in load_rules(load_config(args.config))}
    spec = configured.get(code, rules[code])
    sys.stdout.write(render(spec))
    if code not in configured:
        sys.stdout.write("（注意：按当前配置该规则未启用）\n")
    return 0
