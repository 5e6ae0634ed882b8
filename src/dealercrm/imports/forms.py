from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

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
