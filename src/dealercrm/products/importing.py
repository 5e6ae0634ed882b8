"""Importing the catalogue from a spreadsheet: 产品编码*, 产品名称*, 品牌*, 厂家, 规格, 单价, 竞品.

Pass 1 (`check`) loads the company's products, brands and manufacturers once (a catalogue is
thousands of rows, not millions), validates every cell and the rules between rows, and keeps
what the file says about each brand. Pass 2 (`apply`) creates the new manufacturers and brands,
then re-reads the file in batches of 1,000 and creates or updates products with `bulk_create` /
`bulk_update`; no query is made per row. A row whose product equals the stored one is counted
unchanged and not written.

What a file may say about brands (one brand is named by many product rows):

- Brands and manufacturers are found by their exact name (after trimming spaces) or created.
- 竞品 (是/否) is the brand's competitor flag. A new brand takes it (否 when no row gives it).
  Two rows giving one brand different values are an error on the later row. A row that gives a
  value contradicting a stored brand is an error too: the flag decides how every product of the
  brand is counted (own vs competitor), so it is changed on the brand page, deliberately, not
  as a side effect of a product row. A blank 竞品 cell says nothing about the brand.
- 厂家 names the brand's manufacturer. It fills the manufacturer of a new brand or of a stored
  brand without one; two rows naming different manufacturers for one brand, or a row naming
  another manufacturer than a stored brand's, are errors (for the same reason). A blank cell says
  nothing.
- What happens to brands and manufacturers is listed in the summary's notes; the row counts
  (new / updated / unchanged) are about products.

Product cells follow the customer import: a missing column leaves its values alone, a blank 规格
or 单价 in a present column clears it. 单价 accepts a trailing 元 and 千 / 万, rounded half-up to
cents. The export writes the same columns, so an exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dealercrm.core.yesno import format_yes_no
from dealercrm.imports import cells
from dealercrm.imports.engine import (
    Column,
    ColumnSpec,
    ErrorList,
    Importer,
    ParsedRow,
    Progress,
    Reader,
    Summary,
)
from dealercrm.products.models import Brand, Manufacturer, Product

BATCH_SIZE = 1000
# Names listed in a summary note before "…".
NOTE_NAMES = 20
PRODUCT_VALUES = ("name", "spec", "price")


def _field(model: type, name: str) -> Any:
    return model._meta.get_field(name)


COLUMNS = ColumnSpec(
    [
        Column("code", "产品编码", cells.text(_field(Product, "code")), required=True),
        Column("name", "产品名称", cells.text(_field(Product, "name")), required=True),
        Column("brand", "品牌", cells.text(_field(Brand, "name")), required=True),
        Column("manufacturer", "厂家", cells.text(_field(Manufacturer, "name"))),
        Column("spec", "规格", cells.text(_field(Product, "spec"))),
        Column("price", "单价", cells.decimal(_field(Product, "price"), units=True), blank=None),
        Column("competitor", "竞品", cells.yes_no, blank=None),
    ]
)


def _header(key: str) -> str:
    return COLUMNS.by_key[key].header


def _names(names: Iterable[str]) -> str:
    names = list(names)
    shown = "、".join(names[:NOTE_NAMES])
    return shown + ("…" if len(names) > NOTE_NAMES else "")


def batched(rows: Iterable[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    batch: list[ParsedRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class BrandFacts:
    """What the file says about one brand, and on which row it first said it."""

    competitor: bool | None = None
    competitor_row: int = 0
    manufacturer: str = ""
    manufacturer_row: int = 0


class ProductImporter(Importer):
    """Products of one company from the 产品 columns of DESIGN.md."""

    kind = "products"
    spec = COLUMNS

    def __init__(self, *, company: Any, actor: Any, source: str) -> None:
        super().__init__(company=company, actor=actor, source=source)
        self.products: dict[str, Product] = {}
        self.brands: dict[str, Brand] = {}
        self.brand_names: dict[int, str] = {}
        self.manufacturers: dict[str, Manufacturer] = {}
        self.manufacturer_names: dict[int, str] = {}
        self.facts: dict[str, BrandFacts] = {}

    # ------------------------------------------------------------------ pass 1: check

    def _load(self) -> None:
        """One query each: the company's products, brands and manufacturers."""
        company_id = self.company.pk
        self.products = {
            product.code: product
            for product in Product.objects.filter(company_id=company_id).order_by()
        }
        self.brands = {
            brand.name: brand for brand in Brand.objects.filter(company_id=company_id).order_by()
        }
        self.brand_names = {brand.pk: name for name, brand in self.brands.items()}
        self.manufacturers = {
            maker.name: maker
            for maker in Manufacturer.objects.filter(company_id=company_id).order_by()
        }
        self.manufacturer_names = {maker.pk: name for name, maker in self.manufacturers.items()}

    def check(self, rows: Iterable[ParsedRow], errors: ErrorList, progress: Progress) -> None:
        self._load()
        self.facts = {}
        first_row: dict[str, int] = {}
        count = 0
        for row in rows:
            count += 1
            code = row.values.get("code", "")
            if code and code in first_row:
                errors.add(
                    row.number,
                    _header("code"),
                    code,
                    _("Product code “%(code)s” is already on row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            elif code:
                first_row[code] = row.number
            brand = row.values.get("brand", "")
            if brand:
                facts = self.facts.setdefault(brand, BrandFacts())
                self._check_competitor(row, brand, facts, errors)
                self._check_manufacturer(row, brand, facts, errors)
            if count % BATCH_SIZE == 0:
                progress("check", count, 0)
        progress("check", count, count)

    def _check_competitor(
        self, row: ParsedRow, brand: str, facts: BrandFacts, errors: ErrorList
    ) -> None:
        value = row.values.get("competitor")
        if value is None:
            return
        column = _header("competitor")
        if facts.competitor is not None and facts.competitor != value:
            errors.add(
                row.number,
                column,
                format_yes_no(value),
                _("Brand “%(brand)s” is marked %(value)s on row %(row)s.")
                % {
                    "brand": brand,
                    "value": format_yes_no(facts.competitor),
                    "row": facts.competitor_row,
                },
            )
            return
        if facts.competitor is None:
            facts.competitor, facts.competitor_row = value, row.number
        stored = self.brands.get(brand)
        if stored is not None and stored.is_competitor != value:
            if stored.is_competitor:
                message = _(
                    "Brand “%(brand)s” is a competitor’s brand; change that on the brand page, "
                    "not in a product file."
                )
            else:
                message = _(
                    "Brand “%(brand)s” is an own brand; change that on the brand page, "
                    "not in a product file."
                )
            errors.add(row.number, column, format_yes_no(value), message % {"brand": brand})

    def _check_manufacturer(
        self, row: ParsedRow, brand: str, facts: BrandFacts, errors: ErrorList
    ) -> None:
        name = row.values.get("manufacturer") or ""
        if not name:
            return
        column = _header("manufacturer")
        if facts.manufacturer and facts.manufacturer != name:
            errors.add(
                row.number,
                column,
                name,
                _("Brand “%(brand)s” is made by “%(maker)s” on row %(row)s.")
                % {"brand": brand, "maker": facts.manufacturer, "row": facts.manufacturer_row},
            )
            return
        if not facts.manufacturer:
            facts.manufacturer, facts.manufacturer_row = name, row.number
        stored = self.brands.get(brand)
        stored_maker = (
            self.manufacturer_names.get(stored.manufacturer_id) if stored is not None else None
        )
        if stored_maker and stored_maker != name:
            errors.add(
                row.number,
                column,
                name,
                _(
                    "Brand “%(brand)s” is made by “%(maker)s”; change that on the brand page, "
                    "not in a product file."
                )
                % {"brand": brand, "maker": stored_maker},
            )

    # ------------------------------------------------------------------ pass 2: compare, write

    def apply(self, read: Reader, *, write: bool, progress: Progress) -> Summary:
        summary = Summary()
        self._apply_brands(summary, write)
        for batch in batched(read(), BATCH_SIZE):
            created, changed, fields = self._plan_batch(batch, summary)
            if write:
                if created:
                    Product.objects.bulk_create(created)
                if changed:
                    Product.objects.bulk_update(changed, sorted(fields))
            progress("write" if write else "compare", summary.rows, 0)
        return summary

    def _apply_brands(self, summary: Summary, write: bool) -> None:
        """New manufacturers, new brands, and stored brands given a manufacturer."""
        company_id = self.company.pk
        new_makers = list(
            dict.fromkeys(
                facts.manufacturer
                for facts in self.facts.values()
                if facts.manufacturer and facts.manufacturer not in self.manufacturers
            )
        )
        makers = [Manufacturer(company_id=company_id, name=name) for name in new_makers]
        if write and makers:
            Manufacturer.objects.bulk_create(makers)
        self.manufacturers.update({maker.name: maker for maker in makers})

        new_brands: list[Brand] = []
        filled: list[Brand] = []
        for name, facts in self.facts.items():
            maker = self.manufacturers.get(facts.manufacturer) if facts.manufacturer else None
            stored = self.brands.get(name)
            if stored is None:
                new_brands.append(
                    Brand(
                        company_id=company_id,
                        name=name,
                        manufacturer=maker,
                        is_competitor=bool(facts.competitor),
                    )
                )
            elif maker is not None and stored.manufacturer_id is None:
                stored.manufacturer = maker
                filled.append(stored)
        if write:
            if new_brands:
                Brand.objects.bulk_create(new_brands)
            if filled:
                Brand.objects.bulk_update(filled, ["manufacturer"])
        self.brands.update({brand.name: brand for brand in new_brands})

        future = write
        if new_makers:
            note = (
                _("New manufacturers: %(names)s.")
                if future
                else _("New manufacturers will be created: %(names)s.")
            )
            summary.notes.append(note % {"names": _names(new_makers)})
        if new_brands:
            competitors = [brand.name for brand in new_brands if brand.is_competitor]
            own = [brand.name for brand in new_brands if not brand.is_competitor]
            if own:
                note = (
                    _("New own brands: %(names)s.")
                    if future
                    else _("New own brands will be created: %(names)s.")
                )
                summary.notes.append(note % {"names": _names(own)})
            if competitors:
                note = (
                    _("New competitor brands: %(names)s.")
                    if future
                    else _("New competitor brands will be created: %(names)s.")
                )
                summary.notes.append(note % {"names": _names(competitors)})
        if filled:
            note = (
                _("Brands given their manufacturer: %(names)s.")
                if future
                else _("Brands that will be given their manufacturer: %(names)s.")
            )
            summary.notes.append(note % {"names": _names(brand.name for brand in filled)})

    def _plan_batch(
        self, batch: list[ParsedRow], summary: Summary
    ) -> tuple[list[Product], list[Product], set[str]]:
        created: list[Product] = []
        changed: list[Product] = []
        fields: set[str] = set()
        for row in batch:
            summary.rows += 1
            values = row.values
            brand = self.brands[values["brand"]]
            stored = self.products.get(values["code"])
            if stored is None:
                product = Product(
                    company_id=self.company.pk,
                    code=values["code"],
                    name=values["name"],
                    brand=brand,
                    spec=values.get("spec", ""),
                    price=values.get("price"),
                )
                created.append(product)
                self.products[product.code] = product
                summary.new += 1
                if len(summary.sample) < Summary.SAMPLE_SIZE:
                    summary.sample.append({"code": product.code, "name": product.name})
                continue
            differs = self._differences(stored, values)
            if not differs:
                summary.unchanged += 1
                continue
            for name in differs:
                setattr(stored, name, brand if name == "brand" else values[name])
            fields.update(differs)
            changed.append(stored)
            summary.updated += 1
        return created, changed, fields

    def _differences(self, stored: Product, values: dict[str, Any]) -> list[str]:
        names = [
            name
            for name in PRODUCT_VALUES
            if name in values and getattr(stored, name) != values[name]
        ]
        if self.brand_names.get(stored.brand_id) != values["brand"]:
            names.append("brand")
        return names
