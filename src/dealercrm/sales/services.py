"""What the pages show of sales: a customer's sales section, and the orders list.

Every query starts from `visible_to(user)`, so a rep never reads another rep's customer's orders
even when handed its id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dealercrm.customers.models import CarriedProduct, Customer
from dealercrm.sales.models import Order, OrderLine

MONTHS = 24
TOP_PRODUCTS = 10
# The top products are those of the last 365 days, today included (the ABC window).
TOP_WINDOW_DAYS = 365
ORDERS_PAGE_SIZE = 50
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


def money(value: Any) -> Decimal:
    """A sum of amounts as exact cents (SQLite answers sums of decimals as floats)."""
    return ZERO if value is None else Decimal(value).quantize(CENT, ROUND_HALF_UP)


@dataclass
class LastOrder:
    number: str
    date: dt.date
    amount: Decimal


@dataclass
class TopProduct:
    code: str
    name: str
    brand: str
    is_competitor: bool
    quantity: Decimal
    amount: Decimal


@dataclass
class CustomerSales:
    """The sales section of a customer page."""

    months: list[tuple[str, Decimal]] = field(default_factory=list)
    last_order: LastOrder | None = None
    top_products: list[TopProduct] = field(default_factory=list)
    own_brands: list[str] = field(default_factory=list)
    competitor_brands: list[str] = field(default_factory=list)
    unmarked_brands: list[str] = field(default_factory=list)

    @property
    def has_sales(self) -> bool:
        return self.last_order is not None

    def chart_data(self, labels: dict[str, str]) -> dict[str, Any]:
        """For json_script: month labels and amounts as strings of Decimals."""
        return {
            "months": [month for month, _amount in self.months],
            "amounts": [str(amount) for _month, amount in self.months],
            **labels,
        }


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the `count` months up to today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [
        dt.date(month // 12, month % 12 + 1, 1) for month in range(index - count + 1, index + 1)
    ]


def monthly_sales(
    lines: QuerySet, today: dt.date, months: int = MONTHS
) -> list[tuple[str, Decimal]]:
    """("YYYY-MM", amount) for each of the last `months` months, today's included, zeros too."""
    starts = _month_starts(today, months)
    totals = {
        row["month"]: row["total"]
        for row in lines.filter(date__gte=starts[0], date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    result = []
    for start in starts:
        total = totals.get(start)
        result.append((f"{start:%Y-%m}", money(total)))
    return result


def customer_sales(customer: Customer, user: Any, today: dt.date | None = None) -> CustomerSales:
    """Sales by month, last order, top products and brands carried, as `user` may see them."""
    today = today or timezone.localdate()
    lines = OrderLine.objects.visible_to(user).filter(customer=customer)
    sales = CustomerSales(months=monthly_sales(lines, today))
    last = (
        Order.objects.visible_to(user)
        .filter(customer=customer)
        .order_by("-date", "-id")
        .annotate(total=Sum("lines__amount"))
        .first()
    )
    if last is not None:
        sales.last_order = LastOrder(last.number, last.date, money(last.total))
    since = today - dt.timedelta(days=TOP_WINDOW_DAYS - 1)
    top = (
        lines.filter(date__gte=since, date__lte=today)
        .values(
            "product__code",
            "product__name",
            "product__brand__name",
            "product__brand__is_competitor",
        )
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by("-amount", "product__code")[:TOP_PRODUCTS]
    )
    sales.top_products = [
        TopProduct(
            code=row["product__code"],
            name=row["product__name"],
            brand=row["product__brand__name"],
            is_competitor=row["product__brand__is_competitor"],
            quantity=Decimal(row["quantity"]).quantize(MILLI, ROUND_HALF_UP),
            amount=money(row["amount"]),
        )
        for row in top
    ]
    _brands(sales, customer, user, lines)
    return sales


def _brands(sales: CustomerSales, customer: Customer, user: Any, lines: QuerySet) -> None:
    """Own and competitor brands from the file's carried products and from the order lines."""
    flags: dict[str, bool | None] = {}
    ordered = lines.values_list("product__brand__name", "product__brand__is_competitor")
    for name, is_competitor in ordered.distinct().order_by():
        flags[name] = is_competitor
    carried = CarriedProduct.objects.visible_to(user).filter(customer=customer)
    from_lines = set(flags)
    for name, is_competitor in carried.values_list("brand", "is_competitor").distinct():
        # The catalogue's flag wins; a brand only in the file keeps the file's (or none).
        if name not in from_lines and flags.get(name) is None:
            flags[name] = is_competitor
    for name in sorted(flags):
        if flags[name] is None:
            sales.unmarked_brands.append(name)
        elif flags[name]:
            sales.competitor_brands.append(name)
        else:
            sales.own_brands.append(name)


def order_page(user: Any, number: Any) -> Page:
    """A page of the orders `user` may see, newest first, each with its line count and total."""
    orders = Order.objects.visible_to(user).select_related("customer").order_by("-date", "-id")
    page = Paginator(orders, ORDERS_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    ids = [order.pk for order in page.object_list]
    totals = {
        row["order_id"]: row
        for row in OrderLine.objects.visible_to(user)
        .filter(order_id__in=ids)
        .values("order_id")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by()
    }
    for order in page.object_list:
        row = totals.get(order.pk, {})
        order.total = money(row.get("total"))
        order.line_count = row.get("count", 0)
    return page
