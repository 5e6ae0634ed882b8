"""`{% customer_reminders %}`: the follow-ups section of the customer page, for its user."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from dealercrm.reminders import services
from dealercrm.reminders.forms import FollowUpForm

register = template.Library()


def section_context(customer: Any, user: Any, form: FollowUpForm | None = None) -> dict[str, Any]:
    """What the section shows: the open follow-ups (overdue marked) and the add form."""
    return {
        "customer": customer,
        "reminders": list(services.customer_open(customer, user)),
        "form": form or FollowUpForm(customer=customer, user=user),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("reminders/_section.html", takes_context=True)
def customer_reminders(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    user = context["request"].user
    values = section_context(customer, user)
    values["csrf_token"] = context.get("csrf_token")
    return values


@register.simple_tag(takes_context=True)
def due_follow_ups(context: template.Context) -> int:
    """`{% due_follow_ups as count %}`: the user's open follow-ups due today or earlier (one
    query), for a badge in the menu."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return services.open_for(user, timezone.localdate()).count()
