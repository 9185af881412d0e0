"""jxcheck web app: `make run` (streamlit run app.py). Thin by design: all logic is in checker/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import streamlit as st

from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS
from checker.core.document import DOC_TYPE_LABELS
from checker.webui import cycle, downloads, grid, loading, render, rulecard, tables

# JXCHECK_SAMPLES lets a bureau show its own example files instead of the bundled ones
SAMPLES = Path(os.environ.get("JXCHECK_SAMPLES") or Path(__file__).resolve().parent / "samples")
NO_SAMPLE = "（不使用样例）"
SEV_OPTIONS = list(SEVERITY_LABELS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

st.set_page_config(page_title="jxcheck 绩效自评质检", page_icon="📋", layout="wide")
st.html(render.CSS)
st.html(render.PAGE_CSS)


@st.cache_resource
def base_config():
    from checker.core.config import load_config

    return load_config()


@st.cache_resource(max_entries=50)
def _config_with(dismissals: str):
    import copy

    c = copy.deepcopy(base_config())
    c.data.setdefault("review", {})["dismissals"] = json.loads(dismissals)
    return c


def dismissals_key() -> str:
    """This session's dismissed findings (忽略清单) as a cache key."""
    return json.dumps(st.session_state.get(cycle.SESSION_KEY) or [], ensure_ascii=False, sort_keys=True)


def config():
    key = dismissals_key()
    return base_config() if key == "[]" else _config_with(key)


@st.cache_resource
def results() -> loading.ResultCache:
    return loading.ResultCache(500)


def check_all(items: list[tuple[str, bytes]]) -> list[dict]:
    """Check once per set of files; filter clicks rerun the script but reuse this session's result."""
    key = (tuple((name, hash(data)) for name, data in items), dismissals_key())
    if st.session_state.get("checked_key") != key:
        inputs = loading.expand(items)
        bar = st.progress(0.0, text="正在检查…") if len(inputs) > 1 else None

        def progress(n: int, total: int, path: str) -> None:
            if bar and n < total:
                bar.progress(n / total, text=f"正在检查 {n + 1}/{total}：{path}")

        def on_page(n: int, done: int, total: int) -> None:
            # a scan takes seconds a page: show which page, so it does not look hung
            nonlocal bar
            bar = bar or st.progress(0.0)
            which = f"{n + 1}/{len(inputs)}：" if len(inputs) > 1 else ""
            bar.progress(min(1.0, (n + done / max(total, 1)) / len(inputs)),
                         text=f"正在识别扫描件 {which}{inputs[n].path}，第 {min(done + 1, total)}/{total} 页")

        docs = loading.check_inputs(inputs, config(), progress, on_page, cache=results(), cache_tag=dismissals_key())
        if bar:
            bar.empty()
        st.session_state["checked"], st.session_state["checked_key"] = loading.with_copies(docs, config()), key
    return st.session_state["checked"]


