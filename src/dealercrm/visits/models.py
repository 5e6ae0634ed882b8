"""Visits (拜访): planned or done, with the phone's check-in, what the rep saw, and photos.

A customer's next visit is due its class's visit interval after its last done visit
(Customer.last_visit_on, kept by visits/services.py); the rules are there.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dealercrm.core.models import CompanyOwned, CompanyQuerySet
from dealercrm.customers.models import CustomerRowQuerySet
from dealercrm.visits.choices import ShelfDisplay, StockLevel, VisitStatus

# A check-in farther than this from the customer's map position is flagged.
FAR_CHECKIN_METRES = 500


class Visit(CompanyOwned):
    """One visit to a customer by a rep: planned for a day, then done (or cancelled)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="visits",
        verbose_name=_("customer"),
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("sales rep"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DONE
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)

    # Check-in: where the phone was (WGS-84, as browsers report it) when the rep arrived.
    checkin_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checkin_latitude = models.DecimalField(
        _("check-in latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_longitude = models.DecimalField(
        _("check-in longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_accuracy_m = models.PositiveIntegerField(
        _("position accuracy (m)"), null=True, blank=True
    )
    # Metres from the customer's map position at check-in; null when either is unknown.
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    far_from_customer = models.BooleanField(_("far from the customer"), default=False)

    # What the rep saw and did.
    notes = models.TextField(_("notes"), blank=True)
    stock_level = models.CharField(
        _("stock level"), max_length=10, choices=StockLevel.choices, blank=True
    )
    shelf_display = models.CharField(
        _("shelf display"), max_length=10, choices=ShelfDisplay.choices, blank=True
    )
    ads_present = models.BooleanField(_("our ads present"), null=True, blank=True)
    order_amount = models.DecimalField(
        _("order taken (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    order_notes = models.CharField(_("order taken"), max_length=500, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-planned_for", "-id"]
        indexes = [
            models.Index(fields=["company", "customer", "status"], name="visit_company_customer"),
            models.Index(fields=["company", "rep", "status", "planned_for"], name="visit_rep_plan"),
            models.Index(fields=["company", "visited_at"], name="visit_company_visited"),
        ]

    def __str__(self) -> str:
        when = self.visited_at or self.planned_for
        return f"{self.customer} {when or ''}".strip()

    @property
    def has_position(self) -> bool:
        return self.checkin_latitude is not None and self.checkin_longitude is not None


class VisitRowQuerySet(CompanyQuerySet):
    """Rows of a visit: seen by whoever may see the visit's customer."""

    def visible_to(self, user: Any) -> VisitRowQuerySet:
        queryset = super().visible_to(user)
        if getattr(user, "is_rep", False):
            queryset = queryset.filter(visit__customer__rep_id=user.pk)
        return queryset


class CompetitorSighting(CompanyOwned):
    """A competitor's product seen on a visit, with its price there."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="sightings", verbose_name=_("visit")
    )
    brand = models.CharField(_("brand"), max_length=50)
    product = models.CharField(_("product or spec"), max_length=100, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = VisitRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor product seen")
        verbose_name_plural = _("competitor products seen")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.brand} {self.product}".strip()


def photo_path(instance: VisitPhoto, filename: str) -> str:
    # Kept under MEDIA_ROOT, served only through visits' permission-checked view.
    return f"visits/{instance.company_id}/{instance.visit_id}/{filename}"


class VisitPhoto(CompanyOwned):
    """A photo taken on a visit (shelf, display, ads), stored as a re-encoded JPEG."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = VisitRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
