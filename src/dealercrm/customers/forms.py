"""Forms of the customer pages: the list filter, the customer file, contacts and carried products.

Forms only turn text into typed values and check single fields; rules that involve other rows
(unique code, one owner, a valid parent) live in customers.services, whose ValidationErrors the
views put back on these forms with `add_service_errors`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.choices import Role
from dealercrm.accounts.models import User
from dealercrm.core.birthdays import Birthday
from dealercrm.core.phones import display_phone, normalize_phone
from dealercrm.core.pinyin import in_pinyin_order
from dealercrm.customers.choices import Channel, ContactRole, CustomerClass, CustomerKind
from dealercrm.customers.filters import CustomerFilter
from dealercrm.customers.models import CarriedProduct, Contact, Customer
from dealercrm.customers.services import CUSTOMER_FIELDS, check_customer_rules
from dealercrm.regions.choices import DivisionLevel
from dealercrm.regions.models import Division, SalesRegion
from dealercrm.regions.services import children_of, region_tree, resolve_divisions

PAGE_SIZE = 50
SORT_CHOICES = [
    ("code", _("Code")),
    ("name", _("Name")),
    ("-completeness", _("Completeness, highest first")),
    ("completeness", _("Completeness, lowest first")),
    ("-updated", _("Recently updated")),
]


def region_choices(user: User) -> list[tuple[int, str]]:
    """The company's sales regions in tree order, indented by depth."""
    tree = region_tree(SalesRegion.objects.visible_to(user))
    return [(region.pk, "— " * depth + region.name) for region, depth in tree]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (unknown fields: on the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, ValidationError(errors))


class StyledFormMixin:
    """Bootstrap classes on every widget, and is-invalid on fields with errors."""

    fields: dict[str, forms.Field]

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        # Every error passes here: field validation, clean(), and the services' errors.
        super().add_error(field, error)  # type: ignore[misc]
        for name in self._errors:  # type: ignore[attr-defined]
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


# ---------------------------------------------------------------------------- list filter


class CustomerFilterForm(StyledFormMixin, forms.Form):
    """GET parameters of the customer list → a CustomerFilter (the API and exports share it).

    A value that does not validate (a completeness of 150, an unknown kind) is shown as an
    error and filters nothing, so a stale bookmark still opens the list.
    """

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "id": "search",
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Name, code, phone, address or pinyin (hxcs)"),
            }
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    abc_class = forms.ChoiceField(label=_("Class"), required=False)
    region = forms.ChoiceField(label=_("Sales region"), required=False)
    owner = forms.ChoiceField(label=_("Sales rep"), required=False)
    completeness_min = forms.IntegerField(
        label=_("Completeness from"), required=False, min_value=0, max_value=100
    )
    completeness_max = forms.IntegerField(label=_("to"), required=False, min_value=0, max_value=100)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + CustomerKind.choices
        self.fields["channel"].choices = everything + Channel.choices
        self.fields["abc_class"].choices = everything + CustomerClass.choices
        self.fields["region"].choices = everything + region_choices(user)
        if user.sees_whole_company:
            # Inactive reps too: their customers may not all be handed over yet.
            reps = User.objects.visible_to(user).filter(role__in=[Role.REP, Role.MANAGER])
            self.fields["owner"].choices = (
                everything
                + [("none", _("Nobody"))]
                + [(str(rep.pk), str(rep)) for rep in in_pinyin_order(reps)]
            )
        else:
            # A rep sees only own customers anyway.
            del self.fields["owner"]
        for name in ("completeness_min", "completeness_max"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "placeholder": "%"})
        self.style_widgets()

    def to_filter(self) -> CustomerFilter:
        """The filter of the valid fields (invalid ones are left out)."""
        self.is_valid()
        values = getattr(self, "cleaned_data", {})
        return CustomerFilter(
            q=values.get("q") or "",
            kind=values.get("kind") or "",
            channel=values.get("channel") or "",
            abc_class=values.get("abc_class") or "",
            region=values.get("region") or "",
            owner=values.get("owner") or "",
            completeness_min=values.get("completeness_min"),
            completeness_max=values.get("completeness_max"),
            sort=values.get("sort") or "code",
        )

    @property
    def is_filtered(self) -> bool:
        """Whether anything narrows the list (sorting does not)."""
        values = getattr(self, "cleaned_data", {})
        return any(value not in (None, "") for name, value in values.items() if name != "sort")


