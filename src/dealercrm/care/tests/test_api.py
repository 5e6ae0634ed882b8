"""GET /api/v1/agenda: the caller's items, the same visibility as the page, 422 for a bad date."""

import pytest

from dealercrm.companies.services import local_today
from dealercrm.core.tests.apiclient import ApiClient, error_fields

from .test_agenda import DAY, make_everything

pytestmark = pytest.mark.django_db


def test_a_rep_gets_own_items_with_customer_kind_key_and_text(personas):
    make_everything(personas)
    body = ApiClient(personas.rep).get("agenda", date=DAY.isoformat()).json()
    assert body["date"] == "2027-04-20"
    assert body["count"] == len(body["items"])
    assert {i["customer"]["name"] for i in body["items"]} == {"华鑫超市"}
    birthday = next(i for i in body["items"] if i["kind"] == "birthday")
    assert birthday["customer"] == {
        "id": personas.rep_customer.pk,
        "name": "华鑫超市",
        "code": "A001",
    }
    assert birthday["due"] == "2027-04-20"
    assert birthday["key"].startswith("birthday:contact:")
    assert birthday["done"] is False
    assert "birthday" in birthday["text"]
    assert birthday["link"] == f"/customers/{personas.rep_customer.pk}/"


def test_the_manager_gets_the_company_and_an_outsider_nothing_of_it(personas):
    make_everything(personas)
    manager = ApiClient(personas.manager).get("agenda", date=DAY.isoformat()).json()
    assert {i["customer"]["name"] for i in manager["items"]} == {"华鑫超市", "红星便利店"}
    outsider = ApiClient(personas.outsider).get("agenda", date=DAY.isoformat()).json()
    assert {i["customer"]["id"] for i in outsider["items"]} == {personas.outsider_customer.pk}


def test_without_a_date_it_is_today_in_the_company_time_zone(personas):
    body = ApiClient(personas.rep).get("agenda").json()
    assert body["date"] == local_today(personas.company).isoformat()


@pytest.mark.parametrize("bad", ["2027-02-30", "tomorrow", "20270420"])
def test_a_bad_date_answers_422_naming_the_date(personas, bad):
    response = ApiClient(personas.rep).get("agenda", date=bad)
    assert response.status_code == 422
    assert error_fields(response) == {"date"}


def test_without_a_token_it_answers_401(personas):
    assert ApiClient(token="nonsense").get("agenda").status_code == 401


def test_the_operation_is_documented(personas):
    schema = ApiClient(personas.rep).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/agenda"]["get"]
    assert operation["operationId"] == "agenda"
    assert "care lead days" in operation["description"]
