"""ABC classification and what hangs off it: settings, overrides, history, service policies.

The rule (DESIGN.md): over the order lines dated as-of − (window − 1) through as-of, each
customer's metric (sales amount, gross profit or quantity; returns count negative) is summed;
customers are sorted by metric descending, ties by customer code ascending; `before` is the
share of the positive total held by the customers ranked above; before < A% → A, before < B% →
B, else C; a metric of 0 or less (and no sales at all) → C. Gross profit is amount − cost with a
missing cost counted as 0 (the whole amount is profit): a line is never dropped for a missing
cost, and the dealer sees the cost column is incomplete in the import rather than a smaller total.

`classify` reads the metrics with one GROUP BY query over the window (index
orderline_company_date), ranks in Python with exact Decimals, and writes only what changed:
results whose values moved, customers whose effective class moved, one history row each
(a customer's first class, from blank, included).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.companies.services import local_today
from dealercrm.customers.choices import CustomerClass
from dealercrm.customers.models import Customer
from dealercrm.sales.models import OrderLine
from dealercrm.segmentation.choices import CareAction, ChangeSource, Metric, RunStatus
from dealercrm.segmentation.models import (
    DEFAULT_CARE,
    DEFAULT_CARE_LEAD_DAYS,
    DEFAULT_VISIT_DAYS,
    ClassChange,
    ClassificationRun,
    ClassOverride,
    ClassResult,
    ClassSettings,
    ServicePolicy,
)

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
VALUE_PLACES = Decimal("0.001")
SHARE_PLACES = Decimal("0.0001")
CURVE_POINTS = 200
WRITE_BATCH = 2000
# SQLite allows 32,766 variables per statement in current builds; older ones 999.
ID_BATCH = 900
CLASSES = (CustomerClass.A, CustomerClass.B, CustomerClass.C)


# ----------------------------------------------------------------------------- reading


def get_settings(company: Any) -> ClassSettings:
    """The company's class settings, created with the defaults on first read."""
    found, _created = ClassSettings.objects.get_or_create(company=company)
    return found


def service_policies(company: Any) -> list[ServicePolicy]:
    """The three service policies (A, B, C), created with the defaults on first read."""
    stored = {p.abc_class: p for p in ServicePolicy.objects.for_company(company)}
    missing = [c for c in CLASSES if c not in stored]
    if missing:
        ServicePolicy.objects.bulk_create(
            [
                ServicePolicy(
                    company=company,
                    abc_class=c,
                    visit_interval_days=DEFAULT_VISIT_DAYS[c],
                    care_actions=list(DEFAULT_CARE[c]),
                    care_lead_days=DEFAULT_CARE_LEAD_DAYS[c],
                )
                for c in missing
            ],
            ignore_conflicts=True,
        )
        stored = {p.abc_class: p for p in ServicePolicy.objects.for_company(company)}
    return [stored[c] for c in CLASSES]


def service_policy(company: Any, abc_class: str) -> ServicePolicy:
    """What customers of this class get (visit interval, care actions); C for an unclassified."""
    wanted = abc_class if abc_class in CustomerClass.values else CustomerClass.C
    return next(p for p in service_policies(company) if p.abc_class == wanted)


def latest_run(company: Any) -> ClassificationRun | None:
    return ClassificationRun.objects.for_company(company).filter(status=RunStatus.DONE).first()


@dataclass(frozen=True)
class CustomerClassInfo:
    """What the customer page shows: the effective class and why."""

    effective: str
    computed: str
    result: ClassResult | None
    override: ClassOverride | None
    override_active: bool
    run: ClassificationRun | None
    history: Sequence[ClassChange]


def class_info(customer: Customer, *, history_limit: int = 20) -> CustomerClassInfo:
    """The customer's effective class (an unexpired override wins), computed class and history."""
    result = ClassResult.objects.filter(company_id=customer.company_id, customer=customer).first()
    override = (
        ClassOverride.objects.filter(company_id=customer.company_id, customer=customer)
        .select_related("created_by")
        .first()
    )
    computed = result.computed_class if result else ""
    active = bool(override and override.active_on(local_today(customer.company)))
    effective = override.abc_class if active and override else (computed or customer.abc_class)
    history = list(
        ClassChange.objects.filter(
            company_id=customer.company_id, customer=customer
        ).select_related("actor")[:history_limit]
    )
    return CustomerClassInfo(
        effective=effective,
        computed=computed,
        result=result,
        override=override,
        override_active=active,
        run=latest_run(customer.company),
        history=history,
    )


