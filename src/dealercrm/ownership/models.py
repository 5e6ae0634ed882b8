"""Who owns customers: the public pool (公海) and its rules, and handovers when staff leave.

Ownership itself is Customer.rep with its history in customers.Assignment; a customer without
an owner is in the pool.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.choices import CustomerClass
from dealercrm.ownership.choices import SplitMode

DEFAULT_CLAIM_LIMIT = 10
# Days without a visit and without an order after which a customer goes back to the pool.
DEFAULT_RETURN_DAYS = {"A": 30, "B": 60, "C": 90}


class PoolSettings(CompanyOwned):
    """The company's pool limits (one row per company, created with the defaults when read)."""

    claim_limit = models.PositiveSmallIntegerField(
        _("claims per rep per day"),
        default=DEFAULT_CLAIM_LIMIT,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pool settings")
        verbose_name_plural = _("pool settings")
        constraints = [
            models.UniqueConstraint(fields=["company"], name="poolsettings_one_per_company")
        ]

    def __str__(self) -> str:
        return str(self.claim_limit)


class PoolRule(CompanyOwned):
    """Per class: a customer with no visit and no order for `days` goes back to the pool."""

    abc_class = models.CharField(_("class"), max_length=1, choices=CustomerClass.choices)
    # None: customers of this class never go back on their own.
    days = models.PositiveSmallIntegerField(
        _("back to the pool after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(3650)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pool rule")
        verbose_name_plural = _("pool rules")
        ordering = ["company", "abc_class"]
        constraints = [
            models.UniqueConstraint(fields=["company", "abc_class"], name="poolrule_unique_class")
        ]

    def __str__(self) -> str:
        return f"{self.abc_class}: {self.days}"


class Handover(CompanyOwned):
    """An employee's leaving: where their customers, planned visits and reminders went."""

    employee = models.ForeignKey(
        "staff.Employee",
        on_delete=models.PROTECT,
        related_name="handovers",
        verbose_name=_("leaving employee"),
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    mode = models.CharField(_("split"), max_length=10, choices=SplitMode.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    performed_at = models.DateTimeField(_("done at"), auto_now_add=True)
    customers_moved = models.PositiveIntegerField(_("customers"), default=0)
    customers_pooled = models.PositiveIntegerField(_("customers put in the pool"), default=0)
    visits_moved = models.PositiveIntegerField(_("planned visits"), default=0)
    reminders_moved = models.PositiveIntegerField(_("open reminders"), default=0)
    # {"recipients": [{"user_id", "name", "customers": n, "by_class": {"A": n, …}, "visits": n,
    #   "reminders": n, "customer_ids": [...]}], "pool": {"customers": n, "by_class", …},
    #  "visits_cancelled": n, "reminders_to_actor": n}
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.employee} {self.performed_at:%Y-%m-%d}"


class PoolClaim(CompanyOwned):
    """A customer taken from the pool by a user, on a local day (counted against the limit)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="pool_claims",
        verbose_name=_("customer"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pool_claims",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"))
    # The day in the company's time zone: the claim limit counts claims per user and day.
    claimed_on = models.DateField(_("claimed on"))

    class Meta:
        verbose_name = _("pool claim")
        verbose_name_plural = _("pool claims")
        ordering = ["-claimed_at", "-id"]
        indexes = [
            models.Index(fields=["company", "user", "claimed_on"], name="poolclaim_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.customer} {self.claimed_on}"
