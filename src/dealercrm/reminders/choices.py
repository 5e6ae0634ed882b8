from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("follow-up")
