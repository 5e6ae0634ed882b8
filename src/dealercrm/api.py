"""The HTTP API (django-ninja) under /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Dealer CRM API",
    version="1",
    description="Customers of one dealer company. Authenticate with POST /api/v1/auth/token.",
    urls_namespace="api",
)
