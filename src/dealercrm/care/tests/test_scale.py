"""A company of 20,000 customers: the agenda is built in a few seconds."""

import time
from datetime import date

import pytest
from django.utils import timezone

from dealercrm.care.agenda import agenda_for, company_agenda
from dealercrm.customers.models import Contact, Customer
from dealercrm.retention.models import CustomerScore

pytestmark = pytest.mark.django_db
CUSTOMERS = 20_000


def test_the_agenda_of_twenty_thousand_customers_takes_a_few_seconds(personas):
    company = personas.company
    reps = [personas.rep, personas.other_rep]
    Customer.objects.bulk_create(
        Customer(
            company=company,
            code=f"S{n:06d}",
            name=f"店{n}",
            abc_class="ABC"[n % 3],
            rep=reps[n % 2],
            last_visit_on=date(2026, 11, 1 + n % 26),
        )
        for n in range(CUSTOMERS)
    )
    ids = list(Customer.objects.filter(code__startswith="S").values_list("pk", flat=True))
    Contact.objects.bulk_create(
        Contact(
            company=company,
            customer_id=pk,
            name=f"老板{n}",
            role="owner",
            birthday_calendar="lunar" if n % 3 == 0 else "solar",
            birthday_month=1 + n % 12,
            birthday_day=1 + n % 28,
        )
        for n, pk in enumerate(ids)
    )
    now = timezone.now()
    CustomerScore.objects.bulk_create(
        CustomerScore(
            company=company,
            customer_id=pk,
            as_of=date(2026, 11, 27),
            computed_at=now,
            first_order=date(2015 + n % 10, 1 + n % 12, 1 + n % 28),
            dormant=n % 50 == 0,
        )
        for n, pk in enumerate(ids)
    )
    day = date(2026, 9, 20)  # 中秋 ahead: a festival item for every customer
    began = time.monotonic()
    items = company_agenda(company, day)
    seconds = time.monotonic() - began
    assert len([i for i in items if i.kind == "festival"]) >= CUSTOMERS
    print(f"company agenda: {len(items)} items in {seconds:.2f} s")
    assert seconds < 8, seconds
    began = time.monotonic()
    own = agenda_for(personas.rep, day)
    assert time.monotonic() - began < 8
    assert {i.owner_id for i in own} == {personas.rep.pk}
    assert len(own) < len(items)
