"""RFM scores and slipping-away warnings, one row per customer, replaced by each refresh.

The rules are in retention/services.py; the rows are what the last refresh computed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.models import CustomerRowQuerySet


class CustomerScoreQuerySet(CustomerRowQuerySet):
    def warned(self) -> CustomerScoreQuerySet:
        return self.filter(Q(dormant=True) | Q(declining=True))


class CustomerScore(CompanyOwned):
    """A customer's recency, frequency and monetary value and scores, and its warnings."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="rfm_scores",
        verbose_name=_("customer"),
    )
    as_of = models.DateField(_("as of"))
    first_order = models.DateField(_("first order"), null=True, blank=True)
    last_order = models.DateField(_("last order"), null=True, blank=True)
    # R, F and M as of `as_of`; F and M over as_of − 364 days through as_of.
    recency_days = models.PositiveIntegerField(_("days since last order"), null=True, blank=True)
    frequency = models.PositiveIntegerField(_("order dates in 365 days"), default=0)
    monetary = models.DecimalField(
        _("net sales in 365 days"), max_digits=16, decimal_places=2, default=0
    )
    r_score = models.PositiveSmallIntegerField(_("R score"), null=True, blank=True)
    f_score = models.PositiveSmallIntegerField(_("F score"), null=True, blank=True)
    m_score = models.PositiveSmallIntegerField(_("M score"), null=True, blank=True)
    usual_interval = models.DecimalField(
        _("usual interval (days)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    sales_last_90 = models.DecimalField(
        _("net sales, last 90 days"), max_digits=16, decimal_places=2, default=0
    )
    sales_prior_90 = models.DecimalField(
        _("net sales, 90 days before"), max_digits=16, decimal_places=2, default=0
    )
    dormant = models.BooleanField(_("dormant"), default=False)
    declining = models.BooleanField(_("declining"), default=False)
    # Severity: the 90-day sales at risk (see services.py); 0 without a warning.
    at_risk = models.DecimalField(
        _("sales at risk per 90 days"), max_digits=16, decimal_places=2, default=0
    )
    computed_at = models.DateTimeField(_("computed at"))

    objects = CustomerScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("RFM score")
        verbose_name_plural = _("RFM scores")
        ordering = ["-at_risk", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer"], name="customerscore_unique_customer"
            ),
        ]
        indexes = [
            models.Index(
                "company",
                models.F("at_risk").desc(),
                name="customerscore_warned",
                condition=Q(dormant=True) | Q(declining=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.rfm_code}"

    @property
    def rfm_code(self) -> str:
        """The three scores as one code, e.g. "545"; "—" when the customer has no order."""
        if self.r_score is None:
            return "—"
        return f"{self.r_score}{self.f_score}{self.m_score}"

    @property
    def warnings(self) -> list[str]:
        from dealercrm.retention.choices import WarningKind

        return [kind for kind in WarningKind if getattr(self, kind.value)]
