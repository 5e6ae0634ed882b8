"""Rows the ownership tests build: staff profiles, order lines, owners since a day."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.test import Client

from dealercrm.customers.models import Assignment, Customer
from dealercrm.sales.testing import make_order_line
from dealercrm.staff.models import Employee

SHANGHAI = ZoneInfo("Asia/Shanghai")


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def employee_for(user, **fields) -> Employee:
    """The user's staff profile (the personas are made without one)."""
    employee, _created = Employee.objects.update_or_create(
        company_id=user.company_id, user=user, defaults={"name": str(user), **fields}
    )
    return employee


order_on = make_order_line


def owned_since(customer: Customer, day: dt.date) -> None:
    """Backdate the customer's current assignment to noon of a local day."""
    Assignment.objects.filter(customer=customer, ended_at__isnull=True).update(
        started_at=datetime.combine(day, time(12, 0), tzinfo=SHANGHAI)
    )
