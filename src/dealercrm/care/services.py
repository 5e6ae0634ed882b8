"""Customer care (客情): the company's festivals and the care records that mark agenda items done.

Festivals: the built-in ones are created with their defaults the first time a company's list is
read (`festivals`); the company enables or disables them and sets their lead days, adds its own
and deletes those it added (a built-in festival is disabled, never deleted, so the defaults are
not created again). Their dates follow core.birthdays (lunar day 0 = the month's last day).

Care records: "done" on a birthday, festival or anniversary item of the agenda stores a
CareRecord for that occasion and date; undo deletes it. The item's key says which occasion
(see care/agenda.py), and it is checked against the data: the contact's birthday, the
festival or the first order must fall on the date the key names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from dealercrm.care.choices import Calendar, Occasion
from dealercrm.care.models import CareRecord, Festival
from dealercrm.core.birthdays import (
    LUNAR,
    SOLAR,
    Birthday,
    calendar_dates_in,
    calendar_next,
    lunar_text,
    solar_in_year,
)
from dealercrm.customers.models import Contact, Customer
from dealercrm.retention.models import CustomerScore
from dealercrm.segmentation.choices import CareAction
from dealercrm.segmentation.services import service_policy

NAME_MAX = 30
LEAD_MAX = 60

# (code, name, calendar, month, day, enabled, lead days); lunar day 0 = the month's last day.
DEFAULT_FESTIVALS: tuple[tuple[str, str, str, int, int, bool, int], ...] = (
    ("new_year", "元旦", SOLAR, 1, 1, True, 7),
    ("spring", "春节", LUNAR, 1, 1, True, 14),
    ("lantern", "元宵", LUNAR, 1, 15, True, 7),
    ("labour", "劳动节", SOLAR, 5, 1, False, 7),
    ("dragon_boat", "端午", LUNAR, 5, 5, True, 7),
    ("qixi", "七夕", LUNAR, 7, 7, False, 7),
    ("mid_autumn", "中秋", LUNAR, 8, 15, True, 14),
    ("national", "国庆", SOLAR, 10, 1, True, 7),
    ("double_ninth", "重阳", LUNAR, 9, 9, False, 7),
    ("new_year_eve", "除夕", LUNAR, 12, 0, False, 7),
)
BUILT_IN_CODES = {row[0] for row in DEFAULT_FESTIVALS}


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> date:
    """A day written YYYY-MM-DD (nothing else); ValueError otherwise."""
    text = (text or "").strip()
    if not _DAY.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)


# ----------------------------------------------------------------------------- festivals


def festivals(company: Any) -> list[Festival]:
    """The company's festivals, the built-in ones created with their defaults on first read."""
    stored = list(Festival.objects.for_company(company))
    if not any(f.code in BUILT_IN_CODES for f in stored):
        Festival.objects.bulk_create(
            [
                Festival(
                    company_id=getattr(company, "pk", company),
                    code=code,
                    name=name,
                    calendar=calendar_name,
                    month=month,
                    day=day,
                    enabled=enabled,
                    lead_days=lead,
                    position=position,
                )
                for position, (code, name, calendar_name, month, day, enabled, lead) in enumerate(
                    DEFAULT_FESTIVALS, start=1
                )
            ],
            ignore_conflicts=True,
        )
        stored = list(Festival.objects.for_company(company))
    return stored


def festival_dates(festival: Festival, year: int) -> list[date]:
    """The solar dates on which the festival falls in solar `year` (除夕 may fall twice or not
    at all in one solar year)."""
    return calendar_dates_in(festival.calendar, festival.month, festival.day, False, year)


def festival_next(festival: Festival, start: date) -> date:
    """The festival's first date on or after `start`."""
    return calendar_next(festival.calendar, festival.month, festival.day, False, start)


def festival_rule_text(festival: Festival) -> str:
    """农历八月十五 or 10-01 (solar)."""
    if festival.calendar == Calendar.LUNAR:
        return lunar_text(festival.month, festival.day)
    return f"{festival.month:02d}-{festival.day:02d}"


def _require_festivals(actor: Any) -> None:
    if not actor.can("care.festivals"):
        raise PermissionDenied(_("Only the boss and managers may change the festivals."))


def _check_lead(lead_days: Any) -> int:
    try:
        lead = int(lead_days)
    except (TypeError, ValueError):
        lead = -1
    if not 0 <= lead <= LEAD_MAX:
        raise ValidationError(
            {
                "lead_days": _("Days ahead must be a whole number from 0 to %(max)s.")
                % {"max": LEAD_MAX}
            }
        )
    return lead


