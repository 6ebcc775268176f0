"""What the version and status detection (``ingest.versions``) finds in folders of text files, with
no knowledge base: drafts, repeal clauses and revisions per file, and their counts.

    python -m eval.versions_scan ../shared/other-corpus-2 corpus

Example:
    >>> main(["corpus"])                                         # doctest: +SKIP
    共 5 份文件：征求意见稿/送审稿 2 份；含废止条款 0 份（0 项被废止文件）；修订 0 份
"""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.loaders import load_file
from ingest.metadata import detect_metadata
from ingest.versions import FINAL, detect


def main(argv: list[str] | None = None) -> int:
    """Print the detections for every .txt/.md file of the given folders (no knowledge base needed)."""

    argv = sys.argv[1:] if argv is None else argv
    files = [f for p in map(Path, argv) for f in (sorted(p.iterdir()) if p.is_dir() else [p])
             if f.suffix in (".txt", ".md")]
    counts = {"files": len(files), "drafts": 0, "repealing": 0, "repeals": 0, "revising": 0}
    for f in files:
        loaded = load_file(f)
        meta = detect_metadata(loaded.text, loaded.front_matter, filename=f.name)
        d = detect(loaded.text, meta.title)
        if d.status != FINAL:
            counts["drafts"] += 1
        counts["repealing"] += bool(d.repeals)
        counts["repeals"] += len(d.repeals)
        counts["revising"] += bool(d.revises)
        if d.status != FINAL or d.repeals or d.revises:
            print(f"{f.name}\n  状态：{d.status}{f'（{d.status_basis}）' if d.status_basis else ''}")
            for r in d.repeals:
                print(f"  废止：《{r.title}》{f'（{r.doc_number}）' if r.doc_number else ''} {r.verb}｜{r.sentence[:90]}")
            for r in d.revises:
                print(f"  修订：《{r.title}》｜{r.sentence[:90]}")
    print(f"共 {counts['files']} 份文件：征求意见稿/送审稿 {counts['drafts']} 份；含废止条款 {counts['repealing']} 份"
          f"（{counts['repeals']} 项被废止文件）；修订 {counts['revising']} 份")
    return 0


if __name__ == "__main__":
    sys.exit(main())
