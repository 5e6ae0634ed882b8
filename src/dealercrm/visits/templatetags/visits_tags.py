"""`{% customer_visits_section %}`: the visits section of the customer page, for the page's user."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from dealercrm.visits import services
from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.forms import PlanForm
from dealercrm.visits.models import Visit

register = template.Library()
RECENT_SHOWN = 5


@register.inclusion_tag("visits/_customer_visits_section.html", takes_context=True)
def customer_visits_section(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    request = context["request"]
    user = request.user
    visits = Visit.objects.visible_to(user).filter(customer_id=customer.pk).select_related("rep")
    recent = list(visits.filter(status=VisitStatus.DONE).order_by("-visited_at")[:RECENT_SHOWN])
    planned = list(visits.filter(status=VisitStatus.PLANNED).order_by("planned_for"))
    for visit in planned:
        visit.can_cancel = user.can("visits.plan") or visit.rep_id == user.pk
    can_plan = user.can("visits.plan") or (user.can("visits.record") and customer.rep_id == user.pk)
    return {
        "customer": customer,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "due": services.customer_due(customer),
        "recent": recent,
        "planned": planned,
        "can_record": user.can("visits.record"),
        "can_plan": can_plan,
        "plan_form": PlanForm(user=user, initial={"day": services.local_today(customer.company)})
        if can_plan
        else None,
    }


@register.filter
def distance(metres: int | None) -> str:
    """725 → "725 m", 3682 → "3.7 km" (the unit a rep reads on the road)."""
    if metres is None:
        return ""
    if metres < 1000:
        return f"{metres} m"
    return f"{Decimal(metres) / 1000:.1f} km"
