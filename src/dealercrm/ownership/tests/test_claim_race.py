"""Two reps claiming the same pool customer at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from dealercrm.customers.models import Customer
from dealercrm.ownership import services
from dealercrm.ownership.models import PoolClaim
from dealercrm.testing import build_personas, make_customer


@pytest.mark.django_db(transaction=True)
def test_two_reps_claiming_at_once_on_postgresql_one_wins():
    personas = build_personas()
    customer = make_customer(personas.company, code="RACE", name="抢手客户")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(user) -> None:
        try:
            barrier.wait()
            services.claim(Customer.objects.get(pk=customer.pk), user)
            outcomes[user.username] = "won"
        except ValidationError:
            outcomes[user.username] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=attempt, args=(u,)) for u in (personas.rep, personas.other_rep)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["refused", "won"]
    winner = next(name for name, result in outcomes.items() if result == "won")
    assert Customer.objects.get(pk=customer.pk).rep.username == winner
    assert PoolClaim.objects.filter(customer=customer).count() == 1
