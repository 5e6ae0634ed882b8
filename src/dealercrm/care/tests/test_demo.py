"""The demo's care data: birthdays in the coming days (solar and lunar) and a few care records."""

import time
from datetime import date

import pytest

from dealercrm.care.agenda import company_agenda
from dealercrm.care.demo import LOOKAHEAD, WANTED, load_demo_care
from dealercrm.care.models import CareRecord
from dealercrm.customers.demo import load_demo
from dealercrm.customers.models import Contact

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def upcoming(company):
    found = []
    for contact in Contact.objects.filter(company=company, customer__rep__isnull=False):
        birthday = contact.birthday
        if birthday and (birthday.next_on_or_after(TODAY) - TODAY).days <= LOOKAHEAD:
            found.append(birthday.calendar)
    return found


def test_the_demo_has_solar_and_lunar_birthdays_ahead_and_care_records_and_is_repeatable():
    company = load_demo().company
    began = time.monotonic()
    load_demo_care(company, TODAY)
    assert time.monotonic() - began < 10
    calendars = upcoming(company)
    assert len(calendars) >= WANTED
    assert {"solar", "lunar"} <= set(calendars)
    assert CareRecord.objects.filter(company=company).exists()
    records = CareRecord.objects.filter(company=company).count()
    assert load_demo_care(company, TODAY) == 0  # nothing missing the second time
    assert CareRecord.objects.filter(company=company).count() == records
    began = time.monotonic()
    items = company_agenda(company, TODAY)
    assert time.monotonic() - began < 10
    assert any(item.kind == "birthday" for item in items)
