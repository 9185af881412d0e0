"""Document type, title, unit, project and year from the title block, header cells and file name."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from checker.core.document import Document, RawDocument

_TITLE_HINT = re.compile(r"(绩效|自评|评价|监控|考核).{0,12}(表|报告)|报告$|自评表|监控表|情况表")
_YEAR_DU = re.compile(r"(20\d{2})\s*年度")
_YEAR_ANY = re.compile(r"(?<!\d)(20\d{2})\s*年(?!\d{1,2}月\d)")
_YEAR_FILE = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_UNIT_LINE = re.compile(r"^(?:填报单位|评价单位|报告单位|单位名称|编制单位|报送单位|填表单位|实施单位|项目单位|项目实施单位|部门（单位）名称|部门名称|自评单位|被评价单位|项目承担单位)\s*(?:（(?:盖章|公章|签章)）)?\s*[:：]\s*(.+)$")
_CODE_PREFIX = re.compile(r"^\s*(?=[0-9A-Za-z]*\d{6})[0-9A-Za-z]++\s*[-－—_:：\s]\s*")  # linear: the old [0-9A-Za-z]*\d{6,}[0-9A-Za-z]* was cubic on a run of digits
_DEPT_CODE = re.compile(r"^\s*\d{2,}\s*[-－—_]\s*")
_SEAL = re.compile(r"[（(]\s*(盖章|公章|签章)\s*[)）]")
_UNIT_END = re.compile(r"(局|委|委员会|院|中心|办公室|办|站|所|处|厅|会|队|馆|校|学校|大学|部|室|社|园|政府|街道|管委会|公司|集团|医院|协会|联合会|分局|支队|大队)$")


def _norm(t: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t or ""))


def clean_unit(text: str | None) -> str | None:
    if not text:
        return None
    t = _SEAL.sub("", text).strip().strip("：:").strip()
    t = _CODE_PREFIX.sub("", t) if re.match(r"^\s*\d{6,}", t) else t
    t = _DEPT_CODE.sub("", t)
    return t or None


def clean_project(text: str | None) -> str | None:
    if not text:
        return None
    t = text.strip()
    if _CODE_PREFIX.match(t) and re.match(r"^\s*[0-9A-Za-z]*\d{6,}", t):
        t = _CODE_PREFIX.sub("", t, count=1)
    return t.strip() or None


def find_title(doc: Document, raw: RawDocument) -> str | None:
    for p in raw.paragraphs[:8]:
        t = _norm(p.text)
        if 4 <= len(t) <= 80 and _TITLE_HINT.search(t):
            return p.text.strip()
    for table in raw.tables[:2]:
        for row in table.rows[:3]:
            vals = [c for c in dict.fromkeys(row) if c.strip()]
            if len(vals) == 1 and _TITLE_HINT.search(_norm(vals[0])):
                return vals[0].strip()
    for p in raw.paragraphs[:3]:
        if 4 <= len(_norm(p.text)) <= 60 and not p.level:
            return p.text.strip()
    return None


def _head_texts(doc: Document, raw: RawDocument) -> list[str]:
    out = [p.text for p in raw.paragraphs[:15]]
    for table in raw.tables[:2]:
        for row in table.rows[:4]:
            out.extend(c for c in dict.fromkeys(row) if c.strip())
    return out


def find_year(doc: Document, raw: RawDocument, file_name: str | None) -> int | None:
    # the title speaks first (2023年…报告), then （2023年度） anywhere near the top, then any 2023年
    order = [(t, pat) for t in ([doc.title] if doc.title else []) for pat in (_YEAR_DU, _YEAR_ANY, _YEAR_FILE)]
    rest = _head_texts(doc, raw)
    order += [(t, _YEAR_DU) for t in rest] + [(t, _YEAR_ANY) for t in rest]
    for t, pat in order:
        m = pat.search(_norm(t))
        if m:
            return int(m.group(1))
    if doc.project:
        m = _YEAR_DU.search(doc.project) or _YEAR_ANY.search(doc.project)
        if m:
            return int(m.group(1))
    if file_name:
        m = _YEAR_FILE.search(PurePath(file_name.split("!")[-1]).stem)
        if m:
            return int(m.group(1))
    return None


def doc_type(doc: Document, raw: RawDocument, file_name: str | None) -> str:
    title = _norm(doc.title or "")
    name = _norm(PurePath((file_name or "").split("!")[-1]).stem)
    head = _norm(" ".join(_head_texts(doc, raw)[:12]))
    layout = doc.layout or ""
    has_table = bool(doc.indicators or doc.budget)
    prose = len(list(doc.iter_sections())) >= 2
    if "监控" in title or layout.startswith("monitoring"):
        return "monitoring_table"
    if "部门整体" in title or "整体支出" in title or (not title and "部门整体" in name):
        return "overall_report"
    if re.search(r"部门[（(]单位[)）]名称", head) and not re.search(r"项目名称", head):
        return "overall_report"
    if re.search(r"报告", title) and (prose or not has_table):
        from checker.reading.prose import reads_as_overall

        return "overall_report" if reads_as_overall(doc, title) else "project_report"
    if has_table and (doc.project or "自评表" in title or doc.indicators):
        return "self_eval_table"
    if prose and re.search(r"报告", title + name):
        return "project_report"
    if prose and re.search(r"评价|自评", title + name):
        return "project_report"
    if "监控" in name:
        return "monitoring_table"
    if "自评表" in name and has_table:
        return "self_eval_table"
    return "unknown"


def _unit_from_paragraphs(raw: RawDocument) -> str | None:
    texts = [p.text for p in raw.paragraphs[:40]]
    for table in raw.tables[:1]:
        for row in table.rows[:4]:
            texts.extend(c for c in dict.fromkeys(row) if c.strip())
    for t in texts:
        m = _UNIT_LINE.match(_norm(t).replace("(", "（").replace(")", "）"))
        if m:
            v = clean_unit(re.split(r"(?:填报日期|日期|填报时间|联系人|金额单位)", m.group(1))[0])
            if v:
                return v
    return None


def _unit_from_name(file_name: str | None) -> str | None:
    if not file_name:
        return None
    stem = PurePath(file_name.split("!")[-1]).stem
    for part in re.split(r"[_\-—\s]+", stem):
        if 3 <= len(part) <= 30 and _UNIT_END.search(part) and not re.search(r"\d{4}", part):
            return part
    return None


def _subtitles(doc: Document, raw: RawDocument) -> list[str]:
    """The one or two lines right under the title (a report's （春节慰问经费项目）)."""
    texts = [p.text.strip() for p in raw.paragraphs[:10]]
    if doc.title and doc.title in texts:
        i = texts.index(doc.title)
        return texts[i + 1:i + 3]
    return []


_PROJECT_LINE = re.compile(r"^项目(?:名称|全称)[:：](.+)$")
_DEPT_LINE = re.compile(r"^(?:主管部门|主管单位|主管部门及代码)[:：](.+)$")


def _line_value(raw: RawDocument, pat: re.Pattern) -> str | None:
    for p in raw.paragraphs[:40]:
        m = pat.match(_norm(p.text))
        if m:
            return re.split(r"(?:项目单位|主管部门|评价类型|评价日期|填报日期|实施单位)[:：]", m.group(1))[0] or None
    return None


_WHAT = [
    (re.compile(r"决算"), "部门（单位）决算或决算公开材料"),
    (re.compile(r"预算公开|部门预算|单位预算|预算情况说明|预算表"), "部门（单位）预算或预算公开材料"),
    (re.compile(r"通知|通告|公告|函$"), "通知或公文"),
    (re.compile(r"管理办法|实施细则|暂行办法|实施方案|工作方案|指引"), "管理办法、方案等制度文件"),
    (re.compile(r"申报表|目标表"), "绩效目标申报表"),
]
_FORM_LABELS = re.compile(r"年度指标值|三级指标|实际完成值|年度总体目标|全年预算数|年初预算数")


def what_it_is(doc: Document, raw: RawDocument, file_name: str | None) -> str:
    """What a document that is none of the four types appears to be, in words for the notice."""
    head = _norm(" ".join([doc.title or ""] + _head_texts(doc, raw)[:6]))
    name = _norm(PurePath((file_name or "").split("!")[-1].split("#")[0]).stem)
    for pat, label in _WHAT:
        if pat.search(head) or pat.search(name):
            return label
    cells = " ".join(c for t in raw.tables for row in t.rows for c in row)
    if _FORM_LABELS.search(_norm(cells)) and not doc.indicators and not (doc.budget and doc.budget.total):
        return "未填写的空白表格模板"
    return "其他材料"


def unknown_notice(what: str) -> str:
    return (f"未识别为绩效材料：这份文件看起来是{what}，不是项目支出绩效自评表、绩效评价报告或绩效监控表，"
            "因此未作检查、未评分，也不计入部门得分汇总。")


def describe(doc: Document, raw: RawDocument, file_name: str | None) -> None:
    """Fill title, doc_type, unit, department, project and year on a built Document."""
    from checker.reading import prose

    doc.title = find_title(doc, raw)
    line_project = _line_value(raw, _PROJECT_LINE)
    if prose.looks_like_report_title(line_project):  # 项目名称：部门整体支出绩效评价报告 names the report
        line_project = None
    doc.project = doc.project or line_project
    doc.department = doc.department or _line_value(raw, _DEPT_LINE)
    doc.unit = clean_unit(doc.unit) or _unit_from_paragraphs(raw) or None
    if doc.unit is None and raw.paragraphs:  # the signature, the title, the opening paragraph
        body = "\n".join(p.text for p in raw.paragraphs[1:60])
        doc.unit = (prose.unit_from_signature(raw.paragraphs) or prose.unit_above_title(raw.paragraphs, doc.title)
                    or prose.unit_from_title(doc.title, body) or prose.unit_from_body(raw.paragraphs))
    doc.department = clean_unit(doc.department)
    doc.project = clean_project(doc.project)
    doc.doc_type = doc_type(doc, raw, file_name)
    if doc.project is None and doc.doc_type in ("project_report", "monitoring_table", "self_eval_table"):
        doc.project = prose.project_from_title(doc.title, doc.unit or _unit_from_name(file_name), _subtitles(doc, raw))
    if doc.unit is None:
        doc.unit = _unit_from_name(file_name) or (doc.department if doc.doc_type == "overall_report" else None)
    if doc.department is None and doc.doc_type == "overall_report":
        doc.department = doc.unit  # a department-wide report is its own 主管部门
    doc.year = find_year(doc, raw, file_name)
    if doc.doc_type == "unknown":
        doc.notices.append(unknown_notice(what_it_is(doc, raw, file_name)))
    if doc.layout and doc.layout.startswith("standard_2020") and re.search(r"部门预算项目支出绩效自评表", _norm(doc.title or "")):
        doc.layout = doc.layout.replace("standard_2020", "sichuan")
