from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySource(models.TextChoices):
    VISIT = "visit", _("asked on a visit")
    PHONE = "phone", _("asked by phone")
    LINK = "link", _("answered through a link")
