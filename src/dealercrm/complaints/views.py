"""Pages of the complaints app: the list, recording one, one complaint with its actions and
history, and the deadlines by severity.

Complaints come through `Complaint.objects.visible_to(user)` (a rep: own customers' and own
ones), customers through `Customer.objects.visible_to(user)`: anything else answers 404. What a
role may do comes from the services (403). Every change goes through complaints.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.complaints import services
from dealercrm.complaints.choices import ComplaintStatus, Verdict
from dealercrm.complaints.forms import (
    ComplaintFilterForm,
    ComplaintForm,
    ReassignForm,
    ResolveForm,
    SettingsForm,
    VerdictForm,
)
from dealercrm.complaints.models import Complaint
from dealercrm.customers.forms import add_service_errors
from dealercrm.customers.models import Customer

PAGE_SIZE = 50


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    visible = Complaint.objects.visible_to(request.user).select_related(
        "customer", "customer__company", "owner", "escalated_to", "created_by"
    )
    return get_object_or_404(visible, pk=pk)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET, user=request.user)
    complaints = form.to_filter().apply(Complaint.objects.visible_to(request.user))
    complaints = complaints.select_related("customer", "owner")
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "can_settings": request.user.can("complaint.settings"),
    }
    return render(request, "complaints/list.html", context)


@login_required
def create(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = get_object_or_404(
        Customer.objects.visible_to(request.user).select_related("company", "rep"),
        pk=customer_pk,
    )
    if not request.user.can("complaint.record"):
        raise PermissionDenied(_("You may not record complaints."))
    may_choose = services.may_reassign(request.user)
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        may_choose_owner=may_choose,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.open_complaint(
                customer,
                category=data["category"],
                severity=data["severity"],
                description=data["description"],
                owner=data.get("owner"),
                actor=request.user,
                received_at=data.get("received_at"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Complaint recorded."))
            return redirect("complaints:detail", pk=complaint.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "complaints/form.html", {"customer": customer, "form": form}, status=status
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    user = request.user
    can_work = services.may_work(user, complaint)
    can_reassign = can_work and services.may_reassign(user) and complaint.is_open
    context = {
        "complaint": complaint,
        "customer": complaint.customer,
        "events": complaint.events.select_related("actor"),
        "can_work": can_work,
        "can_start": can_work and complaint.status == ComplaintStatus.OPEN,
        "resolve_form": ResolveForm() if can_work and complaint.is_open else None,
        "verdict_form": VerdictForm()
        if can_work and complaint.status == ComplaintStatus.RESOLVED
        else None,
        "can_reopen": can_work
        and complaint.status == ComplaintStatus.CLOSED
        and complaint.verdict == Verdict.UNSATISFIED,
        "reassign_form": ReassignForm(
            user=user, initial={"owner": complaint.owner_id, "severity": complaint.severity}
        )
        if can_reassign
        else None,
    }
    return render(request, "complaints/detail.html", context)


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    complaint = _complaint(request, pk)
    post = request.POST
    try:
        if action == "start":
            services.start_work(complaint, request.user)
            done = _("Work on the complaint started.")
        elif action == "resolve":
            services.resolve(complaint, request.user, resolution=post.get("resolution", ""))
            done = _("Complaint resolved.")
        elif action == "close":
            services.close(complaint, request.user, verdict=post.get("verdict", ""))
            done = _("Complaint closed with the customer's verdict.")
        elif action == "reopen":
            services.reopen(complaint, request.user, reason=post.get("reason", ""))
            done = _("Complaint reopened.")
        else:  # reassign
            form = ReassignForm(post, user=request.user)
            if not services.may_reassign(request.user):
                raise PermissionDenied(
                    _("Only the boss and managers change the handler or severity.")
                )
            if not form.is_valid():
                raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
            services.reassign(
                complaint,
                request.user,
                owner=form.cleaned_data["owner"],
                severity=form.cleaned_data["severity"],
            )
            done = _("Handler and severity saved.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "start")


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "resolve")


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reopen")


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reassign")


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    if not request.user.can("complaint.settings"):
        raise PermissionDenied(_("Only the boss sets the complaint deadlines."))
    company = request.user.company
    config = services.get_settings(company)
    initial = {
        "high_hours": config.high_hours,
        "medium_hours": config.medium_hours,
        "low_hours": config.low_hours,
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_settings(
                company,
                request.user,
                high=data["high_hours"],
                medium=data["medium_hours"],
                low=data["low_hours"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Complaint deadlines saved."))
            return redirect("complaints:settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "complaints/settings.html", {"form": form}, status=status)
