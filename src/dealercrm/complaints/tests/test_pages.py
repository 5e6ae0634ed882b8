"""The complaints pages open for each role, in Chinese by default."""

import pytest
from django.test import Client

from dealercrm.complaints import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["boss", "manager", "clerk", "rep"])
def test_every_page_opens_in_chinese(personas, role):
    complaint = services.open_complaint(
        personas.rep_customer,
        category="quality",
        severity="high",
        description="漏液",
        actor=personas.rep,
    )
    client = Client()
    client.force_login(getattr(personas, role))

    for url in (
        "/complaints/",
        f"/complaints/{complaint.pk}/",
        f"/complaints/new/{personas.rep_customer.pk}/",
        f"/customers/{personas.rep_customer.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "漏液" in client.get("/complaints/").content.decode()


def test_the_detail_page_offers_the_next_step_only(personas):
    complaint = services.open_complaint(
        personas.rep_customer,
        category="quality",
        severity="high",
        description="漏液",
        actor=personas.rep,
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.rep)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="start-work"' in page and 'id="resolve-form"' in page
    assert 'id="verdict-form"' not in page and 'id="reassign-form"' not in page

    services.resolve(complaint, personas.rep, resolution="换货")
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="verdict-form"' in page and 'id="resolve-form"' not in page

    client.force_login(personas.manager)
    services.close(complaint, personas.manager, verdict="unsatisfied")
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="reopen-form"' in page
