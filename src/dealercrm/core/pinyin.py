"""Pinyin keys for search: 华鑫超市 → full 'huaxinchaoshi', initials 'hxcs'."""

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
    syllables = [
        s.lower()
        for run in simple_seg(text)
        for s in (_syllables(run) if RE_HANS.match(run) else run)
        if s.strip()
    ]
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables if s[0].isalnum())
    return full, initials
