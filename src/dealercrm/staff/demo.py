"""The demo dealer's staff: profiles, a skill list, a year of assessments showing growth,
trainings (传帮带 by the managers, an outside course, on-the-job) and a few follow-ups.

Deterministic (a fixed seed, dates relative to `today`) and fast (bulk inserts). Call it after
customers.demo.load_demo, which creates the logins (each with its profile) and the regions.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.customers.demo import REPS_PER_AREA, TOWNSHIPS
from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion
from dealercrm.reminders.models import Reminder
from dealercrm.staff.choices import TrainingKind
from dealercrm.staff.models import Employee, Skill, SkillAssessment, Training
from dealercrm.staff.services import profile_for

SEED = 20091216
SKILLS = [
    ("陈列", "终端货架、堆头与价签的陈列标准"),
    ("谈判", "进店、价格、账期与陈列费的谈判"),
    ("收款", "按时对账收款，控制应收"),
    ("产品知识", "本品与竞品的规格、卖点与价格"),
    ("客户关系维护", "按客户档案做生日、节日关怀与回访"),
]
POSITIONS = {Role.BOSS: "老板", Role.MANAGER: "销售经理", Role.CLERK: "内勤", Role.REP: "业务员"}
# The two managers split the areas; reps report to the manager of their area.
MANAGER_OF_AREA = {"城区片": "manager1", "东片": "manager1", "西片": "manager2"}
MANAGER_OF_AREA |= {"南片": "manager2", "北片": "manager2"}
FOLLOW_UPS = ["回访新品铺货情况", "催收上月货款", "商谈端午堆头陈列", "送中秋礼品并确认节日订单"]


@dataclass
class LoadedStaff:
    employees: int
    assessments: int
    trainings: int
    follow_ups: int


def _rep_areas() -> dict[str, str]:
    """rep01–rep12 → sales area, in the order customers.demo.build_staff gives them."""
    areas = [area for area, count in REPS_PER_AREA.items() for _ in range(count)]
    return {f"rep{number:02d}": area for number, area in enumerate(areas, start=1)}


@transaction.atomic
def load_demo_staff(company: Company, today: dt.date) -> LoadedStaff:
    """Fill the demo company's staff development data (once: a second call changes nothing)."""
    if Skill.objects.for_company(company).exists():
        return LoadedStaff(0, 0, 0, 0)
    rng = random.Random(SEED)
    users = {u.username: u for u in User.objects.for_company(company).order_by("username")}
    profiles = {name: profile_for(user) for name, user in users.items()}
    regions = {r.name: r for r in SalesRegion.objects.for_company(company)}
    areas = _rep_areas()
    bases = {}
    for township in TOWNSHIPS:
        bases.setdefault(township.area, township)
    _fill_profiles(users, profiles, regions, areas, bases, today)
    skills = [
        Skill(company=company, name=name, description=text, position=position)
        for position, (name, text) in enumerate(SKILLS, start=1)
    ]
    Skill.objects.bulk_create(skills)
    boss = users.get("boss")
    reps = [profiles[name] for name in sorted(profiles) if name in areas]
    assessments = _assessments(company, rng, reps, skills, boss, today)
    trainings = _trainings(company, rng, reps, profiles, users, today)
    follow_ups = _follow_ups(
        company, rng, [users[name] for name in sorted(areas) if name in users], boss, today
    )
    return LoadedStaff(len(profiles), assessments, trainings, follow_ups)


def _fill_profiles(
    users: dict[str, User],
    profiles: dict[str, Employee],
    regions: dict[str, SalesRegion],
    areas: dict[str, str],
    bases: dict,
    today: dt.date,
) -> None:
    boss = profiles.get("boss")
    for index, (name, employee) in enumerate(sorted(profiles.items())):
        user = users[name]
        employee.position = POSITIONS.get(user.role, "")
        if user.role == Role.BOSS:
            employee.hire_date = dt.date(2009, 3, 1)
        elif user.role == Role.MANAGER:
            employee.hire_date = dt.date(2012 + index % 3, 4, 1)
            employee.manager = boss
        elif user.role == Role.CLERK:
            employee.hire_date = dt.date(2017, 7, 15)
            employee.manager = boss
        else:
            area = areas.get(name, "")
            # Reps joined over the years; the last two this year's spring.
            years_ago = max(0, 10 - index)
            employee.hire_date = dt.date(today.year - years_ago, 1 + index % 12, 1)
            if employee.hire_date > today:
                employee.hire_date = today - dt.timedelta(days=90)
            employee.sales_region = regions.get(area)
            employee.manager = profiles.get(MANAGER_OF_AREA.get(area, ""), boss)
            township = bases.get(area)
            if township is not None:
                employee.base_latitude = Decimal(str(township.latitude))
                employee.base_longitude = Decimal(str(township.longitude))
    Employee.objects.bulk_update(
        profiles.values(),
        ["position", "hire_date", "manager", "sales_region", "base_latitude", "base_longitude"],
    )


