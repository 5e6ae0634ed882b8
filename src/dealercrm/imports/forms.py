from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dealercrm.core.pinyin import offer_in_pinyin_order
from dealercrm.imports.tables import file_format

# A file of 100,000 customers is about 30 MB as CSV.
MAX_UPLOAD_BYTES = 60 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(".xlsx or .csv, with the column names on the first row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        file_format(upload.name)
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB."),
                params={"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload


class ExportLogFilterForm(forms.Form):
    """The export log's filters: who, what kind, which month (YYYY-MM)."""

    user = forms.ModelChoiceField(
        label=_("Who"),
        queryset=None,
        required=False,
        empty_label=_("everyone"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "month",
                "class": "form-control form-control-sm",
                "placeholder": "2026-01",
            }
        ),
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from dealercrm.accounts.models import User
        from dealercrm.imports.registry import KINDS

        offer_in_pinyin_order(self.fields["user"], User.objects.visible_to(viewer))
        self.fields["kind"].choices = [("", _("every kind"))] + [
            (name, kind.label) for name, kind in KINDS.items()
        ]

    def clean_month(self) -> date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        try:
            return datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError(
                _("Enter a month as YEAR-MONTH, e.g. 2026-01."), code="month"
            ) from None
