"""Exporting the catalogue with the import's columns, so the file imports back unchanged."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from dealercrm.core.yesno import format_yes_no
from dealercrm.imports.exporting import CHUNK_SIZE, Exporter
from dealercrm.products.filters import ProductFilter
from dealercrm.products.importing import COLUMNS
from dealercrm.products.models import Manufacturer, Product


def filters_from_query(user: Any, params: QueryDict) -> ProductFilter:
    """The product list's filter from its query parameters (the list page's own form)."""
    from dealercrm.products.forms import ProductFilterForm

    return ProductFilterForm(params, user=user).to_filter()


class ProductExporter(Exporter):
    """Products of a company (or those a user may see), optionally through a ProductFilter."""

    kind = "products"

    def headers(self) -> Sequence[str]:
        return [column.header for column in COLUMNS.exported]

    def queryset(self) -> QuerySet[Product]:
        if self.user is not None:
            products = Product.objects.visible_to(self.user)
        else:
            products = Product.objects.for_company(self.company)
        if self.filters is not None:
            return self.filters.apply(products, self.company.pk)
        return products.order_by("code")

    def stream(self) -> Iterator[Product]:
        # Manufacturers are few: read once by id rather than joined per row.
        self.makers = dict(
            Manufacturer.objects.filter(company_id=self.company.pk).values_list("pk", "name")
        )
        return self.queryset().select_related("brand").iterator(chunk_size=CHUNK_SIZE)

    def row(self, product: Product) -> list[Any]:
        brand = product.brand
        values = {
            "code": product.code,
            "name": product.name,
            "brand": brand.name,
            "manufacturer": self.makers.get(brand.manufacturer_id, ""),
            "spec": product.spec,
            "price": product.price,
            "competitor": format_yes_no(brand.is_competitor),
        }
        return [values[column.key] for column in COLUMNS.exported]
