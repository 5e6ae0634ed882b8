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


class AgendaKind(models.TextChoices):
    """What an agenda item is about; the agenda lists the kinds in this order."""

    BIRTHDAY = "birthday", _("birthdays")
    FESTIVAL = "festival", _("festivals")
    ANNIVERSARY = "anniversary", _("cooperation anniversaries")
    FOLLOW_UP = "follow_up", _("follow-ups")
    VISIT = "visit", _("visits due")
    DORMANT = "dormant", _("dormant customers")
    DECLINING = "declining", _("declining customers")
    COMPLAINT = "complaint", _("complaints near their deadline")


# The kinds that a care record ("done") can be kept for.
CARE_KINDS = (AgendaKind.BIRTHDAY, AgendaKind.FESTIVAL, AgendaKind.ANNIVERSARY)
