"""Forms of the complaints pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.models import User
from dealercrm.complaints.choices import ComplaintCategory, Severity, Verdict
from dealercrm.complaints.filters import STATUS_CHOICES, ComplaintFilter
from dealercrm.complaints.services import MAX_HOURS
from dealercrm.core.pinyin import offer_in_pinyin_order
from dealercrm.customers.forms import StyledFormMixin


def _staff(user: Any) -> Any:
    return User.objects.for_company(user.company_id).filter(is_active=True).order_by("username")


class ComplaintForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM
    )
    description = forms.CharField(
        label=_("What the customer complains about"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    owner = forms.ModelChoiceField(
        label=_("Handled by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("the customer's sales rep"),
    )

    def __init__(self, *args: Any, user: Any, may_choose_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_choose_owner:
            offer_in_pinyin_order(self.fields["owner"], _staff(user))
        else:
            del self.fields["owner"]
        self.style_widgets()


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("The customer is"), choices=Verdict.choices, widget=forms.RadioSelect
    )


class ReassignForm(StyledFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("Handled by"), queryset=User.objects.none())
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_in_pinyin_order(self.fields["owner"], _staff(user))
        self.style_widgets()


class SettingsForm(StyledFormMixin, forms.Form):
    high_hours = forms.IntegerField(
        label=_("High: hours to resolve"), min_value=1, max_value=MAX_HOURS
    )
    medium_hours = forms.IntegerField(
        label=_("Medium: hours to resolve"), min_value=1, max_value=MAX_HOURS
    )
    low_hours = forms.IntegerField(
        label=_("Low: hours to resolve"), min_value=1, max_value=MAX_HOURS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ComplaintFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("any")), *Severity.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("any")), *ComplaintCategory.choices], required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Handled by"), queryset=User.objects.none(), required=False, empty_label=_("anyone")
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.sees_whole_company:
            offer_in_pinyin_order(self.fields["owner"], _staff(user))
        else:
            del self.fields["owner"]
        self.style_widgets()

    def to_filter(self) -> ComplaintFilter:
        if not self.is_valid():
            return ComplaintFilter()
        data = self.cleaned_data
        owner = data.get("owner")
        return ComplaintFilter(
            status=data.get("status") or "",
            severity=data.get("severity") or "",
            category=data.get("category") or "",
            overdue=bool(data.get("overdue")),
            owner=owner.pk if owner else None,
        )


def now_local_input() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
