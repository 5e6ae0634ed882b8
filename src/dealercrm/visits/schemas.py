"""What the HTTP API reads and writes for visits (/api/v1/visits).

Conventions as for customers: decimals (positions, amounts, prices) are answered as strings
exactly as stored; requests may send strings or numbers. Text never answers null ("").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.schemas import (
    Blank,
    CustomerRef,
    DecimalText,
    PageQuery,
    UserRef,
)
from dealercrm.visits.choices import ShelfDisplay, StockLevel, VisitStatus
from dealercrm.visits.filters import ANY_FLAG, FAR, NO_POSITION


class SightingOut(Schema):
    id: int
    brand: str
    product: str
    price: DecimalText | None


class PhotoOut(Schema):
    id: int
    width: int
    height: int
    size_bytes: int
    url: str = Field(description="The JPEG, for a logged-in page session (visits:photo).")
    uploaded_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("visits:photo", args=[obj.pk])


class VisitItem(Schema):
    """A visit as lists show it."""

    id: int
    customer: CustomerRef
    rep: UserRef
    status: VisitStatus
    planned_for: date | None
    visited_at: datetime | None
    checkin_latitude: DecimalText | None
    checkin_longitude: DecimalText | None
    checkin_accuracy_m: int | None
    distance_m: int | None = Field(
        description="Metres from the customer's map position; null when either is unknown."
    )
    far_from_customer: bool = Field(description="Checked in more than 500 m from the customer.")
    no_position: bool = Field(description="A done visit checked in without a position.")
    order_amount: DecimalText | None

    @staticmethod
    def resolve_no_position(obj: Any) -> bool:
        return obj.status == VisitStatus.DONE and not obj.has_position


class VisitOut(VisitItem):
    """A visit with everything the rep recorded."""

    notes: str
    stock_level: StockLevel | Blank
    shelf_display: ShelfDisplay | Blank
    ads_present: bool | None
    order_notes: str
    sightings: list[SightingOut]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_sightings(obj: Any) -> list[Any]:
        return list(obj.sightings.all())

    @staticmethod
    def resolve_photos(obj: Any) -> list[Any]:
        return list(obj.photos.all())


class VisitPage(Schema):
    count: int = Field(description="Visits matching the filters, on every page.")
    items: list[VisitItem]


class VisitListQuery(PageQuery):
    customer: int | None = Field(None, description="Customer id.")
    rep: int | None = Field(None, description="User id of the rep who visits.")
    status: VisitStatus | None = None
    date_from: date | None = Field(
        None, description="First day (the company's days): visit day, or planned day."
    )
    date_to: date | None = Field(None, description="Last day, inclusive.")
    flagged: str = Field(
        "",
        pattern=f"^({FAR}|{NO_POSITION}|{ANY_FLAG})?$",
        description=f"`{FAR}` (over 500 m away), `{NO_POSITION}`, or `{ANY_FLAG}` (either).",
    )


class SightingIn(Schema):
    brand: str = Field(max_length=50)
    product: str = Field("", max_length=100)
    price: Decimal | None = None


class VisitCreate(Schema):
    customer_id: int
    latitude: Decimal | None = Field(None, description="Check-in position (WGS-84).")
    longitude: Decimal | None = None
    accuracy: int | None = Field(None, ge=0, description="Position accuracy in metres.")
    visited_at: datetime | None = Field(None, description="With time zone; default now.")
    notes: str = ""
    stock_level: StockLevel | Blank = ""
    shelf_display: ShelfDisplay | Blank = ""
    ads_present: bool | None = None
    order_amount: Decimal | None = None
    order_notes: str = Field("", max_length=500)
    sightings: list[SightingIn] = Field(default_factory=list)


class DueItem(Schema):
    customer: CustomerRef
    abc_class: CustomerClass | Blank
    due_on: date
    days_overdue: int
    interval_days: int
    planned_visit_id: int | None
    latitude: DecimalText | None
    longitude: DecimalText | None
    last_visit_on: date | None


class DuePage(Schema):
    count: int
    items: list[DueItem]
