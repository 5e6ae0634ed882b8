"""The visits API under /api/v1/visits."""

from ninja import Router

router = Router(tags=["visits"])
