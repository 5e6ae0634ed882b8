"""Orders files and a small catalogue for the sales tests."""

from __future__ import annotations

from decimal import Decimal

from dealercrm.products.models import Brand, Product
from dealercrm.sales.models import Order, OrderLine

HEADER = ["单号*", "日期*", "客户编码*", "产品编码*", "数量*", "金额*", "成本"]


def catalogue(company) -> dict[str, Product]:
    """Two own products (brand 金龙鱼) and one competitor's (鲁花)."""
    own = Brand.objects.create(company=company, name="金龙鱼")
    rival = Brand.objects.create(company=company, name="鲁花", is_competitor=True)
    return {
        "P01": Product.objects.create(company=company, code="P01", name="花生油5L", brand=own),
        "P02": Product.objects.create(company=company, code="P02", name="调和油5L", brand=own),
        "P03": Product.objects.create(company=company, code="P03", name="鲁花5S", brand=rival),
    }


def stored_lines(company) -> list[tuple[str, str, str, str, Decimal, Decimal, Decimal | None]]:
    """Every stored line as (number, date, customer code, product code, qty, amount, cost)."""
    lines = OrderLine.objects.for_company(company).values_list(
        "order__number", "date", "customer__code", "product__code", "quantity", "amount", "cost"
    )
    return sorted(
        (number, date.isoformat(), customer, product, quantity, amount, cost)
        for number, date, customer, product, quantity, amount, cost in lines
    )


def state(company) -> tuple[int, int, list]:
    return (
        Order.objects.for_company(company).count(),
        OrderLine.objects.for_company(company).count(),
        stored_lines(company),
    )
