"""How complete a customer file is: a score out of 100, weighted by the article's five sections.

Section 5 (the owner's personal side) weighs most, as the article says it matters most. Within a
section each item counts the same. Fax is shown but not scored: few customers still have one.
The personal items are those of the owner (负责人), or of the primary contact when no owner is
recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dealercrm.customers.choices import ContactRole
from dealercrm.customers.models import CarriedProduct, Contact, Customer

SECTION_WEIGHTS = {1: 15, 2: 10, 3: 25, 4: 15, 5: 35}
SECTION_NAMES = {
    1: _("Region"),
    2: _("Market"),
    3: _("Customer"),
    4: _("People, money, things"),
    5: _("Personal"),
}


@dataclass
class FileFacts:
    customer: Customer
    owner: Contact | None
    contact: Contact | None
    carried: Sequence[CarriedProduct]

    @property
    def person(self) -> Contact | None:
        return self.owner or self.contact


Check = Callable[[FileFacts], bool]


def _has(attribute: str) -> Check:
    return lambda facts: getattr(facts.customer, attribute) not in (None, "")


def _person_has(attribute: str) -> Check:
    return lambda facts: facts.person is not None and bool(getattr(facts.person, attribute))


ITEMS: list[tuple[int, Promise, Check]] = [
    (1, _("sales region"), _has("sales_region_id")),
    (1, _("province"), _has("province_id")),
    (1, _("city"), lambda f: f.customer.city_id is not None or _is_municipality(f.customer)),
    (1, _("county"), _has("county_id")),
    (1, _("address"), _has("address")),
    (
        1,
        _("map position"),
        lambda f: f.customer.latitude is not None and f.customer.longitude is not None,
    ),
    (2, _("market scale"), _has("market_scale")),
    (
        2,
        _("varieties, specs and prices sold"),
        lambda f: any(p.product and p.price is not None for p in f.carried),
    ),
    (3, _("phone"), _has("phone")),
    (3, _("owner"), lambda f: f.owner is not None),
    (
        3,
        _("owner's mobile"),
        lambda f: f.owner is not None and bool(f.owner.mobile or f.owner.phone),
    ),
    (3, _("contact"), lambda f: f.contact is not None),
    (
        3,
        _("contact's mobile"),
        lambda f: f.contact is not None and bool(f.contact.mobile or f.contact.phone),
    ),
    (3, _("main brands carried"), lambda f: bool(f.carried)),
    (3, _("sales volume"), lambda f: any(p.monthly_volume is not None for p in f.carried)),
    (
        3,
        _("advertising present"),
        lambda f: f.customer.indoor_ads is not None and f.customer.outdoor_ads is not None,
    ),
    (4, _("staff"), _has("staff_count")),
    (4, _("vehicles"), _has("vehicle_count")),
    (4, _("business area"), _has("business_area")),
    (4, _("warehouse area"), _has("warehouse_area")),
    (4, _("capital"), _has("capital")),
    (5, _("birthday"), _person_has("birthday_month")),
    (5, _("hobbies"), _person_has("hobbies")),
    (5, _("habits"), _person_has("habits")),
    (5, _("personality"), _person_has("personality")),
    (5, _("family"), _person_has("family")),
    (5, _("origin"), _person_has("origin")),
    (5, _("education"), _person_has("education")),
    (5, _("background"), _person_has("background")),
]
_ITEMS_PER_SECTION = {s: sum(1 for item in ITEMS if item[0] == s) for s in SECTION_WEIGHTS}


def _is_municipality(customer: Customer) -> bool:
    county = customer.county
    return county is not None and county.parent_id == customer.province_id


@dataclass
class Completeness:
    score: int
    section_scores: dict[int, int] = field(default_factory=dict)
    missing: list[tuple[int, Promise]] = field(default_factory=list)

    def missing_by_section(self) -> list[tuple[Promise, list[Promise]]]:
        grouped: dict[int, list[Promise]] = {}
        for section, label in self.missing:
            grouped.setdefault(section, []).append(label)
        return [(SECTION_NAMES[s], labels) for s, labels in sorted(grouped.items())]


def assess(
    customer: Customer, contacts: Sequence[Contact], carried: Sequence[CarriedProduct]
) -> Completeness:
    """Score a file from its rows (passed in, so a bulk import needs no query per customer)."""
    owner = next((c for c in contacts if c.role == ContactRole.OWNER), None)
    contact = next((c for c in contacts if c.is_primary), None) or next(
        (c for c in contacts if c.role == ContactRole.CONTACT), None
    )
    facts = FileFacts(customer, owner, contact, carried)
    done = dict.fromkeys(SECTION_WEIGHTS, 0)
    missing = []
    for section, label, check in ITEMS:
        if check(facts):
            done[section] += 1
        else:
            missing.append((section, label))
    section_scores = {s: round(100 * done[s] / _ITEMS_PER_SECTION[s]) for s in SECTION_WEIGHTS}
    weighted = sum(SECTION_WEIGHTS[s] * done[s] / _ITEMS_PER_SECTION[s] for s in SECTION_WEIGHTS)
    return Completeness(round(weighted), section_scores, missing)
