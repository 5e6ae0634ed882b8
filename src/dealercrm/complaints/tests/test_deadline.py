"""A complaint is due received_at + the company's hours for its severity."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from dealercrm.complaints import services
from dealercrm.complaints.models import Complaint, ComplaintSettings

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


def _open(personas, severity, **kwargs):
    kwargs.setdefault("received_at", RECEIVED)
    return services.open_complaint(
        personas.rep_customer,
        category="delivery",
        severity=severity,
        description="货送晚了两天",
        actor=kwargs.pop("actor", personas.rep),
        **kwargs,
    )


def test_default_deadlines_are_24_72_and_168_hours(personas):
    assert _open(personas, "high").deadline == datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)
    assert _open(personas, "medium").deadline == datetime(2026, 11, 5, 9, 0, tzinfo=SHANGHAI)
    assert _open(personas, "low").deadline == datetime(2026, 11, 9, 9, 0, tzinfo=SHANGHAI)


def test_the_companys_own_hours_decide_the_deadline(personas):
    services.save_settings(personas.company, personas.boss, high=4, medium=48, low=100)

    assert _open(personas, "high").deadline == RECEIVED + timedelta(hours=4)
    assert _open(personas, "medium").deadline == RECEIVED + timedelta(hours=48)
    # Another company keeps the defaults.
    other = services.open_complaint(
        personas.outsider_customer,
        category="quality",
        severity="high",
        description="x",
        actor=personas.outsider,
        received_at=RECEIVED,
    )
    assert other.deadline == RECEIVED + timedelta(hours=24)


def test_owner_defaults_to_the_customers_rep_and_the_complaint_is_open(personas):
    complaint = _open(personas, "high", actor=personas.clerk)
    assert (complaint.owner, complaint.status, complaint.created_by) == (
        personas.rep,
        "open",
        personas.clerk,
    )
    assert complaint.events.get().kind == "opened"
    # The rep is told a complaint waits for them.
    assert personas.rep.notifications.get().link == f"/complaints/{complaint.pk}/"


def test_bad_input_is_refused_and_nothing_is_stored(personas):
    for kwargs, field in (
        ({"severity": "urgent"}, "severity"),
        ({"severity": "high", "category": "weather"}, "category"),
        ({"severity": "high", "description": "  "}, "description"),
        ({"severity": "high", "received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"severity": "high", "owner": personas.outsider}, "owner"),
    ):
        args = {
            "category": "delivery",
            "description": "货送晚了",
            "actor": personas.boss,
            **kwargs,
        }
        with pytest.raises(ValidationError) as error:
            services.open_complaint(personas.rep_customer, **args)
        assert field in error.value.message_dict
    assert not Complaint.objects.exists()


def test_only_the_boss_sets_the_hours_and_bad_hours_are_refused(personas):
    with pytest.raises(PermissionDenied):
        services.save_settings(personas.company, personas.manager, high=1, medium=2, low=3)
    with pytest.raises(ValidationError):
        services.save_settings(personas.company, personas.boss, high=0, medium=2, low=3)

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.manager)
    assert client.get("/complaints/settings/").status_code == 403
    client.force_login(personas.boss)
    bad = client.post(
        "/complaints/settings/", {"high_hours": "0", "medium_hours": "72", "low_hours": "x"}
    )
    assert bad.status_code == 422
    assert services.get_settings(personas.company).high_hours == 24
    good = client.post(
        "/complaints/settings/", {"high_hours": "12", "medium_hours": "36", "low_hours": "120"}
    )
    assert good.status_code == 302
    config = ComplaintSettings.objects.get(company=personas.company)
    assert (config.high_hours, config.medium_hours, config.low_hours) == (12, 36, 120)


def test_recording_from_the_page(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    customer = personas.rep_customer

    assert client.get(f"/complaints/new/{customer.pk}/").status_code == 200
    response = client.post(
        f"/complaints/new/{customer.pk}/",
        {"category": "quality", "severity": "high", "description": "一箱酱油漏了"},
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.owner == personas.rep
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "一箱酱油漏了" in page and f"/complaints/new/{customer.pk}/" in page


def test_a_page_without_a_description_says_so_and_stores_nothing(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    response = client.post(
        f"/complaints/new/{personas.rep_customer.pk}/",
        {"category": "quality", "severity": "high", "description": ""},
    )
    assert response.status_code == 422
    assert "nothing was saved" in response.content.decode()
    assert not Complaint.objects.exists()
