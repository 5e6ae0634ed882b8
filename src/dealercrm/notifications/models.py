"""Messages to a user inside the app (the bell in the menu); other channels build on these."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned, CompanyQuerySet


class NotificationQuerySet(CompanyQuerySet):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """Each user sees only the notifications addressed to them."""
        return super().visible_to(user).filter(recipient_id=getattr(user, "pk", None))

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(CompanyOwned):
    """One message to one user. `key` names the event, so the same one is never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("to"),
    )
    # What it is about, e.g. "pool_return", "handover"; free text so later kinds need no migration.
    kind = models.CharField(_("kind"), max_length=30)
    # e.g. "pool_return:123:2026-11-27"; unique per recipient.
    key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "recipient", "key"], name="notification_unique_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["company", "recipient", "read_at"], name="notification_recipient_read"
            )
        ]

    def __str__(self) -> str:
        return self.title