def show_document(doc: dict, key: str) -> None:
    """One document: facts, then the findings (errors first) high enough to be seen on a
    1366×768 screen, the 原表 view, the score breakdown and the downloads."""
    if doc.get("status") != "ok":
        err = doc.get("error") or {}
        st.error(f"无法读取：{err.get('message', '')}（错误代码 {err.get('code', '')}）")
        return
    st.html(render.facts_html(doc))
    for notice in doc.get("notices") or []:
        st.caption(f"说明：{notice}")
    key = f"{key}-{doc.get('sha256', '')[:12]}"  # fresh filters for each document shown
    all_findings = doc.get("findings", [])
    has_model = any(f.get("source") == "model" for f in all_findings)
    c1, c2, c3 = st.columns([2, 2, 1])
    sevs = c1.multiselect("严重程度", SEV_OPTIONS, default=SEV_OPTIONS, format_func=SEVERITY_LABELS.get, key=f"sev{key}")
    cats = sorted({f.get("category") for f in all_findings})
    cats = c2.multiselect("问题类型", cats, format_func=lambda c: CATEGORY_LABELS.get(c, c), key=f"cat{key}", placeholder="全部问题类型")
    conf = 0.0
    if has_model:  # rule findings are always shown; the slider only thins the model's own findings
        conf = c3.slider("模型发现的最低置信度", 0.0, 1.0, 0.0, 0.05, key=f"conf{key}",
                         help="只作用于模型单独发现的问题（标有“来源：模型”）；规则发现的问题始终显示。")
    findings = render.filter_findings(all_findings, sevs, cats, conf)
    t_find, t_tab = st.tabs(["发现的问题", "原表（问题处高亮）"], key=f"tabs{key}")
    with t_find:
        st.html(render.findings_html(findings))
    with t_tab:
        st.caption("红色：错误，黄色：警告，蓝色：提示；右侧列出该行的问题与修改建议。")
        whole = grid.document_level_html(doc, findings)
        if whole:
            st.markdown("**整份文档的问题**")
            st.html(whole)
        for title, part in (("项目资金", grid.budget_html), ("总体目标", grid.goals_html), ("绩效指标", grid.indicator_grid_html)):
            fragment = part(doc, findings)
            if fragment:
                st.markdown(f"**{title}**")
                st.html(fragment)
        cycle.grid_rewrites_block(st, doc, findings)
    cycle.rewrites_block(st, findings, key)
    cycle.dismiss_controls(st, doc, key)
    rows = render.breakdown_rows(doc)
    if rows:
        with st.expander("扣分明细", expanded=False):
            st.dataframe(tables.frame(rows), hide_index=True, width="stretch")
    d1, d2 = st.columns(2)
    opinion = downloads.opinion_docx(doc)
    if opinion:
        d1.download_button("下载复核意见（Word）", opinion, downloads.safe_name(doc["path"], "-复核意见.docx"),
                           DOCX, key=f"op{key}", on_click="ignore")
    d2.download_button("下载问题清单（Excel）", downloads.findings_xlsx([doc]), downloads.safe_name(doc["path"], "-问题清单.xlsx"),
                       XLSX, key=f"fl{key}", on_click="ignore")


def show_archive(docs: list[dict]) -> None:
    c1, c2, c3 = st.columns(3)
    units = c1.multiselect("单位", sorted({tables.unit_of(d) for d in docs}), key="f_unit", placeholder="全部单位")
    types = c2.multiselect("文档类型", sorted({d.get("doc_type", "unknown") for d in docs}), format_func=DOC_TYPE_LABELS.get, key="f_type", placeholder="全部类型")
    sevs = c3.multiselect("严重程度", SEV_OPTIONS, default=["error", "warning"], format_func=SEVERITY_LABELS.get, key="f_sev",
                          help="默认不计“提示”，与 summary.xlsx 的问题统计口径一致。")
    shown = tables.filter_docs(docs, units, types)
    st.markdown(f"**共 {len(shown)} 份文档**（读取失败 {sum(d.get('status') != 'ok' for d in shown)} 份）")
    st.markdown("**部门得分汇总**")
    st.dataframe(tables.frame(tables.unit_table(shown)), hide_index=True, width="stretch")
    books = downloads.workbooks(shown)
    d1, d2 = st.columns(2)
    d1.download_button("下载部门得分汇总表（units.xlsx）", books["units.xlsx"], "units.xlsx", XLSX, key="units_xlsx", on_click="ignore")
    d2.download_button("下载问题统计汇总（summary.xlsx）", books["summary.xlsx"], "summary.xlsx", XLSX, key="summary_xlsx", on_click="ignore")
    d3, d4, d5 = st.columns(3)
    d3.download_button("下载问题清单（Excel）", downloads.findings_xlsx(shown), "问题清单.xlsx", XLSX, key="findings_xlsx", on_click="ignore")
    d4.download_button("下载抽查复核报告（Word）", downloads.review_report_docx(shown), "抽查复核报告.docx", DOCX, key="report_docx", on_click="ignore")
    d5.download_button("下载各单位整改通知（.zip）", downloads.notices_zip(shown), "整改通知.zip", "application/zip", key="notices_zip", on_click="ignore")
    clean = downloads.units_without_problems(shown)
    if clean:
        st.caption(f"{'、'.join(clean)}未发现需要整改的问题，不起草整改通知。")
    g1, g2, g3 = st.columns(3)
    with g1:
        st.markdown("**各类问题数量**")
        st.bar_chart(tables.frame(tables.category_counts(shown, sevs)), x="问题类型", y="问题数", horizontal=True, sort=False)
    with g2:
        st.markdown("**复核得分分布**")
        st.bar_chart(tables.frame(tables.score_distribution(shown)), x="等级", y="文档数", sort=False)
    with g3:
        st.markdown("**各单位问题数量**")
        st.bar_chart(tables.frame(tables.problems_per_unit(shown, sevs)), x="单位", y="问题数", horizontal=True, sort=False)
    st.markdown("**文档一览**")
    st.dataframe(tables.frame(tables.documents_rows(shown)), hide_index=True, width="stretch")
    st.markdown("**问题清单**")
    st.dataframe(tables.frame(tables.findings_rows(shown, sevs)), hide_index=True, width="stretch")


