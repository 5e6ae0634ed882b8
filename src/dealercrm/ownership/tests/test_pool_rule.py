"""The daily pool rule on constructed dates: each condition just on either side of its line."""

from __future__ import annotations

import datetime as dt

import pytest

from dealercrm.accounts.choices import Role
from dealercrm.customers.models import Assignment, Customer
from dealercrm.jobs.registry import get_job
from dealercrm.notifications.models import Notification
from dealercrm.ownership.models import PoolRule
from dealercrm.ownership.services import scheduled_pool_return
from dealercrm.ownership.tests.helpers import employee_for, order_on, owned_since
from dealercrm.testing import UserFactory, make_customer

RUN = dt.date(2026, 6, 30)
N = 90  # class C by default
CUTOFF = RUN - dt.timedelta(days=N)


@pytest.fixture
def c_customer(personas):
    """A class C customer of alice, owned exactly N days, never visited, no order."""
    customer = make_customer(personas.company, rep=personas.rep, code="C100", name="老街小卖部")
    Customer.objects.filter(pk=customer.pk).update(abc_class="C")
    owned_since(customer, CUTOFF)
    return customer


def _in_pool(customer) -> bool:
    return Customer.objects.get(pk=customer.pk).rep_id is None


def test_a_customer_owned_n_days_without_visit_or_order_goes_back(personas, c_customer):
    summary = scheduled_pool_return(personas.company, RUN)

    assert _in_pool(c_customer)
    assert "1" in summary
    ended = Assignment.objects.get(customer=c_customer)
    assert ended.ended_at is not None and ended.ended_by is None
    assert "90" in ended.end_reason


def test_a_customer_owned_one_day_less_stays(personas, c_customer):
    owned_since(c_customer, CUTOFF + dt.timedelta(days=1))

    scheduled_pool_return(personas.company, RUN)

    assert not _in_pool(c_customer)


def test_a_visit_on_the_cutoff_day_does_not_keep_it_but_a_day_later_does(personas, c_customer):
    other = make_customer(personas.company, rep=personas.rep, code="C101")
    Customer.objects.filter(pk=other.pk).update(abc_class="C", last_visit_on=CUTOFF)
    owned_since(other, CUTOFF)
    Customer.objects.filter(pk=c_customer.pk).update(last_visit_on=CUTOFF + dt.timedelta(days=1))

    scheduled_pool_return(personas.company, RUN)

    assert _in_pool(other)
    assert not _in_pool(c_customer)


def test_an_order_on_the_cutoff_day_does_not_keep_it_but_a_day_later_does(personas, c_customer):
    other = make_customer(personas.company, rep=personas.rep, code="C101")
    Customer.objects.filter(pk=other.pk).update(abc_class="C")
    owned_since(other, CUTOFF)
    order_on(other, CUTOFF)
    order_on(c_customer, CUTOFF + dt.timedelta(days=1))

    scheduled_pool_return(personas.company, RUN)

    assert _in_pool(other)
    assert not _in_pool(c_customer)


def test_each_class_has_its_own_days_and_empty_means_never(personas, c_customer):
    a_customer = make_customer(personas.company, rep=personas.rep, code="A100")
    Customer.objects.filter(pk=a_customer.pk).update(abc_class="A")
    owned_since(a_customer, RUN - dt.timedelta(days=30))
    scheduled_pool_return(personas.company, RUN - dt.timedelta(days=1))
    assert not _in_pool(a_customer)  # owned 29 days on that run

    PoolRule.objects.filter(company=personas.company, abc_class="C").update(days=None)
    scheduled_pool_return(personas.company, RUN)

    assert _in_pool(a_customer)
    assert not _in_pool(c_customer)


def test_customers_without_a_class_or_in_another_company_are_left_alone(personas, c_customer):
    Customer.objects.filter(pk=c_customer.pk).update(abc_class="")
    outsider = personas.outsider_customer
    Customer.objects.filter(pk=outsider.pk).update(abc_class="C")

    scheduled_pool_return(personas.company, RUN)

    assert not _in_pool(c_customer)
    assert Customer.objects.get(pk=outsider.pk).abc_class == "C"


def test_running_twice_moves_and_notifies_nothing_more(personas, c_customer):
    first = scheduled_pool_return(personas.company, RUN)
    notifications = Notification.objects.count()
    assignments = Assignment.objects.count()

    second = scheduled_pool_return(personas.company, RUN)

    assert first != second
    assert Notification.objects.count() == notifications
    assert Assignment.objects.count() == assignments


def test_the_owner_and_their_manager_are_told_once(personas, c_customer):
    lead = UserFactory(company=personas.company, role=Role.MANAGER, username="lead")
    employee_for(personas.rep, manager=employee_for(lead))
    second = make_customer(personas.company, rep=personas.rep, code="C102", name="东街烟酒")
    Customer.objects.filter(pk=second.pk).update(abc_class="C")
    owned_since(second, CUTOFF)

    scheduled_pool_return(personas.company, RUN)
    scheduled_pool_return(personas.company, RUN)

    told = Notification.objects.filter(kind="pool_return")
    assert sorted(n.recipient.username for n in told) == ["alice", "lead"]
    alice_note = told.get(recipient=personas.rep)
    assert "老街小卖部" in alice_note.body and "东街烟酒" in alice_note.body
    assert not Notification.objects.filter(recipient=personas.manager).exists()


def test_without_a_manager_on_file_the_company_managers_are_told(personas, c_customer):
    scheduled_pool_return(personas.company, RUN)

    recipients = set(
        Notification.objects.filter(kind="pool_return").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"alice", "manager"}


def test_the_job_is_registered_at_three(personas):
    job = get_job("pool")

    assert job is not None and job.at == dt.time(3, 0)
    assert job.run == "dealercrm.ownership.services.scheduled_pool_return"


def test_a_manager_who_owned_customers_is_told_once_with_each_customer_once(personas):
    customer = make_customer(personas.company, rep=personas.manager, code="C200", name="经理的店")
    Customer.objects.filter(pk=customer.pk).update(abc_class="C")
    owned_since(customer, CUTOFF)

    scheduled_pool_return(personas.company, RUN)

    told = Notification.objects.get(recipient=personas.manager)
    assert told.body.count("经理的店") == 1
    assert told.link == f"/ownership/pool/{customer.pk}/"
