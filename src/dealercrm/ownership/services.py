"""Who owns customers: bulk assignment, the public pool (公海) and its daily rule, handovers.

Every change of owner goes through `_move()`: the current assignments end (who ended them and
why), new ones start, Customer.rep is set and one audit entry per customer is written, all in
bulk. Pages, the API, the daily job and the demo call these functions; none re-implements them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import ApiToken, User
from dealercrm.companies.models import Company
from dealercrm.companies.services import company_zone, local_today
from dealercrm.core.audit import audit_entry
from dealercrm.core.models import AuditAction, AuditEntry, AuditSource
from dealercrm.customers.models import Assignment, Customer
from dealercrm.customers.services import check_rep
from dealercrm.notifications.services import notify
from dealercrm.ownership.choices import SplitMode
from dealercrm.ownership.models import (
    DEFAULT_RETURN_DAYS,
    Handover,
    PoolClaim,
    PoolRule,
    PoolSettings,
)
from dealercrm.regions.models import SalesRegion
from dealercrm.reminders.models import Reminder
from dealercrm.sales.models import OrderLine
from dealercrm.staff.choices import EmployeeStatus
from dealercrm.staff.models import Employee
from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.models import Visit

CLASSES = ("A", "B", "C")
# Class order when customers are dealt out: A first, then B, C, and customers without a class.
CLASS_ORDER = {"A": 0, "B": 1, "C": 2, "": 3}
BATCH = 500
# Customers named in one notification's text (the rest are counted).
LISTED_IN_NOTIFICATION = 30


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------------------- settings


def pool_settings(company: Company) -> PoolSettings:
    """The company's pool settings, created with the defaults on first read."""
    settings, _created = PoolSettings.objects.get_or_create(company=company)
    return settings


def pool_rules(company: Company) -> dict[str, int | None]:
    """Days per class after which an unattended customer goes back to the pool (None: never).

    Missing rows are created with DEFAULT_RETURN_DAYS.
    """
    rules = {rule.abc_class: rule for rule in PoolRule.objects.for_company(company)}
    missing = [
        PoolRule(company=company, abc_class=cls, days=DEFAULT_RETURN_DAYS.get(cls))
        for cls in CLASSES
        if cls not in rules
    ]
    if missing:
        PoolRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {rule.abc_class: rule for rule in PoolRule.objects.for_company(company)}
    return {cls: rules[cls].days for cls in CLASSES if cls in rules}


@transaction.atomic
def save_pool_settings(
    company: Company, *, actor: User, claim_limit: int, days: dict[str, int | None]
) -> None:
    if not actor.can("pool.settings") or actor.company_id != company.pk:
        raise PermissionDenied(_("You may not change the pool settings."))
    settings = pool_settings(company)
    settings.claim_limit = claim_limit
    settings.full_clean(exclude=["company"])
    settings.save()
    pool_rules(company)
    for cls in CLASSES:
        rule = PoolRule.objects.get(company=company, abc_class=cls)
        rule.days = days.get(cls)
        rule.full_clean(exclude=["company"], validate_constraints=False)
        rule.save()


# ---------------------------------------------------------------------------- moving customers


@dataclass(frozen=True)
class _Row:
    pk: int
    code: str
    name: str
    rep_id: int | None


def _locked_rows(company_id: int, ids: Sequence[int]) -> list[_Row]:
    """The customers of those ids in the company, locked until the transaction ends."""
    rows: list[_Row] = []
    for chunk in _chunks(sorted(set(ids))):
        found = (
            Customer.objects.select_for_update()
            .filter(company_id=company_id, pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "code", "name", "rep_id")
        )
        rows += [_Row(*values) for values in found]
    return rows


