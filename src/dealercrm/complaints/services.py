"""Complaints (投诉): recording, the status flow, deadlines by severity and the escalation of
overdue ones. Every change goes through these functions, which write the complaint's history.

Status flow: open → in progress → resolved (a resolution is required) → closed with the
customer's verdict. A complaint may be resolved straight from open (a quick fix on the spot). A
"not satisfied" verdict may reopen it (back to in progress). The deadline is always
received_at + the company's hours for the severity; a reopened complaint keeps it, so a late one
shows overdue at once (and is escalated once, if it never was).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.complaints.choices import (
    ComplaintCategory,
    ComplaintStatus,
    EventKind,
    Severity,
    Verdict,
)
from dealercrm.complaints.models import (
    DEFAULT_DEADLINE_HOURS,
    Complaint,
    ComplaintEvent,
    ComplaintSettings,
)
from dealercrm.customers.models import Customer
from dealercrm.notifications.services import notify

MAX_HOURS = 2000
MAX_TEXT = 5000


# ---------------------------------------------------------------------------- settings


def get_settings(company: Any) -> ComplaintSettings:
    """The company's deadlines by severity (created with the defaults when first read)."""
    found, _created = ComplaintSettings.objects.get_or_create(
        company_id=company.pk,
        defaults={
            "high_hours": DEFAULT_DEADLINE_HOURS["high"],
            "medium_hours": DEFAULT_DEADLINE_HOURS["medium"],
            "low_hours": DEFAULT_DEADLINE_HOURS["low"],
        },
    )
    return found


def deadline_hours(company: Any, severity: str) -> int:
    config = get_settings(company)
    return int(getattr(config, f"{severity}_hours"))


def save_settings(
    company: Any, actor: Any, *, high: int, medium: int, low: int
) -> ComplaintSettings:
    """Change the hours to resolve by severity (whole hours, 1–2000). Open complaints keep the
    deadline they were given."""
    if not actor.can("complaint.settings"):
        raise PermissionDenied(_("Only the boss sets the complaint deadlines."))
    errors = {}
    for name, value in (("high_hours", high), ("medium_hours", medium), ("low_hours", low)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOURS:
            errors[name] = _("Enter whole hours from 1 to %(max)s.") % {"max": MAX_HOURS}
    if errors:
        raise ValidationError(errors)
    config = get_settings(company)
    config.high_hours, config.medium_hours, config.low_hours = high, medium, low
    config.save(update_fields=["high_hours", "medium_hours", "low_hours"])
    return config


# ---------------------------------------------------------------------------- who may do what


def may_work(user: Any, complaint: Complaint) -> bool:
    """Move the status, resolve, record the verdict: anyone who may record complaints and sees
    this one (a rep sees those of own customers and those they handle)."""
    return bool(user.can("complaint.record")) and (
        Complaint.objects.visible_to(user).filter(pk=complaint.pk).exists()
    )


def may_reassign(user: Any) -> bool:
    """Change the handler or the severity: the boss and managers."""
    return bool(getattr(user, "company_id", None)) and user.can("complaint.assign")


def _require_work(actor: Any, complaint: Complaint) -> None:
    if not may_work(actor, complaint):
        raise PermissionDenied(_("You may not work on this complaint."))


def _event(complaint: Complaint, actor: Any, kind: str, text: str = "") -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        company_id=complaint.company_id,
        complaint=complaint,
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        text=text,
    )


def _link(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("customer").get(pk=complaint.pk)


def _text(value: Any, field: str, *, required: bool, message: str) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError({field: message})
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: message})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("Keep it under %(max)s characters.") % {"max": MAX_TEXT}})
    return text


def _company_user(company_id: int, user: Any, field: str) -> User:
    if (
        user is None
        or getattr(user, "company_id", None) != company_id
        or not getattr(user, "is_active", False)
    ):
        raise ValidationError({field: _("Choose an active employee of the company.")})
    return user


# ---------------------------------------------------------------------------- record


