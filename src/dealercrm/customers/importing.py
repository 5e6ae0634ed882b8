"""Importing customer files from a spreadsheet: the columns, the checks and the bulk writes.

Pass 1 (`check`) reads every row, validates each cell and the rules between rows (codes unique in
the file, parents that exist and are sub-distributors, reps of the company) and keeps only codes
and references. Pass 2 (`apply`) re-reads the file in batches of 1,000: one query each for the
batch's stored customers, their contacts and carried products; it compares and, when writing,
creates and updates with bulk queries, keeps completeness and search text current and writes the
audit trail. A row whose values equal the stored ones is left alone (no write, no audit entry).
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import router
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.core.audit import IGNORED_FIELDS, created_changes, diff, snapshot
from dealercrm.core.models import AuditAction, AuditEntry
from dealercrm.core.phones import normalize_phone
from dealercrm.customers.choices import Channel, ContactRole, CustomerKind
from dealercrm.customers.models import Assignment, CarriedProduct, Contact, Customer
from dealercrm.customers.services import derived_fields
from dealercrm.imports import cells
from dealercrm.imports.bulk import Inserter, new
from dealercrm.imports.engine import (
    Column,
    ColumnSpec,
    ErrorList,
    Importer,
    ParsedRow,
    Progress,
    Reader,
    Summary,
)
from dealercrm.regions.models import Division, SalesRegion
from dealercrm.regions.services import division_index, resolve_divisions

BATCH_SIZE = 1000
# An audit entry as written: a row of these AuditEntry columns (see _entry).
AUDIT_COLUMNS = (
    "company_id",
    "at",
    "actor_id",
    "actor_name",
    "source",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "file_id",
    "changes",
)
CHANGES = AUDIT_COLUMNS.index("changes")
AuditRow = list[Any]

# The words a dealer writes in the 客户类型 and 渠道 cells; the first of each is what the export
# writes. English codes are accepted too.
KIND_NAMES = {
    CustomerKind.DISTRIBUTOR: ("分销商", "二批商", "二批", "批发商"),
    CustomerKind.TERMINAL: ("终端", "终端店", "门店"),
    CustomerKind.CONSUMER: ("消费者", "个人"),
}
CHANNEL_NAMES = {
    Channel.KA: ("商超/KA", "商超", "KA", "超市", "卖场"),
    Channel.CONVENIENCE: ("便利店",),
    Channel.GROCERY: ("食杂店", "小卖部"),
    Channel.RESTAURANT: ("餐饮", "饭店", "餐馆"),
    Channel.HOTEL: ("酒店", "宾馆"),
    Channel.WHOLESALE: ("批发档口", "批发", "档口"),
    Channel.OTHER: ("其他", "其它"),
}
# "A、B" — brands are separated by 、 , ; / and their full-width forms.
BRAND_SEPARATORS = re.compile(r"[、,;/，；／]")


def _labels(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    labels = {name: code for code, words in names.items() for name in words}
    labels.update({code: code for code in names})
    return labels


def _first(names: dict[str, tuple[str, ...]]) -> list[str]:
    return [words[0] for words in names.values()]


def _field(model: type, name: str) -> Any:
    return model._meta.get_field(name)


def parse_brands(value: Any) -> tuple[str, ...]:
    """'A、B, c' → ('A', 'B', 'c'), each brand once (case-insensitive), in the file's order."""
    limit = _field(CarriedProduct, "brand").max_length
    brands: dict[str, str] = {}
    for part in BRAND_SEPARATORS.split(cells.cell_text(value)):
        brand = part.strip()
        if not brand:
            continue
        if len(brand) > limit:
            raise ValidationError(
                _("Brand “%(brand)s” is longer than %(limit)s characters."),
                params={"brand": brand, "limit": limit},
            )
        brands.setdefault(brand.casefold(), brand)
    return tuple(brands.values())


_division_text = cells.text(_field(Division, "name"))

