import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dealercrm.core.phones import normalize_phone
from dealercrm.customers.importing import COLUMNS, parse_brands
from dealercrm.imports import cells
from dealercrm.imports.engine import ErrorList


def _parse(key, value):
    return COLUMNS.by_key[key].parse(value)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("50万", Decimal("500000.00")),
        ("1.5万元", Decimal("15000.00")),
        ("1.2亿", Decimal("120000000.00")),
        ("8,000", Decimal("8000.00")),
        (8000.5, Decimal("8000.50")),
        ("3千", Decimal("3000.00")),
    ],
)
def test_capital_reads_chinese_units(written, stored):
    assert _parse("capital", written) == stored


@pytest.mark.parametrize("written", ["很多", "-5", "1e20"])
def test_capital_refuses_what_is_not_an_amount(written):
    with pytest.raises(ValidationError):
        _parse("capital", written)


def test_areas_drop_their_unit_and_round_to_the_field():
    assert _parse("business_area", "120㎡") == Decimal("120.0")
    assert _parse("warehouse_area", "85.26平方米") == Decimal("85.3")


def test_counts_are_whole_numbers():
    assert _parse("staff_count", "12") == 12
    assert _parse("staff_count", 12.0) == 12
    for bad in ("12.5", "-1", "十二"):
        with pytest.raises(ValidationError):
            _parse("staff_count", bad)


def test_coordinates_are_checked_against_their_range():
    assert _parse("latitude", "32.123456") == Decimal("32.123456")
    with pytest.raises(ValidationError):
        _parse("latitude", "91")
    with pytest.raises(ValidationError):
        _parse("longitude", "-180.5")


def test_kind_and_channel_accept_chinese_names_and_codes():
    assert _parse("kind", "分销商") == _parse("kind", "Distributor") == "distributor"
    assert _parse("channel", "商超/KA") == _parse("channel", "KA") == "ka"
    assert _parse("channel", "批发档口") == "wholesale"
    with pytest.raises(ValidationError):
        _parse("kind", "厂家")


def test_brands_split_on_every_separator_once_each():
    assert parse_brands("金龙鱼、鲁花,福临门；海天/金龙鱼 ， 李锦记") == (
        "金龙鱼",
        "鲁花",
        "福临门",
        "海天",
        "李锦记",
    )


def test_birthdays_read_text_lunar_and_excel_dates():
    assert _parse("owner_birthday", "1975-08-15").format() == "1975-08-15"
    assert _parse("owner_birthday", "农历八月十五").format() == "农历八月十五"
    assert _parse("owner_birthday", dt.datetime(1975, 8, 15)).format() == "1975-08-15"
    with pytest.raises(ValidationError):
        _parse("owner_birthday", "1975-02-30")


@pytest.mark.parametrize(
    "number",
    ["13812345678", "138 1234 5678", "+86 138-1234-5678", "17400012345", "19912345678"],
)
def test_phone_cells_read_as_the_shared_validator_reads_them(number):
    expected = normalize_phone(number)
    assert cells.phone(number) == expected
    assert cells.phone(number) == expected  # the second pass reads it from memory


@pytest.mark.parametrize("number", ["14012345678", "12012345678", "1381234"])
def test_phone_cells_refuse_what_the_shared_validator_refuses(number):
    for _attempt in range(2):
        with pytest.raises(ValidationError):
            cells.phone(number)


def test_headers_match_chinese_english_and_annotated_names():
    errors = ErrorList()
    found = COLUMNS.match_header(
        ["客户编码*", "Name", "客户类型 (分销商/终端/消费者)", "PARENT_CODE", "客户等级", ""],
        errors,
    )
    assert not errors
    assert [c.key if c else None for c in found] == [
        "code",
        "name",
        "kind",
        "parent_code",
        "abc_class",
        None,
    ]


def test_cell_text_reads_excel_numbers_as_written():
    assert cells.cell_text(1001.0) == "1001"
    assert cells.cell_text(12.5) == "12.5"
    assert cells.cell_text(dt.datetime(2024, 1, 2)) == "2024-01-02"
