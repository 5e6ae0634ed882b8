"""Overdue complaints are escalated once to the handler's manager, not before the deadline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dealercrm.accounts.choices import Role
from dealercrm.complaints import services
from dealercrm.jobs.registry import get_job
from dealercrm.notifications.models import Notification
from dealercrm.staff.services import profile_for
from dealercrm.testing import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
DEADLINE = RECEIVED + timedelta(hours=24)


@pytest.fixture
def complaint(personas):
    return services.open_complaint(
        personas.rep_customer,
        category="delivery",
        severity="high",
        description="断货三天",
        actor=personas.rep,
        received_at=RECEIVED,
    )


def _escalations():
    return list(
        Notification.objects.filter(kind="complaint_escalated")
        .order_by("recipient__username")
        .values_list("recipient__username", "key")
    )


def test_nothing_is_escalated_before_the_deadline(personas, complaint):
    assert services.escalate_overdue(personas.company, DEADLINE) == []
    complaint.refresh_from_db()
    assert complaint.escalated_at is None
    assert _escalations() == []


def test_an_overdue_complaint_goes_to_the_owners_manager_once(personas, complaint):
    later = DEADLINE + timedelta(minutes=1)

    first = services.escalate_overdue(personas.company, later)
    second = services.escalate_overdue(personas.company, later + timedelta(hours=5))

    assert [c.pk for c in first] == [complaint.pk]
    assert second == []
    complaint.refresh_from_db()
    assert complaint.escalated_at == later
    assert complaint.escalated_to == personas.manager  # alice's manager in the staff profiles
    key = f"complaint:{complaint.pk}:escalated"
    assert _escalations() == [("alice", key), ("manager", key)]
    assert Notification.objects.get(recipient=personas.manager, key=key).link == (
        f"/complaints/{complaint.pk}/"
    )


def test_without_a_manager_in_the_profile_the_company_managers_are_told(personas, complaint):
    profile = profile_for(personas.rep)
    profile.manager = None
    profile.save(update_fields=["manager"])
    second_manager = UserFactory(username="manager2", company=personas.company, role=Role.MANAGER)

    services.escalate_overdue(personas.company, DEADLINE + timedelta(hours=1))

    complaint.refresh_from_db()
    assert complaint.escalated_to == personas.manager
    assert [name for name, _key in _escalations()] == ["alice", "manager", "manager2"]
    assert second_manager.notifications.count() == 1


def test_without_any_manager_the_boss_is_told(personas, complaint):
    profile = profile_for(personas.rep)
    profile.manager = None
    profile.save(update_fields=["manager"])
    personas.manager.is_active = False
    personas.manager.save(update_fields=["is_active"])

    services.escalate_overdue(personas.company, DEADLINE + timedelta(hours=1))

    complaint.refresh_from_db()
    assert complaint.escalated_to == personas.boss
    assert [name for name, _key in _escalations()] == ["alice", "boss"]


def test_resolved_complaints_and_other_companies_are_left_alone(personas, complaint):
    services.resolve(complaint, personas.rep, resolution="已补货")
    services.open_complaint(
        personas.outsider_customer,
        category="delivery",
        severity="high",
        description="别家的",
        actor=personas.outsider,
        received_at=RECEIVED,
    )
    assert services.escalate_overdue(personas.company, DEADLINE + timedelta(days=3)) == []
    assert _escalations() == []


def test_the_daily_job_escalates_and_reports_what_it_did(personas, complaint):
    job = get_job("complaints")
    assert job is not None and job.run.endswith("scheduled_escalate")

    summary = services.scheduled_escalate(personas.company, RECEIVED.date())
    again = services.scheduled_escalate(personas.company, RECEIVED.date())

    assert summary == "1 overdue complaint escalated."
    assert again == "No complaint is newly overdue."
    assert len(_escalations()) == 2
