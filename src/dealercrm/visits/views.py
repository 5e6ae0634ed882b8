"""Pages of the visits app: today's route, check-in, a visit, photos, plans, list and report.

Customers come through `Customer.objects.visible_to(user)` and visits and photos through their
`visible_to(user)`, so another rep's or company's row answers 404; what a role may do beyond
seeing comes from `user.can(...)` (403). Every change goes through visits.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.customers.forms import add_service_errors
from dealercrm.customers.models import Customer
from dealercrm.satisfaction.services import record_on_visit
from dealercrm.visits import services
from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.forms import CheckinForm, PlanForm, ReportForm, VisitFilterForm
from dealercrm.visits.models import Visit, VisitPhoto

PAGE_SIZE = 50


def _customer(request: HttpRequest, pk: int) -> Customer:
    visible = Customer.objects.visible_to(request.user).select_related("company", "rep")
    return get_object_or_404(visible, pk=pk)


def _visit(request: HttpRequest, pk: int) -> Visit:
    visible = Visit.objects.visible_to(request.user).select_related(
        "customer", "customer__company", "rep", "created_by"
    )
    return get_object_or_404(visible, pk=pk)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------------------- today


def _map_data(plan: services.TodayPlan) -> dict[str, Any]:
    """What visits-map.js draws: positions as numbers (drawing only), numbered stops."""
    stops = [
        {
            "n": stop.number,
            "name": stop.customer.name,
            "lat": float(stop.latitude),
            "lon": float(stop.longitude),
            "overdue": stop.days_overdue,
        }
        for stop in plan.route.stops
        if stop.latitude is not None and stop.longitude is not None
    ]
    start = plan.route.start
    return {
        "start": {"lat": float(start[0]), "lon": float(start[1])} if start else None,
        "stops": stops,
        "labels": {"start": _("Start"), "stop": _("Stop")},
    }


@login_required
def today(request: HttpRequest) -> HttpResponse:
    phone = None
    if "lat" in request.GET or "lon" in request.GET:
        phone = services.parse_position(request.GET.get("lat"), request.GET.get("lon"))
    plan = services.today_plan(request.user, phone)
    context = {
        "plan": plan,
        "map": _map_data(plan),
        "asked_position": "lat" in request.GET,
        "can_record": request.user.can("visits.record"),
    }
    return render(request, "visits/today.html", context)


# ---------------------------------------------------------------------------- check-in


@login_required
def checkin(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = _customer(request, customer_pk)
    if not request.user.can("visits.record"):
        raise PermissionDenied(_("You may not record visits."))
    form = CheckinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                visit = services.record_visit(
                    customer,
                    request.user,
                    checkin=form.checkin(),
                    observations=form.observations(),
                    sightings=form.sightings(),
                    photos=request.FILES.getlist("photos"),
                )
                score = form.cleaned_data.get("satisfaction_score")
                if score is not None:
                    record_on_visit(
                        visit,
                        score=score,
                        comment=form.cleaned_data.get("satisfaction_comment") or "",
                        actor=request.user,
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit to %(name)s recorded.") % {"name": customer.name})
            return redirect("visits:detail", pk=visit.pk)
    due = services.customer_due(customer)
    context = {
        "customer": customer,
        "form": form,
        "due": due,
        "has_customer_position": customer.latitude is not None and customer.longitude is not None,
        "customer_position": {
            "lat": float(customer.latitude) if customer.latitude is not None else None,
            "lon": float(customer.longitude) if customer.longitude is not None else None,
            "far": services.FAR_CHECKIN_METRES,
        },
        "max_photo_mb": services.MAX_PHOTO_BYTES // 2**20,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "visits/checkin.html", context, status=status)


# ---------------------------------------------------------------------------- one visit


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    context = {
        "visit": visit,
        "customer": visit.customer,
        "sightings": list(visit.sightings.all()),
        "photos": list(visit.photos.all()),
        "can_add_photo": visit.status != VisitStatus.CANCELLED
        and services.may_record(request.user, visit.customer),
        "can_cancel": visit.status == VisitStatus.PLANNED
        and services.may_cancel(request.user, visit),
        "max_photo_mb": services.MAX_PHOTO_BYTES // 2**20,
    }
    return render(request, "visits/detail.html", context)


@login_required
@require_POST
def add_photo(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    if not request.user.can("visits.record"):
        raise PermissionDenied(_("You may not record visits."))
    uploads = request.FILES.getlist("photos")
    try:
        added = services.add_photos(visit, uploads, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("%(count)s photo(s) added.") % {"count": len(added)})
    return redirect(reverse("visits:detail", args=[visit.pk]) + "#photos")


@login_required
def photo(request: HttpRequest, photo_pk: int) -> FileResponse:
    found = get_object_or_404(VisitPhoto.objects.visible_to(request.user), pk=photo_pk)
    try:
        handle = found.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("The photo file is missing.")) from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# ---------------------------------------------------------------------------- plans


def _back(request: HttpRequest, customer: Customer) -> HttpResponse:
    if request.POST.get("next") == "today":
        return redirect("visits:today")
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#visits")


@login_required
@require_POST
def plan(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = _customer(request, customer_pk)
    if not request.user.can("visits.record") and not request.user.can("visits.plan"):
        raise PermissionDenied(_("You may not plan visits."))
    form = PlanForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, customer)
    rep = form.cleaned_data.get("rep") or request.user
    try:
        planned = services.plan_visit(customer, rep, form.cleaned_data["day"], request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            _("Visit to %(name)s planned on %(day)s for %(rep)s.")
            % {"name": customer.name, "day": planned.planned_for.isoformat(), "rep": rep},
        )
    return _back(request, customer)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    try:
        services.cancel_visit(visit, request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The planned visit is cancelled."))
    return _back(request, visit.customer)


# ---------------------------------------------------------------------------- list and report


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    form = VisitFilterForm(request.GET, user=request.user)
    visits = form.to_filter().apply(Visit.objects.visible_to(request.user), request.user.company)
    visits = visits.select_related("customer", "rep")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "visits/list.html", {"form": form, "page": page})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not request.user.can("visits.report"):
        raise PermissionDenied(_("Only the boss and managers see the visit report."))
    company = request.user.company
    today_ = services.local_today(company)
    form = ReportForm(request.GET or None, today=today_)
    data = services.visit_report(company, form.chosen_month(), today_)
    return render(request, "visits/report.html", {"form": form, "report": data})
