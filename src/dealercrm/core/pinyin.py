"""Pinyin keys for search (华鑫超市 → full 'huaxinchaoshi', initials 'hxcs') and for sorting names
as a Chinese reader expects (by pinyin, not by code point)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg.simpleseg import simple_seg


@lru_cache(maxsize=65_536)
def _syllables(run: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(run, style=Style.NORMAL, errors=lambda chars: list(chars)))


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full pinyin and initials of the Chinese characters in text (other characters kept, lower).

    pypinyin converts each run of Chinese characters on its own (and keeps other characters one
    by one), so each run is converted once and remembered: 王记超市12 and 王记超市13 share it.
    """
    if not text:
        return "", ""
    syllables = _text_syllables(text)
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return full, initials


def pinyin_sort_key(text: str) -> tuple[str, str]:
    """Sort key for names: by pinyin (何伟 before 刘晓燕 before 王磊; a Latin name among them by its
    letters), then by the characters themselves to separate homophones."""
    return "".join(_text_syllables(text or "")), text or ""


def _text_syllables(text: str) -> tuple[str, ...]:
    """Pinyin syllables of the Chinese runs, other characters one by one, lower case."""
    return tuple(
        s.lower()
        for run in simple_seg(text)
        for s in (_syllables(run) if RE_HANS.match(run) else run)
        if s.strip()
    )
