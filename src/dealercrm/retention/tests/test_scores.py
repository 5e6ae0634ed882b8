"""RFM values and 1–5 scores on a small example computed by hand (see the table below)."""

from __future__ import annotations

from decimal import Decimal

from dealercrm.retention.models import CustomerScore
from dealercrm.retention.services import refresh
from dealercrm.retention.tests.history import AS_OF, buy
from dealercrm.testing import make_customer

# code: lines as (days before AS_OF, amount)
HISTORIES = {
    "C1": [(1, "100.00"), (50, "100.00"), (100, "100.00")],
    "C2": [(10, "1000.00")],
    "C3": [(10, "50.00"), (20, "50.00")],
    "C4": [(400, "500.00")],  # before the 365 days: R counts it, F and M do not
    "C5": [(30, "300.00"), (20, "-50.00")],  # the return day is no order
    "C6": [],  # never bought: not scored
    "C7": [(5, "-20.00")],  # returns only: not scored
    "C8": [(200, "100.00")],
    "C9": [(0, "2000.00")],
}

# Worked by hand. Seven customers are scored (N = 7); p = 1 + number strictly worse;
# score = ceil(5p / 7): p 1→1, 2→2, 3→3, 4→3, 5→4, 6→5, 7→5.
#   R (days, fewer is better): C4 400 p1, C8 200 p2, C5 30 p3, C2 = C3 10 p4, C1 1 p6, C9 0 p7
#   F (dates): C4 0 p1, C2 = C5 = C8 = C9 1 p2, C3 2 p6, C1 3 p7
#   M (money): C4 0 p1, C3 = C8 100 p2, C5 250 p4, C1 300 p5, C2 1000 p6, C9 2000 p7
EXPECTED = {
    # code: (R days, F, M, R score, F score, M score)
    "C1": (1, 3, "300.00", 5, 5, 4),
    "C2": (10, 1, "1000.00", 3, 2, 5),
    "C3": (10, 2, "100.00", 3, 5, 2),
    "C4": (400, 0, "0.00", 1, 1, 1),
    "C5": (30, 1, "250.00", 3, 2, 3),
    "C6": (None, 0, "0.00", None, None, None),
    "C7": (None, 0, "-20.00", None, None, None),
    "C8": (200, 1, "100.00", 2, 2, 2),
    "C9": (0, 1, "2000.00", 5, 2, 5),
}


def test_rfm_values_and_quintile_scores_match_the_hand_computed_example(personas):
    for code, lines in HISTORIES.items():
        buy(make_customer(personas.company, code=code, name=code), lines)

    result = refresh(personas.company, AS_OF)

    rows = {
        score.customer.code: (
            score.recency_days,
            score.frequency,
            score.monetary,
            score.r_score,
            score.f_score,
            score.m_score,
        )
        for score in CustomerScore.objects.for_company(personas.company).select_related("customer")
        if score.customer.code in EXPECTED
    }
    expected = {
        code: (r, f, Decimal(m), rs, fs, ms) for code, (r, f, m, rs, fs, ms) in EXPECTED.items()
    }
    assert rows == expected
    # The personas' two customers of ALPHA have no orders either.
    assert result.customers == len(HISTORIES) + 2
    assert result.scored == 7


def test_equal_values_share_the_score_of_their_lowest_position(personas):
    for code in ("E1", "E2", "E3"):
        buy(make_customer(personas.company, code=code, name=code), [(10, "100.00")])

    refresh(personas.company, AS_OF)

    scores = CustomerScore.objects.for_company(personas.company).exclude(r_score=None)
    # Three equal customers: p = 1 for all, ceil(5 / 3) = 2.
    assert sorted(scores.values_list("r_score", "f_score", "m_score")) == [(2, 2, 2)] * 3
