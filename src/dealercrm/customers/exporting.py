"""Exporting customer files: the import's columns, in its order, plus the class (客户等级).

The file imports back unchanged: phones in national format, birthdays as `Birthday.format()`,
yes/no as 是/否, brands joined with 、, kinds and channels by their Chinese names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from dealercrm.accounts.models import User
from dealercrm.core.yesno import format_yes_no
from dealercrm.customers.choices import ContactRole, CustomerKind
from dealercrm.customers.filters import CustomerFilter
from dealercrm.customers.importing import CHANNEL_NAMES, COLUMNS, KIND_NAMES, find_person
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.imports.cells import show_phone
from dealercrm.imports.exporting import CHUNK_SIZE, Exporter
from dealercrm.regions.models import SalesRegion
from dealercrm.regions.services import division_index


def filters_from_query(user: Any, params: QueryDict) -> CustomerFilter:
    """The customer list's filter from its query parameters (the list page's own form)."""
    from dealercrm.customers.forms import CustomerFilterForm

    return CustomerFilterForm(params, user=user).to_filter()


@dataclass
class Lookups:
    """Names of what customers point at, read once per export instead of joined per row."""

    divisions: dict[str, str]
    usernames: dict[int, str]
    regions: dict[int, str]
    codes: dict[int, str]

    @classmethod
    def load(cls, company_id: int) -> Lookups:
        return cls(
            divisions={code: d.name for code, d in division_index().by_code.items()},
            usernames=dict(
                User.objects.filter(company_id=company_id).values_list("pk", "username")
            ),
            regions=dict(
                SalesRegion.objects.filter(company_id=company_id).values_list("pk", "name")
            ),
            codes=dict(
                Customer.objects.filter(company_id=company_id, kind=CustomerKind.DISTRIBUTOR)
                .order_by()
                .values_list("pk", "code")
            ),
        )


def _person_values(prefix: str, person: Contact | None) -> dict[str, Any]:
    if person is None:
        return {}
    return {
        prefix: person.name,
        f"{prefix}_phone": show_phone(person.phone),
        f"{prefix}_mobile": show_phone(person.mobile),
    }


def customer_values(customer: Customer, lookups: Lookups) -> dict[str, Any]:
    """The cells of one customer by column key (contacts and brands prefetched by the exporter)."""
    contacts = customer.export_contacts
    owner = find_person(contacts, ContactRole.OWNER)
    brands = dict.fromkeys(item.brand for item in customer.export_carried)
    values: dict[str, Any] = {
        "code": customer.code,
        "name": customer.name,
        "kind": KIND_NAMES[customer.kind][0],
        "channel": CHANNEL_NAMES[customer.channel][0] if customer.channel else "",
        "parent_code": _parent_code(customer, lookups),
        "sales_region": lookups.regions.get(customer.sales_region_id, ""),
        "province": lookups.divisions.get(customer.province_id, ""),
        "city": lookups.divisions.get(customer.city_id, ""),
        "county": lookups.divisions.get(customer.county_id, ""),
        "address": customer.address,
        "phone": show_phone(customer.phone),
        "fax": show_phone(customer.fax),
        "brands": "、".join(brands),
        "indoor_ads": format_yes_no(customer.indoor_ads),
        "outdoor_ads": format_yes_no(customer.outdoor_ads),
        "staff_count": customer.staff_count,
        "vehicle_count": customer.vehicle_count,
        "business_area": customer.business_area,
        "warehouse_area": customer.warehouse_area,
        "capital": customer.capital,
        "rep": lookups.usernames.get(customer.rep_id, ""),
        "latitude": customer.latitude,
        "longitude": customer.longitude,
        "abc_class": customer.abc_class,
    }
    values.update(_person_values("owner", owner))
    values.update(_person_values("contact", find_person(contacts, ContactRole.CONTACT)))
    if owner is not None:
        values["owner_birthday"] = owner.birthday_text
        for key in ("hobbies", "habits", "personality", "family", "origin", "education"):
            values[key] = getattr(owner, key)
    return values


def _parent_code(customer: Customer, lookups: Lookups) -> str:
    if not customer.parent_id:
        return ""
    # A parent is a sub-distributor; one that is not any more is still named.
    code = lookups.codes.get(customer.parent_id)
    return code if code is not None else customer.parent.code


class CustomerExporter(Exporter):
    """Customers of a company (or those a user may see), optionally through a CustomerFilter."""

    kind = "customers"

    def headers(self) -> Sequence[str]:
        return [column.header for column in COLUMNS.exported]

    def queryset(self) -> QuerySet[Customer]:
        if self.user is not None:
            customers = Customer.objects.visible_to(self.user)
        else:
            customers = Customer.objects.for_company(self.company)
        if self.filters is not None:
            return self.filters.apply(customers, self.company.pk)
        return customers.order_by("code")

    def stream(self) -> Iterator[Customer]:
        self.lookups = Lookups.load(self.company.pk)
        return (
            self.queryset()
            .prefetch_related(
                Prefetch(
                    "contacts", queryset=Contact.objects.order_by("id"), to_attr="export_contacts"
                ),
                Prefetch(
                    "carried_products",
                    queryset=CarriedProduct.objects.only("id", "customer_id", "brand").order_by(
                        "id"
                    ),
                    to_attr="export_carried",
                ),
            )
            .iterator(chunk_size=CHUNK_SIZE)
        )

    def row(self, customer: Customer) -> list[Any]:
        values = customer_values(customer, self.lookups)
        return [values.get(column.key, "") for column in COLUMNS.exported]
