"""Pinyin keys for search: 华鑫超市 → full 'huaxinchaoshi', initials 'hxcs'."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full pinyin and initials of the Chinese characters in text (other characters kept, lower)."""
    if not text:
        return "", ""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars))
    syllables = [s.lower() for s in syllables if s.strip()]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return full, initials
