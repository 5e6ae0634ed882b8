"""Sales history (订单/出货单): orders and their lines, entered or imported from the ERP.

A line repeats its order's customer and date so that per-customer totals over a date window
(classification, RFM, the customer page) read one table through one index, without a join.
Returns are lines with a negative quantity and amount.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned
from dealercrm.customers.models import CustomerRowQuerySet


class Order(CompanyOwned):
    """One order or delivery note, by its number (单号) in the dealer's ERP."""

    number = models.CharField(_("order number"), max_length=40)
    date = models.DateField(_("date"))
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="order_unique_number")
        ]
        indexes = [models.Index(fields=["company", "customer", "date"], name="order_customer_date")]

    def __str__(self) -> str:
        return self.number


class OrderLine(CompanyOwned):
    """One product on an order: quantity, amount and cost (negative on a return)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("customer"),
    )
    date = models.DateField(_("date"))
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("product"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        indexes = [
            # per-customer totals over a window: classification, RFM, customer page
            models.Index(fields=["company", "date", "customer"], name="orderline_company_date"),
            models.Index(fields=["company", "customer", "date"], name="orderline_customer_date"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.product_id}"
