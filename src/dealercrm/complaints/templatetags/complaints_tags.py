"""`{% customer_complaints_section %}`: the complaints section of the customer page."""

from __future__ import annotations

from typing import Any

from django import template

from dealercrm.complaints.models import Complaint

register = template.Library()


@register.inclusion_tag("complaints/_customer_complaints_section.html", takes_context=True)
def customer_complaints_section(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    user = context["request"].user
    complaints = Complaint.objects.visible_to(user).filter(customer_id=customer.pk)
    return {
        "customer": customer,
        "open": list(complaints.unfinished().select_related("owner").order_by("deadline", "id")),
        "finished_count": complaints.exclude(pk__in=complaints.unfinished().values("pk")).count(),
        "can_record": user.can("complaint.record"),
    }
