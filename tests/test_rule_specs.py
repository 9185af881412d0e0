"""Meta-tests over every rule file: schema, naming, registration, examples, placeholders, README."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker.judging.checks import CheckContext, get_check
from checker.core.config import Config
from checker.judging.stamp import VIEW_FIELDS, template_fields
from checker.judging.library import KINDS
from checker.judging.spec import FAMILIES, NOT_RULE_DIRS, SCOPES, STATUSES, all_rules, parse_rule
from checker.judging.views import snippet_views
from checker.judging.wordlists import load_wordlists

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FIELDS = {"example"} | {f"example_{k}" for k in KINDS}  # filled by the engine from checker.judging.library
RULE_FILES = sorted(p for p in (ROOT / "rules").glob("*/*.yaml") if p.parent.name not in NOT_RULE_DIRS)
RULES = all_rules()


def _ids(paths):
    return [p.stem.split("-", 1)[0] for p in paths]


@pytest.mark.parametrize("path", RULE_FILES, ids=_ids(RULE_FILES))
def test_rule_file_is_valid(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = parse_rule(data, str(path))
    assert path.name == f"{spec.code}-{spec.name}.yaml", "文件名应为 <code>-<name>.yaml"
    assert path.parent.name == spec.category, "所在文件夹应与类别一致"
    assert FAMILIES[spec.code[:2]] == spec.category, "代码前缀应与类别一致"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.name), "名称应为 kebab-case"
    assert spec.severity in ("error", "warning", "info")
    assert spec.status in STATUSES
    assert spec.scope in SCOPES
    assert spec.title and "\n" not in spec.title


def test_codes_are_unique():
    codes = [yaml.safe_load(p.read_text(encoding="utf-8"))["code"] for p in RULE_FILES]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    assert not dupes, f"重复的规则代码：{dupes}"
    assert len(RULES) == len(RULE_FILES)


CHECKED = [r for r in RULES if r.kind != "classifier"]  # classifier rules are applied by the model policy


@pytest.mark.parametrize("spec", [r for r in CHECKED if r.scope != "batch"], ids=lambda r: r.code)
def test_kind_is_registered(spec):
    assert callable(get_check(spec.check_name))


@pytest.mark.parametrize("spec", RULES, ids=lambda r: r.code)
def test_rule_has_bad_and_good_examples(spec):
    assert len(spec.examples.get("bad") or []) >= 1, f"{spec.code} 没有反例（examples.bad）"
    assert len(spec.examples.get("good") or []) >= 1, f"{spec.code} 没有正例（examples.good）"


@pytest.mark.parametrize("spec", [r for r in RULES if r.wordlists], ids=lambda r: r.code)
def test_named_wordlists_exist(spec):
    lists = load_wordlists()
    for name in spec.wordlists:
        assert name in lists, f"{spec.code} 引用的词表 rules/wordlists/{name}.txt 不存在"
        assert lists.get(name), f"词表 {name} 为空"


def _hit_args(spec) -> set[str]:
    """Argument names the rule's check actually supplies on its bad examples."""
    fn = get_check(spec.check_name)
    ctx = CheckContext(wordlists=load_wordlists(), config=Config())
    params = dict(spec.params)
    if spec.wordlists:
        params["_wordlists"] = list(spec.wordlists)
    keys: set[str] = set()
    for ex in spec.examples.get("bad") or []:
        req = {"kind": spec.scope, **(ex if isinstance(ex, dict) else {spec.scope if spec.scope != "indicator" else "target": ex})}
        if spec.scope == "indicator":
            req.setdefault("name", "指标")
            req.setdefault("target", "")
        for hit in fn(snippet_views(req), params, ctx) or ():
            keys |= set(hit.args)
    return keys


@pytest.mark.parametrize("spec", [r for r in CHECKED if r.scope in ("indicator", "goal", "completion")], ids=lambda r: r.code)
def test_message_placeholders_resolve(spec):
    known = set(VIEW_FIELDS[spec.scope]) | {"evidence"} | EXAMPLE_FIELDS | _hit_args(spec)
    for template in (spec.message, spec.suggestion):
        unknown = set(template_fields(template)) - known
        assert not unknown, f"{spec.code} 的模板占位符无法填充：{sorted(unknown)}"


def _document_hit_args(spec) -> set[str]:
    from checker.judging.selfscore import recompute
    from checker.reading.docbuild import document_from_dict
    from checker.judging.views import DocumentView

    fn = get_check(spec.check_name)
    ctx_config = Config()
    keys: set[str] = set()
    for ex in spec.examples.get("bad") or []:
        doc = document_from_dict(ex)
        rec = recompute(doc, ctx_config)
        view = DocumentView(doc, rec, None)
        ctx = CheckContext(wordlists=load_wordlists(), config=ctx_config, document=view)
        params = dict(spec.params)
        if spec.wordlists:
            params["_wordlists"] = list(spec.wordlists)
        for hit in fn(view, params, ctx) or ():
            keys |= set(hit.args)
    return keys


@pytest.mark.parametrize("spec", [r for r in RULES if r.scope == "document"], ids=lambda r: r.code)
def test_document_message_placeholders_resolve(spec):
    known = {"project", "unit", "year", "doc_type", "evidence"} | EXAMPLE_FIELDS | _document_hit_args(spec)
    for template in (spec.message, spec.suggestion):
        unknown = set(template_fields(template)) - known
        assert not unknown, f"{spec.code} 的模板占位符无法填充：{sorted(unknown)}"


def test_readme_rule_reference_is_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "rules_doc.py"), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, "README.md 的规则一览已过期：运行 make rules-doc 后提交"
