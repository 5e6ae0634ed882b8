"""The generic side of exports: an exporter gives headers, a row count and a stream of rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet

# Rows fetched (and related rows prefetched) per query while streaming.
CHUNK_SIZE = 2000


class Exporter:
    """One kind of export, for a whole company (user=None) or what a user may see.

    Subclasses set `kind`, and implement `headers`, `queryset` and `row`; they may override
    `stream` to prefetch per chunk.
    """

    kind: ClassVar[str] = ""

    def __init__(self, *, company: Any, user: Any = None, filters: Any = None) -> None:
        self.company = company
        self.user = user
        self.filters = filters

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def row(self, instance: Any) -> list[Any]:
        raise NotImplementedError

    def count(self) -> int:
        return self.queryset().count()

    def stream(self) -> Iterator[Any]:
        return self.queryset().iterator(chunk_size=CHUNK_SIZE)

    def rows(self) -> Iterator[list[Any]]:
        for instance in self.stream():
            yield self.row(instance)
