"""Creating logins."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.staff.models import Employee


@transaction.atomic
def create_user(
    *,
    username: str,
    company: Company,
    role: str,
    password: str,
    display_name: str = "",
    mobile: str = "",
) -> User:
    """Create a login of company with role; raises ValidationError on a bad value."""
    if role not in Role.values:
        raise ValidationError(
            {"role": _("Role must be one of %(roles)s.") % {"roles": ", ".join(Role.values)}}
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("Username “%(name)s” is taken.") % {"name": username}})
    user = User(
        username=username, company=company, role=role, display_name=display_name, mobile=mobile
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    # Every login is an employee too (staff profile, skills, training); see staff/models.py.
    Employee.objects.create(company=company, user=user, name=display_name or username, phone=mobile)
    return user
