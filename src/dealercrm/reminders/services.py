"""Follow-up reminders on a customer: set for one login, due on a day, until marked done.

Who may hold a follow-up: an active login of the customer's company who may see the customer
(a rep only on their own customers). Whoever may see a reminder (through its customer) may mark
it done: a follow-up is the customer team's work, not a private note.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.core.pinyin import in_pinyin_order
from dealercrm.customers.models import Customer
from dealercrm.reminders.choices import ReminderKind
from dealercrm.reminders.models import Reminder, ReminderQuerySet

TEXT_MAX = 300


def may_see_others(user: Any) -> bool:
    """Boss and managers may look at the follow-ups of anyone in the company."""
    return bool(getattr(user, "company_id", None)) and user.role in (Role.BOSS, Role.MANAGER)


def may_hold(user: Any, customer: Customer) -> bool:
    """Whether `user` may be given a follow-up on `customer`."""
    return (
        user is not None
        and user.is_active
        and user.company_id == customer.company_id
        and (not user.is_rep or customer.rep_id == user.pk)
    )


def possible_assignees(customer: Customer) -> list[User]:
    """The logins that may hold a follow-up on the customer (one query)."""
    users = User.objects.for_company(customer.company_id).filter(is_active=True)
    return in_pinyin_order(user for user in users if may_hold(user, customer))


@transaction.atomic
def add_follow_up(
    customer: Customer, *, assignee: Any, due_on: date | None, text: str, actor: Any
) -> Reminder:
    """Set a follow-up on the customer for `assignee`; ValidationError names the bad field."""
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Say what is to be done.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("At most %(count)s characters.") % {"count": TEXT_MAX}
    if due_on is None:
        errors["due_on"] = _("Enter the day it is due.")
    if assignee is None:
        errors["assignee"] = _("Choose who follows up.")
    elif not may_hold(assignee, customer):
        errors["assignee"] = _(
            "%(name)s cannot follow up this customer: only an active colleague who may see the "
            "customer (a rep only for own customers)."
        ) % {"name": assignee}
    if errors:
        raise ValidationError(errors)
    return Reminder.objects.create(
        company_id=customer.company_id,
        customer=customer,
        kind=ReminderKind.FOLLOW_UP,
        assignee=assignee,
        due_on=due_on,
        text=text,
        created_by=actor,
    )


def complete(reminder: Reminder, actor: Any) -> Reminder:
    """Mark the follow-up done (once: a second click changes nothing)."""
    Reminder.objects.filter(pk=reminder.pk, done_at__isnull=True).update(done_at=timezone.now())
    reminder.refresh_from_db(fields=["done_at"])
    return reminder


def open_for(user: Any, until: date) -> ReminderQuerySet:
    """The user's open follow-ups due on or before `until`, overdue first, then by due date."""
    return (
        Reminder.objects.visible_to(user)
        .open()
        .for_assignee(user)
        .filter(due_on__lte=until)
        .select_related("customer")
        .order_by("due_on", "id")
    )


def open_list(viewer: Any, *, assignee: Any = None) -> ReminderQuerySet:
    """Open follow-ups for the list page: the viewer's own, or (boss, managers) anyone's.

    `assignee` None means the viewer; "all" (for those who may see others) means everyone.
    """
    reminders = Reminder.objects.visible_to(viewer).open().select_related("customer", "assignee")
    if assignee == "all" and may_see_others(viewer):
        pass
    elif assignee is not None and assignee != "all" and may_see_others(viewer):
        reminders = reminders.filter(assignee=assignee)
    else:
        reminders = reminders.for_assignee(viewer)
    return reminders.order_by("due_on", "id")


def customer_open(customer: Customer, viewer: Any) -> ReminderQuerySet:
    """The open follow-ups of one customer, as the viewer may see them."""
    return (
        Reminder.objects.visible_to(viewer)
        .open()
        .filter(customer=customer)
        .select_related("assignee")
        .order_by("due_on", "id")
    )
