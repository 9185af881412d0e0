"""What every process that checks documents shares: warm-up, process settings, and the JSON
line a result travels as (between a worker and `jxcheck batch`, and in documents.jsonl).
Used by checker.runner.isolate (workers and the zygote) and checker.runner.batch (--jobs 1)."""

from __future__ import annotations

import json
import os

from checker.core.config import Config


def warm(config: Config) -> None:
    """Load what checking a document needs once, before the first document: the checker's
    modules, the rules (and their word lists) for this config, jieba, the readers' libraries.
    Run in the process workers are forked from, it is paid once per batch, not per worker.
    No model is loaded here: a document check loads one only when it is kept for findings."""
    try:
        from checker.judging.engine import _ruleset, check_snippet

        _ruleset(config)
        check_snippet({"id": "warm", "kind": "indicator", "name": "服务对象满意度", "target": "≥90%"}, config, models=False)
        check_snippet({"id": "warm", "kind": "goal", "goal": "完成项目建设任务，提升服务水平"}, config, models=False)
        check_snippet({"id": "warm", "kind": "completion", "completion": "已完成"}, config, models=False)
        from checker.core.textutil import tokenize

        tokenize("项目支出绩效自评")
    except Exception:  # warming is an optimisation; the real call reports real problems
        pass
    # the readers' libraries too: imported here once, they are shared by every worker forked after
    # (not openpyxl: workbooks are read straight from their XML; it is only for the odd package)
    for mod in ("checker.api", "checker.reading.parsers", "checker.reading.parsers.docx", "checker.reading.parsers.opc", "checker.reading.parsers.xlsx",
                "checker.reading.parsers.xlsx_fast", "checker.reading.parsers.pdf", "checker.reading.extract", "checker.judging.selfscore",
                "checker.scoring.review_score", "checker.judging.rewrite", "checker.runner.crossdoc", "lxml.etree", "pdfplumber", "pypdfium2"):
        try:
            __import__(mod)
        except Exception:
            pass


def tune_process() -> None:
    """Settings for a process that checks many documents (a worker, or --jobs 1)."""
    # One process per core already; BLAS/OpenMP threads inside each would oversubscribe.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        # scikit-learn is imported only if a model is loaded; its settings are applied then
        from checker.judging.classifiers import policy

        policy.FAST_SKLEARN = True
    except Exception:
        pass


def dumps(doc: dict) -> str:
    """One result as the compact JSON line it travels and is stored as."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
