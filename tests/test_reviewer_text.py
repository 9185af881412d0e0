"""Every output a reviewer reads is Chinese written for them: no internal markers.

Scans the app pages (AppTest), the Word drafts, the Excel workbooks, documents.csv and
the CLI's text output made from the samples for what must never reach a reviewer: the
source ids of our rule notes (S-…, C-…), unfilled placeholders ({…}), references to
developer files (.md, domain, §), English rule slugs and field paths, and English column
names (raw, cap, doc_type, error_code …). File names of the inputs are removed first:
those are the user's own names.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]

PATH = re.compile(r"(?:/|[A-Za-z]:\\)[^\s，。；（）]+")
FILE_NAME = re.compile(r"[^\s“”（）()：:，,]*\.(?:docx|xlsx|xls|pdf|doc|wps|et|zip|json|jsonl|csv|ods|odt|rtf)\b", re.I)
MARKERS = {
    "source id": re.compile(r"(?<![A-Za-z0-9])[SC]-[a-z]{2,}"),
    "placeholder": re.compile(r"[{}]"),
    "developer file": re.compile(r"\.md\b|domain\.|§|heuristic", re.I),
    "field path": re.compile(r"[a-z_]+\[\d+\]|\b(?:indicators|goals|budget)\.[a-z_]+"),
    "identifier": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "slug": re.compile(r"\b[a-z]{2,}(?:-[a-z]{2,})+\b"),
    "English column": re.compile(r"\b(?:raw|cap|path|doc_type|score|grade|severity|category|findings|error_code|error_message|unit|project|field)\b"),
}


def markers(text: str) -> list[tuple[str, str]]:
    """(kind, snippet) of every internal marker in `text` (input file names removed)."""
    text = FILE_NAME.sub("", PATH.sub("", text))
    found = []
    for kind, rx in MARKERS.items():
        for m in rx.finditer(text):
            found.append((kind, text[max(0, m.start() - 30): m.end() + 30]))
    return found


def assert_clean(text: str, where: str) -> None:
    bad = markers(text)
    assert not bad, f"{where} 含内部标记：" + "；".join(f"[{k}] …{s}…" for k, s in bad[:8])


def test_the_scanner_catches_each_marker():
    for text in ("依据：10号；见 S-doczj", "指标“{name}”", "domain.md §3.2", "位置：indicators[3].target", "unmeasurable-target",
                 "raw", "vague_indicator", "heuristic"):
        assert markers(text), text
    assert not markers("第2页 表1 第5行 第3条指标的年度指标值 IN01 ≥90% 财预〔2020〕10号 s01_教育局_vague-perfunctory.docx")


# ---- outputs made once from the samples ---------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory, samples_dir):
    out = tmp_path_factory.mktemp("reviewer")
    batch = out / "batch"
    files = sorted(p for p in samples_dir.iterdir() if p.suffix in (".docx", ".xlsx", ".pdf", ".xls"))
    proc = subprocess.run([*JX, "batch", *map(str, files), "--out", str(batch), "--jobs", "2"], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    texts = {"batch stderr": proc.stderr}
    for args, name in (
        (["report", str(batch)], "report stderr"), (["notices", str(batch)], "notices stderr"),
        (["check", "--format", "concise", "--color", "always", str(files[0])], "check concise"),
        (["snippet", "--format", "text", "群众满意度：明显提升", "--project", "农村饮水安全工程"], "snippet text"),
        (["rules"], "rules text"),
    ):
        p = subprocess.run([*JX, *args], capture_output=True, text=True, timeout=600)
        assert p.returncode in (0, 1), (args, p.stderr)
        texts[name] = re.sub(r"\x1b\[[0-9;]*m", "", p.stdout + p.stderr)
    # the terminal report of every document, rendered from the batch's own results
    from checker.judging.engine import check_snippet
    from checker.publishing.text import render, render_snippet

    docs = [json.loads(line) for line in (batch / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    texts["check text"] = render(docs)
    texts["check concise (all)"] = render(docs, concise=True)
    for req in ({"id": "1", "kind": "goal", "goal": "推动高质量发展", "project": "中小学校舍维修"},
                {"id": "2", "kind": "completion", "completion": "已完成", "project": "残疾人康复"}):
        texts[f"snippet {req['kind']}"] = render_snippet(check_snippet(req))
    return {"dir": batch, "texts": texts}


def test_cli_text_outputs_are_clean(made):
    for name, text in made["texts"].items():
        assert_clean(text, name)
    assert "共 " in made["texts"]["check text"] and "个问题：错误" in made["texts"]["check concise"]


def _docx_text(path_or_bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _xlsx_text(path_or_bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes, read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_word_and_excel_outputs_are_clean(made):
    from checker.publishing.opinion import render_opinion

    folder = made["dir"]
    assert_clean(_docx_text(folder / "抽查复核报告.docx"), "抽查复核报告")
    notices = sorted((folder / "整改通知").glob("*.docx"))
    assert notices
    for p in notices:
        assert_clean(_docx_text(p), p.name)
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        assert_clean(_docx_text(render_opinion(doc)), f"复核意见 {doc['path']}")
    for name in ("summary.xlsx", "units.xlsx"):
        assert_clean(_xlsx_text(folder / name), name)
    with open(folder / "documents.csv", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert_clean(" ".join(h for h in header if h != "SHA256"), "documents.csv 表头")


def test_every_finding_text_and_rule_reference_is_clean(made):
    """Messages, suggestions and 依据 of every finding, and every rule's reference text."""
    from checker.judging.spec import all_rules
    from checker.webui import rulecard

    for line in (made["dir"] / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        for key in ("message", "suggestion", "basis", "title"):
            assert_clean(str(f.get(key) or ""), f"{f['code']} {key}")
    for rule in all_rules():
        assert_clean(re.sub(r"<[^>]+>", " ", rulecard.rule_html(rule)), f"规则说明 {rule.code}")


# ---- the app pages through AppTest ------------------------------------------------------


def _app_text(at) -> str:
    parts = [h.proto.body for h in at.html]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [i.value for i in at.info] + [s.value for s in at.subheader]
    for df in at.dataframe:
        frame = df.value
        parts += [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).values.ravel()]
    for kind in ("selectbox", "multiselect", "radio", "text_input", "text_area", "slider", "button", "download_button"):
        for w in at.get(kind):
            parts.append(str(getattr(w.proto, "label", "")))
            parts.append(str(getattr(w.proto, "help", "")))
    for w in at.get("multiselect") + at.get("selectbox"):
        parts += [str(o) for o in (getattr(w, "options", None) or [])]
    return re.sub(r"<style>.*?</style>", " ", "\n".join(parts), flags=re.S).replace("&quot;", '"')


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.slow
def test_app_pages_are_clean():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    at.selectbox(key="sample").set_value("全部样例").run()
    assert not at.exception
    assert_clean(_visible(_app_text(at)), "档案汇总")
    for n in range(len(at.selectbox(key="doc_pick").options)):
        at.selectbox(key="doc_pick").set_value(n).run()
        assert_clean(_visible(_app_text(at)), f"逐份查看 第{n + 1}份")
    at.sidebar.radio[0].set_value("单条检查").run()
    at.text_input(key="sn_name").input("群众满意度：明显提升")
    at.button(key="sn_go").click().run()
    assert_clean(_visible(_app_text(at)), "单条检查")
    at.sidebar.radio[0].set_value("规则说明").run()
    assert_clean(_visible(_app_text(at)), "规则说明")
