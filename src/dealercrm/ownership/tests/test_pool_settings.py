"""The pool settings page: the claim limit and the days per class."""

from __future__ import annotations

from dealercrm.ownership.models import PoolRule, PoolSettings
from dealercrm.ownership.tests.helpers import client_for


def _rules(company) -> dict[str, int | None]:
    return dict(PoolRule.objects.filter(company=company).values_list("abc_class", "days"))


def test_the_defaults_show_and_are_saved_per_company(personas):
    client = client_for(personas.manager)

    page = client.get("/ownership/pool/settings/")

    assert page.status_code == 200
    assert _rules(personas.company) == {"A": 30, "B": 60, "C": 90}
    assert page.context["form"].initial["claim_limit"] == 10


def test_a_manager_changes_the_limit_and_empties_a_class(personas):
    client = client_for(personas.boss)

    response = client.post(
        "/ownership/pool/settings/",
        {"claim_limit": "3", "days_A": "45", "days_B": "", "days_C": "120"},
    )

    assert response.status_code == 302
    assert PoolSettings.objects.get(company=personas.company).claim_limit == 3
    assert _rules(personas.company) == {"A": 45, "B": None, "C": 120}
    assert not PoolRule.objects.filter(company=personas.outsider_company).exists()


def test_bad_values_are_refused_and_nothing_changes(personas):
    client = client_for(personas.boss)

    response = client.post(
        "/ownership/pool/settings/",
        {"claim_limit": "-1", "days_A": "3", "days_B": "", "days_C": "x"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"claim_limit", "days_A", "days_C"}
    assert not PoolSettings.objects.filter(company=personas.company, claim_limit=-1).exists()
    assert _rules(personas.company) == {"A": 30, "B": 60, "C": 90}


def test_reps_and_clerks_cannot_change_the_pool_settings(personas):
    for user in (personas.rep, personas.clerk):
        assert client_for(user).get("/ownership/pool/settings/").status_code == 403
