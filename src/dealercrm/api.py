"""The HTTP API (django-ninja) under /api/v1/; each app adds its router here."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from dealercrm.accounts.api import TOKEN_DAYS
from dealercrm.accounts.api import router as auth_router
from dealercrm.care.api import router as agenda_router
from dealercrm.core.api_auth import BearerToken
from dealercrm.core.api_errors import install_error_handlers
from dealercrm.customers.api import router as customers_router
from dealercrm.visits.api import router as visits_router

DESCRIPTION = """
Customers of one dealer company, with their contacts and the brands they carry.

**Authentication.** `POST /api/v1/auth/token` with `{"username", "password"}` answers
`{"token": "..."}`; send `Authorization: Bearer <token>` with every other request. Tokens expire
after TOKEN_DAYS days. A missing, wrong or expired token answers 401.

**What you see.** Only your company's rows; a sales rep only the customers assigned to them.
A row you may not see answers 404, exactly like one that does not exist.

**Lists** answer `{"count": N, "items": [...]}` and take `page` (from 1) and `page_size`
(default 50, at most 500).

**Values.** Decimals (latitude, longitude, areas, capital, prices, volumes) are answered as
strings, exactly as stored ("32.520000", "500000.10"); requests may send strings or numbers.
Phones are answered in E.164 (+8613812345678) and accepted in any common format. Empty text is
"" (never null); in requests null clears a field, and a PATCH changes only the fields sent.

**Errors.** 400 (the body is not JSON), 401, 403 (your role may not do this), 404 and 429
answer `{"detail": "message"}`. 422 answers one entry per problem:
`{"detail": [{"field": "mobile", "message": "..."}, ...]}`, where `field` is the request field
(body field, query or path parameter), or null when the problem concerns the whole record.
Messages follow `Accept-Language` (zh-hans by default, or en).
"""


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese text as it is (华鑫超市, not \\u534e...): half the bytes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Dealer CRM API",
    version="1",
    description=DESCRIPTION.replace("TOKEN_DAYS", str(TOKEN_DAYS)).strip(),
    urls_namespace="api",
    auth=BearerToken(),
    renderer=ReadableJSONRenderer(),
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/customers", customers_router)
api.add_router("/visits", visits_router)
api.add_router("/agenda", agenda_router)
