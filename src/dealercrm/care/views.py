"""Pages of the care app: the daily agenda, marking care done, the company's festivals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.accounts.models import User
from dealercrm.care import services
from dealercrm.care.agenda import agenda_for
from dealercrm.care.choices import AgendaKind, Calendar
from dealercrm.care.models import Festival
from dealercrm.companies.services import local_today
from dealercrm.reminders.services import may_see_others

# The page shows at most this many items of one kind (the API gives them all); a manager
# narrows a long list by picking a rep.
SHOWN_PER_KIND = 100


def _messages_of(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def parse_day(text: str | None, today: date) -> tuple[date, str]:
    """(the day asked for, an error message or "") from ?date=YYYY-MM-DD; today when absent."""
    if not text:
        return today, ""
    try:
        return services.parse_day(text), ""
    except ValueError:
        return today, _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """The user's agenda for a day, grouped by kind; boss and managers may pick one rep."""
    user: Any = request.user
    if not user.company_id:
        raise PermissionDenied
    today = local_today(user.company)
    day, problem = parse_day(request.GET.get("date"), today)
    if problem:
        messages.error(request, problem)
    people: list[User] = []
    rep = None
    chosen = request.GET.get("rep", "")
    if may_see_others(user):
        people = list(User.objects.visible_to(user).reps())
        if chosen.isdigit():
            rep = next((p for p in people if p.pk == int(chosen)), None)
        if rep is None:
            chosen = ""
    items = agenda_for(user, day, rep=rep)
    labels = dict(AgendaKind.choices)
    groups = []
    for kind in AgendaKind.values:
        of_kind = [item for item in items if item.kind == kind]
        if of_kind:
            groups.append(
                {
                    "kind": kind,
                    "label": labels[kind],
                    "count": len(of_kind),
                    "items": of_kind[:SHOWN_PER_KIND],
                    "hidden": max(len(of_kind) - SHOWN_PER_KIND, 0),
                }
            )
    return render(
        request,
        "care/agenda.html",
        {
            "day": day,
            "today": today,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "groups": groups,
            "count": len(items),
            "people": people,
            "chosen": chosen,
            "may_record": user.can("care.record"),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def done(request: HttpRequest) -> HttpResponse:
    """Mark a birthday, festival or anniversary item done (or undo it with undo=1)."""
    key = request.POST.get("key", "")
    try:
        if request.POST.get("undo"):
            services.undo_done(request.user, key)
            messages.success(request, _("Marked as not done."))
        else:
            services.mark_done(request.user, key, request.POST.get("note", ""))
            messages.success(request, _("Marked as done."))
    except ValidationError as exc:
        for problem in _messages_of(exc):
            messages.error(request, problem)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("care:agenda")
    return redirect(target)


@login_required
def festival_list(request: HttpRequest) -> HttpResponse:
    """The company's festivals with this and next year's dates; add, change, delete."""
    user: Any = request.user
    if not user.can("care.festivals"):
        raise PermissionDenied(_("Only the boss and managers may change the festivals."))
    form_values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form_values = {
                    k: request.POST.get(k, "")
                    for k in ("name", "calendar", "month", "day", "lead_days")
                }
                festival = services.add_festival(
                    user.company,
                    actor=user,
                    name=form_values["name"],
                    calendar_name=form_values["calendar"],
                    month=form_values["month"],
                    day=form_values["day"],
                    lead_days=form_values["lead_days"] or 7,
                )
                messages.success(request, _("Festival “%(name)s” added.") % {"name": festival})
                return redirect("care:festivals")
            festival_id = request.POST.get("festival", "")
            festival = get_object_or_404(
                Festival.objects.visible_to(user),
                pk=int(festival_id) if festival_id.isdigit() else 0,
            )
            if action == "delete":
                services.delete_festival(festival, actor=user)
                messages.success(request, _("Festival “%(name)s” deleted.") % {"name": festival})
            else:
                services.update_festival(
                    festival,
                    actor=user,
                    enabled=bool(request.POST.get("enabled")),
                    lead_days=request.POST.get("lead_days"),
                )
                messages.success(request, _("Festival “%(name)s” saved.") % {"name": festival})
            return redirect("care:festivals")
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for problems in errors.values():
                for problem in problems:
                    messages.error(request, problem)
    today = local_today(user.company)
    rows = [
        {
            "festival": festival,
            "rule": services.festival_rule_text(festival),
            "this_year": services.festival_dates(festival, today.year),
            "next_year": services.festival_dates(festival, today.year + 1),
            "built_in": festival.code in services.BUILT_IN_CODES,
        }
        for festival in services.festivals(user.company)
    ]
    return render(
        request,
        "care/festivals.html",
        {
            "rows": rows,
            "year": today.year,
            "next_year": today.year + 1,
            "calendars": Calendar.choices,
            "values": form_values,
            "errors": errors,
            "lead_max": services.LEAD_MAX,
        },
        status=422 if errors else 200,
    )