def page_documents() -> None:
    samples = loading.list_samples(SAMPLES)
    c1, c2 = st.columns([3, 2])
    # No `type=` filter: a file Streamlit would refuse with an English message is checked
    # and answered with jxcheck's own Chinese error instead, and the old result goes away.
    uploads = c1.file_uploader("上传文件（可多选，或上传 .zip 压缩包）", accept_multiple_files=True, key="uploads",
                               help="自评表、评价报告或监控表：.docx .xlsx .pdf .doc .xls .wps .et .zip 等")
    options = [NO_SAMPLE] + [p.name for p in samples] + (["全部样例"] if len(samples) > 1 else [])
    pick = c2.selectbox("或选择样例文件", options, index=1 if samples else 0, key="sample", disabled=bool(uploads),
                        help="已上传文件时只检查上传的文件；移除上传的文件后可选择样例。")
    if uploads:
        items = [(u.name, u.getvalue()) for u in uploads]
    elif pick == "全部样例":
        items = [(p.name, p.read_bytes()) for p in samples]
    elif pick != NO_SAMPLE and (SAMPLES / pick).is_file():
        items = [(pick, (SAMPLES / pick).read_bytes())]
    else:
        st.info("请上传自评表、评价报告或监控表（.docx .xlsx .pdf .doc .xls .wps .zip），文件只在本机内存中处理，不会上传到任何地方。")
        return
    baseline_controls()
    docs = check_all(items)
    if len(docs) == 1:
        doc = docs[0]
        head, dl = st.columns([4, 1])
        head.markdown(f"#### {render.esc(render.doc_title(doc))}")
        head.caption(f"文件：{doc['path']}")
        dl.download_button("下载检查结果（JSON）", loading.result_json(docs), "jxcheck-result.json", "application/json", key="json", on_click="ignore")
        show_document(doc, "0")
        return
    st.download_button("下载检查结果（JSON）", loading.result_json(docs), "jxcheck-result.json", "application/json", key="json", on_click="ignore")
    # keyed tabs keep their place on reruns, e.g. after picking an unreadable file in 逐份查看
    t_sum, t_doc = st.tabs(["档案汇总", "逐份查看"], key="main_tabs")
    with t_sum:
        show_archive(docs)
    with t_doc:
        n = st.selectbox("选择文档", range(len(docs)), format_func=lambda i: render.doc_choice(docs[i]), key="doc_pick")
        st.caption(f"文件：{docs[n]['path']}")
        show_document(docs[n], str(n))


def baseline_controls() -> None:
    """Load a 忽略清单 kept from an earlier review, and download this session's."""
    entries = st.session_state.get(cycle.SESSION_KEY) or []
    with st.expander(f"忽略清单（{len(entries)} 条）：复核人员认定不成立的问题，不再报告、不再扣分", expanded=False):
        up = st.file_uploader("载入忽略清单（jxcheck-baseline.toml 或 .json）", key="baseline_up")
        if up is not None and st.session_state.get("baseline_loaded") != (up.name, up.size):
            try:
                loaded = cycle.parse_baseline(up.name, up.getvalue())
            except ValueError as exc:
                st.error(f"无法载入忽略清单：{exc}")
            else:
                st.session_state[cycle.SESSION_KEY] = entries + [e for e in loaded if e not in entries]
                st.session_state["baseline_loaded"] = (up.name, up.size)
                st.rerun()
        if entries:
            st.download_button("下载忽略清单（jxcheck-baseline.toml）", cycle.baseline_bytes(entries), "jxcheck-baseline.toml",
                               "application/toml", key="baseline_dl", on_click="ignore")
            st.caption("保存后放在命令行的运行目录，或下次在这里载入；单位修改了被引用的原文后，问题会重新出现。")


