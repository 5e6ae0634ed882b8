"""The visits API: list with filters, one visit, recording with a check-in, the due list."""

from datetime import timedelta

import pytest

from dealercrm.core.tests.apiclient import ApiClient, error_fields
from dealercrm.customers.models import Customer
from dealercrm.visits import services
from dealercrm.visits.models import Visit
from dealercrm.visits.tests.helpers import HOME, last_visited, place, planned_visit

pytestmark = pytest.mark.django_db


def test_a_rep_records_a_visit_with_check_in_and_sightings(personas):
    customer = place(personas.rep_customer, *HOME)

    response = ApiClient(personas.rep).post(
        "visits",
        {
            "customer_id": customer.pk,
            "latitude": 32.5254123456,
            "longitude": "112.36",
            "accuracy": 8,
            "notes": "陈列很好",
            "stock_level": "ample",
            "shelf_display": "good",
            "ads_present": True,
            "order_amount": "300.00",
            "sightings": [{"brand": "康师傅", "product": "冰红茶 500ml", "price": "3.00"}],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "done"
    assert body["checkin_latitude"] == "32.525412"
    assert (body["distance_m"], body["far_from_customer"], body["no_position"]) == (
        600,
        True,
        False,
    )
    assert body["order_amount"] == "300.00"
    assert body["sightings"][0]["brand"] == "康师傅" and body["sightings"][0]["price"] == "3.00"
    assert Customer.objects.get(pk=customer.pk).last_visit_on == services.local_today(
        personas.company
    )


def test_a_visit_without_position_is_accepted_and_marked(personas):
    response = ApiClient(personas.rep).post("visits", {"customer_id": personas.rep_customer.pk})

    assert response.status_code == 201
    assert response.json()["no_position"] is True
    assert response.json()["distance_m"] is None


def test_bad_values_answer_422_naming_the_fields_and_save_nothing(personas):
    response = ApiClient(personas.rep).post(
        "visits",
        {
            "customer_id": personas.rep_customer.pk,
            "latitude": 95,
            "order_amount": "-5",
            "sightings": [{"brand": " ", "price": "2"}],
        },
    )

    assert error_fields(response) == {"latitude", "order_amount", "sightings-1"}
    assert not Visit.objects.exists()


def test_list_filters_and_get(personas):
    alice = ApiClient(personas.rep)
    done = alice.post("visits", {"customer_id": personas.rep_customer.pk}).json()
    planned_visit(personas.rep_customer, personas.rep, services.local_today(personas.company))
    boss = ApiClient(personas.boss)
    boss.post("visits", {"customer_id": personas.other_rep_customer.pk})

    assert alice.get("visits").json()["count"] == 2
    assert boss.get("visits").json()["count"] == 3
    assert boss.get("visits", status="planned").json()["count"] == 1
    assert boss.get("visits", rep=personas.boss.pk).json()["count"] == 1
    assert boss.get("visits", flagged="no_position").json()["count"] == 2
    assert boss.get("visits", customer=personas.rep_customer.pk).json()["count"] == 2
    tomorrow = services.local_today(personas.company) + timedelta(days=1)
    assert boss.get("visits", date_from=tomorrow.isoformat()).json()["count"] == 0
    one = alice.get(f"visits/{done['id']}").json()
    assert one["customer"]["name"] == "华鑫超市" and one["photos"] == []
    assert boss.get("visits", flagged="sometimes").status_code == 422


def test_the_due_list_is_the_callers_own(personas):
    day = services.local_today(personas.company)
    last_visited(personas.rep_customer, day - timedelta(days=9), "A")
    last_visited(personas.other_rep_customer, day - timedelta(days=90), "A")

    body = ApiClient(personas.rep).get("visits/due", date=day.isoformat()).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["customer"]["id"] == personas.rep_customer.pk
    assert (item["due_on"], item["days_overdue"], item["interval_days"]) == (
        (day - timedelta(days=2)).isoformat(),
        2,
        7,
    )


def test_the_operations_are_documented(personas):
    schema = ApiClient(personas.rep).get("/api/v1/openapi.json").json()
    operations = {
        op["operationId"]
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/visits")
        for op in methods.values()
    }
    assert operations == {
        "visits_due",
        "visits_list",
        "visits_get",
        "visits_create",
        "visits_add_photo",
    }
