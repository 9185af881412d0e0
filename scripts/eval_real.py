"""Detection quality on real text, decided and measured by source document (`make eval`).

Data (training.data): eval/real (collector parts + blind second pass; split by
source document into `dev`, where rules are tuned, and `test`, reported only), the shared
corpus (../shared/corpus) and the written held-out set (eval/holdout). Every row goes through
`jxcheck snippet --jsonl -` exactly as the contract gives the request; the answer's findings
(all severities) are kept.

Per problem type it prints:
1. grouped CV of the severity decision: the pool (eval/real dev + shared corpus) is cut into
   folds by source document; on the other folds each rule of the type is made a warning when it
   was right at least `--min-precision` of the time with at least `--min-hits` hits (else
   info), and the rows of the held-out fold are judged with those severities. Figures on the
   eval/real dev rows and on the whole pool.
2. the shipped configuration (`flagged` as the snippet answers it) on eval/real dev and test,
   the shared corpus and the held-out dev/test halves.
3. per rule: hits on sure rows (right/wrong) on eval/real dev and the corpus, the shipped
   severity and what the decision rule says (the `measured:` note in each YAML comes from here).
4. misses and false alarms on eval/real dev (test only with --show-test), grouped by kind of text.

Rows marked `unsure` are never measured. Always exits 0: a report, not a gate.

    python scripts/eval_real.py [--kind goal] [--in-process] [--show-test] [--quiet] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training import data as D  # noqa: E402

CATEGORY = {"indicator": "vague_indicator", "goal": "goal_mismatch", "completion": "perfunctory_completion"}
LABELS = {"indicator": "指标设置不规范", "goal": "总体目标不能反映项目", "completion": "完成情况填报简单"}
N_FOLDS = 5
MIN_PRECISION = 0.90
MIN_HITS = 5
RANK = {"info": 0, "warning": 1, "error": 2}


# ---- running the product -------------------------------------------------------------------


def run_cli(requests: list[dict], no_models: bool = False) -> list[dict]:
    exe = ROOT / ".venv" / "bin" / "jxcheck"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "checker"]
    cmd += ["snippet", "--jsonl", "-"] + (["--no-models"] if no_models else [])
    payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    proc = subprocess.run(cmd, input=payload, capture_output=True, text=True, cwd="/", check=False)
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(answers) != len(requests):
        raise SystemExit(f"snippet answered {len(answers)} of {len(requests)} requests:\n{proc.stderr[-2000:]}")
    return answers


def run_inprocess(requests: list[dict], no_models: bool = False) -> list[dict]:
    from checker.core.config import load_config
    from checker.judging.engine import check_snippet

    config = load_config(cwd="/nonexistent")
    return [check_snippet(r, config, models=not no_models) for r in requests]


# ---- scores ---------------------------------------------------------------------------------


def prf(pairs) -> dict:
    pairs = list(pairs)
    tp = sum(1 for t, p in pairs if t and p)
    fp = sum(1 for t, p in pairs if not t and p)
    fn = sum(1 for t, p in pairs if t and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": len(pairs), "pos": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3)}


def fold_of(group: str, k: int = N_FOLDS) -> int:
    return hashlib.sha256(("fold|" + group).encode("utf-8")).digest()[0] % k


def codes_of(answer: dict, category: str) -> dict[str, str]:
    """code → severity of the answer's findings of the kind's category (rule and model)."""
    out: dict[str, str] = {}
    for f in answer.get("findings", []):
        if f.get("category") == category:
            prev = out.get(f["code"])
            if prev is None or RANK[f["severity"]] > RANK[prev]:
                out[f["code"]] = f["severity"]
    return out


def rule_table(items) -> dict[str, list[int]]:
    """code → [right, wrong] over sure rows."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, codes in items:
        if row.unsure:
            continue
        for c in codes:
            table[c][0 if row.positive else 1] += 1
    return table


def decide(items, shipped: dict[str, str], min_precision: float, min_hits: int) -> dict[str, str]:
    """The severity each rule earns on these rows: warning (or its shipped error) when right at
    least min_precision of the time over at least min_hits hits; info otherwise. A rule with
    fewer hits keeps its shipped severity (too little evidence either way)."""
    out = {}
    table = rule_table(items)
    for code, sev in shipped.items():
        right, wrong = table.get(code, [0, 0])
        n = right + wrong
        if n < min_hits:
            out[code] = sev
        elif right / n >= min_precision:
            out[code] = sev if sev == "error" else "warning"
        else:
            out[code] = "info"
    return out


