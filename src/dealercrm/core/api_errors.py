"""The error bodies of the HTTP API, the same for every endpoint.

- 401, 403, 404, 429: `{"detail": "<message>"}`.
- 422: `{"detail": [{"field": "<name>", "message": "<message>"}, ...]}`, one entry per problem.
  `field` names the request field (a body field, or a query or path parameter); it is null
  when the problem concerns the record as a whole (for example a customer that still serves
  others cannot be deleted). Both the schema checks (wrong type, missing field) and the business
  rules of the services (duplicate code, bad phone, impossible birthday) answer this way.

Messages follow the request's language (Accept-Language: zh-hans by default, or en).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str | None
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


# The responses every authenticated operation may give besides its success.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


def field_errors(
    exc: DjangoValidationError, aliases: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """A Django ValidationError as the API's list of {field, message}.

    `aliases` renames model fields to the request field that fed them (birthday_month →
    birthday).
    """
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        return [{"field": None, "message": message} for message in exc.messages]
    found: list[dict[str, Any]] = []
    for name, messages in exc.message_dict.items():
        field = None if name == NON_FIELD_ERRORS else aliases.get(name, name)
        for message in messages:
            entry = {"field": field, "message": message}
            if entry not in found:
                found.append(entry)
    return found


class FieldValidationError(Exception):
    """A ValidationError whose model field names have been mapped to request field names."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(errors)


def _schema_field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    # Ninja reports ("body", "<parameter>", "field", ...) for JSON bodies and
    # ("query" | "path", "field") for parameters: keep what the client wrote.
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of `api` answer with the bodies described in this module's docstring."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        detail = [
            {"field": _schema_field(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return respond(request, {"detail": detail}, 422)

    def on_rule_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return respond(request, {"detail": field_errors(exc)}, 422)

    def on_field_error(request: HttpRequest, exc: FieldValidationError) -> HttpResponse:
        return respond(request, {"detail": exc.errors}, 422)

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("You may not do this.")
        return respond(request, {"detail": message}, 403)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Also the answer for rows of another company or another rep: existence is not revealed.
        return respond(request, {"detail": _("Not found.")}, 404)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {
            "detail": _(
                "A valid API token is required: send “Authorization: Bearer <token>” with an "
                "unexpired token from POST /api/v1/auth/token."
            )
        }
        response = respond(request, body, 401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    api.add_exception_handler(NinjaValidationError, on_schema_error)
    api.add_exception_handler(DjangoValidationError, on_rule_error)
    api.add_exception_handler(FieldValidationError, on_field_error)
    api.add_exception_handler(PermissionDenied, on_forbidden)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
