"""Scale benchmark: a 2,000-document corpus from ../shared material plus generated variants.

Usage:
    python -m eval.bench_scale [--out /tmp/scale] [--sizes 17,500,2000] [--embed-seconds 120]
    python -m eval.bench_scale --sizes 2000 --embed-seconds 0     # until every vector is ready

The corpus: every file of corpus/, ../shared/other-corpus, ../shared/other-corpus-2 and
../shared/ncp-dev/docs, then variants of them until there are 2,000: another district and its
department names substituted (门头沟区 -> 房山区 …, 区X局 kept as is), years shifted by 1-3, so each
variant is a different document with its own facts. The knowledge base grows in steps (17, 500,
2,000 documents); at each step it reports the time until every document is keyword-searchable
(``ingest(embed=False)``), answer latency p50/p95 over a fixed question list (warm, extractive),
the start-up time of a new process (open the KB, answer one question), peak RSS and disk size;
after the embedding run, the start-up time again (with vectors, so Chroma and the embedder load).
Vectors: the embedding worker runs for ``--embed-seconds`` at the end (0: until every vector is
ready) and its chunks/s (with the configured embedder) gives the projected time for the rest; then
answer latency again (dense search on the documents with vectors) and the start-up of a new process
with those vectors. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import dir_size, percentile

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "corpus", ROOT.parent / "shared" / "other-corpus", ROOT.parent / "shared" / "other-corpus-2",
           ROOT.parent / "shared" / "ncp-dev" / "docs"]
DISTRICTS = ["房山区", "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "丰台区",
             "石景山区", "海淀区", "朝阳区", "东城区", "西城区", "门头沟区"]
REGION = re.compile("|".join(DISTRICTS))
YEAR = re.compile(r"(20[12]\d)(?=年)")
QUESTIONS = ["万级负氧离子体验区由谁牵头？", "森林覆盖率要达到多少？", "区气象局牵头哪些任务？", "氧吧优品由哪个部门负责？",
             "门头沟区的重点任务有哪些？", "美丽朝阳建设的主要目标是什么？", "生态涵养区的生态保护有哪些措施？",
             "海绵城市建设由哪个部门负责？", "双随机一公开监管是什么？", "小微企业融资担保有什么支持政策？",
             "幼儿园治理工作什么时候完成？", "空气质量优良天数比例目标是多少？", "垃圾分类由谁牵头？",
             "什么时候完成老旧小区改造？", "延庆区氧吧建设的起草说明讲了什么？", "湿地保护率要达到多少？",
             "区园林局负责哪些任务？", "绿色发展的保障措施有哪些？", "水源保护由哪个单位配合？", "2025年底前要完成哪些任务？"]


def source_files() -> list[Path]:
    from kb.knowledge_base import iter_files

    return iter_files([s for s in SOURCES if s.is_dir()])


def variant(text: str, i: int) -> str:
    """The ``i``-th variant: district names rotated, years shifted by 1-3."""
    shift = 1 + i % 3
    text = REGION.sub(lambda m: DISTRICTS[(DISTRICTS.index(m.group(0)) + 1 + i) % len(DISTRICTS)], text)
    return YEAR.sub(lambda m: str(int(m.group(1)) + shift), text) + f"\n（变体 {i}）\n"


def build_corpus(out: Path, n: int) -> list[Path]:
    """``n`` files under ``out``: the sources first (corpus/ leading), then their variants."""
    out.mkdir(parents=True, exist_ok=True)
    src = source_files()
    files: list[Path] = []
    for k, p in enumerate(src[:n]):
        dest = out / f"{k:04d}_{p.name}"
        if not dest.exists():
            shutil.copy(p, dest)
            side = p.with_name(p.name + ".meta.yaml")
            if side.is_file():
                shutil.copy(side, dest.with_name(dest.name + ".meta.yaml"))
        files.append(dest)
    i = 0
    while len(files) < n:
        p = src[i % len(src)]
        dest = out / f"{len(files):04d}_v{i // len(src) + 1}_{p.name}"
        if not dest.exists():
            dest.write_text(variant(p.read_text(encoding="utf-8", errors="replace"), i), encoding="utf-8")
        files.append(dest)
        i += 1
    return files


def latency(bot) -> tuple[float, float]:
    for q in QUESTIONS[:3]:
        bot.ask(q)                                    # warm
    ms = []
    for q in QUESTIONS:
        t = time.perf_counter()
        bot.ask(q)
        ms.append((time.perf_counter() - t) * 1000)
    return percentile(ms, 50), percentile(ms, 95)


_STARTUP = """
import resource, sys, time
t = time.perf_counter()
from assistant import Assistant
from kb import Settings
bot = Assistant(Settings(kb_dir=sys.argv[1]))
bot.ask("森林覆盖率要达到多少？")
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def startup(kb_dir: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", _STARTUP, str(kb_dir)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    s, rss = out.stdout.split()[-2:]
    return float(s), float(rss)


def main(argv: list[str] | None = None) -> None:
    from assistant import Assistant
    from kb import KnowledgeBase, Settings
    from kb.embed_worker import EmbeddingWorker

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/policykb-scale", help="work folder: corpus/ and kb/ inside")
    ap.add_argument("--sizes", default="17,500,2000")
    ap.add_argument("--embed-seconds", type=float, default=120.0,
                    help="how long to run the embedding worker (0: until every vector is ready)")
    ap.add_argument("--fresh", action="store_true", help="start from an empty knowledge base")
    args = ap.parse_args(argv)
    out = Path(args.out)
    kb_dir = out / "kb"
    if args.fresh and kb_dir.exists():
        shutil.rmtree(kb_dir)
    sizes = [int(x) for x in args.sizes.split(",")]
    settings = Settings(kb_dir=kb_dir)
    kb = KnowledgeBase(settings)
    rows = []
    for n in sizes:
        t = time.perf_counter()
        files = build_corpus(out / "corpus", n)
        t_build = time.perf_counter() - t
        t = time.perf_counter()
        results = kb.ingest(files, embed=False)
        t_kw = time.perf_counter() - t
        errors = [r for r in results if r.status == "error"]
        stages = {}
        for r in results:
            for k, v in r.timings_ms.items():
                stages[k] = stages.get(k, 0.0) + v
        bot = Assistant(settings, kb=kb)
        p50, p95 = latency(bot)
        s_start, rss_start = startup(kb_dir)
        chunks_done, chunks, docs_done, docs = kb.registry.vector_progress()
        rows.append((n, docs, chunks, t_kw, p50, p95, s_start, rss_start, dir_size(kb_dir) / 2**20, docs_done))
        print(f"{n} files ({t_build:.1f} s to write): {docs} documents, {chunks} chunks, {len(errors)} errors; "
              f"keyword-searchable after {t_kw:.1f} s this step "
              f"({', '.join(f'{k} {v / 1000:.1f} s' for k, v in stages.items())}); "
              f"answers p50 {p50:.0f} ms p95 {p95:.0f} ms (dense on {docs_done} documents with vectors); "
              f"start-up {s_start:.1f} s, start-up RSS {rss_start:.0f} MiB; disk {dir_size(kb_dir) / 2**20:.0f} MiB",
              flush=True)
    # vectors: run the worker for a while and project
    worker = EmbeddingWorker(kb)
    done0 = kb.registry.vector_progress()[0]
    e0 = kb.embed_counts()[0]
    t = time.perf_counter()
    if args.embed_seconds > 0:
        deadline = t + args.embed_seconds
        while time.perf_counter() < deadline and worker.run_once():
            pass
    else:                                    # until done, as `policykb ingest` does, printing progress
        last = [t]

        def progress(p: tuple[int, int, int, int]) -> None:
            if time.perf_counter() - last[0] > 300:
                last[0] = time.perf_counter()
                print(f"  {last[0] - t:.0f} s: {kb.embed_counts()[0] - e0} chunks embedded, {p[0]}/{p[1]} stored, "
                      f"{p[2]}/{p[3]} documents ready", flush=True)
        worker.run_until_done(on_progress=progress)
    dt = time.perf_counter() - t
    embedded = kb.embed_counts()[0] - e0
    chunks_done, chunks, docs_done, docs = kb.registry.vector_progress()
    rate = embedded / dt if dt else 0.0
    remaining = chunks - chunks_done
    print(f"vectors: {embedded} chunks embedded in {dt:.0f} s = {rate:.2f} chunks/s "
          f"({chunks_done - done0} stored); {chunks_done}/{chunks} chunks, {docs_done}/{docs} documents ready; "
          f"projected time for the rest at this rate: {remaining / rate / 3600 if rate else float('inf'):.1f} h")
    print(f"embedding cache: {kb.cached_embeddings.embedded} texts embedded by the model, "
          f"{kb.cached_embeddings.cached} found in the cache (the same text in several documents)")
    # answers again, dense search on for the documents with vectors
    bot = Assistant(settings, kb=kb)
    p50, p95 = latency(bot)
    print(f"answers with vectors on {docs_done} documents: p50 {p50:.0f} ms p95 {p95:.0f} ms")
    # a new process again, now that documents have vectors: Chroma and the embedder load too
    for _ in range(3):
        s_vec, rss_vec = startup(kb_dir)
        print(f"start-up with vectors on {docs_done} documents: {s_vec:.1f} s, RSS {rss_vec:.0f} MiB; "
              f"disk {dir_size(kb_dir) / 2**20:.0f} MiB", flush=True)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("\n| documents | chunks | keyword-searchable (this step) | answer p50 | answer p95 | start-up | "
          "start-up RSS | disk |")
    print("|---|---|---|---|---|---|---|---|")
    for n, docs, chunks, t_kw, p50, p95, s_start, rss, disk, _ in rows:
        print(f"| {docs} | {chunks} | {t_kw:.0f} s | {p50:.0f} ms | {p95:.0f} ms | {s_start:.1f} s | {rss:.0f} MiB | "
              f"{disk:.0f} MiB |")


if __name__ == "__main__":
    main()
