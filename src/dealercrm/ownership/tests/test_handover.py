"""Handover when an employee leaves: everything moves in one transaction, or nothing does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import ApiToken, User
from dealercrm.core.models import AuditEntry
from dealercrm.customers.models import Assignment, Customer
from dealercrm.notifications.models import Notification
from dealercrm.ownership import services
from dealercrm.ownership.models import Handover
from dealercrm.ownership.tests.helpers import client_for, employee_for
from dealercrm.regions.models import SalesRegion
from dealercrm.reminders.models import Reminder
from dealercrm.staff.choices import EmployeeStatus
from dealercrm.testing import UserFactory, make_customer
from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.models import Visit

TOMORROW = dt.date.today() + dt.timedelta(days=1)


@pytest.fixture
def leaving(personas):
    """Carol leaves: 3 A, 2 B and 4 C customers, a planned and a done visit, two reminders."""
    carol = UserFactory(company=personas.company, role=Role.REP, username="carol")
    ApiToken.issue(carol)
    customers = []
    for n, cls in enumerate("AAABBCCCC"):
        customer = make_customer(personas.company, rep=carol, code=f"K{n:02d}", name=f"客户{n}")
        Customer.objects.filter(pk=customer.pk).update(abc_class=cls)
        customers.append(customer)
    Visit.objects.create(
        company=personas.company,
        customer=customers[0],
        rep=carol,
        status=VisitStatus.PLANNED,
        planned_for=TOMORROW,
    )
    Visit.objects.create(
        company=personas.company,
        customer=customers[1],
        rep=carol,
        status=VisitStatus.DONE,
        visited_at=timezone.now(),
    )
    for customer in customers[:2]:
        Reminder.objects.create(
            company=personas.company,
            customer=customer,
            assignee=carol,
            due_on=TOMORROW,
            text="回访",
        )
    return employee_for(carol), customers


def _owners(customers) -> dict[str, str]:
    return {
        c.code: c.rep.username if c.rep else ""
        for c in Customer.objects.filter(pk__in=[x.pk for x in customers]).select_related("rep")
    }


def test_handover_moves_customers_visits_reminders_and_disables_the_login(personas, leaving):
    employee, customers = leaving
    carol = employee.user
    plan = services.plan_handover(employee, [personas.rep, personas.other_rep], "even")

    record = services.commit_handover(plan, personas.manager)

    assert not Customer.objects.filter(rep=carol).exists()
    owners = _owners(customers)
    assert set(owners.values()) == {"alice", "bob"}
    planned = Visit.objects.get(customer=customers[0], status=VisitStatus.PLANNED)
    assert planned.rep.username == owners["K00"]
    assert Visit.objects.get(status=VisitStatus.DONE).rep == carol  # history stays
    for reminder in Reminder.objects.filter(customer__in=customers[:2]):
        assert reminder.assignee.username == owners[reminder.customer.code]
    carol.refresh_from_db()
    employee.refresh_from_db()
    assert not carol.is_active and not ApiToken.objects.filter(user=carol).exists()
    assert employee.status == EmployeeStatus.LEFT and employee.left_on is not None
    assert record.customers_moved == 9 and record.visits_moved == 1 and record.reminders_moved == 2
    # Every customer keeps its history: carol's assignment ended with the reason, a new one started.
    for customer in customers:
        history = list(Assignment.objects.filter(customer=customer).order_by("started_at"))
        assert [a.rep.username for a in history] == ["carol", owners[customer.code]]
        assert history[0].ended_by == personas.manager and history[0].end_reason
    assert (
        AuditEntry.objects.filter(
            file_id__in=[c.pk for c in customers], actor=personas.manager
        ).count()
        == 9
    )
    assert set(
        Notification.objects.filter(kind="handover").values_list("recipient__username", flat=True)
    ) == {"alice", "bob"}


def test_the_even_split_is_balanced_by_class(personas, leaving):
    employee, _customers = leaving
    dave = UserFactory(company=personas.company, role=Role.REP, username="dave")

    plan = services.plan_handover(employee, [personas.rep, personas.other_rep, dave], "even")

    counts = [share.by_class for share in plan.shares()]
    # A, then B, then C dealt in turn: everyone one A, and three customers each.
    assert sorted((c["A"], c["B"], c["C"]) for c in counts) == [(1, 0, 2), (1, 1, 1), (1, 1, 1)]
    # Deterministic: the same inputs give the same plan.
    again = services.plan_handover(employee, [dave, personas.other_rep, personas.rep], "even")
    assert again.fingerprint == plan.fingerprint


def test_region_mode_gives_customers_to_the_rep_of_their_region(personas, leaving):
    employee, customers = leaving
    east = SalesRegion.objects.create(company=personas.company, name="东区")
    east_town = SalesRegion.objects.create(company=personas.company, name="东关镇", parent=east)
    west = SalesRegion.objects.create(company=personas.company, name="西区")
    employee_for(personas.rep, sales_region=east)
    employee_for(personas.other_rep, sales_region=west)
    Customer.objects.filter(pk__in=[c.pk for c in customers[:3]]).update(sales_region=east_town)
    Customer.objects.filter(pk__in=[c.pk for c in customers[3:5]]).update(sales_region=west)

    plan = services.plan_handover(
        employee, [personas.rep, personas.other_rep], "region", pool_rest=True
    )
    services.commit_handover(plan, personas.boss)

    owners = _owners(customers)
    assert [owners[c.code] for c in customers[:3]] == ["alice"] * 3
    assert [owners[c.code] for c in customers[3:5]] == ["bob"] * 2
    assert [owners[c.code] for c in customers[5:]] == [""] * 4  # no region: the pool
    record = Handover.objects.get()
    assert record.customers_pooled == 4 and record.customers_moved == 5


def test_region_mode_deals_the_rest_evenly_without_pool_rest(personas, leaving):
    employee, customers = leaving
    east = SalesRegion.objects.create(company=personas.company, name="东区")
    employee_for(personas.rep, sales_region=east)
    Customer.objects.filter(pk=customers[0].pk).update(sales_region=east)

    plan = services.plan_handover(employee, [personas.rep, personas.other_rep], "region")

    shares = {share.user.username: len(share.customers) for share in plan.shares()}
    assert shares == {"alice": 5, "bob": 4}


def test_a_failure_half_way_leaves_nothing_moved(personas, leaving, monkeypatch):
    employee, _customers = leaving
    carol = employee.user
    plan = services.plan_handover(employee, [personas.rep, personas.other_rep], "even")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_move_work", broken)
    with pytest.raises(RuntimeError):
        services.commit_handover(plan, personas.manager)

    assert Customer.objects.filter(rep=carol).count() == 9
    assert Assignment.objects.filter(ended_at__isnull=False).count() == 0
    assert Visit.objects.get(status=VisitStatus.PLANNED).rep == carol
    assert Reminder.objects.filter(assignee=carol).count() == 2
    carol.refresh_from_db()
    employee.refresh_from_db()
    assert carol.is_active and employee.status == EmployeeStatus.ACTIVE
    assert not Handover.objects.exists() and not Notification.objects.exists()
    assert ApiToken.objects.filter(user=carol).exists()


def test_a_customer_added_after_the_preview_stops_the_commit(personas, leaving):
    employee, _customers = leaving
    plan = services.plan_handover(employee, [personas.rep], "even")
    make_customer(personas.company, rep=employee.user, code="K99")

    with pytest.raises(ValidationError):
        services.commit_handover(plan, personas.manager)

    assert Customer.objects.filter(rep=employee.user).count() == 10
    assert User.objects.get(pk=employee.user_id).is_active


def test_choosing_nobody_requires_putting_them_in_the_pool(personas, leaving):
    employee, _customers = leaving
    with pytest.raises(ValidationError):
        services.plan_handover(employee, [], "even")

    plan = services.plan_handover(employee, [], "even", pool_rest=True)
    services.commit_handover(plan, personas.manager)

    assert not Customer.objects.filter(rep=employee.user).exists()
    assert Visit.objects.filter(status=VisitStatus.CANCELLED).count() == 1
    assert set(Reminder.objects.values_list("assignee__username", flat=True)) == {"manager"}


# ---------------------------------------------------------------------------- pages


def test_manager_previews_then_commits_on_the_page(personas, leaving):
    employee, _customers = leaving
    client = client_for(personas.manager)
    assert employee.name in client.get("/ownership/handover/").content.decode()
    data = {"recipients": [personas.rep.pk, personas.other_rep.pk], "mode": "even"}

    preview = client.post(f"/ownership/handover/{employee.pk}/", {**data, "preview": "1"})
    page = preview.content.decode()
    assert 'id="handover-preview"' in page and 'id="commit-handover"' in page
    assert Customer.objects.filter(rep=employee.user).count() == 9
    fingerprint = preview.context["plan"].fingerprint

    response = client.post(
        f"/ownership/handover/{employee.pk}/", {**data, "fingerprint": fingerprint, "commit": "1"}
    )

    record = Handover.objects.get()
    assert response.status_code == 302 and response.url == f"/ownership/handovers/{record.pk}/"
    detail = client.get(response.url).content.decode()
    assert "客户0" in detail
    assert not Customer.objects.filter(rep=employee.user).exists()


def test_a_stale_preview_is_not_committed(personas, leaving):
    employee, _customers = leaving
    client = client_for(personas.manager)
    data = {"recipients": [personas.rep.pk], "mode": "even", "fingerprint": "stale", "commit": "1"}

    response = client.post(f"/ownership/handover/{employee.pk}/", data)

    assert response.status_code == 200
    assert "changed since the preview" in response.content.decode()
    assert Customer.objects.filter(rep=employee.user).count() == 9


def test_reps_and_clerks_cannot_open_the_handover_pages(personas, leaving):
    employee, _customers = leaving
    for user in (personas.rep, personas.clerk):
        client = client_for(user)
        assert client.get("/ownership/handover/").status_code == 403
        assert client.get(f"/ownership/handover/{employee.pk}/").status_code == 403


def test_another_company_cannot_hand_over_our_employee(personas, leaving):
    employee, _customers = leaving
    client = client_for(personas.outsider)

    assert client.get(f"/ownership/handover/{employee.pk}/").status_code == 404


def test_nobody_hands_over_themselves(personas):
    employee = employee_for(personas.manager)
    plan = services.plan_handover(employee, [personas.rep], "even")

    with pytest.raises(ValidationError):
        services.commit_handover(plan, personas.manager)

    assert User.objects.get(pk=personas.manager.pk).is_active
