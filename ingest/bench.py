"""Ingestion speed per page for text PDFs, scanned pages (OCR) and OFD, and the install size of the
format dependencies. Prints a table; nothing is asserted.

Example:
    OMP_NUM_THREADS=1 python -m ingest.bench ../shared/real-formats
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .pipeline import parse_file

PY_PACKAGES = ["pdfplumber", "pdfminer", "pypdfium2", "pypdfium2_raw", "rapidocr_onnxruntime", "cv2",
               "opencv_python.libs", "shapely", "shapely.libs", "pyclipper"]
DEB_PACKAGES = ["libreoffice-writer-nogui", "libreoffice-calc-nogui", "libreoffice-core-nogui", "libreoffice-common"]


def _pages(doc) -> int:
    return max(1, len(doc.page_starts))


def time_files(files: list[Path]) -> tuple[float, int]:
    """Seconds and pages over ``files`` (parse_file, all stages)."""
    total, pages = 0.0, 0
    for f in files:
        t = time.perf_counter()
        doc = parse_file(f)
        total += time.perf_counter() - t
        pages += _pages(doc)
    return total, pages


def make_scan(src: Path, out: Path, n_pages: int = 3, scale: float = 2.0) -> Path:
    """An image-only PDF of the first pages of ``src`` (each page rendered to an image)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(src))
    images = [doc[i].render(scale=scale).to_pil().convert("RGB") for i in range(min(n_pages, len(doc)))]
    doc.close()
    images[0].save(out, "PDF", resolution=72 * scale, save_all=True, append_images=images[1:])
    return out


def site_size_mb() -> dict[str, float]:
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    out = {}
    for name in PY_PACKAGES:
        p = site / name
        if p.exists():
            out[name] = sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 1048576
    return out


def deb_size_mb() -> dict[str, float]:
    if not shutil.which("dpkg-query"):
        return {}
    out = {}
    for pkg in DEB_PACKAGES:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Installed-Size}", pkg], capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip().isdigit():
            out[pkg] = int(r.stdout) / 1024
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="folder with PDF and OFD files (../shared/real-formats)")
    ap.add_argument("--scan-pages", type=int, default=3)
    args = ap.parse_args(argv)
    pdfs = sorted(args.folder.glob("*.pdf"))
    ofds = sorted(args.folder.glob("*.ofd"))
    rows = []
    if pdfs:
        s, n = time_files(pdfs)
        rows.append(("text PDF (pdfplumber, all stages)", len(pdfs), n, s))
        with tempfile.TemporaryDirectory() as d:
            scan = make_scan(pdfs[0], Path(d) / "scan.pdf", args.scan_pages)
            s, n = time_files([scan])
            rows.append(("scanned PDF (render + OCR, all stages)", 1, n, s))
    if ofds:
        s, n = time_files(ofds)
        rows.append(("OFD (lxml, all stages)", len(ofds), n, s))
    print("| input | files | pages | total s | ms per page |\n|---|---|---|---|---|")
    for name, files, pages, secs in rows:
        print(f"| {name} | {files} | {pages} | {secs:.2f} | {secs / pages * 1000:.0f} |")
    py = site_size_mb()
    deb = deb_size_mb()
    print(f"\nPython packages added: {sum(py.values()):.0f} MB ({', '.join(f'{k} {v:.0f}' for k, v in py.items())})")
    if deb:
        print(f"Debian packages (LibreOffice, optional): {sum(deb.values()):.0f} MB installed "
              f"({', '.join(f'{k} {v:.0f}' for k, v in deb.items())}; plus their dependencies)")
    print("OCR models: bundled in the rapidocr-onnxruntime wheel" if importlib.util.find_spec("rapidocr_onnxruntime")
          else "rapidocr-onnxruntime not installed")


if __name__ == "__main__":
    main()
