"""The review cycle in the web app: rewrites to copy, findings a reviewer dismisses, and the
rectification check (整改复查) against an earlier result. Streamlit is imported by the caller's
page functions only; the helpers here that build data are plain functions, tested directly."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from typing import Any

SESSION_KEY = "dismissals"


# ---- data helpers (no streamlit) --------------------------------------------------------------


def read_earlier(name: str, data: bytes) -> list[dict[str, Any]]:
    """Documents of an earlier result: the app's JSON download, a batch's documents.jsonl, or the
    batch output folder zipped (its documents.jsonl inside). Raises ValueError with a Chinese message."""
    text: str | None = None
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            inner = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == "documents.jsonl"]
            if not inner:
                raise ValueError("压缩包中没有 documents.jsonl（应为 jxcheck batch 的输出文件夹）")
            info = zf.getinfo(inner[0])
            if info.file_size > 512 * 1024 * 1024:
                raise ValueError("上次结果文件过大")
            text = zf.read(info).decode("utf-8", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff")
    try:
        obj = json.loads(text)
        if isinstance(obj, dict) and isinstance(obj.get("documents"), list):
            return [d for d in obj["documents"] if isinstance(d, dict)]
    except json.JSONDecodeError:
        pass
    docs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError:
            continue  # a batch killed mid-write leaves at most one partial line
        if isinstance(d, dict) and "path" in d:
            docs.append(d)
    if not docs:
        raise ValueError(f"{name} 不是 jxcheck 的检查结果（应为网页版下载的检查结果 JSON，或 jxcheck batch 输出的 documents.jsonl）")
    by_path = {d["path"]: d for d in docs}  # a later line for the same file wins
    return list(by_path.values())


def recheck_outputs(old: list[dict], new: list[dict]) -> dict[str, Any]:
    """The rectification check's results and its two downloads, built in memory."""
    from checker.judging.recheck import recheck, unit_summary
    from checker.publishing.rectification import recheck_xlsx, render_unit_opinion

    results = recheck(old, new)
    xlsx = recheck_xlsx(results)
    buf = io.BytesIO()
    from checker.publishing.notices import safe_file_name

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for unit in dict.fromkeys(r.unit for r in results):
            zf.writestr(f"{safe_file_name(unit)}_整改复核意见.docx", render_unit_opinion(unit, results))
    return {"results": results, "units": unit_summary(results), "xlsx": xlsx, "opinions_zip": buf.getvalue()}


def baseline_bytes(entries: list[dict[str, Any]]) -> bytes:
    from checker.core.dismiss import to_toml

    return to_toml(entries).encode("utf-8")


def parse_baseline(name: str, data: bytes) -> list[dict[str, Any]]:
    """Entries of an uploaded jxcheck-baseline.toml/.json; raises ValueError with a Chinese message."""
    import tempfile
    from pathlib import Path

    from checker.core.dismiss import load_baseline
    from checker.core.errors import ConfigError

    suffix = ".json" if name.lower().endswith(".json") else ".toml"
    with tempfile.TemporaryDirectory(prefix="jxcheck-") as tmp:
        p = Path(tmp) / f"baseline{suffix}"
        p.write_bytes(data)
        try:
            return load_baseline(p)
        except ConfigError as exc:
            raise ValueError(str(exc).replace(str(p), name)) from exc


# ---- streamlit pieces -----------------------------------------------------------------------


def rewrites_block(st, findings: list[dict[str, Any]], key: str) -> None:
    """Each finding's rewrite in a box with a copy button (Streamlit's code block has one)."""
    from checker.publishing.wording import ordered

    with_rw = [f for f in ordered(findings) if f.get("rewrite")]
    if not with_rw:
        return
    with st.expander(f"可直接粘贴的修改稿（{len(with_rw)} 条，右上角按钮复制）", expanded=False):
        st.caption("修改稿中的数字均取自材料本身；【】中的内容请单位按实际填写。")
        for f in with_rw:
            st.markdown(f"**{f.get('code')} {f.get('title') or ''}**")
            st.code(f["rewrite"], language=None, wrap_lines=True)


def grid_rewrites_block(st, doc: dict[str, Any], findings: list[dict[str, Any]]) -> None:
    """The 原表 view's rewrites by the row they belong to, each in a box with a copy button."""
    from checker.webui.grid import grid_rewrites

    items = grid_rewrites(doc, findings)
    if not items:
        return
    st.markdown(f"**本表的修改稿（{len(items)} 条，按行列出，右上角按钮复制）**")
    for where, f in items:
        st.caption(f"{where}　{f.get('code')} {f.get('title') or ''}")
        st.code(f["rewrite"], language=None, wrap_lines=True)


def dismiss_controls(st, doc: dict[str, Any], key: str) -> None:
    """Let a reviewer dismiss a finding with a reason; it is neither shown nor scored afterwards."""
    from checker.core.dismiss import entry_for
    from checker.publishing.wording import location_words

    findings = doc.get("findings") or []
    dismissed = doc.get("dismissed") or []
    with st.expander(f"忽略误报（已忽略 {len(dismissed)} 条）", expanded=False):
        if findings:
            with st.form(f"dismiss{key}", border=False):
                pick = st.selectbox("认定不成立的问题", range(len(findings)), key=f"dpick{key}",
                                    format_func=lambda i: f"{findings[i].get('code')} {findings[i].get('title') or ''}——{location_words(findings[i].get('location'))}")
                c1, c2 = st.columns([3, 1])
                reason = c1.text_input("理由（必填）", key=f"dreason{key}")
                who = c2.text_input("复核人", key=f"dwho{key}")
                if st.form_submit_button("忽略该问题"):
                    if not reason.strip():
                        st.warning("请填写忽略的理由，便于留痕。")
                    else:
                        entries = st.session_state.setdefault(SESSION_KEY, [])
                        entries.append(entry_for(doc, findings[pick], reason.strip(), who.strip(), date.today().isoformat()))
                        st.rerun()
        for d in dismissed:
            info = d.get("dismissal") or {}
            st.caption(f"已忽略：{d.get('code')} {d.get('title') or ''}（{location_words(d.get('location'))}）——"
                       f"{info.get('reason', '')}{'，' + info['by'] if info.get('by') else ''}{'，' + info['date'] if info.get('date') else ''}")
