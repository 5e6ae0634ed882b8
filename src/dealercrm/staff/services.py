"""Staff profiles: the rules behind the staff pages, and the figures a boss reads to develop people.

An employee's customers, visits and sales are those of their login (Customer.rep, Visit.rep):
an employee without a login owns nothing. Every figure is read with a fixed number of grouped
queries, whatever the number of customers or employees.

Visits expected in a month (the employee page): for each customer the employee owns now, the
month's days / the visit interval (days) of its class's service policy (an unclassified customer
counts as C), summed and rounded to one decimal; the current month counts its days up to today,
as the managers' visit report does. It is what the current book of customers asks for, not a
reconstruction of past ownership. `expected_per_month` is the same for 30 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.models import User
from dealercrm.core.pinyin import pinyin_sort_key
from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.sales.models import OrderLine
from dealercrm.sales.services import monthly_sales
from dealercrm.staff.choices import EmployeeStatus, TrainingKind
from dealercrm.staff.models import Employee, Skill, SkillAssessment, Training

CLASSES = (CustomerClass.A, CustomerClass.B, CustomerClass.C)
VISIT_MONTHS = 6
SALES_MONTHS = 12
DAYS_PER_MONTH = 30
# File completeness (0–100 %) in five buckets, lowest first.
COMPLETENESS_BUCKETS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))
HOURS = Decimal("0.1")
ONE_PLACE = Decimal("0.1")


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


def _hours(value: Any) -> Decimal:
    """A sum of hours as an exact Decimal (SQLite answers sums of decimals as floats)."""
    return Decimal(0).quantize(HOURS) if value is None else Decimal(str(value)).quantize(HOURS)


def _company_today(company: Any) -> dt.date:
    return timezone.localtime(timezone.now(), ZoneInfo(company.time_zone)).date()


# ---------------------------------------------------------------------------- rules


def _manager_cycle(employee: Employee, manager: Employee) -> bool:
    """Whether making `manager` the employee's manager closes a loop (one query)."""
    if employee.pk is None:
        return False
    bosses = dict(Employee.objects.for_company(employee.company_id).values_list("id", "manager_id"))
    seen: set[int] = set()
    current: int | None = manager.pk
    while current is not None and current not in seen:
        if current == employee.pk:
            return True
        seen.add(current)
        current = bosses.get(current)
    return False


