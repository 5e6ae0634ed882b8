"""The one definition of how the product list is filtered, for the page and the export."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dealercrm.products.choices import Ownership
from dealercrm.products.models import Product


@dataclass
class ProductFilter:
    """Free text `q` (code or name), then the brand (an id) and own / competitor."""

    q: str = ""
    brand: int | None = None
    ownership: str = ""

    def apply(self, queryset: QuerySet[Product], company_id: int) -> QuerySet[Product]:
        """Narrow a queryset that is already scoped (Product.objects.visible_to(user))."""
        text = self.q.strip()
        if text:
            queryset = queryset.filter(Q(code__icontains=text) | Q(name__icontains=text))
        if self.brand is not None:
            queryset = queryset.filter(brand_id=self.brand)
        if self.ownership == Ownership.OWN:
            queryset = queryset.filter(brand__is_competitor=False)
        elif self.ownership == Ownership.COMPETITOR:
            queryset = queryset.filter(brand__is_competitor=True)
        return queryset.order_by("code")
