"""Sales pages: the company's orders (a rep sees those of their own customers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dealercrm.sales import services


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    page = services.order_page(request.user, request.GET.get("page"))
    return render(request, "sales/order_list.html", {"page": page})
