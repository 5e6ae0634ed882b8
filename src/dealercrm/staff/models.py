"""Staff, the dealer's "first customer": profiles, skills and their levels over time, training.

An employee may have a login (accounts.User); customers, visits and reminders are owned by
logins, so an employee's customers are those of their login.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned, CompanyQuerySet
from dealercrm.core.phones import display_phone
from dealercrm.staff.choices import SKILL_LEVELS, EmployeeStatus, TrainingKind


class EmployeeQuerySet(CompanyQuerySet):
    def visible_to(self, user: Any) -> EmployeeQuerySet:
        """Boss and managers see the whole staff; anyone else only their own profile."""
        queryset = super().visible_to(user)
        if not (getattr(user, "company_id", None) and user.can("staff.view")):
            queryset = queryset.filter(user_id=getattr(user, "pk", None))
        return queryset

    def active(self) -> EmployeeQuerySet:
        return self.filter(status=EmployeeStatus.ACTIVE)


class Employee(CompanyOwned):
    """A staff member (员工), with or without a login."""

    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    sales_region = models.ForeignKey(
        "regions.SalesRegion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("region"),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee_profiles",
        verbose_name=_("login"),
    )
    # Where the rep's day starts when the phone gives no position (home, depot).
    base_latitude = models.DecimalField(
        _("start point latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    base_longitude = models.DecimalField(
        _("start point longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["status", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"],
                condition=Q(user__isnull=False),
                name="employee_one_profile_per_login",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def is_active(self) -> bool:
        return self.status == EmployeeStatus.ACTIVE


class Skill(CompanyOwned):
    """A skill the company develops in its people (its own list: 陈列, 谈判, 收款…)."""

    name = models.CharField(_("skill"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="skill_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SkillAssessment(CompanyOwned):
    """An employee's level in a skill as assessed on a day; the latest one is the current level."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("employee")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("skill")
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=SKILL_LEVELS,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        ordering = ["employee", "skill", "-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["company", "employee", "skill"], name="assessment_employee_skill")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.skill} {self.level}"


class Training(CompanyOwned):
    """A training or coaching record: 传帮带 by a colleague, an external course, on the job."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("employee")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TrainingKind.choices)
    # A colleague who coached (传帮带), or the name of an outside trainer.
    coach = models.ForeignKey(
        Employee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached",
        verbose_name=_("coach"),
    )
    coach_name = models.CharField(_("outside trainer"), max_length=50, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["employee", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"
