from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    DORMANT = "dormant", _("dormant")
    DECLINING = "declining", _("declining")
