"""ABC customer classes (客户等级): settings, computed results, overrides, history, runs, policies.

`Customer.abc_class` always holds the EFFECTIVE class (an active override, else the computed
class), so lists, the API filter and the export read one column; these tables explain it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.choices import CustomerClass
from dealercrm.segmentation.choices import ChangeSource, Metric, RunStatus

PERCENT = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))]


class ClassSettings(CompanyOwned):
    """How a company computes classes: the metric, the two thresholds and the window."""

    metric = models.CharField(
        _("metric"), max_length=10, choices=Metric.choices, default=Metric.AMOUNT
    )
    a_threshold = models.DecimalField(
        _("A threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=PERCENT,
        help_text=_("A customer is A while the share held by the customers above is below this."),
    )
    b_threshold = models.DecimalField(
        _("B threshold (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=PERCENT,
        help_text=_("Else B while the share held by the customers above is below this."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("window (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=_("Order lines from as-of minus (days − 1) through the as-of date."),
    )

    class Meta:
        verbose_name = _("class settings")
        verbose_name_plural = _("class settings")
        ordering = ["company"]
        constraints = [
            models.UniqueConstraint(fields=["company"], name="classsettings_unique_company")
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.a_threshold}/{self.b_threshold}"


class ClassResult(CompanyOwned):
    """The latest computed class of a customer and why: its metric, rank and the share above it.

    A row is rewritten only when one of its values changes; it is valid for the company's
    latest run (`ClassificationRun`), whose as-of date and thresholds the page shows.
    """

    # Unique with the company (see Meta): a plain key, so that no constraint leaves it out.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("customer"),
    )
    computed_class = models.CharField(
        _("computed class"), max_length=1, choices=CustomerClass.choices
    )
    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices)
    value = models.DecimalField(_("metric value"), max_digits=18, decimal_places=3)
    rank = models.PositiveIntegerField(_("rank"))
    # Share of the positive total held by the customers ranked above, in percent (rounded to
    # 4 places for display; the class itself is decided on exact sums).
    share_before = models.DecimalField(_("share above (%)"), max_digits=8, decimal_places=4)
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("computed class")
        verbose_name_plural = _("computed classes")
        ordering = ["company", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer"], name="classresult_unique_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.computed_class} #{self.rank}"


class ClassOverride(CompanyOwned):
    """A manual class that wins over the computed one until it expires or is removed."""

    # Unique with the company (see Meta): a plain key, so that no constraint leaves it out.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("customer"),
    )
    abc_class = models.CharField(_("class"), max_length=1, choices=CustomerClass.choices)
    reason = models.CharField(_("reason"), max_length=200)
    # The last day the override applies; empty: until removed.
    expires_on = models.DateField(_("expires after"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(_("set"), auto_now_add=True)

    class Meta:
        verbose_name = _("class override")
        verbose_name_plural = _("class overrides")
        ordering = ["company", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer"], name="classoverride_unique_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} → {self.abc_class}"

    def active_on(self, day: date) -> bool:
        """Whether the override applies on this day (the expiry day included)."""
        return self.expires_on is None or self.expires_on >= day


class ClassChange(CompanyOwned):
    """One change of a customer's effective class: when, old, new, why, who, how."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="class_changes",
        verbose_name=_("customer"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    as_of = models.DateField(_("date"))
    old_class = models.CharField(_("old class"), max_length=1, blank=True)
    new_class = models.CharField(_("new class"), max_length=1)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    source = models.CharField(_("how"), max_length=10, choices=ChangeSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    run = models.ForeignKey(
        "segmentation.ClassificationRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("run"),
    )

    class Meta:
        verbose_name = _("class change")
        verbose_name_plural = _("class history")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["company", "customer", "-at"], name="classchange_customer_at"),
            models.Index(fields=["company", "run"], name="classchange_run"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.old_class or '-'} → {self.new_class}"


class ClassificationRun(CompanyOwned):
    """One computation of the classes: as-of, the settings used, counts, totals and duration."""

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    as_of = models.DateField(_("as of"))
    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices)
    a_threshold = models.DecimalField(_("A threshold (%)"), max_digits=5, decimal_places=2)
    b_threshold = models.DecimalField(_("B threshold (%)"), max_digits=5, decimal_places=2)
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    count_a = models.PositiveIntegerField(_("A customers"), default=0)
    count_b = models.PositiveIntegerField(_("B customers"), default=0)
    count_c = models.PositiveIntegerField(_("C customers"), default=0)
    # Sum of the metric over the customers of each computed class (positive values only for
    # the total the shares are taken of).
    total_a = models.DecimalField(_("A total"), max_digits=18, decimal_places=3, default=0)
    total_b = models.DecimalField(_("B total"), max_digits=18, decimal_places=3, default=0)
    total_c = models.DecimalField(_("C total"), max_digits=18, decimal_places=3, default=0)
    positive_total = models.DecimalField(
        _("positive total"), max_digits=18, decimal_places=3, default=0
    )
    customers = models.PositiveIntegerField(_("customers"), default=0)
    results_written = models.PositiveIntegerField(_("results written"), default=0)
    class_changes = models.PositiveIntegerField(_("class changes"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    # The Pareto curve, downsampled: [[rank, cumulative share %], ...].
    curve = models.JSONField(_("curve"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("classification run")
        verbose_name_plural = _("classification runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="classrun_company_created")]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    def count_of(self, abc_class: str) -> int:
        return getattr(self, f"count_{abc_class.lower()}")

    def share_of(self, abc_class: str) -> Decimal | None:
        """The class's share of the positive total, in percent (None when there is none)."""
        if self.positive_total <= 0:
            return None
        total = max(getattr(self, f"total_{abc_class.lower()}"), Decimal(0))
        return (100 * total / self.positive_total).quantize(Decimal("0.1"))


DEFAULT_VISIT_DAYS = {CustomerClass.A: 7, CustomerClass.B: 14, CustomerClass.C: 30}
# Days ahead of a birthday or anniversary: an A customer's gift has to be bought and delivered.
DEFAULT_CARE_LEAD_DAYS = {CustomerClass.A: 3, CustomerClass.B: 1, CustomerClass.C: 0}
DEFAULT_CARE = {
    CustomerClass.A: [
        "birthday_gift",
        "festival_visit",
        "anniversary_call",
        "boss_visit",
        "satisfaction_survey",
    ],
    CustomerClass.B: ["birthday_call", "festival_visit", "satisfaction_survey"],
    CustomerClass.C: ["festival_greeting"],
}


class ServicePolicy(CompanyOwned):
    """What a class of customers gets (服务标准): how often a rep visits, which care actions."""

    abc_class = models.CharField(_("class"), max_length=1, choices=CustomerClass.choices)
    visit_interval_days = models.PositiveSmallIntegerField(
        _("visit every (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    # CareAction codes.
    care_actions = models.JSONField(_("care actions"), default=list, blank=True)
    # How many days before a birthday or anniversary the agenda shows it (time for a gift).
    care_lead_days = models.PositiveSmallIntegerField(
        _("care reminders, days ahead"), default=1, validators=[MaxValueValidator(30)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service policy")
        verbose_name_plural = _("service policies")
        ordering = ["company", "abc_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "abc_class"], name="servicepolicy_unique_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.abc_class}: {self.visit_interval_days}"

    def care_labels(self) -> list[str]:
        from dealercrm.segmentation.choices import CareAction

        labels = dict(CareAction.choices)
        return [str(labels.get(code, code)) for code in self.care_actions]
