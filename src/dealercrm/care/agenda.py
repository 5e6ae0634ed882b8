"""The daily agenda: whom to call, visit or send a gift on a day, and what else needs doing.

Kinds, in the order the agenda lists them (care.choices.AgendaKind):
- birthday: every contact (owner or other) with a birthday, from the class's care_lead_days
  before the day through the day itself (core.birthdays decides the solar date: leap months,
  the 30th of a short month, Feb 29); the action is the class policy's birthday gift or call;
- festival: an enabled festival from its lead_days before through the day, one item per customer
  whose class policy has festival_visit (visit with a gift) or festival_greeting; a class with
  neither gets nothing;
- anniversary: the yearly anniversary of the first order (retention's CustomerScore.first_order,
  which the daily refresh keeps), when the class policy has anniversary_call, with the class's
  lead days;
- follow_up: open follow-ups due on or before the day (reminders);
- visit: customers whose visit is due or overdue by the day (visits.services.due_customers);
- dormant / declining: the retention warnings of the last refresh;
- complaint: open complaints whose deadline is before the end of the next day (within 24 hours of
  the day's end), or overdue.

Keys are stable across runs (the sending job sends each key once): an occasion's key carries its
date, a follow-up's its id, a visit's the due day, a dormant warning the last order's day (a new
order and a new silence make a new warning), a declining warning the month, a complaint
"deadline" and then "overdue".

Queries: a fixed number per agenda (policies, festivals, customers, contacts, scores, care
records, follow-ups, complaints) plus the due list of each rep concerned; everything else is
computed in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.models import User
from dealercrm.care import services
from dealercrm.care.choices import AgendaKind
from dealercrm.care.models import CareRecord
from dealercrm.companies.services import company_zone, local_today
from dealercrm.complaints.choices import ComplaintStatus
from dealercrm.complaints.models import Complaint
from dealercrm.core.birthdays import calendar_next, lunar_text
from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.models import Contact, Customer
from dealercrm.reminders.models import Reminder
from dealercrm.reminders.services import open_for
from dealercrm.retention.models import CustomerScore
from dealercrm.segmentation.choices import CareAction
from dealercrm.segmentation.services import service_policies
from dealercrm.visits.services import due_customers

KIND_ORDER = {kind: position for position, kind in enumerate(AgendaKind.values)}
CLASS_ORDER = {CustomerClass.A: 0, CustomerClass.B: 1, CustomerClass.C: 2, "": 3}
BIRTHDAY_ACTIONS = (CareAction.BIRTHDAY_GIFT, CareAction.BIRTHDAY_CALL)
FESTIVAL_ACTIONS = (CareAction.FESTIVAL_VISIT, CareAction.FESTIVAL_GREETING)


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # AgendaKind
    key: str  # unique per item and occurrence, stable across runs
    due: date  # the day it is about (the birthday itself, the visit's due day…)
    customer_id: int | None
    customer_name: str
    abc_class: str
    owner_id: int | None  # the login responsible (customer's rep, assignee, complaint owner)
    text: str  # one translated line
    link: str  # a path on this site
    done: bool  # a care record for this occasion exists
    customer_code: str = ""

    @property
    def is_care(self) -> bool:
        """Whether "done" can be recorded for it (birthdays, festivals, anniversaries)."""
        return self.kind in (AgendaKind.BIRTHDAY, AgendaKind.FESTIVAL, AgendaKind.ANNIVERSARY)


@dataclass(frozen=True)
class _Customer:
    pk: int
    name: str
    code: str
    abc_class: str
    rep_id: int | None

    @property
    def policy_class(self) -> str:
        if self.abc_class in (CustomerClass.A, CustomerClass.B):
            return self.abc_class
        return CustomerClass.C


def _customer_link(customer_id: int) -> str:
    # One reverse() per agenda, not per item: festivals make an item for every customer.
    return _customer_path().replace("/0/", f"/{customer_id}/", 1)


@lru_cache(maxsize=1)
def _customer_path() -> str:
    return reverse("customers:detail", args=[0])


def _complaint_link(complaint: Complaint) -> str:
    try:
        return reverse("complaints:detail", args=[complaint.pk])
    except NoReverseMatch:
        return _customer_link(complaint.customer_id)


def _md(day: date) -> str:
    return f"{day.month:02d}-{day.day:02d}"


def _action_labels() -> dict[str, str]:
    return {code: str(label) for code, label in CareAction.choices}


class _Builder:
    """Builds the items of one agenda from the querysets it is given (already scoped)."""

    def __init__(self, company: Any, day: date) -> None:
        self.company = company
        self.day = day
        self.policies = {p.abc_class: p for p in service_policies(company)}
        self.labels = _action_labels()
        self.items: list[AgendaItem] = []
        self.festival_list = services.festivals(company)

    def policy_action(self, customer: _Customer, wanted: Iterable[str]) -> str:
        actions = self.policies[customer.policy_class].care_actions
        return next((code for code in wanted if code in actions), "")

    def lead(self, customer: _Customer) -> int:
        return self.policies[customer.policy_class].care_lead_days

    def add(self, customer: _Customer | None, **fields: Any) -> None:
        if customer is not None:
            fields.setdefault("customer_id", customer.pk)
            fields.setdefault("customer_name", customer.name)
            fields.setdefault("customer_code", customer.code)
            fields.setdefault("abc_class", customer.abc_class)
            fields.setdefault("owner_id", customer.rep_id)
            fields.setdefault("link", _customer_link(customer.pk))
        fields.setdefault("done", False)
        self.items.append(AgendaItem(**fields))

    def class_text(self, customer: _Customer, action: str) -> str:
        text = _(", class %(abc)s") % {"abc": customer.abc_class} if customer.abc_class else ""
        if action:
            text += _(": %(action)s") % {"action": self.labels.get(action, action)}
        return text

    # ------------------------------------------------------------------- occasions

    def birthdays(self, customers: dict[int, _Customer], contacts: Iterable[dict]) -> None:
        cache: dict[tuple[str, int, int, bool], date] = {}
        for row in contacts:
            customer = customers.get(row["customer_id"])
            if customer is None:
                continue
            rule = (
                row["birthday_calendar"],
                row["birthday_month"],
                row["birthday_day"],
                row["birthday_leap"],
            )
            if rule not in cache:
                try:
                    cache[rule] = calendar_next(*rule, self.day)
                except (ValueError, IndexError, AttributeError):
                    cache[rule] = date.max  # an impossible stored date is never due
            due = cache[rule]
            if (due - self.day).days > self.lead(customer):
                continue
            lunar = ""
            if rule[0] == "lunar":
                lunar = "（" + lunar_text(rule[1], rule[2], rule[3]) + "）"
            action = self.policy_action(customer, BIRTHDAY_ACTIONS)
            text = (
                _("%(person)s (%(customer)s) birthday %(date)s")
                % {"person": row["name"], "customer": customer.name, "date": _md(due)}
                + lunar
                + self.class_text(customer, action)
            )
            self.add(
                customer,
                kind=AgendaKind.BIRTHDAY,
                key=f"birthday:contact:{row['id']}:{due.isoformat()}",
                due=due,
                text=text,
            )

    def festivals(self, customers: dict[int, _Customer]) -> None:
        for festival in self.festival_list:
            if not festival.enabled:
                continue
            due = services.festival_next(festival, self.day)
            if (due - self.day).days > festival.lead_days:
                continue
            for customer in customers.values():
                action = self.policy_action(customer, FESTIVAL_ACTIONS)
                if not action:
                    continue
                text = _("%(customer)s: %(festival)s %(date)s") % {
                    "customer": customer.name,
                    "festival": festival.name,
                    "date": _md(due),
                } + self.class_text(customer, action)
                self.add(
                    customer,
                    kind=AgendaKind.FESTIVAL,
                    key=f"festival:{festival.pk}:customer:{customer.pk}:{due.isoformat()}",
                    due=due,
                    text=text,
                )

    def anniversaries(self, customers: dict[int, _Customer], first_orders: dict[int, date]) -> None:
        for customer_id, first_order in first_orders.items():
            customer = customers.get(customer_id)
            if customer is None:
                continue
            action = self.policy_action(customer, (CareAction.ANNIVERSARY_CALL,))
            if not action:
                continue
            due = services.anniversary_next(first_order, self.day)
            if due is None or (due - self.day).days > self.lead(customer):
                continue
            text = _("%(customer)s: %(years)s years of cooperation on %(date)s") % {
                "customer": customer.name,
                "years": due.year - first_order.year,
                "date": _md(due),
            } + self.class_text(customer, action)
            self.add(
                customer,
                kind=AgendaKind.ANNIVERSARY,
                key=f"anniversary:customer:{customer.pk}:{due.isoformat()}",
                due=due,
                text=text,
            )

    # ------------------------------------------------------------------- other kinds

    def follow_ups(self, customers: dict[int, _Customer], reminders: Iterable[Reminder]) -> None:
        for reminder in reminders:
            customer = customers.get(reminder.customer_id) or _Customer(
                reminder.customer_id,
                reminder.customer.name,
                reminder.customer.code,
                reminder.customer.abc_class,
                reminder.customer.rep_id,
            )
            if reminder.due_on < self.day:
                when = _("overdue since %(date)s") % {"date": reminder.due_on.isoformat()}
            else:
                when = _("due %(date)s") % {"date": reminder.due_on.isoformat()}
            self.add(
                customer,
                kind=AgendaKind.FOLLOW_UP,
                key=f"follow_up:{reminder.pk}",
                due=reminder.due_on,
                owner_id=reminder.assignee_id,
                text=_("%(customer)s: %(text)s (%(when)s)")
                % {"customer": customer.name, "text": reminder.text, "when": when},
            )

    def visits(self, reps: Iterable[User], customers: dict[int, _Customer]) -> None:
        for rep in reps:
            for stop in due_customers(rep, self.day):
                found = stop.customer
                if customers and found.pk not in customers:
                    continue
                customer = _Customer(found.pk, found.name, found.code, found.abc_class, rep.pk)
                if stop.days_overdue:
                    text = _("%(customer)s: visit overdue by %(days)s days") % {
                        "customer": found.name,
                        "days": stop.days_overdue,
                    }
                else:
                    text = _("%(customer)s: visit due") % {"customer": found.name}
                self.add(
                    customer,
                    kind=AgendaKind.VISIT,
                    key=f"visit:customer:{found.pk}:{stop.due_on.isoformat()}",
                    due=stop.due_on,
                    text=text,
                )

    def warnings(self, customers: dict[int, _Customer], scores: Iterable[dict]) -> None:
        for score in scores:
            customer = customers.get(score["customer_id"])
            if customer is None:
                continue
            if score["dormant"]:
                last = score["last_order"]
                self.add(
                    customer,
                    kind=AgendaKind.DORMANT,
                    key=f"dormant:customer:{customer.pk}:{last.isoformat() if last else '-'}",
                    due=self.day,
                    text=(
                        _("%(customer)s: no order since %(date)s")
                        % {"customer": customer.name, "date": last.isoformat()}
                        if last
                        else _("%(customer)s: dormant") % {"customer": customer.name}
                    ),
                )
            if score["declining"]:
                self.add(
                    customer,
                    kind=AgendaKind.DECLINING,
                    key=f"declining:customer:{customer.pk}:{self.day:%Y-%m}",
                    due=self.day,
                    text=_("%(customer)s: sales of the last 90 days %(last)s, before %(prior)s")
                    % {
                        "customer": customer.name,
                        "last": score["sales_last_90"],
                        "prior": score["sales_prior_90"],
                    },
                )

    def complaints(self, complaints: Iterable[Complaint], overdue_before: datetime) -> None:
        zone = company_zone(self.company)
        for complaint in complaints:
            found = complaint.customer
            customer = _Customer(found.pk, found.name, found.code, found.abc_class, found.rep_id)
            deadline = timezone.localtime(complaint.deadline, zone)
            overdue = complaint.deadline < overdue_before
            params = {
                "customer": found.name,
                "category": complaint.get_category_display(),
                "deadline": f"{deadline:%Y-%m-%d %H:%M}",
            }
            if overdue:
                text = _("%(customer)s: complaint (%(category)s) overdue since %(deadline)s")
            else:
                text = _("%(customer)s: complaint (%(category)s) due by %(deadline)s")
            self.add(
                customer,
                kind=AgendaKind.COMPLAINT,
                key=f"complaint:{complaint.pk}:{'overdue' if overdue else 'deadline'}",
                due=deadline.date(),
                owner_id=complaint.owner_id,
                link=_complaint_link(complaint),
                text=text % params,
            )

    # ------------------------------------------------------------------- result

    def finish(self, done_keys: set[str]) -> list[AgendaItem]:
        items = [replace(item, done=True) if item.key in done_keys else item for item in self.items]
        unique: dict[str, AgendaItem] = {}
        for item in items:
            unique.setdefault(item.key, item)
        return sorted(
            unique.values(),
            key=lambda i: (
                KIND_ORDER[i.kind],
                i.due,
                CLASS_ORDER.get(i.abc_class, 3),
                i.customer_name,
                i.key,
            ),
        )


def _build(
    company: Any,
    day: date,
    *,
    customers: QuerySet[Customer],
    reminders: QuerySet[Reminder],
    complaints: QuerySet[Complaint],
    visit_reps: Iterable[User] | None,
) -> list[AgendaItem]:
    builder = _Builder(company, day)
    company_id = getattr(company, "pk", company)
    rows = {
        row[0]: _Customer(*row)
        for row in customers.values_list("pk", "name", "code", "abc_class", "rep_id")
    }
    in_scope = customers.values("pk")
    contacts = (
        Contact.objects.filter(company_id=company_id, customer_id__in=in_scope)
        .exclude(birthday_calendar="")
        .filter(birthday_month__isnull=False, birthday_day__isnull=False)
        .values(
            "id",
            "customer_id",
            "name",
            "birthday_calendar",
            "birthday_month",
            "birthday_day",
            "birthday_leap",
        )
    )
    builder.birthdays(rows, contacts)
    builder.festivals(rows)
    scores = list(
        CustomerScore.objects.filter(company_id=company_id, customer_id__in=in_scope).values(
            "customer_id",
            "first_order",
            "last_order",
            "dormant",
            "declining",
            "sales_last_90",
            "sales_prior_90",
        )
    )
    builder.anniversaries(
        rows, {s["customer_id"]: s["first_order"] for s in scores if s["first_order"]}
    )
    builder.follow_ups(rows, reminders)
    if visit_reps is None:
        rep_ids = {c.rep_id for c in rows.values() if c.rep_id}
        visit_reps = User.objects.for_company(company_id).filter(pk__in=rep_ids, is_active=True)
    builder.visits(visit_reps, rows)
    builder.warnings(rows, (s for s in scores if s["dormant"] or s["declining"]))
    zone = company_zone(company)
    day_start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    next_end = day_start + timedelta(days=2)
    overdue_before = day_start
    if day == local_today(company):
        overdue_before = timezone.now()
    builder.complaints(
        complaints.filter(
            status__in=[ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS], deadline__lt=next_end
        ).select_related("customer"),
        overdue_before,
    )
    max_lead = max(
        [p.care_lead_days for p in builder.policies.values()]
        + [f.lead_days for f in builder.festival_list]
    )
    records = CareRecord.objects.filter(
        company_id=company_id,
        customer_id__in=in_scope,
        occasion_date__range=(day, day + timedelta(days=max_lead)),
    )
    return builder.finish({services.record_key(record) for record in records})


def company_agenda(company: Any, day: date) -> list[AgendaItem]:
    """Everything due on `day` in the company, each item with its owner (for the sending job)."""
    company_id = getattr(company, "pk", company)
    return _build(
        company,
        day,
        customers=Customer.objects.for_company(company_id),
        reminders=Reminder.objects.for_company(company_id)
        .open()
        .filter(due_on__lte=day)
        .select_related("customer"),
        complaints=Complaint.objects.for_company(company_id),
        visit_reps=None,
    )


def agenda_for(user: Any, day: date, *, rep: Any = None) -> list[AgendaItem]:
    """What `user` may see of the day's agenda: a rep the items of own customers, own follow-ups
    and own complaints; boss, manager and clerk the whole company's (`rep` narrows it to one
    rep's items). A user without a company gets nothing."""
    if not getattr(user, "company_id", None) or not user.is_active:
        return []
    company = user.company
    customers = Customer.objects.visible_to(user)
    if user.is_rep:
        reminders = open_for(user, day)
        # complaints.models.ComplaintQuerySet: own customers' and those the rep handles.
        complaints = Complaint.objects.visible_to(user)
        return _build(
            company,
            day,
            customers=customers,
            reminders=reminders,
            complaints=complaints,
            visit_reps=[user],
        )
    reminders = Reminder.objects.visible_to(user).open().filter(due_on__lte=day)
    complaints = Complaint.objects.visible_to(user)
    visit_reps = None
    if rep is not None:
        customers = customers.filter(rep_id=rep.pk)
        reminders = reminders.filter(assignee_id=rep.pk)
        complaints = complaints.filter(owner_id=rep.pk)
        visit_reps = [rep]
    return _build(
        company,
        day,
        customers=customers,
        reminders=reminders.select_related("customer"),
        complaints=complaints,
        visit_reps=visit_reps,
    )
