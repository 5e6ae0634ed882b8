"""Birthdays as dealers write them: a solar date, or a lunar (农历) month and day.

Text forms accepted (and written back by `Birthday.format`):
  solar: 1975-08-15, 1975/8/15, 1975年8月15日, or without a year 08-15, 8月15日
  lunar: 农历八月十五, 农历闰四月初八, 农历1975年八月十五, 农历8月15 (阴历 is accepted for 农历)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lunar_python import LunarYear

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
