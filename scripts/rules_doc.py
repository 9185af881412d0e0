"""Generate the Markdown rule reference from rules/**/*.yaml into README.md.

The reference sits between `<!-- rules:start -->` and `<!-- rules:end -->`; nothing else
in README.md is touched (the markers are appended at the end when absent).

    python scripts/rules_doc.py            # rewrite the README section (make rules-doc)
    python scripts/rules_doc.py --check    # exit 1 when README is stale
    python scripts/rules_doc.py --stdout   # print the section
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _first_sentence(text: str) -> str:
    for stop in ("。", "；"):
        if stop in text:
            return text.split(stop, 1)[0] + "。"
    return text


def render_rules() -> str:
    """The generated section (without the markers)."""
    sys.path.insert(0, str(ROOT))
    from checker.commands.explain import describe_example
    from checker.core.finding import CATEGORIES, CATEGORY_LABELS, SEVERITY_LABELS
    from checker.publishing.wording import basis_words
    from checker.judging.spec import all_rules

    rules = all_rules()
    out = [
        "## 规则一览",
        "",
        "本节由 `make rules-doc`（scripts/rules_doc.py）根据 rules/ 下的 YAML 生成，请勿手工修改。",
        f"共 {len(rules)} 条规则；`jxcheck explain 代码` 显示某条规则的完整说明。级别“提示”的问题不计入单条检查的判定。",
        "",
        "**新增一条规则**",
        "",
        "1. 在 `rules/<类别>/` 下新建 `<代码>-<英文短名>.yaml`（代码：IN/GO/CP/AC/NU/ST 加两位数字，不得重用），"
        "写明 title、rationale、basis、scope、kind、params、message、suggestion，以及至少一条 `examples.bad` 和一条 `examples.good`。",
        "2. 只是词表或正则的规则用通用检查类型（lexicon 词表、pattern 正则），只写 YAML；"
        "否则在 `checker/judging/checks/` 中用 `@check(\"名称\")` 注册函数，YAML 写 `kind: python:名称`。词表放在 `rules/wordlists/<名称>.txt`。"
        "检查读取的每个参数都要在 YAML 的 `params` 中写出默认值（`tests/test_rule_params.py` 检查）。",
        "3. 运行 `make rules-doc` 更新本节，再运行 `pytest tests/test_rule_specs.py tests/test_rule_examples.py tests/test_rule_params.py -k <代码>`。",
        "",
        "局方无需改代码即可调整：`jxcheck.toml` 中 `ignore = [\"IN05\"]` 停用规则，`[severity] IN07 = \"info\"` 调整级别，"
        "`[rules.IN07] satisfaction_floor = 90` 调整参数，`[wordlists] vague_words = [\"尚可\"]` 追加词表。",
    ]
    for cat in CATEGORIES:
        group = [r for r in rules if r.category == cat]
        if not group:
            continue
        out += ["", f"### {CATEGORY_LABELS[cat]}（{cat}）", ""]
        out += ["| 代码 | 级别 | 标题 | 依据 | 检查什么 | 反例 | 正例 |", "|---|---|---|---|---|---|---|"]
        for r in group:
            if r.scope in ("document", "batch"):  # whole-document examples do not fit a table cell
                bad = good = f"整份文档示例，见 `jxcheck explain {r.code}`"
            else:
                bad = describe_example(r.examples["bad"][0]) if r.examples.get("bad") else ""
                good = describe_example(r.examples["good"][0]) if r.examples.get("good") else ""
            basis = basis_words(r.basis)
            row = [r.code, SEVERITY_LABELS[r.severity], r.title, basis, _first_sentence(r.rationale), bad, good]
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(out) + "\n"


def splice(readme: str, section: str) -> str:
    """README text with the section between the markers replaced (markers appended if absent)."""
    block = f"{START}\n{section}{END}"
    if START in readme and END in readme and readme.index(START) < readme.index(END):
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        return head + block + tail
    sep = "" if readme.endswith("\n\n") else ("\n" if readme.endswith("\n") else "\n\n")
    return readme + sep + block + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="由规则 YAML 生成 README 中的规则一览")
    ap.add_argument("--check", action="store_true", help="README 过期时退出码为 1")
    ap.add_argument("--stdout", action="store_true", help="只打印生成的内容")
    args = ap.parse_args(argv)
    section = render_rules()
    if args.stdout:
        sys.stdout.write(section)
        return 0
    current = README.read_text(encoding="utf-8") if README.exists() else ""
    updated = splice(current, section)
    if args.check:
        if updated != current:
            print("README.md 中的规则一览已过期：请运行 make rules-doc", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        README.write_text(updated, encoding="utf-8")
        print("已更新 README.md 的规则一览")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
