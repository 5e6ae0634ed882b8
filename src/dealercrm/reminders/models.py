"""Reminders a user sets on a customer (follow-ups): due on a day, for one user, until done.

Reminders that follow from the data (birthdays, festivals, visits due) are computed, not stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.models import CustomerRowQuerySet
from dealercrm.reminders.choices import ReminderKind


class ReminderQuerySet(CustomerRowQuerySet):
    def open(self) -> ReminderQuerySet:
        return self.filter(done_at__isnull=True)

    def for_assignee(self, user: Any) -> ReminderQuerySet:
        return self.filter(assignee_id=getattr(user, "pk", None))


class Reminder(CompanyOwned):
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("customer"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ReminderKind.choices, default=ReminderKind.FOLLOW_UP
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reminders",
        verbose_name=_("for"),
    )
    due_on = models.DateField(_("due on"))
    text = models.CharField(_("what to do"), max_length=300)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["company", "assignee", "done_at", "due_on"], name="reminder_assignee_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.text}"
