"""Forms of the classes page and the customer page's class panel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.customers.choices import CustomerClass
from dealercrm.segmentation.choices import CareAction
from dealercrm.segmentation.models import ClassSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ClassSettings
        fields = ["metric", "a_threshold", "b_threshold", "window_days"]
        widgets = {
            "metric": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "a_threshold": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            "b_threshold": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            "window_days": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        }

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        a, b = data.get("a_threshold"), data.get("b_threshold")
        if a is not None and b is not None and a >= b:
            self.add_error("b_threshold", _("The B threshold must be above the A threshold."))
        return data


class PolicyForm(forms.Form):
    visit_interval_days = forms.IntegerField(
        label=_("Visit every (days)"),
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    care_actions = forms.MultipleChoiceField(
        label=_("Care actions"),
        choices=CareAction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OverrideForm(forms.Form):
    customer = forms.IntegerField(widget=forms.HiddenInput)
    abc_class = forms.ChoiceField(
        label=_("Class"),
        choices=CustomerClass.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    expires_on = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