def page_recheck() -> None:
    st.title("整改复查")
    st.caption("上传上次的检查结果和单位重新报送的材料，逐条判断已整改、部分整改、未整改，并列出新增问题。材料按单位、类型、年度和项目名称对应，不看文件名。")
    c1, c2 = st.columns(2)
    old_up = c1.file_uploader("上次的检查结果（网页版下载的检查结果 JSON，或 jxcheck batch 输出的 documents.jsonl / 打包的输出文件夹）", key="re_old")
    new_up = c2.file_uploader("重新报送的材料（可多选，或 .zip）", accept_multiple_files=True, key="re_new")
    if old_up is None or not new_up:
        st.info("两边都上传后开始复查。文件只在本机内存中处理。")
        return
    try:
        old = cycle.read_earlier(old_up.name, old_up.getvalue())
    except ValueError as exc:
        st.error(str(exc))
        return
    new = check_all([(u.name, u.getvalue()) for u in new_up])
    out = cycle.recheck_outputs(old, new)
    from checker.judging.recheck import STATUSES

    rows = [{"单位名称": u["unit"], "材料数": u["documents"], "原问题数": u["earlier"], **{s: u[s] for s in STATUSES},
             "原复核得分": u["old_score"], "复查得分": u["new_score"]} for u in out["units"]]  # fmt: skip
    st.markdown("**整改落实情况**")
    st.dataframe(tables.frame(rows), hide_index=True, width="stretch")
    d1, d2 = st.columns(2)
    d1.download_button("下载整改情况表（Excel）", out["xlsx"], "整改情况.xlsx", XLSX, key="re_xlsx", on_click="ignore")
    d2.download_button("下载各单位整改复核意见（.zip）", out["opinions_zip"], "整改复核意见.zip", "application/zip", key="re_zip", on_click="ignore")
    for r in out["results"]:
        with st.expander(f"{r.label}：{r.how}", expanded=False):
            detail = [{"整改情况": it.status, "问题": it.message, "位置": render.location_text(it.location),
                       "现在的内容": it.new_text or "", "说明": it.note} for it in r.items]  # fmt: skip
            st.dataframe(tables.frame(detail), hide_index=True, width="stretch")


def page_snippet() -> None:
    st.title("单条检查")
    st.caption("粘贴一条指标、一段总体目标或一段完成情况，按回车或点“检查”即可得到判断和修改建议。")
    kind = st.radio("检查内容", ["indicator", "goal", "completion"], horizontal=True, key="sn_kind",
                    format_func={"indicator": "绩效指标", "goal": "总体目标", "completion": "完成情况"}.get)
    # a form: Enter in a one-line box submits (Ctrl+Enter in a multi-line box)
    with st.form("snippet", border=False, enter_to_submit=True):
        project = st.text_input("项目名称（可选，用于给出同一领域的修改示例）", key="sn_project")
        req: dict = {"id": "web", "kind": kind, "project": project}
        if kind == "indicator":
            c1, c2, c3 = st.columns(3)
            req["name"] = c1.text_input("三级指标名称（也可写作“名称：指标值”）", key="sn_name")
            req["target"] = c2.text_input("年度指标值", key="sn_target")
            req["actual"] = c3.text_input("实际完成值（可选）", key="sn_actual") or None
        elif kind == "goal":
            req["goal"] = st.text_area("总体目标 / 预期目标", key="sn_goal")
        else:
            req["goal"] = st.text_input("对应的预期目标（可选）", key="sn_cgoal")
            req["completion"] = st.text_area("实际完成情况", key="sn_completion")
        go = st.form_submit_button("检查", type="primary", key="sn_go")
    if go:
        from checker.judging.engine import check_snippet

        if kind == "indicator":
            req["name"], req["target"] = render.split_indicator(req.get("name"), req.get("target"))
        answer = check_snippet(req, config())
        st.html(render.snippet_html(answer))
        cycle.rewrites_block(st, answer.get("findings") or [], "snippet")


def page_rules() -> None:
    st.title("规则说明")
    from checker.judging.spec import load_rules

    rules = sorted(load_rules(config()), key=lambda r: r.code)
    cats = st.multiselect("问题类型", list(CATEGORY_LABELS), format_func=CATEGORY_LABELS.get, key="rule_cat", placeholder="全部问题类型")
    for rule in rules:
        if not cats or rule.category in cats:
            st.html(rulecard.rule_html(rule))


PAGES = {"文档检查": page_documents, "整改复查": page_recheck, "单条检查": page_snippet, "规则说明": page_rules}
with st.sidebar:
    st.markdown("### jxcheck 绩效自评质检")
    page = st.radio("功能", list(PAGES), key="page", label_visibility="collapsed")
    st.caption("离线运行：文件只在本机内存中处理，不会发送到任何地方。")
PAGES[page]()
