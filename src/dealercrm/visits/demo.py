"""The demo dealer's visit history, for `dealercrm demo`.

About 180 days of done visits to every owned customer at roughly its class's pace (A weekly,
B fortnightly, C monthly), by reps of different diligence; a tenth of the customers have been
neglected for a while, so the "today" pages and the report have overdue customers. Check-ins are
mostly within a few hundred metres of the shop, a few far away (flagged), some without a
position. Some visits saw competitors' products with their prices; none has photos. Planned
visits for today and the coming week complete the picture. Deterministic for a given seed and
day; written with bulk inserts.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from geographiclib.geodesic import Geodesic

from dealercrm.customers.demo import COMPETITOR_PRODUCTS
from dealercrm.customers.models import Customer
from dealercrm.visits.choices import ShelfDisplay, StockLevel, VisitStatus
from dealercrm.visits.models import CompetitorSighting, Visit
from dealercrm.visits.services import (
    company_zone,
    distance_m,
    is_far,
    policy_class,
    visit_intervals,
)

SEED = 20091015
DAYS = 180
BATCH = 1000
NOTES = [
    "老板在店，聊了新品上市安排",
    "货架位置不错，补了价签",
    "店里人多，简单看了库存",
    "老板娘说下周再订货",
    "提醒对方月底对账",
    "竞品在做买赠活动",
    "冷柜里我们的产品摆在最下层，已沟通调整",
    "送了海报两张，已张贴",
    "反映上次送货晚了一天",
    "",
    "",
]
STEP = Decimal("0.000001")
COUNTY_SEAT = (Decimal("32.520000"), Decimal("112.360000"))  # 新野县城


def _offset(rng: random.Random, latitude: Decimal, longitude: Decimal, metres: float) -> tuple:
    found = Geodesic.WGS84.Direct(float(latitude), float(longitude), rng.uniform(0, 360), metres)
    return Decimal(found["lat2"]).quantize(STEP), Decimal(found["lon2"]).quantize(STEP)


def _checkin(rng: random.Random, customer: Customer) -> dict[str, Any]:
    """Where the phone was: mostly at the shop, sometimes far away, sometimes unknown."""
    if rng.random() < 0.08:
        return {}  # position refused or not found
    if customer.latitude is None or customer.longitude is None:
        # A shop not on the map: the phone's position is kept, no distance can be given.
        latitude, longitude = _offset(rng, COUNTY_SEAT[0], COUNTY_SEAT[1], rng.uniform(0, 8000))
        return {"checkin_latitude": latitude, "checkin_longitude": longitude}
    metres = rng.uniform(600, 3000) if rng.random() < 0.06 else rng.uniform(5, 300)
    latitude, longitude = _offset(rng, customer.latitude, customer.longitude, metres)
    distance = distance_m(latitude, longitude, customer.latitude, customer.longitude)
    return {
        "checkin_latitude": latitude,
        "checkin_longitude": longitude,
        "checkin_accuracy_m": rng.choice([5, 8, 10, 15, 20, 35, 65]),
        "distance_m": distance,
        "far_from_customer": is_far(distance),
    }


def _observations(rng: random.Random) -> dict[str, Any]:
    ordered = rng.random() < 0.35
    return {
        "notes": rng.choice(NOTES),
        "stock_level": rng.choice(
            [StockLevel.AMPLE, StockLevel.NORMAL, StockLevel.NORMAL, StockLevel.LOW, ""]
        ),
        "shelf_display": rng.choice(
            [ShelfDisplay.GOOD, ShelfDisplay.FAIR, ShelfDisplay.FAIR, ShelfDisplay.POOR]
        ),
        "ads_present": rng.choice([True, True, False, None]),
        "order_amount": Decimal(rng.randrange(20_000, 500_000, 100)) / 100 if ordered else None,
        "order_notes": rng.choice(["现金", "月结", "下次送货带上"]) if ordered else "",
    }


def _sightings(rng: random.Random, visit: Visit) -> list[CompetitorSighting]:
    if rng.random() > 0.2:
        return []
    found = []
    for brand, item, retail in rng.sample(COMPETITOR_PRODUCTS, k=rng.randint(1, 2)):
        price = Decimal(retail) * Decimal(rng.choice(["0.9", "1", "1", "1.1"]))
        found.append(
            CompetitorSighting(
                company_id=visit.company_id,
                visit=visit,
                brand=brand,
                product=item,
                price=price.quantize(Decimal("0.01")),
            )
        )
    return found


@transaction.atomic
def load_demo_visits(company: Any, today: date, *, seed: int = SEED) -> int:
    """Write the demo's visit history ending yesterday, and plans from today; returns how many
    visits were written (done and planned)."""
    rng = random.Random(seed)
    zone = company_zone(company)
    intervals = visit_intervals(company)
    customers = list(
        Customer.objects.for_company(company).filter(rep__isnull=False).order_by("code")
    )
    diligence: dict[int, float] = {}
    visits: list[Visit] = []
    last_visit: dict[int, date] = {}
    for customer in customers:
        rep_pace = diligence.setdefault(customer.rep_id, rng.uniform(0.75, 1.1))
        interval = intervals[policy_class(customer.abc_class)]
        neglected = rng.random() < 0.1
        stop = today - timedelta(days=rng.randint(interval, interval + 30)) if neglected else today
        day = today - timedelta(days=DAYS - rng.randint(0, min(interval, DAYS) - 1))
        stop = max(stop, day + timedelta(days=1))  # visited at least once
        while day < stop:
            moment = datetime.combine(
                day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone
            )
            visits.append(
                Visit(
                    company_id=company.pk,
                    customer=customer,
                    rep_id=customer.rep_id,
                    status=VisitStatus.DONE,
                    visited_at=moment,
                    checkin_at=moment,
                    created_by_id=customer.rep_id,
                    **_checkin(rng, customer),
                    **_observations(rng),
                )
            )
            last_visit[customer.pk] = day
            day += timedelta(days=max(1, round(interval * rng.uniform(0.8, 1.3) / rep_pace)))
    by_rep: dict[int, list[Customer]] = {}
    for customer in customers:
        by_rep.setdefault(customer.rep_id, []).append(customer)
    for rep_id, owned in sorted(by_rep.items()):
        for customer in rng.sample(owned, k=min(len(owned), rng.randint(4, 8))):
            visits.append(
                Visit(
                    company_id=company.pk,
                    customer=customer,
                    rep_id=rep_id,
                    status=VisitStatus.PLANNED,
                    planned_for=today + timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 7])),
                    created_by_id=rep_id,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    sightings = [
        s for visit in visits if visit.status == VisitStatus.DONE for s in _sightings(rng, visit)
    ]
    CompetitorSighting.objects.bulk_create(sightings, batch_size=BATCH)
    for customer in customers:
        customer.last_visit_on = last_visit.get(customer.pk)
    Customer.objects.bulk_update(customers, ["last_visit_on"], batch_size=BATCH)
    return len(visits)
