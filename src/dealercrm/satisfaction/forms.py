"""Forms of the satisfaction pages: a score recorded by staff, the customer's answer through a
link, and the report's period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dealercrm.customers.forms import StyledFormMixin
from dealercrm.satisfaction.choices import SurveySource
from dealercrm.satisfaction.services import LINK_DAYS_MAX, MAX_COMMENT

SCORES = [(str(n), str(n)) for n in range(11)]
MAX_REPORT_DAYS = 3 * 366


class ScoreForm(StyledFormMixin, forms.Form):
    """Staff record a score the customer gave on the spot or by phone."""

    score = forms.TypedChoiceField(
        label=_("Score (0–10)"), choices=[("", "—"), *SCORES], coerce=int
    )
    source = forms.ChoiceField(
        label=_("Asked"),
        choices=[
            (SurveySource.VISIT, SurveySource.VISIT.label),
            (SurveySource.PHONE, SurveySource.PHONE.label),
        ],
        initial=SurveySource.VISIT,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class LinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Open for (days)"), min_value=1, max_value=LINK_DAYS_MAX, initial=14
    )


class AnswerForm(forms.Form):
    """The customer's answer: the score as big radio buttons, and a comment. No customer field:
    the link's token alone decides whose answer it is."""

    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or another shop?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": _("Choose a score from 0 to 10."),
            "invalid_choice": _("The score must be a whole number from 0 to 10."),
        },
    )
    comment = forms.CharField(
        label=_("What should we do better? (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class PeriodForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, default: tuple[date, date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        self.fields["date_from"].widget.attrs["placeholder"] = default[0].isoformat()
        self.fields["date_to"].widget.attrs["placeholder"] = default[1].isoformat()
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise ValidationError(_("The period starts after it ends."))
            if (end - start).days > MAX_REPORT_DAYS:
                raise ValidationError(_("Choose a period of at most three years."))
        return data

    def period(self) -> tuple[date, date]:
        """The chosen period, or the default (the last 12 months) for what is not given."""
        if not self.is_bound or not self.is_valid():
            return self.default
        start = self.cleaned_data.get("date_from") or self.default[0]
        end = self.cleaned_data.get("date_to") or self.default[1]
        if start > end or (end - start).days > MAX_REPORT_DAYS:
            return self.default
        return start, end
