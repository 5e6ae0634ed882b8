"""Building agenda data for the care tests: contacts with birthdays, scores, complaints."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from dealercrm.care.agenda import agenda_for, company_agenda
from dealercrm.complaints.models import Complaint
from dealercrm.core.birthdays import Birthday
from dealercrm.customers.models import Contact, Customer
from dealercrm.retention.models import CustomerScore
from dealercrm.testing import make_customer


def classed(company, name, abc_class, rep=None) -> Customer:
    customer = make_customer(company, rep=rep, name=name)
    Customer.objects.filter(pk=customer.pk).update(abc_class=abc_class)
    customer.refresh_from_db()
    return customer


def with_birthday(customer, name, text, role="contact") -> Contact:
    contact = Contact(company=customer.company, customer=customer, name=name, role=role)
    contact.birthday = Birthday.parse(text)
    contact.save()
    return contact


def score(customer, **fields) -> CustomerScore:
    fields.setdefault("as_of", date(2026, 11, 27))
    return CustomerScore.objects.create(
        company=customer.company, customer=customer, computed_at=timezone.now(), **fields
    )


def complaint(customer, owner, deadline: datetime) -> Complaint:
    return Complaint.objects.create(
        company=customer.company,
        customer=customer,
        category="quality",
        severity="high",
        description="破损",
        owner=owner,
        received_at=deadline - timedelta(days=3),
        deadline=deadline,
    )


def kinds(items, kind) -> list:
    return [item for item in items if item.kind == kind]


def names(items, kind) -> list[str]:
    return sorted(item.customer_name for item in kinds(items, kind))


__all__ = [
    "Decimal",
    "agenda_for",
    "classed",
    "company_agenda",
    "complaint",
    "kinds",
    "names",
    "score",
    "with_birthday",
]
