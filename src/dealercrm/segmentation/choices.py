from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    AMOUNT = "amount", _("sales amount")
    PROFIT = "profit", _("gross profit")
    QUANTITY = "quantity", _("quantity")


class ChangeSource(models.TextChoices):
    COMPUTED = "computed", _("computed")
    MANUAL = "manual", _("manual")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class CareAction(models.TextChoices):
    BIRTHDAY_GIFT = "birthday_gift", _("birthday gift")
    BIRTHDAY_CALL = "birthday_call", _("birthday call or message")
    FESTIVAL_VISIT = "festival_visit", _("festival visit with a gift")
    FESTIVAL_GREETING = "festival_greeting", _("festival greeting")
    ANNIVERSARY_CALL = "anniversary_call", _("anniversary call")
    BOSS_VISIT = "boss_visit", _("yearly visit by the boss")
    SATISFACTION_SURVEY = "satisfaction_survey", _("satisfaction survey")
    TRAINING = "training", _("sales and display training")
