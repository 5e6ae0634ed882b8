"""A catalogue factory for tests of any app."""

from __future__ import annotations

from decimal import Decimal

from dealercrm.companies.models import Company
from dealercrm.products.models import Brand, Product


def make_product(
    company: Company,
    code: str,
    *,
    name: str = "测试产品",
    brand: str | Brand = "本品",
    is_competitor: bool = False,
    price: Decimal | str | None = None,
    spec: str = "",
) -> Product:
    """A product of the company; the brand (by name) is found or created with `is_competitor`."""
    if isinstance(brand, str):
        brand, _created = Brand.objects.get_or_create(
            company=company, name=brand, defaults={"is_competitor": is_competitor}
        )
    return Product.objects.create(
        company=company,
        code=code,
        name=name,
        brand=brand,
        spec=spec,
        price=None if price is None else Decimal(price),
    )
