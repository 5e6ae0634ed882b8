"""Pages of the satisfaction app: scores recorded by staff, survey links, the report, and the
public answer page of a link (no login: the token alone decides the customer and company).

Customers come through `Customer.objects.visible_to(user)` (another rep's or company's customer
answers 404); what a role may do comes from `user.can(...)` (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from dealercrm.customers.models import Customer
from dealercrm.satisfaction import services
from dealercrm.satisfaction.forms import AnswerForm, LinkForm, PeriodForm, ScoreForm
from dealercrm.satisfaction.models import Survey, SurveyLink

PAGE_SIZE = 50


def _customer(request: HttpRequest, pk: int) -> Customer:
    visible = Customer.objects.visible_to(request.user).select_related("company", "rep")
    return get_object_or_404(visible, pk=pk)


def _back(customer: Customer) -> HttpResponse:
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#satisfaction")


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def record(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = _customer(request, customer_pk)
    if not request.user.can("survey.record"):
        raise PermissionDenied(_("You may not record satisfaction scores."))
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(customer)
    try:
        services.record_survey(
            customer,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            source=form.cleaned_data["source"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Satisfaction score recorded."))
    return _back(customer)


@login_required
@require_POST
def create_link(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = _customer(request, customer_pk)
    if not request.user.can("survey.link"):
        raise PermissionDenied(_("You may not send survey links."))
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(customer)
    link, raw = services.create_link(customer, request.user, days=form.cleaned_data["days"])
    url = request.build_absolute_uri(reverse("survey:answer", args=[raw]))
    response = render(
        request,
        "satisfaction/link_created.html",
        {"customer": customer, "link": link, "url": url},
    )
    # The link is shown once: never kept by a browser cache or proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not request.user.can("satisfaction.report"):
        raise PermissionDenied(_("Only the boss and managers see the satisfaction report."))
    company = request.user.company
    form = PeriodForm(request.GET or None, default=services.default_period(company))
    date_from, date_to = form.period()
    data = services.satisfaction_report(company, date_from, date_to)
    context = {"form": form, "report": data, "chart": _chart_data(data)}
    return render(request, "satisfaction/report.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The answers of the customers the user sees (a rep: own customers), latest first, with
    the NPS of the last 12 months."""
    answers = Survey.objects.visible_to(request.user).select_related("customer", "recorded_by")
    low_only = request.GET.get("low") == "1"
    if low_only:
        answers = answers.filter(score__lte=services.DETRACTOR_MAX)
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "low_only": low_only,
        "figures": services.figures_of(
            Survey.objects.visible_to(request.user),
            *services.default_period(request.user.company),
            request.user.company,
        )
        if request.user.company_id
        else None,
    }
    return render(request, "satisfaction/mine.html", context)


def _series(rows: list[services.Figures]) -> dict[str, Any]:
    """What satisfaction-report.js draws (numbers for drawing only; the tables show the exact
    figures)."""
    return {
        "labels": [row.label for row in rows],
        "nps": [float(row.nps) if row.nps is not None else None for row in rows],
        "average": [float(row.average) if row.average is not None else None for row in rows],
        "count": [row.count for row in rows],
    }


def _chart_data(data: services.Report) -> dict[str, Any]:
    return {
        "month": _series(data.by_month),
        "class": _series(data.by_class),
        "region": _series(data.by_region),
        "rep": _series(data.by_rep),
        "names": {"nps": "NPS", "average": _("Average score"), "count": _("Answers")},
    }


# ---------------------------------------------------------------------------- public answer


def _public(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    response = render(request, template, context, status=status)
    # The token is in the address: no referrer leaves the site (a stricter "no-referrer" makes
    # the browser post with "Origin: null", which the CSRF check refuses); nothing is cached or
    # indexed.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    link: SurveyLink | None = services.find_link(token)
    if link is None:
        raise Http404(_("Unknown survey link."))
    context: dict[str, Any] = {
        "company_name": link.company.name,
        "customer_name": link.customer.name,
    }
    state = services.link_state(link)
    if state != "open":
        return _public(request, "satisfaction/answer.html", {**context, "state": state})
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_link(
                token, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
            )
        except services.LinkUnavailable as unavailable:
            return _public(
                request, "satisfaction/answer.html", {**context, "state": unavailable.reason}
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        except SurveyLink.DoesNotExist as exc:
            raise Http404(_("Unknown survey link.")) from exc
        else:
            return _public(request, "satisfaction/answer.html", {**context, "state": "thanks"})
    status = 422 if request.method == "POST" else 200
    return _public(
        request,
        "satisfaction/answer.html",
        {**context, "state": "open", "form": form},
        status=status,
    )
