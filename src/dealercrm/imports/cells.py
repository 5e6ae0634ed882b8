"""Reading one spreadsheet cell into a Python value, with a clear error when it cannot be read.

Every parser takes the raw cell (a str from a CSV; str, float, bool or date from an .xlsx) that is
known not to be blank, and returns the value or raises ValidationError. Limits (lengths, digits)
come from the model field, so a rule exists once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from dealercrm.core.birthdays import Birthday
from dealercrm.core.phones import display_phone, normalize_phone
from dealercrm.core.yesno import parse_yes_no

Parser = Callable[[Any], Any]

# Chinese number units a dealer writes in amounts: 50万 = 500,000; 1.2亿 = 120,000,000.
_UNITS = {"千": Decimal(1_000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2", "平")


def cell_text(value: Any) -> str:
    """The text of a cell: 1001.0 (a number typed in Excel) reads as "1001"."""
    if type(value) is str:  # every cell of a CSV file
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(field: models.Field) -> Parser:
    """Free text, at most the field's max_length characters."""
    limit = field.max_length

    def parse(value: Any) -> str:
        result = cell_text(value)
        if limit and len(result) > limit:
            raise ValidationError(
                _("Too long: %(length)s characters, at most %(limit)s."),
                params={"length": len(result), "limit": limit},
            )
        return result

    return parse


def choice(labels: Mapping[str, str], shown: Iterable[str] = ()) -> Parser:
    """One of a set of words (Chinese labels or English codes, case-insensitive) → stored code.

    `shown` are the words an error message lists (default: all of them).
    """
    lookup = {label.casefold(): code for label, code in labels.items()}
    listed = "、".join(shown or dict.fromkeys(labels))

    def parse(value: Any) -> str:
        word = cell_text(value)
        code = lookup.get(word.casefold()) or lookup.get(word.replace(" ", "").casefold())
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s."),
                params={"value": word, "choices": listed},
            )
        return code

    return parse


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValidationError(_("“%(value)s” is not a number."), params={"value": value})
    if isinstance(value, int | float):
        return repr(value)
    return cell_text(value).replace(",", "").replace("，", "").replace(" ", "")


def _to_decimal(raw: Any, text_value: str) -> Decimal:
    try:
        number = Decimal(text_value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("“%(value)s” is not a number."), params={"value": cell_text(raw)})
    return number


def integer(field: models.Field) -> Parser:
    """A whole number ≥ 0 (counts: staff, vehicles)."""

    def parse(value: Any) -> int:
        number = _to_decimal(value, _number_text(value).removesuffix("人").removesuffix("辆"))
        if number != number.to_integral_value():
            raise ValidationError(
                _("“%(value)s” is not a whole number."), params={"value": cell_text(value)}
            )
        if number < 0 or number > 2_147_483_647:
            raise ValidationError(
                _("“%(value)s” is out of range."), params={"value": cell_text(value)}
            )
        return int(number)

    return parse


def decimal(field: models.DecimalField, *, units: bool = False, area: bool = False) -> Parser:
    """A number ≥ 0 rounded to the field's decimal places (half up).

    With units, 万 / 亿 / 千 multiply (50万 → 500000) and a trailing 元 is dropped; with area, a
    trailing 平方米 / 平米 / ㎡ is dropped.
    """
    places = Decimal(1).scaleb(-field.decimal_places)
    ceiling = Decimal(10) ** (field.max_digits - field.decimal_places)

    def parse(value: Any) -> Decimal:
        text_value = _number_text(value)
        factor = Decimal(1)
        if units:
            text_value = text_value.removesuffix("元")
            if text_value[-1:] in _UNITS:
                factor = _UNITS[text_value[-1]]
                text_value = text_value[:-1]
        if area:
            for suffix in _AREA_UNITS:
                text_value = text_value.removesuffix(suffix)
        number = (_to_decimal(value, text_value) * factor).quantize(places, ROUND_HALF_UP)
        if number < 0 or number >= ceiling:
            raise ValidationError(
                _("“%(value)s” is out of range."), params={"value": cell_text(value)}
            )
        return number

    return parse


def coordinate(field: models.DecimalField, limit: int) -> Parser:
    """A latitude (limit 90) or longitude (limit 180) in degrees."""
    places = Decimal(1).scaleb(-field.decimal_places)

    def parse(value: Any) -> Decimal:
        number = _to_decimal(value, _number_text(value)).quantize(places, ROUND_HALF_UP)
        if not -limit <= number <= limit:
            raise ValidationError(
                _("“%(value)s” is not between -%(limit)s and %(limit)s."),
                params={"value": cell_text(value), "limit": limit},
            )
        return number

    return parse


@lru_cache(maxsize=200_000)
def _normalized_phone(text: str) -> str:
    return normalize_phone(text)


def phone(value: Any) -> str:
    """core.phones.normalize_phone; a file's numbers are remembered between its two passes
    (landlines cost a phonenumbers parse each; mobiles are fast in normalize_phone itself)."""
    return _normalized_phone(cell_text(value))


def yes_no(value: Any) -> bool | None:
    """是 / 否 (core.yesno)."""
    if isinstance(value, float) and value in (0.0, 1.0):
        return bool(value)
    return parse_yes_no(value)


@lru_cache(maxsize=65_536)
def _birthday(text: str) -> Birthday | None:
    return Birthday.parse(text)


def birthday(value: Any) -> Birthday | None:
    """1975-08-15, 农历八月十五, or an Excel date cell (core.birthdays); a birthday is an
    immutable value, so the same text is read once."""
    if isinstance(value, dt.date | dt.datetime):
        return Birthday.parse(value)
    return _birthday(cell_text(value))


show_phone = display_phone
