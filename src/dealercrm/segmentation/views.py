"""Pages of the ABC classes: the classes page (curve, counts, moves, settings, policies), the
recompute button and its progress, and the override actions of the customer page.

Customers are fetched through `Customer.objects.visible_to(user)` (another company's id → 404);
who may do what comes from `user.can(...)` (403). Reps do not see the classes page: it shows
the whole company's sales shares; they see their own customers' classes on the customer page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.models import Customer
from dealercrm.segmentation import services
from dealercrm.segmentation.forms import OverrideForm, PolicyForm, SettingsForm
from dealercrm.segmentation.models import ClassChange, ClassificationRun, ServicePolicy

MOVES_SHOWN = 100


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.can(permission):
        raise PermissionDenied


def _policy_forms(
    request: HttpRequest, data: QueryDict | None = None
) -> list[tuple[ServicePolicy, PolicyForm]]:
    return [
        (
            policy,
            PolicyForm(
                data,
                prefix=f"policy-{policy.abc_class}",
                initial={
                    "visit_interval_days": policy.visit_interval_days,
                    "care_actions": policy.care_actions,
                },
            ),
        )
        for policy in services.service_policies(request.user.company)
    ]


def _page(request: HttpRequest, **forms: object) -> HttpResponse:
    company = request.user.company
    run = services.latest_run(company)
    latest = ClassificationRun.objects.visible_to(request.user).first()
    moves = (
        ClassChange.objects.visible_to(request.user)
        .filter(run=run)
        .select_related("customer")
        .order_by("new_class", "customer__code")
        if run
        else ClassChange.objects.none()
    )
    summary = [
        (abc, run.count_of(abc), run.share_of(abc)) if run else (abc, 0, None)
        for abc in CustomerClass.values
    ]
    settings_form = forms.get("settings_form") or SettingsForm(
        instance=services.get_settings(company)
    )
    context = {
        "run": run,
        "latest": latest,
        "summary": summary,
        "moves": moves[:MOVES_SHOWN],
        "moves_count": moves.count(),
        "curve": {
            "points": run.curve if run else [],
            "a": str(run.a_threshold) if run else "",
            "b": str(run.b_threshold) if run else "",
            "xLabel": _("Customers, ranked by sales"),
            "yLabel": _("Cumulative share (%)"),
        },
        "can_recompute": request.user.can("segmentation.recompute"),
        "can_settings": request.user.can("segmentation.settings"),
        "can_policy": request.user.can("segmentation.policy"),
        "settings_form": settings_form,
        "policy_forms": forms.get("policy_forms") or _policy_forms(request),
    }
    return render(request, "segmentation/classes.html", context)


@login_required
def classes(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.view")
    return _page(request)


@login_required
def run_status(request: HttpRequest) -> HttpResponse:
    """The recompute panel, polled by htmx while the latest run is queued or running."""
    _require(request, "segmentation.view")
    latest = ClassificationRun.objects.visible_to(request.user).first()
    return render(
        request,
        "segmentation/classes.html#run-panel",
        {"latest": latest, "can_recompute": request.user.can("segmentation.recompute")},
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.recompute")
    services.start_recompute(user=request.user)
    return redirect("segmentation:classes")


@login_required
@require_POST
def update_settings(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.settings")
    config = services.get_settings(request.user.company)
    form = SettingsForm(request.POST, instance=config)
    if form.is_valid():
        try:
            services.update_settings(
                request.user.company, actor=request.user, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved; they apply from the next computation."))
            return redirect("segmentation:classes")
    return _page(request, settings_form=form)


@login_required
@require_POST
def update_policies(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.policy")
    pairs = _policy_forms(request, request.POST)
    if all(form.is_valid() for _policy, form in pairs):
        for policy, form in pairs:
            services.update_policy(
                request.user.company,
                policy.abc_class,
                actor=request.user,
                **form.cleaned_data,
            )
        messages.success(request, _("Service policies saved."))
        return redirect(reverse("segmentation:classes") + "#policies")
    return _page(request, policy_forms=pairs)


def _customer(request: HttpRequest, raw: object) -> Customer:
    try:
        pk = int(str(raw))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(
        Customer.objects.visible_to(request.user).select_related("company"), pk=pk
    )


@login_required
@require_POST
def override(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.override")
    customer = _customer(request, request.POST.get("customer"))
    form = OverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_override(
                customer,
                abc_class=data["abc_class"],
                reason=data["reason"],
                expires_on=data["expires_on"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Class set by hand."))
    else:
        problems = [
            f"{form.fields[name].label}: {' '.join(errs)}"
            for name, errs in form.errors.items()
            if name in form.fields
        ]
        messages.error(request, " ".join(problems))
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#abc-class")


@login_required
@require_POST
def remove_override(request: HttpRequest) -> HttpResponse:
    _require(request, "segmentation.override")
    customer = _customer(request, request.POST.get("customer"))
    services.remove_override(customer, actor=request.user)
    messages.success(request, _("Manual class removed; the computed class applies."))
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#abc-class")
