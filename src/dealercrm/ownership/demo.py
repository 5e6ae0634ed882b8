"""The demo dealer's pool: about 5% of the customers nobody owns, and a few notifications.

Run after the demo's customers and sales are loaded (and best after the classes are computed):
mostly class C customers without a recent order go to the pool, their assignments ended with a
reason, as the daily pool rule would have done; their former owners, the managers and the boss
are told. Deterministic (a fixed seed) and in bulk.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.companies.models import Company
from dealercrm.core.models import AuditSource
from dealercrm.customers.models import Customer
from dealercrm.notifications.services import notify
from dealercrm.ownership import services
from dealercrm.sales.models import OrderLine

SEED = 20261127
SHARE = 0.05
RECENT_DAYS = 90


@transaction.atomic
def load_demo_pool(company: Company) -> int:
    """Put about 5% of the company's customers in the pool; answers how many."""
    today = services.local_today(company)
    recent = OrderLine.objects.filter(
        company=company, customer=OuterRef("pk"), date__gt=today - timedelta(days=RECENT_DAYS)
    )
    rows = list(
        Customer.objects.for_company(company)
        .filter(rep__isnull=False)
        .annotate(recent_order=Exists(recent))
        .order_by("code")
        .values_list("pk", "abc_class", "recent_order", "rep_id", "name", "code")
    )
    wanted = round(len(rows) * SHARE)
    if not wanted:
        return 0
    rng = random.Random(SEED)
    rng.shuffle(rows)
    # Class C without a recent order first, then other customers without one, then the rest.
    rows.sort(key=lambda row: (row[2], row[1] != "C"))
    chosen = rows[:wanted]
    services._move(
        company.pk,
        [services._Row(pk, code, name, rep_id) for pk, _c, _r, rep_id, name, code in chosen],
        None,
        actor=None,
        source=AuditSource.SYSTEM,
        reason="",
        end_reason=_("back to the pool: no visit and no order for a long time"),
    )
    moved: dict[int, list[services._Row]] = {}
    for pk, _cls, _recent, rep_id, name, code in chosen:
        moved.setdefault(rep_id, []).append(services._Row(pk, code, name, rep_id))
    services._notify_pool_return(company, today, moved)
    for boss in User.objects.filter(company=company, role=Role.BOSS, is_active=True):
        notify(
            boss,
            kind="pool_return",
            key=f"demo:pool:{today.isoformat()}",
            title=ngettext(
                "%(count)s customer is in the pool, waiting for a rep",
                "%(count)s customers are in the pool, waiting for a rep",
                len(chosen),
            )
            % {"count": len(chosen)},
            body=_("Reps claim them from the pool page; the pool rule sends back unattended ones."),
            link=reverse("ownership:pool"),
        )
    return len(chosen)
