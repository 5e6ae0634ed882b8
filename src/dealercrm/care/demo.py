"""The demo dealer's care data, for `dealercrm demo`: birthdays in the coming days and a few care
records, so the agenda and the customer pages have something to show on the day of the demo.

The demo contacts already have birthdays (customers/demo.py, random over the year, two in five
lunar). This only adds what is missing: when fewer than WANTED contacts of owned customers
have a birthday in the next LOOKAHEAD days, contacts without a birthday (A and B customers
first, by code) get one, alternately solar and lunar (the lunar date of that solar day), one
for each of the next days. Then, when the company has no care record yet, the birthdays of the
last RECENT days of owned customers get one (done by their rep). Deterministic for a given
day; two bulk writes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from lunar_python import Solar

from dealercrm.care.choices import Occasion
from dealercrm.care.models import CareRecord
from dealercrm.care.services import festivals
from dealercrm.customers.choices import BirthdayCalendar
from dealercrm.customers.models import Contact

WANTED = 8
LOOKAHEAD = 7
RECENT = 20
RECORDS = 6


def _lunar_of(day: date) -> tuple[int, int, bool]:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month = lunar.getMonth()
    return abs(month), lunar.getDay(), month < 0


@transaction.atomic
def load_demo_care(company: Any, today: date) -> int:
    """Add birthdays in the coming days and a few care records; how many rows were written."""
    festivals(company)
    contacts = list(
        Contact.objects.filter(company=company, customer__rep__isnull=False)
        .select_related("customer")
        .order_by("customer__code", "id")
    )
    upcoming = [
        c
        for c in contacts
        if c.birthday is not None and (c.birthday.next_on_or_after(today) - today).days <= LOOKAHEAD
    ]
    missing = max(WANTED - len(upcoming), 0)
    blank = sorted(
        (c for c in contacts if c.birthday is None),
        key=lambda c: (c.customer.abc_class not in ("A", "B"), c.customer.code, c.pk),
    )[:missing]
    for n, contact in enumerate(blank):
        day = today + timedelta(days=n % (LOOKAHEAD + 1))
        if n % 2:
            month, lunar_day, leap = _lunar_of(day)
            contact.birthday_calendar = BirthdayCalendar.LUNAR
            contact.birthday_month, contact.birthday_day = month, lunar_day
            contact.birthday_leap = leap
            contact.birthday_year = None
        else:
            contact.birthday_calendar = BirthdayCalendar.SOLAR
            contact.birthday_month, contact.birthday_day = day.month, day.day
            contact.birthday_leap = False
            contact.birthday_year = 1970 + n
    Contact.objects.bulk_update(
        blank,
        ["birthday_calendar", "birthday_month", "birthday_day", "birthday_leap", "birthday_year"],
    )
    written = len(blank)
    if CareRecord.objects.filter(company=company).exists():
        return written
    records = []
    start = today - timedelta(days=RECENT)
    for contact in contacts:
        birthday = contact.birthday
        if birthday is None:
            continue
        day = birthday.next_on_or_after(start)
        if day >= today:
            continue
        records.append(
            CareRecord(
                company=company,
                customer=contact.customer,
                contact=contact,
                occasion=Occasion.BIRTHDAY,
                occasion_date=day,
                action="birthday_call",
                note="电话祝福",
                done_by_id=contact.customer.rep_id,
            )
        )
        if len(records) >= RECORDS:
            break
    CareRecord.objects.bulk_create(records)
    return written + len(records)
