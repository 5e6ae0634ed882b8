import pytest
from django.urls import reverse

from dealercrm.imports.services import import_file
from dealercrm.imports.tests.helpers import write_csv
from dealercrm.sales.tests.helpers import HEADER, catalogue


@pytest.fixture
def orders(personas, tmp_path):
    catalogue(personas.company)
    rows = [["R-1", "2025-01-01", "A001", "P01", "1", "10", ""]]
    rows += [["R-1", "2025-01-01", "A001", "P02", "2", "20.50", ""]]
    rows += [[f"B-{n:02d}", "2025-02-01", "A002", "P01", "1", "5", ""] for n in range(55)]
    path = write_csv(tmp_path / "orders.csv", [HEADER, *rows])
    assert import_file("orders", path, company=personas.company, write=True).ok
    return personas


def numbers(response):
    return [order.number for order in response.context["page"].object_list]


def test_a_rep_sees_only_the_orders_of_their_own_customers(orders, client):
    client.force_login(orders.rep)

    response = client.get(reverse("sales:list"))

    assert response.status_code == 200
    assert numbers(response) == ["R-1"]
    assert response.context["page"][0].total == 30.5
    assert "30.50" in response.content.decode()


def test_the_boss_sees_every_order_of_the_company_with_paging(orders, client):
    client.force_login(orders.boss)

    first = client.get(reverse("sales:list"))
    second = client.get(reverse("sales:list"), {"page": 2})

    assert first.context["page"].paginator.count == 56
    assert len(numbers(first)) == 50
    assert len(numbers(second)) == 6
    assert "R-1" in numbers(second)


def test_another_company_sees_no_orders(orders, client):
    client.force_login(orders.outsider)

    response = client.get(reverse("sales:list"))

    assert numbers(response) == []
    assert 'id="no-orders"' in response.content.decode()


def test_the_orders_list_needs_a_login(client):
    response = client.get(reverse("sales:list"))

    assert response.status_code == 302
