"""Synthetic sales history for the benchmark: orders of 1 to 8 lines over a date range.

Deterministic for a seed. Customers buy with a skewed frequency (a few big buyers, a long tail,
some who never buy), so the ABC classes have realistic shares; about 2% of orders are returns.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ORDER_HEADER = ["单号", "日期", "客户编码", "产品编码", "数量", "金额", "成本"]

# (order number, date, customer index, product index, quantity, amount, cost), money as text
Line = tuple[str, str, int, int, str, str, str]


def product_price_cents(index: int) -> int:
    return 500 + (index * 7919) % 20000


def orders(
    customers: int, products: int, lines: int, start: date, end: date, seed: int, prefix: str
) -> Iterator[list[Line]]:
    """Yield orders (lists of lines) until `lines` lines have been produced."""
    rng = random.Random(seed)
    ranking = list(range(customers))
    random.Random(seed + 1).shuffle(ranking)
    days = (end - start).days + 1
    dates = [(start + timedelta(days=n)).isoformat() for n in range(days)]
    made = 0
    number = 0
    while made < lines:
        number += 1
        size = min(rng.randint(1, 8), lines - made)
        customer = ranking[int(customers * rng.random() ** 2.5)]
        day = dates[rng.randrange(days)]
        sign = -1 if rng.random() < 0.02 else 1
        order = []
        for _ in range(size):
            product = rng.randrange(products)
            quantity = sign * rng.randint(1, 48)
            amount = quantity * product_price_cents(product)
            cost = amount * 85 // 100
            order.append(
                (
                    f"{prefix}{number:08d}",
                    day,
                    customer,
                    product,
                    str(quantity),
                    f"{amount / 100:.2f}",
                    f"{cost / 100:.2f}",
                )
            )
        made += size
        yield order


def write_order_file(
    path: Path, customer_codes: list[str], product_codes: list[str], lines: int, **kwargs
) -> None:
    """The same kind of history as an import file with the orders columns."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ORDER_HEADER)
        for order in orders(len(customer_codes), len(product_codes), lines, **kwargs):
            for number, day, customer, product, quantity, amount, cost in order:
                writer.writerow(
                    [
                        number,
                        day,
                        customer_codes[customer],
                        product_codes[product],
                        quantity,
                        amount,
                        cost,
                    ]
                )
