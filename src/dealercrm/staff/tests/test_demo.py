"""The demo staff: profiles filled, skills growing over a year, trainings of every kind."""

import dataclasses
import datetime as dt

import pytest

from dealercrm.customers import demo as customers_demo
from dealercrm.reminders.models import Reminder
from dealercrm.staff import services
from dealercrm.staff.demo import load_demo_staff
from dealercrm.staff.models import Employee, Skill, Training

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def demo_company(db):
    dealer = customers_demo.build_demo()
    # Every login and region, a few customers per rep: enough for the staff data.
    small = dataclasses.replace(dealer, customers=dealer.customers[:200])
    return customers_demo.load_demo(small).company


def test_the_demo_staff_is_filled_deterministically(demo_company):
    loaded = load_demo_staff(demo_company, TODAY)

    employees = {e.user.username: e for e in Employee.objects.for_company(demo_company)}
    assert loaded.employees == len(employees) == 16
    rep = employees["rep05"]
    assert (rep.position, rep.sales_region.name, rep.manager.name) == ("业务员", "东片", "李红梅")
    assert rep.base_latitude is not None and rep.hire_date <= TODAY
    assert employees["boss"].position == "老板" and employees["clerk"].position == "内勤"
    skills = list(Skill.objects.for_company(demo_company).values_list("name", flat=True))
    assert skills == ["陈列", "谈判", "收款", "产品知识", "客户关系维护"]
    kinds = set(Training.objects.for_company(demo_company).values_list("kind", flat=True))
    assert kinds == {"mentoring", "course", "on_the_job"}
    assert Reminder.objects.for_company(demo_company).filter(due_on__lt=TODAY).exists()

    levels = services.skill_levels(rep)
    assert all(len(level.history) == 3 for level in levels)
    assert all(level.history[0].level <= level.history[-1].level for level in levels)
    assert any(level.history[0].level < level.history[-1].level for level in levels)
    assert all(level.history[0].assessed_on >= TODAY - dt.timedelta(days=365) for level in levels)

    again = load_demo_staff(demo_company, TODAY)
    assert again.assessments == 0 and Skill.objects.for_company(demo_company).count() == 5
