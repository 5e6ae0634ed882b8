"""The customer page's warnings card reads the customer's stored score through this tag."""

from __future__ import annotations

from django import template

from dealercrm.customers.models import Customer
from dealercrm.retention.models import CustomerScore

register = template.Library()


@register.simple_tag
def customer_score(customer: Customer) -> CustomerScore | None:
    """The customer's last computed score (the page has already checked that it is visible)."""
    return CustomerScore.objects.filter(company_id=customer.company_id, customer=customer).first()