def flagged_with(codes: dict[str, str], severities: dict[str, str]) -> bool:
    return any(RANK[severities.get(c, s)] >= 1 for c, s in codes.items())


# ---- kinds of text (for grouping misses and false alarms) -----------------------------------

_NUM = re.compile(r"\d")
_MONEY = re.compile(r"资金|经费|万元|预算|拨付|用于|支出")


def text_kind(row: D.Labelled) -> str:
    r = row.request
    if row.kind == "indicator":
        l2 = str(r.get("level2") or r.get("level1") or "")
        cat = next((k for k in ("数量", "质量", "时效", "成本", "经济", "社会", "生态", "可持续", "满意") if k in l2), "其他")
        t = str(r.get("target") or "").strip()
        if not t or t in {"/", "—", "-", "无"}:
            shape = "空"
        elif re.search(r"\d{4}\s*年|\d{1,2}\s*月|年底|月底|季度", t):
            shape = "日期"
        elif "%" in t or "％" in t or "百分" in t:
            shape = "百分比"
        elif _NUM.search(t):
            shape = "数值"
        else:
            shape = "文字"
        return f"{cat}·{shape}"
    text = str(r.get(row.kind) or "")
    core = re.sub(r"[\W\d_a-zA-Z]", "", text)
    if len(core) < 12:
        return "很短"
    parts = []
    if row.kind == "goal" and re.search(r"根据|依据|按照.{0,20}(?:制定|设定|要求)|设定|制定", text):
        parts.append("依据/设定")
    if _MONEY.search(text):
        parts.append("资金")
    parts.append("有数字" if _NUM.search(text) else "无数字")
    return "·".join(parts)


# ---- writing the decision into the rule files ------------------------------------------------


def _measured_block(v: dict, min_precision: float, min_hits: int) -> str:
    right, wrong = v["pool"]
    n = right + wrong
    if n < min_hits:
        why = f"fewer than {min_hits} hits: severity kept as set by judgement"
    elif v["decided"] == "info":
        why = f"right less than {min_precision:.0%} of the time: info"
    else:
        why = f"right at least {min_precision:.0%} of the time: {v['decided']}"
    prec = f"{right / n:.2f}" if n else "n/a"
    return (
        "measured:\n"
        "  data: " + json.dumps("eval/real dev half + ../shared/corpus, sure rows, grouped by source document (scripts/eval_real.py)") + "\n"
        f"  hits: {n}\n  right: {right}\n  wrong: {wrong}\n  precision: {prec}\n"
        f"  real_dev: \"{v['real_dev'][0]}/{v['real_dev'][0] + v['real_dev'][1]}\"\n"
        f"  corpus: \"{v['corpus'][0]}/{v['corpus'][0] + v['corpus'][1]}\"\n"
        f"  decision: {json.dumps(why, ensure_ascii=False)}\n"
    )


def write_measured(results: dict, min_precision: float, min_hits: int) -> list[str]:
    """Rewrite `severity:` and the `measured:` block of each measured rule's YAML in place
    (text edit, the rest of the file untouched)."""
    changed = []
    for res in results.values():
        for code, v in res.get("per_rule", {}).items():
            files = sorted((ROOT / "rules").glob(f"*/{code}-*.yaml"))
            if len(files) != 1:
                continue
            text = files[0].read_text(encoding="utf-8")
            new = re.sub(r"(?m)^severity: \w+$", f"severity: {v['decided']}", text, count=1)
            new = re.sub(r"(?ms)^measured:\n(?:[ ].*?\n)*", "", new)
            new = new.rstrip("\n") + "\n" + _measured_block(v, min_precision, min_hits)
            if new != text:
                files[0].write_text(new, encoding="utf-8")
                changed.append(code)
    return changed


