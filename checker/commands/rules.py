"""`jxcheck rules`: list every rule (code, category, severity, title, basis)."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "列出全部规则"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")
    p.add_argument("--config", metavar="FILE", help="配置文件：按其中的 select/ignore 与级别调整后列出")
    p.add_argument("--all", action="store_true", help="忽略配置，列出随软件提供的全部规则")


def run(args: argparse.Namespace) -> int:
    from checker.core.config import load_config
    from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS
    from checker.judging.spec import all_rules, load_rules

    rules = all_rules() if args.all else load_rules(load_config(args.config))
    if args.format == "json":
        rows = [{**r.to_dict(), "category_label": CATEGORY_LABELS[r.category]} for r in rules]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain fallback keeps the command usable without rich
        for r in rules:
            print(f"{r.code}\t{CATEGORY_LABELS[r.category]}\t{SEVERITY_LABELS[r.severity]}\t{r.title}\t{r.basis}")
        return 0
    table = Table(title=f"jxcheck 规则（共 {len(rules)} 条）", show_lines=False)
    for col in ("代码", "类别", "级别", "标题", "依据"):
        table.add_column(col, overflow="fold")
    for r in rules:
        table.add_row(r.code, CATEGORY_LABELS[r.category], SEVERITY_LABELS[r.severity], r.title, r.basis)
    Console(width=max(100, Console().width), soft_wrap=False).print(table)
    return 0
