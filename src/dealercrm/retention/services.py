"""RFM scores and slipping-away warnings (客户流失预警), computed per company as of a date.

Definitions (as-of date D, default today in the company's time zone; lines after D are ignored):

- An **order date** of a customer is a date on which its lines add up to a net amount > 0. A day
  of returns only, or whose returns outweigh its sales, is not an order date (its amounts still
  count in the sums below).
- **R** (recency) = days from the last order date to D. **F** (frequency) = number of order dates
  from D − 364 through D. **M** (monetary) = net amount (returns negative) from D − 364 through D.
- **Scores 1–5** per company. Only customers with at least one order date on or before D are
  scored; a customer with no order (never bought, or only returns) keeps its row with F = 0, its
  M, and no scores (shown as "—"). Among the N scored customers, a customer's position p is
  1 + the number of scored customers with a strictly worse value (more days for R, fewer dates
  for F, less money for M), and its score is ⌈5p / N⌉. Equal values therefore get equal scores,
  the score of the lowest position they share: a tie never lifts a customer above the scores of
  customers who are strictly better (three customers with equal values all score ⌈5/3⌉ = 2). A
  value held by one customer alone scores 5 when it is the best.
- **Usual interval** = the median of the gaps (in days) between consecutive order dates within
  the 365 days ending at the customer's last order date (last − 364 through last). A customer
  needs at least 3 order dates there (two gaps) to have one. The 365 days end at the last order,
  not at D, so that a customer who stays away long enough does not lose its warning by dropping
  out of a window.
- **Dormant**: the customer has a usual interval, and R > 2 × usual interval and R ≥ 14.
- **Declining**: net sales of D − 89 through D are below 60 % of the net sales of D − 179 through
  D − 90, those earlier sales are > 0, and the customer's first order date is on or before
  D − 179 (it was a customer for all 180 days compared).
- **New** customers get no warning: fewer than 3 order dates in their last buying year means no
  usual interval (never dormant); a first order within the last 180 days means never declining.
- **Severity** (`at_risk`, the warnings list's order): the 90-day sales at risk. For a declining
  customer the fall, earlier 90 days − last 90 days; for a dormant one its usual 90-day sales,
  the net sales of its last buying year × 90 / 365; the larger when both apply; 0 otherwise.

Speed: one streaming query per company reads the net amount per (customer, date) in customer
order; Python keeps one customer's days at a time. The rows are replaced in one transaction.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dealercrm.companies.models import Company
from dealercrm.companies.services import local_today
from dealercrm.customers.models import Customer
from dealercrm.retention.models import CustomerScore
from dealercrm.sales.models import OrderLine

WINDOW_DAYS = 365  # F and M, and the buying year of the usual interval
PERIOD_DAYS = 90  # each of the two periods compared for "declining"
DORMANT_MIN_DAYS = 14
DORMANT_FACTOR = 2
DECLINING_SHARE = Decimal("0.6")
MIN_ORDER_DATES = 3
SCORE_LEVELS = 5
STREAM_CHUNK = 20_000
PG_WORK_MEM = "64MB"  # for the hash aggregate and sort of the daily totals
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class Measures:
    """One customer's values as of a date, before scoring."""

    customer_id: int
    first_order: datetime.date | None = None
    last_order: datetime.date | None = None
    recency_days: int | None = None
    frequency: int = 0
    monetary: Decimal = ZERO
    usual_interval: Decimal | None = None
    sales_last_90: Decimal = ZERO
    sales_prior_90: Decimal = ZERO
    dormant: bool = False
    declining: bool = False
    at_risk: Decimal = ZERO


@dataclass
class RefreshResult:
    as_of: datetime.date
    customers: int
    scored: int
    dormant: int
    declining: int
    seconds: float

    def describe(self) -> str:
        return _(
            "RFM as of %(date)s: %(customers)s customers, %(scored)s scored; "
            "%(dormant)s dormant, %(declining)s declining."
        ) % {
            "date": self.as_of.isoformat(),
            "customers": self.customers,
            "scored": self.scored,
            "dormant": self.dormant,
            "declining": self.declining,
        }


