"""Follow-up pages: add and mark done from the customer page, and my open follow-ups.

Customers and reminders are fetched through `visible_to(user)`: another rep's customer or
another company's reminder is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealercrm.accounts.models import User
from dealercrm.customers.models import Customer
from dealercrm.reminders import services
from dealercrm.reminders.forms import FollowUpForm
from dealercrm.reminders.models import Reminder
from dealercrm.reminders.templatetags.reminders_tags import section_context

PAGE_SIZE = 50


def _section(
    request: HttpRequest, customer: Customer, form: FollowUpForm | None = None
) -> HttpResponse:
    return render(request, "reminders/_section.html", section_context(customer, request.user, form))


@login_required
@require_POST
def add(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_pk)
    form = FollowUpForm(request.POST, customer=customer, user=request.user)
    if form.is_valid():
        try:
            services.add_follow_up(
                customer,
                assignee=form.cleaned_data["assignee"],
                due_on=form.cleaned_data["due_on"],
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if request.htmx:
                return _section(request, customer)
            messages.success(request, _("Follow-up added."))
            return redirect(reverse("customers:detail", args=[customer.pk]) + "#reminders")
    if request.htmx:
        return _section(request, customer, form)
    for problems in form.errors.values():
        for problem in problems:
            messages.error(request, problem)
    return redirect(reverse("customers:detail", args=[customer.pk]) + "#reminders")


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(
        Reminder.objects.visible_to(request.user).select_related("customer"), pk=pk
    )
    services.complete(reminder, request.user)
    if request.htmx:
        return _section(request, reminder.customer)
    messages.success(request, _("Follow-up done: %(text)s") % {"text": reminder.text})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("reminders:list")
    return redirect(target)


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    """My open follow-ups, overdue first then by due date; boss and managers pick anyone's."""
    may_see_others = services.may_see_others(request.user)
    assignee: object = None
    chosen = request.GET.get("assignee", "")
    people = []
    if may_see_others:
        people = list(User.objects.visible_to(request.user).filter(is_active=True))
        if chosen == "all":
            assignee = "all"
        elif chosen.isdigit():
            assignee = next((p for p in people if p.pk == int(chosen)), None)
            if assignee is None:
                chosen = ""
    reminders = services.open_list(request.user, assignee=assignee)
    page = Paginator(reminders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/reminder_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "may_see_others": may_see_others,
            "people": people,
            "chosen": chosen,
        },
    )
