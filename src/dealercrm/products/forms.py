"""Forms of the catalogue pages: the product list filter, products, brands and manufacturers.

Forms turn text into typed values; rules involving other rows (unique codes and names) live in
products.services, whose ValidationErrors the views put back with `add_service_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dealercrm.accounts.models import User
from dealercrm.customers.forms import StyledFormMixin
from dealercrm.products.choices import Ownership
from dealercrm.products.filters import ProductFilter
from dealercrm.products.models import Brand, Manufacturer, Product
from dealercrm.products.services import BRAND_FIELDS, MANUFACTURER_FIELDS, PRODUCT_FIELDS

PAGE_SIZE = 50


class ProductFilterForm(StyledFormMixin, forms.Form):
    """GET parameters of the product list → a ProductFilter (the export shares it)."""

    q = forms.CharField(label=_("Search code or name"), required=False, max_length=100)
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    ownership = forms.ChoiceField(
        label=_("Own / competitor"),
        required=False,
        choices=[("", _("All brands")), *Ownership.choices],
    )

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data)
        brands = Brand.objects.visible_to(user).values_list("pk", "name")
        self.fields["brand"].choices = [("", _("All")), *brands]
        self.fields["q"].widget.attrs.update({"type": "search", "id": "search"})
        self.style_widgets()

    @property
    def is_filtered(self) -> bool:
        data = self.cleaned_data if self.is_valid() else {}
        return bool(data.get("brand") or data.get("ownership"))

    def to_filter(self) -> ProductFilter:
        # A value that does not validate (an unknown brand id) filters nothing.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ProductFilter(
            q=data.get("q") or "",
            brand=data.get("brand"),
            ownership=data.get("ownership") or "",
        )


class ProductForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = Brand.objects.visible_to(user)
        self.style_widgets()

    def validate_unique(self) -> None:
        # The company is not a form field; services.save_product checks the code.
        return None


class BrandForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Brand
        fields = BRAND_FIELDS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manufacturer"].queryset = Manufacturer.objects.visible_to(user)
        self.style_widgets()

    def validate_unique(self) -> None:
        return None


class ManufacturerForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Manufacturer
        fields = MANUFACTURER_FIELDS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def validate_unique(self) -> None:
        return None
