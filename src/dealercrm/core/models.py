"""Shared base models: company ownership with its scoping, and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from dealercrm.accounts.models import User


class CompanyQuerySet(models.QuerySet):
    """The one place where rows are scoped to a company.

    Every page, API endpoint, export, search and job starts from `visible_to(user)` (or
    `for_company(company)` for jobs and commands that act for a whole company). Models whose
    rows a rep may see only in part (customers and what hangs off them) narrow it further.
    """

    def for_company(self, company: Any) -> CompanyQuerySet:
        return self.filter(company=company)

    def visible_to(self, user: User | Any) -> CompanyQuerySet:
        company_id = getattr(user, "company_id", None)
        if not getattr(user, "is_authenticated", False) or company_id is None:
            return self.none()
        return self.filter(company_id=company_id)


class CompanyOwned(models.Model):
    """A row that belongs to one company (the tenant); `company_id` leads every unique key."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, verbose_name=_("company"), related_name="+"
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditSource(models.TextChoices):
    WEB = "web", _("web page")
    API = "api", _("API")
    IMPORT = "import", _("import")
    COMMAND = "command", _("command line")
    SYSTEM = "system", _("system")


class AuditEntry(CompanyOwned):
    """One change to a customer file: who, when, and each field's before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    source = models.CharField(_("through"), max_length=10, choices=AuditSource.choices)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    # "customer", "contact", "carriedproduct": the model whose row changed.
    object_type = models.CharField(_("record type"), max_length=40)
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    # The customer file the change belongs to; kept after the customer is deleted.
    file_id = models.BigIntegerField(_("customer file"), db_index=True)
    # {field name: [before, after]} as display text.
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["company", "file_id", "-at"], name="audit_company_file_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
