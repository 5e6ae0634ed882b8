"""Constructed data for the staff tests: alice's book of customers, visits, sales, skills."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dealercrm.customers.models import Customer
from dealercrm.sales.testing import make_order_line
from dealercrm.testing import make_customer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


sale = make_order_line


def alices_book(personas) -> dict[str, Customer]:
    """alice owns A001 (A), N1 and N2 (B), N3 (C) and N4 (not classified); bob's A002 is A.

    File completeness: 10, 25, 45, 100, 80 (buckets 1, 1, 1, 0, 2; average 52).
    """
    alice = personas.rep
    customers = {"A001": personas.rep_customer}
    for code in ("N1", "N2", "N3", "N4"):
        customers[code] = make_customer(personas.company, rep=alice, code=code, name=f"店{code}")
    for code, abc_class, completeness in (
        ("A001", "A", 10),
        ("N1", "B", 25),
        ("N2", "B", 45),
        ("N3", "C", 100),
        ("N4", "", 80),
    ):
        Customer.objects.filter(pk=customers[code].pk).update(
            abc_class=abc_class, completeness=completeness
        )
    Customer.objects.filter(pk=personas.other_rep_customer.pk).update(abc_class="A", completeness=0)
    return customers
