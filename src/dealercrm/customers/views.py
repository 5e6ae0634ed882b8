"""Pages of the customer file: list, detail, create / edit / delete, contacts, carried products.

Every customer is fetched through `Customer.objects.visible_to(user)`, so a rep guessing the id
of another rep's customer (or a user of another company) gets 404; what a role may do beyond
that comes from `user.can(...)` and is refused with 403. Changes go through customers.services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.core.audit import display_value
from dealercrm.core.models import AuditEntry, AuditSource
from dealercrm.core.phones import display_phone
from dealercrm.customers import services
from dealercrm.customers.choices import ContactRole
from dealercrm.customers.completeness import SECTION_NAMES, assess
from dealercrm.customers.forms import (
    PAGE_SIZE,
    AssignRepForm,
    CarriedProductForm,
    ContactForm,
    CustomerFilterForm,
    CustomerForm,
    add_service_errors,
)
from dealercrm.customers.models import CarriedProduct, Contact, Customer

WEB = AuditSource.WEB
SERVED_SHOWN = 50
AUDIT_SHOWN = 200
PHONE_FIELDS = {"phone", "mobile", "fax"}
AUDITED_MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model for model in (Customer, Contact, CarriedProduct)
}


def _customer(request: HttpRequest, pk: int) -> Customer:
    """The customer if the user may see it, else 404 (never 403: that would confirm the id)."""
    visible = Customer.objects.visible_to(request.user)
    return get_object_or_404(visible, pk=pk)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.can(permission):
        raise PermissionDenied


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------------------- list


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET, user=request.user)
    visible = Customer.objects.visible_to(request.user)
    customers = form.to_filter().apply(visible, request.user.company_id)
    page = _customer_page(customers, request.GET.get("page"))
    can_assign = request.user.can("customer.assign")
    list_query = request.GET.copy()
    list_query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "can_create": request.user.can("customer.create"),
        # Bulk assign (ownership:bulk_assign): the ticked rows, every match, or a region (the
        # filter's region choices); the target is chosen on the confirm page.
        "can_assign": can_assign,
        "bulk_regions": form.fields["region"].choices[1:] if can_assign else None,
        "list_query": list_query.urlencode(),
        **_data_links(request),
    }
    template = "customers/customer_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


def _customer_page(customers: QuerySet[Customer], number: Any) -> Page:
    """One page of the filtered list, counted once.

    Sorting and counting run on the ids alone; the joins for the region, county and rep
    columns run only for the rows shown (at 100,000 customers, sorting joined rows costs more
    than sorting ids and fetching fifty rows again).
    """
    page = Paginator(customers.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    # The ids come from the scoped query; filtering by company again here would make SQLite
    # scan the company's index instead of looking up fifty primary keys.
    rows = (
        Customer.objects.filter(pk__in=ids)
        .select_related("sales_region", "county", "rep")
        .defer("search_text", "notes", "market_notes")
        .in_bulk()
    )
    page.object_list = [rows[pk] for pk in ids]
    return page


def _data_links(request: HttpRequest) -> dict[str, str]:
    """Import and export links for those allowed; the export keeps the list's filters."""
    links = {}
    query = request.GET.copy()
    query.pop("page", None)
    for permission, url_name, key, keeps_filter in (
        ("customer.import", "imports:import_customers", "import_url", False),
        ("customer.export", "imports:export_customers", "export_url", True),
    ):
        if not request.user.can(permission):
            continue
        url = reverse(url_name)
        links[key] = f"{url}?{query.urlencode()}" if keeps_filter and query else url
    return links


# ---------------------------------------------------------------------------- detail


@dataclass
class AuditRow:
    entry: AuditEntry
    record_type: str
    changes: list[tuple[str, str, str]]


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(model: type[models.Model] | None, name: str, before: str, after: str) -> tuple[str, str]:
    # Phones are kept as E.164 in the trail as everywhere; people read the national format.
    if name in PHONE_FIELDS:
        return display_phone(before), display_phone(after)
    return display_value(model, name, before), display_value(model, name, after)


def audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    """Entries with each changed field's verbose name, for display."""
    rows = []
    for entry in entries:
        model = AUDITED_MODELS.get(entry.object_type)
        changes = [
            (_field_label(model, name), *_shown(model, name, before, after))
            for name, (before, after) in entry.changes.items()
        ]
        record_type = str(model._meta.verbose_name) if model else entry.object_type
        rows.append(AuditRow(entry, record_type, changes))
    return rows


def _key_people(contacts: list[Contact]) -> tuple[Contact | None, Contact | None]:
    """The owner, and the primary contact (else the first contact), as the file scores them."""
    owner = next((c for c in contacts if c.role == ContactRole.OWNER), None)
    primary = next((c for c in contacts if c.is_primary), None) or next(
        (c for c in contacts if c.role == ContactRole.CONTACT), None
    )
    return owner, primary


