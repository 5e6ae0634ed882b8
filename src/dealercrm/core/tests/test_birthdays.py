import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dealercrm.core.birthdays import LUNAR, SOLAR, Birthday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1975-08-15", Birthday(SOLAR, 8, 15, 1975)),
        ("1975/8/5", Birthday(SOLAR, 8, 5, 1975)),
        ("1975年8月15日", Birthday(SOLAR, 8, 15, 1975)),
        ("08-15", Birthday(SOLAR, 8, 15)),
        ("8月15日", Birthday(SOLAR, 8, 15)),
        ("农历八月十五", Birthday(LUNAR, 8, 15)),
        ("农历正月初一", Birthday(LUNAR, 1, 1)),
        ("农历腊月廿三", Birthday(LUNAR, 12, 23)),
        ("农历冬月三十", Birthday(LUNAR, 11, 30)),
        ("农历闰四月初八", Birthday(LUNAR, 4, 8, leap=True)),
        ("农历1975年八月十五", Birthday(LUNAR, 8, 15, 1975)),
        ("阴历8月15", Birthday(LUNAR, 8, 15)),
        ("农历2023年闰二月十五", Birthday(LUNAR, 2, 15, 2023, leap=True)),
    ],
)
def test_dealers_ways_of_writing_a_birthday_are_understood(text, expected):
    assert Birthday.parse(text) == expected


def test_excel_date_cells_are_solar_birthdays():
    assert Birthday.parse(dt.date(1980, 2, 29)) == Birthday(SOLAR, 2, 29, 1980)


@pytest.mark.parametrize(
    "text",
    [
        "1975-02-30",  # no 30 February
        "1981-02-29",  # not a leap year
        "13-01",  # no month 13
        "农历十三月初一",
        "农历2024年闰二月十五",  # 2024 has no leap second month (its leap month is none)
        "农历2023年闰三月初一",  # 2023's leap month is the second
        "2999-01-01",  # in the future
        "明天",
        "农历八月卅一",
    ],
)
def test_impossible_birthdays_are_refused(text):
    with pytest.raises(ValidationError):
        Birthday.parse(text)


def test_lunar_day_thirty_is_refused_when_that_years_month_has_29_days():
    # 农历2023年闰二月 has 29 days (it runs 2023-03-22 .. 2023-04-19).
    with pytest.raises(ValidationError):
        Birthday.parse("农历2023年闰二月三十")


def test_blank_is_no_birthday():
    assert Birthday.parse("  ") is None
    assert Birthday.parse(None) is None


@given(
    st.builds(
        Birthday,
        calendar=st.sampled_from([SOLAR, LUNAR]),
        month=st.integers(1, 12),
        day=st.integers(1, 28),
        year=st.none() | st.integers(1930, 2010),
        leap=st.just(False),
    )
)
def test_formatted_birthdays_read_back_unchanged(birthday):
    assert Birthday.parse(birthday.format()) == birthday
