"""Order lines for tests of what sales drive (classes, warnings, the pool rule, staff pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dealercrm.customers.models import Customer
from dealercrm.products.testing import make_product
from dealercrm.sales.models import Order, OrderLine


def make_order_line(customer: Customer, day: dt.date, amount: str = "100") -> OrderLine:
    """One order of one line (a new product and order number each time) for the customer."""
    product = make_product(customer.company, f"P{OrderLine.objects.count() + 1}")
    order = Order.objects.create(
        company=customer.company,
        number=f"SO{Order.objects.count() + 1}",
        date=day,
        customer=customer,
    )
    return OrderLine.objects.create(
        company=customer.company,
        order=order,
        customer=customer,
        date=day,
        product=product,
        quantity=Decimal("1"),
        amount=Decimal(amount),
    )
