"""The one definition of how a customer list is filtered and sorted, for pages, API and exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from dealercrm.accounts.models import User
from dealercrm.customers.models import Customer
from dealercrm.regions.models import SalesRegion

# name → order_by fields; "-" before a name in the request sorts descending.
SORTS = {
    "code": ["code"],
    "name": ["name", "code"],
    "completeness": ["completeness", "code"],
    "updated": ["updated_at", "code"],
    "class": ["abc_class", "code"],
}


@dataclass
class CustomerFilter:
    """Free text `q`, then one parameter per field. Empty values filter nothing.

    `region` and `owner` take an id, or a region name / a username.
    """

    q: str = ""
    kind: str = ""
    channel: str = ""
    abc_class: str = ""
    region: str = ""
    owner: str = ""
    completeness_min: int | None = None
    completeness_max: int | None = None
    sort: str = "code"

    def apply(self, queryset: QuerySet[Customer], company_id: int) -> QuerySet[Customer]:
        """Narrow a queryset that is already scoped (Customer.objects.visible_to(user))."""
        if self.q.strip():
            queryset = queryset.search(self.q)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.channel:
            queryset = queryset.filter(channel=self.channel)
        if self.abc_class:
            queryset = queryset.filter(abc_class=self.abc_class.upper())
        if self.region:
            queryset = queryset.filter(sales_region_id__in=self._region_ids(company_id))
        if self.owner:
            if self.owner == "none":
                queryset = queryset.filter(rep__isnull=True)
            else:
                queryset = queryset.filter(rep_id__in=self._owner_ids(company_id))
        if self.completeness_min is not None:
            queryset = queryset.filter(completeness__gte=self.completeness_min)
        if self.completeness_max is not None:
            queryset = queryset.filter(completeness__lte=self.completeness_max)
        return queryset.order_by(*self.ordering())

    def ordering(self) -> list[str]:
        descending = self.sort.startswith("-")
        fields = SORTS.get(self.sort.lstrip("-"), SORTS["code"])
        return [f"-{f}" for f in fields] if descending else list(fields)

    def _region_ids(self, company_id: int) -> list[int]:
        regions = SalesRegion.objects.filter(company_id=company_id)
        key = {"pk": int(self.region)} if self.region.isdigit() else {"name": self.region}
        region = regions.filter(**key).first()
        return region.descendant_ids() if region else []

    def _owner_ids(self, company_id: int) -> list[int]:
        users = User.objects.filter(company_id=company_id)
        key = {"pk": int(self.owner)} if self.owner.isdigit() else {"username": self.owner}
        return list(users.filter(**key).values_list("pk", flat=True))
