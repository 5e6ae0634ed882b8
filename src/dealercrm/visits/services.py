"""Visits: who is due, the day's route, check-ins with their distance, photos, plans, the report.

Rules (docs/decisions.md, "Visits"):

- A customer's visit interval is its class's service policy (A 7, B 14, C 30 days by default; a
  customer without a class is treated as C). The policies are read once per list.
- Next visit due = last done visit's day (Customer.last_visit_on) + interval. A customer never
  visited is due on the day it was assigned to its current owner (the open Assignment's start, in
  the company's time zone), or today when no assignment is recorded. Overdue = due before the
  reference day (today); days overdue = reference day − due day.
- A check-in more than FAR_CHECKIN_METRES from the customer's map position is flagged; the
  distance is a geodesic on WGS-84 rounded to whole metres, and the flag is decided on that
  rounded figure (500 m exactly is not flagged). Without a check-in position or a customer
  position the distance is unknown and nothing is flagged; a missing check-in position is shown
  as "no position" everywhere.
- Recording a visit turns the customer's planned visit of that day into the done visit instead of
  adding a second row, and sets Customer.last_visit_on to the latest done visit's local day.
- Expected visits in a report period: for each customer a rep owns now, days in the period
  (up to today for the current month) ÷ the class interval; done = the rep's done visits in the
  period, by the customer's current class.
"""

from __future__ import annotations

import contextlib
import io
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from geographiclib.geodesic import Geodesic
from PIL import Image, ImageOps, UnidentifiedImageError

from dealercrm.accounts.models import User
from dealercrm.companies.services import company_zone, local_day, local_today
from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.models import Assignment, Customer
from dealercrm.segmentation.services import service_policies
from dealercrm.visits.choices import ShelfDisplay, StockLevel, VisitStatus
from dealercrm.visits.models import (
    FAR_CHECKIN_METRES,
    CompetitorSighting,
    Visit,
    VisitPhoto,
)

# Photos: what an upload may be, and what is kept.
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 100_000_000  # 100 megapixels: more is a decompression bomb, not a photo
MAX_PHOTOS_PER_VISIT = 12
PHOTO_LONGEST_SIDE = 2048
PHOTO_QUALITY = 85
# Formats a phone camera or gallery hands over; Pillow opens nothing else (no EPS, PSD, ...).
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF", "BMP", "TIFF")  # JPEG includes MPO

# The day's route: nearest-neighbour over at most this many stops (more cannot be visited in a
# day, and each step compares every remaining pair); the rest follow in due order.
MAX_ROUTE_STOPS = 40
# A visit time this far in the future is refused (phones' clocks drift a little).
CLOCK_SKEW = timedelta(minutes=10)
CENT = Decimal("0.01")
CLASSES = (CustomerClass.A, CustomerClass.B, CustomerClass.C)


# ----------------------------------------------------------------------------- helpers


def day_start(company: Any, day: date) -> datetime:
    """The aware moment a local day starts in the company's time zone."""
    return datetime.combine(day, time.min, tzinfo=company_zone(company))


def policy_class(abc_class: str | None) -> str:
    """The class whose policy applies: A, B, or C (also for no class)."""
    return abc_class if abc_class in (CustomerClass.A, CustomerClass.B) else CustomerClass.C


def class_of(customer: Customer) -> str:
    return policy_class(customer.abc_class)


def visit_intervals(company: Any) -> dict[str, int]:
    """{class: days between visits} from the company's service policies (one query)."""
    return {p.abc_class: p.visit_interval_days for p in service_policies(company)}


