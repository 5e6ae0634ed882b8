"""What the import and export commands share: finding the company and the acting user."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from dealercrm.accounts.models import User
from dealercrm.companies.models import Company


def company_by_code(code: str) -> Company:
    company = Company.objects.filter(code=code).first()
    if company is None:
        raise CommandError(_("No company with code “%(code)s”.") % {"code": code})
    return company


def user_of(company: Company, username: str | None, permission: str) -> User | None:
    """The user named by --user, who must belong to the company and hold the permission."""
    if not username:
        return None
    user = User.objects.filter(company=company, username=username).first()
    if user is None:
        raise CommandError(
            _("No user “%(name)s” in company %(company)s.")
            % {"name": username, "company": company.code}
        )
    if not user.can(permission):
        raise CommandError(_("User “%(name)s” may not do this.") % {"name": username})
    return user