@transaction.atomic
def add_festival(
    company: Any,
    *,
    actor: Any,
    name: str,
    calendar_name: str,
    month: Any,
    day: Any,
    lead_days: Any = 7,
) -> Festival:
    """Add a festival of the company's own; ValidationError names the bad field."""
    _require_festivals(actor)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the festival's name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("At most %(count)s characters.") % {"count": NAME_MAX}
    elif Festival.objects.for_company(company).filter(name=name).exists():
        errors["name"] = _("The company already has a festival called “%(name)s”.") % {"name": name}
    if calendar_name not in Calendar.values:
        errors["calendar"] = _("Choose solar or lunar.")
    try:
        month_number = int(month)
        day_number = int(day)
    except (TypeError, ValueError):
        month_number = day_number = -1
    if not 1 <= month_number <= 12:
        errors["month"] = _("The month must be from 1 to 12.")
    elif calendar_name == Calendar.SOLAR and not 1 <= day_number <= _solar_days(month_number):
        errors["day"] = _("No such day in that month.")
    elif calendar_name == Calendar.LUNAR and not 0 <= day_number <= 30:
        errors["day"] = _("A lunar day is from 1 to 30 (0 for the month's last day).")
    try:
        lead = _check_lead(lead_days)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        lead = 0
    if errors:
        raise ValidationError(errors)
    last = Festival.objects.for_company(company).order_by("-position").first()
    try:
        with transaction.atomic():
            return Festival.objects.create(
                company_id=getattr(company, "pk", company),
                name=name,
                calendar=calendar_name,
                month=month_number,
                day=day_number,
                lead_days=lead,
                enabled=True,
                position=(last.position + 1) if last else 1,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("The company already has a festival called “%(name)s”.") % {"name": name}}
        ) from exc


def _solar_days(month: int) -> int:
    return solar_in_year(2000, month, 31).day


def update_festival(festival: Festival, *, actor: Any, enabled: bool, lead_days: Any) -> Festival:
    """Observe it or not, and how many days ahead the agenda shows it."""
    _require_festivals(actor)
    festival.lead_days = _check_lead(lead_days)
    festival.enabled = bool(enabled)
    festival.save(update_fields=["lead_days", "enabled"])
    return festival


def delete_festival(festival: Festival, *, actor: Any) -> None:
    """Delete a festival the company added; a built-in one can only be disabled."""
    _require_festivals(actor)
    if festival.code in BUILT_IN_CODES:
        raise ValidationError(_("A built-in festival cannot be deleted; turn it off instead."))
    festival.delete()


# ----------------------------------------------------------------------------- anniversaries


def anniversary_on(first_order: date, year: int) -> date:
    """The yearly anniversary of the first order in `year` (Feb 29 → Feb 28)."""
    return solar_in_year(year, first_order.month, first_order.day)


def anniversary_next(first_order: date, start: date) -> date | None:
    """The first anniversary (one year or more after the first order) on or after `start`."""
    for year in (start.year, start.year + 1):
        found = anniversary_on(first_order, year)
        if found >= start and year > first_order.year:
            return found
    return None


# ----------------------------------------------------------------------------- care records

_KEY_PATTERNS = {
    Occasion.BIRTHDAY: re.compile(r"^birthday:contact:(\d+):(\d{4}-\d{2}-\d{2})$"),
    Occasion.FESTIVAL: re.compile(r"^festival:(\d+):customer:(\d+):(\d{4}-\d{2}-\d{2})$"),
    Occasion.ANNIVERSARY: re.compile(r"^anniversary:customer:(\d+):(\d{4}-\d{2}-\d{2})$"),
}


def record_key(record: CareRecord) -> str:
    """The agenda key of the occasion a care record is for (agenda.py builds the same)."""
    day = record.occasion_date.isoformat()
    if record.occasion == Occasion.BIRTHDAY:
        return f"birthday:contact:{record.contact_id}:{day}"
    if record.occasion == Occasion.FESTIVAL:
        return f"festival:{record.festival_id}:customer:{record.customer_id}:{day}"
    return f"anniversary:customer:{record.customer_id}:{day}"


@dataclass(frozen=True)
class Occurrence:
    """What an agenda key names: the occasion, its date, the customer and contact or festival."""

    occasion: str
    day: date
    customer: Customer
    contact: Contact | None = None
    festival: Festival | None = None

    def records(self) -> Any:
        found = CareRecord.objects.filter(
            company_id=self.customer.company_id,
            customer=self.customer,
            occasion=self.occasion,
            occasion_date=self.day,
        )
        if self.contact is not None:
            found = found.filter(contact=self.contact)
        if self.festival is not None:
            found = found.filter(festival=self.festival)
        return found


def _bad_key() -> ValidationError:
    return ValidationError(
        {"key": _("This is not a birthday, festival or anniversary of a customer.")}
    )


