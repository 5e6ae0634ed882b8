"""Where customers are: national divisions (GB/T 2260) and each company's own sales regions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.regions.choices import DivisionLevel


class Division(models.Model):
    """A province, city or county with its six-digit national code; shared by all companies.

    Municipalities (北京, 上海, 天津, 重庆) have no city level: their counties hang directly
    under the province, and a customer there has no city.
    """

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=40)
    short_name = models.CharField(_("short name"), max_length=20, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"], name="division_level_name")]

    def __str__(self) -> str:
        return self.name


class SalesRegion(CompanyOwned):
    """A node of the company's own territory tree (e.g. 城区片 / 东乡片)."""

    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sales region")
        verbose_name_plural = _("sales regions")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="salesregion_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> list[int]:
        """This region and every region below it (the tree is small: one query, walked here)."""
        pairs = SalesRegion.objects.filter(company_id=self.company_id).values_list(
            "id", "parent_id"
        )
        children: dict[int | None, list[int]] = {}
        for region_id, parent_id in pairs:
            children.setdefault(parent_id, []).append(region_id)
        found, stack = [], [self.pk]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(children.get(current, []))
        return found
