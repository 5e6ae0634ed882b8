"""Sending and reading in-app notifications.

`notify()` is the one way a notification is written: its key names the event, so the same event
is never sent twice to the same person, whichever database and however many workers run it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from dealercrm.notifications.models import Notification


def safe_link(link: str) -> str:
    """The link if it is a path on this site ("/customers/1/"), else "" (never another host)."""
    link = (link or "").strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link:
        return ""
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return ""
    return link


def notify(
    recipient: Any,
    *,
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    customer: Any = None,
) -> bool:
    """Send one notification; False (and nothing written) when that key was already sent to
    that recipient. A link that is not a path on this site is dropped."""
    if recipient is None or recipient.company_id is None:
        return False
    company_id = recipient.company_id
    existing = Notification.objects.filter(company_id=company_id, recipient=recipient, key=key)
    if existing.exists():
        return False
    try:
        # A savepoint: a concurrent sender of the same key loses on the unique constraint
        # without breaking the caller's transaction (PostgreSQL aborts it otherwise).
        with transaction.atomic():
            Notification.objects.create(
                company_id=company_id,
                recipient=recipient,
                kind=kind[:30],
                key=key[:120],
                title=title[:200],
                body=body,
                link=safe_link(link)[:300],
                customer=customer,
            )
    except IntegrityError:
        return False
    return True


def unread_count(user: Any) -> int:
    return Notification.objects.visible_to(user).unread().count()


def mark_read(user: Any, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all of them with None); how many changed."""
    queryset = Notification.objects.visible_to(user).unread()
    if notification_id is not None:
        queryset = queryset.filter(pk=notification_id)
    return queryset.update(read_at=timezone.now())
