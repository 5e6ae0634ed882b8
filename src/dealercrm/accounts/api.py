"""API login: trade a username and password for a bearer token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from dealercrm.accounts.models import ApiToken, User
from dealercrm.core.api_errors import ErrorOut

router = Router(tags=["auth"])

# Per client address; a program needs a token once a month, a password guesser needs many.
TOKEN_RATE = "20/m"
TOKEN_DAYS = 30


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post(
    "/token",
    auth=None,
    throttle=AnonRateThrottle(TOKEN_RATE),
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    operation_id="auth_token",
    summary="Get an API token",
    description=(
        "Checks a username and password and answers a new bearer token, shown only once. "
        "Send it as `Authorization: Bearer <token>` with every other request; it expires "
        f"after {TOKEN_DAYS} days. Wrong credentials or a disabled login answer 401; a login "
        "that belongs to no company answers 403. Too many attempts from one client address "
        f"({TOKEN_RATE.replace('/m', ' a minute')}) answer 429."
    ),
)
def issue_token(request: HttpRequest, credentials: Credentials) -> Status:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if not isinstance(user, User):
        message = _("Wrong username or password, or the login is disabled.")
        return Status(401, {"detail": message})
    if user.company_id is None:
        message = _("This login belongs to no company and cannot use the API.")
        return Status(403, {"detail": message})
    return Status(200, {"token": ApiToken.issue(user, days=TOKEN_DAYS)})
