"""Bearer-token authentication for the HTTP API.

A client trades a username and password for a token at POST /api/v1/auth/token (see
accounts/api.py) and sends it as `Authorization: Bearer <token>`. Only the token's hash is
stored (accounts.models.ApiToken); tokens expire, and a login that is disabled or belongs to no
company is refused even with a valid token.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from dealercrm.accounts.models import ApiToken, User


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the authenticated user becomes `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        user = ApiToken.objects.authenticate(token)
        # A login without a company (a bare superuser) has no business data to serve.
        if user is None or user.company_id is None:
            return None
        return user


def api_user(request: HttpRequest) -> User:
    """The user behind the bearer token of an authenticated API request."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the operation was declared without authentication
        raise TypeError("api_user() called on an operation without bearer authentication")
    return user
