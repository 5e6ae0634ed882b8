"""Every change to a customer file goes through these functions.

Pages, the API, imports and commands call them; each one runs in a transaction, checks the rules
that involve other rows (unique code, parent, rep), keeps the derived fields (completeness and the
search text) current, and writes the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.core.audit import audit_entry, diff, record_create, record_delete, snapshot
from dealercrm.core.models import AuditAction, AuditEntry
from dealercrm.core.phones import normalize_phone, phone_digits
from dealercrm.core.pinyin import pinyin_keys
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.completeness import assess
from dealercrm.customers.models import Assignment, CarriedProduct, Contact, Customer

# Fields a person edits on the customer itself (the rest are derived or bookkeeping).
CUSTOMER_FIELDS = [
    "code",
    "name",
    "kind",
    "channel",
    "parent",
    "sales_region",
    "province",
    "city",
    "county",
    "address",
    "latitude",
    "longitude",
    "market_scale",
    "market_notes",
    "phone",
    "fax",
    "indoor_ads",
    "outdoor_ads",
    "staff_count",
    "vehicle_count",
    "business_area",
    "warehouse_area",
    "capital",
    "notes",
]
CONTACT_FIELDS = [
    "role",
    "is_primary",
    "name",
    "title",
    "phone",
    "mobile",
    "wechat",
    "birthday_calendar",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "birthday_leap",
    "hobbies",
    "habits",
    "personality",
    "family",
    "origin",
    "education",
    "background",
    "notes",
]
CARRIED_FIELDS = ["brand", "product", "price", "monthly_volume", "is_competitor"]
PHONE_FIELDS = {"phone", "fax", "mobile"}


def _normalize_phones(instance: Customer | Contact, fields: dict[str, Any]) -> None:
    """Store every phone of the given fields as E.164, whichever way it was typed."""
    errors = {}
    for name in PHONE_FIELDS & fields.keys():
        try:
            setattr(instance, name, normalize_phone(fields[name]))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------- derived fields


def build_search_text(customer: Customer, contacts: Iterable[Contact]) -> str:
    """The text the search box matches: name, code, address, phones, pinyin, contacts."""
    full, initials = pinyin_keys(customer.name)
    parts = [customer.name, customer.code, customer.address, full, initials]
    parts += [phone_digits(customer.phone), phone_digits(customer.fax)]
    for contact in contacts:
        parts += [contact.name, phone_digits(contact.phone), phone_digits(contact.mobile)]
    return " ".join(part for part in parts if part).lower()


def derived_fields(
    customer: Customer, contacts: Sequence[Contact], carried: Sequence[CarriedProduct]
) -> dict[str, Any]:
    return {
        "completeness": assess(customer, contacts, carried).score,
        "search_text": build_search_text(customer, contacts),
    }


def refresh_file(customer: Customer) -> None:
    """Recompute completeness and search text of one customer from its stored rows."""
    contacts = list(Contact.objects.filter(customer=customer))
    carried = list(CarriedProduct.objects.filter(customer=customer))
    values = derived_fields(customer, contacts, carried)
    for name, value in values.items():
        setattr(customer, name, value)
    Customer.objects.filter(pk=customer.pk).update(**values)


# ---------------------------------------------------------------------------- rules


def check_customer_rules(customer: Customer) -> None:
    """Rules that need other rows: code unique in the company, a valid parent and rep."""
    errors: dict[str, str] = {}
    duplicate = Customer.objects.filter(company_id=customer.company_id, code=customer.code)
    if customer.pk:
        duplicate = duplicate.exclude(pk=customer.pk)
    if duplicate.exists():
        errors["code"] = _("Customer code “%(code)s” is already used.") % {"code": customer.code}
    parent = customer.parent
    if parent is not None:
        if parent.company_id != customer.company_id:
            errors["parent"] = _("The parent customer does not exist.")
        elif customer.pk and parent.pk == customer.pk:
            errors["parent"] = _("A customer cannot be its own parent.")
        elif parent.kind != CustomerKind.DISTRIBUTOR:
            errors["parent"] = _("The parent must be a sub-distributor.")
    if customer.sales_region_id and customer.sales_region.company_id != customer.company_id:
        errors["sales_region"] = _("The sales region does not exist.")
    if errors:
        raise ValidationError(errors)


def check_rep(company_id: int, rep: User | None) -> None:
    if rep is None:
        return
    if rep.company_id != company_id or not rep.is_active:
        raise ValidationError(
            {"rep": _("No active user “%(name)s” in this company.") % {"name": rep}}
        )
    if rep.role not in (Role.REP, Role.MANAGER):
        raise ValidationError(
            {"rep": _("“%(name)s” is not a sales rep or manager.") % {"name": rep}}
        )


# ---------------------------------------------------------------------------- customers


@transaction.atomic
def create_customer(
    *,
    company: Company,
    actor: User | None,
    source: str,
    fields: dict[str, Any],
    rep: User | None = None,
) -> Customer:
    """Create a customer. A rep who creates one owns it."""
    if actor is not None and actor.is_rep:
        rep = actor
    customer = Customer(company=company)
    for name, value in fields.items():
        setattr(customer, name, value)
    _normalize_phones(customer, fields)
    customer.full_clean(exclude=["company", "rep", "search_text"], validate_unique=False)
    check_customer_rules(customer)
    check_rep(company.pk, rep)
    customer.search_text = build_search_text(customer, [])
    customer.completeness = assess(customer, [], []).score
    customer.save()
    record_create(actor, source, customer, customer.pk).save()
    if rep is not None:
        assign_rep(customer, rep, actor=actor, source=source, reason=_("created"))
    return customer


@transaction.atomic
def update_customer(
    customer: Customer, *, actor: User | None, source: str, fields: dict[str, Any]
) -> Customer:
    """Change fields of a customer; records each changed field in the audit trail."""
    stored = Customer.objects.select_for_update().get(pk=customer.pk)
    before = snapshot(stored)
    for name, value in fields.items():
        if name not in CUSTOMER_FIELDS:
            raise ValueError(f"not an editable customer field: {name}")
        setattr(customer, name, value)
    _normalize_phones(customer, fields)
    customer.full_clean(exclude=["company", "rep", "search_text"], validate_unique=False)
    check_customer_rules(customer)
    customer.save()
    changes = diff(before, snapshot(customer))
    if changes:
        audit_entry(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            instance=customer,
            file_id=customer.pk,
            changes=changes,
        ).save()
    refresh_file(customer)
    return customer


@transaction.atomic
def delete_customer(customer: Customer, *, actor: User | None, source: str) -> None:
    """Delete a customer file; refused while other customers are served through it."""
    if actor is not None and not actor.can("customer.delete"):
        raise PermissionDenied(_("You may not delete customers."))
    if customer.served_customers.exists():
        raise ValidationError(
            _("%(name)s still serves other customers; give them another parent first.")
            % {"name": customer.name}
        )
    before = snapshot(customer)
    file_id = customer.pk
    record_delete(actor, source, customer, file_id, before).save()
    customer.delete()


# ---------------------------------------------------------------------------- ownership


@transaction.atomic
def assign_rep(
    customer: Customer,
    rep: User | None,
    *,
    actor: User | None,
    source: str,
    reason: str = "",
    end_reason: str | None = None,
) -> None:
    """Make rep the owner of customer (None: nobody), closing the current assignment.

    The closed assignment keeps who ended it and why (`end_reason`, by default the reason).
    Many customers at once: ownership.services.assign_customers.
    """
    check_rep(customer.company_id, rep)
    if customer.rep_id == (rep.pk if rep else None):
        return
    now = timezone.now()
    before = snapshot(customer)
    if end_reason is None:
        end_reason = reason or (_("reassigned") if rep is not None else _("put in the pool"))
    Assignment.objects.filter(customer=customer, ended_at__isnull=True).update(
        ended_at=now,
        ended_by=actor if actor is not None and actor.pk else None,
        end_reason=end_reason[:200],
    )
    if rep is not None:
        Assignment.objects.create(
            company_id=customer.company_id,
            customer=customer,
            rep=rep,
            started_at=now,
            assigned_by=actor if actor and actor.pk else None,
            reason=reason[:200],
        )
    customer.rep = rep
    Customer.objects.filter(pk=customer.pk).update(rep=rep)
    audit_entry(
        actor=actor,
        source=source,
        action=AuditAction.UPDATE,
        instance=customer,
        file_id=customer.pk,
        changes=diff(before, snapshot(customer)),
    ).save()


# ---------------------------------------------------------------------------- contacts


def _check_contact(contact: Contact) -> None:
    contact.full_clean(exclude=["company", "customer"], validate_constraints=False)
    others = Contact.objects.filter(customer_id=contact.customer_id).exclude(pk=contact.pk)
    if contact.role == ContactRole.OWNER and others.filter(role=ContactRole.OWNER).exists():
        raise ValidationError({"role": _("This customer already has an owner.")})


def _save_part(
    customer: Customer,
    part: Contact | CarriedProduct,
    *,
    allowed: list[str],
    fields: dict[str, Any],
    actor: User | None,
    source: str,
    check: Any,
) -> None:
    """Create or change a row of a customer's file (a contact, a carried product) with its audit.

    `check(part)` validates the row before it is saved (raising ValidationError).
    """
    creating = part.pk is None
    if not creating and part.customer_id != customer.pk:
        raise PermissionDenied
    before = {} if creating else snapshot(type(part).objects.get(pk=part.pk))
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"not an editable {part._meta.model_name} field: {name}")
        setattr(part, name, value)
    _normalize_phones(part, fields)
    check(part)
    part.save()
    if creating:
        record_create(actor, source, part, customer.pk).save()
    elif changes := diff(before, snapshot(part)):
        audit_entry(
            actor=actor,
            source=source,
            action=AuditAction.UPDATE,
            instance=part,
            file_id=customer.pk,
            changes=changes,
        ).save()
    refresh_file(customer)


def _delete_part(part: Contact | CarriedProduct, *, actor: User | None, source: str) -> None:
    customer = part.customer
    record_delete(actor, source, part, customer.pk, snapshot(part)).save()
    part.delete()
    refresh_file(customer)


@transaction.atomic
def save_contact(
    customer: Customer,
    *,
    actor: User | None,
    source: str,
    fields: dict[str, Any],
    contact: Contact | None = None,
) -> Contact:
    """Create (contact=None) or change a contact of customer."""
    contact = contact or Contact(company_id=customer.company_id, customer=customer)

    def check(part: Contact) -> None:
        _check_contact(part)
        if part.is_primary:
            # The new primary contact takes the flag from the old one.
            Contact.objects.filter(customer=customer, is_primary=True).exclude(pk=part.pk).update(
                is_primary=False
            )

    _save_part(
        customer,
        contact,
        allowed=CONTACT_FIELDS,
        fields=fields,
        actor=actor,
        source=source,
        check=check,
    )
    return contact


@transaction.atomic
def delete_contact(contact: Contact, *, actor: User | None, source: str) -> None:
    _delete_part(contact, actor=actor, source=source)


# ---------------------------------------------------------------------------- carried products


@transaction.atomic
def save_carried_product(
    customer: Customer,
    *,
    actor: User | None,
    source: str,
    fields: dict[str, Any],
    item: CarriedProduct | None = None,
) -> CarriedProduct:
    """Create (item=None) or change one brand / product row the customer carries."""
    item = item or CarriedProduct(company_id=customer.company_id, customer=customer)
    _save_part(
        customer,
        item,
        allowed=CARRIED_FIELDS,
        fields=fields,
        actor=actor,
        source=source,
        check=lambda part: part.full_clean(exclude=["company", "customer"]),
    )
    return item


@transaction.atomic
def delete_carried_product(item: CarriedProduct, *, actor: User | None, source: str) -> None:
    _delete_part(item, actor=actor, source=source)


def audit_trail(customer_id: int, company_id: int) -> list[AuditEntry]:
    """The trail of one customer file, newest first."""
    return list(
        AuditEntry.objects.filter(company_id=company_id, file_id=customer_id)
        .select_related("actor")
        .order_by("-at", "-id")
    )
