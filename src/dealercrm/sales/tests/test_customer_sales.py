import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dealercrm.customers.models import CarriedProduct
from dealercrm.imports.services import import_file
from dealercrm.imports.tests.helpers import write_csv
from dealercrm.sales.services import customer_sales
from dealercrm.sales.tests.helpers import HEADER, catalogue

TODAY = dt.date(2025, 6, 15)
ROWS = [
    # one day before the 24 months: not counted
    ["SO-0", "2023-06-30", "A001", "P01", "1", "1000", ""],
    ["SO-1", "2023-07-01", "A001", "P03", "1", "10.10", ""],
    # just outside the 365 days of the top products, inside the chart
    ["SO-2", "2024-06-15", "A001", "P02", "1", "3.00", ""],
    ["SO-3", "2024-06-16", "A001", "P03", "2", "50", ""],
    ["SO-4", "2025-01-01", "A001", "P01", "-1", "-20.50", ""],
    ["SO-5", "2025-01-31", "A001", "P01", "4", "100.00", ""],
    ["SO-6", "2025-06-15", "A001", "P02", "1", "5.55", ""],
    ["SO-6", "2025-06-15", "A001", "P01", "1", "0.45", ""],
    # another customer's order
    ["SO-7", "2025-06-01", "A002", "P01", "1", "999", ""],
]


@pytest.fixture
def sales(personas, tmp_path):
    catalogue(personas.company)
    outcome = import_file(
        "orders",
        write_csv(tmp_path / "orders.csv", [HEADER, *ROWS]),
        company=personas.company,
        write=True,
    )
    assert outcome.ok, outcome.errors
    customer = personas.rep_customer
    for brand, competitor in [("福临门", True), ("金龙鱼", None), ("小品牌", None)]:
        CarriedProduct.objects.create(
            company=personas.company, customer=customer, brand=brand, is_competitor=competitor
        )
    return personas


def test_monthly_totals_match_hand_computed_figures(sales):
    months = customer_sales(sales.rep_customer, sales.boss, TODAY).months

    expected = {"2023-07": "10.10", "2024-06": "53.00", "2025-01": "79.50", "2025-06": "6.00"}
    assert len(months) == 24
    assert months[0][0] == "2023-07" and months[-1][0] == "2025-06"
    assert {month: str(amount) for month, amount in months if amount} == expected
    assert all(amount == 0 for month, amount in months if month not in expected)


def test_last_order_top_products_and_brands(sales):
    result = customer_sales(sales.rep_customer, sales.boss, TODAY)

    last = result.last_order
    assert (last.number, last.date, last.amount) == ("SO-6", TODAY, Decimal("6.00"))
    assert [(p.code, p.amount) for p in result.top_products] == [
        ("P01", Decimal("79.95")),
        ("P03", Decimal("50.00")),
        ("P02", Decimal("5.55")),
    ]
    assert result.own_brands == ["金龙鱼"]
    assert result.competitor_brands == ["福临门", "鲁花"]
    assert result.unmarked_brands == ["小品牌"]


def test_another_rep_reads_nothing_of_a_customer_not_theirs(sales):
    result = customer_sales(sales.rep_customer, sales.other_rep, TODAY)

    assert result.last_order is None
    assert result.top_products == []
    assert all(amount == 0 for _month, amount in result.months)


def test_the_customer_page_shows_the_sales_section_to_its_rep(sales, client):
    client.force_login(sales.rep)

    response = client.get(reverse("customers:detail", args=[sales.rep_customer.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="sales-chart-data"' in page
    assert "SO-6" in page and "鲁花" in page
    assert "dealercrm/sales-chart.js" in page
    # the chart's amounts are decimal strings
    assert '"amounts": [' in page


def test_the_customer_page_without_orders_says_so(personas, client):
    client.force_login(personas.boss)

    response = client.get(reverse("customers:detail", args=[personas.other_rep_customer.pk]))

    assert response.status_code == 200
    assert 'id="no-sales"' in response.content.decode()


def test_another_rep_cannot_open_the_customer_page(sales, client):
    client.force_login(sales.other_rep)

    response = client.get(reverse("customers:detail", args=[sales.rep_customer.pk]))

    assert response.status_code == 404
