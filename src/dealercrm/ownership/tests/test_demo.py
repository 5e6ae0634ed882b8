"""The demo pool: about 5% of the customers, mostly class C without a recent order."""

from __future__ import annotations

import datetime as dt

from dealercrm.customers.models import Assignment, Customer
from dealercrm.notifications.models import Notification
from dealercrm.ownership.demo import load_demo_pool
from dealercrm.ownership.tests.helpers import order_on
from dealercrm.testing import make_customer


def test_the_demo_puts_five_percent_in_the_pool_deterministically(personas):
    customers = [
        make_customer(personas.company, rep=personas.rep, code=f"D{n:03d}") for n in range(58)
    ]
    Customer.objects.filter(pk__in=[c.pk for c in customers[:20]]).update(abc_class="C")
    order_on(customers[0], dt.date.today())  # a C customer with a recent order stays

    count = load_demo_pool(personas.company)

    pooled = Customer.objects.filter(company=personas.company, rep__isnull=True)
    assert count == 3 == pooled.count()  # 5% of the 60 customers of ALPHA
    assert all(c.abc_class == "C" for c in pooled) and customers[0] not in pooled
    assert Assignment.objects.filter(customer__in=pooled, end_reason__contains="pool").count() == 3
    assert Notification.objects.filter(recipient=personas.boss).exists()
    assert Notification.objects.filter(recipient=personas.rep, kind="pool_return").exists()
    chosen = sorted(pooled.values_list("code", flat=True))
    # Same data, same choice.
    Customer.objects.filter(pk__in=pooled).update(rep=personas.rep)
    Assignment.objects.filter(customer__in=pooled).delete()
    load_demo_pool(personas.company)
    again = Customer.objects.filter(company=personas.company, rep__isnull=True)
    assert sorted(again.values_list("code", flat=True)) == chosen
