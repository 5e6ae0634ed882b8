"""{% may_release customer as can_release %}: whether the user may put the customer in the pool."""

from typing import Any

from django import template

from dealercrm.ownership.services import may_release as _may_release

register = template.Library()


@register.simple_tag(takes_context=True)
def may_release(context: Any, customer: Any) -> bool:
    request = context.get("request")
    return _may_release(customer, getattr(request, "user", None))
