"""Pages of the company's sales-region tree, and the division options of cascading selects."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dealercrm.customers.forms import add_service_errors
from dealercrm.customers.models import Customer
from dealercrm.regions import services
from dealercrm.regions.choices import DivisionLevel
from dealercrm.regions.forms import SalesRegionForm
from dealercrm.regions.models import Division, SalesRegion

_ELEMENT_ID = re.compile(r"^[A-Za-z][\w-]{0,60}$")


def _require_manage(request: HttpRequest) -> None:
    if not request.user.can("region.manage"):
        raise PermissionDenied


def _region(request: HttpRequest, pk: int) -> SalesRegion:
    return get_object_or_404(SalesRegion.objects.visible_to(request.user), pk=pk)


def _tree_rows(request: HttpRequest) -> list[dict]:
    """Each region with its depth, its own customers and those of its whole subtree."""
    tree = services.region_tree(SalesRegion.objects.visible_to(request.user))
    direct = dict(
        Customer.objects.visible_to(request.user)
        .filter(sales_region__isnull=False)
        .values_list("sales_region")
        .annotate(count=Count("pk"))
        .order_by()
    )
    totals = {region.pk: 0 for region, _depth in tree}
    # Children come after their parent in tree order, so walking backwards sums subtrees.
    for region, _depth in reversed(tree):
        totals[region.pk] += direct.get(region.pk, 0)
        if region.parent_id in totals:
            totals[region.parent_id] += totals[region.pk]
    return [
        {
            "region": region,
            "depth": min(depth, 8),
            "customers": direct.get(region.pk, 0),
            "total": totals[region.pk],
        }
        for region, depth in tree
    ]


def _render_list(request: HttpRequest, form: SalesRegionForm | None) -> HttpResponse:
    context = {"rows": _tree_rows(request), "form": form}
    return render(request, "regions/region_list.html", context)


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    can_manage = request.user.can("region.manage")
    return _render_list(request, SalesRegionForm(user=request.user) if can_manage else None)


@login_required
@require_POST
def region_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = SalesRegionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            region = services.create_region(request.user.company_id, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Added the region %(name)s.") % {"name": region.name})
            return redirect("regions:list")
    return _render_list(request, form)


@login_required
def region_edit(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region(request, pk)
    _require_manage(request)
    data = request.POST if request.method == "POST" else None
    form = SalesRegionForm(data, user=request.user, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_region(region, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the region %(name)s.") % {"name": region.name})
            return redirect("regions:list")
    stored = _region(request, pk)
    return render(request, "regions/region_form.html", {"form": form, "region": stored})


@login_required
def region_delete(request: HttpRequest, pk: int) -> HttpResponse:
    region = _region(request, pk)
    _require_manage(request)
    if request.method == "POST":
        try:
            services.delete_region(region)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Deleted the region %(name)s.") % {"name": region.name})
        return redirect("regions:list")
    return render(request, "regions/region_confirm_delete.html", {"region": region})


@login_required
@require_GET
def division_options(request: HttpRequest) -> HttpResponse:
    """<option>s of the cities (level=city) or counties (level=county) under a parent code.

    The parent comes from `parent`, or from the `province` / `city` values htmx sends with the
    select that changed. For level=city, `county_select` names a select whose options are
    replaced too (out of band) by the counties directly under the province: a municipality's
    districts, or county-level cities that belong to no city.
    """
    level = DivisionLevel.CITY if request.GET.get("level") == "city" else DivisionLevel.COUNTY
    if level == DivisionLevel.CITY:
        parent = request.GET.get("parent") or request.GET.get("province") or ""
    else:
        parent = request.GET.get("parent") or request.GET.get("city") or ""
        parent = parent or request.GET.get("province") or ""
    county_select = request.GET.get("county_select", "")
    if level != DivisionLevel.CITY or not _ELEMENT_ID.match(county_select):
        county_select = ""
    context = {
        "options": services.children_of(parent, level) if parent else Division.objects.none(),
        "county_select": county_select,
        "counties": (
            services.children_of(parent, DivisionLevel.COUNTY)
            if parent and county_select
            else Division.objects.none()
        ),
    }
    return render(request, "regions/division_options.html", context)