def check_profile(employee: Employee) -> None:
    """The rules of a profile; ValidationError names each bad field."""
    errors: dict[str, str] = {}
    if employee.status == EmployeeStatus.LEFT and employee.left_on is None:
        errors["left_on"] = _("Enter the day the employee left.")
    if employee.hire_date and employee.left_on and employee.left_on < employee.hire_date:
        errors["left_on"] = _("The leaving date is before the hire date.")
    manager = employee.manager
    if manager is not None:
        if manager.company_id != employee.company_id:
            errors["manager"] = _("The manager must be an employee of the same company.")
        elif employee.pk is not None and manager.pk == employee.pk:
            errors["manager"] = _("An employee cannot be their own manager.")
        elif _manager_cycle(employee, manager):
            errors["manager"] = _(
                "%(manager)s reports to %(name)s already: managers cannot go round in a circle."
            ) % {"manager": manager, "name": employee}
    region = employee.sales_region
    if region is not None and region.company_id != employee.company_id:
        errors["sales_region"] = _("Choose a sales region of the company.")
    user = employee.user
    if user is not None:
        if user.company_id != employee.company_id:
            errors["user"] = _("Choose a login of the company.")
        elif (
            Employee.objects.for_company(employee.company_id)
            .filter(user=user)
            .exclude(pk=employee.pk)
            .exists()
        ):
            errors["user"] = _("This login belongs to another employee's profile.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_employee(employee: Employee, *, actor: Any) -> Employee:
    """Create or change a profile after checking its rules.

    Setting status "left" moves nothing: the customers are handed over on the handover page.
    """
    if employee.status == EmployeeStatus.ACTIVE:
        employee.left_on = None
    check_profile(employee)
    employee.save()
    return employee


def unlinked_logins(company: Any, employee: Employee | None = None) -> Iterable[User]:
    """Logins of the company without a profile (plus the employee's own), to link one."""
    taken = Employee.objects.for_company(company).exclude(user=None)
    if employee is not None and employee.pk is not None:
        taken = taken.exclude(pk=employee.pk)
    return (
        User.objects.for_company(company)
        .exclude(pk__in=taken.values("user_id"))
        .order_by("username")
    )


# ---------------------------------------------------------------------------- the list


@dataclass
class EmployeeRow:
    employee: Employee
    by_class: dict[str, int]
    unclassified: int
    training_hours: Decimal

    @property
    def customers(self) -> int:
        return sum(self.by_class.values()) + self.unclassified


def owned_by_class(company: Any, user_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{login id: {"A": n, "B": n, "C": n, "": n}} of the customers owned now (one query)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Customer.objects.for_company(company)
        .filter(rep_id__in=list(user_ids))
        .values("rep_id", "abc_class")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["rep_id"], {})[row["abc_class"]] = row["count"]
    return counts


def in_list_order(employees: Iterable[Employee]) -> list[Employee]:
    """Active before left, each in pinyin order of the name (docs/decisions.md, "Pages")."""
    return sorted(employees, key=lambda e: (e.status, pinyin_sort_key(e.name)))


def staff_rows(
    viewer: Any, *, status: str = EmployeeStatus.ACTIVE, region: SalesRegion | None = None
) -> list[EmployeeRow]:
    """The staff list: status "active", "left" or "all"; a region takes the regions below it."""
    employees = Employee.objects.visible_to(viewer).select_related(
        "manager", "sales_region", "user"
    )
    if status in EmployeeStatus.values:
        employees = employees.filter(status=status)
    if region is not None:
        employees = employees.filter(sales_region_id__in=region.descendant_ids())
    employees_list = in_list_order(employees)
    user_ids = [e.user_id for e in employees_list if e.user_id]
    counts = owned_by_class(viewer.company_id, user_ids)
    year = _company_today(viewer.company).year
    hours = dict(
        Training.objects.for_company(viewer.company_id)
        .filter(employee__in=[e.pk for e in employees_list], date__year=year)
        .values("employee_id")
        .annotate(total=Sum("hours"))
        .order_by()
        .values_list("employee_id", "total")
    )
    rows = []
    for employee in employees_list:
        owned = counts.get(employee.user_id, {}) if employee.user_id else {}
        rows.append(
            EmployeeRow(
                employee=employee,
                by_class={c: owned.get(c, 0) for c in CLASSES},
                unclassified=owned.get("", 0),
                training_hours=_hours(hours.get(employee.pk)),
            )
        )
    return rows


# ---------------------------------------------------------------------------- the employee page


@dataclass
class ClassCount:
    abc_class: str
    count: int
    url: str


@dataclass
class VisitMonth:
    month: str
    done: int
    planned: int
    expected: Decimal


@dataclass
class Bucket:
    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}%"


@dataclass
class SkillLevel:
    skill: Skill
    current: SkillAssessment | None
    history: list[SkillAssessment] = field(default_factory=list)