@transaction.atomic
def open_complaint(
    customer: Customer,
    *,
    category: str,
    severity: str,
    description: str,
    owner: Any = None,
    actor: Any,
    received_at: datetime | None = None,
) -> Complaint:
    """Record a complaint: handled by `owner`, by default the customer's rep (or the actor when
    the customer has none); due received_at + the company's hours for the severity."""
    if not actor.can("complaint.record"):
        raise PermissionDenied(_("You may not record complaints."))
    if not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise PermissionDenied(_("You may not record complaints of this customer."))
    errors: dict[str, str] = {}
    if category not in ComplaintCategory.values:
        errors["category"] = _("Choose a category.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    now = timezone.now()
    if received_at is None:
        received_at = now
    elif timezone.is_naive(received_at):
        errors["received_at"] = _("Give the time with its time zone.")
    elif received_at > now + timedelta(minutes=5):
        errors["received_at"] = _("The complaint cannot be received in the future.")
    try:
        text = _text(
            description, "description", required=True, message=_("Describe the complaint.")
        )
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if owner is None:
        owner = customer.rep if customer.rep_id and customer.rep.is_active else actor
    try:
        owner = _company_user(customer.company_id, owner, "owner")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    complaint = Complaint.objects.create(
        company_id=customer.company_id,
        customer=customer,
        category=category,
        severity=severity,
        description=text,
        owner=owner,
        status=ComplaintStatus.OPEN,
        received_at=received_at,
        deadline=received_at + timedelta(hours=deadline_hours(customer.company, severity)),
        created_by=actor,
    )
    _event(complaint, actor, EventKind.OPENED, description_line(complaint))
    if owner.pk != actor.pk:
        _tell_owner(complaint)
    return complaint


def description_line(complaint: Complaint) -> str:
    return f"{complaint.get_category_display()} · {complaint.get_severity_display()}"


def _tell_owner(complaint: Complaint) -> None:
    notify(
        complaint.owner,
        kind="complaint",
        key=f"complaint:{complaint.pk}:owner:{complaint.owner_id}",
        title=_("Complaint of %(customer)s to handle by %(deadline)s")
        % {
            "customer": complaint.customer.name,
            "deadline": timezone.localtime(complaint.deadline).strftime("%Y-%m-%d %H:%M"),
        },
        body=complaint.description[:500],
        link=_link(complaint),
        customer=complaint.customer,
    )


# ---------------------------------------------------------------------------- status flow


@transaction.atomic
def start_work(complaint: Complaint, actor: Any) -> Complaint:
    """open → in progress."""
    _require_work(actor, complaint)
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError(_("Only an open complaint can be started."))
    complaint.status = ComplaintStatus.IN_PROGRESS
    complaint.save(update_fields=["status", "updated_at"])
    _event(complaint, actor, EventKind.STARTED)
    return complaint


@transaction.atomic
def resolve(complaint: Complaint, actor: Any, *, resolution: str) -> Complaint:
    """open or in progress → resolved, with what was done (required)."""
    _require_work(actor, complaint)
    text = _text(
        resolution, "resolution", required=True, message=_("Write down how it was resolved.")
    )
    complaint = _locked(complaint)
    if not complaint.is_open:
        raise ValidationError(_("Only an open or in-progress complaint can be resolved."))
    complaint.status = ComplaintStatus.RESOLVED
    complaint.resolution = text
    complaint.resolved_at = timezone.now()
    complaint.save(update_fields=["status", "resolution", "resolved_at", "updated_at"])
    _event(complaint, actor, EventKind.RESOLVED, text)
    return complaint


@transaction.atomic
def close(complaint: Complaint, actor: Any, *, verdict: str) -> Complaint:
    """resolved → closed, with the customer's verdict (satisfied or not)."""
    _require_work(actor, complaint)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Record whether the customer is satisfied.")})
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.RESOLVED:
        raise ValidationError(_("Only a resolved complaint can be closed."))
    complaint.status = ComplaintStatus.CLOSED
    complaint.verdict = verdict
    complaint.save(update_fields=["status", "verdict", "updated_at"])
    _event(complaint, actor, EventKind.CLOSED, Verdict(verdict).label)
    return complaint


@transaction.atomic
def reopen(complaint: Complaint, actor: Any, *, reason: str = "") -> Complaint:
    """closed with "not satisfied" → in progress again."""
    _require_work(actor, complaint)
    text = _text(reason, "reason", required=False, message="")
    complaint = _locked(complaint)
    if complaint.status != ComplaintStatus.CLOSED or complaint.verdict != Verdict.UNSATISFIED:
        raise ValidationError(
            _("Only a complaint closed with the customer not satisfied can be reopened.")
        )
    complaint.status = ComplaintStatus.IN_PROGRESS
    complaint.resolved_at = None
    complaint.verdict = ""
    complaint.save(update_fields=["status", "resolved_at", "verdict", "updated_at"])
    _event(complaint, actor, EventKind.REOPENED, text)
    return complaint


@transaction.atomic
def reassign(
    complaint: Complaint, actor: Any, *, owner: Any = None, severity: str | None = None
) -> Complaint:
    """Change the handler and/or the severity (boss and managers). A new severity recomputes
    the deadline from received_at with the company's current hours."""
    if not may_reassign(actor) or not may_work(actor, complaint):
        raise PermissionDenied(_("Only the boss and managers change the handler or severity."))
    complaint = _locked(complaint)
    if not complaint.is_open:
        raise ValidationError(_("Only an open or in-progress complaint can be reassigned."))
    if severity is not None and severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    if owner is not None:
        owner = _company_user(complaint.company_id, owner, "owner")
    changed = []
    if owner is not None and owner.pk != complaint.owner_id:
        before = complaint.owner
        complaint.owner = owner
        changed.append("owner")
        _event(complaint, actor, EventKind.OWNER, f"{before} → {owner}")
    if severity is not None and severity != complaint.severity:
        before_label = complaint.get_severity_display()
        complaint.severity = severity
        complaint.deadline = complaint.received_at + timedelta(
            hours=deadline_hours(complaint.customer.company, severity)
        )
        changed += ["severity", "deadline"]
        _event(
            complaint,
            actor,
            EventKind.SEVERITY,
            f"{before_label} → {complaint.get_severity_display()}",
        )
    if changed:
        complaint.save(update_fields=[*changed, "updated_at"])
        if "owner" in changed and complaint.owner_id != actor.pk:
            _tell_owner(complaint)
    return complaint


# ---------------------------------------------------------------------------- escalation


def _escalation_targets(complaint: Complaint) -> list[User]:
    """The owner's manager (staff profile), else the company's active managers, else the boss."""
    from dealercrm.staff.models import Employee

    profile = (
        Employee.objects.for_company(complaint.company_id)
        .filter(user_id=complaint.owner_id)
        .select_related("manager__user")
        .first()
    )
    manager_login = profile.manager.user if profile and profile.manager else None
    if (
        manager_login is not None
        and manager_login.is_active
        and manager_login.company_id == complaint.company_id
        and manager_login.pk != complaint.owner_id
    ):
        return [manager_login]
    company_users = User.objects.for_company(complaint.company_id).filter(is_active=True)
    managers = list(
        company_users.filter(role=Role.MANAGER).exclude(pk=complaint.owner_id).order_by("username")
    )
    if managers:
        return managers
    return list(company_users.filter(role=Role.BOSS).order_by("username"))


def escalate_overdue(company: Any, now: datetime | None = None) -> list[Complaint]:
    """Open or in-progress complaints past their deadline and not yet escalated: mark them
    escalated to the owner's manager and tell the manager(s) and the owner. Idempotent."""
    now = now or timezone.now()
    escalated: list[tuple[Complaint, list[User]]] = []
    with transaction.atomic():
        due = (
            Complaint.objects.for_company(company)
            .unfinished()
            .filter(deadline__lt=now, escalated_at__isnull=True)
            .select_for_update()
            .order_by("deadline", "id")
        )
        for complaint in due:
            targets = _escalation_targets(complaint)
            complaint.escalated_at = now
            complaint.escalated_to = targets[0] if targets else None
            complaint.save(update_fields=["escalated_at", "escalated_to", "updated_at"])
            _event(
                complaint,
                None,
                EventKind.ESCALATED,
                ", ".join(str(user) for user in targets),
            )
            escalated.append((complaint, targets))
        for complaint, targets in escalated:
            _tell_escalation(complaint, targets)
    return [complaint for complaint, _targets in escalated]


def _tell_escalation(complaint: Complaint, targets: list[User]) -> None:
    complaint = Complaint.objects.select_related("customer", "owner").get(pk=complaint.pk)
    deadline = timezone.localtime(complaint.deadline).strftime("%Y-%m-%d %H:%M")
    title = _("Overdue complaint of %(customer)s (due %(deadline)s)") % {
        "customer": complaint.customer.name,
        "deadline": deadline,
    }
    body = _("Handled by %(owner)s. %(description)s") % {
        "owner": complaint.owner,
        "description": complaint.description[:400],
    }
    recipients = {user.pk: user for user in targets}
    recipients.setdefault(complaint.owner_id, complaint.owner)
    for user in recipients.values():
        notify(
            user,
            kind="complaint_escalated",
            key=f"complaint:{complaint.pk}:escalated",
            title=title,
            body=body,
            link=_link(complaint),
            customer=complaint.customer,
        )


def scheduled_escalate(company: Any, run_date: date) -> str:
    """The daily job: overdue complaints escalated to the managers (each once)."""
    count = len(escalate_overdue(company, timezone.now()))
    if not count:
        return _("No complaint is newly overdue.")
    return ngettext(
        "%(count)s overdue complaint escalated.",
        "%(count)s overdue complaints escalated.",
        count,
    ) % {"count": count}
