"""classify() against a plain re-implementation of the DESIGN rule over the raw lines."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dealercrm.customers.models import Customer
from dealercrm.segmentation import services
from dealercrm.segmentation.choices import Metric
from dealercrm.segmentation.models import ClassChange, ClassResult, ClassSettings
from dealercrm.segmentation.tests.helpers import Line, add_lines
from dealercrm.testing import make_customer

AS_OF = date(2026, 6, 30)


def reference_classes(customers, lines, *, as_of, metric, a, b, days=365):
    """The rule written out as a person would do it on paper, nothing shared with the service."""
    first = as_of - timedelta(days=days - 1)
    totals = {c.pk: Decimal(0) for c in customers}
    for line in lines:
        if first <= line.day <= as_of:
            if metric == "amount":
                value = line.amount
            elif metric == "quantity":
                value = line.quantity
            else:
                value = line.amount - (line.cost if line.cost is not None else Decimal(0))
            totals[line.customer_id] += value
    codes = {c.pk: c.code for c in customers}
    order = sorted(totals, key=lambda pk: (-totals[pk], codes[pk]))
    positive = sum(v for v in totals.values() if v > 0)
    classes, ranks, shares = {}, {}, {}
    above = Decimal(0)
    for position, pk in enumerate(order, start=1):
        ranks[pk] = position
        value = totals[pk]
        if value <= 0:
            classes[pk] = "C"
        else:
            share = above / positive * 100
            shares[pk] = share.quantize(Decimal("0.0001"), ROUND_HALF_UP)
            if share < a:
                classes[pk] = "A"
            elif share < b:
                classes[pk] = "B"
            else:
                classes[pk] = "C"
            above += value
    return classes, ranks, totals, shares


def generated_sales(company, seed: int, count: int = 60):
    rng = random.Random(seed)
    customers = [
        make_customer(company, code=f"G{rng.randrange(10_000):04d}-{n:03d}", name=f"客户{n}")
        for n in range(count)
    ]
    first, last = AS_OF - timedelta(days=364), AS_OF
    edge_days = [first, first - timedelta(days=1), last, last + timedelta(days=1)]
    lines: list[Line] = []
    amounts = ["100.00", "250.50", "1000.00", "33.33", "0.01", "5000.00"]
    for index, customer in enumerate(customers):
        kind = index % 6
        if kind == 5:
            continue  # no sales at all
        for _ in range(rng.randrange(1, 6)):
            day = (
                rng.choice(edge_days)
                if rng.random() < 0.4
                else first + timedelta(days=rng.randrange(365))
            )
            amount = Decimal(rng.choice(amounts))
            quantity = Decimal(rng.randrange(1, 50))
            if kind == 4 or rng.random() < 0.15:  # returns
                amount, quantity = -amount, -quantity
            cost = (
                None if rng.random() < 0.3 else (amount * Decimal("0.7")).quantize(Decimal("0.01"))
            )
            lines.append(Line(customer.pk, day, quantity, amount, cost))
    # exact ties in every metric between two customers
    for pk in (customers[0].pk, customers[1].pk):
        lines.append(Line(pk, AS_OF, Decimal("7"), Decimal("777.00"), Decimal("77.00")))
    add_lines(company, lines)
    return customers, lines


def classes_stored(company) -> dict[int, str]:
    return dict(Customer.objects.filter(company=company).values_list("pk", "abc_class"))


@pytest.mark.parametrize("metric", [Metric.AMOUNT, Metric.PROFIT, Metric.QUANTITY])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_classes_match_the_reference_for_every_metric(personas, metric, seed):
    company = personas.company
    _customers, lines = generated_sales(company, seed)
    ClassSettings.objects.create(company=company, metric=metric)
    everyone = list(Customer.objects.filter(company=company))

    run = services.classify(company, as_of=AS_OF)

    expected, ranks, totals, shares = reference_classes(
        everyone, lines, as_of=AS_OF, metric=metric, a=70, b=90
    )
    assert classes_stored(company) == expected
    results = {r.customer_id: r for r in ClassResult.objects.filter(company=company)}
    assert {pk: r.rank for pk, r in results.items()} == ranks
    assert {pk: r.value for pk, r in results.items()} == totals
    assert {pk: results[pk].share_before for pk in shares} == shares
    assert run.count_a == sum(1 for c in expected.values() if c == "A")
    assert run.count_c == sum(1 for c in expected.values() if c == "C")
    assert run.positive_total == sum(v for v in totals.values() if v > 0)


def test_changed_thresholds_and_window_are_used_at_the_next_run(personas):
    company = personas.company
    _customers, lines = generated_sales(company, 7)
    everyone = list(Customer.objects.filter(company=company))
    services.classify(company, as_of=AS_OF)
    ClassSettings.objects.filter(company=company).update(
        a_threshold=Decimal("50"), b_threshold=Decimal("80.5"), window_days=30
    )
    services.classify(company, as_of=AS_OF)
    expected, _ranks, _totals, _shares = reference_classes(
        everyone, lines, as_of=AS_OF, metric="amount", a=Decimal("50"), b=Decimal("80.5"), days=30
    )
    assert classes_stored(company) == expected


def test_a_customer_exactly_at_the_threshold_is_the_lower_class(personas):
    company = personas.company
    names = ["A1", "A2", "A3", "A4"]
    customers = [make_customer(company, code=code) for code in names]
    # 70 / 20 / 10: the second sees exactly 70% above it → B; the third exactly 90% → C.
    sales = zip(customers[:3], ["70", "20", "10"], strict=True)
    add_lines(company, [Line(c.pk, AS_OF, Decimal(1), Decimal(v), None) for c, v in sales])
    services.classify(company, as_of=AS_OF)
    got = {c.code: c.abc_class for c in Customer.objects.filter(company=company, code__in=names)}
    assert got == {"A1": "A", "A2": "B", "A3": "C", "A4": "C"}


def test_ties_go_to_the_lower_customer_code_first(personas):
    company = personas.company
    later, earlier = make_customer(company, code="T2"), make_customer(company, code="T1")
    add_lines(
        company, [Line(c.pk, AS_OF, Decimal(1), Decimal("50"), None) for c in (later, earlier)]
    )
    services.classify(company, as_of=AS_OF)
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert (earlier.abc_class, later.abc_class) == ("A", "A")
    results = {r.customer_id: r for r in ClassResult.objects.filter(company=company)}
    assert results[earlier.pk].rank < results[later.pk].rank
    assert results[later.pk].share_before == Decimal("50")


def test_with_no_positive_sales_everyone_is_c(personas):
    company = personas.company
    add_lines(
        company,
        [Line(personas.rep_customer.pk, AS_OF, Decimal(-1), Decimal("-10"), None)],
    )
    run = services.classify(company, as_of=AS_OF)
    assert set(classes_stored(company).values()) == {"C"}
    assert run.positive_total == 0 and run.share_of("C") is None


def test_lines_of_another_company_do_not_count(personas):
    add_lines(
        personas.outsider_company,
        [Line(personas.outsider_customer.pk, AS_OF, Decimal(1), Decimal("999"), None)],
    )
    add_lines(
        personas.company,
        [Line(personas.other_rep_customer.pk, AS_OF, Decimal(1), Decimal("1"), None)],
    )
    run = services.classify(personas.company, as_of=AS_OF)
    assert run.positive_total == Decimal("1")
    personas.outsider_customer.refresh_from_db()
    assert personas.outsider_customer.abc_class == ""


def test_the_first_classes_are_kept_in_the_history_and_a_rerun_writes_nothing(personas):
    company = personas.company
    generated_sales(company, 11)
    first = services.classify(company, as_of=AS_OF)
    customers = Customer.objects.filter(company=company).count()
    assert first.results_written == customers
    assert first.class_changes == customers
    assert set(ClassChange.objects.values_list("old_class", flat=True)) == {""}
    assert not Customer.objects.filter(company=company, abc_class="").exists()
    second = services.classify(company, as_of=AS_OF)
    assert (second.class_changes, second.results_written) == (0, 0)


def test_the_sales_are_read_with_one_grouped_query_and_few_others(personas):
    company = personas.company
    generated_sales(company, 5, count=20)
    services.classify(company, as_of=AS_OF)
    with CaptureQueriesContext(connection) as queries:
        services.classify(company, as_of=AS_OF + timedelta(days=1))
    on_lines = [q["sql"] for q in queries.captured_queries if "sales_orderline" in q["sql"]]
    assert len(on_lines) == 1 and "GROUP BY" in on_lines[0]
    assert len(queries.captured_queries) <= 16
