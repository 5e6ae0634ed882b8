"""Warnings on constructed histories: who is dormant, who is declining, who is left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from dealercrm.retention.models import CustomerScore
from dealercrm.retention.services import refresh, scheduled_refresh
from dealercrm.retention.tests.history import AS_OF, buy, days_ago, every
from dealercrm.testing import make_customer


@pytest.fixture
def alpha(personas):
    return personas.company


def customer_with(company, code, lines):
    customer = make_customer(company, code=code, name=f"客户{code}")
    buy(customer, lines)
    return customer


def score_of(customer) -> CustomerScore:
    return CustomerScore.objects.get(customer=customer)


def test_a_regular_buyer_who_stops_is_dormant(alpha):
    stopped = customer_with(alpha, "R1", every(10, 300, 60))

    refresh(alpha, AS_OF)

    score = score_of(stopped)
    assert score.dormant is True
    assert score.usual_interval == Decimal("10.0")
    assert score.recency_days == 60
    assert score.last_order == days_ago(60)


def test_a_buyer_who_keeps_buying_has_no_warning(alpha):
    steady = customer_with(alpha, "R2", every(10, 360, 0))

    refresh(alpha, AS_OF)

    score = score_of(steady)
    assert (score.dormant, score.declining) == (False, False)
    assert score.at_risk == 0
    assert score.recency_days == 0
    assert score.frequency == 37


def test_a_buyer_whose_sales_fall_is_declining_but_not_dormant(alpha):
    earlier = every(7, 350, 91, "1000.00")
    later = every(7, 84, 0, "500.00")
    falling = customer_with(alpha, "D1", earlier + later)

    refresh(alpha, AS_OF)

    score = score_of(falling)
    assert score.declining is True and score.dormant is False
    # 13 weekly orders in each 90-day period: days 84..0 and 174..90 (step 7 from 350).
    assert score.sales_last_90 == Decimal("6500.00")
    assert score.sales_prior_90 == Decimal("13000.00")
    assert score.at_risk == Decimal("6500.00")


def test_a_growing_buyer_has_no_warning(alpha):
    growing = customer_with(alpha, "G1", every(7, 350, 91, "500.00") + every(7, 84, 0, "900.00"))

    refresh(alpha, AS_OF)

    score = score_of(growing)
    assert (score.dormant, score.declining) == (False, False)


def test_a_new_customer_gets_no_warning(alpha):
    # Two orders only (no usual interval), the first within 180 days, sales fell between them.
    new = customer_with(alpha, "N1", [(120, "1000.00"), (40, "10.00")])

    refresh(alpha, AS_OF)

    score = score_of(new)
    assert (score.dormant, score.declining) == (False, False)
    assert score.usual_interval is None
    assert score.r_score is not None  # it is scored all the same


def test_a_customer_since_less_than_180_days_is_never_declining(alpha):
    young = customer_with(alpha, "N2", every(10, 170, 100, "1000.00") + every(10, 80, 0, "10.00"))

    refresh(alpha, AS_OF)

    assert score_of(young).declining is False
    assert score_of(young).sales_prior_90 > 0


@pytest.mark.parametrize(("days_since", "dormant"), [(13, False), (14, True)])
def test_dormant_needs_at_least_14_days_even_for_a_frequent_buyer(alpha, days_since, dormant):
    # Usual interval 5 days: twice that is 10, so only the 14-day floor decides.
    frequent = customer_with(alpha, "F1", every(5, 100 + days_since, days_since))

    refresh(alpha, AS_OF)

    score = score_of(frequent)
    assert score.usual_interval == Decimal("5.0")
    assert score.recency_days == days_since
    assert score.dormant is dormant


@pytest.mark.parametrize(("days_since", "dormant"), [(20, False), (21, True)])
def test_dormant_means_more_than_twice_the_usual_interval(alpha, days_since, dormant):
    buyer = customer_with(alpha, "T1", every(10, 200 + days_since, days_since))

    refresh(alpha, AS_OF)

    assert score_of(buyer).usual_interval == Decimal("10.0")
    assert score_of(buyer).dormant is dormant


@pytest.mark.parametrize(("last_amount", "declining"), [("600.00", False), ("599.99", True)])
def test_declining_means_below_60_percent_of_the_90_days_before(alpha, last_amount, declining):
    # One order in each period, and older history so the customer is not new.
    buyer = customer_with(
        alpha, "S1", [(300, "1000.00"), (250, "1000.00"), (120, "1000.00"), (30, last_amount)]
    )

    refresh(alpha, AS_OF)

    score = score_of(buyer)
    assert score.sales_prior_90 == Decimal("1000.00")
    assert score.sales_last_90 == Decimal(last_amount)
    assert score.declining is declining


def test_the_two_periods_meet_at_90_days(alpha):
    # Day 89 belongs to the last 90 days, day 90 to the 90 days before; day 180 to neither.
    buyer = customer_with(
        alpha, "P1", [(300, "1.00"), (180, "5.00"), (179, "7.00"), (90, "11.00"), (89, "13.00")]
    )

    refresh(alpha, AS_OF)

    score = score_of(buyer)
    assert score.sales_last_90 == Decimal("13.00")
    assert score.sales_prior_90 == Decimal("18.00")


def test_no_declining_warning_without_sales_in_the_earlier_period(alpha):
    buyer = customer_with(alpha, "Z1", [(300, "100.00"), (250, "100.00"), (200, "100.00")])

    refresh(alpha, AS_OF)

    score = score_of(buyer)
    assert score.sales_prior_90 == 0 and score.sales_last_90 == 0
    assert score.declining is False
    assert score.dormant is True  # 200 days away, usual interval 50


def test_returns_count_negative_and_a_day_of_returns_is_not_an_order(alpha):
    buyer = customer_with(
        alpha,
        "X1",
        [
            *every(10, 300, 100, "1000.00"),
            (95, "1000.00"),
            # a return 20 days ago: not an order date, but it lowers the last 90 days' sales
            (20, "-400.00"),
            # a day whose return outweighs its sale is not an order date either
            (10, "300.00"),
            (10, "-500.00"),
        ],
    )

    refresh(alpha, AS_OF)

    score = score_of(buyer)
    assert score.last_order == days_ago(95)
    assert score.recency_days == 95
    assert score.sales_last_90 == Decimal("-600.00")
    assert score.sales_prior_90 == Decimal("9000.00")  # days 170..100 step 10, and day 95
    # 21 orders on days 300..100, one on day 95, less the two returns
    assert score.monetary == Decimal("22000.00") - Decimal("600.00")
    assert (score.dormant, score.declining) == (True, True)


def test_a_same_day_return_smaller_than_the_sale_still_makes_an_order_date(alpha):
    buyer = customer_with(alpha, "X2", [(50, "100.00"), (50, "-30.00")])

    refresh(alpha, AS_OF)

    assert score_of(buyer).last_order == days_ago(50)
    assert score_of(buyer).monetary == Decimal("70.00")


def test_the_usual_interval_is_the_median_gap_of_the_last_buying_year(alpha):
    # Gaps 4, 6, 10, 20 → median 8; an order 400 days before the last one is left out.
    dates = [440, 80, 60, 50, 44, 40]
    buyer = customer_with(alpha, "M1", [(days, "1.00") for days in dates])

    refresh(alpha, AS_OF)

    assert score_of(buyer).usual_interval == Decimal("8.0")


def test_a_regular_buyer_away_for_over_a_year_stays_dormant(alpha):
    long_gone = customer_with(alpha, "L1", every(30, 700, 400))

    refresh(alpha, AS_OF)

    score = score_of(long_gone)
    assert score.frequency == 0 and score.monetary == 0
    assert score.usual_interval == Decimal("30.0")
    assert score.dormant is True
    assert score.at_risk > 0


def test_lines_after_the_as_of_date_are_ignored(alpha):
    buyer = customer_with(alpha, "Q1", [*every(10, 300, 60), (-5, "100.00")])

    refresh(alpha, AS_OF)

    assert score_of(buyer).recency_days == 60
    assert score_of(buyer).dormant is True


def test_a_customer_without_orders_has_a_row_without_scores_or_warnings(personas):
    refresh(personas.company, AS_OF)

    score = score_of(personas.rep_customer)
    assert score.last_order is None and score.recency_days is None
    assert (score.r_score, score.f_score, score.m_score) == (None, None, None)
    assert (score.dormant, score.declining) == (False, False)


def test_refresh_replaces_the_rows_and_leaves_other_companies_alone(personas):
    alpha, beta = personas.company, personas.outsider_company
    buy(personas.outsider_customer, every(10, 300, 60))
    refresh(beta, AS_OF)
    buy(personas.rep_customer, every(10, 300, 60))

    refresh(alpha, AS_OF)
    refresh(alpha, AS_OF)

    assert CustomerScore.objects.for_company(alpha).count() == 2
    assert CustomerScore.objects.for_company(beta).count() == 1
    assert score_of(personas.outsider_customer).as_of == AS_OF
    assert score_of(personas.rep_customer).dormant is True
    # Another company's lines never count for a customer of this one.
    assert score_of(personas.other_rep_customer).last_order is None


def test_the_daily_job_is_idempotent_and_says_what_it_found(personas):
    buy(personas.rep_customer, every(10, 300, 60))
    buy(personas.other_rep_customer, every(10, 300, 0))

    with translation.override("en"):
        first = scheduled_refresh(personas.company, AS_OF)
    rows = list(
        CustomerScore.objects.order_by("customer").values_list(
            "customer", "r_score", "f_score", "m_score", "dormant", "declining", "at_risk"
        )
    )
    with translation.override("en"):
        second = scheduled_refresh(personas.company, AS_OF)

    assert first == second
    assert "2026-06-30" in first and "1 dormant" in first
    assert rows == list(
        CustomerScore.objects.order_by("customer").values_list(
            "customer", "r_score", "f_score", "m_score", "dormant", "declining", "at_risk"
        )
    )
