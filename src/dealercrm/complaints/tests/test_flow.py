"""Status flow: open → in progress → resolved (resolution required) → closed with the
customer's verdict; "not satisfied" may reopen it. Handler and severity: boss and managers."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from dealercrm.complaints import services
from dealercrm.complaints.models import Complaint

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# An hour ago: none of the complaints below is overdue unless a test makes it so.
RECEIVED = timezone.now().replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def complaint(personas):
    return services.open_complaint(
        personas.rep_customer,
        category="price",
        severity="low",
        description="返利没有到账",
        actor=personas.rep,
        received_at=RECEIVED,
    )


def _state(complaint):
    complaint.refresh_from_db()
    return complaint.status, complaint.verdict


def test_the_whole_flow_through_the_pages(personas, complaint):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    url = f"/complaints/{complaint.pk}/"

    client.post(url + "start/")
    assert _state(complaint) == ("in_progress", "")
    client.post(url + "resolve/", {"resolution": "财务已补发返利"})
    assert _state(complaint) == ("resolved", "")
    assert complaint.resolved_at is not None and complaint.resolution == "财务已补发返利"
    client.post(url + "close/", {"verdict": "satisfied"})
    assert _state(complaint) == ("closed", "satisfied")

    page = client.get(url).content.decode()
    assert "财务已补发返利" in page
    assert [e.kind for e in complaint.events.all()] == ["opened", "started", "resolved", "closed"]
    assert 'id="complaint-history"' in page and "work started" in page


def test_resolving_needs_a_resolution(personas, complaint):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    page = client.post(
        f"/complaints/{complaint.pk}/resolve/", {"resolution": "  "}, follow=True
    ).content.decode()
    assert "Write down how it was resolved." in page
    assert _state(complaint) == ("open", "")
    assert complaint.resolved_at is None


def test_steps_out_of_order_are_refused(personas, complaint):
    with pytest.raises(ValidationError):
        services.close(complaint, personas.rep, verdict="satisfied")  # not resolved yet
    with pytest.raises(ValidationError):
        services.reopen(complaint, personas.rep)  # not closed
    services.resolve(complaint, personas.rep, resolution="已处理")
    with pytest.raises(ValidationError):
        services.start_work(complaint, personas.rep)  # already resolved
    with pytest.raises(ValidationError):
        services.close(complaint, personas.rep, verdict="maybe")
    services.close(complaint, personas.rep, verdict="satisfied")
    with pytest.raises(ValidationError):
        services.reopen(complaint, personas.rep)  # the customer was satisfied
    assert _state(complaint) == ("closed", "satisfied")


def test_a_customer_not_satisfied_reopens_it(personas, complaint):
    services.resolve(complaint, personas.rep, resolution="已道歉")
    services.close(complaint, personas.rep, verdict="unsatisfied")
    assert _state(complaint) == ("closed", "unsatisfied")

    services.reopen(complaint, personas.manager, reason="客户要求补偿")

    assert _state(complaint) == ("in_progress", "")
    assert complaint.resolved_at is None
    assert complaint.events.last().text == "客户要求补偿"


def test_boss_or_manager_changes_handler_and_severity_deadline_from_received_at(
    personas, complaint
):
    with pytest.raises(PermissionDenied):
        services.reassign(complaint, personas.rep, owner=personas.other_rep)

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.manager)
    client.post(
        f"/complaints/{complaint.pk}/reassign/",
        {"owner": personas.other_rep.pk, "severity": "high"},
    )

    complaint.refresh_from_db()
    assert complaint.owner == personas.other_rep
    assert complaint.severity == "high"
    assert complaint.deadline == RECEIVED + timedelta(hours=24)
    assert {e.kind for e in complaint.events.all()} >= {"owner", "severity"}
    assert personas.other_rep.notifications.filter(link=f"/complaints/{complaint.pk}/").exists()


def test_a_rep_may_not_reassign_through_the_page(personas, complaint):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    response = client.post(
        f"/complaints/{complaint.pk}/reassign/",
        {"owner": personas.rep.pk, "severity": "high"},
    )
    assert response.status_code == 403
    assert Complaint.objects.get().severity == "low"


def test_the_list_filters_and_marks_overdue_ones_in_red(personas, complaint):
    late = services.open_complaint(
        personas.rep_customer,
        category="quality",
        severity="high",
        description="过期的投诉",
        actor=personas.rep,
        received_at=datetime(2020, 1, 1, 9, 0, tzinfo=SHANGHAI),
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.boss)

    everything = client.get("/complaints/").content.decode()
    overdue = client.get("/complaints/", {"overdue": "on"}).content.decode()
    high = client.get("/complaints/", {"severity": "low"}).content.decode()

    assert f'id="complaint-{late.pk}" class="table-danger overdue"' in everything
    assert f'id="complaint-{complaint.pk}"' in everything
    assert f'id="complaint-{complaint.pk}"' not in overdue
    assert f'id="complaint-{late.pk}"' in overdue
    assert f'id="complaint-{late.pk}"' not in high
