"""Forms of the visits pages: the check-in form, planning, the list filter, the report month."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.core.pinyin import in_pinyin_order, offer_in_pinyin_order
from dealercrm.customers.forms import StyledFormMixin
from dealercrm.visits import services
from dealercrm.visits.choices import ShelfDisplay, StockLevel, VisitStatus
from dealercrm.visits.filters import FLAGS, VisitFilter

SIGHTING_ROWS = 3
POSITION_STEP = Decimal("0.000001")
YES_NO = [("", _("not noted")), ("yes", _("yes")), ("no", _("no"))]


def _coordinate(value: str, low: int, high: int, message: Any) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValidationError(message) from exc
    if not number.is_finite() or not low <= number <= high:
        raise ValidationError(message)
    return number.quantize(POSITION_STEP, rounding=ROUND_HALF_UP)


class CheckinForm(StyledFormMixin, forms.Form):
    """The visit form; latitude, longitude and accuracy are filled by the page's script."""

    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    stock_level = forms.ChoiceField(
        label=_("Stock level"), required=False, choices=[("", "—"), *StockLevel.choices]
    )
    shelf_display = forms.ChoiceField(
        label=_("Shelf display"), required=False, choices=[("", "—"), *ShelfDisplay.choices]
    )
    ads_present = forms.ChoiceField(label=_("Our ads present"), required=False, choices=YES_NO)
    order_amount = forms.DecimalField(
        label=_("Order taken (yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    order_notes = forms.CharField(label=_("Order notes"), required=False, max_length=500)
    # Asked on the spot: how likely the customer is to recommend us (satisfaction app).
    satisfaction_score = forms.TypedChoiceField(
        label=_("Satisfaction (0–10)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("not asked")), *((n, str(n)) for n in range(11))],
    )
    satisfaction_comment = forms.CharField(
        label=_("What the customer said"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, SIGHTING_ROWS + 1):
            # Three unlabelled columns on a phone: the placeholder names each one.
            self.fields[f"brand_{n}"] = forms.CharField(
                label=_("Brand"),
                required=False,
                max_length=50,
                widget=forms.TextInput(attrs={"placeholder": _("Brand")}),
            )
            self.fields[f"product_{n}"] = forms.CharField(
                label=_("Product or spec"),
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"placeholder": _("Product or spec")}),
            )
            self.fields[f"price_{n}"] = forms.DecimalField(
                label=_("Price"),
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"step": "0.01", "inputmode": "decimal", "placeholder": _("Price")}
                ),
            )
        self.style_widgets()

    def sighting_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (n, self[f"brand_{n}"], self[f"product_{n}"], self[f"price_{n}"])
            for n in range(1, SIGHTING_ROWS + 1)
        ]

    def clean_latitude(self) -> Decimal | None:
        return _coordinate(
            self.cleaned_data["latitude"], -90, 90, _("The phone sent an impossible latitude.")
        )

    def clean_longitude(self) -> Decimal | None:
        return _coordinate(
            self.cleaned_data["longitude"], -180, 180, _("The phone sent an impossible longitude.")
        )

    def clean_accuracy(self) -> int | None:
        value = (self.cleaned_data["accuracy"] or "").strip()
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None  # only informative: an odd value is dropped, not refused
        if not number.is_finite() or number < 0:
            return None
        return int(min(number, Decimal(1_000_000)).to_integral_value(ROUND_HALF_UP))

    def checkin(self) -> services.CheckIn:
        data = self.cleaned_data
        return services.CheckIn(data["latitude"], data["longitude"], data["accuracy"])

    def observations(self) -> services.Observations:
        data = self.cleaned_data
        ads = {"yes": True, "no": False}.get(data["ads_present"])
        return services.Observations(
            notes=data["notes"],
            stock_level=data["stock_level"],
            shelf_display=data["shelf_display"],
            ads_present=ads,
            order_amount=data["order_amount"],
            order_notes=data["order_notes"],
        )

    def sightings(self) -> list[services.Sighting]:
        data = self.cleaned_data
        return [
            services.Sighting(
                brand=data[f"brand_{n}"], product=data[f"product_{n}"], price=data[f"price_{n}"]
            )
            for n in range(1, SIGHTING_ROWS + 1)
        ]


class PlanForm(StyledFormMixin, forms.Form):
    """A day to visit a customer; boss and manager also choose who visits."""

    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    rep = forms.ModelChoiceField(
        label=_("Who visits"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.can("visits.plan"):
            offer_in_pinyin_order(
                self.fields["rep"],
                User.objects.visible_to(user).filter(
                    is_active=True, role__in=[Role.REP, Role.MANAGER, Role.BOSS]
                ),
            )
            self.fields["rep"].empty_label = _("me")
        else:
            del self.fields["rep"]
        self.style_widgets()


class VisitFilterForm(StyledFormMixin, forms.Form):
    """GET parameters of the visit list → a VisitFilter; a bad value filters nothing."""

    rep = forms.ChoiceField(label=_("Sales rep"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *VisitStatus.choices]
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    flagged = forms.ChoiceField(label=_("Check-in"), required=False)

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data)
        self.fields["flagged"].choices = [("", _("All")), *FLAGS]
        if user.sees_whole_company:
            reps = User.objects.visible_to(user).filter(
                role__in=[Role.REP, Role.MANAGER, Role.BOSS]
            )
            self.fields["rep"].choices = [("", _("All"))] + [
                (str(rep.pk), str(rep)) for rep in in_pinyin_order(reps)
            ]
        else:
            del self.fields["rep"]
        self.style_widgets()
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm form-select-sm"

    def to_filter(self) -> VisitFilter:
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        rep = values.get("rep") or ""
        return VisitFilter(
            rep=int(rep) if rep.isdigit() else None,
            status=values.get("status") or "",
            date_from=values.get("date_from"),
            date_to=values.get("date_to"),
            flagged=values.get("flagged") or "",
        )


class ReportForm(StyledFormMixin, forms.Form):
    """The report's month (YYYY-MM); this month when absent or bad."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def __init__(self, data: Any = None, *, today: date) -> None:
        super().__init__(data)
        self.today = today
        self.fields["month"].initial = today.strftime("%Y-%m")
        self.style_widgets()

    def clean_month(self) -> date:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return self.today.replace(day=1)
        try:
            year, month = (int(part) for part in value.split("-"))
            chosen = date(year, month, 1)
        except ValueError as exc:
            raise ValidationError(_("Give the month as YYYY-MM.")) from exc
        if chosen > self.today:
            raise ValidationError(_("The month has not started yet."))
        return chosen

    def chosen_month(self) -> date:
        if self.is_valid():
            return self.cleaned_data["month"]
        return self.today.replace(day=1)
