"""Messages to users: inside the app (the menu's count), by e-mail, and to WeCom / DingTalk
group robots, each item sent once per target."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned, CompanyQuerySet
from dealercrm.notifications.choices import ChannelKind, DeliveryStatus


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


class Channel(CompanyOwned):
    """Where a company's daily agenda and alerts go besides the app: e-mail to each user who has
    an address, or a group robot's webhook (WeCom, DingTalk)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=50)
    # The robot's webhook address (WeCom, DingTalk); empty for e-mail.
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True)
    # DingTalk's signing secret ("加签"), when the robot has one.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    enabled = models.BooleanField(_("on"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="channel_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Delivery(CompanyOwned):
    """One item sent (or being sent) to one target: the record that stops a second sending.

    `target` names where it goes ("email:<user id>", "channel:<channel id>"); `key` names the
    item ("birthday:<contact id>:2026-11-27"); together they are unique.
    """

    target = models.CharField(max_length=60)
    key = models.CharField(max_length=160)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "target", "key"], name="delivery_unique_target_key"
            )
        ]
        indexes = [models.Index(fields=["company", "status"], name="delivery_company_status")]

    def __str__(self) -> str:
        return f"{self.target} {self.key} ({self.status})"
