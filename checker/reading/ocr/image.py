"""Page images: decode, normalise size, remove a red seal, straighten.

All functions take and return numpy arrays (BGR colour or 8-bit grey), never files.
"""

from __future__ import annotations

import io

import cv2
import numpy as np

from checker.core.errors import ReadError

A4_LONG_IN = 11.69  # inches; a page image is scaled so its long side matches this at `dpi`
MAX_PIXELS = 60_000_000  # a page image larger than this is refused (decompression bomb)


def decode_image(data: bytes, max_pages: int = 200) -> list[np.ndarray]:
    """Every frame of an image file (multi-page TIFF gives several) as BGR arrays.

    A photo's EXIF orientation is applied, so a phone picture stands the way it was shot.
    """
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        im = Image.open(io.BytesIO(data))
        frames = []
        n = getattr(im, "n_frames", 1) or 1
        for i in range(min(n, max_pages)):
            if n > 1:
                im.seek(i)
            frame = ImageOps.exif_transpose(im) if i == 0 else im.copy()
            frames.append(_to_bgr(frame))
    except Image.DecompressionBombError as exc:
        raise ReadError("too_large", "图片像素过多（超过 6000 万像素），已拒绝读取。") from exc
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", "图片文件已损坏或不完整，无法打开。请重新扫描或导出后再提交。") from exc
    if not frames:
        raise ReadError("corrupt_file", "图片文件中没有可读取的图像。")
    return frames


def _to_bgr(im) -> np.ndarray:
    if im.mode in ("1", "L", "I;16", "I", "F"):
        arr = np.asarray(im.convert("L"))
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if im.mode in ("RGBA", "LA", "P", "PA"):  # transparent background → white
        rgba = im.convert("RGBA")
        bg = np.full((rgba.height, rgba.width, 3), 255, np.float32)
        a = np.asarray(rgba, np.float32)
        alpha = a[..., 3:4] / 255.0
        rgb = (a[..., :3] * alpha + bg * (1 - alpha)).astype(np.uint8)
        return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    return cv2.cvtColor(np.asarray(im.convert("RGB")), cv2.COLOR_RGB2BGR)


def normalise_size(img: np.ndarray, dpi: int) -> np.ndarray:
    """Scale so the long side is an A4 page's at `dpi` (never enlarged by more than 2×)."""
    h, w = img.shape[:2]
    target = A4_LONG_IN * dpi
    scale = target / max(h, w)
    if scale < 0.95:
        return cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    if scale > 1.3:  # a small photo: enlarge so characters reach the recogniser's size
        scale = min(scale, 2.0)
        return cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_CUBIC)
    return img


def red_mask(img: np.ndarray) -> np.ndarray:
    """Pixels of red ink (a seal, a red signature): red clearly above green and blue,
    including the light pink of a seal's faint edge."""
    b, g, r = (img[..., i].astype(np.int16) for i in range(3))
    return (r - np.maximum(g, b) > 25) & (r > 100)


def remove_seal(img: np.ndarray) -> tuple[np.ndarray, float]:
    """Grey page with red ink taken out; returns (grey, share of the page that was red).

    Where the seal is, the grey value is taken from the red channel: red ink is bright
    there, black text printed under the seal stays dark, so the text survives.
    """
    if img.ndim == 2:
        return img, 0.0
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    mask = red_mask(img)
    share = float(mask.mean())
    if share > 0:
        red = img[..., 2].astype(np.float32)
        # the seal's own ink is as bright in the red channel as this level: stretch it to white
        level = max(float(np.percentile(red[mask], 75)), 60.0)
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        lifted = np.clip(red * (255.0 / level), 0, 255).astype(np.uint8)
        grey = np.where(mask, np.maximum(grey, lifted), grey)
    return grey, share


def binarise(grey: np.ndarray, c: int = 15) -> np.ndarray:
    """Ink = 255. Adaptive threshold copes with uneven lighting in photos and grey scans;
    a smaller `c` keeps fainter marks (hairline table borders)."""
    block = max(15, (min(grey.shape[:2]) // 40) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, c)


def skew_angle(grey: np.ndarray, limit: float = 8.0) -> float:
    """Small tilt in degrees (counter-clockwise positive), found modulo 90°.

    Rotating the ink so rows and columns line up maximises the spread of the row and
    column ink profiles (text lines and ruling lines alike); coarse then fine search on
    a reduced image.
    """
    h, w = grey.shape[:2]
    scale = 800 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else grey
    ink = binarise(small)
    if ink.mean() < 0.5:  # blank page
        return 0.0
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rot.sum(axis=1, dtype=np.float64)
        cols = rot.sum(axis=0, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum() + np.square(np.diff(cols)).sum())

    best = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
    return float(round(fine, 2))


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees (counter-clockwise) about the centre, keeping the whole page, white fill."""
    if abs(angle) < 0.05:
        return img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill = 255 if img.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=fill)


def turn(img: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate by a multiple of 90° counter-clockwise."""
    k = quarter_turns % 4
    if k == 0:
        return img
    codes = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}
    return cv2.rotate(img, codes[k])
