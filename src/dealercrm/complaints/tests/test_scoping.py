"""A rep sees and changes only complaints of own customers (and those they handle); another
company sees none."""

import pytest
from django.test import Client

from dealercrm.complaints import services
from dealercrm.complaints.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs(personas):
    return services.open_complaint(
        personas.other_rep_customer,
        category="service",
        severity="medium",
        description="波的客户投诉秘密",
        actor=personas.other_rep,
    )


def test_a_rep_cannot_see_or_change_another_reps_customers_complaint(personas, bobs):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    url = f"/complaints/{bobs.pk}/"

    assert client.get(url).status_code == 404
    for action, data in (
        ("start/", {}),
        ("resolve/", {"resolution": "x"}),
        ("close/", {"verdict": "satisfied"}),
        ("reopen/", {}),
        ("reassign/", {"owner": personas.rep.pk, "severity": "high"}),
    ):
        assert client.post(url + action, data).status_code == 404
    assert client.get(f"/complaints/new/{personas.other_rep_customer.pk}/").status_code == 404
    assert "波的客户投诉秘密" not in client.get("/complaints/").content.decode()
    bobs.refresh_from_db()
    assert (bobs.status, bobs.owner) == ("open", personas.other_rep)


def test_a_rep_sees_a_complaint_they_handle_on_another_customer(personas, bobs):
    services.reassign(bobs, personas.manager, owner=personas.rep)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)

    assert client.get(f"/complaints/{bobs.pk}/").status_code == 200
    assert "波的客户投诉秘密" in client.get("/complaints/").content.decode()
    client.post(f"/complaints/{bobs.pk}/start/")
    bobs.refresh_from_db()
    assert bobs.status == "in_progress"


def test_another_company_sees_none_of_it(personas, bobs):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.outsider)

    assert client.get(f"/complaints/{bobs.pk}/").status_code == 404
    assert client.post(f"/complaints/{bobs.pk}/start/").status_code == 404
    assert client.get(f"/complaints/new/{personas.rep_customer.pk}/").status_code == 404
    assert "波的客户投诉秘密" not in client.get("/complaints/").content.decode()
    assert Complaint.objects.visible_to(personas.outsider).count() == 0


def test_the_customer_page_lists_open_complaints_with_their_deadline(personas, bobs):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.other_rep)
    page = client.get(f"/customers/{personas.other_rep_customer.pk}/").content.decode()
    assert 'id="complaints"' in page and f'id="complaint-{bobs.pk}"' in page
    assert "波的客户投诉秘密" in page
