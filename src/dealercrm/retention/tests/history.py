"""Sales histories for the retention tests, written straight into the order tables."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from decimal import Decimal

from dealercrm.customers.models import Customer
from dealercrm.products.models import Brand, Product
from dealercrm.sales.models import Order, OrderLine

AS_OF = datetime.date(2026, 6, 30)
_numbers = itertools.count(1)


def days_ago(days: int) -> datetime.date:
    return AS_OF - datetime.timedelta(days=days)


def _product(customer: Customer) -> Product:
    brand, _ = Brand.objects.get_or_create(company=customer.company, name="金龙")
    product, _ = Product.objects.get_or_create(
        company=customer.company, code="P1", defaults={"name": "大米 10kg", "brand": brand}
    )
    return product


def buy(customer: Customer, lines: Iterable[tuple[int, str]]) -> None:
    """One order line per (days before AS_OF, amount); a negative amount is a return."""
    product = _product(customer)
    lines = list(lines)
    orders = Order.objects.bulk_create(
        Order(
            company_id=customer.company_id,
            number=f"SO{next(_numbers):07d}",
            date=days_ago(days),
            customer=customer,
        )
        for days, _amount in lines
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            company_id=customer.company_id,
            order=order,
            customer=customer,
            date=order.date,
            product=product,
            quantity=Decimal(1 if Decimal(amount) >= 0 else -1),
            amount=Decimal(amount),
        )
        for order, (_days, amount) in zip(orders, lines, strict=True)
    )


def every(step: int, start: int, stop: int, amount: str = "100.00") -> list[tuple[int, str]]:
    """An order every `step` days, from `start` days before AS_OF down to `stop` (inclusive)."""
    return [(days, amount) for days in range(start, stop - 1, -step)]
