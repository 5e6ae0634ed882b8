from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BOSS = "boss", _("boss")
    MANAGER = "manager", _("sales manager")
    REP = "rep", _("sales rep")
    CLERK = "clerk", _("clerk")
