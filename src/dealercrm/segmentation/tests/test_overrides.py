"""Manual classes win until they expire or are removed; every change of class is in history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dealercrm.segmentation import services
from dealercrm.segmentation.models import ClassChange, ClassOverride, ClassResult
from dealercrm.segmentation.tests.helpers import Line, add_lines


@pytest.fixture
def classified(personas):
    """alice's customer A (all the sales), bob's customer C; classified today."""
    today = services.local_today(personas.company)
    add_lines(
        personas.company, [Line(personas.rep_customer.pk, today, Decimal(1), Decimal("100"), None)]
    )
    services.classify(personas.company)
    personas.rep_customer.refresh_from_db()
    personas.other_rep_customer.refresh_from_db()
    assert (personas.rep_customer.abc_class, personas.other_rep_customer.abc_class) == ("A", "C")
    return personas


def history(customer) -> list[tuple[str, str, str, str]]:
    return [
        (c.old_class, c.new_class, c.source, c.actor_name)
        for c in ClassChange.objects.filter(customer=customer).order_by("id")
    ]


def test_an_override_wins_and_survives_recomputation(classified):
    customer = classified.other_rep_customer
    services.set_override(
        customer, abc_class="A", reason="战略客户", expires_on=None, actor=classified.manager
    )
    services.classify(classified.company)
    customer.refresh_from_db()
    assert customer.abc_class == "A"
    assert ClassResult.objects.get(customer=customer).computed_class == "C"
    assert history(customer)[-1] == ("C", "A", "manual", str(classified.manager))


def test_an_override_needs_a_reason(classified):
    with pytest.raises(ValidationError) as error:
        services.set_override(
            classified.other_rep_customer,
            abc_class="A",
            reason=" ",
            expires_on=None,
            actor=classified.boss,
        )
    assert "reason" in error.value.message_dict
    assert not ClassOverride.objects.exists()


def test_an_expired_override_stops_winning_at_the_next_run(classified):
    customer = classified.other_rep_customer
    today = services.local_today(classified.company)
    services.set_override(
        customer, abc_class="B", reason="试用", expires_on=today, actor=classified.boss
    )
    ClassOverride.objects.filter(customer=customer).update(expires_on=today - timedelta(days=1))
    info = services.class_info(customer)
    assert (info.effective, info.override_active) == ("C", False)  # when read

    services.classify(classified.company)
    customer.refresh_from_db()
    assert customer.abc_class == "C"
    assert not ClassOverride.objects.filter(customer=customer).exists()
    assert [h[:3] for h in history(customer)] == [
        ("", "C", "computed"),
        ("C", "B", "manual"),
        ("B", "C", "computed"),
    ]


def test_an_override_until_today_still_wins_today(classified):
    customer = classified.other_rep_customer
    today = services.local_today(classified.company)
    services.set_override(
        customer, abc_class="B", reason="试用", expires_on=today, actor=classified.boss
    )
    services.classify(classified.company)
    customer.refresh_from_db()
    assert customer.abc_class == "B"


def test_removing_an_override_restores_the_computed_class_and_keeps_history(classified):
    customer = classified.rep_customer
    services.set_override(
        customer, abc_class="C", reason="拖欠货款", expires_on=None, actor=classified.boss
    )
    services.remove_override(customer, actor=classified.boss)
    customer.refresh_from_db()
    assert customer.abc_class == "A"
    assert [h[:2] for h in history(customer)] == [("", "A"), ("A", "C"), ("C", "A")]


def test_a_past_expiry_date_is_refused(classified):
    yesterday = services.local_today(classified.company) - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.set_override(
            classified.rep_customer,
            abc_class="B",
            reason="x",
            expires_on=yesterday,
            actor=classified.boss,
        )
    assert "expires_on" in error.value.message_dict
