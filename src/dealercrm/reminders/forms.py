"""The follow-up form on the customer page; the rules are in reminders/services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.models import User
from dealercrm.customers.models import Customer
from dealercrm.reminders import services


class FollowUpForm(forms.Form):
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the day it is due.")},
    )
    text = forms.CharField(
        label=_("What to do"),
        max_length=services.TEXT_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": _("Say what is to be done.")},
    )
    assignee = forms.ModelChoiceField(
        label=_("For"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose who follows up.")},
    )

    def __init__(self, *args: Any, customer: Customer, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customer = customer
        # Any login of the company is accepted here; services.add_follow_up says who may not.
        self.fields["assignee"].queryset = User.objects.for_company(customer.company_id)
        choices = services.possible_assignees(customer)
        self.fields["assignee"].choices = [(u.pk, str(u)) for u in choices]
        if not self.is_bound:
            default = customer.rep if customer.rep_id and customer.rep in choices else user
            self.initial.setdefault("assignee", default.pk)
