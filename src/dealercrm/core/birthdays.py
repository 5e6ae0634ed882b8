"""Birthdays as dealers write them: a solar date, or a lunar (农历) month and day.

Text forms accepted (and written back by `Birthday.format`):
  solar: 1975-08-15, 1975/8/15, 1975年8月15日, or without a year 08-15, 8月15日
  lunar: 农历八月十五, 农历闰四月初八, 农历1975年八月十五, 农历8月15 (阴历 is accepted for 农历)

On which solar day a birthday falls in a given year (`Birthday.next_on_or_after`,
`Birthday.dates_in`), by these rules:
- a lunar birthday in a leap month (闰月) is kept in the leap month in a lunar year that has that
  leap month, and otherwise celebrated in the ordinary month of the same number (常规做法);
  a birthday in an ordinary month stays in the ordinary month in a year with that leap month;
- a lunar birthday on the 30th of a month that has only 29 days that year falls on the 29th (the
  month's last day); day 0 means the last day of the month (除夕 is the last day of the 12th);
- a solar birthday on Feb 29 falls on Feb 28 in a year that is not a leap year;
- a lunar date of lunar year Y may fall in January or February of solar year Y + 1, so the dates
  "in" a solar year are those of lunar years Y − 1 and Y that fall within it: usually one, but
  a date late in the 11th or 12th month can fall twice in one solar year or not at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lunar_python import Lunar, LunarYear

SOLAR = "solar"
LUNAR = "lunar"

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_MONTH_NAMES = {"正": 1, "冬": 11, "腊": 12, "臘": 12}
_MONTH_TEXT = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
_DAY_TEXT = (
    ["初" + d for d in "一二三四五六七八九十"]
    + ["十" + d for d in "一二三四五六七八九"]
    + ["二十"]
    + ["廿" + d for d in "一二三四五六七八九"]
    + ["三十"]
)

_SOLAR_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SOLAR_MONTH_DAY = re.compile(r"^-{0,2}(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LUNAR = re.compile(
    r"^(?:农历|阴历|農曆)\s*(?:(\d{4})\s*年)?\s*(闰|閏)?\s*([0-9一二三四五六七八九十正冬腊臘]+)\s*月"
    r"\s*([0-9初一二三四五六七八九十廿卅]+)\s*日?$"
)


@lru_cache(maxsize=4096)
def _lunar_month(year: int, month: int, leap: bool) -> tuple[dt.date, int]:
    """(solar date of the 1st, days in the month) of lunar `month` of lunar `year`; a leap month
    the year does not have is the ordinary month of that number."""
    leap = leap and LunarYear.fromYear(year).getLeapMonth() == month
    number = -month if leap else month
    first = Lunar.fromYmd(year, number, 1).getSolar()
    days = LunarYear.fromYear(year).getMonth(number).getDayCount()
    return dt.date(first.getYear(), first.getMonth(), first.getDay()), days


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of lunar year/month/day by the rules in the module docstring (a leap month
    the year lacks → the ordinary month; a day past the month's end or 0 → its last day)."""
    first, days = _lunar_month(year, month, leap)
    if day <= 0 or day > days:
        day = days
    return first + dt.timedelta(days=day - 1)


