"""Staff profiles: the rules behind the staff pages."""

from __future__ import annotations

from typing import Any

from dealercrm.staff.models import Employee


def profile_for(user: Any) -> Employee:
    """The employee profile of a login, created from the login when it has none yet."""
    employee = Employee.objects.filter(company_id=user.company_id, user=user).first()
    if employee is None:
        employee = Employee.objects.create(
            company_id=user.company_id,
            user=user,
            name=user.display_name or user.username,
            phone=user.mobile,
        )
    return employee