# ----------------------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Ranked:
    customer_id: int
    rank: int
    value: Decimal
    share_before: Decimal  # percent, exact
    abc_class: str


def window(as_of: date, days: int) -> tuple[date, date]:
    """First and last day (both inclusive) of the window ending on as_of."""
    return as_of - timedelta(days=days - 1), as_of


def metric_expression(metric: str) -> Any:
    if metric == Metric.QUANTITY:
        return Sum("quantity")
    if metric == Metric.PROFIT:
        zero = Value(ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
        return Sum(
            F("amount") - Coalesce("cost", zero),
            output_field=DecimalField(max_digits=18, decimal_places=2),
        )
    return Sum("amount")


def customer_metrics(company: Any, start: date, end: date, metric: str) -> dict[int, Decimal]:
    """{customer id: metric} over the window: one GROUP BY query on the company's lines."""
    rows = (
        OrderLine.objects.for_company(company)
        .filter(date__gte=start, date__lte=end)
        .order_by()
        .values_list("customer_id")
        .annotate(value=metric_expression(metric))
        .values_list("customer_id", "value")
    )
    # SQLite sums decimals as floats: back to the exact cents (or thousandths of a unit) that
    # were stored, so that equal totals tie exactly and the ranking is the same on both databases.
    places = Decimal("0.001") if metric == Metric.QUANTITY else Decimal("0.01")
    return {
        customer_id: Decimal(value or 0).quantize(places, ROUND_HALF_UP)
        for customer_id, value in rows
    }


def rank(
    customers: Iterable[tuple[int, str]],
    values: dict[int, Decimal],
    a_threshold: Decimal,
    b_threshold: Decimal,
) -> tuple[list[Ranked], Decimal]:
    """Every customer ranked and classed by the ABC rule; and the positive total."""
    ordered = sorted(
        ((values.get(pk, ZERO), code, pk) for pk, code in customers),
        key=lambda row: (-row[0], row[1]),
    )
    total = sum((value for value, _code, _pk in ordered if value > 0), ZERO)
    ranked = []
    before = ZERO
    a_limit, b_limit = a_threshold * total, b_threshold * total
    for position, (value, _code, pk) in enumerate(ordered, start=1):
        scaled = before * HUNDRED
        if value <= 0 or total <= 0:
            abc = CustomerClass.C
        elif scaled < a_limit:
            abc = CustomerClass.A
        elif scaled < b_limit:
            abc = CustomerClass.B
        else:
            abc = CustomerClass.C
        share = scaled / total if total > 0 else ZERO
        ranked.append(Ranked(pk, position, value, share, abc))
        if value > 0:
            before += value
    return ranked, total


def _curve(ranked: list[Ranked], total: Decimal) -> list[list[Any]]:
    """[[rank, cumulative share % after this customer]] at about CURVE_POINTS ranks."""
    if not ranked or total <= 0:
        return []
    step = max(1, len(ranked) // CURVE_POINTS)
    points: list[list[Any]] = [[0, "0"]]
    cumulative = ZERO
    last = len(ranked)
    for item in ranked:
        if item.value > 0:
            cumulative += item.value
        if item.rank % step == 0 or item.rank == last:
            share = (cumulative * HUNDRED / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
            points.append([item.rank, str(share)])
    return points


# ----------------------------------------------------------------------------- classify


def _batches(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL COPY on the request's own connection (so inside its transaction)."""
    names = ", ".join(columns)
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert(model: Any, objects: list[Any]) -> None:
    """Insert new rows: COPY on PostgreSQL (no per-row parameters to parse), else bulk_create."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=WRITE_BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    _copy_rows(
        model._meta.db_table,
        [f.column for f in fields],
        (
            [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
            for obj in objects
        ),
    )


RESULT_COLUMNS = ("computed_class", "metric", "value", "rank", "share_before", "as_of")


def _insert_results(company: Any, as_of: date, rows: list[tuple[Any, ...]]) -> None:
    """New results from (customer id, class, metric, value, rank, share) tuples."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        # Straight from the tuples: building 100,000 model instances costs more than the COPY.
        _copy_rows(
            ClassResult._meta.db_table,
            ("company_id", "customer_id", *RESULT_COLUMNS),
            ((company.pk, pk, *values, as_of) for pk, *values in rows),
        )
        return
    ClassResult.objects.bulk_create(
        (
            ClassResult(
                company=company,
                customer_id=pk,
                computed_class=abc,
                metric=metric,
                value=value,
                rank=position,
                share_before=share,
                as_of=as_of,
            )
            for pk, abc, metric, value, position, share in rows
        ),
        batch_size=WRITE_BATCH,
    )


def _update_results(rows: list[tuple[Any, ...]]) -> None:
    """Rewrite changed results: (id, class, metric, value, rank, share, as_of) tuples."""
    if not rows:
        return
    table = ClassResult._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY into a scratch table, then one UPDATE ... FROM it.
            cursor.execute(
                "CREATE TEMPORARY TABLE segmentation_changed (id bigint, computed_class "
                "varchar(1), metric varchar(10), value numeric(18, 3), rank integer, "
                "share_before numeric(8, 4), as_of date) ON COMMIT DROP"
            )
            _copy_rows("segmentation_changed", ("id", *RESULT_COLUMNS), rows)
            assignments = ", ".join(f"{name} = v.{name}" for name in RESULT_COLUMNS)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM segmentation_changed AS v "
                "WHERE t.id = v.id"
            )
            cursor.execute("DROP TABLE segmentation_changed")
        else:
            assignments = ", ".join(f"{name} = %s" for name in RESULT_COLUMNS)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",
                [(*row[1:], row[0]) for row in rows],
            )


def _set_customer_classes(company: Any, moved: dict[str, list[int]]) -> None:
    table = Customer._meta.db_table
    for abc, ids in moved.items():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET abc_class = %s WHERE company_id = %s AND id = ANY(%s)",
                    [abc, company.pk, ids],
                )
            continue
        for batch in _batches(ids, ID_BATCH):
            Customer.objects.for_company(company).filter(pk__in=batch).update(abc_class=abc)


def classify(
    company: Any,
    as_of: date | None = None,
    actor: Any = None,
    *,
    run: ClassificationRun | None = None,
) -> ClassificationRun:
    """Recompute every customer's class as of a day (default today) and keep what changed."""
    started = time.monotonic()
    today = local_today(company)
    as_of = as_of or today
    with transaction.atomic():
        # One run at a time per company: the settings row is the lock.
        found = ClassSettings.objects.get_or_create(company=company)[0]
        config = ClassSettings.objects.select_for_update().get(pk=found.pk)
        start, end = window(as_of, config.window_days)
        values = customer_metrics(company, start, end, config.metric)
        customers = list(
            Customer.objects.for_company(company).order_by().values_list("id", "code", "abc_class")
        )
        current_class = {pk: abc for pk, _code, abc in customers}
        ranked, total = rank(
            ((pk, code) for pk, code, _abc in customers),
            values,
            config.a_threshold,
            config.b_threshold,
        )
        stored = {
            row[1]: row
            for row in ClassResult.objects.for_company(company)
            .order_by()
            .values_list(
                "id", "customer_id", "computed_class", "metric", "value", "rank", "share_before"
            )
        }
        overrides = {o.customer_id: o for o in ClassOverride.objects.for_company(company)}

        new_results: list[tuple[Any, ...]] = []
        changed_results: list[tuple[Any, ...]] = []
        moved: dict[str, list[int]] = {}
        changes: list[ClassChange] = []
        expired: list[int] = []
        counts = dict.fromkeys(CLASSES, 0)
        totals = dict.fromkeys(CLASSES, ZERO)
        if run is None:
            run = ClassificationRun(company=company, actor=actor)
        reason_expired = _("override expired")
        for item in ranked:
            value = item.value.quantize(VALUE_PLACES, ROUND_HALF_UP)
            share = item.share_before.quantize(SHARE_PLACES, ROUND_HALF_UP)
            counts[item.abc_class] += 1
            totals[item.abc_class] += item.value
            old = stored.get(item.customer_id)
            if old is None:
                new_results.append(
                    (item.customer_id, item.abc_class, config.metric, value, item.rank, share)
                )
            elif old[2:] != (item.abc_class, config.metric, value, item.rank, share):
                changed_results.append(
                    (old[0], item.abc_class, config.metric, value, item.rank, share, as_of)
                )
            effective, reason, source = item.abc_class, "", ChangeSource.COMPUTED
            override = overrides.get(item.customer_id)
            if override is not None:
                if override.active_on(today):
                    effective, reason = override.abc_class, override.reason
                    source = ChangeSource.MANUAL
                else:
                    expired.append(override.pk)
                    reason = reason_expired
            if current_class[item.customer_id] != effective:
                moved.setdefault(effective, []).append(item.customer_id)
            # Every change is kept, a customer's first class (from blank) included.
            if current_class[item.customer_id] != effective:
                changes.append(
                    ClassChange(
                        company=company,
                        customer_id=item.customer_id,
                        as_of=as_of,
                        old_class=current_class[item.customer_id],
                        new_class=effective,
                        reason=reason,
                        source=source,
                        actor=actor if source == ChangeSource.MANUAL else None,
                        actor_name=(str(actor) if actor else "")
                        if source == ChangeSource.MANUAL
                        else "",
                    )
                )

        _insert_results(company, as_of, new_results)
        _update_results(changed_results)
        _set_customer_classes(company, moved)
        for batch in _batches(expired, ID_BATCH):
            ClassOverride.objects.for_company(company).filter(pk__in=batch).delete()

        run.status = RunStatus.DONE
        run.as_of = as_of
        run.metric = config.metric
        run.a_threshold = config.a_threshold
        run.b_threshold = config.b_threshold
        run.window_days = config.window_days
        run.count_a, run.count_b, run.count_c = (counts[c] for c in CLASSES)
        run.total_a, run.total_b, run.total_c = (
            totals[c].quantize(VALUE_PLACES, ROUND_HALF_UP) for c in CLASSES
        )
        run.positive_total = total.quantize(VALUE_PLACES, ROUND_HALF_UP)
        run.customers = len(ranked)
        run.results_written = len(new_results) + len(changed_results)
        run.class_changes = len(changes)
        run.curve = _curve(ranked, total)
        run.finished_at = timezone.now()
        run.duration_ms = round((time.monotonic() - started) * 1000)
        run.message = ""
        run.save()
        for change in changes:
            change.run = run
        _insert(ClassChange, changes)
    return run


def scheduled_classify(company: Any, run_date: date) -> str:
    """The daily job (jobs.registry "classify"): classes as of run_date; a one-line summary."""
    run = classify(company, as_of=run_date)
    return _(
        "Classes as of %(date)s: A %(a)s, B %(b)s, C %(c)s; %(changed)s customers changed class."
    ) % {
        "date": run.as_of.isoformat(),
        "a": run.count_a,
        "b": run.count_b,
        "c": run.count_c,
        "changed": run.class_changes,
    }


def start_recompute(*, user: Any, as_of: date | None = None) -> ClassificationRun:
    """Queue a recomputation for the user's company (boss or manager); the page polls the run."""
    if not user.can("segmentation.recompute"):
        raise PermissionDenied
    running = ClassificationRun.objects.visible_to(user).filter(
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    existing = running.first()
    if existing is not None and existing.created_at > timezone.now() - timedelta(minutes=10):
        return existing
    config = get_settings(user.company)
    run = ClassificationRun.objects.create(
        company_id=user.company_id,
        actor=user,
        as_of=as_of or local_today(user.company),
        metric=config.metric,
        a_threshold=config.a_threshold,
        b_threshold=config.b_threshold,
        window_days=config.window_days,
    )
    from dealercrm.segmentation.tasks import recompute_classes

    recompute_classes.enqueue(run.pk)
    return run


def run_recompute(run_id: int) -> None:
    """The task body: classify for a queued run, marking it running, then done or failed."""
    run = ClassificationRun.objects.select_related("company", "actor").get(pk=run_id)
    ClassificationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    run.status = RunStatus.RUNNING
    try:
        classify(run.company, as_of=run.as_of, actor=run.actor, run=run)
    except Exception:
        logger.exception("classification run %s failed", run.pk)
        ClassificationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=_("The computation stopped on an unexpected error; nothing was changed."),
        )


# ----------------------------------------------------------------------------- overrides


def _record_change(
    customer: Customer, new: str, *, reason: str, source: str, actor: Any
) -> ClassChange | None:
    """Set the customer's effective class, with a history row when it changes."""
    old = customer.abc_class
    if old == new:
        return None
    Customer.objects.filter(pk=customer.pk, company_id=customer.company_id).update(abc_class=new)
    customer.abc_class = new
    return ClassChange.objects.create(
        company_id=customer.company_id,
        customer=customer,
        as_of=local_today(customer.company),
        old_class=old,
        new_class=new,
        reason=reason,
        source=source,
        actor=actor,
        actor_name=str(actor) if actor else "",
    )


def set_override(
    customer: Customer,
    *,
    abc_class: str,
    reason: str,
    expires_on: date | None,
    actor: Any,
) -> ClassOverride:
    """Give the customer a manual class (boss or manager) that wins until expiry or removal."""
    if actor is not None and not actor.can("segmentation.override"):
        raise PermissionDenied
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if abc_class not in CustomerClass.values:
        errors["abc_class"] = _("Choose A, B or C.")
    if not reason:
        errors["reason"] = _("Say why this customer gets another class.")
    if expires_on is not None and expires_on < local_today(customer.company):
        errors["expires_on"] = _("The expiry date is in the past.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        override, _created = ClassOverride.objects.update_or_create(
            company_id=customer.company_id,
            customer=customer,
            defaults={
                "abc_class": abc_class,
                "reason": reason,
                "expires_on": expires_on,
                "created_by": actor,
            },
        )
        _record_change(customer, abc_class, reason=reason, source=ChangeSource.MANUAL, actor=actor)
    return override


def remove_override(customer: Customer, *, actor: Any) -> None:
    """Drop the manual class: the computed class applies again at once."""
    if actor is not None and not actor.can("segmentation.override"):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _rows = ClassOverride.objects.filter(
            company_id=customer.company_id, customer=customer
        ).delete()
        if not deleted:
            return
        result = ClassResult.objects.filter(
            company_id=customer.company_id, customer=customer
        ).first()
        computed = result.computed_class if result else CustomerClass.C
        _record_change(
            customer,
            computed,
            reason=_("override removed"),
            source=ChangeSource.MANUAL,
            actor=actor,
        )


# ----------------------------------------------------------------------------- settings


def update_settings(company: Any, *, actor: Any, fields: dict[str, Any]) -> ClassSettings:
    """Change the metric, thresholds or window (boss or manager); used from the next run."""
    if not actor.can("segmentation.settings"):
        raise PermissionDenied
    config = get_settings(company)
    a, b = (
        fields.get("a_threshold", config.a_threshold),
        fields.get("b_threshold", config.b_threshold),
    )
    if a >= b:
        raise ValidationError({"b_threshold": _("The B threshold must be above the A threshold.")})
    for name, value in fields.items():
        setattr(config, name, value)
    config.full_clean()
    config.save()
    return config


def update_policy(
    company: Any, abc_class: str, *, actor: Any, visit_interval_days: int, care_actions: list[str]
) -> ServicePolicy:
    """Change what a class gets (boss only)."""
    if not actor.can("segmentation.policy"):
        raise PermissionDenied
    unknown = [code for code in care_actions if code not in CareAction.values]
    if unknown:
        raise ValidationError({"care_actions": _("Unknown care action: %s") % ", ".join(unknown)})
    policy = service_policy(company, abc_class)
    policy.visit_interval_days = visit_interval_days
    policy.care_actions = [code for code in CareAction.values if code in care_actions]
    policy.full_clean()
    policy.save()
    return policy
