"""Pages of customer ownership: the public pool, its settings, bulk assign, handovers.

Pool customers come from `services.pool_customers(company)` (the user's company only; every
role sees the pool, without the personal data of §5); owned customers through
`Customer.objects.visible_to(user)`, so a rep guessing another rep's customer id gets 404.
Changes go through ownership.services.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dealercrm.core.models import AuditSource
from dealercrm.customers.forms import CustomerFilterForm, add_service_errors
from dealercrm.customers.models import Assignment, Customer
from dealercrm.ownership import services
from dealercrm.ownership.forms import (
    PAGE_SIZE,
    BulkAssignForm,
    HandoverForm,
    PoolFilterForm,
    PoolSettingsForm,
    ReleaseForm,
)
from dealercrm.ownership.models import Handover
from dealercrm.regions.models import SalesRegion
from dealercrm.sales.models import OrderLine
from dealercrm.staff.models import Employee
from dealercrm.staff.services import in_list_order

WEB = AuditSource.WEB


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.can(permission):
        raise PermissionDenied


def _pool(request: HttpRequest) -> QuerySet[Customer]:
    if request.user.company_id is None:
        return Customer.objects.none()
    return services.pool_customers(request.user.company_id)


def _with_last_order(queryset: QuerySet[Customer]) -> QuerySet[Customer]:
    last = (
        OrderLine.objects.filter(company_id=OuterRef("company_id"), customer_id=OuterRef("pk"))
        .order_by("-date")
        .values("date")[:1]
    )
    return queryset.annotate(last_order_on=Subquery(last))


# ---------------------------------------------------------------------------- the pool


@login_required
def pool(request: HttpRequest) -> HttpResponse:
    form = PoolFilterForm(request.GET, user=request.user)
    values = form.values()
    customers = _pool(request)
    if values.get("q", "").strip():
        customers = customers.search(values["q"])
    if values.get("kind"):
        customers = customers.filter(kind=values["kind"])
    if values.get("abc_class"):
        customers = customers.filter(abc_class=values["abc_class"])
    if values.get("region"):
        region = SalesRegion.objects.visible_to(request.user).filter(pk=values["region"]).first()
        customers = customers.filter(sales_region_id__in=region.descendant_ids() if region else [])
    customers = _with_last_order(
        customers.select_related("sales_region", "county").defer(
            "search_text", "notes", "market_notes"
        )
    ).order_by("abc_class", "code")
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    can_claim = request.user.can("pool.claim")
    context = {
        "form": form,
        "page": page,
        "can_claim": can_claim,
        "claimed_today": services.claims_today(request.user) if can_claim else 0,
        "claim_limit": services.pool_settings(request.user.company).claim_limit
        if request.user.company_id
        else 0,
        "can_settings": request.user.can("pool.settings"),
    }
    return render(request, "ownership/pool.html", context)


@login_required
def pool_customer(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(
        _with_last_order(
            _pool(request).select_related("sales_region", "province", "city", "county")
        ),
        pk=pk,
    )
    lines = OrderLine.objects.filter(company_id=customer.company_id, customer=customer)
    since = services.local_today(request.user.company) - timedelta(days=364)
    totals = lines.filter(date__gte=since).aggregate(
        amount=Coalesce(Sum("amount"), Decimal("0")), orders=Count("order", distinct=True)
    )
    can_claim = request.user.can("pool.claim")
    context = {
        "customer": customer,
        "sales_12m": totals["amount"],
        "orders_12m": totals["orders"],
        "first_order_on": lines.order_by("date").values_list("date", flat=True).first(),
        "history": Assignment.objects.filter(company_id=customer.company_id, customer=customer)
        .select_related("rep", "ended_by")
        .order_by("-started_at")[:20],
        "can_claim": can_claim,
        "claimed_today": services.claims_today(request.user) if can_claim else 0,
        "claim_limit": services.pool_settings(request.user.company).claim_limit,
    }
    return render(request, "ownership/pool_customer.html", context)


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "pool.claim")
    # A pool customer, or one the user may see (to say it is taken); anything else is 404.
    customer = (
        _pool(request).filter(pk=pk).first()
        or Customer.objects.visible_to(request.user).filter(pk=pk).first()
    )
    if customer is None:
        raise Http404
    try:
        services.claim(customer, request.user, source=WEB)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ownership:pool")
    messages.success(request, _("%(customer)s is now yours.") % {"customer": customer})
    return redirect("customers:detail", pk=customer.pk)


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=pk)
    if not services.may_release(customer, request.user):
        raise PermissionDenied
    form = ReleaseForm(request.POST)
    back = reverse("customers:detail", args=[pk]) + "#rep"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.release(customer, request.user, reason=form.cleaned_data["reason"], source=WEB)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("%(customer)s is back in the pool.") % {"customer": customer})
    if Customer.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect(back)
    return redirect("ownership:pool")


@login_required
def pool_settings(request: HttpRequest) -> HttpResponse:
    _require(request, "pool.settings")
    company = request.user.company
    settings = services.pool_settings(company)
    rules = services.pool_rules(company)
    initial = {"claim_limit": settings.claim_limit} | {
        f"days_{cls}": days for cls, days in rules.items()
    }
    form = PoolSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pool_settings(
                company,
                actor=request.user,
                claim_limit=form.cleaned_data["claim_limit"],
                days=form.days(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the pool settings."))
            return redirect("ownership:pool_settings")
    return render(request, "ownership/pool_settings.html", {"form": form})


# ---------------------------------------------------------------------------- bulk assign


def _bulk_selection(request: HttpRequest, data: dict[str, Any]) -> QuerySet[Customer]:
    visible = Customer.objects.visible_to(request.user)
    scope = data["scope"]
    if scope == "selected":
        return visible.filter(pk__in=data["customers"])
    if scope == "region":
        region = get_object_or_404(SalesRegion.objects.visible_to(request.user), pk=data["region"])
        return visible.filter(sales_region_id__in=region.descendant_ids())
    filters = CustomerFilterForm(QueryDict(data.get("query") or ""), user=request.user)
    return filters.to_filter().apply(visible, request.user.company_id)


def _list_url(query: str) -> str:
    url = reverse("customers:list")
    return f"{url}?{query}" if query else url


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """The ticked customers, a whole region, or every customer the list's filter matches:
    first a page showing how many, where the user chooses to whom (or the pool) and why; then
    the assignment."""
    _require(request, "customer.assign")
    form = BulkAssignForm(request.POST, user=request.user)
    query = request.POST.get("query", "")
    valid = form.is_valid()
    # A missing target on the confirm page shows the page again; any other error goes back.
    if not valid and set(form.errors) != {"rep"}:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_list_url(query))
    data = form.cleaned_data
    customers = _bulk_selection(request, data)
    if not valid or not data["confirm"]:
        region = None
        if data["scope"] == "region":
            region = SalesRegion.objects.visible_to(request.user).filter(pk=data["region"]).first()
        context = {
            "form": form,
            "count": customers.count(),
            "region": region,
            "cancel_url": _list_url(query),
        }
        return render(request, "ownership/bulk_confirm.html", context)
    target = form.target
    try:
        count = services.assign_customers(
            customers, target, actor=request.user, source=WEB, reason=data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s customer now belongs to %(target)s.",
                "%(count)s customers now belong to %(target)s.",
                count,
            )
            % {"count": count, "target": target or _("the pool")},
        )
    return redirect(_list_url(query))


# ---------------------------------------------------------------------------- handover


def _owned_counts(company_id: int) -> dict[int, int]:
    rows = (
        Customer.objects.filter(company_id=company_id, rep__isnull=False)
        .values("rep_id")
        .annotate(n=Count("pk"))
    )
    return {row["rep_id"]: row["n"] for row in rows}


@login_required
def handover_start(request: HttpRequest) -> HttpResponse:
    _require(request, "customer.handover")
    owned = _owned_counts(request.user.company_id)
    employees = Employee.objects.visible_to(request.user).select_related("user", "sales_region")
    rows = [
        (employee, owned.get(employee.user_id, 0))
        for employee in in_list_order(employees)
        if employee.is_active or owned.get(employee.user_id)
    ]
    handovers = (
        Handover.objects.visible_to(request.user)
        .select_related("employee", "performed_by")
        .order_by("-performed_at")[:20]
    )
    return render(request, "ownership/handover_start.html", {"rows": rows, "handovers": handovers})


@login_required
def handover(request: HttpRequest, employee_pk: int) -> HttpResponse:
    _require(request, "customer.handover")
    employee = get_object_or_404(
        Employee.objects.visible_to(request.user).select_related("user", "sales_region"),
        pk=employee_pk,
    )
    leaving = employee.user
    form = HandoverForm(
        request.POST if request.method == "POST" else None, user=request.user, leaving=leaving
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_handover(
                employee,
                list(form.cleaned_data["recipients"]),
                form.cleaned_data["mode"],
                pool_rest=form.cleaned_data["pool_rest"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        if plan is not None and "commit" in request.POST:
            if form.cleaned_data["fingerprint"] != plan.fingerprint:
                form.add_error(
                    None,
                    _(
                        "The customers changed since the preview. Check the new preview and "
                        "commit again."
                    ),
                )
            else:
                try:
                    record = services.commit_handover(plan, request.user, source=WEB)
                except ValidationError as error:
                    form.add_error(None, error)
                    plan = services.plan_handover(
                        employee, plan.recipients, plan.mode, pool_rest=plan.pool_rest
                    )
                else:
                    messages.success(
                        request,
                        _("%(name)s's customers are handed over; the login is disabled.")
                        % {"name": employee.name},
                    )
                    return redirect("ownership:handover_detail", pk=record.pk)
    if plan is not None:
        data = form.data.copy()
        data["fingerprint"] = plan.fingerprint
        form.data = data
    customers_owned = (
        Customer.objects.filter(company_id=employee.company_id, rep=leaving).count()
        if leaving
        else 0
    )
    context = {
        "employee": employee,
        "form": form,
        "plan": plan,
        "shares": plan.shares() if plan else [],
        "customers_owned": customers_owned,
    }
    return render(request, "ownership/handover.html", context)


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "customer.handover")
    record = get_object_or_404(
        Handover.objects.visible_to(request.user).select_related(
            "employee", "from_user", "performed_by"
        ),
        pk=pk,
    )
    summary = record.summary or {}
    groups = list(summary.get("recipients", []))
    if summary.get("pool", {}).get("customers"):
        groups.append({**summary["pool"], "name": _("the pool"), "pool": True})
    ids = [pk for group in groups for pk in group.get("customer_ids", [])]
    names = Customer.objects.visible_to(request.user).filter(pk__in=ids).in_bulk()
    for group in groups:
        group["rows"] = [names[i] for i in group.get("customer_ids", []) if i in names]
    return render(request, "ownership/handover_detail.html", {"handover": record, "groups": groups})
