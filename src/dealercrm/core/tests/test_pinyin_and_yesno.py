import pytest
from django.core.exceptions import ValidationError

from dealercrm.core.pinyin import pinyin_keys
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
