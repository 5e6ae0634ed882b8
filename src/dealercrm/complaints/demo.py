"""The demo dealer's complaints, for `dealercrm demo`: about three months of complaints in
every state (a few open ones past their deadline, so the lists show red), each with its history.
Deterministic for a given seed and day."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction

from dealercrm.companies.services import company_zone
from dealercrm.complaints.choices import (
    ComplaintCategory,
    ComplaintStatus,
    EventKind,
    Severity,
    Verdict,
)
from dealercrm.complaints.models import Complaint, ComplaintEvent
from dealercrm.complaints.services import deadline_hours
from dealercrm.customers.models import Customer

SEED = 20091017
TEXTS = {
    ComplaintCategory.QUALITY: ("一箱酱油有三瓶漏液", "换货处理，补发三瓶"),
    ComplaintCategory.DELIVERY: ("说好周二送货，周四才到", "调整了配送线路，下次优先送"),
    ComplaintCategory.PRICE: ("上月返利还没到账", "财务已核对并补发返利"),
    ComplaintCategory.SERVICE: ("业务员答应的海报一直没给", "业务员已送去海报并道歉"),
    ComplaintCategory.DISPLAY: ("堆头被别的品牌占了", "重新谈了陈列位置"),
    ComplaintCategory.BILLING: ("发票金额和送货单不一致", "重开发票"),
    ComplaintCategory.OTHER: ("临期货退换太慢", "当场办理了退换"),
}


@transaction.atomic
def load_demo_complaints(company: Any, today: date, *, seed: int = SEED) -> int:
    """Write the demo complaints received over the 90 days before today; returns how many."""
    rng = random.Random(seed)
    zone = company_zone(company)
    customers = list(
        Customer.objects.for_company(company)
        .filter(rep__isnull=False)
        .select_related("company")
        .order_by("code")
    )
    if not customers:
        return 0
    hours = {severity: deadline_hours(company, severity) for severity in Severity.values}
    written = 0
    for customer in rng.sample(customers, k=min(len(customers), 30)):
        category = rng.choice(ComplaintCategory.values)
        severity = rng.choice([Severity.HIGH, Severity.MEDIUM, Severity.MEDIUM, Severity.LOW])
        received = datetime.combine(
            today - timedelta(days=rng.randint(0, 90)),
            time(rng.randint(8, 18), rng.randint(0, 59)),
            tzinfo=zone,
        )
        deadline = received + timedelta(hours=hours[severity])
        old = (today - received.date()).days > 10
        status = rng.choice(
            [ComplaintStatus.CLOSED, ComplaintStatus.CLOSED, ComplaintStatus.RESOLVED]
            if old
            else [ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED]
        )
        problem, fix = TEXTS[category]
        done = status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
        resolved_at = (
            min(deadline, received + timedelta(hours=rng.randint(2, 80))) if done else None
        )
        verdict = ""
        if status == ComplaintStatus.CLOSED:
            verdict = Verdict.SATISFIED if rng.random() < 0.8 else Verdict.UNSATISFIED
        complaint = Complaint.objects.create(
            company_id=company.pk,
            customer=customer,
            category=category,
            severity=severity,
            description=problem,
            owner_id=customer.rep_id,
            status=status,
            received_at=received,
            deadline=deadline,
            resolution=fix if done else "",
            resolved_at=resolved_at,
            verdict=verdict,
            created_by_id=customer.rep_id,
        )
        events = [(EventKind.OPENED, f"{complaint.get_category_display()}")]
        if status != ComplaintStatus.OPEN:
            events.append((EventKind.STARTED, ""))
        if done:
            events.append((EventKind.RESOLVED, fix))
        if verdict:
            events.append((EventKind.CLOSED, Verdict(verdict).label))
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                company_id=company.pk,
                complaint=complaint,
                actor_id=customer.rep_id,
                kind=kind,
                text=str(text),
            )
            for kind, text in events
        )
        written += 1
    return written