def markdown_table(results: dict) -> str:
    """The README's measured-quality table (Chinese): P / R / F1 and rows per data set."""
    cols = (("cv real-dev", "真实语料开发半（分组交叉验证）"), ("shipped real-test", "真实语料测试半"),
            ("shipped corpus", "共享语料"), ("shipped holdout-test", "留出集测试半"))
    out = ["| 问题类型 | " + " | ".join(c for _, c in cols) + " |", "|---|" + "---|" * len(cols)]
    for kind, res in results.items():
        cells = []
        for key, _ in cols:
            m = res.get(key)
            if not m:
                cells.append("—")
            elif m["pos"] == 0:
                cells.append(f"无问题行，误报 {m['fp']}（{m['n']} 行）")
            else:
                cells.append(f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}（{m['n']} 行）")
        out.append(f"| {LABELS[kind]} | " + " | ".join(cells) + " |")
    return "\n".join(out)


# ---- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="在真实语料（按来源文档分组）、共享语料和留出集上评估检测质量")
    ap.add_argument("--kind", choices=D.KINDS, action="append")
    ap.add_argument("--real", default=str(D.default_real_dir()))
    ap.add_argument("--corpus", default=str(D.default_corpus_dir()))
    ap.add_argument("--holdout", default=str(D.default_holdout_dir()))
    ap.add_argument("--in-process", action="store_true", help="不经命令行，直接调用（更快）")
    ap.add_argument("--no-models", action="store_true")
    ap.add_argument("--show-test", action="store_true", help="也列出 eval/real 测试半判错的行（只在调参结束后报告用）")
    ap.add_argument("--quiet", action="store_true", help="不列出判错的行")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="输出 README 用的中文汇总表")
    ap.add_argument("--min-precision", type=float, default=MIN_PRECISION)
    ap.add_argument("--min-hits", type=int, default=MIN_HITS)
    ap.add_argument("--write-measured", action="store_true",
                    help="把按 eval/real 开发半＋共享语料得出的级别和命中数写入各规则 YAML（severity 与 measured:）")
    args = ap.parse_args(argv)

    from checker.core.config import load_config
    from checker.judging.spec import load_rules

    specs = [r for r in load_rules(load_config(cwd="/nonexistent")) if r.kind != "classifier"]
    kinds = args.kind or list(D.KINDS)
    rows: list[D.Labelled] = []
    for kind in kinds:
        rows += D.load_real(kind, Path(args.real)) + D.load_corpus(kind, Path(args.corpus)) + D.load_holdout(kind, Path(args.holdout))
    runner = run_inprocess if args.in_process else run_cli
    answers = runner([r.request for r in rows], args.no_models) if rows else []
    results: dict[str, dict] = {}
    out: list[str] = []
    for kind in kinds:
        cat = CATEGORY[kind]
        items = [(r, codes_of(a, cat), bool(a.get("flagged"))) for r, a in zip(rows, answers, strict=True) if r.kind == kind]
        # the rules that judge this kind of snippet (model rules are decided by scripts/train.py)
        shipped = {r.code: r.severity for r in specs if r.scope == kind and r.category == cat}
        res: dict = {"rows": {}}

        def sel(source, split=None):
            return [(r, c, f) for r, c, f in items if r.source == source and (split is None or r.split == split)]

        real_dev, real_test, corpus = sel("real", "dev"), sel("real", "test"), sel("corpus")
        for name, part in (("real-dev", real_dev), ("real-test", real_test), ("corpus", corpus),
                           ("holdout-dev", sel("holdout", "dev")), ("holdout-test", sel("holdout", "test"))):
            sure = [(r, c, f) for r, c, f in part if not r.unsure]
            res["rows"][name] = {"rows": len(part), "sure": len(sure), "positives": sum(r.positive for r, _, _ in sure)}
            if sure:
                res[f"shipped {name}"] = prf((r.positive, f) for r, _, f in sure)
        # grouped CV of the decision procedure on the pool (real dev + corpus)
        pool = real_dev + corpus
        if pool:
            cv_pred: dict[str, bool] = {}
            for k in range(N_FOLDS):
                train = [(r, c) for r, c, _ in pool if fold_of(r.group) != k]
                sev = decide(train, shipped, args.min_precision, args.min_hits)
                for r, c, _ in pool:
                    if fold_of(r.group) == k:
                        cv_pred[r.id] = flagged_with(c, sev)
            for name, part in (("cv real-dev", real_dev), ("cv pool", pool)):
                sure = [(r.positive, cv_pred[r.id]) for r, _, _ in part if not r.unsure]
                if sure:
                    res[name] = prf(sure)
            # the decision on the whole pool, applied to the test half (what shipping it would give)
            full = decide([(r, c) for r, c, _ in pool], shipped, args.min_precision, args.min_hits)
            res["decided"] = full
            if real_test:
                res["decided real-test"] = prf((r.positive, flagged_with(c, full)) for r, c, _ in real_test if not r.unsure)
        dev_table = rule_table((r, c) for r, c, _ in real_dev)
        corpus_table = rule_table((r, c) for r, c, _ in corpus)
        pool_table = rule_table((r, c) for r, c, _ in pool)
        res["per_rule"] = {
            code: {"shipped": sev, "decided": res.get("decided", {}).get(code, sev),
                   "real_dev": dev_table.get(code, [0, 0]), "corpus": corpus_table.get(code, [0, 0]),
                   "pool": pool_table.get(code, [0, 0])}
            for code, sev in sorted(shipped.items())
        }
        wrong = [(r, c, f) for r, c, f in items if r.source == "real" and not r.unsure and r.positive != f
                 and (r.split == "dev" or args.show_test)]
        res["wrong"] = [{"id": r.id, "split": r.split, "what": "FP" if f else "FN", "shape": text_kind(r),
                         "codes": sorted(c), "text": r.text, "why": r.row.get("why")} for r, c, f in wrong]
        results[kind] = res

        # ---- printing ----
        out.append(f"\n== {LABELS[kind]}（{kind}）==")
        counts = "；".join(f"{k} {v['sure']}/{v['rows']} 行（问题 {v['positives']}）" for k, v in res["rows"].items() if v["rows"])
        out.append(f"数据（确定/全部）：{counts or '无'}")
        out.append(f"{'setting':<34}{'n':>5}{'pos':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>7}{'R':>7}{'F1':>7}")
        for name in ("cv real-dev", "cv pool", "shipped real-dev", "shipped real-test", "decided real-test",
                     "shipped corpus", "shipped holdout-dev", "shipped holdout-test"):
            m = res.get(name)
            if m:
                out.append(f"{name:<34}{m['n']:>5}{m['pos']:>5}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}"
                           f"{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}")
        out.append("per rule (right/wrong hits, sure rows): real-dev | corpus | shipped → decided")
        for code, v in res["per_rule"].items():
            if sum(v["pool"]) == 0 and v["shipped"] == v["decided"]:
                continue
            mark = "" if v["shipped"] == v["decided"] else "   ← change"
            out.append(f"  {code}  {v['real_dev'][0]:>3}/{v['real_dev'][1]:<3} | {v['corpus'][0]:>3}/{v['corpus'][1]:<3} | "
                       f"{v['shipped']:<7} → {v['decided']}{mark}")
        if not args.quiet and res["wrong"]:
            out.append("misses (FN) and false alarms (FP) on eval/real" + (" dev+test" if args.show_test else " dev") + ", by kind of text:")
            groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
            for w in res["wrong"]:
                groups[(w["what"], w["shape"])].append(w)
            for (what, shape), ws in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1])):
                out.append(f"  {what} · {shape} · {len(ws)}")
                for w in ws:
                    out.append(f"      {w['id']} [{','.join(w['codes']) or '-'}] {w['text'][:100]}")
                    out.append(f"          why: {w['why']}")
        shapes = Counter(w["shape"] for w in res["wrong"])
        res["wrong_by_shape"] = dict(sorted(shapes.items()))
    if args.write_measured:
        changed = write_measured(results, args.min_precision, args.min_hits)
        out.append("\nrule files updated: " + (", ".join(changed) or "none"))
    if args.markdown:
        print(markdown_table(results))
        return 0
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        mode = "rules only" if args.no_models else "rules + models as shipped"
        print(f"jxcheck eval on real text ({mode}); grouped by source document; unsure rows not measured")
        print(f"decision rule: warning when right ≥ {args.min_precision:.0%} of ≥ {args.min_hits} hits, else info "
              f"(fewer hits: shipped severity kept); CV = {N_FOLDS} folds by document over eval/real dev + corpus")
        print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
