"""Logins: each belongs to one company and has one role."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.choices import Role
from dealercrm.core.models import CompanyQuerySet

# What each role may do beyond seeing customers (a rep sees only own customers; see
# Customer.objects.visible_to). Kept in one table so pages, API and commands agree.
PERMISSIONS: dict[str, set[str]] = {
    "customer.create": {Role.BOSS, Role.MANAGER, Role.CLERK, Role.REP},
    "customer.delete": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "customer.assign": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "customer.import": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "customer.export": {Role.BOSS, Role.MANAGER},
    # Handing a leaving employee's customers over, and the pool's limits and rules.
    "customer.handover": {Role.BOSS, Role.MANAGER},
    "pool.claim": {Role.REP, Role.MANAGER},
    "pool.settings": {Role.BOSS, Role.MANAGER},
    "region.manage": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "order.import": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "order.export": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "product.manage": {Role.BOSS, Role.MANAGER, Role.CLERK},
    # ABC classes: reps see their own customers' classes on the customer page only.
    "segmentation.view": {Role.BOSS, Role.MANAGER, Role.CLERK},
    "segmentation.recompute": {Role.BOSS, Role.MANAGER},
    "segmentation.override": {Role.BOSS, Role.MANAGER},
    "segmentation.settings": {Role.BOSS, Role.MANAGER},
    "segmentation.policy": {Role.BOSS},
    # Scheduled daily jobs: the page and its alert; only the boss starts a run by hand.
    "jobs.view": {Role.BOSS, Role.MANAGER},
    "jobs.run": {Role.BOSS},
    # Staff profiles, skills and training (a rep or clerk sees only their own profile).
    "staff.view": {Role.BOSS, Role.MANAGER},
    "staff.manage": {Role.BOSS, Role.MANAGER},
    "staff.skills": {Role.BOSS},
    "export.log": {Role.BOSS, Role.MANAGER},
    # Visits: recorded by whoever visits; the planned-vs-done report is for managers.
    "visits.record": {Role.BOSS, Role.MANAGER, Role.REP},
    "visits.plan": {Role.BOSS, Role.MANAGER},
    "visits.report": {Role.BOSS, Role.MANAGER},
    # Care, satisfaction and complaints (issue 5). Seeing them follows the customer: a rep only
    # on own customers.
    "care.festivals": {Role.BOSS, Role.MANAGER},
    "care.record": {Role.BOSS, Role.MANAGER, Role.REP, Role.CLERK},
    "notifications.channels": {Role.BOSS},
    "survey.record": {Role.BOSS, Role.MANAGER, Role.REP},
    "survey.link": {Role.BOSS, Role.MANAGER, Role.REP, Role.CLERK},
    "satisfaction.report": {Role.BOSS, Role.MANAGER},
    "complaint.record": {Role.BOSS, Role.MANAGER, Role.REP, Role.CLERK},
    "complaint.assign": {Role.BOSS, Role.MANAGER},
    "complaint.settings": {Role.BOSS},
}


class UserQuerySet(CompanyQuerySet):
    def reps(self) -> UserQuerySet:
        """Logins that can own customers (reps and the managers who also sell)."""
        return self.filter(is_active=True, role__in=[Role.REP, Role.MANAGER])


class CompanyUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A login of one company's employee. Superusers without a company see no business data."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("company"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.REP)
    display_name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)

    objects = CompanyUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def can(self, permission: str) -> bool:
        return (
            self.is_active and self.company_id is not None and self.role in PERMISSIONS[permission]
        )

    @property
    def is_rep(self) -> bool:
        return self.role == Role.REP

    @property
    def sees_whole_company(self) -> bool:
        return self.role != Role.REP


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def authenticate(self, raw: str) -> User | None:
        """The active user holding this unexpired token, or None."""
        token = (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


class ApiToken(models.Model):
    """A bearer token for the HTTP API; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, user: User, days: int = 30) -> str:
        """Create a token for user and return the raw value (shown once, never stored)."""
        raw = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            key_hash=_hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return raw