def _move(
    company_id: int,
    rows: Sequence[_Row],
    target: User | None,
    *,
    actor: User | None,
    source: str,
    reason: str,
    end_reason: str,
    now: datetime | None = None,
) -> int:
    """Make target the owner of rows (None: the pool), in bulk; rows already its are skipped.

    The caller holds the rows locked (`_locked_rows`) inside its transaction.
    """
    target_id = target.pk if target else None
    rows = [row for row in rows if row.rep_id != target_id]
    if not rows:
        return 0
    now = now or timezone.now()
    by = actor if actor is not None and actor.pk else None
    names = {
        user.pk: str(user)
        for user in User.objects.filter(pk__in={row.rep_id for row in rows if row.rep_id})
    }
    target_name = str(target) if target else ""
    ids = [row.pk for row in rows]
    for chunk in _chunks(ids):
        Assignment.objects.filter(
            company_id=company_id, customer_id__in=chunk, ended_at__isnull=True
        ).update(ended_at=now, ended_by=by, end_reason=end_reason[:200])
        Customer.objects.filter(company_id=company_id, pk__in=chunk).update(rep=target)
    if target is not None:
        Assignment.objects.bulk_create(
            [
                Assignment(
                    company_id=company_id,
                    customer_id=row.pk,
                    rep=target,
                    started_at=now,
                    assigned_by=by,
                    reason=reason[:200],
                )
                for row in rows
            ],
            batch_size=BATCH,
        )
    entries = []
    for row in rows:
        customer = Customer(pk=row.pk, company_id=company_id, code=row.code, name=row.name)
        entries.append(
            audit_entry(
                actor=by,
                source=source,
                action=AuditAction.UPDATE,
                instance=customer,
                file_id=row.pk,
                changes={"rep": [names.get(row.rep_id, ""), target_name]},
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(rows)


def _customer_ids(customers: QuerySet[Customer] | Iterable[Customer | int]) -> list[int]:
    if isinstance(customers, QuerySet):
        return list(customers.order_by().values_list("pk", flat=True))
    return [item if isinstance(item, int) else item.pk for item in customers]


@transaction.atomic
def assign_customers(
    customers: QuerySet[Customer] | Iterable[Customer | int],
    to_user: User | None,
    *,
    actor: User | None,
    source: str,
    reason: str = "",
) -> int:
    """Give every customer of the selection to to_user (None: put them in the pool).

    `customers` is a queryset (a region, the list's filter) or customers / ids. Customers of
    another company than the actor's are left out. Answers how many changed owner.
    """
    if actor is not None and not actor.can("customer.assign"):
        raise PermissionDenied(_("You may not assign customers to reps."))
    ids = _customer_ids(customers)
    if not ids:
        return 0
    company_id = (
        actor.company_id
        if actor is not None
        else Customer.objects.filter(pk=ids[0]).values_list("company_id", flat=True).first()
    )
    if company_id is None:
        return 0
    check_rep(company_id, to_user)
    rows = _locked_rows(company_id, ids)
    return _move(
        company_id,
        rows,
        to_user,
        actor=actor,
        source=source,
        reason=reason,
        end_reason=reason or (_("reassigned") if to_user else _("put in the pool")),
    )


# ---------------------------------------------------------------------------- the pool


def pool_customers(company: Company | int) -> QuerySet[Customer]:
    """The company's customers that nobody owns."""
    company_id = company if isinstance(company, int) else company.pk
    return Customer.objects.filter(company_id=company_id, rep__isnull=True)


def claims_today(user: User) -> int:
    """How many customers the user has claimed from the pool today (company's local day)."""
    return PoolClaim.objects.filter(
        company_id=user.company_id, user=user, claimed_on=local_today(user.company)
    ).count()


@transaction.atomic
def claim(customer: Customer, user: User, *, source: str = AuditSource.WEB) -> Customer:
    """The user takes a pool customer. Refused when someone owns it by now (two reps claiming
    at once: the first wins) or when the user reached today's claim limit."""
    if not user.can("pool.claim"):
        raise PermissionDenied(_("You may not claim customers from the pool."))
    check_rep(user.company_id, user)
    # The user's row first: one user's claims run one after the other, so two at once cannot
    # both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    rows = _locked_rows(user.company_id, [customer.pk])
    if not rows:
        raise ValidationError(_("This customer is not in the pool."))
    row = rows[0]
    if row.rep_id == user.pk:
        raise ValidationError(_("%(customer)s is already yours.") % {"customer": row.name})
    if row.rep_id is not None:
        raise ValidationError(
            _("%(customer)s is no longer in the pool: someone else has claimed it.")
            % {"customer": row.name}
        )
    company = user.company
    limit = pool_settings(company).claim_limit
    today = local_today(company)
    used = PoolClaim.objects.filter(company=company, user=user, claimed_on=today).count()
    if used >= limit:
        raise ValidationError(
            _(
                "You have claimed %(used)s of %(limit)s customers allowed today; "
                "claim more tomorrow."
            )
            % {"used": used, "limit": limit}
        )
    now = timezone.now()
    _move(
        company.pk,
        rows,
        user,
        actor=user,
        source=source,
        reason=_("claimed from the pool"),
        end_reason="",
        now=now,
    )
    PoolClaim.objects.create(
        company=company, customer_id=row.pk, user=user, claimed_at=now, claimed_on=today
    )
    customer.rep = user
    customer.rep_id = user.pk
    return customer


def may_release(customer: Customer, user: Any) -> bool:
    """The owner, or whoever may assign customers, may put an owned customer in the pool."""
    if customer.rep_id is None or not getattr(user, "is_authenticated", False):
        return False
    if user.company_id != customer.company_id or not user.is_active:
        return False
    return customer.rep_id == user.pk or user.can("customer.assign")


@transaction.atomic
def release(customer: Customer, user: User, *, reason: str, source: str = AuditSource.WEB) -> None:
    """Put a customer back in the pool on purpose; the reason is required and kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the customer goes back to the pool.")})
    rows = _locked_rows(customer.company_id, [customer.pk])
    if not rows or rows[0].rep_id is None:
        raise ValidationError(_("This customer is already in the pool."))
    customer.rep_id = rows[0].rep_id
    if not may_release(customer, user):
        raise PermissionDenied(_("Only the owner or a manager may put this customer in the pool."))
    _move(
        customer.company_id,
        rows,
        None,
        actor=user,
        source=source,
        reason="",
        end_reason=_("put in the pool: %(reason)s") % {"reason": reason},
    )
    customer.rep = None


# ---------------------------------------------------------------------------- the pool rule


def _day_start(company: Company, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=company_zone(company))


def pool_return_due(company: Company, run_date: date) -> dict[str, tuple[int, QuerySet[Customer]]]:
    """Per class with a rule of N days: the owned customers that go back to the pool on
    run_date. The owner has had it at least N days, the last visit is none or on or before
    run_date − N, and no order line is dated after run_date − N."""
    due: dict[str, tuple[int, QuerySet[Customer]]] = {}
    for cls, days in pool_rules(company).items():
        if not days:
            continue
        cutoff = run_date - timedelta(days=days)
        # Owned since a moment on the cutoff day or before (a current assignment that started
        # on a later local day keeps it; a customer with no assignment row counts as owned long).
        recent_owner = Assignment.objects.filter(
            company=company,
            customer=OuterRef("pk"),
            ended_at__isnull=True,
            started_at__gte=_day_start(company, cutoff + timedelta(days=1)),
        )
        recent_order = OrderLine.objects.filter(
            company=company, customer=OuterRef("pk"), date__gt=cutoff
        )
        due[cls] = (
            days,
            (
                Customer.objects.for_company(company)
                .filter(rep__isnull=False, abc_class=cls)
                .filter(Q(last_visit_on__isnull=True) | Q(last_visit_on__lte=cutoff))
                .exclude(Exists(recent_owner))
                .exclude(Exists(recent_order))
            ),
        )
    return due


def _managers_of(company: Company, user_ids: set[int]) -> dict[int, list[User]]:
    """Each owner's manager login (Employee.manager); else the company's active managers."""
    employees = Employee.objects.filter(company=company, user_id__in=user_ids).select_related(
        "manager__user"
    )
    found: dict[int, list[User]] = {}
    for employee in employees:
        boss = employee.manager.user if employee.manager else None
        if boss is not None and boss.is_active:
            found[employee.user_id] = [boss]
    fallback = list(User.objects.filter(company=company, role=Role.MANAGER, is_active=True))
    return {user_id: found.get(user_id, fallback) for user_id in user_ids}


def scheduled_pool_return(company: Company, run_date: date) -> str:
    """The daily job: unattended customers go back to the pool; owners and managers are told.

    Idempotent: a second run finds nothing more to move and sends nothing twice.
    """
    moved: dict[int, list[_Row]] = defaultdict(list)
    with transaction.atomic():
        for cls, (days, queryset) in pool_return_due(company, run_date).items():
            rows = _locked_rows(company.pk, list(queryset.values_list("pk", flat=True)))
            rows = [row for row in rows if row.rep_id is not None]
            _move(
                company.pk,
                rows,
                None,
                actor=None,
                source=AuditSource.SYSTEM,
                reason="",
                end_reason=_(
                    "back to the pool: class %(cls)s, no visit and no order for %(days)s days"
                )
                % {"cls": cls, "days": days},
            )
            for row in rows:
                moved[row.rep_id].append(row)
        _notify_pool_return(company, run_date, moved)
    count = sum(len(rows) for rows in moved.values())
    if not count:
        return _("No customer went back to the pool.")
    return ngettext(
        "%(count)s customer went back to the pool.",
        "%(count)s customers went back to the pool.",
        count,
    ) % {"count": count}


def _notify_pool_return(company: Company, run_date: date, moved: dict[int, list[_Row]]) -> None:
    if not moved:
        return
    owners = {user.pk: user for user in User.objects.filter(pk__in=moved)}
    managers = _managers_of(company, set(moved))
    # recipient → [(former owner, customer)]
    told: dict[int, list[tuple[User, _Row]]] = defaultdict(list)
    people: dict[int, User] = {}
    for owner_id, rows in moved.items():
        owner = owners[owner_id]
        # A login that is disabled reads nothing; a manager who owned customers is told once.
        persons = {p.pk: p for p in [owner, *managers[owner_id]] if p.is_active}
        for person in persons.values():
            people[person.pk] = person
            told[person.pk] += [(owner, row) for row in rows]
    pool_url = reverse("ownership:pool")
    for person_id, items in told.items():
        person = people[person_id]
        lines = [
            f"{row.name} ({row.code})" + ("" if owner.pk == person_id else f" · {owner}")
            for owner, row in items[:LISTED_IN_NOTIFICATION]
        ]
        if len(items) > LISTED_IN_NOTIFICATION:
            lines.append(_("and %(count)s more") % {"count": len(items) - LISTED_IN_NOTIFICATION})
        single = items[0][1] if len(items) == 1 else None
        notify(
            person,
            kind="pool_return",
            key=f"pool_return:{run_date.isoformat()}",
            title=ngettext(
                "%(count)s customer went back to the pool on %(date)s",
                "%(count)s customers went back to the pool on %(date)s",
                len(items),
            )
            % {"count": len(items), "date": run_date.isoformat()},
            body="\n".join(lines),
            link=reverse("ownership:pool_customer", args=[single.pk]) if single else pool_url,
            customer=Customer(pk=single.pk, company_id=company.pk) if single else None,
        )


# ---------------------------------------------------------------------------- handover


@dataclass
class PlannedCustomer:
    pk: int
    code: str
    name: str
    abc_class: str
    region: str
    to_user_id: int | None  # None: the pool


@dataclass
class Share:
    """What one recipient (user None: the pool) gets."""

    user: User | None
    customers: list[PlannedCustomer] = field(default_factory=list)
    visits: int = 0
    reminders: int = 0

    @property
    def by_class(self) -> dict[str, int]:
        counts = Counter(customer.abc_class or "-" for customer in self.customers)
        return {cls: counts.get(cls, 0) for cls in (*CLASSES, "-")}


@dataclass
class HandoverPlan:
    """The preview of a handover: where each customer, planned visit and open reminder goes."""

    employee: Employee
    from_user: User | None
    recipients: list[User]
    mode: str
    pool_rest: bool
    customers: list[PlannedCustomer]
    # visit id → (customer id, new rep id or None: cancelled)
    visits: dict[int, tuple[int, int | None]]
    # reminder id → (customer id, new assignee id or None: the person who commits)
    reminders: dict[int, tuple[int, int | None]]

    @property
    def fingerprint(self) -> str:
        """Changes when a customer is added to or taken from the leaving login, or goes
        elsewhere (the page checks it before committing what the user saw)."""
        text = ";".join(f"{c.pk}>{c.to_user_id}" for c in sorted(self.customers, key=_pk))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def shares(self) -> list[Share]:
        """One share per recipient (in order), then the pool's if anything goes there."""
        shares = {user.pk: Share(user) for user in self.recipients}
        pool = Share(None)
        for customer in self.customers:
            shares.get(customer.to_user_id, pool).customers.append(customer)
        for _customer_id, target in self.visits.values():
            if target in shares:
                shares[target].visits += 1
        for _customer_id, target in self.reminders.values():
            if target in shares:
                shares[target].reminders += 1
        result = list(shares.values())
        if pool.customers:
            result.append(pool)
        return result

    @property
    def visits_cancelled(self) -> int:
        return sum(1 for _customer, target in self.visits.values() if target is None)

    @property
    def reminders_to_actor(self) -> int:
        return sum(1 for _customer, target in self.reminders.values() if target is None)


def _pk(item: Any) -> int:
    return item.pk


def _deal(customers: list[PlannedCustomer], users: list[User], start: int = 0) -> int:
    """Deal customers (already in class order) to users in turn; answers the next turn."""
    turn = start
    for customer in customers:
        customer.to_user_id = users[turn % len(users)].pk
        turn += 1
    return turn


def _region_recipients(
    company_id: int, recipients: list[User], employees: dict[int, Employee]
) -> dict[int, list[User]]:
    """customer region id → the recipients whose sales region is that region, or else the
    nearest region above it that has recipients (several there share in turn)."""
    at_region: dict[int, list[User]] = defaultdict(list)
    for user in recipients:
        employee = employees.get(user.pk)
        if employee is not None and employee.sales_region_id:
            at_region[employee.sales_region_id].append(user)
    parents = dict(SalesRegion.objects.filter(company_id=company_id).values_list("id", "parent_id"))
    found: dict[int, list[User]] = {}
    for region_id in parents:
        current: int | None = region_id
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current in at_region:
                found[region_id] = at_region[current]
                break
            seen.add(current)
            current = parents.get(current)
    return found


def plan_handover(
    employee: Employee,
    recipients: Sequence[User],
    mode: str,
    *,
    pool_rest: bool = False,
) -> HandoverPlan:
    """Where the leaving employee's customers, planned visits and open reminders would go.

    "even": customers in class order (A, then B, then C, then unclassified; by code within a
    class) are dealt to the recipients in turn, so counts and classes come out balanced.
    "region": a customer goes to the recipient whose sales region is the customer's (or holds
    it, the most specific first; several there share in turn); the rest are dealt evenly, or
    go to the pool with pool_rest. With no recipient at all, pool_rest puts every customer in
    the pool. Planned visits follow their customer to its new owner (cancelled when it goes to
    the pool); open reminders likewise (to the person who commits when it goes to the pool).
    """
    company_id = employee.company_id
    if mode not in SplitMode.values:
        raise ValidationError({"mode": _("Choose how to split the customers.")})
    from_user = employee.user
    users = sorted(
        {user.pk: user for user in recipients}.values(), key=lambda u: (str(u), u.username)
    )
    errors = []
    for user in users:
        if from_user is not None and user.pk == from_user.pk:
            errors.append(_("The leaving employee cannot receive their own customers."))
            continue
        try:
            check_rep(company_id, user)
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError({"recipients": errors})
    rows = (
        Customer.objects.filter(company_id=company_id, rep=from_user)
        .select_related("sales_region")
        .order_by("code")
        if from_user is not None
        else Customer.objects.none()
    )
    customers = [
        PlannedCustomer(
            pk=row.pk,
            code=row.code,
            name=row.name,
            abc_class=row.abc_class,
            region=str(row.sales_region or ""),
            to_user_id=None,
        )
        for row in rows
    ]
    regions = {row.pk: row.sales_region_id for row in rows}
    customers.sort(key=lambda c: (CLASS_ORDER.get(c.abc_class, 9), c.code))
    if customers and not users and not pool_rest:
        raise ValidationError(
            {"recipients": _("Choose who receives the customers, or put them in the pool.")}
        )
    if users and mode == SplitMode.EVEN:
        _deal(customers, users)
    elif users and mode == SplitMode.REGION:
        employees = {
            e.user_id: e
            for e in Employee.objects.filter(company_id=company_id, user__in=users).select_related(
                "sales_region"
            )
        }
        matches = _region_recipients(company_id, users, employees)
        turns: dict[int, int] = defaultdict(int)
        rest = []
        for customer in customers:
            region_id = regions[customer.pk]
            candidates = matches.get(region_id) if region_id else None
            if candidates:
                customer.to_user_id = candidates[turns[region_id] % len(candidates)].pk
                turns[region_id] += 1
            else:
                rest.append(customer)
        if not pool_rest:
            _deal(rest, users)
    owner_of = {customer.pk: customer.to_user_id for customer in customers}
    visits: dict[int, tuple[int, int | None]] = {}
    reminders: dict[int, tuple[int, int | None]] = {}
    if from_user is not None:
        planned = Visit.objects.filter(
            company_id=company_id, rep=from_user, status=VisitStatus.PLANNED
        ).values_list("pk", "customer_id", "customer__rep_id")
        for visit_id, customer_id, rep_id in planned:
            target = owner_of.get(customer_id, rep_id)
            visits[visit_id] = (customer_id, target)
        open_reminders = Reminder.objects.filter(
            company_id=company_id, assignee=from_user, done_at__isnull=True
        ).values_list("pk", "customer_id", "customer__rep_id")
        for reminder_id, customer_id, rep_id in open_reminders:
            target = owner_of.get(customer_id, rep_id)
            reminders[reminder_id] = (customer_id, target)
    return HandoverPlan(
        employee=employee,
        from_user=from_user,
        recipients=users,
        mode=mode,
        pool_rest=pool_rest,
        customers=customers,
        visits=visits,
        reminders=reminders,
    )


def commit_handover(plan: HandoverPlan, actor: User, *, source: str = AuditSource.WEB) -> Handover:
    """Carry out a previewed handover in one transaction (all of it or nothing).

    Refused when the leaving login's customers are no longer those of the preview (one added
    or moved since): the page shows the new preview. Visits and reminders are those open at
    commit, going where the plan's rule sends them.
    """
    if not actor.can("customer.handover"):
        raise PermissionDenied(_("You may not hand customers over."))
    employee = plan.employee
    if employee.company_id != actor.company_id:
        raise PermissionDenied
    if plan.from_user is not None and plan.from_user.pk == actor.pk:
        raise ValidationError(_("You cannot hand over your own customers; ask another manager."))
    company = actor.company
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        from_user = plan.from_user
        planned_ids = {customer.pk for customer in plan.customers}
        current: list[_Row] = []
        if from_user is not None:
            owned = Customer.objects.filter(company=company, rep=from_user)
            current = _locked_rows(company.pk, list(owned.values_list("pk", flat=True)))
            current = [row for row in current if row.rep_id == from_user.pk]
        current_ids = {row.pk for row in current}
        if current_ids != planned_ids:
            added, gone = len(current_ids - planned_ids), len(planned_ids - current_ids)
            raise ValidationError(
                _(
                    "The leaving employee's customers changed since the preview (%(added)s "
                    "added, %(gone)s moved away). Check the new preview and commit again."
                )
                % {"added": added, "gone": gone}
            )
        for user in plan.recipients:
            check_rep(company.pk, User.objects.get(pk=user.pk))
        now = timezone.now()
        reason = _("handover")
        rows_by_pk = {row.pk: row for row in current}
        targets = {user.pk: user for user in plan.recipients}
        groups: dict[int | None, list[_Row]] = defaultdict(list)
        for customer in plan.customers:
            groups[customer.to_user_id].append(rows_by_pk[customer.pk])
        summary: dict[str, Any] = {"recipients": [], "pool": {}}
        moved = pooled = 0
        for target_id, rows in groups.items():
            count = _move(
                company.pk,
                rows,
                targets.get(target_id) if target_id else None,
                actor=actor,
                source=source,
                reason=reason,
                end_reason=reason,
                now=now,
            )
            if target_id is None:
                pooled += count
            else:
                moved += count
        visits_moved, reminders_moved, visit_counts, reminder_counts = _move_work(
            plan, company, actor
        )
        shares = plan.shares()
        for share in shares:
            entry = {
                "customers": len(share.customers),
                "by_class": share.by_class,
                "customer_ids": [customer.pk for customer in share.customers],
            }
            if share.user is None:
                summary["pool"] = entry
            else:
                entry |= {
                    "user_id": share.user.pk,
                    "name": str(share.user),
                    "visits": visit_counts.get(share.user.pk, 0),
                    "reminders": reminder_counts.get(share.user.pk, 0),
                }
                summary["recipients"].append(entry)
        summary["visits_cancelled"] = visit_counts.get(None, 0)
        summary["reminders_to_actor"] = reminder_counts.get(actor.pk, 0)
        employee.status = EmployeeStatus.LEFT
        employee.left_on = employee.left_on or local_today(company)
        employee.save(update_fields=["status", "left_on", "updated_at"])
        if from_user is not None:
            User.objects.filter(pk=from_user.pk).update(is_active=False)
            ApiToken.objects.filter(user_id=from_user.pk).delete()
        handover = Handover.objects.create(
            company=company,
            employee=employee,
            from_user=from_user,
            mode=plan.mode,
            performed_by=actor,
            customers_moved=moved,
            customers_pooled=pooled,
            visits_moved=visits_moved,
            reminders_moved=reminders_moved,
            summary=summary,
        )
        _notify_handover(handover, shares, employee, visit_counts, reminder_counts)
    return handover


def _move_work(
    plan: HandoverPlan, company: Company, actor: User
) -> tuple[int, int, dict[int | None, int], dict[int | None, int]]:
    """Planned visits and open reminders of the leaving login follow their customers."""
    from_user = plan.from_user
    visit_counts: dict[int | None, int] = Counter()
    reminder_counts: dict[int | None, int] = Counter()
    if from_user is None:
        return 0, 0, visit_counts, reminder_counts
    new_owner = {customer.pk: customer.to_user_id for customer in plan.customers}
    visits = Visit.objects.filter(company=company, rep=from_user, status=VisitStatus.PLANNED)
    by_target: dict[int | None, list[int]] = defaultdict(list)
    for visit_id, customer_id, rep_id in visits.values_list(
        "pk", "customer_id", "customer__rep_id"
    ):
        by_target[new_owner.get(customer_id, rep_id)].append(visit_id)
    moved_visits = 0
    for target_id, ids in by_target.items():
        queryset = Visit.objects.filter(company=company, pk__in=ids)
        if target_id is None:
            visit_counts[None] += queryset.update(status=VisitStatus.CANCELLED)
        else:
            count = queryset.update(rep_id=target_id)
            visit_counts[target_id] += count
            moved_visits += count
    reminders = Reminder.objects.filter(company=company, assignee=from_user, done_at__isnull=True)
    by_assignee: dict[int, list[int]] = defaultdict(list)
    for reminder_id, customer_id, rep_id in reminders.values_list(
        "pk", "customer_id", "customer__rep_id"
    ):
        target = new_owner.get(customer_id, rep_id)
        by_assignee[target or actor.pk].append(reminder_id)
    moved_reminders = 0
    for target_id, ids in by_assignee.items():
        count = Reminder.objects.filter(company=company, pk__in=ids).update(assignee_id=target_id)
        reminder_counts[target_id] += count
        moved_reminders += count
    return moved_visits, moved_reminders, visit_counts, reminder_counts


def _notify_handover(
    handover: Handover,
    shares: list[Share],
    employee: Employee,
    visit_counts: dict[int | None, int],
    reminder_counts: dict[int | None, int],
) -> None:
    link = reverse("ownership:handover_detail", args=[handover.pk])
    for share in shares:
        user_id = share.user.pk if share.user else None
        if user_id is None or not (
            share.customers or visit_counts.get(user_id) or reminder_counts.get(user_id)
        ):
            continue
        notify(
            share.user,
            kind="handover",
            key=f"handover:{handover.pk}",
            title=_("You took over %(count)s customers from %(name)s")
            % {"count": len(share.customers), "name": employee.name},
            body=_("%(visits)s planned visits and %(reminders)s open reminders came with them.")
            % {
                "visits": visit_counts.get(share.user.pk, 0),
                "reminders": reminder_counts.get(share.user.pk, 0),
            },
            link=link,
        )
