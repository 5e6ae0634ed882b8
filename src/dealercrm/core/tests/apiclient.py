"""A JSON client for the HTTP API tests: Django's test client plus a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.test import Client

from dealercrm.accounts.models import ApiToken, User

PREFIX = "/api/v1/"


class ApiClient:
    """Calls /api/v1/<path> as one user (a fresh token), or anonymously when user is None."""

    def __init__(self, user: User | None = None, *, token: str | None = None) -> None:
        self.client = Client()
        if user is not None and token is None:
            token = ApiToken.issue(user)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.headers["Accept-Language"] = "en"

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> HttpResponse:
        url = path if path.startswith("/") else PREFIX + path
        call = getattr(self.client, method.lower())
        if method.upper() in {"POST", "PATCH", "PUT"}:
            return call(url, body or {}, content_type="application/json", headers=self.headers)
        return call(url, params, headers=self.headers)

    def get(self, path: str, **params: Any) -> HttpResponse:
        return self.request("GET", path, **params)

    def post(self, path: str, body: Any) -> HttpResponse:
        return self.request("POST", path, body)

    def patch(self, path: str, body: Any) -> HttpResponse:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> HttpResponse:
        return self.request("DELETE", path)


def error_fields(response: HttpResponse) -> set[str | None]:
    """The request fields a 422 answer names."""
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}
