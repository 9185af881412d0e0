"""The `jxcheck` command line: a table of sub-commands, each in checker/commands/.

Each command module exposes `HELP` (Chinese one-liner), `add_arguments(parser)` and
`run(args) -> int`. Modules are imported lazily so start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from checker.core.errors import ConfigError

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


# argparse's own words (Python 3.11–3.13), in Chinese for the reviewer at the terminal.
ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多需要一个取值",
    "expected at least one argument": "至少需要一个取值",
    "invalid %(type)s value: %(value)r": "取值 %(value)r 无效（应为%(type)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
}
TYPE_WORDS = {"int": "整数", "float": "数字"}


def _zh(text: str) -> str:
    return ARGPARSE_WORDS.get(text, text)


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser with Chinese help and errors, and a did-you-mean hint."""

    def __init__(self, *args, **kwargs):
        with _chinese():  # the -h help text and section titles are made here
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with _chinese():
            return super().format_help()

    def format_usage(self) -> str:
        with _chinese():
            return super().format_usage()

    def parse_known_args(self, args=None, namespace=None):
        with _chinese():
            return super().parse_known_args(args, namespace)

    def error(self, message: str):
        for en, zh in TYPE_WORDS.items():
            message = message.replace(f"（应为{en}）", f"（应为{zh}）")
        hint = self._did_you_mean(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}{hint}\n")

    def _did_you_mean(self, message: str) -> str:
        import difflib
        import re

        m = re.search(r"无效的取值 '([^']*)'", message)
        words: list[str] = []
        if m:
            wrong = m.group(1)
            choices = [c for a in self._actions for c in (a.choices or []) if isinstance(c, str)]
        else:
            m = re.search(r"无法识别的参数：(\S+)", message)
            if not m:
                return ""
            wrong = m.group(1).split("=")[0]
            choices = [o for a in self._actions for o in a.option_strings]
            for a in self._actions:  # options of the sub-commands (extras are reported by the top parser)
                if isinstance(a, argparse._SubParsersAction):
                    choices += [o for p in a.choices.values() for b in p._actions for o in b.option_strings]
            if not wrong.startswith("-"):  # a stray word: perhaps a sub-command
                choices += list(COMMANDS)
        words = difflib.get_close_matches(wrong, choices, n=1, cutoff=0.6)
        if words:
            return f"\n你是不是想输入：{words[0]}"
        return "\n用 jxcheck -h 或 jxcheck 命令 -h 查看用法。"


class _chinese:
    """Swap argparse's gettext for the Chinese table while our parser runs."""

    depth = 0

    def __enter__(self):
        if _chinese.depth == 0:
            self.saved = argparse._
            argparse._ = _zh
        _chinese.depth += 1

    def __exit__(self, *exc):
        _chinese.depth -= 1
        if _chinese.depth == 0:
            argparse._ = self.saved


def build_parser() -> argparse.ArgumentParser:
    from checker import __version__

    parser = ChineseParser(prog="jxcheck", description="jxcheck 绩效自评质检工具",
                           epilog="用 jxcheck 命令 -h 查看某个命令的用法，例如 jxcheck check -h。")
    parser.add_argument("--version", action="version", version=f"jxcheck {__version__}", help="显示版本号并退出")
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
