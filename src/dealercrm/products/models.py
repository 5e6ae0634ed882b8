"""The catalogue (产品目录): manufacturers, brands (own or a competitor's) and products."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned


class Manufacturer(CompanyOwned):
    """A maker (厂家) whose brands the dealer buys or meets on the shelf."""

    name = models.CharField(_("manufacturer"), max_length=100)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="manufacturer_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Brand(CompanyOwned):
    """A brand; competitor brands are flagged so that own vs competitor can be compared."""

    name = models.CharField(_("brand"), max_length=50)
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brands",
        verbose_name=_("manufacturer"),
    )
    is_competitor = models.BooleanField(_("competitor"), default=False)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["is_competitor", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="brand_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Product(CompanyOwned):
    """One item the dealer sells or records: code, name, brand, specification, list price."""

    code = models.CharField(_("product code"), max_length=32)
    name = models.CharField(_("product name"), max_length=100)
    brand = models.ForeignKey(
        Brand, on_delete=models.PROTECT, related_name="products", verbose_name=_("brand")
    )
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="product_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
