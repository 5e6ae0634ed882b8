"""Building blocks for the visits tests: positions, pictures, past visits."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dealercrm.customers.models import Assignment, Customer
from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.models import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo's county seat (新野县城), and a point due east of it.
HOME = (Decimal("32.520000"), Decimal("112.360000"))


def place(customer: Customer, latitude, longitude) -> Customer:
    """Put a customer on the map (as the file's form would)."""
    Customer.objects.filter(pk=customer.pk).update(
        latitude=Decimal(str(latitude)), longitude=Decimal(str(longitude))
    )
    customer.refresh_from_db()
    return customer


def last_visited(customer: Customer, day: date | None, abc_class: str | None = None) -> Customer:
    fields = {"last_visit_on": day}
    if abc_class is not None:
        fields["abc_class"] = abc_class
    Customer.objects.filter(pk=customer.pk).update(**fields)
    customer.refresh_from_db()
    return customer


def assigned_on(customer: Customer, day: date) -> None:
    """Pretend the current owner got the customer on `day` (at 10:00 Shanghai time)."""
    Assignment.objects.filter(customer=customer, ended_at__isnull=True).update(
        started_at=datetime.combine(day, time(10), tzinfo=SHANGHAI)
    )


def done_visit(customer: Customer, rep, day: date, at: time = time(15), **fields) -> Visit:
    """A done visit at a local time of day (Shanghai)."""
    return Visit.objects.create(
        company_id=customer.company_id,
        customer=customer,
        rep=rep,
        status=VisitStatus.DONE,
        visited_at=datetime.combine(day, at, tzinfo=SHANGHAI),
        **fields,
    )


def planned_visit(customer: Customer, rep, day: date) -> Visit:
    return Visit.objects.create(
        company_id=customer.company_id,
        customer=customer,
        rep=rep,
        status=VisitStatus.PLANNED,
        planned_for=day,
    )


def picture(fmt: str = "PNG", size=(64, 48), color=(200, 30, 30), **save) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, color + ((255,) if mode == "RGBA" else ()))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def upload(content: bytes, name: str = "shelf.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps_and_rotation(size=(80, 40)) -> bytes:
    """A JPEG taken 'sideways' (EXIF orientation 6) that carries a GPS position."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    gps = {1: "N", 2: (32.0, 31.0, 12.0), 3: "E", 4: (112.0, 21.0, 36.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG claiming huge dimensions: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def days_ago(today: date, days: int) -> date:
    return today - timedelta(days=days)
