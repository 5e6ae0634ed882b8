"""The agenda API under /api/v1/agenda."""

from ninja import Router

router = Router(tags=["agenda"])
