"""Deadline normalisation: property-based over the phrasings used in plans."""
from hypothesis import given
from hypothesis import strategies as st

from ingest.deadlines import due_key, find_deadline, parse_deadline

YEAR = st.integers(2000, 2039)
MONTH = st.integers(1, 12)
CN_MONTH = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


@given(YEAR, MONTH, st.sampled_from(["", "底", "底前", "前", "份", "末"]))
def test_year_month(y, m, tail):
    d = parse_deadline(f"{y}年{m}月{tail}")
    assert (d.kind, d.due) == ("date", f"{y:04d}-{m:02d}")


@given(YEAR, MONTH)
def test_chinese_month(y, m):
    assert parse_deadline(f"{y}年{CN_MONTH[m - 1]}月").due == f"{y:04d}-{m:02d}"


@given(YEAR, st.sampled_from(["年底前", "年底", "年末", "年年底前"]))
def test_year_end(y, tail):
    assert parse_deadline(f"{y}{tail}").due == f"{y:04d}-12"


@given(YEAR, MONTH, st.integers(1, 28))
def test_full_date(y, m, d):
    assert parse_deadline(f"{y}年{m}月{d}日前").due == f"{y:04d}-{m:02d}-{d:02d}"


@given(YEAR, st.integers(1, 6), st.sampled_from(["-", "—", "至", "到"]))
def test_range_is_due_at_its_end(y, n, dash):
    assert parse_deadline(f"{y}{dash}{y + n}年").due == str(y + n)
    assert parse_deadline(f"{y}年{dash}{y + n}年").due == str(y + n)


@given(YEAR, st.integers(1, 4))
def test_quarter(y, q):
    assert parse_deadline(f"{y}年第{'一二三四'[q - 1]}季度").due == f"{y:04d}-{q * 3:02d}"


@given(st.sampled_from(["持续推进", "长期", "长期坚持", "每年", "常态化开展", "逐年推进", "持续实施"]))
def test_ongoing(word):
    d = parse_deadline(word)
    assert (d.kind, d.due) == ("ongoing", None)


@given(YEAR, MONTH)
def test_due_key_orders_like_dates(y, m):
    a, b = f"{y:04d}-{m:02d}", f"{y + 1:04d}"
    assert due_key(a) < due_key(b)
    assert due_key(f"{y:04d}") >= due_key(a)        # "2024" lasts to the end of the year


def test_find_deadline_in_prose():
    assert find_deadline("建立指标体系。2019年6月底前，研究建立以…").due == "2019-06"
    assert find_deadline("力争2023年底前发布全市及分区生态产品总值核算结果").due == "2023-12"
    # a target year of an indicator is not the task's deadline
    assert find_deadline("到2026年建成区公园绿地500米服务半径覆盖率达91%") is None
    assert parse_deadline("").kind == "none"
    assert parse_deadline("按计划推进").kind == "none"
