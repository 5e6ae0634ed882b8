"""Visits over HTTP (/api/v1/visits): the list, one visit, recording a visit with its check-in,
attaching photos, and the caller's due list.

Thin handlers: visits come from `Visit.objects.visible_to(user)` and customers from
`Customer.objects.visible_to(user)` (another rep's or company's row answers 404), and every
change goes through visits.services, the same functions the pages use.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from dealercrm.core.api_auth import api_user
from dealercrm.core.api_errors import COMMON_ERRORS, WRITE_ERRORS, FieldValidationError
from dealercrm.customers.models import Customer
from dealercrm.visits import services
from dealercrm.visits.filters import VisitFilter
from dealercrm.visits.models import Visit
from dealercrm.visits.schemas import (
    DueItem,
    DuePage,
    PhotoOut,
    VisitCreate,
    VisitListQuery,
    VisitOut,
    VisitPage,
)

router = Router(tags=["visits"])
POSITION_STEP = Decimal("0.000001")
# Optional in the signature so that scoping answers first (404) whatever the body holds.
PHOTO_FILE = File(None, description="The picture: JPEG, PNG, WebP… at most 10 MB.")


def _visits(user: Any) -> QuerySet[Visit]:
    return Visit.objects.visible_to(user).select_related("customer", "rep")


def _visit(user: Any, visit_id: int) -> Visit:
    queryset = _visits(user).prefetch_related("sightings", "photos")
    return get_object_or_404(queryset, pk=visit_id)


def _page(queryset: QuerySet, page: int, size: int) -> dict[str, Any]:
    count = queryset.count()
    start = (page - 1) * size
    return {"count": count, "items": list(queryset[start : start + size]) if start < count else []}


def _rounded(value: Decimal | None) -> Decimal | None:
    # Phones report more digits than a 0.1 m grid needs: rounded, never refused.
    if value is None or not value.is_finite():
        return value
    return value.quantize(POSITION_STEP, rounding=ROUND_HALF_UP)


@router.get(
    "/due",
    response={200: DuePage, **COMMON_ERRORS},
    operation_id="visits_due",
    summary="The caller's due list",
    description=(
        "The caller's own customers whose next visit is due on or before `date` (default: "
        "today in the company's time zone), and the caller's planned visits up to that day, "
        "oldest due first. Due = last visit + the class's visit interval (A 7, B 14, C 30 days "
        "by default); a customer never visited is due from the day it was assigned."
    ),
)
def due_list(request: HttpRequest, date: date | None = None) -> dict[str, Any]:
    user = api_user(request)
    day = date or services.local_today(user.company)
    items = [
        DueItem(
            customer=stop.customer,
            abc_class=stop.customer.abc_class,
            due_on=stop.due_on,
            days_overdue=stop.days_overdue,
            interval_days=stop.interval_days,
            planned_visit_id=stop.planned.pk if stop.planned else None,
            latitude=stop.customer.latitude,
            longitude=stop.customer.longitude,
            last_visit_on=stop.customer.last_visit_on,
        )
        for stop in services.due_customers(user, day)
    ]
    return {"count": len(items), "items": items}


@router.get(
    "",
    response={200: VisitPage, **COMMON_ERRORS},
    operation_id="visits_list",
    summary="List visits",
    description=(
        "Visits the caller may see (a rep: visits to their own customers), latest first, "
        "filtered by customer, rep, status, a date range (the company's days: the visit day, "
        "or the planned day) and `flagged`."
    ),
)
def list_visits(request: HttpRequest, params: Query[VisitListQuery]) -> dict[str, Any]:
    user = api_user(request)
    visit_filter = VisitFilter(
        customer=params.customer,
        rep=params.rep,
        status=params.status.value if params.status else "",
        date_from=params.date_from,
        date_to=params.date_to,
        flagged=params.flagged,
    )
    queryset = visit_filter.apply(_visits(user), user.company)
    return _page(queryset, params.page, params.page_size)


@router.get(
    "/{visit_id}",
    response={200: VisitOut, **COMMON_ERRORS},
    operation_id="visits_get",
    summary="Get a visit",
    description="The visit with its check-in, observations, competitor sightings and photos.",
)
def get_visit(request: HttpRequest, visit_id: int) -> Visit:
    return _visit(api_user(request), visit_id)


@router.post(
    "",
    response={201: VisitOut, **WRITE_ERRORS},
    operation_id="visits_create",
    summary="Record a visit (check in)",
    description=(
        "Records a done visit to `customer_id` (404 when the caller may not see it; clerks "
        "answer 403). `latitude`/`longitude` are the phone's position (both or neither; "
        "rounded to 6 decimals): the distance to the customer's map position is stored and a "
        "check-in over 500 m away is flagged; without a position the visit is kept and marked "
        "`no_position`. `visited_at` defaults to now. The customer's planned visit of that day, "
        "if any, becomes this visit. Photos are attached afterwards with "
        "POST /visits/{visit_id}/photos."
    ),
)
def create_visit(request: HttpRequest, payload: VisitCreate) -> Status:
    user = api_user(request)
    customer = get_object_or_404(
        Customer.objects.visible_to(user).select_related("company"), pk=payload.customer_id
    )
    if not user.can("visits.record"):
        raise PermissionDenied(_("You may not record visits."))
    checkin = services.CheckIn(
        latitude=_rounded(payload.latitude),
        longitude=_rounded(payload.longitude),
        accuracy_m=payload.accuracy,
    )
    observations = services.Observations(
        notes=payload.notes,
        stock_level=payload.stock_level.value if payload.stock_level else "",
        shelf_display=payload.shelf_display.value if payload.shelf_display else "",
        ads_present=payload.ads_present,
        order_amount=payload.order_amount,
        order_notes=payload.order_notes,
    )
    sightings = [
        services.Sighting(brand=s.brand, product=s.product, price=s.price)
        for s in payload.sightings
    ]
    visit = services.record_visit(
        customer,
        user,
        checkin=checkin,
        observations=observations,
        sightings=sightings,
        visited_at=payload.visited_at,
    )
    return Status(201, _visit(user, visit.pk))


@router.post(
    "/{visit_id}/photos",
    response={201: PhotoOut, **WRITE_ERRORS},
    operation_id="visits_add_photo",
    summary="Attach a photo",
    description=(
        "Multipart upload, field `file`: a JPEG, PNG, WebP (or GIF, BMP, TIFF) picture of at "
        "most 10 MB. It is stored re-encoded as a JPEG (upright, longest side 2048 px, "
        "metadata such as the GPS position removed). A file that is not a picture or is too "
        "large answers 422 naming the file; nothing is stored."
    ),
)
def add_photo(
    request: HttpRequest, visit_id: int, file: UploadedFile | None = PHOTO_FILE
) -> Status:
    user = api_user(request)
    # Scoping first: another rep's visit is a 404 whatever the body holds.
    visit = _visit(user, visit_id)
    if not user.can("visits.record"):
        raise PermissionDenied(_("You may not record visits."))
    if file is None:
        raise FieldValidationError([{"field": "file", "message": _("Send the photo as `file`.")}])
    try:
        photo = services.add_photo(visit, file, user)
    except ValidationError as exc:
        raise FieldValidationError(
            [{"field": "file", "message": message} for message in exc.messages]
        ) from exc
    return Status(201, photo)