def _assessments(
    company: Company,
    rng: random.Random,
    reps: list[Employee],
    skills: list[Skill],
    boss: User | None,
    today: dt.date,
) -> int:
    """Each rep assessed in every skill a year ago, six months ago and last month, growing."""
    rows = []
    days = [today - dt.timedelta(days=d) for d in (350, 180, 20)]
    for rep in reps:
        for skill in skills:
            level = rng.randint(1, 3)
            for step, day in enumerate(days):
                if step:
                    level = min(5, level + rng.choice((0, 1, 1)))
                rows.append(
                    SkillAssessment(
                        company=company,
                        employee=rep,
                        skill=skill,
                        level=level,
                        assessed_on=day,
                        assessed_by=boss,
                        note="季度评估" if step else "入职/年度评估",
                    )
                )
    SkillAssessment.objects.bulk_create(rows)
    return len(rows)


def _trainings(
    company: Company,
    rng: random.Random,
    reps: list[Employee],
    profiles: dict[str, Employee],
    users: dict[str, User],
    today: dt.date,
) -> int:
    recorder = users.get("manager1")
    course_day = today - dt.timedelta(days=120)
    rows = []
    for rep in reps:
        coach = rep.manager or profiles.get("manager1")
        for months_ago, topic, outcome in (
            (10, "跟线拜访：A类店进店与陈列", "能按标准完成A类店陈列"),
            (4, "跟线拜访：对账收款与账期谈判", "学会按月对账，应收下降"),
        ):
            rows.append(
                Training(
                    company=company,
                    employee=rep,
                    date=today - dt.timedelta(days=30 * months_ago + rng.randrange(7)),
                    topic=topic,
                    kind=TrainingKind.MENTORING,
                    coach=coach,
                    hours=Decimal(rng.choice(("4", "6", "8"))),
                    outcome=outcome,
                    recorded_by=recorder,
                )
            )
        rows.append(
            Training(
                company=company,
                employee=rep,
                date=course_day,
                topic="厂家终端生动化陈列培训",
                kind=TrainingKind.COURSE,
                coach_name="厂家培训师 王老师",
                hours=Decimal("16"),
                outcome="考试合格",
                recorded_by=recorder,
            )
        )
        rows.append(
            Training(
                company=company,
                employee=rep,
                date=today - dt.timedelta(days=45 + rng.randrange(10)),
                topic="新品知识：夏季饮品上市",
                kind=TrainingKind.ON_THE_JOB,
                coach=profiles.get("clerk"),
                hours=Decimal("2"),
                outcome="",
                recorded_by=recorder,
            )
        )
    Training.objects.bulk_create(rows)
    return len(rows)


def _follow_ups(
    company: Company, rng: random.Random, reps: list[User], boss: User | None, today: dt.date
) -> int:
    """Three follow-ups per rep on their own customers: one overdue, one today, one next week."""
    owned: dict[int, list[int]] = {}
    customers = (
        Customer.objects.for_company(company)
        .filter(rep__in=reps)
        .order_by("code")
        .values_list("rep_id", "id")
    )
    for rep_id, customer_id in customers:
        if len(owned.setdefault(rep_id, [])) < 3:
            owned[rep_id].append(customer_id)
    rows = []
    for rep in reps:
        for offset, customer_id in zip((-3, 0, 7), owned.get(rep.pk, []), strict=False):
            rows.append(
                Reminder(
                    company=company,
                    customer_id=customer_id,
                    assignee=rep,
                    due_on=today + dt.timedelta(days=offset),
                    text=rng.choice(FOLLOW_UPS),
                    created_by=boss,
                )
            )
    Reminder.objects.bulk_create(rows)
    return len(rows)
