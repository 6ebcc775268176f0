"""A second version of the 门头沟 氧吧 plan, made from the seed file for the version and diff tests:
exactly four changes, each in the task tables."""
from pathlib import Path

import pytest

from tests.conftest import CORPUS, CharNgramEmbeddings, corpus_file

SEED = corpus_file("门头沟区_氧吧")
VERSION_NAME = "门头沟区_氧吧三年行动计划_修订版"

# what the made version changes, as (kind, change, item, field, old, new)
EXPECTED = {
    ("任务", "修改", "融入区域活动载体", "完成时间", "2024年12月", "2025年6月"),
    ("任务", "修改", "开展“氧吧”相关标准研究", "配合单位", "区市场监管局", "区市场监管局、区园林绿化局"),
    ("任务", "删除", "推广“氧吧”标识", "", "制定《门头沟区“中国天然氧吧”专用标识使用管理办法》。", ""),
    ("指标", "修改", "微型气象景观观测站数量", "目标值", "20套", "30套"),
}


def _once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def make_version(folder: Path, date: str | None = "2025-01-15") -> Path:
    """Write the changed plan into ``folder`` (with a later date in its sidecar unless ``date`` is None)."""
    t = SEED.read_text(encoding="utf-8")
    a = t.index("举办首届“气象经济高端论坛”。")               # a changed deadline (2024 table, row 8)
    k = t.index("2024年12月", a)
    t = t[:k] + "2025年6月" + t[k + len("2024年12月"):]
    t = _once(t, "建设20套微型气象景观观测站", "建设30套微型气象景观观测站")      # a changed value
    t = _once(t, "\t11\n\t\n\t制定《门头沟区“中国天然氧吧”专用标识使用管理办法》。\n\t区气象局\n\t区市场监管局区商务局\n"
                 "\t2024年12月\n", "")                                              # a removed task
    t = _once(t, "完善“氧吧”相关标准。\n\t区气象局\n\t区市场监管局\n",
              "完善“氧吧”相关标准。\n\t区气象局\n\t区市场监管局\n区园林绿化局\n")      # a new co-unit
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / f"{VERSION_NAME}.txt"
    p.write_text(t, encoding="utf-8")
    if date:
        (folder / f"{VERSION_NAME}.txt.meta.yaml").write_text(f"date: {date}\n", encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def vkb(tmp_path_factory):
    """The seed corpus plus the made version, with the small stand-in embedder (import this fixture
    into a test module or conftest to use it)."""
    from kb import KnowledgeBase, Settings

    root = tmp_path_factory.mktemp("versions")
    version = make_version(root / "docs")
    kb = KnowledgeBase(Settings(kb_dir=root / "kb"), embeddings=CharNgramEmbeddings())
    assert all(r.status == "ingested" for r in kb.ingest([CORPUS, version]))
    return kb
