"""Measure OCR on scans of the samples: field-level accuracy against the samples' truth and
seconds per page, for plain scans and for scans with a red seal.

Each sample (Office files converted with LibreOffice; spreadsheets printed as `--excel-print`
says, by default fitted to one page wide as units print them) is rendered at 150 dpi with
pdftoppm (grey, and colour), tilted, given sensor noise and dust (and a red seal over the
bottom of the table in the `seal` variant), saved as an image-only PDF and read through
`checker.api.read_document`. Figures are given apart for Word/WPS/PDF samples and for
spreadsheet samples. The text reading of the original file is the reference. Always exits 0:
a report.

    python scripts/eval_ocr.py [--samples s02,s16] [--quick] [--threads N] [--variants grey,seal]
                               [--excel-print fit|single|plain] [--show-misses] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import scans  # noqa: E402

QUICK = ("s02", "s13", "s16")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", help="comma-separated sample ids (s01,s02…); default all")
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0 = all cores)")
    ap.add_argument("--variants", default="grey,plain,seal", help="scan kinds to make: grey, plain (colour), seal (colour, stamped)")
    ap.add_argument("--excel-print", choices=scans.EXCEL_PRINTS, default="fit",
                    help="spreadsheets printed fitted to one page wide (fit), each sheet on one page of its own size (single), "
                         "or with the workbook's own page setup, wide tables running onto further pages (plain)")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--json", help="write the per-document figures here")
    args = ap.parse_args(argv)

    from checker.api import read_document
    from checker.core.config import load_config
    from checker.core.errors import ReadError
    from checker.reading.ocr import available

    if not available():
        print("OCR 组件未安装，跳过。")
        return 0
    if not scans.have_tools():
        print("需要 pdftoppm（poppler-utils），跳过。")
        return 0
    config = load_config()
    if args.threads:
        config.data["ocr"]["threads"] = args.threads
    truths = sorted((ROOT / "samples").glob("s[0-9][0-9]_*.truth.json"))
    wanted = set(QUICK) if args.quick else set(args.samples.split(",")) if args.samples else None
    rows = []
    from checker.reading.ocr import engine

    engine.engine(config)  # load the models once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        for tp in truths:
            sid = tp.name[:3]
            if wanted and sid not in wanted:
                continue
            truth = json.loads(tp.read_text(encoding="utf-8"))
            src = ROOT / "samples" / truth["file"]
            try:
                pdf = scans.to_pdf(src, Path(tmp), excel=args.excel_print)
            except Exception as exc:  # no LibreOffice: PDFs only
                print(f"{sid}: 跳过（{exc}）")
                continue
            try:
                ref = read_document(src.read_bytes(), src.name)
                r_ok, r_total, _ = scans.field_accuracy(ref, truth)
            except ReadError:
                r_ok, r_total = 0, 1
            colour = scans.render(pdf, dpi=150)
            grey = scans.render(pdf, dpi=150, grey=True)
            for variant, pages, seal, tilt in (("grey", grey, False, 0.8), ("plain", colour, False, 0.6), ("seal", colour, True, -1.2)):
                if variant not in args.variants.split(","):
                    continue
                data = scans.image_pdf(scans.scan(pages, seal=seal, tilt=tilt, seed=zlib.crc32(sid.encode()) % 1000))
                t, c = time.perf_counter(), time.process_time()
                try:
                    doc = read_document(data, f"{sid}_scan.pdf", config)
                    ok, total, misses = scans.field_accuracy(doc, truth)
                    read_by = doc.read_by
                except ReadError as err:
                    ok, total, misses, read_by = 0, r_total, [f"读取失败：{err.code}"], "error"
                wall, cpu = time.perf_counter() - t, time.process_time() - c
                rows.append({"sample": sid, "variant": variant, "group": "excel" if src.suffix.lower() in scans.EXCEL else "word", "pages": len(pages), "right": ok, "total": total,
                             "text_right": r_ok, "text_total": r_total, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                             "read_by": read_by, "misses": misses})
                print(f"{sid} {variant:5} {len(pages)}页  OCR {ok}/{total} = {ok / max(total, 1):.3f}  原文件 {r_ok}/{r_total}  "
                      f"{wall / len(pages):.2f} s/页（CPU {cpu / len(pages):.2f}）", flush=True)
                if args.show_misses:
                    for m in misses:
                        print("    ", m)
    if not rows:
        return 0
    print()
    excel = {"fit": "Excel 样例（打印为一页宽）", "single": "Excel 样例（每表打印为一页，纸张按表大小）",
             "plain": "Excel 样例（按工作簿原页面设置打印，宽表分页）"}[args.excel_print]
    print(f"线程数 {engine.threads(config)}")
    print("| 样例 | 扫描件 | 文档 | 页 | 字段准确率（OCR） | 字段准确率（原文件文字） | 秒/页 | CPU 秒/页 |")
    print("|---|---|---|---|---|---|---|---|")
    for group, glabel in (("word", "Word/WPS/PDF 样例"), ("excel", excel)):
        for variant, label in (("grey", "灰度扫描，倾斜 0.8°"), ("plain", "彩色扫描，倾斜 0.6°"), ("seal", "彩色扫描，倾斜 1.2°，红色印章")):
            sel = [r for r in rows if r["variant"] == variant and r["group"] == group]
            if not sel:
                continue
            right, total = sum(r["right"] for r in sel), sum(r["total"] for r in sel)
            tr, tt = sum(r["text_right"] for r in sel), sum(r["text_total"] for r in sel)
            pages = sum(r["pages"] for r in sel)
            secs, cpu = sum(r["seconds"] for r in sel), sum(r["cpu_seconds"] for r in sel)
            print(f"| {glabel} | {label} | {len(sel)} | {pages} | {right / total:.3f}（{right}/{total}） | {tr / tt:.3f} "
                  f"| {secs / pages:.2f} | {cpu / pages:.2f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
