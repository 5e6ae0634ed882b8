"""The warnings page: customers slipping away, most severe first.

Scores come through `CustomerScore.objects.visible_to(user)`: boss, manager and clerk see the
whole company's warned customers, a rep only those of their own customers.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dealercrm.retention.forms import WarningFilterForm
from dealercrm.retention.models import CustomerScore

PAGE_SIZE = 50


@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    form = WarningFilterForm(request.GET, user=request.user)
    visible = CustomerScore.objects.visible_to(request.user)
    scores = form.to_filter().apply(visible).select_related("customer", "customer__rep")
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "as_of": next(iter(visible.order_by().values_list("as_of", flat=True)[:1]), None),
    }
    return render(request, "retention/warning_list.html", context)
