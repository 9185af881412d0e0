"""Make scans of the samples the way a unit makes them: print, stamp, scan.

Pages are rendered with pdftoppm (Office samples converted to PDF with LibreOffice first),
then tilted, turned, given a red seal, sensor noise and dust, and packed as an image-only
PDF with Pillow or written as .png/.jpg. Used by tests/test_ocr.py and scripts/eval_ocr.py.
"""

from __future__ import annotations

import io
import math
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def have_tools() -> bool:
    return shutil.which("pdftoppm") is not None


EXCEL = (".xlsx", ".xls", ".et", ".ods")
EXCEL_PRINTS = ("fit", "single", "plain")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice not installed")
    return soffice


def _convert(path: Path, workdir: Path, target: str) -> Path:
    ext = target.split(":")[0]
    outdir = workdir / f"out-{ext}"
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{workdir}/lo", "--convert-to", target,
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
    out = outdir / f"{path.stem}.{ext}"
    if not out.exists():
        raise RuntimeError(f"conversion failed: {path.name}")
    return out


def print_ready(path: Path, workdir: Path) -> Path:
    """A workbook set up the way a unit prints its form: A4 landscape, fitted to one page
    wide (as many pages down as it needs), and rows holding wrapped text made tall enough
    for it (Excel and LibreOffice do not grow a merged cell's row by themselves; a user drags
    it before printing). .xls/.et/.ods are converted to .xlsx first."""
    import math

    import openpyxl
    from openpyxl.utils import get_column_letter

    if path.suffix.lower() != ".xlsx":
        path = _convert(path, workdir, "xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        # no running header or footer (LibreOffice would print the sheet name and page number)
        ws.oddHeader.center.text = ws.oddFooter.center.text = " "
        widths = {}
        for col in range(1, ws.max_column + 1):
            dim = ws.column_dimensions.get(get_column_letter(col))
            widths[col] = dim.width if dim is not None and dim.width else 8.43
        merged = {(r.min_row, r.min_col): (r.max_row - r.min_row + 1, sum(widths.get(c, 8.43) for c in range(r.min_col, r.max_col + 1)))
                  for r in ws.merged_cells.ranges}
        need: dict[int, float] = {}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or not c.value.strip():
                    continue
                n_rows, width = merged.get((c.row, c.column), (1, widths.get(c.column, 8.43)))
                chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in c.value)  # a CJK character is two columns wide
                lines = max(1, math.ceil(chars / max(width - 1, 1)))
                size = (c.font.sz if c.font is not None and c.font.sz else 11)
                need[c.row] = max(need.get(c.row, 0.0), lines * size * 1.35 / n_rows)
        for r, height in need.items():
            if height > (ws.row_dimensions[r].height or 15):
                ws.row_dimensions[r].height = height
    out = workdir / f"{path.stem}.print.xlsx"
    wb.save(out)
    return out


def to_pdf(path: Path, workdir: Path, excel: str = "fit") -> Path:
    """The sample as a PDF (LibreOffice converts Office files). A spreadsheet is printed
    `excel` = "fit" (print_ready: one page wide), "single" (each sheet on one page of its own
    size) or "plain" (the workbook's own page setup: a wide table runs onto further pages)."""
    if path.suffix.lower() == ".pdf":
        return path
    kind, target, src = "doc", "pdf", path
    if path.suffix.lower() in EXCEL:
        kind = excel
        if excel == "fit":
            src = print_ready(path, workdir)
        elif excel == "single":
            target = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
    out = workdir / f"{path.stem}.{kind}.pdf"
    _convert(src, workdir, target).replace(out)
    return out


def render(pdf: Path, dpi: int = 150, grey: bool = False, first: int | None = None, last: int | None = None) -> list[Image.Image]:
    """Pages of a PDF as images, rendered by pdftoppm."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-png"]
        if grey:
            cmd.append("-gray")
        if first:
            cmd += ["-f", str(first)]
        if last:
            cmd += ["-l", str(last)]
        subprocess.run(cmd + [str(pdf), f"{tmp}/p"], check=True, capture_output=True, timeout=120)
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [Image.open(p).convert("RGB") for p in pages]


def _cjk_font(size: int):
    for cand in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
                 "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if Path(cand).exists():
            return ImageFont.truetype(cand, size, index=2)  # the SC face
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh"], capture_output=True, text=True, timeout=10).stdout
        if out:
            return ImageFont.truetype(out, size)
    except (OSError, subprocess.SubprocessError):
        pass
    return ImageFont.load_default()


def red_seal(page: Image.Image, centre: tuple[int, int], name: str = "示范区财政局", radius: int | None = None) -> Image.Image:
    """Stamp a round red seal (ring, star, name around the rim) over the page, as ink does:
    multiplied, so black print under it stays dark."""
    w, h = page.size
    r = radius or int(w * 0.085)
    seal = Image.new("L", (2 * r + 8, 2 * r + 8), 0)
    d = ImageDraw.Draw(seal)
    c = r + 4
    d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(3, r // 18))
    star = [(c + 0.32 * r * math.cos(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4),
             c + 0.32 * r * math.sin(math.radians(-90 + k * 36)) * (1 if k % 2 == 0 else 0.4)) for k in range(10)]
    d.polygon(star, fill=255)
    font = _cjk_font(max(10, r // 4))
    chars = list(name)
    span = 220
    for k, ch in enumerate(chars):
        ang = -90 - span / 2 + span * (k + 0.5) / len(chars)
        glyph = Image.new("L", (r // 3 + 6, r // 3 + 6), 0)
        ImageDraw.Draw(glyph).text((3, 0), ch, fill=255, font=font)
        glyph = glyph.rotate(-(ang + 90), expand=True)
        gx = c + 0.72 * r * math.cos(math.radians(ang)) - glyph.width / 2
        gy = c + 0.72 * r * math.sin(math.radians(ang)) - glyph.height / 2
        seal.paste(255, (int(gx), int(gy)), glyph)
    alpha = np.asarray(seal, np.float32) / 255.0 * 0.85
    arr = np.asarray(page, np.float32).copy()
    x0, y0 = centre[0] - c, centre[1] - c
    ink = np.array([205.0, 25.0, 35.0]) / 255.0
    ys, xs = slice(max(0, y0), min(h, y0 + seal.height)), slice(max(0, x0), min(w, x0 + seal.width))
    a = alpha[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0, None]
    region = arr[ys, xs]
    arr[ys, xs] = region * (1 - a) + region * ink * a  # multiply blend
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def degrade(page: Image.Image, tilt: float = 0.0, quarter_turns: int = 0, noise: float = 6.0, seed: int = 0) -> Image.Image:
    """A scanner's marks: tilt (degrees, counter-clockwise), a page fed turned, grain and dust."""
    rng = np.random.default_rng(seed)
    img = page.rotate(tilt, resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255)) if tilt else page
    arr = np.asarray(img, np.float32).copy()
    arr += rng.normal(0, noise, arr.shape[:2])[..., None]
    h, w = arr.shape[:2]
    for _ in range(int(w * h / 40000)):  # dust specks
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        arr[y:y + int(rng.integers(1, 3)), x:x + int(rng.integers(1, 3))] = rng.uniform(40, 120)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if quarter_turns % 4:
        img = img.rotate(90 * quarter_turns, expand=True)
    return img


