"""When each customer's next visit is due, by its class's service policy."""

from datetime import date, timedelta

import pytest

from dealercrm.segmentation.models import ServicePolicy
from dealercrm.segmentation.services import service_policies
from dealercrm.testing import make_customer
from dealercrm.visits import services
from dealercrm.visits.tests.helpers import assigned_on, last_visited, planned_visit

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 27)


def due_names(user, on=ON) -> dict[str, tuple[date, int]]:
    return {s.customer.name: (s.due_on, s.days_overdue) for s in services.due_customers(user, on)}


def customer_with(personas, name, abc_class, last_visit):
    customer = make_customer(personas.company, rep=personas.rep, name=name)
    return last_visited(customer, last_visit, abc_class)


def test_default_policy_gives_a_week_for_a_two_weeks_for_b_a_month_for_c_and_unclassified(
    personas,
):
    last_visited(personas.rep_customer, ON - timedelta(days=40), "C")
    customer_with(personas, "A due today", "A", ON - timedelta(days=7))
    customer_with(personas, "A not yet", "A", ON - timedelta(days=6))
    customer_with(personas, "B due", "B", ON - timedelta(days=14))
    customer_with(personas, "B not yet", "B", ON - timedelta(days=13))
    customer_with(personas, "C overdue 2", "C", ON - timedelta(days=32))
    customer_with(personas, "C not yet", "C", ON - timedelta(days=29))
    customer_with(personas, "no class overdue 1", "", ON - timedelta(days=31))

    due = due_names(personas.rep)

    assert due == {
        "华鑫超市": (ON - timedelta(days=10), 10),
        "A due today": (ON, 0),
        "B due": (ON, 0),
        "C overdue 2": (ON - timedelta(days=2), 2),
        "no class overdue 1": (ON - timedelta(days=1), 1),
    }


def test_a_changed_policy_changes_who_is_due(personas):
    service_policies(personas.company)
    ServicePolicy.objects.filter(company=personas.company, abc_class="A").update(
        visit_interval_days=3
    )
    customer_with(personas, "A four days ago", "A", ON - timedelta(days=4))
    customer_with(personas, "A two days ago", "A", ON - timedelta(days=2))
    last_visited(personas.rep_customer, ON, "C")

    assert due_names(personas.rep) == {"A four days ago": (ON - timedelta(days=1), 1)}


def test_a_customer_never_visited_is_due_from_the_day_it_was_assigned(personas):
    customer = personas.rep_customer
    assigned_on(customer, ON - timedelta(days=5))

    assert due_names(personas.rep)["华鑫超市"] == (ON - timedelta(days=5), 5)
    # Before that day it was not due yet.
    assert "华鑫超市" not in due_names(personas.rep, ON - timedelta(days=6))


def test_a_customer_never_visited_without_an_assignment_record_is_due_today(personas):
    customer = personas.rep_customer
    customer.assignments.all().delete()
    today = services.local_today(personas.company)

    stops = services.due_customers(personas.rep, today)

    assert [(s.customer.pk, s.due_on, s.days_overdue) for s in stops] == [(customer.pk, today, 0)]


def test_the_due_list_holds_only_own_customers(personas):
    last_visited(personas.other_rep_customer, ON - timedelta(days=90), "A")
    last_visited(personas.rep_customer, ON - timedelta(days=90), "A")

    assert list(due_names(personas.rep)) == ["华鑫超市"]
    assert list(due_names(personas.other_rep)) == ["红星便利店"]


def test_a_planned_visit_puts_a_customer_that_is_not_due_on_the_list_once(personas):
    not_due = customer_with(personas, "visited yesterday", "C", ON - timedelta(days=1))
    planned_visit(not_due, personas.rep, ON)
    overdue = customer_with(personas, "overdue and planned", "A", ON - timedelta(days=9))
    planned_visit(overdue, personas.rep, ON - timedelta(days=1))
    planned_visit(not_due, personas.rep, ON + timedelta(days=3))  # later: not today
    last_visited(personas.rep_customer, ON, "C")

    stops = services.due_customers(personas.rep, ON)

    assert [(s.customer.name, s.due_on, s.planned is not None) for s in stops] == [
        ("overdue and planned", ON - timedelta(days=2), True),
        ("visited yesterday", ON, True),
    ]


def test_policies_are_read_once_for_the_whole_list(personas, django_assert_max_num_queries):
    last_visited(personas.rep_customer, ON - timedelta(days=40), "C")
    for n in range(30):
        customer_with(personas, f"客户{n}", "ABC"[n % 3], ON - timedelta(days=40))
    service_policies(personas.company)
    with django_assert_max_num_queries(4):
        stops = services.due_customers(personas.rep, ON)
    assert len(stops) == 31


def test_customer_due_shows_the_next_date_and_days_overdue(personas):
    today = services.local_today(personas.company)
    customer = last_visited(personas.rep_customer, today - timedelta(days=20), "B")

    due = services.customer_due(customer)

    assert (due.due_on, due.days_overdue, due.interval_days) == (
        today - timedelta(days=6),
        6,
        14,
    )
