"""The yes/no cells of the import files (是/否, with the usual English and symbol spellings)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "沒有", "没有", "n", "no", "false", "0", "×", "✗"}


def parse_yes_no(value: object) -> bool | None:
    """True, False, or None for a blank cell. Raises ValidationError for any other word."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(_("“%(value)s” is not 是 or 否."), params={"value": str(value).strip()})


def format_yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")
