"""Enumerations of the catalogue pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ownership(models.TextChoices):
    """Whose brand a product is: the dealer's own lines or a competitor's."""

    OWN = "own", _("Own brands")
    COMPETITOR = "competitor", _("Competitor brands")
