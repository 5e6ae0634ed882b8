"""The demo dealer's catalogue and two years of sales history, for `dealercrm demo`.

The catalogue is the demo's own brands and its competitors' (customers/demo.py). Each customer
buys at its own pace and size: a sub-distributor weekly by the hundred cases, a KA store twice a
month, a village shop now and then; a few customers stop buying some months ago (they show as
dormant) and some buy less and less (declining), so that classes and warnings have something to
say. Orders end on the day the demo is loaded, so the story is current whenever it is run.
Deterministic for a given seed and end date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from dealercrm.companies.models import Company
from dealercrm.customers.choices import Channel, CustomerKind
from dealercrm.customers.demo import COMPETITOR_PRODUCTS, OWN_PRODUCTS
from dealercrm.customers.models import Customer
from dealercrm.products.models import Brand, Manufacturer, Product
from dealercrm.sales.models import Order, OrderLine

SEED = 20100301
DAYS = 730
CENT = Decimal("0.01")

# Makers of the demo's brands (invented).
MANUFACTURERS = {
    "清泉山": "河南清泉山饮品有限公司",
    "福满堂": "福满堂食品（河南）有限公司",
    "乐哈哈": "乐哈哈乳业有限公司",
    "橙意满": "河南清泉山饮品有限公司",
    "冰清": "河南清泉山饮品有限公司",
    "豫丰": "豫丰肉制品有限公司",
}
# Cases per order (a case holds 12–24 units) and days between orders, by kind of customer.
PACE = {
    "distributor": ((40, 160), 7),
    Channel.KA: ((10, 40), 14),
    Channel.WHOLESALE: ((15, 50), 14),
    Channel.HOTEL: ((3, 10), 21),
    Channel.RESTAURANT: ((2, 8), 21),
    Channel.CONVENIENCE: ((2, 8), 30),
    Channel.GROCERY: ((1, 5), 40),
}
CASE_UNITS = 12


@dataclass(frozen=True)
class DemoProduct:
    code: str
    name: str
    brand: str
    spec: str
    price: Decimal  # the dealer's selling price per case
    cost: Decimal
    is_competitor: bool


def demo_products() -> list[DemoProduct]:
    """The catalogue: the own lines first (P001…), then the competitors' (C001…)."""
    products = []
    for prefix, rows, competitor in (("P", OWN_PRODUCTS, False), ("C", COMPETITOR_PRODUCTS, True)):
        for number, (brand, item, retail) in enumerate(rows, start=1):
            name, _space, spec = item.rpartition(" ")
            case_price = (Decimal(retail) * CASE_UNITS * Decimal("0.8")).quantize(CENT)
            products.append(
                DemoProduct(
                    code=f"{prefix}{number:03d}",
                    name=f"{brand}{name or item}",
                    brand=brand,
                    spec=spec if name else "",
                    price=case_price,
                    cost=(case_price * Decimal("0.86")).quantize(CENT),
                    is_competitor=competitor,
                )
            )
    return products


def _load_catalogue(company: Company) -> list[tuple[Product, DemoProduct]]:
    makers = {
        name: Manufacturer.objects.create(company=company, name=name)
        for name in sorted(set(MANUFACTURERS.values()))
    }
    specs = demo_products()
    brands: dict[str, Brand] = {}
    for spec in specs:
        if spec.brand not in brands:
            brands[spec.brand] = Brand.objects.create(
                company=company,
                name=spec.brand,
                manufacturer=makers.get(MANUFACTURERS.get(spec.brand, "")),
                is_competitor=spec.is_competitor,
            )
    products = Product.objects.bulk_create(
        [
            Product(
                company=company,
                code=spec.code,
                name=spec.name,
                brand=brands[spec.brand],
                spec=spec.spec,
                price=spec.price,
            )
            for spec in specs
        ]
    )
    # The dealer sells its own lines; competitors' products are in the catalogue for comparison.
    return [(product, spec) for product, spec in zip(products, specs, strict=True)]


def _story(rng: random.Random) -> tuple[str, float]:
    """How a customer's buying goes: steady, stopped some days ago, or declining (with how much)."""
    roll = rng.random()
    if roll < 0.06:
        return "stopped", rng.uniform(60, 200)
    if roll < 0.14:
        return "declining", rng.uniform(0.2, 0.5)
    return "steady", 1.0


@transaction.atomic
def load_demo_sales(company: Company, *, end: dt.date | None = None, seed: int = SEED) -> int:
    """Create the catalogue and the order history of the demo company; returns the line count."""
    end = end or dt.date.today()
    start = end - dt.timedelta(days=DAYS - 1)
    rng = random.Random(seed)
    sold = [(product, spec) for product, spec in _load_catalogue(company) if not spec.is_competitor]
    customers = list(
        Customer.objects.for_company(company)
        .order_by("code")
        .values_list("id", "code", "kind", "channel")
    )
    orders: list[Order] = []
    lines: list[tuple[int, dt.date, int, Product, DemoProduct, int]] = []
    for customer_id, code, kind, channel in customers:
        pace_key = "distributor" if kind == CustomerKind.DISTRIBUTOR else channel
        (low, high), every = PACE.get(pace_key, ((1, 4), 45))
        # Shops differ a lot in size: a long tail, as a dealer's customers are.
        size = rng.paretovariate(2.0)
        story, how = _story(rng)
        stop = end - dt.timedelta(days=int(how)) if story == "stopped" else end
        day = start + dt.timedelta(days=rng.randrange(every))
        while day <= stop:
            share = 1.0
            if story == "declining" and (end - day).days < 120:
                share = how
            order_index = len(orders)
            orders.append(
                Order(
                    company=company,
                    number=f"XS{day:%Y%m%d}-{code}",
                    date=day,
                    customer_id=customer_id,
                )
            )
            for product, spec in rng.sample(sold, k=rng.randint(1, 4)):
                cases = max(1, round(rng.randint(low, high) * size * share / 2))
                lines.append((order_index, day, customer_id, product, spec, cases))
            day += dt.timedelta(days=max(1, round(rng.gauss(every, every / 4))))
        # An occasional return of damaged goods.
        if lines and rng.random() < 0.05 and stop > start:
            day = stop
            orders.append(
                Order(
                    company=company,
                    number=f"TH{day:%Y%m%d}-{code}",
                    date=day,
                    customer_id=customer_id,
                )
            )
            product, spec = sold[rng.randrange(len(sold))]
            lines.append((len(orders) - 1, day, customer_id, product, spec, -1))
    Order.objects.bulk_create(orders, batch_size=2000)
    OrderLine.objects.bulk_create(
        (
            OrderLine(
                company=company,
                order=orders[index],
                customer_id=customer_id,
                date=day,
                product=product,
                quantity=Decimal(cases),
                amount=(spec.price * cases).quantize(CENT, ROUND_HALF_UP),
                cost=(spec.cost * cases).quantize(CENT, ROUND_HALF_UP),
            )
            for index, day, customer_id, product, spec, cases in lines
        ),
        batch_size=2000,
    )
    return len(lines)
