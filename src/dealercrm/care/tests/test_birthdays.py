"""The solar date a birthday falls on: leap months, the 30th of a short month, Feb 29, and the
lunar dates that fall in January or February of the next solar year.

Reference dates are from the published Chinese calendar (万年历), not from the code.
"""

from datetime import date

from dealercrm.core.birthdays import Birthday, lunar_to_solar


def lunar(month, day, leap=False):
    return Birthday("lunar", month, day, leap=leap)


def test_mid_autumn_and_spring_festival_fall_on_the_published_dates():
    assert lunar(8, 15).dates_in(2024) == [date(2024, 9, 17)]
    assert lunar(8, 15).dates_in(2025) == [date(2025, 10, 6)]
    assert lunar(1, 1).dates_in(2026) == [date(2026, 2, 17)]
    assert lunar(1, 1).dates_in(2025) == [date(2025, 1, 29)]


def test_a_leap_second_month_birthday_is_in_the_leap_month_of_2023():
    # 2023 has a leap 2nd month (闰二月 from 2023-03-22).
    assert lunar(2, 15, leap=True).dates_in(2023) == [date(2023, 4, 5)]
    assert lunar(2, 15).dates_in(2023) == [date(2023, 3, 6)]


def test_a_leap_month_birthday_falls_in_the_ordinary_month_in_a_year_without_that_leap_month():
    # 2024 has no leap month: 二月十五 is 2024-03-24.
    assert lunar(2, 15, leap=True).dates_in(2024) == [date(2024, 3, 24)]
    # 2025's leap month is the 6th, not the 2nd.
    assert lunar(2, 15, leap=True).dates_in(2025) == lunar(2, 15).dates_in(2025)


def test_the_leap_sixth_month_of_2025_and_the_leap_fourth_month_of_2020():
    assert lunar(6, 1, leap=True).dates_in(2025) == [date(2025, 7, 25)]
    assert lunar(6, 1).dates_in(2025) == [date(2025, 6, 25)]
    assert lunar(4, 8, leap=True).dates_in(2020) == [date(2020, 5, 30)]
    assert lunar(4, 8).dates_in(2020) == [date(2020, 4, 30)]


def test_the_30th_of_a_month_with_29_days_that_year_is_its_29th():
    # The 12th month of lunar 2024 has 29 days: 腊月三十 → 腊月廿九 = 2025-01-28 (除夕 2025).
    assert lunar(12, 30).dates_in(2025) == [date(2025, 1, 28)]
    assert lunar(12, 29).dates_in(2025) == [date(2025, 1, 28)]
    # The 12th month of lunar 2023 has 30 days: 腊月三十 = 2024-02-09.
    assert lunar(12, 30).dates_in(2024) == [date(2024, 2, 9)]


def test_day_zero_is_the_last_day_of_the_month():
    assert lunar_to_solar(2025, 12, 0) == date(2026, 2, 16)  # 除夕 2026
    assert lunar_to_solar(2024, 12, 0) == date(2025, 1, 28)


def test_february_29_is_celebrated_on_february_28_in_a_common_year():
    born = Birthday("solar", 2, 29, 1996)
    assert born.dates_in(2025) == [date(2025, 2, 28)]
    assert born.dates_in(2028) == [date(2028, 2, 29)]
    assert born.next_on_or_after(date(2027, 3, 1)) == date(2028, 2, 29)


def test_a_late_lunar_date_can_fall_twice_in_one_solar_year_or_not_at_all():
    # 冬月二十: of lunar 2023 on 2024-01-01 and of lunar 2024 on 2024-12-20; none in 2025.
    assert lunar(11, 20).dates_in(2024) == [date(2024, 1, 1), date(2024, 12, 20)]
    assert lunar(11, 20).dates_in(2025) == []
    assert lunar(11, 20).next_on_or_after(date(2025, 1, 1)) == date(2026, 1, 8)


def test_the_next_occurrence_is_the_day_itself_or_the_next_one():
    assert lunar(8, 15).next_on_or_after(date(2024, 9, 17)) == date(2024, 9, 17)
    assert lunar(8, 15).next_on_or_after(date(2024, 9, 18)) == date(2025, 10, 6)
    # Searching from New Year's Day finds last lunar year's 12th month first.
    assert lunar(12, 8).next_on_or_after(date(2025, 1, 1)) == date(2025, 1, 7)
