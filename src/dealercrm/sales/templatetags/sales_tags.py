"""`{% customer_sales %}`: the sales section of the customer page, for the page's user."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from dealercrm.sales.services import customer_sales

register = template.Library()


@register.inclusion_tag("sales/_customer_sales_section.html", takes_context=True)
def customer_sales_section(context: template.Context) -> dict[str, Any]:
    customer = context["customer"]
    user = context["request"].user
    sales = customer_sales(customer, user)
    labels = {"seriesName": _("Sales"), "empty": _("No sales in the last 24 months.")}
    return {"customer": customer, "sales": sales, "chart": sales.chart_data(labels)}
