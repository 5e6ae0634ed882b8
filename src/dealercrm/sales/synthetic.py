"""Generated order files for measuring the import (the benchmark reuses `write_order_lines`)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Sequence
from pathlib import Path

HEADER = ["单号", "日期", "客户编码", "产品编码", "数量", "金额", "成本"]


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def write_order_lines(
    path: str | Path,
    customer_codes: Sequence[str],
    product_codes: Sequence[str],
    lines: int,
    start: dt.date,
    end: dt.date,
    seed: int,
) -> int:
    """Write a UTF-8 CSV orders file of exactly `lines` lines and return that count.

    Orders have 1 to 9 lines (5 on average), a random customer and a date between start and end
    (both inclusive); about 2% of the orders are returns (negative quantity, amount and cost).
    The same arguments always give the same file.
    """
    rng = random.Random(seed)
    days = (end - start).days + 1
    dates = [(start + dt.timedelta(days=offset)).isoformat() for offset in range(days)]
    # A unit price per product, in cents, and its cost ratio.
    prices = [rng.randint(150, 20_000) for _ in product_codes]
    written = 0
    order = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while written < lines:
            order += 1
            number = f"SO{seed % 100:02d}{order:08d}"
            date = dates[rng.randrange(days)]
            customer = customer_codes[rng.randrange(len(customer_codes))]
            sign = -1 if rng.random() < 0.02 else 1
            rows = []
            for _ in range(min(rng.randint(1, 9), lines - written)):
                product = rng.randrange(len(product_codes))
                quantity = sign * rng.randint(1, 60)
                cents = quantity * prices[product]
                cost = cents * 3 // 4
                rows.append(
                    [
                        number,
                        date,
                        customer,
                        product_codes[product],
                        quantity,
                        _money(cents),
                        _money(cost),
                    ]
                )
            writer.writerows(rows)
            written += len(rows)
    return written