COLUMNS = ColumnSpec(
    [
        Column("code", "客户编码", cells.text(_field(Customer, "code")), required=True),
        Column("name", "客户名称", cells.text(_field(Customer, "name")), required=True),
        Column("kind", "客户类型", cells.choice(_labels(KIND_NAMES), _first(KIND_NAMES))),
        Column("channel", "渠道", cells.choice(_labels(CHANNEL_NAMES), _first(CHANNEL_NAMES))),
        Column("parent_code", "上级客户编码", cells.text(_field(Customer, "code"))),
        Column("sales_region", "销售区域", cells.text(_field(SalesRegion, "name"))),
        Column("province", "省", _division_text),
        Column("city", "市", _division_text),
        Column("county", "区县", _division_text),
        Column("address", "详细地址", cells.text(_field(Customer, "address"))),
        Column("phone", "电话", cells.phone),
        Column("fax", "传真", cells.phone),
        Column("owner", "负责人", cells.text(_field(Contact, "name"))),
        Column("owner_phone", "负责人电话", cells.phone),
        Column("owner_mobile", "负责人手机", cells.phone),
        Column("contact", "联系人", cells.text(_field(Contact, "name"))),
        Column("contact_phone", "联系人电话", cells.phone),
        Column("contact_mobile", "联系人手机", cells.phone),
        Column("brands", "经营品牌", parse_brands, blank=()),
        Column("indoor_ads", "店内广告", cells.yes_no, blank=None),
        Column("outdoor_ads", "户外广告", cells.yes_no, blank=None),
        Column(
            "staff_count", "员工人数", cells.integer(_field(Customer, "staff_count")), blank=None
        ),
        Column(
            "vehicle_count", "车辆数", cells.integer(_field(Customer, "vehicle_count")), blank=None
        ),
        Column(
            "business_area",
            "经营面积",
            cells.decimal(_field(Customer, "business_area"), area=True),
            blank=None,
        ),
        Column(
            "warehouse_area",
            "仓库面积",
            cells.decimal(_field(Customer, "warehouse_area"), area=True),
            blank=None,
        ),
        Column(
            "capital",
            "资金实力",
            cells.decimal(_field(Customer, "capital"), units=True),
            blank=None,
        ),
        Column("owner_birthday", "负责人生日", cells.birthday, blank=None),
        Column("hobbies", "爱好", cells.text(_field(Contact, "hobbies"))),
        Column("habits", "嗜好", cells.text(_field(Contact, "habits"))),
        Column("personality", "性格", cells.text(_field(Contact, "personality"))),
        Column("family", "家庭情况", cells.text(_field(Contact, "family"))),
        Column("origin", "出身背景", cells.text(_field(Contact, "origin"))),
        Column("education", "文化程度", cells.text(_field(Contact, "education"))),
        Column("rep", "负责业务员", cells.text(_field(User, "username"))),
        Column("latitude", "纬度", cells.coordinate(_field(Customer, "latitude"), 90), blank=None),
        Column(
            "longitude", "经度", cells.coordinate(_field(Customer, "longitude"), 180), blank=None
        ),
        # Classes are computed from sales: the export writes them, the import skips them.
        Column("abc_class", "客户等级", ignored=True),
        # The owner's 背景 (the contract's 出身背景 column is 出身): accepted, not exported.
        Column("background", "背景", cells.text(_field(Contact, "background")), exported=False),
    ]
)

# Customer columns stored as they are parsed.
CUSTOMER_VALUES = [
    "name",
    "channel",
    "address",
    "phone",
    "fax",
    "indoor_ads",
    "outdoor_ads",
    "staff_count",
    "vehicle_count",
    "business_area",
    "warehouse_area",
    "capital",
    "latitude",
    "longitude",
]
# Column → Contact field, for the owner (负责人…, §5 personal) and the primary contact (联系人…).
OWNER_FIELDS = {
    "owner": "name",
    "owner_phone": "phone",
    "owner_mobile": "mobile",
    "owner_birthday": "birthday",
    "hobbies": "hobbies",
    "habits": "habits",
    "personality": "personality",
    "family": "family",
    "origin": "origin",
    "education": "education",
    "background": "background",
}
CONTACT_FIELDS = {"contact": "name", "contact_phone": "phone", "contact_mobile": "mobile"}
DIVISION_KEYS = ("province", "city", "county")


class Known(NamedTuple):
    """A customer code of the company (or created by this import): what references need."""

    id: int | None
    name: str
    kind: str
    parent_id: int | None = None


def _header(key: str) -> str:
    return COLUMNS.by_key[key].header


