"""{% unread_notifications as count %}: how many unread notifications the user has (one query)."""

from typing import Any

from django import template

from dealercrm.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    user = getattr(context.get("request"), "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return unread_count(user)
