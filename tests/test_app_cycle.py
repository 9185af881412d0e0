"""The review cycle in the web app (AppTest on the real script): rewrites with a copy box, a
finding dismissed with a reason (no longer shown or scored, listed, downloadable as a baseline
that loads back), and the rectification check page on a real resubmitted file."""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from checker.api import check_bytes
from checker.webui import cycle

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
S02 = next((ROOT / "samples").glob("s02_*.pdf"))


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(APP, default_timeout=180)


def _button(at, label_start: str):
    return next(b for b in at.get("download_button") if b.proto.label.startswith(label_start))


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def test_rewrites_are_shown_in_copy_boxes_and_a_dismissed_finding_goes(media):
    expected = check_bytes(S02.read_bytes(), S02.name).to_dict()
    rewrites = [f["rewrite"] for f in expected["findings"] if f.get("rewrite")]
    assert rewrites
    at = _app().run()
    at.selectbox(key="sample").set_value(S02.name).run()
    assert not at.exception
    # each rewrite twice: in the cards' copy boxes and by its row under the 原表 grids
    assert sorted(c.value for c in at.code) == sorted(rewrites * 2)
    assert "修改稿：" in _html(at) and "jx-rw" in _html(at)
    where = [c.value for c in at.caption if "绩效指标 第" in c.value or "总体目标 第" in c.value or "整份文档" in c.value]
    assert len(where) == len(rewrites)
    # dismiss the IN01 finding with a reason
    key = f"0-{expected['sha256'][:12]}"
    i01 = next(i for i, f in enumerate(expected["findings"]) if f["code"] == "IN01")
    at.selectbox(key=f"dpick{key}").set_value(i01)
    at.text_input(key=f"dreason{key}").input("已附分档评分标准")
    at.text_input(key=f"dwho{key}").input("张三")
    next(b for b in at.button if b.label == "忽略该问题").click().run()
    assert not at.exception
    page = _html(at)
    assert "指标值不可衡量" not in page  # IN01's card is gone
    assert any("已忽略：IN01" in c.value for c in at.caption)
    baseline = media(_button(at, "下载忽略清单")).decode("utf-8")
    assert 'code = "IN01"' in baseline and 'reason = "已附分档评分标准"' in baseline and 'by = "张三"' in baseline
    payload = json.loads(media(_button(at, "下载检查结果")))
    (doc,) = payload["documents"]
    assert "IN01" not in {f["code"] for f in doc["findings"]} and doc["score"] > expected["score"]
    # the baseline loads back into a fresh session
    at2 = _app().run()
    at2.file_uploader(key="baseline_up").upload("jxcheck-baseline.toml", baseline.encode("utf-8")).run()
    at2.selectbox(key="sample").set_value(S02.name).run()
    assert not at2.exception
    (doc2,) = json.loads(media(_button(at2, "下载检查结果")))["documents"]
    assert "IN01" not in {f["code"] for f in doc2["findings"]}


def test_bad_baseline_upload_says_why():
    at = _app().run()
    at.file_uploader(key="baseline_up").upload("x.toml", b'[[dismiss]]\nreason = "x"\n').run()
    assert not at.exception
    assert any("无法载入忽略清单" in e.value and "缺少" in e.value for e in at.error)


def _resubmission_docx(tmp_path: Path) -> tuple[Path, Path]:
    spec = importlib.util.spec_from_file_location("jx_samples_gen_app", ROOT / "samples" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("jx_samples_gen_app", gen)
    spec.loader.exec_module(gen)
    s = next(x for x in gen.build_samples() if x.sid == "s02")
    old, new = tmp_path / "体检_第一次.docx", tmp_path / "体检_整改后.docx"
    gen.render_table_docx(s, old)
    r = copy.deepcopy(s)
    r.goals = [(r.goals[0][0], "全年为13862名65岁及以上老年人完成免费健康体检，体检率72.9%，异常结果全部告知。")]
    gen.render_table_docx(r, new)
    return old, new


def test_recheck_page_compares_an_earlier_result_with_a_resubmission(tmp_path, media):
    old, new = _resubmission_docx(tmp_path)
    earlier = {"version": 1, "documents": [check_bytes(old.read_bytes(), old.name).to_dict()]}
    at = _app().run()
    at.sidebar.radio(key="page").set_value("整改复查").run()
    at.file_uploader(key="re_old").upload("jxcheck-result.json", json.dumps(earlier, ensure_ascii=False).encode("utf-8"))
    at.file_uploader(key="re_new").upload(new.name, new.read_bytes())
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    row = table.iloc[0]
    assert row["单位名称"] == "示范区卫生健康局" and row["已整改"] == 1 and row["未整改"] == row["原问题数"] - 1
    wb = openpyxl.load_workbook(io.BytesIO(media(_button(at, "下载整改情况表"))))
    assert wb.sheetnames == ["整改汇总", "整改明细", "得分变化"]
    with zipfile.ZipFile(io.BytesIO(media(_button(at, "下载各单位整改复核意见")))) as zf:
        assert zf.namelist() == ["示范区卫生健康局_整改复核意见.docx"]


def test_read_earlier_accepts_the_three_forms_and_refuses_others(tmp_path):
    doc = {"path": "a.docx", "status": "ok", "findings": []}
    as_json = json.dumps({"version": 1, "documents": [doc]}).encode()
    as_jsonl = (json.dumps(doc) + "\n" + '{"path": "a.do').encode()  # a killed batch's partial last line
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("复核结果/documents.jsonl", json.dumps(doc))
    for name, data in (("r.json", as_json), ("documents.jsonl", as_jsonl), ("复核结果.zip", buf.getvalue())):
        assert cycle.read_earlier(name, data) == [doc]
    with pytest.raises(ValueError, match="不是 jxcheck 的检查结果"):
        cycle.read_earlier("x.txt", "随便什么".encode())
