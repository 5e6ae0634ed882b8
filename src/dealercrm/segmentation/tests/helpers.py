"""Sales lines written straight to the table, as the orders import would leave them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dealercrm.products.models import Brand, Product
from dealercrm.sales.models import Order, OrderLine

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Line:
    customer_id: int
    day: date
    quantity: Decimal
    amount: Decimal
    cost: Decimal | None


def add_lines(company, lines: list[Line]) -> None:
    """One order per customer and day, one product; bulk inserted."""
    brand, _ = Brand.objects.get_or_create(company=company, name="自有品牌")
    product, _ = Product.objects.get_or_create(
        company=company, code="P1", defaults={"name": "矿泉水", "brand": brand}
    )
    orders: dict[tuple[int, date], Order] = {}
    for line in lines:
        key = (line.customer_id, line.day)
        if key not in orders:
            orders[key] = Order(
                company=company,
                number=f"SO{next(_numbers):07d}",
                date=line.day,
                customer_id=line.customer_id,
            )
    Order.objects.bulk_create(orders.values())
    OrderLine.objects.bulk_create(
        OrderLine(
            company=company,
            order=orders[(line.customer_id, line.day)],
            customer_id=line.customer_id,
            date=line.day,
            product=product,
            quantity=line.quantity,
            amount=line.amount,
            cost=line.cost,
        )
        for line in lines
    )


def sale(customer, day: date, amount: str, *, quantity: str = "1", cost: str | None = None) -> Line:
    return Line(
        customer.pk,
        day,
        Decimal(quantity),
        Decimal(amount),
        None if cost is None else Decimal(cost),
    )
