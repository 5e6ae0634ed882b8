"""Bulk assign on the customer list: ticked rows, a whole region, everything a filter matches."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dealercrm.core.models import AuditEntry
from dealercrm.customers.models import Assignment, Customer
from dealercrm.ownership import services
from dealercrm.ownership.tests.helpers import client_for
from dealercrm.regions.models import SalesRegion
from dealercrm.testing import make_customer


@pytest.fixture
def region_customers(personas):
    """东区 (with 东关镇 below it) has three of alice's customers; 西区 one of bob's."""
    east = SalesRegion.objects.create(company=personas.company, name="东区")
    town = SalesRegion.objects.create(company=personas.company, name="东关镇", parent=east)
    west = SalesRegion.objects.create(company=personas.company, name="西区")
    rows = [
        make_customer(
            personas.company, rep=personas.rep, code="E1", name="东一超市", sales_region=east
        ),
        make_customer(
            personas.company, rep=personas.rep, code="E2", name="东二商店", sales_region=town
        ),
        make_customer(personas.company, code="E3", name="东三批发", sales_region=town),
        make_customer(
            personas.company, rep=personas.other_rep, code="W1", name="西一超市", sales_region=west
        ),
    ]
    return east, west, rows


def _rep(customer) -> str:
    rep = Customer.objects.get(pk=customer.pk).rep
    return rep.username if rep else ""


def test_assign_customers_moves_each_with_history_and_one_audit_entry(personas, region_customers):
    _east, _west, rows = region_customers
    before = AuditEntry.objects.count()

    count = services.assign_customers(
        Customer.objects.filter(pk__in=[r.pk for r in rows[:3]]),
        personas.other_rep,
        actor=personas.manager,
        source="web",
        reason="片区调整",
    )

    assert count == 3
    assert [_rep(r) for r in rows[:3]] == ["bob"] * 3
    ended = Assignment.objects.get(customer=rows[0], rep=personas.rep)
    assert ended.ended_by == personas.manager and ended.end_reason == "片区调整"
    started = Assignment.objects.get(customer=rows[0], ended_at__isnull=True)
    assert started.rep == personas.other_rep and started.assigned_by == personas.manager
    entries = AuditEntry.objects.order_by("id")[before:]
    assert len(entries) == 3
    assert entries[0].changes == {"rep": ["张爱丽", "刘波"]}


def test_assign_customers_works_in_bulk_not_per_customer(personas):
    customers = [
        make_customer(personas.company, rep=personas.rep, code=f"B{n:03d}") for n in range(40)
    ]
    with CaptureQueriesContext(connection) as few:
        services.assign_customers(
            customers[:2], personas.other_rep, actor=personas.boss, source="web"
        )
    with CaptureQueriesContext(connection) as many:
        services.assign_customers(
            customers[2:], personas.other_rep, actor=personas.boss, source="web"
        )

    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_rep_may_not_bulk_assign(personas):
    with pytest.raises(PermissionDenied):
        services.assign_customers(
            [personas.rep_customer], personas.rep, actor=personas.rep, source="web"
        )


def test_bulk_assign_of_the_ticked_rows_on_the_list(personas, region_customers):
    _east, _west, rows = region_customers
    client = client_for(personas.clerk)
    page = client.get("/customers/").content.decode()
    assert 'id="bulk-assign"' in page and 'class="form-check-input bulk-pick"' in page
    picked = {"scope": "selected", "customers": [rows[0].pk, rows[3].pk], "query": "kind=terminal"}

    confirm = client.post("/ownership/assign/", picked)
    assert confirm.status_code == 200 and confirm.context["count"] == 2
    response = client.post("/ownership/assign/", {**picked, "rep": personas.rep.pk, "confirm": "1"})

    assert response.status_code == 302 and response.url == "/customers/?kind=terminal"
    assert [_rep(r) for r in rows] == ["alice", "alice", "", "alice"]


def test_the_confirm_page_insists_on_a_target(personas, region_customers):
    _east, _west, rows = region_customers
    client = client_for(personas.manager)

    response = client.post(
        "/ownership/assign/", {"scope": "selected", "customers": [rows[0].pk], "confirm": "1"}
    )

    assert response.status_code == 200
    assert "Choose who gets the customers" in response.content.decode()
    assert _rep(rows[0]) == "alice"


def test_bulk_assign_by_region_asks_to_confirm_with_the_count(personas, region_customers):
    east, _west, rows = region_customers
    client = client_for(personas.manager)
    data = {"scope": "region", "region": east.pk, "rep": personas.other_rep.pk, "reason": "调岗"}

    confirm = client.post("/ownership/assign/", data)

    assert confirm.status_code == 200 and confirm.context["count"] == 3
    assert [_rep(r) for r in rows] == ["alice", "alice", "", "bob"]

    client.post("/ownership/assign/", {**data, "confirm": "1"})

    assert [_rep(r) for r in rows] == ["bob", "bob", "bob", "bob"]


def test_bulk_assign_everything_the_filter_matches_across_pages(personas, region_customers):
    _east, _west, _rows = region_customers
    client = client_for(personas.boss)
    query = f"owner={personas.rep.pk}"

    confirm = client.post("/ownership/assign/", {"scope": "filter", "query": query})
    assert confirm.context["count"] == 3  # alice's: A001, E1, E2

    client.post(
        "/ownership/assign/", {"scope": "filter", "query": query, "rep": "pool", "confirm": "1"}
    )

    assert not Customer.objects.filter(rep=personas.rep).exists()
    ended = Assignment.objects.filter(rep=personas.rep, ended_by=personas.boss)
    assert ended.count() == 3


def test_bulk_assign_never_touches_customers_the_user_cannot_see(personas, region_customers):
    client = client_for(personas.manager)
    outsider = personas.outsider_customer

    client.post(
        "/ownership/assign/",
        {"scope": "selected", "customers": [outsider.pk], "rep": personas.rep.pk, "confirm": "1"},
    )

    assert Customer.objects.get(pk=outsider.pk).rep_id is None


def test_reps_get_no_bulk_bar_and_cannot_post_it(personas):
    client = client_for(personas.rep)

    assert 'id="bulk-assign"' not in client.get("/customers/").content.decode()
    response = client.post(
        "/ownership/assign/",
        {
            "scope": "selected",
            "customers": [personas.other_rep_customer.pk],
            "rep": personas.rep.pk,
        },
    )
    assert response.status_code == 403
    assert _rep(personas.other_rep_customer) == "bob"
