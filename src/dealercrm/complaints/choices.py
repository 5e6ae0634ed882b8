from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintCategory(models.TextChoices):
    QUALITY = "quality", _("product quality")
    DELIVERY = "delivery", pgettext_lazy("complaint category", "delivery")
    PRICE = "price", _("price or rebate")
    SERVICE = "service", _("service of our staff")
    DISPLAY = "display", _("display and promotion")
    BILLING = "billing", _("billing and payment")
    OTHER = "other", _("other")


class Severity(models.TextChoices):
    # Context: "low" is also a stock level (偏少), a severity is 低.
    HIGH = "high", pgettext_lazy("severity", "high")
    MEDIUM = "medium", pgettext_lazy("severity", "medium")
    LOW = "low", pgettext_lazy("severity", "low")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    UNSATISFIED = "unsatisfied", _("not satisfied")


class EventKind(models.TextChoices):
    OPENED = "opened", _("recorded")
    STARTED = "started", _("work started")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed with the customer's verdict")
    REOPENED = "reopened", _("reopened")
    OWNER = "owner", _("handler changed")
    SEVERITY = "severity", _("severity changed")
    ESCALATED = "escalated", _("escalated (overdue)")
