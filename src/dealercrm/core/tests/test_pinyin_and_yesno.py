import pytest
from django.core.exceptions import ValidationError

from dealercrm.core.pinyin import pinyin_keys, pinyin_sort_key
from dealercrm.core.yesno import parse_yes_no


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [("华鑫超市", "huaxinchaoshi", "hxcs"), ("重庆百货", "chongqingbaihuo", "cqbh")],
)
def test_names_get_full_pinyin_and_initials(name, full, initials):
    assert pinyin_keys(name) == (full, initials)


@pytest.mark.parametrize(("cell", "value"), [("是", True), ("否", False), ("有", True), ("", None)])
def test_yes_no_cells(cell, value):
    assert parse_yes_no(cell) is value


def test_another_word_in_a_yes_no_cell_is_an_error():
    with pytest.raises(ValidationError):
        parse_yes_no("可能")


@pytest.mark.parametrize(
    "name",
    ["王记超市12", "王记超市13", "长沙银行 A店", "重庆火锅（2号）", "ÀB·〇食杂店", "  ", "行长3行"],
)
def test_pinyin_is_what_pypinyin_gives_for_the_whole_name(name):
    # The reference converts the whole text at once; pinyin_keys converts and remembers runs.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars))
    syllables = [s.lower() for s in syllables if s.strip()]
    expected = ("".join(syllables), "".join(s[0] for s in syllables if s[0].isalnum()))
    assert pinyin_keys(name) == expected


def test_names_sort_by_pinyin_as_a_chinese_reader_expects():
    # By code point 何 (U+4F55) < 刘 < 王 < 陈 (U+9648); by pinyin chen < he < liu < wang.
    names = ["王磊", "何伟", "刘晓燕", "陈刚", "Li Ming", "张三"]
    expected = ["陈刚", "何伟", "Li Ming", "刘晓燕", "王磊", "张三"]
    assert sorted(names, key=pinyin_sort_key) == expected
