"""Satisfaction (满意度): scores 0–10 with comments, and one-time links customers answer.

NPS = % of promoters (9–10) − % of detractors (0–6), over the answers of a period.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.models import CustomerRowQuerySet
from dealercrm.satisfaction.choices import SurveySource


class Survey(CompanyOwned):
    """One answer: how likely the customer is to recommend us (0–10), and why."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("customer"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("how"), max_length=10, choices=SurveySource.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("visit"),
    )
    answered_at = models.DateTimeField(_("answered at"))
    # Who asked (a rep on a visit or by phone); empty for an answer through a link.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The customer's owner, class and region when it answered: reports by rep, class and region
    # stay true after customers move.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sales rep"),
    )
    abc_class = models.CharField(_("class"), max_length=1, blank=True)
    sales_region = models.ForeignKey(
        "regions.SalesRegion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sales region"),
    )

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        ordering = ["-answered_at", "-id"]
        indexes = [
            models.Index(fields=["company", "answered_at"], name="survey_company_answered"),
            models.Index(fields=["company", "customer"], name="survey_company_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.score}"


class SurveyLink(CompanyOwned):
    """A link a customer opens without logging in to answer once, until it expires.

    Only a hash of the token is stored; the link names no customer or company, so it cannot be
    turned into another customer's.
    """

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="survey_links",
        verbose_name=_("customer"),
    )
    # Unique with the company (see Meta), indexed alone: the link is looked up by it.
    token_hash = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    survey = models.ForeignKey(
        Survey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer"),
    )

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "token_hash"], name="surveylink_unique_token"
            ),
            models.UniqueConstraint(fields=["company", "survey"], name="surveylink_unique_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.created_at:%Y-%m-%d}"
