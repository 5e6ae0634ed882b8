"""Changing the catalogue: products, brands and manufacturers.

Every change from a page goes through these functions; they check the permission
("product.manage"), the rules that involve other rows (codes and names unique in the company,
references inside the company) and raise ValidationError by field. The catalogue is not part of
a customer file, so it writes no customer audit entries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from dealercrm.accounts.models import User
from dealercrm.products.models import Brand, Manufacturer, Product

PRODUCT_FIELDS = ["code", "name", "brand", "spec", "price"]
BRAND_FIELDS = ["name", "manufacturer", "is_competitor"]
MANUFACTURER_FIELDS = ["name"]


def _require_manage(actor: User | None) -> None:
    if actor is not None and not actor.can("product.manage"):
        raise PermissionDenied(_("You may not change the catalogue."))


def _check_same_company(company_id: int, **related: Any) -> None:
    for name, instance in related.items():
        if instance is not None and instance.company_id != company_id:
            raise ValidationError({name: _("Choose one of this company’s entries.")})


@transaction.atomic
def save_product(
    *, company: Any, actor: User | None, fields: dict[str, Any], product: Product | None = None
) -> Product:
    """Create (product=None) or update a product; its code is unique in the company."""
    _require_manage(actor)
    product = product or Product(company_id=company.pk)
    code = fields.get("code", product.code).strip()
    taken = Product.objects.for_company(company).filter(code=code).exclude(pk=product.pk)
    if taken.exists():
        raise ValidationError({"code": _("Product code “%(code)s” is taken.") % {"code": code}})
    _check_same_company(company.pk, brand=fields.get("brand"))
    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.code = code
    product.save()
    return product


def delete_product(product: Product, *, actor: User | None) -> None:
    """Delete a product; refused while order lines use it (they keep the sales history)."""
    _require_manage(actor)
    if product.order_lines.exists():
        raise ValidationError(
            _("%(product)s is used by order lines and cannot be deleted.") % {"product": product}
        )
    try:
        product.delete()
    except ProtectedError as error:  # an order line added meanwhile
        raise ValidationError(
            _("%(product)s is used by order lines and cannot be deleted.") % {"product": product}
        ) from error


@transaction.atomic
def save_brand(
    *, company: Any, actor: User | None, fields: dict[str, Any], brand: Brand | None = None
) -> Brand:
    """Create (brand=None) or update a brand; its name is unique in the company."""
    _require_manage(actor)
    brand = brand or Brand(company_id=company.pk)
    name = fields.get("name", brand.name).strip()
    if Brand.objects.for_company(company).filter(name=name).exclude(pk=brand.pk).exists():
        raise ValidationError({"name": _("There is already a brand “%(name)s”.") % {"name": name}})
    _check_same_company(company.pk, manufacturer=fields.get("manufacturer"))
    for field_name in BRAND_FIELDS:
        if field_name in fields:
            setattr(brand, field_name, fields[field_name])
    brand.name = name
    brand.save()
    return brand


@transaction.atomic
def save_manufacturer(
    *,
    company: Any,
    actor: User | None,
    fields: dict[str, Any],
    manufacturer: Manufacturer | None = None,
) -> Manufacturer:
    """Create (manufacturer=None) or rename a manufacturer; names are unique in the company."""
    _require_manage(actor)
    manufacturer = manufacturer or Manufacturer(company_id=company.pk)
    name = fields.get("name", manufacturer.name).strip()
    others = Manufacturer.objects.for_company(company).exclude(pk=manufacturer.pk)
    if others.filter(name=name).exists():
        raise ValidationError(
            {"name": _("There is already a manufacturer “%(name)s”.") % {"name": name}}
        )
    manufacturer.name = name
    manufacturer.save()
    return manufacturer
