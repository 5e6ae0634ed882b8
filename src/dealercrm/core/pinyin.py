"""Pinyin keys for search (华鑫超市 → full 'huaxinchaoshi', initials 'hxcs') and for sorting names
as a Chinese reader expects (by pinyin, not by code point)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from django.db.models import QuerySet
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg.simpleseg import simple_seg

T = TypeVar("T")


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


def in_pinyin_order(items: Iterable[T]) -> list[T]:
    """Items (people, mostly) sorted by the pinyin of their str(), as pickers list them."""
    return sorted(items, key=lambda item: pinyin_sort_key(str(item)))


def offer_in_pinyin_order(field: ModelChoiceField, queryset: QuerySet) -> None:
    """Give a model choice field its queryset, its options listed in pinyin order."""
    # The iterator first: setting the queryset builds the widget's choices with it.
    field.iterator = PinyinModelChoiceIterator
    field.queryset = queryset


class PinyinModelChoiceIterator(ModelChoiceIterator):
    """A model choice field's options in pinyin order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in in_pinyin_order(self.queryset):
            yield self.choice(obj)
