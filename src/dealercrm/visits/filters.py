"""How the visit list is filtered and sorted: one definition for the page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from dealercrm.visits.choices import VisitStatus
from dealercrm.visits.models import Visit

FAR, NO_POSITION, ANY_FLAG = "far", "no_position", "any"
FLAGS = [
    (FAR, _("far from the customer")),
    (NO_POSITION, _("no position")),
    (ANY_FLAG, _("far or no position")),
]
# Latest first: done visits by time, planned ones by day.
ORDERING = ["-visited_at", "-planned_for", "-pk"]


@dataclass
class VisitFilter:
    """Empty values filter nothing. Dates are local days of the company: a done visit counts on
    the day it was made, a planned one on the day it is planned for."""

    customer: int | None = None
    rep: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    flagged: str = ""

    def apply(self, visits: QuerySet[Visit], company: Any) -> QuerySet[Visit]:
        """Narrow visits that are already scoped (Visit.objects.visible_to(user))."""
        from dealercrm.visits.services import day_start

        if self.customer is not None:
            visits = visits.filter(customer_id=self.customer)
        if self.rep is not None:
            visits = visits.filter(rep_id=self.rep)
        if self.status in VisitStatus.values:
            visits = visits.filter(status=self.status)
        if self.date_from is not None:
            start = day_start(company, self.date_from)
            visits = visits.filter(
                Q(visited_at__gte=start)
                | Q(visited_at__isnull=True, planned_for__gte=self.date_from)
            )
        if self.date_to is not None:
            end = day_start(company, self.date_to + timedelta(days=1))
            visits = visits.filter(
                Q(visited_at__lt=end) | Q(visited_at__isnull=True, planned_for__lte=self.date_to)
            )
        no_position = Q(status=VisitStatus.DONE, checkin_latitude__isnull=True)
        if self.flagged == FAR:
            visits = visits.filter(far_from_customer=True)
        elif self.flagged == NO_POSITION:
            visits = visits.filter(no_position)
        elif self.flagged == ANY_FLAG:
            visits = visits.filter(Q(far_from_customer=True) | no_position)
        return visits.order_by(*ORDERING)