def batched(rows: Iterable[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    batch: list[ParsedRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class PersonPlan:
    contact: Contact
    created: bool
    changes: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RowPlan:
    """What one row does to one customer file."""

    customer: Customer
    created: bool
    changes: dict[str, list[str]] = field(default_factory=dict)
    rep_changed: bool = False
    people: list[PersonPlan] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    carried: list[CarriedProduct] = field(default_factory=list)
    carried_new: list[CarriedProduct] = field(default_factory=list)
    carried_removed: list[CarriedProduct] = field(default_factory=list)
    # A parent created later in this file: linked after every row is written.
    pending_parent: str = ""
    parent_before: str = ""

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.changes
            or self.pending_parent
            or any(person.created or person.changes for person in self.people)
            or self.carried_new
            or self.carried_removed
        )


class CustomerImporter(Importer):
    """Customers of one company from the 客户 columns of DESIGN.md."""

    kind = "customers"
    spec = COLUMNS

    def __init__(self, *, company: Any, actor: Any, source: str) -> None:
        super().__init__(company=company, actor=actor, source=source)
        self.known: dict[str, Known] = {}
        self.users: dict[str, User] = {}
        self.regions: dict[str, SalesRegion] = {}
        self.new_regions: dict[str, int] = {}
        self.with_owner: set[int] = set()
        self.with_contact: set[int] = set()
        self.parents: dict[str, Customer] = {}
        # New parents that rows name before the parent's own row: written first.
        self.early_parents: set[str] = set()
        self.codes_by_id: dict[int | None, str] = {}
        self.users_by_id: dict[int, User] = {}
        self.regions_by_id: dict[int, SalesRegion] = {}
        # 省 / 市 / 区县 texts already found: a file names the same few places on many rows.
        self.places: dict[tuple[str, str, str], Any] = {}
        self.write = False

    # ------------------------------------------------------------------ pass 1: check

    def _load_references(self) -> None:
        """One query each: the company's codes, users, sales regions and who has an owner."""
        company_id = self.company.pk
        rows = Customer.objects.filter(company_id=company_id).order_by()
        self.known = {
            code: Known(pk, name, kind, parent_id)
            for pk, code, name, kind, parent_id in rows.values_list(
                "pk", "code", "name", "kind", "parent_id"
            )
        }
        self.codes_by_id = {known.id: code for code, known in self.known.items()}
        self.users = {user.username: user for user in User.objects.filter(company_id=company_id)}
        self.users_by_id = {user.pk: user for user in self.users.values()}
        self.regions = {r.name: r for r in SalesRegion.objects.filter(company_id=company_id)}
        people = Contact.objects.filter(company_id=company_id).order_by()
        self.with_owner = set(
            people.filter(role=ContactRole.OWNER).values_list("customer_id", flat=True)
        )
        self.with_contact = set(
            people.filter(role=ContactRole.CONTACT).values_list("customer_id", flat=True)
        )

    def check(self, rows: Iterable[ParsedRow], errors: ErrorList, progress: Progress) -> None:
        self._load_references()
        self.new_regions = {}
        self.early_parents = set()
        first_row: dict[str, int] = {}
        kinds: dict[str, str] = {}
        parents: dict[str, tuple[int, str]] = {}
        count = 0
        for row in rows:
            count += 1
            code = row.values.get("code", "")
            if code and code in first_row:
                errors.add(
                    row.number,
                    _header("code"),
                    code,
                    _("Customer code “%(code)s” is already on row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            elif code:
                first_row[code] = row.number
                kinds[code] = row.values.get("kind") or ""
            if row.has("parent_code") and code:
                parent_code = row.values["parent_code"]
                parents[code] = (row.number, parent_code)
                if parent_code and parent_code not in first_row and parent_code not in self.known:
                    self.early_parents.add(parent_code)
            self._check_rep(row, errors)
            self._check_region(row)
            self._check_divisions(row, errors)
            self._check_people(row, errors)
            self._check_position(row, errors)
            if count % BATCH_SIZE == 0:
                progress("check", count, 0)
        progress("check", count, count)
        self._check_parents(parents, first_row, kinds, errors)

    def _check_rep(self, row: ParsedRow, errors: ErrorList) -> None:
        username = row.values.get("rep")
        if not username:
            return
        user = self.users.get(username)
        if user is None or not user.is_active:
            message = _("No active user “%(name)s” in this company.") % {"name": username}
        elif user.role not in (Role.REP, Role.MANAGER):
            message = _("“%(name)s” is not a sales rep or manager.") % {"name": username}
        else:
            return
        errors.add(row.number, _header("rep"), username, message)

    def _check_region(self, row: ParsedRow) -> None:
        name = row.values.get("sales_region")
        if name and name not in self.regions:
            self.new_regions.setdefault(name, row.number)

    def _check_divisions(self, row: ParsedRow, errors: ErrorList) -> None:
        texts = {key: row.values.get(key) or "" for key in DIVISION_KEYS}
        if not any(texts.values()):
            return
        try:
            self._resolve_divisions(texts)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.add(row.number, _header(key), texts.get(key, ""), " ".join(messages))

    def _resolve_divisions(self, texts: dict[str, str]) -> Any:
        """regions.services.resolve_divisions, once for each combination of texts."""
        key = (texts["province"], texts["city"], texts["county"])
        match = self.places.get(key)
        if match is None:
            match = self.places[key] = resolve_divisions(**texts)
        return match

    def _check_people(self, row: ParsedRow, errors: ErrorList) -> None:
        """Details of an owner or contact need a name, unless that person is on file already."""
        stored = self.known.get(row.values.get("code", ""))
        for name_key, fields, on_file in (
            ("owner", OWNER_FIELDS, self.with_owner),
            ("contact", CONTACT_FIELDS, self.with_contact),
        ):
            if row.values.get(name_key):
                continue
            given = [key for key in fields if key != name_key and _filled(row.values.get(key))]
            if given and not (stored and stored.id in on_file):
                errors.add(
                    row.number,
                    _header(name_key),
                    "",
                    _("Give the name: this row has %(columns)s for this person.")
                    % {"columns": "、".join(_header(key) for key in given)},
                )

    def _check_position(self, row: ParsedRow, errors: ErrorList) -> None:
        if not (row.has("latitude") and row.has("longitude")):
            return
        blank = {key: cells.is_blank(row.cell(key)) for key in ("latitude", "longitude")}
        if blank["latitude"] != blank["longitude"]:
            missing = "latitude" if blank["latitude"] else "longitude"
            errors.add(
                row.number, _header(missing), "", _("Give both latitude and longitude, or neither.")
            )

    def _check_parents(
        self,
        parents: dict[str, tuple[int, str]],
        first_row: dict[str, int],
        kinds: dict[str, str],
        errors: ErrorList,
    ) -> None:
        """Parents exist (stored or in the file), are sub-distributors and form no loop."""
        column = _header("parent_code")
        for code, (number, parent_code) in parents.items():
            if not parent_code:
                continue
            if parent_code == code:
                errors.add(number, column, parent_code, _("A customer cannot be its own parent."))
                continue
            stored = self.known.get(parent_code)
            if parent_code not in first_row and stored is None:
                errors.add(
                    number,
                    column,
                    parent_code,
                    _("No customer with code “%(code)s” in this company or this file.")
                    % {"code": parent_code},
                )
                continue
            kind = kinds.get(parent_code) or (stored.kind if stored else CustomerKind.TERMINAL)
            if kind != CustomerKind.DISTRIBUTOR:
                errors.add(
                    number,
                    column,
                    parent_code,
                    _("Customer “%(code)s” is not a sub-distributor.") % {"code": parent_code},
                )
        self._check_loops(parents, errors)

    def _check_loops(self, parents: dict[str, tuple[int, str]], errors: ErrorList) -> None:
        parent_of: dict[str, str | None] = {
            code: self.codes_by_id.get(known.parent_id) for code, known in self.known.items()
        }
        parent_of.update({code: parent or None for code, (_row, parent) in parents.items()})
        safe: set[str] = set()
        for code, (number, parent_code) in parents.items():
            seen = {code}
            current = parent_of.get(code)
            while current and current not in safe and current != code:
                if current in seen:
                    break
                seen.add(current)
                current = parent_of.get(current)
            if current == code and parent_code != code:
                errors.add(
                    number,
                    _header("parent_code"),
                    parent_code,
                    _("The parent chain of “%(code)s” loops back to it.") % {"code": code},
                )
            elif current is None or current in safe:
                safe.update(seen)

    # ------------------------------------------------------------------ pass 2: apply

    def apply(self, read: Reader, *, write: bool, progress: Progress) -> Summary:
        self.write = write
        self.now = timezone.now()
        self.index = division_index()
        summary = Summary()
        if self.new_regions:
            self._add_regions(summary)
        self.regions_by_id = {region.pk: region for region in self.regions.values()}
        pending: list[tuple[RowPlan, AuditRow]] = []
        if write:
            self._start_writing()
        for batch in self._batches(read):
            plans = self._plan_batch(batch)
            self._count(plans, summary)
            if write:
                pending += self._write_batch(plans)
            progress("write" if write else "compare", summary.rows, 0)
        if pending:
            self._link_parents(pending)
        if write:
            Customer.objects.refresh_statistics()
        return summary

    def _start_writing(self) -> None:
        """The bulk writers, and who the audit trail names."""
        using = router.db_for_write(Customer)
        self.inserters = {
            model: Inserter(model, using=using)
            for model in (Customer, Contact, CarriedProduct, Assignment)
        }
        self.audit_inserter = Inserter(AuditEntry, AUDIT_COLUMNS, using=using)
        actor = self.actor
        has_actor = actor is not None and getattr(actor, "pk", None) is not None
        self.actor_id = actor.pk if has_actor else None
        self.actor_name = str(actor) if has_actor else ""

    def _batches(self, read: Reader) -> Iterator[list[ParsedRow]]:
        """The rows in batches; when writing, parents named before their own row come first.

        A parent met before its row would otherwise keep its children (and their audit
        entries) waiting in memory until the end; one more read of the file avoids that.
        """
        early = self.early_parents if self.write else set()
        if early:
            yield from batched((row for row in read() if row.values["code"] in early), BATCH_SIZE)
            rows: Iterable[ParsedRow] = (row for row in read() if row.values["code"] not in early)
        else:
            rows = read()
        yield from batched(rows, BATCH_SIZE)

    def _add_regions(self, summary: Summary) -> None:
        names = sorted(self.new_regions, key=self.new_regions.__getitem__)
        if self.write:
            created = SalesRegion.objects.bulk_create(
                [SalesRegion(company_id=self.company.pk, name=name) for name in names]
            )
            self.regions.update({region.name: region for region in created})
            note = _("New sales regions created (top level): %(names)s.")
        else:
            # A dry run compares with stand-ins that have made-up ids; nothing is saved.
            for position, name in enumerate(names, start=1):
                self.regions[name] = SalesRegion(
                    id=-position, company_id=self.company.pk, name=name
                )
            note = _("New sales regions will be created (top level): %(names)s.")
        summary.notes.append(note % {"names": "、".join(names)})

    def _count(self, plans: list[RowPlan], summary: Summary) -> None:
        for plan in plans:
            summary.rows += 1
            if plan.created:
                summary.new += 1
                if len(summary.sample) < Summary.SAMPLE_SIZE:
                    summary.sample.append(self._sample(plan.customer))
            elif plan.changed:
                summary.updated += 1
            else:
                summary.unchanged += 1

    def _sample(self, customer: Customer) -> dict[str, str]:
        return {
            "code": customer.code,
            "name": customer.name,
            "kind": KIND_NAMES[customer.kind][0],
            "address": customer.address,
            "rep": customer.rep.username if customer.rep_id else "",
        }

    def _plan_batch(self, batch: list[ParsedRow]) -> list[RowPlan]:
        """One query each for the batch's stored customers, contacts and carried products."""
        codes = [row.values["code"] for row in batch]
        company_id = self.company.pk
        stored = {
            customer.code: self._attach(customer)
            for customer in Customer.objects.filter(
                company_id=company_id, code__in=codes
            ).order_by()
        }
        ids = [customer.pk for customer in stored.values()]
        contacts: dict[int, list[Contact]] = defaultdict(list)
        for contact in Contact.objects.filter(company_id=company_id, customer_id__in=ids).order_by(
            "id"
        ):
            contacts[contact.customer_id].append(contact)
        carried: dict[int, list[CarriedProduct]] = defaultdict(list)
        for item in CarriedProduct.objects.filter(
            company_id=company_id, customer_id__in=ids
        ).order_by("id"):
            carried[item.customer_id].append(item)
        plans = []
        for row in batch:
            customer = stored.get(row.values["code"])
            key = customer.pk if customer else 0
            plans.append(self._plan(row, customer, contacts[key], carried[key]))
        return plans

    def _attach(self, customer: Customer) -> Customer:
        """Fill the related objects the audit trail shows from memory, not by a query each."""
        related = {
            "province": self.index.by_code.get(customer.province_id),
            "city": self.index.by_code.get(customer.city_id),
            "county": self.index.by_code.get(customer.county_id),
            "rep": self.users_by_id.get(customer.rep_id),
            "sales_region": self.regions_by_id.get(customer.sales_region_id),
            "parent": self._parent_by_id(customer.parent_id),
        }
        for name, value in related.items():
            if value is not None or getattr(customer, f"{name}_id") is None:
                CUSTOMER_FK[name].set_cached_value(customer, value)
        return customer

    def _parent_by_id(self, parent_id: int | None) -> Customer | None:
        code = self.codes_by_id.get(parent_id) if parent_id else None
        known = self.known.get(code) if code else None
        return self._parent_stand_in(code, known) if code and known else None

    def _plan(
        self,
        row: ParsedRow,
        stored: Customer | None,
        contacts: list[Contact],
        carried: list[CarriedProduct],
    ) -> RowPlan:
        if stored is None and not self.write:
            return self._preview(row)
        if stored is None:
            plan = RowPlan(new(Customer, company_id=self.company.pk, code=row.values["code"]), True)
            self._set_customer(row, plan, None)
            plan.rep_changed = plan.customer.rep_id is not None
        else:
            for item in (*contacts, *carried):
                item._meta.get_field("customer").set_cached_value(item, stored)
            before = _copy(stored)
            plan = RowPlan(stored, False, contacts=list(contacts), carried=list(carried))
            self._set_customer(row, plan, before.address)
            plan.changes = changes(before, stored)
            plan.rep_changed = "rep" in plan.changes
            if plan.pending_parent:
                plan.parent_before = str(before.parent) if before.parent_id else ""
        self._plan_person(row, plan, ContactRole.OWNER, OWNER_FIELDS, "owner")
        self._plan_person(row, plan, ContactRole.CONTACT, CONTACT_FIELDS, "contact")
        self._plan_carried(row, plan)
        if plan.changed and self.write:
            derived = derived_fields(plan.customer, plan.contacts, plan.carried + plan.carried_new)
            for name, value in derived.items():
                setattr(plan.customer, name, value)
        return plan

    def _preview(self, row: ParsedRow) -> RowPlan:
        """A new row in a dry run: counted, and shown among the first rows to be created."""
        customer = new(Customer, company_id=self.company.pk, code=row.values["code"])
        for key in ("name", "address"):
            setattr(customer, key, row.values.get(key) or "")
        customer.kind = row.values.get("kind") or customer.kind
        customer.rep = self.users.get(row.values.get("rep") or "")
        return RowPlan(customer, created=True)

    def _set_customer(self, row: ParsedRow, plan: RowPlan, old_address: str | None) -> None:
        customer, values = plan.customer, row.values
        for key in CUSTOMER_VALUES:
            if key in values:
                _set(customer, key, values[key])
        if values.get("kind"):
            customer.kind = values["kind"]
        if "sales_region" in values:
            name = values["sales_region"]
            customer.sales_region = self._region(name) if name else None
        if "rep" in values:
            customer.rep = self.users.get(values["rep"]) if values["rep"] else None
        if "parent_code" in values:
            plan.pending_parent = self._set_parent(customer, values["parent_code"])
        self._set_divisions(customer, values, old_address)

    def _region(self, name: str) -> SalesRegion:
        return self.regions[name]

    def _set_parent(self, customer: Customer, code: str) -> str:
        """Set the parent; return its code when it is created later in this file."""
        if not code:
            customer.parent = None
            return ""
        known = self.known.get(code)
        if known is None or known.id is None:
            return code
        if customer.parent_id != known.id:
            customer.parent = self._parent_stand_in(code, known)
        return ""

    def _parent_stand_in(self, code: str, known: Known) -> Customer:
        """An unsaved copy of a parent with what the audit trail shows of it (name and code)."""
        stand_in = self.parents.get(code)
        if stand_in is None:
            stand_in = Customer(
                id=known.id, company_id=self.company.pk, code=code, name=known.name, kind=known.kind
            )
            self.parents[code] = stand_in
        return stand_in

    def _set_divisions(
        self, customer: Customer, values: dict[str, Any], old_address: str | None
    ) -> None:
        """省 / 市 / 区县 by name or code; when all are empty, read them from a new address.

        Empty cells never clear stored divisions, and the address fills them only when it is new
        (a new customer or a changed address): importing the same file twice, or an exported
        file, changes nothing.
        """
        texts = {key: values.get(key) or "" for key in DIVISION_KEYS}
        address = values.get("address") or ""
        if any(texts.values()):
            match = self._resolve_divisions(texts)
        elif address and address != old_address:
            match = self.index.parse_address(address)
            if match.province is None:
                return
        else:
            return
        customer.province, customer.city, customer.county = (
            match.province,
            match.city,
            match.county,
        )

    def _plan_person(
        self,
        row: ParsedRow,
        plan: RowPlan,
        role: str,
        fields: dict[str, str],
        name_key: str,
    ) -> None:
        given = [key for key in fields if key in row.values]
        if not given:
            return
        person = find_person(plan.contacts, role)
        if person is None:
            if not row.values.get(name_key):
                return
            person = new(
                Contact,
                company_id=self.company.pk,
                customer=plan.customer,
                role=role,
                is_primary=role == ContactRole.CONTACT,
            )
            self._set_person(person, row, given, fields)
            plan.people.append(PersonPlan(person, created=True))
            if person.is_primary:
                self._demote_primary(plan)
            plan.contacts.append(person)
            return
        if name_key in given and not row.values[name_key]:
            # A blank name keeps the person on file: an import never deletes people.
            given = [key for key in given if key != name_key]
        before = _copy(person)
        self._set_person(person, row, given, fields)
        changed = changes(before, person)
        if changed:
            plan.people.append(PersonPlan(person, created=False, changes=changed))

    @staticmethod
    def _set_person(
        person: Contact, row: ParsedRow, given: list[str], fields: dict[str, str]
    ) -> None:
        for key in given:
            _set(person, fields[key], row.values[key])

    def _demote_primary(self, plan: RowPlan) -> None:
        """A new primary contact takes over from the one marked primary before (one per file)."""
        for contact in plan.contacts:
            if contact.is_primary and contact.pk:
                before = snapshot(contact)
                contact.is_primary = False
                plan.people.insert(
                    0,
                    PersonPlan(contact, created=False, changes=diff(before, snapshot(contact))),
                )

    def _plan_carried(self, row: ParsedRow, plan: RowPlan) -> None:
        if "brands" not in row.values:
            return
        wanted = {brand.casefold(): brand for brand in row.values["brands"]}
        carried_keys = {item.brand.casefold() for item in plan.carried}
        plan.carried_removed = [i for i in plan.carried if i.brand.casefold() not in wanted]
        plan.carried = [i for i in plan.carried if i.brand.casefold() in wanted]
        plan.carried_new = [
            new(CarriedProduct, company_id=self.company.pk, customer=plan.customer, brand=brand)
            for key, brand in wanted.items()
            if key not in carried_keys
        ]

    # ------------------------------------------------------------------ writing

    def _write_batch(self, plans: list[RowPlan]) -> list[tuple[RowPlan, AuditRow]]:
        """Write one batch with bulk queries; return the audit entries that wait for a parent."""
        created = [plan for plan in plans if plan.created]
        changed = [plan for plan in plans if not plan.created and plan.changed]
        self._create_customers(created)
        for plan in changed:
            self._resolve_parent(plan)
        self._update_customers(changed)
        self._write_people(plans)
        self._write_carried(plans)
        self._write_assignments(created + changed)
        entries, pending = self._audit(plans)
        self.audit_inserter.insert(entries)
        return pending

    def _create_customers(self, plans: list[RowPlan]) -> None:
        """Insert new customers, parents before the rows that point at them in this batch."""
        waiting = plans
        while waiting:
            codes = {plan.customer.code for plan in waiting}
            ready = [plan for plan in waiting if plan.pending_parent not in codes]
            if not ready:  # cannot happen after pass 1's loop check; insert rather than spin
                ready = waiting
            for plan in ready:
                self._resolve_parent(plan)
            self.inserters[Customer].insert_instances([plan.customer for plan in ready], self.now)
            for plan in ready:
                customer = plan.customer
                self.known[customer.code] = Known(customer.pk, customer.name, customer.kind)
            waiting = [plan for plan in waiting if plan.customer.pk is None]

    def _resolve_parent(self, plan: RowPlan) -> None:
        """Point the row at a parent of this file that has been written by now."""
        known = self.known.get(plan.pending_parent) if plan.pending_parent else None
        if known is None or known.id is None:
            return
        plan.customer.parent = self._parent_stand_in(plan.pending_parent, known)
        if not plan.created:
            plan.changes["parent"] = [plan.parent_before, str(plan.customer.parent)]
        plan.pending_parent = ""

    def _update_customers(self, plans: list[RowPlan]) -> None:
        if not plans:
            return
        names = {"completeness", "search_text", "updated_at"}
        for plan in plans:
            plan.customer.updated_at = self.now
            names.update(plan.changes)
        Customer.objects.bulk_update([plan.customer for plan in plans], sorted(names))

    def _write_people(self, plans: list[RowPlan]) -> None:
        people = [person for plan in plans for person in plan.people]
        changed = [person for person in people if not person.created]
        if changed:
            # Demoted primaries come first in each plan, so the one-primary rule always holds.
            names = {"updated_at"}
            for person in changed:
                person.contact.updated_at = self.now
                names.update(self._attnames(Contact, person.changes))
            demoted = [p.contact for p in changed if "is_primary" in p.changes]
            if demoted:
                Contact.objects.bulk_update(demoted, ["is_primary", "updated_at"])
            Contact.objects.bulk_update([p.contact for p in changed], sorted(names))
        created = [person.contact for person in people if person.created]
        self.inserters[Contact].insert_instances(created, self.now)

    @staticmethod
    def _attnames(model: type, changes: dict[str, list[str]]) -> set[str]:
        return {model._meta.get_field(name).attname for name in changes}

    def _write_carried(self, plans: list[RowPlan]) -> None:
        removed = [item.pk for plan in plans for item in plan.carried_removed]
        if removed:
            CarriedProduct.objects.filter(company_id=self.company.pk, pk__in=removed).delete()
        added = [item for plan in plans for item in plan.carried_new]
        self.inserters[CarriedProduct].insert_instances(added, self.now)

    def _write_assignments(self, plans: list[RowPlan]) -> None:
        """Close the current assignment and open one for the new rep (as assign_rep does)."""
        moved = [plan.customer for plan in plans if plan.rep_changed]
        if not moved:
            return
        Assignment.objects.filter(
            company_id=self.company.pk,
            customer_id__in=[customer.pk for customer in moved],
            ended_at__isnull=True,
        ).update(ended_at=self.now)
        actor = self.actor if self.actor is not None and self.actor.pk else None
        self.inserters[Assignment].insert_instances(
            [
                new(
                    Assignment,
                    company_id=self.company.pk,
                    customer=customer,
                    rep_id=customer.rep_id,
                    started_at=self.now,
                    assigned_by=actor,
                    reason=_("imported"),
                )
                for customer in moved
                if customer.rep_id is not None
            ],
            self.now,
        )

    def _audit(self, plans: list[RowPlan]) -> tuple[list[AuditRow], list[tuple[RowPlan, AuditRow]]]:
        entries: list[AuditRow] = []
        pending: list[tuple[RowPlan, AuditRow]] = []
        for plan in plans:
            if not plan.changed:
                continue
            customer = plan.customer
            entry = None
            if plan.created:
                entry = self._entry(
                    AuditAction.CREATE, customer, customer.pk, created_changes(customer)
                )
            elif plan.changes or plan.pending_parent:
                entry = self._entry(AuditAction.UPDATE, customer, customer.pk, plan.changes)
            if entry is not None:
                (pending.append((plan, entry)) if plan.pending_parent else entries.append(entry))
            for person in plan.people:
                if person.created:
                    contact = person.contact
                    entries.append(
                        self._entry(
                            AuditAction.CREATE, contact, customer.pk, created_changes(contact)
                        )
                    )
                else:
                    entries.append(
                        self._entry(AuditAction.UPDATE, person.contact, customer.pk, person.changes)
                    )
            for item in plan.carried_new:
                entries.append(
                    self._entry(AuditAction.CREATE, item, customer.pk, created_changes(item))
                )
            for item in plan.carried_removed:
                before = {name: [value, ""] for name, value in snapshot(item).items() if value}
                entries.append(self._entry(AuditAction.DELETE, item, customer.pk, before))
        return entries, pending

    def _entry(
        self, action: str, instance: Any, file_id: int, changes: dict[str, list[str]]
    ) -> AuditRow:
        """An audit entry as core.audit.audit_entry makes it, as a row for the bulk writer."""
        return [
            instance.company_id,
            self.now,
            self.actor_id,
            self.actor_name,
            self.source,
            action,
            instance._meta.model_name,
            instance.pk,
            str(instance)[:200],
            file_id,
            changes,
        ]

    def _link_parents(self, pending: list[tuple[RowPlan, AuditRow]]) -> None:
        """Point rows at parents that came later in the file, then write their audit entries."""
        customers = []
        for plan, entry in pending:
            known = self.known[plan.pending_parent]
            customer = plan.customer
            before = entry[CHANGES].get(
                "parent", [str(customer.parent) if customer.parent_id else ""]
            )
            customer.parent_id = known.id
            entry[CHANGES]["parent"] = [
                "" if plan.created else before[0],
                f"{known.name} ({plan.pending_parent})",
            ]
            customers.append(customer)
        Customer.objects.bulk_update(customers, ["parent"], batch_size=BATCH_SIZE)
        self.audit_inserter.insert([entry for _plan, entry in pending])


def find_person(contacts: Iterable[Contact], role: str) -> Contact | None:
    """The owner, or the contact the 联系人 columns describe: the primary one, else the first."""
    contacts = list(contacts)
    if role == ContactRole.OWNER:
        return next((c for c in contacts if c.role == ContactRole.OWNER), None)
    return next(
        (c for c in contacts if c.is_primary and c.role == ContactRole.CONTACT), None
    ) or next((c for c in contacts if c.role == ContactRole.CONTACT), None)


CUSTOMER_FK = {
    name: Customer._meta.get_field(name)
    for name in ("province", "city", "county", "rep", "sales_region", "parent")
}
_AUDITED: dict[type, list[str]] = {}


def changes(before: Any, after: Any) -> dict[str, list[str]]:
    """{field: [before, after]} as the audit trail shows it; quick when nothing changed."""
    model = type(after)
    if model not in _AUDITED:
        _AUDITED[model] = [
            field.attname
            for field in model._meta.concrete_fields
            if field.name not in IGNORED_FIELDS
        ]
    if all(getattr(before, name) == getattr(after, name) for name in _AUDITED[model]):
        return {}
    return diff(snapshot(before), snapshot(after))


def _copy(instance: Any) -> Any:
    """copy.copy(instance) as Django's Model.__reduce__ / __getstate__ make it, without the
    pickling detour (a re-import copies every stored customer and person to compare)."""
    clone = instance.__class__.__new__(instance.__class__)
    state = instance.__dict__.copy()
    state["_state"] = copy.copy(state["_state"])
    state["_state"].fields_cache = state["_state"].fields_cache.copy()
    clone.__dict__.update(state)
    return clone


PHONE_FIELDS = {"phone", "fax", "mobile"}


def _set(instance: Any, name: str, value: Any) -> None:
    """Set a field, keeping a stored phone that is the same number written another way."""
    if name in PHONE_FIELDS and value:
        stored = getattr(instance, name)
        # Stored numbers are E.164; one typed in before that rule is compared by its meaning.
        if stored and stored[0] != "+" and _normalized(stored) == value:
            return
    setattr(instance, name, value)


def _normalized(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValidationError:
        return ""


def _filled(value: Any) -> bool:
    return value not in (None, "", ())
