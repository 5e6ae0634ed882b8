"""Forms of the ownership pages: the pool's filter and settings, release, bulk assign, handover."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.models import User
from dealercrm.core.pinyin import in_pinyin_order, offer_in_pinyin_order
from dealercrm.customers.choices import CustomerClass, CustomerKind
from dealercrm.customers.forms import StyledFormMixin, region_choices
from dealercrm.ownership.choices import SplitMode
from dealercrm.ownership.models import PoolRule, PoolSettings

PAGE_SIZE = 50


class PoolFilterForm(StyledFormMixin, forms.Form):
    """GET parameters of the pool list; a value that does not validate filters nothing."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, code, address or pinyin")}
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    abc_class = forms.ChoiceField(label=_("Class"), required=False)
    region = forms.ChoiceField(label=_("Sales region"), required=False)

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + CustomerKind.choices
        self.fields["abc_class"].choices = everything + CustomerClass.choices
        self.fields["region"].choices = everything + region_choices(user)
        self.style_widgets()

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return getattr(self, "cleaned_data", {})


class ReleaseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why back to the pool"),
        max_length=150,
        error_messages={"required": _("Say why the customer goes back to the pool.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


def _days_field(label: str) -> forms.IntegerField:
    rule_field = PoolRule._meta.get_field("days")
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=7,
        max_value=3650,
        help_text=rule_field.verbose_name,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": _("never")}),
    )


class PoolSettingsForm(StyledFormMixin, forms.Form):
    claim_limit = forms.IntegerField(
        label=PoolSettings._meta.get_field("claim_limit").verbose_name,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    days_A = _days_field(_("Class A: back to the pool after (days)"))
    days_B = _days_field(_("Class B: back to the pool after (days)"))
    days_C = _days_field(_("Class C: back to the pool after (days)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def days(self) -> dict[str, int | None]:
        return {cls: self.cleaned_data.get(f"days_{cls}") for cls in ("A", "B", "C")}


POOL = "pool"


class BulkAssignForm(StyledFormMixin, forms.Form):
    """What the customer list's bulk bar posts (which customers), then the confirm page (to
    whom, why). `rep` is a login's id, or "pool" for nobody."""

    SCOPES = [("selected", _("selected")), ("filter", _("filter")), ("region", _("region"))]

    scope = forms.ChoiceField(choices=SCOPES, widget=forms.HiddenInput)
    customers = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    region = forms.ChoiceField(label=_("Sales region"), required=False)
    rep = forms.ChoiceField(label=_("Assign to"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reps = {
            str(rep.pk): rep for rep in in_pinyin_order(User.objects.visible_to(user).reps())
        }
        self.fields["rep"].choices = [
            ("", _("Choose…")),
            (POOL, _("Nobody (the pool)")),
            *((pk, str(rep)) for pk, rep in self.reps.items()),
        ]
        self.fields["region"].choices = [("", "—")] + [
            (str(pk), name) for pk, name in region_choices(user)
        ]
        self.style_widgets()

    def clean_customers(self) -> list[int]:
        # Ids only; the view keeps the customers the user may see.
        values = self.cleaned_data.get("customers") or []
        return [int(v) for v in values if str(v).isdigit()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope = data.get("scope")
        if scope == "selected" and not data.get("customers"):
            self.add_error(None, _("Tick the customers to assign first."))
        if scope == "region" and not data.get("region"):
            self.add_error("region", _("Choose a sales region."))
        if data.get("confirm") and not data.get("rep"):
            self.add_error("rep", _("Choose who gets the customers, or the pool."))
        return data

    @property
    def target(self) -> User | None:
        """The chosen login (None: the pool)."""
        return self.reps.get(self.cleaned_data.get("rep") or "")


class HandoverForm(StyledFormMixin, forms.Form):
    recipients = forms.ModelMultipleChoiceField(
        label=_("Who receives the customers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Split"),
        choices=SplitMode.choices,
        initial=SplitMode.EVEN,
        widget=forms.RadioSelect,
    )
    pool_rest = forms.BooleanField(
        label=_("Put customers nobody matches in the pool"),
        required=False,
        help_text=_("By region: customers outside every recipient's region go to the pool."),
    )
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, leaving: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reps = User.objects.visible_to(user).reps().order_by("display_name", "username")
        if leaving is not None:
            reps = reps.exclude(pk=leaving.pk)
        offer_in_pinyin_order(self.fields["recipients"], reps)
        self.style_widgets()
        for name in ("recipients", "mode"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
