"""Unit-name splitting, kinds and aliases; property-based against a simple reference."""
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.units import is_alias, split_units, unit_kind

CORE = st.text(alphabet="园林绿化水务财政体育商务教育农业农村气象交通市场监管规划资源文旅宣传", min_size=2, max_size=6)
PREFIX = st.sampled_from(["区", "市"])
SUFFIX = st.sampled_from(["局", "委", "办"])
DEPT = st.builds(lambda p, c, s: p + c + s, PREFIX, CORE, SUFFIX)
COLLECTIVE = st.sampled_from(["各镇街", "相关单位", "各街镇", "有关部门", "相关镇街"])
SEP = st.sampled_from(["、", "，", "；", "\n", " ", "、\n"])


@settings(max_examples=200)
@given(st.lists(st.one_of(DEPT, COLLECTIVE), min_size=1, max_size=6, unique=True), st.data())
def test_split_recovers_any_separated_list(names, data):
    text = names[0]
    for n in names[1:]:
        text += data.draw(SEP) + n
    assert split_units(text) == names


@settings(max_examples=200)
@given(st.lists(DEPT, min_size=2, max_size=4, unique=True))
def test_glued_names_split_at_known_names(names):
    # reference: names written one after another with nothing between them come apart again
    assert split_units("".join(names), known=names) == names


@settings(max_examples=100)
@given(st.lists(DEPT, min_size=2, max_size=4, unique=True))
def test_glued_names_split_without_a_directory(names):
    # without any directory the suffix/prefix rule cuts "…局区…" / "…委市…" boundaries
    assert split_units("".join(names)) == names


@given(DEPT, st.sampled_from(["等", "等部门", "等单位", "牵头", "负责", "配合", "等负责"]))
def test_role_words_are_not_part_of_a_name(name, tail):
    assert split_units(name + tail) == [name]


def test_examples():
    assert split_units("区市场监管局区商务局") == ["区市场监管局", "区商务局"]
    assert split_units("市委组织部、市人力资源和社会保障局，各区、县级市") == [
        "市委组织部", "市人力资源和社会保障局", "各区、县级市"]
    assert split_units("区绿化市容局等相关部门，各街镇") == ["区绿化市容局", "相关部门", "各街镇"]
    assert split_units("区文化和旅游局") == ["区文化和旅游局"]          # 和 inside a name is not a separator
    assert split_units("") == []


def test_kinds():
    for c in ["各镇街", "相关单位", "各区、县级市", "相关镇街和景区", "各有关单位", "有关部门"]:
        assert unit_kind(c) == "collective", c
    for d in ["区气象局", "百花山管理处", "生态环境部", "区委宣传部", "市留交办"]:
        assert unit_kind(d) == "department", d


def test_aliases():
    assert is_alias("区园林局", "区园林绿化局")
    assert is_alias("区文旅局", "区文化和旅游局")
    assert is_alias("区房管局", "区住房保障房屋管理局")
    assert not is_alias("区气象局", "区生态环境局")
    assert not is_alias("市园林局", "区园林绿化局")       # another level is another unit
    assert not is_alias("区园林绿化局", "区园林局")        # only the short form is an alias


@given(DEPT)
def test_a_name_is_not_its_own_alias(name):
    assert not is_alias(name, name)
