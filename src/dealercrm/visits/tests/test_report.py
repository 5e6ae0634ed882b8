"""The managers' report on constructed data: expected vs done per rep and class, overdue
customers, flagged check-ins."""

from datetime import date, time
from decimal import Decimal

import pytest

from dealercrm.testing import make_customer
from dealercrm.visits import services
from dealercrm.visits.tests.helpers import assigned_on, done_visit, last_visited

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)
SEPTEMBER = date(2026, 9, 1)
HERE = {"checkin_latitude": Decimal("32.5"), "checkin_longitude": Decimal("112.3")}


@pytest.fixture
def story(personas):
    alice, bob = personas.rep, personas.other_rep
    a1 = make_customer(personas.company, rep=alice, name="A one")
    a2 = make_customer(personas.company, rep=alice, name="A two")
    b1 = make_customer(personas.company, rep=alice, name="B one")
    c1 = personas.rep_customer
    last_visited(a1, date(2026, 11, 1), "A")
    last_visited(a2, date(2026, 11, 25), "A")
    last_visited(b1, date(2026, 11, 1), "B")
    last_visited(c1, date(2026, 9, 30), "C")
    bobs = last_visited(personas.other_rep_customer, None, "")
    assigned_on(bobs, date(2026, 11, 20))
    nobodys = make_customer(personas.company, name="in the pool")
    last_visited(nobodys, date(2025, 1, 1), "A")

    for day in (2, 9, 16):
        done_visit(a1, alice, date(2026, 9, day), **HERE)
    done_visit(a2, alice, date(2026, 9, 3), far_from_customer=True, distance_m=900, **HERE)
    done_visit(b1, alice, date(2026, 9, 10))  # no position
    done_visit(bobs, bob, date(2026, 9, 5), **HERE)
    done_visit(bobs, bob, date(2026, 9, 20), **HERE)
    # The month's edges are Shanghai days: late on 31 August and early on 1 October are out
    # (in UTC they fall on 31 August and 30 September), late on 30 September is in.
    done_visit(a1, alice, date(2026, 8, 31), time(23, 30), **HERE)
    done_visit(a1, alice, date(2026, 10, 1), time(0, 30), **HERE)
    done_visit(bobs, bob, date(2026, 9, 30), time(23, 30), **HERE)
    return personas


def test_expected_is_days_over_interval_for_each_owned_customer_and_done_is_counted(story):
    report = services.visit_report(story.company, SEPTEMBER, TODAY)

    assert (report.start, report.end, report.days) == (date(2026, 9, 1), date(2026, 9, 30), 30)
    rows = {row.rep.username: row for row in report.rows}
    alice = rows["alice"]
    assert {
        c: (cell.customers, cell.done, cell.expected_display, cell.completion)
        for c, cell in alice.cells.items()
    } == {
        "A": (2, 4, Decimal("8.6"), 47),  # 2 × 30/7 = 8.57; 4 / 8.57 = 46.7%
        "B": (1, 1, Decimal("2.1"), 47),  # 30/14 = 2.14
        "C": (1, 0, Decimal("1.0"), 0),
    }
    assert (alice.total.done, alice.total.expected_display, alice.total.completion) == (
        5,
        Decimal("11.7"),
        43,
    )
    bob = rows["bob"]
    assert (bob.cells["C"].customers, bob.total.done, bob.total.completion) == (1, 3, 300)
    assert (report.total.done, report.total.expected_display) == (8, Decimal("12.7"))


def test_the_current_month_counts_the_days_up_to_today(story):
    report = services.visit_report(story.company, date(2026, 11, 1), TODAY)

    assert (report.start, report.end, report.days) == (date(2026, 11, 1), TODAY, 27)
    alice = next(row for row in report.rows if row.rep.username == "alice")
    assert alice.cells["A"].expected == Decimal(2 * 27) / 7


def test_overdue_customers_most_overdue_first_with_their_rep(story):
    report = services.visit_report(story.company, SEPTEMBER, TODAY)

    assert [(s.customer.name, s.customer.rep.username, s.days_overdue) for s in report.overdue] == [
        ("华鑫超市", "alice", 28),  # C, last 30 Sep: due 30 Oct
        ("A one", "alice", 19),  # A, last 1 Nov: due 8 Nov
        ("B one", "alice", 12),  # B, last 1 Nov: due 15 Nov
        ("红星便利店", "bob", 7),  # never visited, assigned 20 Nov
    ]
    assert report.overdue_count == 4


def test_flagged_check_ins_are_the_far_ones_and_those_without_position(story):
    report = services.visit_report(story.company, SEPTEMBER, TODAY)

    assert report.flagged_count == 2
    assert sorted((v.customer.name, v.far_from_customer) for v in report.flagged) == [
        ("A two", True),
        ("B one", False),
    ]


def test_the_report_page_shows_the_figures(story, client):
    client.force_login(story.boss)

    page = client.get("/visits/report/", {"month": "2026-09"}).content.decode()

    assert "4 / 8.6" in page and "43%" in page and "300%" in page
    assert 'id="overdue-' in page and 'id="flagged-' in page


def test_a_future_month_is_refused_and_this_month_shown(story, client):
    client.force_login(story.boss)
    response = client.get("/visits/report/", {"month": "2099-01"})
    assert response.status_code == 200
    assert response.context["report"].start == services.local_today(story.company).replace(day=1)
