"""Customers, their contacts and carried products over HTTP (/api/v1/customers).

Thin handlers: every query starts from `visible_to(user)` (another company's or another rep's
row answers 404, so its existence is not revealed), every change goes through
`customers.services` with source "api", and the request values are only translated here
(codes, names and usernames to rows, phones to E.164, birthday text to its columns).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from dealercrm.accounts.models import User
from dealercrm.core.api_auth import api_user
from dealercrm.core.api_errors import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    FieldValidationError,
    field_errors,
)
from dealercrm.core.birthdays import Birthday
from dealercrm.core.models import AuditSource
from dealercrm.core.phones import normalize_phone
from dealercrm.customers import services
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.customers.schemas import (
    CarriedProductCreate,
    CarriedProductOut,
    CarriedProductPage,
    CarriedProductUpdate,
    ContactCreate,
    ContactOut,
    ContactPage,
    ContactUpdate,
    CustomerCreate,
    CustomerDetail,
    CustomerListQuery,
    CustomerPage,
    CustomerUpdate,
    PageQuery,
)
from dealercrm.regions.models import SalesRegion
from dealercrm.regions.services import resolve_divisions

router = Router(tags=["customers"])

API = AuditSource.API
# The foreign keys the customer item shows: joined in the list query, never fetched per row.
ITEM_RELATED = ("parent", "rep", "sales_region", "province", "city", "county")
DIVISION_FIELDS = ("province", "city", "county")
# Rounded rather than refused: phones report more digits than a 0.1 m grid needs.
ROUNDED_DECIMALS = {"latitude", "longitude"}
# Model fields filled from one request field, for naming the field in errors.
CONTACT_ALIASES = {
    name: "birthday"
    for name in (
        "birthday_calendar",
        "birthday_year",
        "birthday_month",
        "birthday_day",
        "birthday_leap",
    )
}


# ---------------------------------------------------------------------------- lookups


def _customers(user: User) -> QuerySet[Customer]:
    return Customer.objects.visible_to(user).select_related(*ITEM_RELATED)


def _customer(user: User, customer_id: int) -> Customer:
    """A customer the user may see, or 404."""
    return get_object_or_404(_customers(user), pk=customer_id)


def _customer_detail(user: User, customer_id: int) -> Customer:
    queryset = _customers(user).prefetch_related("contacts", "carried_products")
    return get_object_or_404(queryset, pk=customer_id)


def _page(queryset: QuerySet, params: PageQuery) -> dict[str, Any]:
    """One page of rows and the total count, in three queries whatever the page.

    The page's ids come first, from the filtered and sorted rows alone; then the rows of those
    ids with their joins. An OFFSET over the joined query would join every skipped row too
    (page 1,000 of 100k customers: 1.1 s instead of 0.1 s on PostgreSQL).
    """
    count = queryset.count()
    start = (params.page - 1) * params.page_size
    if start >= count:
        return {"count": count, "items": []}
    ids = list(queryset.values_list("pk", flat=True)[start : start + params.page_size])
    rows = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return {"count": count, "items": [rows[pk] for pk in ids if pk in rows]}


def _names_user(value: int | str | None, user: User | None) -> bool:
    """Whether an id or username from a request names this user (None names nobody)."""
    if user is None or value is None or value == "":
        return user is None and value in (None, "")
    if isinstance(value, int):
        return value == user.pk
    return value.strip() == user.username


def _find_rep(user: User, value: int | str | None) -> User | None:
    if value is None or value == "":
        return None
    colleagues = User.objects.visible_to(user)
    key = {"pk": value} if isinstance(value, int) else {"username": value.strip()}
    rep = colleagues.filter(**key).first()
    if rep is None:
        raise ValidationError({"rep": _("No user “%(value)s” in this company.") % {"value": value}})
    return rep


def _find_parent(user: User, value: int | str | None) -> Customer | None:
    if value is None or value == "":
        return None
    key = {"pk": value} if isinstance(value, int) else {"code": value.strip()}
    parent = Customer.objects.visible_to(user).filter(**key).first()
    if parent is None:
        raise ValidationError(_("No customer “%(value)s”."), params={"value": value})
    return parent


def _find_region(user: User, value: int | str | None) -> SalesRegion | None:
    if value is None or value == "":
        return None
    key = {"pk": value} if isinstance(value, int) else {"name": value.strip()}
    region = SalesRegion.objects.visible_to(user).filter(**key).first()
    if region is None:
        raise ValidationError(_("No sales region “%(value)s”."), params={"value": value})
    return region


# ---------------------------------------------------------------------------- request values


def _model_value(model: type[models.Model], name: str, value: Any) -> Any:
    """A request value as the model field stores it."""
    field = model._meta.get_field(name)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        value = value.strip()
    if value is None and isinstance(field, models.CharField | models.TextField):
        return ""
    if value is None and isinstance(field, models.BooleanField) and not field.null:
        return False
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return _fit_decimal(value, field.decimal_places, round_off=name in ROUNDED_DECIMALS)
    return value


def _fit_decimal(value: Decimal, places: int, *, round_off: bool) -> Decimal:
    """The value with the field's decimal places (1.5 → 1.50), so the audit trail compares
    like with like; extra places are rounded only where allowed, else left for the model's
    validation to refuse."""
    try:
        fitted = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value
    return fitted if round_off or fitted == value else value


def _plain_fields(model: type[models.Model], data: dict[str, Any], names: list[str]) -> dict:
    return {name: _model_value(model, name, data[name]) for name in names if name in data}


def _phones(data: dict[str, Any], names: tuple[str, ...], errors: dict[str, Any]) -> dict:
    fields = {}
    for name in names:
        if name in data:
            try:
                fields[name] = normalize_phone(data[name])
            except ValidationError as exc:
                errors[name] = exc
    return fields


CUSTOMER_PLAIN = [
    name
    for name in services.CUSTOMER_FIELDS
    if name not in {"parent", "sales_region", *DIVISION_FIELDS, "phone", "fax"}
]


def _customer_fields(
    user: User, data: dict[str, Any], customer: Customer | None = None
) -> dict[str, Any]:
    """The service fields for a create (customer=None) or a partial update.

    Raises ValidationError naming every bad request field at once.
    """
    errors: dict[str, Any] = {}
    fields = _plain_fields(Customer, data, CUSTOMER_PLAIN)
    fields |= _phones(data, ("phone", "fax"), errors)
    for name, find in (("parent", _find_parent), ("sales_region", _find_region)):
        if name in data:
            try:
                fields[name] = find(user, data[name])
            except ValidationError as exc:
                errors[name] = exc
    try:
        fields |= _division_fields(data, customer)
    except ValidationError as exc:
        errors |= exc.error_dict
    if errors:
        raise ValidationError(errors)
    return fields


def _division_fields(data: dict[str, Any], customer: Customer | None) -> dict[str, Any]:
    """Province, city and county from their codes or names; from the address when all three
    are empty (sent empty, or never set) and an address is sent."""
    stored = customer is not None and any(
        getattr(customer, f"{name}_id") for name in DIVISION_FIELDS
    )
    sent = {name: (data[name] or "").strip() for name in DIVISION_FIELDS if name in data}
    address = (data.get("address") or "").strip()
    if any(sent.values()):
        if "address" not in data and customer is not None:
            address = customer.address
        texts = {name: sent.get(name, "") for name in DIVISION_FIELDS}
        match = resolve_divisions(**texts, address=address)
    elif address and (sent or not stored):
        match = resolve_divisions(address=address)
    elif sent:  # all three sent empty and no address: clear them
        return dict.fromkeys(DIVISION_FIELDS)
    else:
        return {}
    return {"province": match.province, "city": match.city, "county": match.county}


def _rep_change(user: User, data: dict[str, Any], current: User | None) -> tuple[bool, Any]:
    """(whether the request sets the rep, the rep) after checking the user may set it."""
    if "rep" not in data:
        return False, None
    if not user.can("customer.assign") and not _names_user(data["rep"], current):
        raise PermissionDenied(_("You may not assign customers to reps."))
    return True, _find_rep(user, data["rep"])


def _read_customer(
    user: User, data: dict[str, Any], customer: Customer | None, current_rep: User | None
) -> tuple[dict[str, Any], bool, User | None]:
    """(service fields, whether the rep is set, the rep), with every bad field in one error."""
    errors: dict[str, Any] = {}
    sets_rep, rep, fields = False, None, {}
    try:
        sets_rep, rep = _rep_change(user, data, current_rep)
    except ValidationError as exc:
        errors |= exc.error_dict
    try:
        fields = _customer_fields(user, data, customer)
    except ValidationError as exc:
        errors |= exc.error_dict
    if errors:
        raise ValidationError(errors)
    return fields, sets_rep, rep


def _contact_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    plain = [name for name in services.CONTACT_FIELDS if name in ContactUpdate.model_fields]
    fields = _plain_fields(Contact, data, [n for n in plain if n not in {"phone", "mobile"}])
    fields |= _phones(data, ("phone", "mobile"), errors)
    if "birthday" in data:
        try:
            birthday = Birthday.parse(data["birthday"])
        except ValidationError as exc:
            errors["birthday"] = exc
        else:
            fields |= {
                "birthday_calendar": birthday.calendar if birthday else "",
                "birthday_year": birthday.year if birthday else None,
                "birthday_month": birthday.month if birthday else None,
                "birthday_day": birthday.day if birthday else None,
                "birthday_leap": birthday.leap if birthday else False,
            }
    if errors:
        raise ValidationError(errors)
    return fields


# ---------------------------------------------------------------------------- customers


@router.get(
    "",
    response={200: CustomerPage, **COMMON_ERRORS},
    operation_id="customers_list",
    summary="List customers",
    description=(
        "The customers the token's user may see (a rep: only their own), filtered and sorted "
        "like the customer list page, one page at a time. `count` is the number of matches."
    ),
)
def list_customers(request: HttpRequest, params: Query[CustomerListQuery]) -> dict[str, Any]:
    user = api_user(request)
    queryset = params.to_filter().apply(_customers(user), user.company_id)
    return _page(queryset, params)


@router.post(
    "",
    response={201: CustomerDetail, **WRITE_ERRORS},
    operation_id="customers_create",
    summary="Create a customer",
    description=(
        "Creates a customer file and answers it whole. `code` and `name` are required. A rep "
        "who creates a customer owns it; others may name its rep. When province, city and "
        "county are empty they are read from the address (河南省南阳市新野县…)."
    ),
)
def create_customer(request: HttpRequest, payload: CustomerCreate) -> Status:
    user = api_user(request)
    if not user.can("customer.create"):
        raise PermissionDenied(_("You may not create customers."))
    data = payload.model_dump(exclude_unset=True)
    owner = user if user.is_rep else None
    fields, _sets_rep, rep = _read_customer(user, data, None, owner)
    with transaction.atomic():
        customer = services.create_customer(
            company=user.company, actor=user, source=API, fields=fields, rep=rep or owner
        )
    return Status(201, _customer_detail(user, customer.pk))


@router.get(
    "/{id}",
    response={200: CustomerDetail, **COMMON_ERRORS},
    operation_id="customers_get",
    summary="Get a customer file",
    description="The customer with its contacts, carried products and what its file lacks.",
)
def get_customer(request: HttpRequest, id: int) -> Customer:
    return _customer_detail(api_user(request), id)


@router.patch(
    "/{id}",
    response={200: CustomerDetail, **WRITE_ERRORS},
    operation_id="customers_update",
    summary="Change a customer",
    description=(
        "Changes only the fields sent (null clears a field). Sending `rep` reassigns the "
        "customer (boss, manager and clerk only) and keeps the assignment history. Every "
        "changed field is recorded in the audit trail."
    ),
)
def update_customer(request: HttpRequest, id: int, payload: CustomerUpdate) -> Customer:
    user = api_user(request)
    customer = _customer(user, id)
    data = payload.model_dump(exclude_unset=True)
    fields, sets_rep, rep = _read_customer(user, data, customer, customer.rep)
    with transaction.atomic():
        if fields:
            services.update_customer(customer, actor=user, source=API, fields=fields)
        if sets_rep:
            services.assign_rep(customer, rep, actor=user, source=API)
    return _customer_detail(user, customer.pk)


@router.delete(
    "/{id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="customers_delete",
    summary="Delete a customer",
    description=(
        "Boss, manager and clerk only (403 otherwise). Refused (422) while other customers "
        "are served through this one. The audit trail keeps what was deleted."
    ),
)
def delete_customer(request: HttpRequest, id: int) -> Status:
    user = api_user(request)
    customer = _customer(user, id)
    if not user.can("customer.delete"):
        raise PermissionDenied(_("You may not delete customers."))
    services.delete_customer(customer, actor=user, source=API)
    return Status(204, None)


@router.post(
    "/{id}/claim",
    response={200: CustomerDetail, **WRITE_ERRORS},
    operation_id="customers_claim",
    summary="Claim a customer from the pool",
    description=(
        "A rep or manager takes a customer that nobody owns (the public pool) and answers it "
        "whole. 404 when the customer is neither in the pool nor visible to the user; 422 when "
        "someone owns it by now or the user reached today's claim limit; 403 for other roles."
    ),
)
def claim_customer(request: HttpRequest, id: int) -> Customer:
    # Imported here: ownership builds on customers, not the other way round.
    from dealercrm.ownership import services as ownership

    user = api_user(request)
    # Found first, so a customer of another company or another rep answers 404 to every role.
    customer = (
        ownership.pool_customers(user.company_id).filter(pk=id).first()
        or _customers(user).filter(pk=id).first()
    )
    if customer is None:
        raise Http404
    if not user.can("pool.claim"):
        raise PermissionDenied(_("You may not claim customers from the pool."))
    ownership.claim(customer, user, source=API)
    return _customer_detail(user, customer.pk)


# ---------------------------------------------------------------------------- contacts


def _contact(user: User, customer: Customer, contact_id: int) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(user), customer_id=customer.pk, pk=contact_id
    )


def _save_contact(
    user: User, customer: Customer, data: dict[str, Any], contact: Contact | None = None
) -> Contact:
    try:
        saved = services.save_contact(
            customer, actor=user, source=API, fields=_contact_fields(data), contact=contact
        )
    except ValidationError as exc:
        raise FieldValidationError(field_errors(exc, CONTACT_ALIASES)) from exc
    return Contact.objects.get(pk=saved.pk)


@router.get(
    "/{id}/contacts",
    response={200: ContactPage, **COMMON_ERRORS},
    operation_id="contacts_list",
    summary="List a customer's contacts",
    tags=["contacts"],
)
def list_contacts(request: HttpRequest, id: int, params: Query[PageQuery]) -> dict[str, Any]:
    user = api_user(request)
    customer = _customer(user, id)
    return _page(Contact.objects.visible_to(user).filter(customer_id=customer.pk), params)


@router.post(
    "/{id}/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    operation_id="contacts_create",
    summary="Add a contact",
    description=(
        "Adds the owner (负责人, `role` owner: one per customer) or a contact, with the "
        "personal profile. `birthday` is text: 1975-08-15, 08-15 or 农历八月十五."
    ),
    tags=["contacts"],
)
def create_contact(request: HttpRequest, id: int, payload: ContactCreate) -> Status:
    user = api_user(request)
    customer = _customer(user, id)
    contact = _save_contact(user, customer, payload.model_dump(exclude_unset=True))
    return Status(201, contact)


@router.get(
    "/{id}/contacts/{contact_id}",
    response={200: ContactOut, **COMMON_ERRORS},
    operation_id="contacts_get",
    summary="Get a contact",
    tags=["contacts"],
)
def get_contact(request: HttpRequest, id: int, contact_id: int) -> Contact:
    user = api_user(request)
    return _contact(user, _customer(user, id), contact_id)


@router.patch(
    "/{id}/contacts/{contact_id}",
    response={200: ContactOut, **WRITE_ERRORS},
    operation_id="contacts_update",
    summary="Change a contact",
    description="Changes only the fields sent (null clears a field).",
    tags=["contacts"],
)
def update_contact(
    request: HttpRequest, id: int, contact_id: int, payload: ContactUpdate
) -> Contact:
    user = api_user(request)
    customer = _customer(user, id)
    contact = _contact(user, customer, contact_id)
    return _save_contact(user, customer, payload.model_dump(exclude_unset=True), contact)


@router.delete(
    "/{id}/contacts/{contact_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="contacts_delete",
    summary="Delete a contact",
    tags=["contacts"],
)
def delete_contact(request: HttpRequest, id: int, contact_id: int) -> Status:
    user = api_user(request)
    contact = _contact(user, _customer(user, id), contact_id)
    services.delete_contact(contact, actor=user, source=API)
    return Status(204, None)


# ---------------------------------------------------------------------------- carried products


CARRIED_TAGS = ["carried products"]


def _carried(user: User, customer: Customer, item_id: int) -> CarriedProduct:
    return get_object_or_404(
        CarriedProduct.objects.visible_to(user), customer_id=customer.pk, pk=item_id
    )


def _save_carried(
    user: User, customer: Customer, data: dict[str, Any], item: CarriedProduct | None = None
) -> CarriedProduct:
    fields = _plain_fields(CarriedProduct, data, services.CARRIED_FIELDS)
    saved = services.save_carried_product(
        customer, actor=user, source=API, fields=fields, item=item
    )
    return CarriedProduct.objects.get(pk=saved.pk)


@router.get(
    "/{id}/products",
    response={200: CarriedProductPage, **COMMON_ERRORS},
    operation_id="carried_products_list",
    summary="List the brands and products a customer carries",
    tags=CARRIED_TAGS,
)
def list_carried_products(
    request: HttpRequest, id: int, params: Query[PageQuery]
) -> dict[str, Any]:
    user = api_user(request)
    customer = _customer(user, id)
    queryset = CarriedProduct.objects.visible_to(user).filter(customer_id=customer.pk)
    return _page(queryset, params)


@router.post(
    "/{id}/products",
    response={201: CarriedProductOut, **WRITE_ERRORS},
    operation_id="carried_products_create",
    summary="Add a carried brand or product",
    description="Our own or a competitor's (`is_competitor`), with retail price and volume.",
    tags=CARRIED_TAGS,
)
def create_carried_product(request: HttpRequest, id: int, payload: CarriedProductCreate) -> Status:
    user = api_user(request)
    customer = _customer(user, id)
    return Status(201, _save_carried(user, customer, payload.model_dump(exclude_unset=True)))


@router.get(
    "/{id}/products/{item_id}",
    response={200: CarriedProductOut, **COMMON_ERRORS},
    operation_id="carried_products_get",
    summary="Get a carried brand or product",
    tags=CARRIED_TAGS,
)
def get_carried_product(request: HttpRequest, id: int, item_id: int) -> CarriedProduct:
    user = api_user(request)
    return _carried(user, _customer(user, id), item_id)


@router.patch(
    "/{id}/products/{item_id}",
    response={200: CarriedProductOut, **WRITE_ERRORS},
    operation_id="carried_products_update",
    summary="Change a carried brand or product",
    description="Changes only the fields sent (null clears a field).",
    tags=CARRIED_TAGS,
)
def update_carried_product(
    request: HttpRequest, id: int, item_id: int, payload: CarriedProductUpdate
) -> CarriedProduct:
    user = api_user(request)
    customer = _customer(user, id)
    item = _carried(user, customer, item_id)
    return _save_carried(user, customer, payload.model_dump(exclude_unset=True), item)


@router.delete(
    "/{id}/products/{item_id}",
    response={204: None, **WRITE_ERRORS},
    operation_id="carried_products_delete",
    summary="Remove a carried brand or product",
    tags=CARRIED_TAGS,
)
def delete_carried_product(request: HttpRequest, id: int, item_id: int) -> Status:
    user = api_user(request)
    item = _carried(user, _customer(user, id), item_id)
    services.delete_carried_product(item, actor=user, source=API)
    return Status(204, None)
