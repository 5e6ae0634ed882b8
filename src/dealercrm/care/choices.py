from django.db import models
from django.utils.translation import gettext_lazy as _


class Calendar(models.TextChoices):
    SOLAR = "solar", _("solar (公历)")
    LUNAR = "lunar", _("lunar (农历)")


class Occasion(models.TextChoices):
    """What a care record or an agenda item is about."""

    BIRTHDAY = "birthday", _("birthday")
    FESTIVAL = "festival", _("festival")
    ANNIVERSARY = "anniversary", _("cooperation anniversary")
