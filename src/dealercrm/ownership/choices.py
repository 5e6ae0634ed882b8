from django.db import models
from django.utils.translation import gettext_lazy as _


class SplitMode(models.TextChoices):
    EVEN = "even", _("split evenly")
    REGION = "region", _("by sales region")
