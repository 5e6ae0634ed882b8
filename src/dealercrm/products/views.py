"""Pages of the catalogue: products (list, create, edit, delete), brands and manufacturers.

Everyone in the company may browse; changing needs "product.manage". Rows are fetched through
`visible_to(user)`, so an id of another company gives 404; a role that may not change the
catalogue gets 403. Changes go through products.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dealercrm.customers.forms import add_service_errors
from dealercrm.products import services
from dealercrm.products.forms import (
    PAGE_SIZE,
    BrandForm,
    ManufacturerForm,
    ProductFilterForm,
    ProductForm,
)
from dealercrm.products.models import Brand, Manufacturer, Product

MANAGE = "product.manage"


def _require_manage(request: HttpRequest) -> None:
    if not request.user.can(MANAGE):
        raise PermissionDenied


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _data_links(request: HttpRequest) -> dict[str, str]:
    """Import and export links for those allowed; the export keeps the list's filters."""
    if not request.user.can(MANAGE):
        return {}
    query = request.GET.copy()
    query.pop("page", None)
    export_url = reverse("imports:export_products")
    return {
        "import_url": reverse("imports:import_products"),
        "export_url": f"{export_url}?{query.urlencode()}" if query else export_url,
    }


# ---------------------------------------------------------------------------- products


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET, user=request.user)
    visible = Product.objects.visible_to(request.user)
    products = form.to_filter().apply(visible, request.user.company_id)
    page = Paginator(products.select_related("brand", "brand__manufacturer"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "can_manage": request.user.can(MANAGE),
        "section": "products",
        **_data_links(request),
    }
    return render(request, "products/product_list.html", context)


def _edit(
    request: HttpRequest,
    *,
    form_class: type,
    instance: Any,
    save: Any,
    title: str,
    done_url: str,
    section: str,
) -> HttpResponse:
    """The create / edit page of one catalogue row: a form, saved through a service."""
    _require_manage(request)
    form = form_class(_posted(request), instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = save(fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved %(thing)s.") % {"thing": saved})
            return redirect(done_url)
    context = {"form": form, "title": title, "cancel_url": done_url, "section": section}
    return render(request, "products/form.html", context)


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=ProductForm,
        instance=None,
        save=lambda fields: services.save_product(
            company=request.user.company, actor=request.user, fields=fields
        ),
        title=_("New product"),
        done_url=reverse("products:list"),
        section="products",
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    return _edit(
        request,
        form_class=ProductForm,
        instance=product,
        save=lambda fields: services.save_product(
            company=request.user.company, actor=request.user, fields=fields, product=product
        ),
        title=_("Edit product %(product)s") % {"product": product},
        done_url=reverse("products:list"),
        section="products",
    )


@login_required
def product_delete(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    _require_manage(request)
    if request.method == "POST":
        try:
            services.delete_product(product, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("products:edit", pk=pk)
        messages.success(request, _("Deleted %(product)s.") % {"product": product})
        return redirect("products:list")
    context = {
        "product": product,
        "used": product.order_lines.exists(),
        "cancel_url": reverse("products:edit", args=[pk]),
        "section": "products",
    }
    return render(request, "products/confirm_delete.html", context)


# ---------------------------------------------------------------------------- brands


@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    brands = (
        Brand.objects.visible_to(request.user)
        .select_related("manufacturer")
        .annotate(product_count=Count("products"))
        .order_by("is_competitor", "name")
    )
    context = {"brands": brands, "can_manage": request.user.can(MANAGE), "section": "brands"}
    return render(request, "products/brand_list.html", context)


@login_required
def brand_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=BrandForm,
        instance=None,
        save=lambda fields: services.save_brand(
            company=request.user.company, actor=request.user, fields=fields
        ),
        title=_("New brand"),
        done_url=reverse("products:brands"),
        section="brands",
    )


@login_required
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_object_or_404(Brand.objects.visible_to(request.user), pk=pk)
    return _edit(
        request,
        form_class=BrandForm,
        instance=brand,
        save=lambda fields: services.save_brand(
            company=request.user.company, actor=request.user, fields=fields, brand=brand
        ),
        title=_("Edit brand %(brand)s") % {"brand": brand},
        done_url=reverse("products:brands"),
        section="brands",
    )


# ---------------------------------------------------------------------------- manufacturers


@login_required
def manufacturer_list(request: HttpRequest) -> HttpResponse:
    manufacturers = (
        Manufacturer.objects.visible_to(request.user)
        .annotate(brand_count=Count("brands"))
        .order_by("name")
    )
    context = {
        "manufacturers": manufacturers,
        "can_manage": request.user.can(MANAGE),
        "section": "manufacturers",
    }
    return render(request, "products/manufacturer_list.html", context)


@login_required
def manufacturer_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=ManufacturerForm,
        instance=None,
        save=lambda fields: services.save_manufacturer(
            company=request.user.company, actor=request.user, fields=fields
        ),
        title=_("New manufacturer"),
        done_url=reverse("products:manufacturers"),
        section="manufacturers",
    )


@login_required
def manufacturer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    maker = get_object_or_404(Manufacturer.objects.visible_to(request.user), pk=pk)
    return _edit(
        request,
        form_class=ManufacturerForm,
        instance=maker,
        save=lambda fields: services.save_manufacturer(
            company=request.user.company, actor=request.user, fields=fields, manufacturer=maker
        ),
        title=_("Edit manufacturer %(name)s") % {"name": maker},
        done_url=reverse("products:manufacturers"),
        section="manufacturers",
    )
