"""The employee page and the follow-ups section on a phone, under the CSP (no inline script)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dealercrm.reminders.models import Reminder
from dealercrm.staff import services
from dealercrm.staff.models import Skill
from dealercrm.staff.services import profile_for
from dealercrm.staff.tests.helpers import alices_book, sale
from dealercrm.testing import log_in, watch_for_blocked_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_boss_reads_an_employee_page_with_its_charts_on_a_phone(phone_page, personas, tmp_path):
    customers = alices_book(personas)
    today = timezone.localdate()
    sale(customers["A001"], today, "300")
    alice = profile_for(personas.rep)
    skill = Skill.objects.create(company=personas.company, name="谈判")
    for days, level in ((300, 2), (10, 4)):
        services.assess(
            alice,
            skill=skill,
            level=level,
            assessed_on=today - dt.timedelta(days=days),
            actor=personas.boss,
        )
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "boss")
    page.goto(reverse("staff:detail", args=[alice.pk]))
    for chart in ("#staff-visits-chart", "#staff-sales-chart", "#staff-skills-chart"):
        page.wait_for_selector(f"{chart} canvas")
    assert page.locator("#customer-total").inner_text() == "5"
    # Nothing wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(tmp_path / "employee.png"), full_page=True)
    assert problems == []


def test_a_rep_adds_and_completes_a_follow_up_on_a_phone(phone_page, personas):
    page = phone_page
    problems = watch_for_blocked_content(page)
    log_in(page, "alice")
    page.goto(reverse("customers:detail", args=[personas.rep_customer.pk]))
    page.click("#reminders summary")
    page.fill("#reminder-form [name=due_on]", "2026-01-02")
    page.fill("#reminder-form [name=text]", "回访陈列")
    page.click("#reminder-form button[type=submit]")
    page.wait_for_selector("#open-reminders .overdue")
    reminder = Reminder.objects.get()
    assert (reminder.assignee, reminder.text) == (personas.rep, "回访陈列")
    page.click(f"#reminder-{reminder.pk} button[type=submit]")
    page.wait_for_selector("#no-reminders")
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert problems == []
