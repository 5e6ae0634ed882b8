"""Chinese phone numbers: validated with phonenumbers, stored as E.164, shown in national format."""

from __future__ import annotations

import re
from functools import lru_cache

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


# An eleven-digit mobile, possibly written with spaces or dashes and a +86 / 0086 prefix.
_MOBILE = re.compile(r"(?:\+?86|0086)?(1\d{10})")
_SEPARATORS = str.maketrans("", "", " -()（）")


@lru_cache(maxsize=4096)
def _mobile_prefix_is_valid(prefix: str) -> bool:
    """Whether 11-digit mobiles starting with these five digits are valid and accepted.

    Chinese mobile ranges are allocated by their first three to five digits (e.g. 1740x), so the
    answer for one number of a prefix is the answer for all; asking phonenumbers once per prefix
    instead of once per number makes imports of many mobiles much faster.
    """
    number = phonenumbers.parse(prefix + "000000", "CN")
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.number_type(number) in ACCEPTED_TYPES
    )


def normalize_phone(raw: str | None) -> str:
    """Return the E.164 form of a Chinese mobile, landline, 400 or 800 number ('' for blank).

    Raises ValidationError naming the number when it is not one of those.
    """
    text = (raw or "").strip()
    if not text:
        return ""
    mobile = _MOBILE.fullmatch(text.translate(_SEPARATORS))
    if mobile and _mobile_prefix_is_valid(mobile.group(1)[:5]):
        return "+86" + mobile.group(1)
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), params={"value": text}
        ) from exc
    # number_type is UNKNOWN for an invalid number (is_valid_number asks the same question),
    # so one call answers both.
    if phonenumbers.number_type(number) not in ACCEPTED_TYPES:
        raise ValidationError(
            _("“%(value)s” is not a valid mobile, landline or 400 number."),
            params={"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(stored: str | None) -> str:
    """National format for a stored E.164 number (e.g. 138 1234 5678, 0371 6512 3456)."""
    if not stored:
        return ""
    if len(stored) == 14 and stored.startswith("+861"):
        # Mobiles group 3-4-4; formatting them here spares a parse per number in exports.
        return f"{stored[3:6]} {stored[6:10]} {stored[10:]}"
    try:
        number = phonenumbers.parse(stored, "CN")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_digits(stored: str | None) -> str:
    """The digits a user would type for a stored number (national form), for search.

    Read straight from the E.164 text: mobiles (1…), 400 and 800 numbers are dialled as they
    are, landlines with the trunk prefix 0 before the area code.
    """
    if not stored:
        return ""
    if not stored.startswith("+86"):
        return "".join(ch for ch in display_phone(stored) if ch.isdigit())
    national = stored[3:]
    return national if national.startswith(("1", "400", "800")) else "0" + national
