from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from dealercrm.accounts.models import ApiToken
from dealercrm.core.tests.apiclient import ApiClient
from dealercrm.testing import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # The token endpoint is rate-limited per address through the cache.
    cache.clear()
    yield
    cache.clear()


def login(username: str, password: str = PASSWORD):
    return ApiClient().post("auth/token", {"username": username, "password": password})


def test_good_login_answers_a_token_that_opens_the_api(personas):
    response = login("alice")
    assert response.status_code == 200
    token = response.json()["token"]
    customers = ApiClient(token=token).get("customers")
    assert customers.status_code == 200
    assert [item["code"] for item in customers.json()["items"]] == ["A001"]


def test_each_login_gets_a_new_token_and_only_its_hash_is_stored(personas):
    first = login("boss").json()["token"]
    second = login("boss").json()["token"]
    assert first != second
    assert not ApiToken.objects.filter(key_hash__in=[first, second]).exists()
    assert ApiToken.objects.filter(user=personas.boss).count() == 2


def test_wrong_password_answers_401_with_a_clear_message(personas):
    response = login("alice", "not-the-password")
    assert response.status_code == 401
    assert response.json() == {"detail": "Wrong username or password, or the login is disabled."}
    assert not ApiToken.objects.exists()


def test_unknown_username_answers_401(personas):
    assert login("nobody").status_code == 401


def test_a_disabled_login_gets_no_token(personas):
    personas.rep.is_active = False
    personas.rep.save()
    assert login("alice").status_code == 401


def test_a_login_without_company_gets_no_token(db):
    UserFactory(username="root", company=None, is_superuser=True)
    response = login("root")
    assert response.status_code == 403
    assert "no company" in response.json()["detail"]


def test_request_without_token_answers_401(personas):
    response = ApiClient().get("customers")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_made_up_token_answers_401(personas):
    assert ApiClient(token="made-up").get("customers").status_code == 401


def test_expired_token_answers_401(personas):
    token = ApiToken.issue(personas.boss)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(token=token).get("customers").status_code == 401


def test_token_stops_working_when_the_login_is_disabled(personas):
    api = ApiClient(personas.rep)
    assert api.get("customers").status_code == 200
    personas.rep.is_active = False
    personas.rep.save()
    assert api.get("customers").status_code == 401


def test_a_session_login_does_not_open_the_api(personas):
    api = ApiClient()
    api.client.force_login(personas.boss)
    assert api.get("customers").status_code == 401


def test_password_guessing_is_slowed_down(personas):
    answers = [login("alice", f"guess-{n}").status_code for n in range(21)]
    assert answers[:20] == [401] * 20
    assert answers[20] == 429
