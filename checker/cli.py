"""The `jxcheck` command line: a table of sub-commands, each in checker/commands/.

Each command module exposes `HELP` (Chinese one-liner), `add_arguments(parser)` and
`run(args) -> int`. Modules are imported lazily so start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from checker.errors import ConfigError

COMMANDS = {
    "check": "checker.commands.check",
    "batch": "checker.commands.batch",
    "snippet": "checker.commands.snippet",
    "units": "checker.commands.units",
    "report": "checker.commands.report",
    "notices": "checker.commands.notices",
    "rules": "checker.commands.rules",
    "explain": "checker.commands.explain",
    "recheck": "checker.commands.recheck",
}

HELPS = {
    "check": "检查文件、文件夹或 .zip 压缩包",
    "batch": "批量评分整个档案，输出汇总表",
    "snippet": "单条检查：指标、目标或完成情况文字",
    "units": "由各文档得分生成部门得分汇总表",
    "report": "根据批量结果起草抽查复核报告（.docx）",
    "notices": "根据批量结果为每个单位起草整改通知（.docx）",
    "rules": "列出全部规则",
    "explain": "显示一条规则的说明与示例",
    "recheck": "整改复查：对照上次结果检查重新报送的材料",
}


def build_parser() -> argparse.ArgumentParser:
    from checker import __version__

    parser = argparse.ArgumentParser(prog="jxcheck", description="jxcheck 绩效自评质检工具")
    parser.add_argument("--version", action="version", version=f"jxcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for name, module in COMMANDS.items():
        p = sub.add_parser(name, help=HELPS[name], description=HELPS[name])
        p.set_defaults(_module=module)
        _load(module).add_arguments(p)
    return parser


def _load(module: str):
    return importlib.import_module(module)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "_module", None):
        parser.print_help()
        return 2
    try:
        return int(_load(args._module).run(args) or 0)
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
