"""How the complaint list is filtered: unfinished ones first, each by its deadline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealercrm.complaints.choices import ComplaintCategory, ComplaintStatus, Severity
from dealercrm.complaints.models import Complaint

UNFINISHED = "unfinished"
STATUS_CHOICES = [
    ("", _("any status")),
    (UNFINISHED, _("open or in progress")),
    *ComplaintStatus.choices,
]


@dataclass
class ComplaintFilter:
    """Empty values filter nothing."""

    status: str = ""
    severity: str = ""
    category: str = ""
    overdue: bool = False
    owner: int | None = None
    customer: int | None = None

    def apply(self, complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
        """Narrow complaints that are already scoped (Complaint.objects.visible_to(user))."""
        if self.status == UNFINISHED:
            complaints = complaints.unfinished()  # type: ignore[attr-defined]
        elif self.status in ComplaintStatus.values:
            complaints = complaints.filter(status=self.status)
        if self.severity in Severity.values:
            complaints = complaints.filter(severity=self.severity)
        if self.category in ComplaintCategory.values:
            complaints = complaints.filter(category=self.category)
        if self.overdue:
            complaints = complaints.unfinished().filter(  # type: ignore[attr-defined]
                deadline__lt=timezone.now()
            )
        if self.owner is not None:
            complaints = complaints.filter(owner_id=self.owner)
        if self.customer is not None:
            complaints = complaints.filter(customer_id=self.customer)
        finished = Case(
            When(status__in=[ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED], then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return complaints.annotate(finished=finished).order_by("finished", "deadline", "id")
