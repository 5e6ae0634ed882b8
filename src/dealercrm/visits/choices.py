from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class StockLevel(models.TextChoices):
    AMPLE = "ample", _("ample")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")
    OUT = "out", _("out of stock")


class ShelfDisplay(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    NONE = "none", _("not on the shelf")
