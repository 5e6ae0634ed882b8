"""Claiming from the pool and putting back: the limit per day, races, and guessing ids."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from dealercrm.accounts.models import ApiToken
from dealercrm.customers.models import Assignment, Customer
from dealercrm.ownership import services
from dealercrm.ownership.models import PoolClaim, PoolSettings
from dealercrm.ownership.tests.helpers import client_for
from dealercrm.testing import make_customer


@pytest.fixture
def pool(personas):
    """Three customers of ALPHA that nobody owns."""
    return [make_customer(personas.company, code=f"P{n}", name=f"公海客户{n}") for n in range(1, 4)]


def _limit(personas, limit: int) -> None:
    PoolSettings.objects.update_or_create(company=personas.company, defaults={"claim_limit": limit})


def test_a_rep_claims_a_pool_customer_and_owns_it_with_history(personas, pool):
    services.claim(pool[0], personas.rep)

    customer = Customer.objects.get(pk=pool[0].pk)
    assert customer.rep == personas.rep
    current = Assignment.objects.get(customer=customer, ended_at__isnull=True)
    assert current.rep == personas.rep and current.assigned_by == personas.rep
    assert PoolClaim.objects.filter(user=personas.rep, customer=customer).count() == 1


def test_the_claim_limit_counts_the_users_claims_of_the_local_day(personas, pool):
    _limit(personas, 2)
    services.claim(pool[0], personas.rep)
    services.claim(pool[1], personas.rep)

    with translation.override("en"), pytest.raises(ValidationError, match="2 of 2"):
        services.claim(pool[2], personas.rep)
    assert Customer.objects.get(pk=pool[2].pk).rep_id is None

    # Another rep has a limit of their own; yesterday's claims do not count today.
    services.claim(pool[2], personas.other_rep)
    tomorrow = services.local_today(personas.company) + dt.timedelta(days=1)
    extra = make_customer(personas.company, code="P9")
    with mock.patch.object(services, "local_today", return_value=tomorrow):
        services.claim(extra, personas.rep)
    assert Customer.objects.get(pk=extra.pk).rep == personas.rep


def test_claiming_a_customer_someone_owns_is_refused(personas, pool):
    services.claim(pool[0], personas.rep)

    with translation.override("en"), pytest.raises(ValidationError, match="no longer in the pool"):
        services.claim(pool[0], personas.other_rep)

    assert Customer.objects.get(pk=pool[0].pk).rep == personas.rep


def test_two_reps_claiming_at_once_one_wins(personas, pool):
    # Both saw the customer in the pool; the second request arrives after the first committed.
    seen_by_bob = Customer.objects.get(pk=pool[0].pk)
    services.claim(Customer.objects.get(pk=pool[0].pk), personas.rep)

    with pytest.raises(ValidationError):
        services.claim(seen_by_bob, personas.other_rep)

    assert Customer.objects.get(pk=pool[0].pk).rep == personas.rep
    assert PoolClaim.objects.filter(customer=pool[0]).count() == 1


def test_a_clerk_may_not_claim(personas, pool):
    with pytest.raises(PermissionDenied):
        services.claim(pool[0], personas.clerk)


def test_release_needs_a_reason_and_ends_the_assignment_with_it(personas):
    customer = personas.rep_customer
    with pytest.raises(ValidationError):
        services.release(customer, personas.rep, reason="  ")

    services.release(customer, personas.rep, reason="店铺转让")

    assert Customer.objects.get(pk=customer.pk).rep_id is None
    ended = Assignment.objects.filter(customer=customer).latest("started_at")
    assert ended.ended_by == personas.rep and "店铺转让" in ended.end_reason


def test_a_rep_cannot_release_another_reps_customer(personas):
    with pytest.raises(PermissionDenied):
        services.release(personas.other_rep_customer, personas.rep, reason="不想要")


# ---------------------------------------------------------------------------- pages


def test_every_role_sees_the_pool_without_personal_data(personas, pool):
    from dealercrm.customers.services import save_contact

    save_contact(pool[0], actor=None, source="system", fields={"name": "王店主", "hobbies": "钓鱼"})
    for user in (personas.rep, personas.clerk, personas.boss):
        page = client_for(user).get("/ownership/pool/").content.decode()
        assert "公海客户1" in page and "公海客户3" in page
        assert personas.rep_customer.name not in page  # owned customers are not in the pool
        assert "钓鱼" not in page and "王店主" not in page
    other = client_for(personas.outsider).get("/ownership/pool/").content.decode()
    assert "公海客户1" not in other


def test_the_pool_page_shows_claims_today_of_the_limit(personas, pool):
    _limit(personas, 5)
    services.claim(pool[0], personas.rep)

    page = client_for(personas.rep).get("/ownership/pool/").content.decode()

    assert "claimed today 1 of 5" in page


def test_claiming_through_the_page_opens_the_customer(personas, pool):
    client = client_for(personas.rep)

    response = client.post(f"/ownership/pool/{pool[0].pk}/claim/")

    assert response.status_code == 302 and response.url == f"/customers/{pool[0].pk}/"
    assert client.get(response.url).status_code == 200


def test_a_rep_cannot_claim_or_see_another_reps_customer_by_guessing_ids(personas):
    client = client_for(personas.rep)
    theirs = personas.other_rep_customer

    assert client.get(f"/ownership/pool/{theirs.pk}/").status_code == 404
    assert client.post(f"/ownership/pool/{theirs.pk}/claim/").status_code == 404
    assert client.post(f"/ownership/release/{theirs.pk}/", {"reason": "x"}).status_code == 404
    outsider = personas.outsider_customer
    assert client.get(f"/ownership/pool/{outsider.pk}/").status_code == 404
    assert client.post(f"/ownership/pool/{outsider.pk}/claim/").status_code == 404
    assert Customer.objects.get(pk=theirs.pk).rep == personas.other_rep
    assert Customer.objects.get(pk=outsider.pk).rep_id is None


def test_a_pool_customer_of_another_company_cannot_be_claimed(personas):
    client = client_for(personas.rep)

    response = client.post(f"/ownership/pool/{personas.outsider_customer.pk}/claim/")

    assert response.status_code == 404
    assert Customer.objects.get(pk=personas.outsider_customer.pk).rep_id is None


def test_the_pool_summary_is_404_once_someone_owns_it(personas, pool):
    client = client_for(personas.other_rep)
    assert client.get(f"/ownership/pool/{pool[0].pk}/").status_code == 200

    services.claim(pool[0], personas.rep)

    assert client.get(f"/ownership/pool/{pool[0].pk}/").status_code == 404


def test_a_manager_claiming_an_owned_customer_gets_a_clear_error(personas):
    client = client_for(personas.manager)

    response = client.post(f"/ownership/pool/{personas.rep_customer.pk}/claim/", follow=True)

    assert "no longer in the pool" in response.content.decode()
    assert Customer.objects.get(pk=personas.rep_customer.pk).rep == personas.rep


def test_the_owner_releases_from_the_customer_page(personas):
    client = client_for(personas.rep)
    detail = client.get(f"/customers/{personas.rep_customer.pk}/").content.decode()
    assert 'id="release-form"' in detail

    response = client.post(f"/ownership/release/{personas.rep_customer.pk}/", {"reason": "搬走了"})

    assert response.status_code == 302 and response.url == "/ownership/pool/"
    assert Customer.objects.get(pk=personas.rep_customer.pk).rep_id is None


def test_release_without_a_reason_changes_nothing(personas):
    client = client_for(personas.rep)

    response = client.post(
        f"/ownership/release/{personas.rep_customer.pk}/", {"reason": ""}, follow=True
    )

    assert "Say why the customer goes back to the pool" in response.content.decode()
    assert Customer.objects.get(pk=personas.rep_customer.pk).rep == personas.rep


# ---------------------------------------------------------------------------- API


def _api(user):
    from django.test import Client

    token = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_rep_cannot_take_another_reps_or_a_pool_customer_through_the_api(personas, pool):
    api = _api(personas.rep)

    for customer in (personas.other_rep_customer, pool[0]):
        response = api.patch(
            f"/api/v1/customers/{customer.pk}",
            {"rep": personas.rep.pk},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert Customer.objects.get(pk=personas.other_rep_customer.pk).rep == personas.other_rep
    assert Customer.objects.get(pk=pool[0].pk).rep_id is None


def test_a_rep_cannot_put_own_customer_in_the_pool_through_patch(personas):
    api = _api(personas.rep)

    response = api.patch(
        f"/api/v1/customers/{personas.rep_customer.pk}",
        {"rep": None},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert Customer.objects.get(pk=personas.rep_customer.pk).rep == personas.rep


def test_a_rep_claims_a_pool_customer_through_the_api(personas, pool):
    api = _api(personas.rep)

    response = api.post(f"/api/v1/customers/{pool[0].pk}/claim")
    again = _api(personas.other_rep).post(f"/api/v1/customers/{pool[0].pk}/claim")

    assert response.status_code == 200 and response.json()["code"] == "P1"
    assert Customer.objects.get(pk=pool[0].pk).rep == personas.rep
    assert again.status_code == 404  # bob cannot see alice's customer


def test_claiming_through_the_api_respects_the_limit_and_scoping(personas, pool):
    _limit(personas, 1)
    api = _api(personas.rep)
    api.post(f"/api/v1/customers/{pool[0].pk}/claim")

    over = api.post(f"/api/v1/customers/{pool[1].pk}/claim")
    theirs = api.post(f"/api/v1/customers/{personas.other_rep_customer.pk}/claim")
    outsider = api.post(f"/api/v1/customers/{personas.outsider_customer.pk}/claim")
    clerk = _api(personas.clerk).post(f"/api/v1/customers/{pool[1].pk}/claim")

    assert over.status_code == 422 and "1 of 1" in over.json()["detail"][0]["message"]
    assert (theirs.status_code, outsider.status_code, clerk.status_code) == (404, 404, 403)
    assert Customer.objects.get(pk=pool[1].pk).rep_id is None
