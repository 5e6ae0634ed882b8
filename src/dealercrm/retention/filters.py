"""How the warnings list is filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from dealercrm.retention.choices import WarningKind
from dealercrm.retention.models import CustomerScore

# Most severe first: the most 90-day sales at risk, then the longest away.
ORDERING = ["-at_risk", "-recency_days", "customer_id"]


@dataclass
class WarningFilter:
    """Empty values filter nothing. `rep` is a user id or "none"; `abc_class` A, B, C or "none"."""

    kind: str = ""
    rep: str = ""
    abc_class: str = ""

    def apply(self, scores: QuerySet[CustomerScore]) -> QuerySet[CustomerScore]:
        """Narrow scores that are already scoped (CustomerScore.objects.visible_to(user))."""
        if self.kind == WarningKind.DORMANT:
            scores = scores.filter(dormant=True)
        elif self.kind == WarningKind.DECLINING:
            scores = scores.filter(declining=True)
        else:
            scores = scores.warned()
        if self.rep == "none":
            scores = scores.filter(customer__rep__isnull=True)
        elif self.rep.isdigit():
            scores = scores.filter(customer__rep_id=int(self.rep))
        if self.abc_class == "none":
            scores = scores.filter(customer__abc_class="")
        elif self.abc_class:
            scores = scores.filter(customer__abc_class=self.abc_class.upper())
        return scores.order_by(*ORDERING)
