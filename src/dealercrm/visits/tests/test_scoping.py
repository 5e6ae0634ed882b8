"""A rep reaches only visits, photos and check-ins of own customers; other companies' rows are
invisible; a clerk keeps the books but records no visits."""

import pytest

from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.visits import services
from dealercrm.visits.models import Visit, VisitPhoto
from dealercrm.visits.tests.helpers import picture, planned_visit, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs(personas):
    """Bob's visit to his customer, with a photo, and a plan."""
    visit = services.record_visit(personas.other_rep_customer, personas.other_rep)
    photo = services.add_photo(visit, upload(picture("PNG")), personas.other_rep)
    day = services.local_today(personas.company)
    plan = planned_visit(personas.other_rep_customer, personas.other_rep, day)
    return visit, photo, plan


def test_a_rep_cannot_open_check_in_or_see_photos_of_another_reps_customer(personas, client, bobs):
    visit, photo, plan = bobs
    customer = personas.other_rep_customer
    client.force_login(personas.rep)

    assert client.get(f"/visits/checkin/{customer.pk}/").status_code == 404
    assert client.post(f"/visits/checkin/{customer.pk}/", {"notes": "x"}).status_code == 404
    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/visits/photos/{photo.pk}/").status_code == 404
    assert client.post(f"/visits/{visit.pk}/photos/", {}).status_code == 404
    assert client.post(f"/visits/plan/{customer.pk}/", {"day": "2030-01-01"}).status_code == 404
    assert client.post(f"/visits/{plan.pk}/cancel/").status_code == 404
    listing = client.get("/visits/").content.decode()
    assert customer.name not in listing
    assert Visit.objects.filter(customer=customer).count() == 2
    assert Visit.objects.get(pk=plan.pk).status == "planned"


def test_another_company_sees_none_of_it(personas, client, bobs):
    visit, photo, _plan = bobs
    client.force_login(personas.outsider)

    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get(f"/visits/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/visits/checkin/{personas.rep_customer.pk}/").status_code == 404
    assert personas.other_rep_customer.name not in client.get("/visits/report/").content.decode()


def test_the_boss_sees_and_may_record_any_visit_of_the_company(personas, client, bobs):
    visit, photo, _plan = bobs
    client.force_login(personas.boss)

    assert client.get(f"/visits/{visit.pk}/").status_code == 200
    assert client.get(f"/visits/photos/{photo.pk}/").status_code == 200
    assert client.get(f"/visits/checkin/{personas.rep_customer.pk}/").status_code == 200


def test_a_clerk_may_not_check_in(personas, client):
    client.force_login(personas.clerk)

    assert client.get(f"/visits/checkin/{personas.rep_customer.pk}/").status_code == 403
    response = ApiClient(personas.clerk).post("visits", {"customer_id": personas.rep_customer.pk})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_the_report_is_for_boss_and_managers(personas, client):
    client.force_login(personas.rep)
    assert client.get("/visits/report/").status_code == 403
    client.force_login(personas.manager)
    assert client.get("/visits/report/").status_code == 200


def test_the_api_answers_404_for_another_reps_visit_customer_and_photo_upload(personas, bobs):
    visit, _photo, _plan = bobs
    api = ApiClient(personas.rep)

    assert api.get(f"visits/{visit.pk}").status_code == 404
    assert api.post("visits", {"customer_id": personas.other_rep_customer.pk}).status_code == 404
    response = api.client.post(
        f"/api/v1/visits/{visit.pk}/photos",
        {"file": upload(picture("PNG"))},
        headers=api.headers,
    )
    assert response.status_code == 404
    assert api.post(f"visits/{visit.pk}/photos", {}).status_code == 404  # scoping before the body
    assert api.get("visits").json()["count"] == 0
    assert api.get("visits", customer=personas.other_rep_customer.pk).json()["count"] == 0
    assert VisitPhoto.objects.count() == 1


def test_the_api_hides_other_companies_visits(personas, bobs):
    visit, _photo, _plan = bobs
    api = ApiClient(personas.outsider)

    assert api.get(f"visits/{visit.pk}").status_code == 404
    assert api.post("visits", {"customer_id": personas.rep_customer.pk}).status_code == 404
    assert api.get("visits").json()["count"] == 0