def distance_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> int:
    """Geodesic distance on WGS-84 between two positions, in whole metres."""
    metres = Geodesic.WGS84.Inverse(float(lat1), float(lon1), float(lat2), float(lon2))["s12"]
    return int(Decimal(str(metres)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_far(distance: int | None) -> bool:
    """Whether a check-in distance is flagged: more than FAR_CHECKIN_METRES (500 is not)."""
    return distance is not None and distance > FAR_CHECKIN_METRES


def checkin_distance(customer: Customer, latitude: Any, longitude: Any) -> int | None:
    """Metres from the customer's map position, or None when either position is unknown."""
    if latitude is None or longitude is None:
        return None
    if customer.latitude is None or customer.longitude is None:
        return None
    return distance_m(latitude, longitude, customer.latitude, customer.longitude)


# ----------------------------------------------------------------------------- due dates


@dataclass
class DueStop:
    """A customer on a rep's list: when the visit is due and whether it is planned."""

    customer: Customer
    due_on: date
    days_overdue: int
    interval_days: int
    planned: Visit | None = None
    # Filled by the route: position in the day's order and the leg's length from the previous
    # point (None for a stop without a map position).
    number: int = 0
    leg_m: int | None = None

    @property
    def latitude(self) -> Decimal | None:
        return self.customer.latitude

    @property
    def longitude(self) -> Decimal | None:
        return self.customer.longitude

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def next_due(customer: Customer, intervals: dict[str, int], assigned_on: date | None) -> date:
    """When a customer's next visit is due (see the module docstring)."""
    if customer.last_visit_on is not None:
        return customer.last_visit_on + timedelta(days=intervals[class_of(customer)])
    return assigned_on or local_today(customer.company)


def _assigned_at() -> Subquery:
    current = Assignment.objects.filter(
        company_id=OuterRef("company_id"), customer_id=OuterRef("pk"), ended_at__isnull=True
    ).order_by("-started_at")
    return Subquery(current.values("started_at")[:1])


def due_filter(intervals: dict[str, int], company: Any, on: date) -> Q:
    """Customers whose next visit is due on or before `on`, as one filter (index
    company, last_visit_on): a last visit at least the class interval before `on`, or never
    visited and assigned to the current owner by the end of `on`."""
    by_class = Q()
    for abc_class in CLASSES:
        last = on - timedelta(days=intervals[abc_class])
        if abc_class == CustomerClass.C:
            in_class = ~Q(abc_class__in=[CustomerClass.A, CustomerClass.B])
        else:
            in_class = Q(abc_class=abc_class)
        by_class |= in_class & Q(last_visit_on__lte=last)
    end_of_day = day_start(company, on + timedelta(days=1))
    never = Q(last_visit_on__isnull=True) & Q(assigned_at__lt=end_of_day)
    if on >= local_today(company):
        never |= Q(last_visit_on__isnull=True, assigned_at__isnull=True)
    return by_class | never


def _with_due(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    return customers.annotate(assigned_at=_assigned_at())


def _stop(
    customer: Customer, intervals: dict[str, int], on: date, planned: Visit | None = None
) -> DueStop:
    assigned = getattr(customer, "assigned_at", None)
    assigned_on = local_day(customer.company, assigned) if assigned else None
    due = next_due(customer, intervals, assigned_on)
    if planned is not None and planned.planned_for and planned.planned_for < due:
        due = planned.planned_for
    return DueStop(
        customer=customer,
        due_on=due,
        days_overdue=max((on - due).days, 0),
        interval_days=intervals[class_of(customer)],
        planned=planned,
    )


def due_customers(user: User, on: date, intervals: dict[str, int] | None = None) -> list[DueStop]:
    """The user's own customers (Customer.rep = user) due on or before `on`, and the user's
    planned visits up to `on`, most overdue first (one row per customer)."""
    company = user.company
    intervals = intervals or visit_intervals(company)
    own = Customer.objects.visible_to(user).filter(rep_id=user.pk).select_related("company")
    due = _with_due(own).filter(due_filter(intervals, company, on))
    planned = (
        Visit.objects.visible_to(user)
        .filter(rep_id=user.pk, status=VisitStatus.PLANNED, planned_for__lte=on)
        .order_by("planned_for", "pk")
    )
    plans: dict[int, Visit] = {}
    for visit in planned:
        plans.setdefault(visit.customer_id, visit)
    stops = {c.pk: _stop(c, intervals, on, plans.get(c.pk)) for c in due}
    missing = [pk for pk in plans if pk not in stops]
    if missing:
        extra = _with_due(Customer.objects.visible_to(user).filter(pk__in=missing))
        for customer in extra.select_related("company"):
            stops[customer.pk] = _stop(customer, intervals, on, plans[customer.pk])
    return sorted(stops.values(), key=lambda s: (s.due_on, s.customer.code))


def customer_due(customer: Customer, intervals: dict[str, int] | None = None) -> DueStop:
    """The customer's next due date and days overdue as of today."""
    intervals = intervals or visit_intervals(customer.company)
    annotated = _with_due(Customer.objects.filter(pk=customer.pk)).get()
    today = local_today(customer.company)
    planned = (
        Visit.objects.filter(
            company_id=customer.company_id, customer=customer, status=VisitStatus.PLANNED
        )
        .order_by("planned_for")
        .first()
    )
    return _stop(annotated, intervals, today, planned)


def overdue_customers(
    company: Any,
    customers: QuerySet[Customer],
    today: date,
    limit: int = 100,
    intervals: dict[str, int] | None = None,
) -> tuple[int, list[DueStop]]:
    """(how many, the `limit` most overdue) among owned customers whose visit was due before
    today. Per class: the oldest last visits first, then the oldest assignments of customers
    never visited; merged in Python over at most 6 × limit rows."""
    intervals = intervals or visit_intervals(company)
    yesterday = today - timedelta(days=1)
    scoped = _with_due(customers.filter(rep__isnull=False)).select_related("rep", "company")
    overdue = scoped.filter(due_filter(intervals, company, yesterday))
    count = overdue.count()
    candidates: list[Customer] = []
    for abc_class in CLASSES:
        if abc_class == CustomerClass.C:
            in_class = overdue.exclude(abc_class__in=[CustomerClass.A, CustomerClass.B])
        else:
            in_class = overdue.filter(abc_class=abc_class)
        candidates += in_class.filter(last_visit_on__isnull=False).order_by("last_visit_on")[:limit]
        candidates += in_class.filter(last_visit_on__isnull=True).order_by("assigned_at")[:limit]
    stops = [_stop(c, intervals, today) for c in candidates]
    stops.sort(key=lambda s: (-s.days_overdue, s.customer.code))
    return count, stops[:limit]


# ----------------------------------------------------------------------------- route


@dataclass
class Route:
    """Stops in visiting order; legs[i] is metres from the previous point (the start for the
    first), None for a stop without a position."""

    stops: list[Any]
    legs: list[int | None]
    start: tuple[Decimal, Decimal] | None

    @property
    def total_m(self) -> int:
        return sum(leg for leg in self.legs if leg is not None)

    @property
    def total_km(self) -> Decimal:
        return (Decimal(self.total_m) / 1000).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _has_position(stop: Any) -> bool:
    return stop.latitude is not None and stop.longitude is not None


def route(stops: Sequence[Any], start: tuple[Any, Any] | None) -> Route:
    """Nearest neighbour from `start` (else from the first stop with a position); stops without
    a position go last, in the order given (due order)."""
    placed = [s for s in stops if _has_position(s)]
    unplaced = [s for s in stops if not _has_position(s)]
    order: list[Any] = []
    legs: list[int | None] = []
    here = start
    if here is None and placed:
        here = (placed[0].latitude, placed[0].longitude)
    remaining = list(placed)
    while remaining:
        assert here is not None
        distances = [distance_m(here[0], here[1], s.latitude, s.longitude) for s in remaining]
        best = min(range(len(remaining)), key=lambda i: (distances[i], i))
        stop = remaining.pop(best)
        order.append(stop)
        legs.append(distances[best])
        here = (stop.latitude, stop.longitude)
    order += unplaced
    legs += [None] * len(unplaced)
    first = start
    if first is None and placed:
        first = (placed[0].latitude, placed[0].longitude)
    return Route(stops=order, legs=legs, start=first)


@dataclass
class StartPoint:
    latitude: Decimal | None
    longitude: Decimal | None
    # "phone", "base" (the employee's start point) or "first" (the first stop) / "none"
    source: str

    @property
    def point(self) -> tuple[Decimal, Decimal] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


def parse_position(latitude: Any, longitude: Any) -> tuple[Decimal, Decimal] | None:
    """A valid WGS-84 position from request text, or None (bad or missing values)."""
    try:
        lat = Decimal(str(latitude).strip())
        lon = Decimal(str(longitude).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not (lat.is_finite() and lon.is_finite()):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    step = Decimal("0.000001")
    return lat.quantize(step, ROUND_HALF_UP), lon.quantize(step, ROUND_HALF_UP)


def start_point(user: User, phone: tuple[Decimal, Decimal] | None) -> StartPoint:
    """Where the day's route starts: the phone's position, else the employee's base point."""
    if phone is not None:
        return StartPoint(phone[0], phone[1], "phone")
    from dealercrm.staff.services import profile_for

    profile = profile_for(user)
    if profile.base_latitude is not None and profile.base_longitude is not None:
        return StartPoint(profile.base_latitude, profile.base_longitude, "base")
    return StartPoint(None, None, "first")


@dataclass
class TodayPlan:
    """The "today" page: stops in route order, then the due customers beyond the route."""

    day: date
    start: StartPoint
    route: Route
    later: list[DueStop]
    done_today: list[Visit]

    @property
    def stop_count(self) -> int:
        return len(self.route.stops) + len(self.later)


def today_plan(user: User, phone: tuple[Decimal, Decimal] | None = None) -> TodayPlan:
    """Due, overdue and planned stops for today in route order (see MAX_ROUTE_STOPS)."""
    day = local_today(user.company)
    stops = due_customers(user, day)
    # Today's planned visits first, then the most overdue; the rest wait in due order.
    chosen = sorted(stops, key=lambda s: (s.planned is None, s.due_on, s.customer.code))
    routed, later = chosen[:MAX_ROUTE_STOPS], chosen[MAX_ROUTE_STOPS:]
    later.sort(key=lambda s: (s.due_on, s.customer.code))
    start = start_point(user, phone)
    plan = route(routed, start.point)
    for number, (stop, leg) in enumerate(zip(plan.stops, plan.legs, strict=True), start=1):
        stop.number, stop.leg_m = number, leg
    done = (
        Visit.objects.visible_to(user)
        .filter(
            rep_id=user.pk,
            status=VisitStatus.DONE,
            visited_at__gte=day_start(user.company, day),
            visited_at__lt=day_start(user.company, day + timedelta(days=1)),
        )
        .select_related("customer")
        .order_by("visited_at")
    )
    return TodayPlan(day=day, start=start, route=plan, later=later, done_today=list(done))


# ----------------------------------------------------------------------------- permissions


def may_record(actor: User, customer: Customer) -> bool:
    return actor.can("visits.record") and (
        Customer.objects.visible_to(actor).filter(pk=customer.pk).exists()
    )


def may_plan(actor: User, customer: Customer, rep: User | None = None) -> bool:
    """Boss and manager plan anyone's visits; a rep plans own visits to own customers."""
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        return False
    if actor.can("visits.plan"):
        return True
    return actor.can("visits.record") and (rep is None or rep.pk == actor.pk)


def may_cancel(actor: User, visit: Visit) -> bool:
    if not Visit.objects.visible_to(actor).filter(pk=visit.pk).exists():
        return False
    return actor.can("visits.plan") or (actor.can("visits.record") and visit.rep_id == actor.pk)


def _require_record(actor: User, customer: Customer) -> None:
    if not actor.can("visits.record"):
        raise PermissionDenied(_("You may not record visits."))
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise PermissionDenied(_("You may not record visits to this customer."))


# ----------------------------------------------------------------------------- photos


@dataclass
class PreparedPhoto:
    """An upload checked and re-encoded, ready to store."""

    name: str
    content: bytes
    width: int
    height: int


def _megabytes(size: int) -> str:
    return f"{Decimal(size) / (1024 * 1024):.1f}"


def prepare_photo(upload: Any) -> PreparedPhoto:
    """Check an uploaded file and re-encode it as a JPEG (upright, longest side ≤ 2048 px,
    no metadata: the EXIF position and camera details are dropped).

    Raises ValidationError naming the file when it is too large or not a picture.
    """
    name = getattr(upload, "name", "") or _("photo")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; a photo may be at most %(limit)s MB."),
            code="too_large",
            params={"name": name, "size": _megabytes(size), "limit": MAX_PHOTO_BYTES // 2**20},
        )
    not_a_picture = ValidationError(
        _("“%(name)s” is not a picture (JPEG, PNG, WebP…)."),
        code="not_image",
        params={"name": name},
    )
    with contextlib.suppress(AttributeError, OSError):
        upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=PHOTO_FORMATS)
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ValidationError(
                    _("“%(name)s” has too many pixels (%(pixels)s million; at most %(limit)s).")
                    % {
                        "name": name,
                        "pixels": (width * height) // 1_000_000,
                        "limit": MAX_PHOTO_PIXELS // 1_000_000,
                    },
                    code="too_many_pixels",
                )
            # JPEG decodes straight at a smaller scale: a 48 MP photo never fills memory.
            image.draft("RGB", (PHOTO_LONGEST_SIDE, PHOTO_LONGEST_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
            image = _flatten(image)
            image.thumbnail((PHOTO_LONGEST_SIDE, PHOTO_LONGEST_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
    ) as exc:
        raise not_a_picture from exc
    return PreparedPhoto(
        name=f"{uuid.uuid4().hex}.jpg",
        content=out.getvalue(),
        width=image.width,
        height=image.height,
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency over white (a PNG screenshot of a price list stays readable)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def prepare_photos(uploads: Iterable[Any]) -> list[PreparedPhoto]:
    """Every upload checked; one ValidationError listing every bad file."""
    prepared, errors = [], []
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS_PER_VISIT:
        raise ValidationError(
            _("At most %(limit)s photos per visit (%(count)s sent)."),
            code="too_many",
            params={"limit": MAX_PHOTOS_PER_VISIT, "count": len(uploads)},
        )
    for upload in uploads:
        try:
            prepared.append(prepare_photo(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return prepared


def _store_photos(
    visit: Visit, photos: Sequence[PreparedPhoto], actor: User, written: list[Any]
) -> list[VisitPhoto]:
    """Write the files and their rows; `written` collects the files for removal on failure."""
    stored = []
    for photo in photos:
        row = VisitPhoto(
            company_id=visit.company_id,
            visit=visit,
            width=photo.width,
            height=photo.height,
            size_bytes=len(photo.content),
            uploaded_by=actor,
        )
        row.image.save(photo.name, ContentFile(photo.content), save=False)
        written.append(row.image)
        row.save()
        stored.append(row)
    return stored


def _remove(files: Sequence[Any]) -> None:
    """Delete photo files whose rows were rolled back (the database has no file to point to)."""
    for image in files:
        image.storage.delete(image.name)


def add_photos(visit: Visit, uploads: Sequence[Any], actor: User) -> list[VisitPhoto]:
    """Attach photos to a visit the actor may record, all or none (see prepare_photo)."""
    _require_record(actor, visit.customer)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("A cancelled visit takes no photos."), code="cancelled")
    if not uploads:
        raise ValidationError(_("Choose a photo to add."), code="required")
    existing = VisitPhoto.objects.filter(company_id=visit.company_id, visit=visit).count()
    if existing + len(uploads) > MAX_PHOTOS_PER_VISIT:
        raise ValidationError(
            _("At most %(limit)s photos per visit (%(count)s sent)."),
            code="too_many",
            params={"limit": MAX_PHOTOS_PER_VISIT, "count": existing + len(uploads)},
        )
    prepared = prepare_photos(uploads)
    written: list[Any] = []
    try:
        with transaction.atomic():
            return _store_photos(visit, prepared, actor, written)
    except BaseException:
        _remove(written)
        raise


def add_photo(visit: Visit, upload: Any, actor: User) -> VisitPhoto:
    """Attach one photo (see add_photos)."""
    return add_photos(visit, [upload], actor)[0]


# ----------------------------------------------------------------------------- recording


@dataclass
class Observations:
    """What the rep saw and did, as the form or the API sends it (already typed)."""

    notes: str = ""
    stock_level: str = ""
    shelf_display: str = ""
    ads_present: bool | None = None
    order_amount: Decimal | None = None
    order_notes: str = ""


@dataclass
class Sighting:
    brand: str = ""
    product: str = ""
    price: Decimal | None = None

    @property
    def blank(self) -> bool:
        return not (self.brand.strip() or self.product.strip() or self.price is not None)


@dataclass
class CheckIn:
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None


def _within(value: Decimal, limit: int) -> bool:
    return Decimal(value).is_finite() and -limit <= value <= limit


def _check(
    checkin: CheckIn,
    observations: Observations,
    sightings: Sequence[Sighting],
    visited_at: datetime,
) -> None:
    """Every bad value at once, as {field: messages}; sightings as sightings-<n>."""
    errors: dict[str, list[str]] = {}
    if (checkin.latitude is None) != (checkin.longitude is None):
        errors.setdefault("latitude", []).append(_("Send both latitude and longitude, or neither."))
    if checkin.latitude is not None and not _within(checkin.latitude, 90):
        errors.setdefault("latitude", []).append(_("Latitude must be between -90 and 90."))
    if checkin.longitude is not None and not _within(checkin.longitude, 180):
        errors.setdefault("longitude", []).append(_("Longitude must be between -180 and 180."))
    if checkin.accuracy_m is not None and checkin.accuracy_m < 0:
        errors.setdefault("accuracy", []).append(_("Accuracy cannot be negative."))
    if timezone.is_naive(visited_at):
        errors.setdefault("visited_at", []).append(_("Give the visit time with its time zone."))
    elif visited_at > timezone.now() + CLOCK_SKEW:
        errors.setdefault("visited_at", []).append(_("The visit time is in the future."))
    if observations.stock_level and observations.stock_level not in StockLevel.values:
        errors.setdefault("stock_level", []).append(_("Unknown stock level."))
    if observations.shelf_display and observations.shelf_display not in ShelfDisplay.values:
        errors.setdefault("shelf_display", []).append(_("Unknown shelf display."))
    amount = observations.order_amount
    if amount is not None and (amount < 0 or amount != amount.quantize(CENT) or amount >= 10**12):
        errors.setdefault("order_amount", []).append(
            _("The order amount must be zero or more, with at most two decimals.")
        )
    if len(observations.order_notes) > 500:
        errors.setdefault("order_notes", []).append(_("At most 500 characters."))
    for number, sighting in enumerate(sightings, start=1):
        if sighting.blank:
            continue
        key = f"sightings-{number}"
        if not sighting.brand.strip():
            errors.setdefault(key, []).append(
                _("Competitor product %(n)s: the brand is missing.") % {"n": number}
            )
        if len(sighting.brand.strip()) > 50 or len(sighting.product.strip()) > 100:
            errors.setdefault(key, []).append(
                _("Competitor product %(n)s: the brand or product name is too long.")
                % {"n": number}
            )
        price = sighting.price
        if price is not None and (price < 0 or price != price.quantize(CENT) or price >= 10**10):
            errors.setdefault(key, []).append(
                _("Competitor product %(n)s: the price must be zero or more, two decimals at most.")
                % {"n": number}
            )
    if errors:
        raise ValidationError(errors)


def _refresh_last_visit(customer: Customer) -> None:
    latest = Visit.objects.filter(
        company_id=customer.company_id, customer_id=customer.pk, status=VisitStatus.DONE
    ).aggregate(latest=Max("visited_at"))["latest"]
    day = local_day(customer.company, latest) if latest else None
    Customer.objects.filter(pk=customer.pk).update(last_visit_on=day)
    customer.last_visit_on = day


def record_visit(
    customer: Customer,
    actor: User,
    *,
    checkin: CheckIn | None = None,
    observations: Observations | None = None,
    sightings: Sequence[Sighting] = (),
    photos: Iterable[Any] = (),
    visited_at: datetime | None = None,
) -> Visit:
    """Record a done visit with its check-in, observations, competitor sightings and photos,
    all or nothing. Today's planned visit to the customer (if any) becomes this visit."""
    _require_record(actor, customer)
    checkin = checkin or CheckIn()
    observations = observations or Observations()
    now = timezone.now()
    visited_at = visited_at or now
    _check(checkin, observations, sightings, visited_at)
    prepared = prepare_photos(photos)
    distance = checkin_distance(customer, checkin.latitude, checkin.longitude)
    day = local_day(customer.company, visited_at)
    written: list[Any] = []
    try:
        with transaction.atomic():
            visit = _save_visit(customer, actor, day, visited_at, checkin, distance, observations)
            CompetitorSighting.objects.bulk_create(
                CompetitorSighting(
                    company_id=customer.company_id,
                    visit=visit,
                    brand=s.brand.strip(),
                    product=s.product.strip(),
                    price=s.price,
                )
                for s in sightings
                if not s.blank
            )
            _store_photos(visit, prepared, actor, written)
            _refresh_last_visit(customer)
    except BaseException:
        _remove(written)
        raise
    return visit


def _save_visit(
    customer: Customer,
    actor: User,
    day: date,
    visited_at: datetime,
    checkin: CheckIn,
    distance: int | None,
    observations: Observations,
) -> Visit:
    """The done visit: the day's planned visit (the actor's own first) turned done, or a new row."""
    planned = list(
        Visit.objects.select_for_update()
        .filter(
            company_id=customer.company_id,
            customer=customer,
            status=VisitStatus.PLANNED,
            planned_for=day,
        )
        .order_by("pk")
    )
    own = [v for v in planned if v.rep_id == actor.pk]
    visit = (own or planned or [None])[0]
    if visit is None:
        visit = Visit(company_id=customer.company_id, customer=customer)
    visit.rep = actor
    visit.status = VisitStatus.DONE
    visit.visited_at = visited_at
    visit.checkin_at = visited_at
    visit.checkin_latitude = checkin.latitude
    visit.checkin_longitude = checkin.longitude
    visit.checkin_accuracy_m = checkin.accuracy_m
    visit.distance_m = distance
    visit.far_from_customer = is_far(distance)
    visit.notes = observations.notes.strip()
    visit.stock_level = observations.stock_level
    visit.shelf_display = observations.shelf_display
    visit.ads_present = observations.ads_present
    visit.order_amount = observations.order_amount
    visit.order_notes = observations.order_notes.strip()
    if visit.created_by_id is None:
        visit.created_by = actor
    visit.save()
    return visit


# ----------------------------------------------------------------------------- planning


def plan_visit(customer: Customer, rep: User, day: date, actor: User) -> Visit:
    """Plan a visit of rep to customer on day (boss and manager: anyone's; a rep: own)."""
    if not may_plan(actor, customer, rep):
        raise PermissionDenied(_("You may not plan visits for others."))
    errors: dict[str, list[str]] = {}
    if rep.company_id != customer.company_id or not rep.is_active:
        errors["rep"] = [_("Choose an active colleague of this company.")]
    elif not (rep.can("visits.record")):
        errors["rep"] = [_("%(rep)s does not visit customers.") % {"rep": rep}]
    if day < local_today(customer.company):
        errors["day"] = [_("The day has passed: plan today or a later day.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        taken = Visit.objects.filter(
            company_id=customer.company_id,
            customer=customer,
            status=VisitStatus.PLANNED,
            planned_for=day,
        ).exists()
        if taken:
            raise ValidationError(
                {
                    "day": [
                        _("A visit to %(customer)s is already planned on %(day)s.")
                        % {"customer": customer.name, "day": day.isoformat()}
                    ]
                }
            )
        return Visit.objects.create(
            company_id=customer.company_id,
            customer=customer,
            rep=rep,
            status=VisitStatus.PLANNED,
            planned_for=day,
            created_by=actor,
        )


def cancel_visit(visit: Visit, actor: User) -> Visit:
    """Cancel a planned visit (its rep, or a boss or manager)."""
    if not may_cancel(actor, visit):
        raise PermissionDenied(_("You may not cancel this visit."))
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."), code="not_planned")
    Visit.objects.filter(pk=visit.pk).update(
        status=VisitStatus.CANCELLED, updated_at=timezone.now()
    )
    visit.status = VisitStatus.CANCELLED
    return visit


# ----------------------------------------------------------------------------- report


@dataclass
class ReportCell:
    customers: int = 0
    expected: Decimal = Decimal(0)
    done: int = 0

    @property
    def expected_display(self) -> Decimal:
        return self.expected.quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def completion(self) -> int | None:
        """Done as a percentage of expected (rounded), None when nothing was expected."""
        if not self.expected:
            return None
        share = Decimal(self.done) * 100 / self.expected
        return int(share.quantize(Decimal(1), ROUND_HALF_UP))

    def add(self, other: ReportCell) -> None:
        self.customers += other.customers
        self.expected += other.expected
        self.done += other.done


@dataclass
class ReportRow:
    rep: User
    cells: dict[str, ReportCell]
    total: ReportCell


@dataclass
class VisitReport:
    start: date
    end: date  # inclusive: the last day counted
    days: int
    intervals: dict[str, int]
    rows: list[ReportRow]
    totals: dict[str, ReportCell]
    total: ReportCell
    overdue_count: int
    overdue: list[DueStop]
    flagged_count: int
    flagged: list[Visit]
    classes: Sequence[str] = field(default=CLASSES)


def month_period(month: date, today: date) -> tuple[date, date]:
    """(first day, last counted day) of a month: up to today for the current month."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    end = min(following - timedelta(days=1), today)
    return start, end


def visit_report(
    company: Any, month: date, today: date | None = None, limit: int = 100
) -> VisitReport:
    """Planned vs done per rep and class for a month (see the module docstring)."""
    today = today or local_today(company)
    start, end = month_period(month, today)
    days = max((end - start).days + 1, 0)
    intervals = visit_intervals(company)
    customers = Customer.objects.for_company(company)
    owned = (
        customers.filter(rep__isnull=False)
        .values("rep_id", "abc_class")
        .annotate(n=Count("pk"))
        .order_by()
    )
    visits = Visit.objects.for_company(company)
    period = visits.filter(
        status=VisitStatus.DONE,
        visited_at__gte=day_start(company, start),
        visited_at__lt=day_start(company, end + timedelta(days=1)),
    )
    done = period.values("rep_id", "customer__abc_class").annotate(n=Count("pk")).order_by()
    cells: dict[int, dict[str, ReportCell]] = {}

    def cell(rep_id: int, abc_class: str) -> ReportCell:
        row = cells.setdefault(rep_id, {c: ReportCell() for c in CLASSES})
        return row[policy_class(abc_class)]

    for item in owned:
        target = cell(item["rep_id"], item["abc_class"])
        target.customers += item["n"]
        interval = intervals[policy_class(item["abc_class"])]
        target.expected += Decimal(item["n"] * days) / interval
    for item in done:
        cell(item["rep_id"], item["customer__abc_class"]).done += item["n"]
    reps = {u.pk: u for u in User.objects.filter(pk__in=cells.keys())}
    rows = []
    totals = {c: ReportCell() for c in CLASSES}
    total = ReportCell()
    for rep_id, by_class in cells.items():
        row_total = ReportCell()
        for abc_class, value in by_class.items():
            row_total.add(value)
            totals[abc_class].add(value)
        total.add(row_total)
        rows.append(ReportRow(rep=reps[rep_id], cells=by_class, total=row_total))
    rows.sort(key=lambda r: (r.total.completion is None, r.total.completion or 0, str(r.rep)))
    overdue_count, overdue = overdue_customers(company, customers, today, limit, intervals)
    flagged_rows = (
        period.filter(Q(far_from_customer=True) | Q(checkin_latitude__isnull=True))
        .select_related("customer", "rep")
        .order_by("-visited_at")
    )
    return VisitReport(
        start=start,
        end=end,
        days=days,
        intervals=intervals,
        rows=rows,
        totals=totals,
        total=total,
        overdue_count=overdue_count,
        overdue=overdue,
        flagged_count=flagged_rows.count(),
        flagged=list(flagged_rows[:limit]),
    )
