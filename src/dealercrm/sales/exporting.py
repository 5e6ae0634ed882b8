"""`dealercrm export orders`: order lines with the import's columns, so the file imports back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from dealercrm.imports.exporting import CHUNK_SIZE, Exporter
from dealercrm.sales.importing import COLUMNS
from dealercrm.sales.models import OrderLine


class OrderExporter(Exporter):
    """Every order line of the company (or those of the user's customers), by order."""

    kind = "orders"

    def headers(self) -> Sequence[str]:
        return [column.header for column in COLUMNS]

    def queryset(self) -> QuerySet:
        if self.user is not None:
            lines = OrderLine.objects.visible_to(self.user)
        else:
            lines = OrderLine.objects.for_company(self.company)
        return lines.order_by("order_id", "id")

    def stream(self) -> Iterator[Any]:
        return (
            self.queryset()
            .values_list(
                "order__number",
                "date",
                "customer__code",
                "product__code",
                "quantity",
                "amount",
                "cost",
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )

    def row(self, instance: Any) -> list[Any]:
        number, date, customer, product, quantity, amount, cost = instance
        return [number, date.isoformat(), customer, product, quantity, amount, cost]
