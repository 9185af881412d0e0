"""The recogniser: one RapidOCR instance per process, models from inside the wheel.

RapidOCR 3.x ships PP-OCRv6 small det/rec and the PP-OCR 0°/180° text-line classifier
in its wheel (`rapidocr/models/`); the model files are checked here so a missing one
fails loudly instead of triggering a download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from checker.core.config import Config

_LOCK = threading.Lock()
_ENGINE = None
# the files RapidOCR's default configuration resolves to; all inside the installed wheel
SHIPPED_MODELS = ("PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx", "ch_ppocr_mobile_v2.0_cls_mobile.onnx")


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def threads(config: Config) -> int:
    """onnxruntime threads: `[ocr] threads`; a worker pool sets it to the cores shared out among
    its workers (checker.runner.isolate.share_cores); otherwise all cores, up to 4."""
    n = int(config.get("ocr", "threads", 0) or 0)
    return n if n > 0 else max(1, min(4, cores()))


def _no_spinning() -> None:
    """Idle onnxruntime threads sleep instead of spinning: a spinning thread burns a core
    that another page, worker or the app needs (measured: CPU per page 5.4 → 3.2 s with 2 threads
    on a busy machine). Wraps RapidOCR's session options; harmless if its layout changes."""
    try:
        from rapidocr.inference_engine.onnxruntime.main import OrtInferSession
    except ImportError:
        return
    original = OrtInferSession._init_sess_opts
    if getattr(original, "_jx_no_spin", False):
        return

    def opts(cfg):
        sess = original(cfg)
        sess.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return sess

    opts._jx_no_spin = True
    OrtInferSession._init_sess_opts = staticmethod(opts)


# Line images are recognised in batches of REC_BATCH, sorted by width, each batch as wide as
# its widest line but at least REC_MIN_WIDTH (RapidOCR's default pads every batch to 320 px:
# most table cells hold a short number or word, so 5/6 of that work was padding).
# Measured on 2 scanned pages (s16, s10), interleaved: recognition CPU 4.9 → 3.7 s, the same text up to spaces and
# bracket width.
REC_MIN_WIDTH = 96
REC_BATCH = 6


def engine(config: Config):
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    with _LOCK:
        if _ENGINE is None:
            folder = model_dir()
            missing = [m for m in SHIPPED_MODELS if not (folder / m).is_file()]
            if missing:
                raise RuntimeError(f"OCR model files missing from the rapidocr package: {missing}")
            import logging

            from rapidocr import RapidOCR

            _no_spinning()

            n = threads(config)
            _ENGINE = RapidOCR(params={
                "Global.log_level": "error",
                "Global.use_cls": False,
                "Global.model_root_dir": str(folder),
                "EngineConfig.onnxruntime.intra_op_num_threads": n,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                "Rec.rec_img_shape": [3, 48, REC_MIN_WIDTH],
                "Rec.rec_batch_num": REC_BATCH,
            })
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return _ENGINE


DET_MAX_SIDE = 1280  # detection on a reduced page: a third of the time, the same lines found


def detect(config: Config, img: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Axis-aligned boxes (x0, y0, x1, y1) of text lines on a grey or BGR image."""
    import cv2

    eng = engine(config)
    h, w = img.shape[:2]
    scale = min(1.0, DET_MAX_SIDE / max(h, w))
    small = cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else img
    rgb = small if small.ndim == 3 else np.repeat(small[..., None], 3, axis=2)
    out = eng(rgb, use_det=True, use_cls=False, use_rec=False)
    boxes = getattr(out, "boxes", None)
    if boxes is None or len(boxes) == 0:
        return []
    res = []
    for b in boxes:
        pts = np.asarray(b, dtype=np.float64) / scale
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        res.append((max(0, int(x0)), max(0, int(y0)), min(w, int(np.ceil(x1))), min(h, int(np.ceil(y1)))))
    return res


def recognise(config: Config, crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence (0–1) of each line image, in order."""
    if not crops:
        return []
    eng = engine(config)
    rgb = [c if c.ndim == 3 else np.repeat(c[..., None], 3, axis=2) for c in crops]
    res = eng.recognize_txt(rgb)
    return [(t or "", float(s)) for t, s in zip(res.txts, res.scores, strict=True)]


def upside_down_share(config: Config, crops: list[np.ndarray]) -> float:
    """Share of line images the 0°/180° classifier calls upside down (confidently)."""
    if not crops:
        return 0.0
    eng = engine(config)
    rgb = [c if c.ndim == 3 else np.repeat(c[..., None], 3, axis=2) for c in crops]
    _imgs, res = eng.cls_and_rotate(rgb)
    labels = res.cls_res or []
    return sum(1 for lab, score in labels if lab == "180" and score >= 0.8) / max(len(labels), 1)