def measure_customer(
    customer_id: int, days: list[tuple[datetime.date, Decimal]], as_of: datetime.date
) -> Measures:
    """R, F, M, usual interval, the two 90-day totals and the warnings of one customer.

    `days` are the customer's (date, net amount) on or before `as_of`, in date order, one per
    date.
    """
    d = as_of.toordinal()
    window_start = d - (WINDOW_DAYS - 1)
    last_start = d - (PERIOD_DAYS - 1)
    prior_start = d - (2 * PERIOD_DAYS - 1)
    result = Measures(customer_id)
    order_dates: list[int] = []
    monetary = last_90 = prior_90 = ZERO
    for date, net in days:
        day = date.toordinal()
        if net > 0:
            order_dates.append(day)
        if day >= window_start:
            monetary += net
            if day >= last_start:
                last_90 += net
            elif day >= prior_start:
                prior_90 += net
    result.monetary, result.sales_last_90, result.sales_prior_90 = monetary, last_90, prior_90
    if not order_dates:
        return result
    first, last = order_dates[0], order_dates[-1]
    result.first_order = datetime.date.fromordinal(first)
    result.last_order = datetime.date.fromordinal(last)
    result.recency_days = d - last
    result.frequency = sum(1 for day in order_dates if day >= window_start)

    year_start = last - (WINDOW_DAYS - 1)
    buying_year = [day for day in order_dates if day >= year_start]
    if len(buying_year) >= MIN_ORDER_DATES:
        gaps = sorted(b - a for a, b in itertools.pairwise(buying_year))
        middle = len(gaps) // 2
        median = (
            Decimal(gaps[middle]) if len(gaps) % 2 else Decimal(gaps[middle - 1] + gaps[middle]) / 2
        )
        result.usual_interval = median
        result.dormant = (
            result.recency_days >= DORMANT_MIN_DAYS
            and result.recency_days > DORMANT_FACTOR * median
        )
    result.declining = (
        first <= prior_start and prior_90 > 0 and last_90 < prior_90 * DECLINING_SHARE
    )
    risks = [ZERO]
    if result.declining:
        risks.append(prior_90 - last_90)
    if result.dormant:
        year_sales = sum((net for date, net in days if date.toordinal() >= year_start), ZERO)
        risks.append(
            (year_sales * PERIOD_DAYS / WINDOW_DAYS).quantize(CENT, rounding=ROUND_HALF_UP)
        )
    result.at_risk = max(risks)
    return result


def quintile_scores(values: dict[int, object], *, higher_is_better: bool) -> dict[int, int]:
    """Score 1–5 per key: ⌈5p / N⌉ with p = 1 + the number of strictly worse values."""
    count = len(values)
    if not count:
        return {}
    ordered = sorted(set(values.values()), reverse=not higher_is_better)  # worst first
    position = {}
    seen = 0
    tally: dict[object, int] = {}
    for value in values.values():
        tally[value] = tally.get(value, 0) + 1
    for value in ordered:
        position[value] = seen + 1
        seen += tally[value]
    return {
        key: (SCORE_LEVELS * position[value] + count - 1) // count for key, value in values.items()
    }


