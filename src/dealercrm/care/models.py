"""Customer care (客情): the festivals a company observes, and the care actions done.

Birthdays come from the contacts' §5 profile, anniversaries from the first order; the agenda
(care/agenda.py) computes what is due each day, so nothing here has to be kept in step.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.care.choices import Calendar, Occasion
from dealercrm.core.models import CompanyOwned
from dealercrm.customers.models import CustomerRowQuerySet


class Festival(CompanyOwned):
    """A festival the company greets or visits its customers for (春节, 中秋…), on a fixed solar
    or lunar month and day; the defaults are created on first use and the company picks."""

    # Stable code of a built-in festival ("spring", "mid_autumn"…); empty for one the company adds.
    code = models.CharField(max_length=20, blank=True)
    name = models.CharField(_("festival"), max_length=30)
    calendar = models.CharField(_("calendar"), max_length=5, choices=Calendar.choices)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # 0 with the lunar calendar: the last day of the month (除夕 is the last day of the 12th).
    day = models.PositiveSmallIntegerField(
        _("day"), validators=[MinValueValidator(0), MaxValueValidator(31)]
    )
    enabled = models.BooleanField(_("observed"), default=True)
    # How many days before it the agenda shows it (gifts have to be bought and delivered).
    lead_days = models.PositiveSmallIntegerField(
        _("days ahead"), default=7, validators=[MaxValueValidator(60)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="festival_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CareRecord(CompanyOwned):
    """A care action done for a customer on an occasion (a birthday call, a festival gift…), so
    the agenda shows it done and no reminder about it goes out again."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="care_records",
        verbose_name=_("customer"),
    )
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )
    occasion = models.CharField(_("occasion"), max_length=12, choices=Occasion.choices)
    festival = models.ForeignKey(
        Festival,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("festival"),
    )
    # The day the occasion falls on this time (this year's solar date of a lunar birthday).
    occasion_date = models.DateField(_("date"))
    # segmentation.choices.CareAction code.
    action = models.CharField(_("action"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("care record")
        verbose_name_plural = _("care records")
        ordering = ["-occasion_date", "-id"]
        indexes = [
            models.Index(fields=["company", "occasion_date"], name="carerecord_company_date"),
            models.Index(fields=["company", "customer"], name="carerecord_company_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.occasion} {self.occasion_date}"
