"""Structure building is linear in the document: the table-region lookup and the span closing agree
with their brute-force definitions (property tests), and a 1, 5 and 30 MB text is structured with
the same tree per copy; the times are printed (no timed assertion)."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.model import Section
from ingest.structure import RegionCursor, _close_spans, build_sections
from ingest.tables import find_tables
from tests.conftest import corpus_file


def brute_region(regions, start, end):
    return next((r for r in regions if r[0] <= start < r[1] or r[0] <= start and end <= r[1]), None)


def brute_close(sections, text_end):
    for i, sec in enumerate(sections[1:], start=1):
        if sec.marker == "table":
            continue
        sec.end = next((n.start for n in sections[i + 1:] if n.level <= sec.level and n.start > sec.start), text_end)


REGIONS = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 60)), max_size=8).map(
    lambda rs: [(a, a + w, k) for k, (a, w) in enumerate(sorted(rs))])
LINES = st.lists(st.integers(0, 30), min_size=1, max_size=40)


@given(REGIONS, LINES)
def test_region_cursor_matches_first_matching_region(regions, lengths):
    cur, pos = RegionCursor(regions), 0
    for n in lengths:
        start, end = pos, pos + n
        pos = end + 1
        assert cur.at(start, end) == brute_region(regions, start, end)


@given(st.lists(st.tuples(st.integers(1, 5), st.booleans()), max_size=30))
def test_close_spans_matches_definition(levels):
    def tree():
        secs = [Section(id=0, title="t", level=0, marker="root", start=0, end=1000, parent=None)]
        for i, (level, table) in enumerate(levels, start=1):
            secs.append(Section(id=i, title=str(i), level=level, marker="table" if table else "cn1",
                                start=i * 10, end=i * 10 + 5, parent=0))
        return secs

    fast, slow = tree(), tree()
    _close_spans(fast, 1000)
    brute_close(slow, 1000)
    assert [(s.start, s.end) for s in fast] == [(s.start, s.end) for s in slow]


@settings(deadline=None, max_examples=1)
@given(st.just(None))
def test_spans_of_a_real_plan_match_definition(_):
    text = corpus_file("门头沟区_氧吧").read_text(encoding="utf-8")
    tree = build_sections(text, "氧吧", find_tables(text))
    fast = [(s.start, s.end) for s in tree.sections]
    brute_close(tree.sections, len(text))
    assert fast == [(s.start, s.end) for s in tree.sections]


def test_size_scaling_prints_times(capsys):
    one = corpus_file("门头沟区_氧吧").read_text(encoding="utf-8").strip() + "\n"
    base_tables = len(find_tables(one))
    base = build_sections(one, "氧吧", find_tables(one))
    lines = []
    for mb in (1, 5, 30):
        copies = max(1, mb * 1024 * 1024 // len(one.encode()))
        text = one * copies
        t = time.perf_counter()
        tables = find_tables(text)
        t_tables = time.perf_counter() - t
        t = time.perf_counter()
        tree = build_sections(text, "氧吧", tables)
        t_tree = time.perf_counter() - t
        lines.append(f"{len(text.encode()) / 2**20:5.1f} MB ({copies} copies, {len(tables)} tables, "
                     f"{len(tree.sections)} sections): find_tables {t_tables:.2f} s, build_sections {t_tree:.2f} s")
        assert len(tables) == base_tables * copies
        assert len(tree.table_sections) == len(tables)
        # the copies repeat the numbering, so each copy's sections join the same tree shape
        assert len(tree.sections) - 1 >= (len(base.sections) - 1) * copies // 2
    with capsys.disabled():
        print("\n" + "\n".join(lines))