# ---------------------------------------------------------------------------- customer file


class CustomerForm(StyledFormMixin, forms.ModelForm):
    """The customer's own fields (§1-§4); contacts and carried products have their own forms.

    Province, city and county are cascading selects: the options of each depend on the one
    above (counties of a municipality hang directly under the province). Left empty, they are
    read from the address.
    """

    rep = forms.ModelChoiceField(label=_("Sales rep"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {
            "market_notes": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    # (title, field names) in the order of the article's sections.
    SECTIONS: list[tuple[Promise, list[str]]] = [
        (_("Customer"), ["code", "name", "kind", "channel", "parent", "rep"]),
        (
            _("§1 Region"),
            ["sales_region", "province", "city", "county", "address", "latitude", "longitude"],
        ),
        (_("§2 Market"), ["market_scale", "market_notes"]),
        (_("§3 Customer"), ["phone", "fax", "indoor_ads", "outdoor_ads"]),
        (
            _("§4 People, money, things"),
            ["staff_count", "vehicle_count", "business_area", "warehouse_area", "capital"],
        ),
        (_("Notes"), ["notes"]),
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self._limit_parents()
        self.fields["sales_region"].queryset = SalesRegion.objects.visible_to(user)
        self.fields["sales_region"].choices = [("", "---------"), *region_choices(user)]
        self._limit_divisions()
        self._bound_coordinates()
        if self.instance.pk or not user.can("customer.assign"):
            # Reps own what they create; reassigning is done on the customer page.
            del self.fields["rep"]
        else:
            self.fields["rep"].queryset = User.objects.visible_to(user).reps()
        if self.instance.pk and not self.is_bound:
            self.initial["phone"] = display_phone(self.instance.phone)
            self.initial["fax"] = display_phone(self.instance.fax)
        self.fields["address"].help_text = _(
            "Province, city and county left empty are read from the address."
        )
        self.style_widgets()

    def _limit_parents(self) -> None:
        distributors = Q(kind=CustomerKind.DISTRIBUTOR)
        parents = Customer.objects.visible_to(self.user).filter(distributors)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        if self.instance.parent_id:
            # Keep the current parent even when a rep does not own it.
            parents = parents | Customer.objects.filter(pk=self.instance.parent_id)
        self.fields["parent"].queryset = parents.order_by("code")

    def _limit_divisions(self) -> None:
        province = self["province"].value() or ""
        city = self["city"].value() or ""
        self.fields["province"].queryset = children_of(None, DivisionLevel.PROVINCE)
        self.fields["city"].queryset = (
            children_of(str(province), DivisionLevel.CITY) if province else Division.objects.none()
        )
        county_parent = city or province
        self.fields["county"].queryset = (
            children_of(str(county_parent), DivisionLevel.COUNTY)
            if county_parent
            else Division.objects.none()
        )
        # With htmx, the regions app refills city and county when the select above changes.
        options_url = reverse("regions:division_options")
        province_id, city_id, county_id = (self[n].auto_id for n in ("province", "city", "county"))
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": f"{options_url}?level=city&county_select={county_id}",
                "hx-target": f"#{city_id}",
                "hx-trigger": "change",
                "autocomplete": "off",
            }
        )
        self.fields["city"].widget.attrs.update(
            {
                "hx-get": f"{options_url}?level=county",
                "hx-include": f"#{province_id}",
                "hx-target": f"#{county_id}",
                "hx-trigger": "change",
                "autocomplete": "off",
            }
        )

    def _bound_coordinates(self) -> None:
        for name, limit in (("latitude", 90), ("longitude", 180)):
            field = self.fields[name]
            field.validators += [MinValueValidator(-limit), MaxValueValidator(limit)]
            field.widget.attrs.update({"min": -limit, "max": limit, "step": "any"})

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_fax(self) -> str:
        return normalize_phone(self.cleaned_data.get("fax"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._fill_divisions_from_address(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        # The service checks these again when saving; checking here too shows a duplicate code
        # next to, say, a bad phone number instead of one error per attempt.
        try:
            check_customer_rules(self.instance)
        except ValidationError as error:
            add_service_errors(self, error)

    def _fill_divisions_from_address(self, cleaned: dict[str, Any]) -> None:
        address = (cleaned.get("address") or "").strip()
        if not address or cleaned.get("county") or self.has_error("province"):
            return
        province, city = cleaned.get("province"), cleaned.get("city")
        try:
            match = resolve_divisions(
                province=province.code if province else "",
                city=city.code if city else "",
                address=address,
            )
        except ValidationError:
            return  # an address we cannot read leaves the fields as the user left them
        if province and match.province and match.province.code != province.code:
            return
        cleaned["province"] = province or match.province
        cleaned["city"] = city or match.city
        cleaned["county"] = match.county

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values that customers.services stores."""
        return {name: self.cleaned_data.get(name) for name in CUSTOMER_FIELDS}

    def sections(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]


class AssignRepForm(StyledFormMixin, forms.Form):
    rep = forms.ModelChoiceField(
        label=_("New sales rep"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = User.objects.visible_to(user).reps()
        self.style_widgets()


# ---------------------------------------------------------------------------- contacts

CONTACT_FORM_FIELDS = [
    "role",
    "is_primary",
    "name",
    "title",
    "phone",
    "mobile",
    "wechat",
    "hobbies",
    "habits",
    "personality",
    "family",
    "origin",
    "education",
    "background",
    "notes",
]
PERSONAL_FIELDS = [
    "birthday",
    "hobbies",
    "habits",
    "personality",
    "family",
    "origin",
    "education",
    "background",
]


class ContactForm(StyledFormMixin, forms.ModelForm):
    """A contact with the §5 personal profile; the birthday is one text field."""

    birthday = forms.CharField(
        label=_("Birthday"),
        required=False,
        help_text=_("1975-08-15, 08-15, 农历八月十五 or 农历闰四月初八"),
    )

    class Meta:
        model = Contact
        fields = CONTACT_FORM_FIELDS
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    SECTIONS: list[tuple[Promise, list[str]]] = [
        (_("Contact"), ["role", "is_primary", "name", "title", "phone", "mobile", "wechat"]),
        (_("§5 Personal"), PERSONAL_FIELDS),
        (_("Notes"), ["notes"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = ContactRole.choices
        if self.instance.pk and not self.is_bound:
            self.initial["birthday"] = self.instance.birthday_text
            self.initial["phone"] = display_phone(self.instance.phone)
            self.initial["mobile"] = display_phone(self.instance.mobile)
        self.style_widgets()

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_mobile(self) -> str:
        return normalize_phone(self.cleaned_data.get("mobile"))

    def clean_birthday(self) -> Birthday | None:
        return Birthday.parse(self.cleaned_data.get("birthday"))

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values, with the birthday split into its five columns."""
        fields = {name: self.cleaned_data.get(name) for name in CONTACT_FORM_FIELDS}
        birthday: Birthday | None = self.cleaned_data.get("birthday")
        fields.update(
            birthday_calendar=birthday.calendar if birthday else "",
            birthday_year=birthday.year if birthday else None,
            birthday_month=birthday.month if birthday else None,
            birthday_day=birthday.day if birthday else None,
            birthday_leap=birthday.leap if birthday else False,
        )
        return fields

    def sections(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]


# ---------------------------------------------------------------------------- carried products


class CompetitorSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Unknown")),
            ("false", _("Own brand")),
            ("true", _("Competitor")),
        ]


class CarriedProductForm(StyledFormMixin, forms.ModelForm):
    """A brand / product / spec the customer sells, with price and monthly volume."""

    class Meta:
        model = CarriedProduct
        fields = ["brand", "product", "price", "monthly_volume", "is_competitor"]
        widgets = {"is_competitor": CompetitorSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("price", "monthly_volume"):
            self.fields[name].validators.append(MinValueValidator(Decimal(0)))
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "decimal"})
        self.style_widgets()

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
