"""{% customer_class_panel %}: the class panel's data for the customer page."""

from __future__ import annotations

from typing import Any

from django import template

from dealercrm.segmentation import services
from dealercrm.segmentation.forms import OverrideForm

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_class_panel(context: Any, customer: Any) -> dict[str, Any]:
    user = context["request"].user
    info = services.class_info(customer)
    can_override = user.can("segmentation.override")
    return {
        "info": info,
        "policy": services.service_policy(customer.company, info.effective),
        "can_override": can_override,
        "form": (
            OverrideForm(
                initial={
                    "customer": customer.pk,
                    "abc_class": info.override.abc_class if info.override else info.effective,
                }
            )
            if can_override
            else None
        ),
    }