def seal_spot(page: Image.Image, truth: dict | None = None) -> tuple[int, int]:
    """Where a unit stamps: over the bottom right of the printed area (the total and the
    signature line), found from the ink."""
    g = np.asarray(page.convert("L"))
    rows = np.flatnonzero((g < 128).sum(axis=1) > 3)
    cols = np.flatnonzero((g < 128).sum(axis=0) > 3)
    if rows.size == 0:
        return page.width // 2, page.height // 2
    bottom, right = int(rows[-1]), int(cols[-1])
    return int(right - page.width * 0.2), int(bottom - page.height * 0.04)


def image_pdf(pages: list[Image.Image], dpi: int = 150) -> bytes:
    """An image-only PDF, one scanned image per page, as a scanner writes it."""
    out = io.BytesIO()
    first, rest = pages[0], pages[1:]
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return out.getvalue()


def encode(page: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    out = io.BytesIO()
    page.save(out, fmt, **kw)
    return out.getvalue()


def scan(pages: list[Image.Image], seal: bool = False, tilt: float = 0.0, quarter_turns: int = 0, seed: int = 0) -> list[Image.Image]:
    rnd = random.Random(seed)
    out = []
    for i, p in enumerate(pages):
        if seal and i == len(pages) - 1:
            p = red_seal(p, seal_spot(p))
        out.append(degrade(p, tilt=tilt * (1 if i % 2 == 0 else -0.6), quarter_turns=quarter_turns, seed=rnd.randrange(1 << 30)))
    return out


# ---- field-level accuracy against a sample's truth ---------------------------------------


def _n(v) -> str | None:
    import re
    import unicodedata

    if v is None:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v)))
    return s or None


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 0.011


def field_accuracy(doc, truth: dict) -> tuple[int, int, list[str]]:
    """(fields right, fields compared, misses) for the fields a reviewer relies on: type,
    unit, project, year, self score, the six budget figures, goals and every indicator cell."""
    right, total, misses = 0, 0, []

    def check(name, ok, got, want):
        nonlocal right, total
        total += 1
        if ok:
            right += 1
        else:
            misses.append(f"{name}: {got!r} ≠ {want!r}")

    def text(name, got, want):
        check(name, _n(got) == _n(want), got, want)

    def num(name, got, want):
        check(name, _num_eq(got, want), got, want)

    check("doc_type", doc.doc_type == truth["doc_type"], doc.doc_type, truth["doc_type"])
    text("unit", doc.unit, truth.get("unit"))
    text("project", doc.project, truth.get("project"))
    check("year", doc.year == truth.get("year"), doc.year, truth.get("year"))
    num("self_score", doc.self_score, truth.get("self_score"))
    want_b = truth.get("budget") or {}
    got_b = doc.budget.to_contract() if doc.budget and doc.budget.total else {}
    for k in ("initial", "annual", "executed", "execution_rate", "weight", "score"):
        if k in want_b:
            num(f"budget.{k}", got_b.get(k), want_b.get(k))
    for i, g in enumerate(truth.get("goals") or []):
        got = doc.goals[i] if i < len(doc.goals) else None
        text(f"goals[{i + 1}].expected", got.expected if got else None, g.get("expected"))
        text(f"goals[{i + 1}].actual", got.actual if got else None, g.get("actual"))
    for i, ind in enumerate(truth.get("indicators") or []):
        got = doc.indicators[i] if i < len(doc.indicators) else None
        for k in ("level1", "level2", "name", "target", "actual", "deviation"):
            if k in ind:
                text(f"indicators[{i + 1}].{k}", getattr(got, k) if got else None, ind.get(k))
        for k in ("weight", "score"):
            if k in ind:
                num(f"indicators[{i + 1}].{k}", getattr(got, k) if got else None, ind.get(k))
    return right, total, misses
