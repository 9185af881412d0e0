"""Readable Chinese report for a person at a terminal."""

from __future__ import annotations

from checker.finding import CATEGORY_LABELS, SEVERITY_LABELS


def _fmt(x) -> str:
    return "—" if x is None else (f"{x:.2f}" if isinstance(x, float) else str(x))


def render_one(r) -> str:
    d = r.to_dict()
    lines = [f"■ {d['path']}"]
    if d["status"] != "ok":
        err = d.get("error") or {}
        lines.append(f"  无法读取 [{err.get('code')}]：{err.get('message')}")
        return "\n".join(lines)
    lines.append(f"  类型：{d['doc_type_label']}　单位：{d['unit'] or '未识别'}　项目：{d['project'] or '—'}　年度：{d['year'] or '—'}")
    lines.append(
        f"  复核得分：{_fmt(d['score'])}（{d['grade'] or '—'}）　单位自评：{_fmt(d['self_score'])}　按自评数据重算：{_fmt(d['recomputed_self_score'])}"
    )
    b = d.get("budget")
    if b:
        lines.append(
            f"  预算：年初 {_fmt(b['initial'])} 万元，全年 {_fmt(b['annual'])} 万元，执行 {_fmt(b['executed'])} 万元，执行率 {_fmt(b['execution_rate'])}%"
        )
    lines.append(f"  目标 {len(d['goals'])} 条，绩效指标 {len(d['indicators'])} 个，发现问题 {len(d['findings'])} 个")
    for n in d.get("notices") or []:
        lines.append(f"  说明：{n}")
    for f in d["findings"]:
        loc = f["location"]
        where = loc.get("field") or ""
        pos = " ".join(f"{k}={v}" for k, v in loc.items() if k != "field")
        lines.append(f"  {f['code']} [{SEVERITY_LABELS[f['severity']]}|{CATEGORY_LABELS.get(f['category'], f['category'])}] {f['message']}")
        lines.append(f"      原文：{f['evidence']}")
        lines.append(f"      位置：{where} {pos}".rstrip())
        lines.append(f"      建议：{f['suggestion']}")
    return "\n".join(lines)


def render(results) -> str:
    parts = [render_one(r) for r in results]
    ok = sum(1 for r in results if r.status == "ok")
    total_findings = sum(len(r.findings) for r in results)
    parts.append(f"共 {len(results)} 个文件：读取成功 {ok} 个，无法读取 {len(results) - ok} 个；发现问题 {total_findings} 个。")
    return "\n\n".join(parts)
