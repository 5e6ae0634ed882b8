"""The demo dealer's satisfaction answers, for `dealercrm demo` (to be called after classes and
visits are loaded): a year of answers from about a third of the owned customers, asked on
visits, by phone or through links, class A customers happier on the whole, some with comments.
Deterministic for a given seed and day; written with bulk inserts."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from dealercrm.companies.services import company_zone
from dealercrm.customers.models import Customer
from dealercrm.satisfaction.choices import SurveySource
from dealercrm.satisfaction.models import Survey

SEED = 20091016
BATCH = 1000
# Scores each class tends to give (drawn uniformly from these).
SCORES = {
    "A": [10, 10, 9, 9, 9, 8, 8, 7, 6],
    "B": [10, 9, 9, 8, 8, 7, 7, 6, 5],
    "C": [10, 9, 8, 7, 7, 6, 5, 4, 3, 2],
}
PRAISE = [
    "送货及时，业务员很勤快",
    "新品铺货快，陈列做得好",
    "返利兑现准时",
    "有问题一个电话就解决",
]
CRITICISM = [
    "送货经常晚一两天",
    "促销政策变得太快",
    "业务员来得太少",
    "价格比别家高",
    "临期货退换太慢",
]


@transaction.atomic
def load_demo_surveys(company: Any, today: date, *, seed: int = SEED) -> int:
    """Write the demo answers over the 365 days before today; returns how many."""
    rng = random.Random(seed)
    zone = company_zone(company)
    customers = list(
        Customer.objects.for_company(company).filter(rep__isnull=False).order_by("code")
    )
    answers = []
    for customer in customers:
        if rng.random() > 0.35:
            continue
        for _n in range(rng.randint(1, 3)):
            day = today - timedelta(days=rng.randint(1, 365))
            score = rng.choice(SCORES.get(customer.abc_class, SCORES["C"]))
            comment = ""
            if score <= 6 and rng.random() < 0.7:
                comment = rng.choice(CRITICISM)
            elif score >= 9 and rng.random() < 0.3:
                comment = rng.choice(PRAISE)
            source = rng.choice(
                [SurveySource.VISIT, SurveySource.VISIT, SurveySource.PHONE, SurveySource.LINK]
            )
            answers.append(
                Survey(
                    company_id=company.pk,
                    customer=customer,
                    score=score,
                    comment=comment,
                    source=source,
                    answered_at=datetime.combine(
                        day, time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=zone
                    ),
                    recorded_by_id=None if source == SurveySource.LINK else customer.rep_id,
                    rep_id=customer.rep_id,
                    abc_class=customer.abc_class or "",
                    sales_region_id=customer.sales_region_id,
                )
            )
    Survey.objects.bulk_create(answers, batch_size=BATCH)
    return len(answers)
