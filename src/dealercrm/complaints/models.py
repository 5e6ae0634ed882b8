"""Complaints and issues (投诉): who handles them, by when (by severity), and how they ended."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealercrm.complaints.choices import (
    ComplaintCategory,
    ComplaintStatus,
    EventKind,
    Severity,
    Verdict,
)
from dealercrm.core.models import CompanyOwned, CompanyQuerySet
from dealercrm.customers.models import CustomerRowQuerySet

# Hours to resolve a complaint, by severity, until a company changes them.
DEFAULT_DEADLINE_HOURS = {"high": 24, "medium": 72, "low": 168}


class ComplaintSettings(CompanyOwned):
    """The company's deadlines by severity (one row per company, created when first read)."""

    high_hours = models.PositiveSmallIntegerField(
        _("high: hours to resolve"), default=24, validators=[MinValueValidator(1)]
    )
    medium_hours = models.PositiveSmallIntegerField(
        _("medium: hours to resolve"), default=72, validators=[MinValueValidator(1)]
    )
    low_hours = models.PositiveSmallIntegerField(
        _("low: hours to resolve"),
        default=168,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="complaintsettings_one_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.high_hours}/{self.medium_hours}/{self.low_hours}"


class ComplaintQuerySet(CustomerRowQuerySet):
    def visible_to(self, user: Any) -> ComplaintQuerySet:
        """The company's complaints; a rep those of own customers and those they handle."""
        queryset = CompanyQuerySet.visible_to(self, user)
        if getattr(user, "is_rep", False):
            queryset = queryset.filter(Q(customer__rep_id=user.pk) | Q(owner_id=user.pk))
        return queryset

    def unfinished(self) -> ComplaintQuerySet:
        return self.filter(status__in=[ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS])


class Complaint(CompanyOwned):
    """A customer's complaint or issue, handled by one person before a deadline."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="complaints",
        verbose_name=_("customer"),
    )
    category = models.CharField(_("category"), max_length=12, choices=ComplaintCategory.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    description = models.TextField(_("description"))
    # Who handles it (by default the customer's rep).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("handled by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    received_at = models.DateTimeField(_("received at"))
    deadline = models.DateTimeField(_("deadline"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    verdict = models.CharField(
        _("customer's verdict"), max_length=12, choices=Verdict.choices, blank=True
    )
    # Set when the deadline passed unresolved and the manager was told.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(
                fields=["company", "status", "deadline"], name="complaint_status_deadline"
            ),
            models.Index(fields=["company", "customer"], name="complaint_company_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer}: {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        """Still open after its deadline (shown in red at once; the daily job escalates it)."""
        return self.is_open and self.deadline < timezone.now()


class ComplaintEventQuerySet(CompanyQuerySet):
    def visible_to(self, user: Any) -> ComplaintEventQuerySet:
        return self.filter(complaint__in=Complaint.objects.visible_to(user))


class ComplaintEvent(CompanyOwned):
    """One step in a complaint's history: who did what, when."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", verbose_name=_("complaint")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=12, choices=EventKind.choices)
    text = models.TextField(_("details"), blank=True)

    objects = ComplaintEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint history entry")
        verbose_name_plural = _("complaint history")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["company", "complaint"], name="complaintevent_complaint")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"
