"""`{% customer_care_section %}`: the care section of the customer page (birthdays to come, the
next cooperation anniversary, recent care records)."""

from __future__ import annotations

from typing import Any

from django import template

from dealercrm.care.services import customer_care
from dealercrm.companies.services import local_today

register = template.Library()


@register.inclusion_tag("care/_customer_care_section.html", takes_context=True)
def customer_care_section(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    return {"customer": customer, "care": customer_care(customer, local_today(customer.company))}