def resolve_key(user: Any, key: str) -> Occurrence:
    """The occasion an agenda key names, as `user` may see it: Http404 for a row the user may
    not see, ValidationError when the key is malformed or its date is not the occasion's."""
    key = (key or "").strip()
    found = [(occasion, p.match(key)) for occasion, p in _KEY_PATTERNS.items() if p.match(key)]
    if not found:
        raise _bad_key()
    occasion, match = found[0]
    assert match is not None
    *ids, day_text = match.groups()
    try:
        day = date.fromisoformat(day_text)
    except ValueError as exc:
        raise _bad_key() from exc
    if occasion == Occasion.BIRTHDAY:
        contact = (
            Contact.objects.visible_to(user).select_related("customer").filter(pk=ids[0]).first()
        )
        if contact is None:
            raise Http404
        birthday = contact.birthday
        if birthday is None or day not in birthday.dates_in(day.year):
            raise _bad_key()
        return Occurrence(occasion, day, contact.customer, contact=contact)
    customer_id = ids[-1]
    customer = Customer.objects.visible_to(user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    if occasion == Occasion.FESTIVAL:
        festival = Festival.objects.visible_to(user).filter(pk=ids[0]).first()
        if festival is None:
            raise Http404
        if day not in festival_dates(festival, day.year):
            raise _bad_key()
        return Occurrence(occasion, day, customer, festival=festival)
    score = CustomerScore.objects.filter(company_id=customer.company_id, customer=customer).first()
    first_order = score.first_order if score else None
    if first_order is None or anniversary_next(first_order, day) != day:
        raise _bad_key()
    return Occurrence(occasion, day, customer)


def occasion_action(occurrence: Occurrence) -> str:
    """The class policy's care action for this occasion (segmentation CareAction code)."""
    policy = service_policy(occurrence.customer.company, occurrence.customer.abc_class)
    wanted = {
        Occasion.BIRTHDAY: (CareAction.BIRTHDAY_GIFT, CareAction.BIRTHDAY_CALL),
        Occasion.FESTIVAL: (CareAction.FESTIVAL_VISIT, CareAction.FESTIVAL_GREETING),
        Occasion.ANNIVERSARY: (CareAction.ANNIVERSARY_CALL,),
    }[occurrence.occasion]
    return next((code for code in wanted if code in policy.care_actions), "")


@transaction.atomic
def mark_done(user: Any, key: str, note: str = "") -> CareRecord:
    """Record the care action for an agenda item (once: marking it again keeps the first)."""
    if not user.can("care.record"):
        raise PermissionDenied(_("You may not record care actions."))
    occurrence = resolve_key(user, key)
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("At most %(count)s characters.") % {"count": 300}})
    existing = occurrence.records().first()
    if existing is not None:
        return existing
    return CareRecord.objects.create(
        company_id=occurrence.customer.company_id,
        customer=occurrence.customer,
        contact=occurrence.contact,
        festival=occurrence.festival,
        occasion=occurrence.occasion,
        occasion_date=occurrence.day,
        action=occasion_action(occurrence),
        note=note,
        done_by=user,
    )


@transaction.atomic
def undo_done(user: Any, key: str) -> int:
    """Delete the care record of an agenda item (it shows as to do again); how many went."""
    if not user.can("care.record"):
        raise PermissionDenied(_("You may not record care actions."))
    deleted, _detail = resolve_key(user, key).records().delete()
    return deleted


# ----------------------------------------------------------------------------- customer page


@dataclass(frozen=True)
class NextBirthday:
    contact: Contact
    birthday: Birthday
    day: date
    days_to_go: int


@dataclass(frozen=True)
class CustomerCare:
    birthdays: list[NextBirthday]
    anniversary: date | None
    years: int
    records: list[CareRecord]


def customer_care(customer: Customer, today: date, *, record_limit: int = 5) -> CustomerCare:
    """The customer's next birthdays (each contact with one), next cooperation anniversary and
    recent care records (three queries)."""
    birthdays = []
    for contact in Contact.objects.filter(company_id=customer.company_id, customer=customer):
        birthday = contact.birthday
        if birthday is None:
            continue
        day = birthday.next_on_or_after(today)
        birthdays.append(NextBirthday(contact, birthday, day, (day - today).days))
    birthdays.sort(key=lambda b: (b.day, b.contact.pk))
    score = CustomerScore.objects.filter(company_id=customer.company_id, customer=customer).first()
    first_order = score.first_order if score else None
    anniversary = anniversary_next(first_order, today) if first_order else None
    years = anniversary.year - first_order.year if anniversary and first_order else 0
    records = list(
        CareRecord.objects.filter(company_id=customer.company_id, customer=customer)
        .select_related("contact", "festival", "done_by")
        .order_by("-occasion_date", "-id")[:record_limit]
    )
    return CustomerCare(birthdays, anniversary, years, records)