def solar_in_year(year: int, month: int, day: int) -> dt.date:
    """Month/day in a solar year; Feb 29 is Feb 28 in a year that is not a leap year."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def lunar_text(month: int, day: int, leap: bool = False) -> str:
    """农历八月十五, 农历闰四月初八; day 0 reads 最后一天 (the month's last day)."""
    day_text = _DAY_TEXT[day - 1] if 1 <= day <= 30 else "最后一天"
    return f"农历{'闰' if leap else ''}{_MONTH_TEXT[month - 1]}月{day_text}"


def calendar_dates_in(
    calendar_name: str, month: int, day: int, leap: bool, year: int
) -> list[dt.date]:
    """The solar dates in solar `year` on which a yearly solar or lunar month/day falls."""
    if calendar_name == SOLAR:
        return [solar_in_year(year, month, day)]
    found = [lunar_to_solar(lunar_year, month, day, leap) for lunar_year in (year - 1, year)]
    return [found_date for found_date in found if found_date.year == year]


def calendar_next(calendar_name: str, month: int, day: int, leap: bool, start: dt.date) -> dt.date:
    """The first solar date on or after `start` on which a yearly month/day falls."""
    for year in (start.year, start.year + 1):
        for found in calendar_dates_in(calendar_name, month, day, leap, year):
            if found >= start:
                return found
    # Unreachable for real dates: every yearly date falls at least once in any two years.
    return calendar_dates_in(calendar_name, month, day, leap, start.year + 2)[0]


def _chinese_number(text: str) -> int | None:
    """1-30 written as 5, 十五, 廿三, 初八, 卅, 三十; None if not a number."""
    if text.isdigit():
        return int(text)
    text = text.removeprefix("初")
    if text in _MONTH_NAMES:
        return _MONTH_NAMES[text]
    if text == "卅":
        return 30
    if text.startswith("廿"):
        ones = _DIGITS.get(text[1:]) if text[1:] else 0
        return None if ones is None else 20 + ones
    if "十" in text:
        tens_text, _sep, ones_text = text.partition("十")
        tens = _DIGITS.get(tens_text) if tens_text else 1
        ones = _DIGITS.get(ones_text) if ones_text else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    return _DIGITS.get(text)


@dataclass(frozen=True)
class Birthday:
    """A birthday; `year` may be unknown. For lunar dates `leap` marks a leap month (闰月)."""

    calendar: str
    month: int
    day: int
    year: int | None = None
    leap: bool = False

    @classmethod
    def parse(cls, value: object) -> Birthday | None:
        """Parse a cell or form value; None for blank. Raises ValidationError if impossible."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(SOLAR, value.month, value.day, value.year)
        text = str(value).strip()
        if not text:
            return None
        birthday = cls._parse_text(text)
        if birthday is None:
            raise ValidationError(
                _("“%(value)s” is not a birthday; write 1975-08-15 or 农历八月十五."),
                params={"value": text},
            )
        birthday.validate(text)
        return birthday

    @classmethod
    def _parse_text(cls, text: str) -> Birthday | None:
        if match := _SOLAR_FULL.match(text):
            year, month, day = (int(g) for g in match.groups())
            return cls(SOLAR, month, day, year)
        if match := _SOLAR_MONTH_DAY.match(text):
            month, day = (int(g) for g in match.groups())
            return cls(SOLAR, month, day)
        if match := _LUNAR.match(text):
            year_text, leap_text, month_text, day_text = match.groups()
            month = _chinese_number(month_text)
            day = _chinese_number(day_text)
            if month is None or day is None:
                return None
            year = int(year_text) if year_text else None
            return cls(LUNAR, month, day, year, leap=bool(leap_text))
        return None

    def validate(self, text: str = "") -> None:
        """Raise ValidationError if no such day exists."""
        shown = text or self.format()
        impossible = ValidationError(
            _("“%(value)s” is an impossible date."), params={"value": shown}
        )
        if not 1 <= self.month <= 12 or self.day < 1:
            raise impossible
        if self.year is not None and not 1900 <= self.year <= 2100:
            raise impossible
        if self.calendar == SOLAR:
            if self.leap:
                raise impossible
            days_in_month = calendar.monthrange(self.year or 2000, self.month)[1]
            if self.day > days_in_month:
                raise impossible
            if self.year is not None and dt.date(self.year, self.month, self.day) > dt.date.today():
                raise ValidationError(_("“%(value)s” is in the future."), params={"value": shown})
            return
        if self.day > 30:
            raise impossible
        if self.year is not None:
            lunar_year = LunarYear.fromYear(self.year)
            if self.leap and lunar_year.getLeapMonth() != self.month:
                raise ValidationError(
                    _("“%(value)s”: lunar year %(year)s has no leap month %(month)s."),
                    params={"value": shown, "year": self.year, "month": self.month},
                )
            lunar_month = lunar_year.getMonth(-self.month if self.leap else self.month)
            if self.day > lunar_month.getDayCount():
                raise impossible

    def dates_in(self, year: int) -> list[dt.date]:
        """The solar dates on which the birthday falls in solar `year` (see the module
        docstring: one, or for a late lunar date possibly two or none)."""
        return calendar_dates_in(self.calendar, self.month, self.day, self.leap, year)

    def next_on_or_after(self, start: dt.date) -> dt.date:
        """The first solar date on or after `start` on which the birthday is celebrated."""
        return calendar_next(self.calendar, self.month, self.day, self.leap, start)

    def lunar_text(self) -> str:
        """农历八月十五 (no year) for a lunar birthday, "" for a solar one."""
        return lunar_text(self.month, self.day, self.leap) if self.calendar == LUNAR else ""

    def format(self) -> str:
        """The canonical text form, which `parse` reads back to the same Birthday."""
        if self.calendar == SOLAR:
            if self.year is None:
                return f"{self.month:02d}-{self.day:02d}"
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        year = f"{self.year}年" if self.year else ""
        leap = "闰" if self.leap else ""
        return f"农历{year}{leap}{_MONTH_TEXT[self.month - 1]}月{_DAY_TEXT[self.day - 1]}"

    def __str__(self) -> str:
        return self.format()