def _brands(carried: list[CarriedProduct]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {"own": [], "competitor": [], "unknown": []}
    keys = {False: "own", True: "competitor", None: "unknown"}
    for item in carried:
        brands = groups[keys[item.is_competitor]]
        if item.brand not in brands:
            brands.append(item.brand)
    return groups


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Customer.objects.visible_to(request.user)
    customer = get_object_or_404(
        visible.select_related("sales_region", "province", "city", "county", "rep", "parent"),
        pk=pk,
    )
    # The owner first: the article's §5 is above all about the owner's personal side.
    contacts = sorted(
        customer.contacts.all(), key=lambda c: (c.role != ContactRole.OWNER, not c.is_primary, c.pk)
    )
    carried = list(customer.carried_products.all())
    completeness = assess(customer, contacts, carried)
    owner, primary = _key_people(contacts)
    served = visible.filter(parent=customer).select_related("rep").order_by("code")
    trail = services.audit_trail(customer.pk, customer.company_id)
    context = {
        "customer": customer,
        "contacts": contacts,
        "owner": owner,
        "primary": primary,
        "carried": carried,
        "brands": _brands(carried),
        "completeness": completeness,
        "section_scores": [
            (number, SECTION_NAMES[number], score)
            for number, score in completeness.section_scores.items()
        ],
        "assignments": customer.assignments.select_related("rep", "assigned_by", "ended_by"),
        "served": served[:SERVED_SHOWN],
        "served_count": served.count(),
        "audit": audit_rows(trail[:AUDIT_SHOWN]),
        "audit_count": len(trail),
        "assign_form": (
            AssignRepForm(user=request.user, initial={"rep": customer.rep_id})
            if request.user.can("customer.assign")
            else None
        ),
        "can_delete": request.user.can("customer.delete"),
    }
    return render(request, "customers/customer_detail.html", context)


# ---------------------------------------------------------------------------- create / edit


@login_required
def customer_create(request: HttpRequest) -> HttpResponse:
    _require(request, "customer.create")
    instance = Customer(company_id=request.user.company_id)
    form = CustomerForm(_posted(request), user=request.user, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.create_customer(
                company=request.user.company,
                actor=request.user,
                source=WEB,
                fields=form.service_fields(),
                rep=form.cleaned_data.get("rep"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Created %(customer)s.") % {"customer": customer})
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": None})


@login_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    form = CustomerForm(_posted(request), user=request.user, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(
                customer, actor=request.user, source=WEB, fields=form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved %(customer)s.") % {"customer": customer})
            return redirect("customers:detail", pk=customer.pk)
    # After a failed save the heading names the customer as stored, not as half-edited.
    stored = Customer.objects.visible_to(request.user).get(pk=pk) if form.is_bound else customer
    return render(request, "customers/customer_form.html", {"form": form, "customer": stored})


@login_required
def customer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    _require(request, "customer.delete")
    if request.method == "POST":
        try:
            services.delete_customer(customer, actor=request.user, source=WEB)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("customers:detail", pk=pk)
        messages.success(request, _("Deleted %(customer)s.") % {"customer": customer})
        return redirect("customers:list")
    return _confirm_delete(request, customer, customer, reverse("customers:detail", args=[pk]))


@login_required
@require_POST
def customer_assign(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    _require(request, "customer.assign")
    form = AssignRepForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("customers:detail", pk=pk)
    try:
        services.assign_rep(
            customer,
            form.cleaned_data["rep"],
            actor=request.user,
            source=WEB,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if customer.rep is None:
            messages.success(request, _("Nobody owns the customer now: it is in the pool."))
        else:
            messages.success(request, _("The sales rep is now %(rep)s.") % {"rep": customer.rep})
    return redirect(reverse("customers:detail", args=[pk]) + "#rep")


def _confirm_delete(
    request: HttpRequest, customer: Customer, thing: models.Model, cancel_url: str
) -> HttpResponse:
    context = {
        "customer": customer,
        "thing": thing,
        "thing_type": thing._meta.verbose_name,
        "cancel_url": cancel_url,
    }
    return render(request, "customers/confirm_delete.html", context)


# ---------------------------------------------------------------------------- contacts


def _contact(request: HttpRequest, customer: Customer, contact_pk: int) -> Contact:
    visible = Contact.objects.visible_to(request.user)
    return get_object_or_404(visible, pk=contact_pk, customer=customer)


@login_required
def contact_form(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    customer = _customer(request, pk)
    contact = None if contact_pk is None else _contact(request, customer, contact_pk)
    initial = {}
    if contact is None and request.GET.get("role") in ContactRole.values:
        initial["role"] = request.GET["role"]
    form = ContactForm(_posted(request), instance=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(
                customer,
                actor=request.user,
                source=WEB,
                fields=form.service_fields(),
                contact=contact,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Saved the contact %(name)s.") % {"name": form["name"].value()}
            )
            return redirect(reverse("customers:detail", args=[pk]) + "#contacts")
    context = {"form": form, "customer": customer, "contact": contact}
    return render(request, "customers/contact_form.html", context)


@login_required
def contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    contact = _contact(request, customer, contact_pk)
    back = reverse("customers:detail", args=[pk]) + "#contacts"
    if request.method == "POST":
        services.delete_contact(contact, actor=request.user, source=WEB)
        messages.success(request, _("Deleted the contact %(name)s.") % {"name": contact.name})
        return redirect(back)
    return _confirm_delete(request, customer, contact, back)


# ---------------------------------------------------------------------------- carried products


def _carried(request: HttpRequest, customer: Customer, item_pk: int) -> CarriedProduct:
    visible = CarriedProduct.objects.visible_to(request.user)
    return get_object_or_404(visible, pk=item_pk, customer=customer)


@login_required
def product_form(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    customer = _customer(request, pk)
    item = None if item_pk is None else _carried(request, customer, item_pk)
    form = CarriedProductForm(_posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_carried_product(
                customer, actor=request.user, source=WEB, fields=form.service_fields(), item=item
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("customers:detail", args=[pk]) + "#products")
    context = {"form": form, "customer": customer, "item": item}
    return render(request, "customers/product_form.html", context)


@login_required
def product_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    item = _carried(request, customer, item_pk)
    back = reverse("customers:detail", args=[pk]) + "#products"
    if request.method == "POST":
        services.delete_carried_product(item, actor=request.user, source=WEB)
        messages.success(request, _("Deleted %(item)s.") % {"item": item})
        return redirect(back)
    return _confirm_delete(request, customer, item, back)
