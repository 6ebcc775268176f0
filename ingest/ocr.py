"""Offline OCR of page images with rapidocr-onnxruntime (PP-OCRv4 Chinese models bundled in its
wheel: nothing downloads). Text boxes are ordered into lines (boxes whose vertical centres are
close form one line, read left to right) and lines into paragraphs by the cleaner, as PDF lines.

Example:
    >>> lines = ocr_image(Path("盖章件.png"))
    >>> lines[0]
    '某区人民政府文件'
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

RENDER_SCALE = 2.0        # 144 dpi: an A4 page stays under the engine's 2000-px side limit (no resize)


@dataclass(frozen=True)
class OcrBox:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    threads = int(os.environ.get("POLICYKB_OCR_THREADS", os.environ.get("OMP_NUM_THREADS", "0")) or 0)
    kwargs = {}
    if threads > 0:
        kwargs = {"intra_op_num_threads": threads, "inter_op_num_threads": 1}
    return RapidOCR(**kwargs)


def ocr_boxes(image: np.ndarray) -> list[OcrBox]:
    """Text boxes of an RGB/BGR image array, in no particular order."""
    result, _ = _engine()(image)
    out = []
    for box, text, score in result or []:
        xs = [pt[0] for pt in box]
        ys = [pt[1] for pt in box]
        if str(text).strip():
            out.append(OcrBox(str(text).strip(), min(xs), min(ys), max(xs), max(ys), float(score)))
    return out


def order_lines(boxes: list[OcrBox]) -> list[str]:
    """Group boxes into visual lines (top to bottom), each read left to right."""
    rows: list[list[OcrBox]] = []
    for b in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        cy, h = (b.y0 + b.y1) / 2, b.y1 - b.y0
        if rows:
            last = rows[-1]
            ly = sum((x.y0 + x.y1) / 2 for x in last) / len(last)
            lh = sum(x.y1 - x.y0 for x in last) / len(last)
            if abs(cy - ly) < 0.5 * min(h, lh):
                last.append(b)
                continue
        rows.append([b])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        parts = [row[0].text]
        for prev, cur in zip(row, row[1:]):
            gap = cur.x0 - prev.x1
            parts.append(("\t" if gap > 4 * (cur.y1 - cur.y0) else "") + cur.text)
        lines.append("".join(parts).replace("\t", " "))
    return lines


def ocr_image_array(image: np.ndarray) -> list[str]:
    return order_lines(ocr_boxes(image))


def ocr_image(path: Path) -> list[str]:
    """Lines of text in an image file (.png/.jpg/.tif); a multi-page TIFF is read page by page,
    pages separated by a form feed line."""
    from PIL import Image, ImageSequence

    from .progress import report

    out: list[str] = []
    with Image.open(path) as im:
        total = getattr(im, "n_frames", 1)
        for k, frame in enumerate(ImageSequence.Iterator(im)):
            if k:
                out.append("\f")
            report(path, k + 1, total)
            out.extend(ocr_image_array(np.array(frame.convert("RGB"))))
    return out


def render_page(page, scale: float = RENDER_SCALE) -> np.ndarray:
    """A pypdfium2 page as an RGB array."""
    bitmap = page.render(scale=scale)
    return np.array(bitmap.to_pil().convert("RGB"))


def ocr_pdf_page(page) -> list[str]:
    """Lines of a PDF page without a text layer (a pypdfium2 page)."""
    return ocr_image_array(render_page(page))
