"""Chinese phone numbers: validated with phonenumbers, stored as E.164, shown in national format."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.SHARED_COST,  # 400 numbers
    phonenumbers.PhoneNumberType.TOLL_FREE,  # 800 numbers
}


def normalize_phone(raw: str | None) -> str:
    """Return the E.164 form of a Chinese mobile, landline, 400 or 800 number ('' for blank).

    Raises ValidationError naming the number when it is not one of those.
    """
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), params={"value": text}
        ) from exc
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.number_type(number) not in ACCEPTED_TYPES
    ):
        raise ValidationError(
            _("“%(value)s” is not a valid mobile, landline or 400 number."),
            params={"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(stored: str | None) -> str:
    """National format for a stored E.164 number (e.g. 138 1234 5678, 0371 6512 3456)."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, "CN")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_digits(stored: str | None) -> str:
    """The digits a user would type for a stored number (national form), for search."""
    return "".join(ch for ch in display_phone(stored) if ch.isdigit())