def _daily_nets(
    company: Company, as_of: datetime.date
) -> Iterator[tuple[int, list[tuple[datetime.date, Decimal]]]]:
    """(customer id, [(date, net amount), ...]) per customer with lines on or before as_of.

    On PostgreSQL the rows come through a server-side cursor, for which the planner prefers a
    plan that returns the first rows soon: an index scan in customer order that visits the
    lines' pages at random, about four times slower over millions of lines than reading the
    table once, aggregating by hash and sorting the (far fewer) daily totals. The transaction
    asks for the whole result at once and gives the sort enough memory.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
                cursor.execute(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
        yield from _group_by_customer(company, as_of)


def _group_by_customer(
    company: Company, as_of: datetime.date
) -> Iterator[tuple[int, list[tuple[datetime.date, Decimal]]]]:
    rows = (
        OrderLine.objects.for_company(company)
        .filter(date__lte=as_of)
        .values_list("customer_id", "date")
        .annotate(net=Sum("amount"))
        .order_by("customer_id", "date")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    current: int | None = None
    days: list[tuple[datetime.date, Decimal]] = []
    for customer_id, date, net in rows:
        if customer_id != current:
            if current is not None:
                yield current, days
            current, days = customer_id, []
        # SQLite sums decimals as floats: round back to the cents that were stored.
        days.append((date, Decimal(net).quantize(CENT, ROUND_HALF_UP)))
    if current is not None:
        yield current, days


def compute(company: Company, as_of: datetime.date) -> list[Measures]:
    """Every customer of the company measured as of a date, in id order (not yet scored)."""
    measured = {
        customer_id: measure_customer(customer_id, days, as_of)
        for customer_id, days in _daily_nets(company, as_of)
    }
    customer_ids = Customer.objects.for_company(company).values_list("pk", flat=True)
    return [measured.get(pk) or Measures(pk) for pk in customer_ids.order_by("pk")]


def _scores(measures: Iterable[Measures]) -> dict[str, dict[int, int]]:
    scored = [m for m in measures if m.last_order is not None]
    return {
        "r": quintile_scores(
            {m.customer_id: m.recency_days for m in scored}, higher_is_better=False
        ),
        "f": quintile_scores({m.customer_id: m.frequency for m in scored}, higher_is_better=True),
        "m": quintile_scores({m.customer_id: m.monetary for m in scored}, higher_is_better=True),
    }


def refresh(company: Company, as_of: datetime.date | None = None) -> RefreshResult:
    """Recompute and replace the company's scores and warnings; running it twice is harmless."""
    started = time.monotonic()
    as_of = as_of or local_today(company)
    measures = compute(company, as_of)
    scores = _scores(measures)
    now = timezone.now()
    rows = (
        CustomerScore(
            company=company,
            customer_id=m.customer_id,
            as_of=as_of,
            first_order=m.first_order,
            last_order=m.last_order,
            recency_days=m.recency_days,
            frequency=m.frequency,
            monetary=m.monetary,
            r_score=scores["r"].get(m.customer_id),
            f_score=scores["f"].get(m.customer_id),
            m_score=scores["m"].get(m.customer_id),
            usual_interval=m.usual_interval,
            sales_last_90=m.sales_last_90,
            sales_prior_90=m.sales_prior_90,
            dormant=m.dormant,
            declining=m.declining,
            at_risk=m.at_risk,
            computed_at=now,
        )
        for m in measures
    )
    with transaction.atomic():
        # One refresh of a company at a time: a second one waits, then replaces the rows again.
        list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk"))
        CustomerScore.objects.for_company(company).delete()
        _insert(rows)
    return RefreshResult(
        as_of=as_of,
        customers=len(measures),
        scored=len(scores["r"]),
        dormant=sum(m.dormant for m in measures),
        declining=sum(m.declining for m in measures),
        seconds=time.monotonic() - started,
    )


def _insert(rows: Iterable[CustomerScore]) -> None:
    """Write the new rows: COPY on PostgreSQL, one prepared INSERT run for every row elsewhere
    (bulk_create manages about 5,000 rows a second here, each of these several times that)."""
    fields = [f for f in CustomerScore._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(CustomerScore._meta.db_table)
    attnames = [f.attname for f in fields]
    if connection.vendor != "postgresql":
        placeholders = ", ".join(["%s"] * len(fields))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                (
                    [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
                    for row in rows
                ),
            )
        return
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([getattr(row, name) for name in attnames])


def scheduled_refresh(company: Company, run_date: datetime.date) -> str:
    """The daily job (jobs/registry.py): refresh as of run_date and say what came out."""
    return refresh(company, run_date).describe()