@dataclass
class EmployeeFigures:
    """What the employee page shows beyond the profile."""

    by_class: list[ClassCount]
    unclassified: int
    visits: list[VisitMonth]
    expected_per_month: Decimal
    sales: list[tuple[str, Decimal]]
    completeness_average: int | None
    completeness: list[Bucket]
    trainings: list[Training]
    training_hours_year: Decimal
    skills: list[SkillLevel]

    @property
    def customers(self) -> int:
        return sum(c.count for c in self.by_class) + self.unclassified

    @property
    def sales_total(self) -> Decimal:
        return sum((amount for _month, amount in self.sales), Decimal("0.00"))

    def sales_chart(self, labels: dict[str, str]) -> dict[str, Any]:
        """For json_script: months and amounts as strings of Decimals."""
        return {
            "months": [month for month, _amount in self.sales],
            "amounts": [str(amount) for _month, amount in self.sales],
            **labels,
        }

    def visits_chart(self, labels: dict[str, str]) -> dict[str, Any]:
        return {
            "months": [v.month for v in self.visits],
            "done": [v.done for v in self.visits],
            "expected": [str(v.expected) for v in self.visits],
            **labels,
        }

    def skills_chart(self) -> dict[str, Any]:
        """One step line per assessed skill: [date, level] points, oldest first."""
        return {
            "series": [
                {
                    "name": level.skill.name,
                    "points": [[f"{a.assessed_on:%Y-%m-%d}", a.level] for a in level.history],
                }
                for level in self.skills
                if level.history
            ]
        }


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    index = today.year * 12 + today.month - 1
    return [dt.date(m // 12, m % 12 + 1, 1) for m in range(index - count + 1, index + 1)]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def customer_list_url(username: str, abc_class: str) -> str:
    return f"{reverse('customers:list')}?{urlencode({'owner': username, 'abc_class': abc_class})}"


def expected_visits_per_day(company: Any, by_class: dict[str, int]) -> Decimal:
    """Σ over owned customers of 1 / their class's visit interval in days (unclassified: C),
    unrounded: multiply by a number of days, then round."""
    from dealercrm.visits.services import policy_class, visit_intervals

    intervals = visit_intervals(company)
    return sum(
        (Decimal(count) / intervals[policy_class(c)] for c, count in by_class.items()), Decimal(0)
    )


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, ROUND_HALF_UP)


def _visits_by_month(employee: Employee, today: dt.date, per_day: Decimal) -> list[VisitMonth]:
    from dealercrm.visits.choices import VisitStatus
    from dealercrm.visits.models import Visit

    starts = _month_starts(today, VISIT_MONTHS)
    zone = ZoneInfo(employee.company.time_zone)
    done: dict[tuple[int, int], int] = {}
    planned: dict[tuple[int, int], int] = {}
    if employee.user_id:
        visits = Visit.objects.for_company(employee.company_id).filter(rep_id=employee.user_id)
        since = dt.datetime.combine(starts[0], dt.time.min, tzinfo=zone)
        until = dt.datetime.combine(_next_month(starts[-1]), dt.time.min, tzinfo=zone)
        rows = (
            visits.filter(status=VisitStatus.DONE, visited_at__gte=since, visited_at__lt=until)
            .annotate(month=TruncMonth("visited_at", tzinfo=zone))
            .values("month")
            .annotate(count=Count("id"))
            .order_by()
        )
        for row in rows:
            done[(row["month"].year, row["month"].month)] = row["count"]
        rows = (
            visits.exclude(status=VisitStatus.CANCELLED)
            .filter(planned_for__gte=starts[0], planned_for__lt=_next_month(starts[-1]))
            .annotate(month=TruncMonth("planned_for"))
            .values("month")
            .annotate(count=Count("id"))
            .order_by()
        )
        for row in rows:
            planned[(row["month"].year, row["month"].month)] = row["count"]
    return [
        VisitMonth(
            month=f"{start:%Y-%m}",
            done=done.get((start.year, start.month), 0),
            planned=planned.get((start.year, start.month), 0),
            expected=_rounded(per_day * _days_counted(start, today)),
        )
        for start in starts
    ]


def _days_counted(month_start: dt.date, today: dt.date) -> int:
    """The month's days, or for the current month its days up to today (as the visit report)."""
    from dealercrm.visits.services import month_period

    start, end = month_period(month_start, today)
    return (end - start).days + 1


def _completeness(employee: Employee) -> tuple[int | None, list[Bucket]]:
    if not employee.user_id:
        return None, [Bucket(low, high, 0) for low, high in COMPLETENESS_BUCKETS]
    counts = {
        f"b{low}": Count("id", filter=Q(completeness__gte=low, completeness__lte=high))
        for low, high in COMPLETENESS_BUCKETS
    }
    values = (
        Customer.objects.for_company(employee.company_id)
        .filter(rep_id=employee.user_id)
        .aggregate(average=Avg("completeness"), **counts)
    )
    average = values["average"]
    buckets = [Bucket(low, high, values[f"b{low}"]) for low, high in COMPLETENESS_BUCKETS]
    return (None if average is None else round(average)), buckets


def skill_levels(employee: Employee) -> list[SkillLevel]:
    """Every skill of the company with the employee's current level and history (2 queries)."""
    levels = {
        skill.pk: SkillLevel(skill=skill, current=None)
        for skill in Skill.objects.for_company(employee.company_id)
    }
    assessments = (
        SkillAssessment.objects.for_company(employee.company_id)
        .filter(employee=employee)
        .select_related("assessed_by")
        .order_by("assessed_on", "id")
    )
    for assessment in assessments:
        level = levels.get(assessment.skill_id)
        if level is not None:
            level.history.append(assessment)
            level.current = assessment
    return list(levels.values())


def employee_figures(employee: Employee, today: dt.date | None = None) -> EmployeeFigures:
    """Customers by class, visits, sales, file completeness, training and skills of one employee."""
    company = employee.company
    today = today or _company_today(company)
    owned = owned_by_class(company, [employee.user_id]).get(employee.user_id, {})
    if not employee.user_id:
        owned = {}
    username = employee.user.username if employee.user_id else ""
    by_class = [
        ClassCount(c, owned.get(c, 0), customer_list_url(username, c) if username else "")
        for c in CLASSES
    ]
    per_day = expected_visits_per_day(company, owned) if owned else Decimal(0)
    if employee.user_id:
        lines = OrderLine.objects.for_company(company).filter(customer__rep_id=employee.user_id)
        sales = monthly_sales(lines, today, SALES_MONTHS)
    else:
        sales = monthly_sales(OrderLine.objects.none(), today, SALES_MONTHS)
    average, buckets = _completeness(employee)
    trainings = list(
        Training.objects.for_company(company)
        .filter(employee=employee)
        .select_related("coach", "recorded_by")
        .order_by("-date", "-id")
    )
    hours_year = sum(
        (t.hours for t in trainings if t.hours is not None and t.date.year == today.year),
        Decimal(0),
    )
    return EmployeeFigures(
        by_class=by_class,
        unclassified=owned.get("", 0),
        visits=_visits_by_month(employee, today, per_day),
        expected_per_month=_rounded(per_day * DAYS_PER_MONTH),
        sales=sales,
        completeness_average=average,
        completeness=buckets,
        trainings=trainings,
        training_hours_year=_hours(hours_year),
        skills=skill_levels(employee),
    )


# ---------------------------------------------------------------------------- training, skills


def add_training(
    employee: Employee,
    *,
    date: dt.date,
    topic: str,
    kind: str,
    coach: Employee | None = None,
    coach_name: str = "",
    hours: Decimal | None = None,
    outcome: str = "",
    actor: Any,
) -> Training:
    """Record a training or coaching; a coach is a colleague (not the trainee) or an outsider."""
    errors: dict[str, str] = {}
    if not (topic or "").strip():
        errors["topic"] = _("Enter the topic.")
    if kind not in TrainingKind.values:
        errors["kind"] = _("Choose the kind of training.")
    if coach is not None:
        if coach.company_id != employee.company_id:
            errors["coach"] = _("The coach must be an employee of the same company.")
        elif coach.pk == employee.pk:
            errors["coach"] = _("An employee cannot coach themselves.")
        elif coach_name.strip():
            errors["coach_name"] = _("Give a colleague or an outside trainer, not both.")
    if kind == TrainingKind.MENTORING and coach is None:
        errors["coach"] = _("传帮带 is coaching by a colleague: choose the colleague.")
    if hours is not None and hours < 0:
        errors["hours"] = _("Hours cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return Training.objects.create(
        company_id=employee.company_id,
        employee=employee,
        date=date,
        topic=topic.strip(),
        kind=kind,
        coach=coach,
        coach_name=coach_name.strip(),
        hours=hours,
        outcome=outcome.strip(),
        recorded_by=actor,
    )


def assess(
    employee: Employee,
    *,
    skill: Skill,
    level: int,
    assessed_on: dt.date,
    note: str = "",
    actor: Any,
) -> SkillAssessment:
    """Record a level (1–5) in a skill on a day; the latest one is the current level."""
    errors: dict[str, str] = {}
    if skill.company_id != employee.company_id:
        errors["skill"] = _("Choose a skill of the company.")
    if level not in range(1, 6):
        errors["level"] = _("The level is from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    return SkillAssessment.objects.create(
        company_id=employee.company_id,
        employee=employee,
        skill=skill,
        level=level,
        assessed_on=assessed_on,
        note=note.strip(),
        assessed_by=actor,
    )


def save_skill(skill: Skill) -> Skill:
    """Add or rename / reorder a skill; names are unique in the company."""
    skill.name = skill.name.strip()
    if not skill.name:
        raise ValidationError({"name": _("Enter the skill's name.")})
    clash = Skill.objects.for_company(skill.company_id).filter(name=skill.name)
    if clash.exclude(pk=skill.pk).exists():
        raise ValidationError(
            {"name": _("There is a skill “%(name)s” already.") % {"name": skill.name}}
        )
    if skill.pk is None and not skill.position:
        last = Skill.objects.for_company(skill.company_id).order_by("-position").first()
        skill.position = (last.position + 1) if last else 1
    skill.save()
    return skill


def delete_skill(skill: Skill) -> None:
    """Delete a skill nobody has been assessed in (the assessments are people's history)."""
    used = SkillAssessment.objects.for_company(skill.company_id).filter(skill=skill).count()
    if used:
        raise ValidationError(
            _("“%(name)s” cannot be deleted: %(count)s assessments use it. Rename it instead.")
            % {"name": skill.name, "count": used}
        )
    skill.delete()


def move_skill(skill: Skill, step: int) -> None:
    """Move a skill one place up (step −1) or down (+1) in the company's list."""
    skills = list(Skill.objects.for_company(skill.company_id).order_by("position", "name", "id"))
    index = next(i for i, s in enumerate(skills) if s.pk == skill.pk)
    other = index + step
    if not 0 <= other < len(skills):
        return
    skills[index], skills[other] = skills[other], skills[index]
    for position, item in enumerate(skills, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
