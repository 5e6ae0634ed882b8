"""What the HTTP API reads and writes for customers, contacts and carried products.

Conventions (also in the OpenAPI document):
- Decimal values (map position, areas, capital, prices, volumes) are JSON strings in answers
  ("32.520000", "500000.10"), so no digit is lost to floating point; requests may send a string
  or a number. Latitude and longitude are rounded to 6 decimal places (about 0.1 m).
- Phones and faxes are answered in E.164 ("+8613812345678"); requests may use any common
  format (138 1234 5678, 0371-6512 3456, 400-810-8888).
- Text fields never answer null: an empty value is "". In requests, null clears a field.
- In a PATCH, a field left out is not changed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from dealercrm.customers.choices import (
    Channel,
    ContactRole,
    CustomerClass,
    CustomerKind,
    MarketScale,
)
from dealercrm.customers.completeness import SECTION_NAMES, assess
from dealercrm.customers.filters import SORTS, CustomerFilter


def _decimal_text(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# A Decimal answered as a string, exactly as stored.
DecimalText = Annotated[str, BeforeValidator(_decimal_text)]
Blank = Literal[""]

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


# ---------------------------------------------------------------------------- answers


class CustomerRef(Schema):
    id: int
    code: str
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str = Field(description="The display name (the username when none is set).")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.display_name or obj.username


class RegionRef(Schema):
    id: int
    name: str


class DivisionRef(Schema):
    code: str = Field(description="Six-digit national code (GB/T 2260).", examples=["411329"])
    name: str = Field(examples=["新野县"])


class CustomerItem(Schema):
    """A customer as lists show it."""

    id: int
    code: str
    name: str
    kind: CustomerKind
    channel: Channel | Blank
    parent: CustomerRef | None = Field(description="The sub-distributor serving this customer.")
    rep: UserRef | None = Field(description="The owning sales rep.")
    abc_class: CustomerClass | Blank = Field(description="A, B or C; empty before classifying.")
    sales_region: RegionRef | None
    province: DivisionRef | None
    city: DivisionRef | None = Field(description="null for municipalities (北京, 上海, ...).")
    county: DivisionRef | None
    address: str
    latitude: DecimalText | None = Field(examples=["32.520000"])
    longitude: DecimalText | None = Field(examples=["112.360000"])
    market_scale: MarketScale | Blank
    market_notes: str
    phone: str = Field(description="E.164.", examples=["+8613812345678"])
    fax: str = Field(description="E.164.")
    indoor_ads: bool | None = Field(description="Our advertising inside the shop; null: unknown.")
    outdoor_ads: bool | None
    staff_count: int | None
    vehicle_count: int | None
    business_area: DecimalText | None = Field(description="m²", examples=["120.0"])
    warehouse_area: DecimalText | None = Field(description="m²")
    capital: DecimalText | None = Field(description="yuan", examples=["500000.00"])
    notes: str
    completeness: int = Field(description="File completeness, 0-100.")
    created_at: datetime
    updated_at: datetime


class ContactOut(Schema):
    id: int
    customer_id: int
    role: ContactRole
    is_primary: bool
    name: str
    title: str
    phone: str = Field(description="E.164.")
    mobile: str = Field(description="E.164.")
    wechat: str
    birthday: str = Field(
        description="Solar (1975-08-15, or 08-15 without a year) or lunar (农历八月十五); "
        "empty when unknown.",
        examples=["农历八月十五"],
    )
    hobbies: str
    habits: str
    personality: str
    family: str
    origin: str
    education: str
    background: str
    notes: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_birthday(obj: Any) -> str:
        return obj.birthday_text


class CarriedProductOut(Schema):
    id: int
    customer_id: int
    brand: str
    product: str
    price: DecimalText | None = Field(description="Retail price, yuan.", examples=["5.50"])
    monthly_volume: DecimalText | None
    is_competitor: bool | None = Field(description="A competitor's brand; null: unknown.")


class MissingItem(Schema):
    section: int = Field(description="The file section (1 region … 5 personal).")
    section_name: str
    item: str


class CustomerDetail(CustomerItem):
    """A customer with its whole file."""

    contacts: list[ContactOut]
    carried_products: list[CarriedProductOut]
    missing: list[MissingItem] = Field(description="What the file still lacks, by section.")

    # The customer comes with contacts and carried products prefetched (customers/api.py).
    @staticmethod
    def resolve_contacts(obj: Any) -> list[Any]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_carried_products(obj: Any) -> list[Any]:
        return list(obj.carried_products.all())

    @staticmethod
    def resolve_missing(obj: Any) -> list[dict[str, Any]]:
        result = assess(obj, list(obj.contacts.all()), list(obj.carried_products.all()))
        return [
            {"section": section, "section_name": str(SECTION_NAMES[section]), "item": str(label)}
            for section, label in result.missing
        ]


class CustomerPage(Schema):
    count: int = Field(description="Rows matching the filters, on every page.")
    items: list[CustomerItem]


class ContactPage(Schema):
    count: int
    items: list[ContactOut]


class CarriedProductPage(Schema):
    count: int
    items: list[CarriedProductOut]


# ---------------------------------------------------------------------------- list parameters


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="1-based.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


_SORT_PATTERN = "^-?(" + "|".join(SORTS) + ")$"


class CustomerListQuery(PageQuery):
    q: str = Field("", description="Name, code, phone, address, pinyin or its initials (hxcs).")
    kind: CustomerKind | None = None
    channel: Channel | None = None
    abc_class: CustomerClass | None = None
    region: str = Field("", description="Sales region id or name; includes its sub-regions.")
    owner: str = Field("", description="Owning rep: user id, username, or `none` (unassigned).")
    completeness_min: int | None = Field(None, ge=0, le=100)
    completeness_max: int | None = Field(None, ge=0, le=100)
    sort: str = Field(
        "code",
        pattern=_SORT_PATTERN,
        description="One of " + ", ".join(SORTS) + "; a leading - sorts descending.",
    )

    def to_filter(self) -> CustomerFilter:
        """The same filter the customer list page uses."""
        return CustomerFilter(
            q=self.q,
            kind=self.kind.value if self.kind else "",
            channel=self.channel.value if self.channel else "",
            abc_class=self.abc_class.value if self.abc_class else "",
            region=self.region.strip(),
            owner=self.owner.strip(),
            completeness_min=self.completeness_min,
            completeness_max=self.completeness_max,
            sort=self.sort,
        )


# ---------------------------------------------------------------------------- requests


class CustomerUpdate(Schema):
    """Fields of a customer; in a PATCH only the fields sent change."""

    code: str | None = Field(None, max_length=32, description="Unique in the company.")
    name: str | None = Field(None, max_length=100)
    kind: CustomerKind | None = None
    channel: Channel | Blank | None = None
    parent: int | str | None = Field(
        None,
        description="The serving sub-distributor, one you can see: its id (a number) or its "
        "code (a string); null for none.",
    )
    rep: int | str | None = Field(
        None,
        description="The owning rep: user id (a number) or username (a string); null for "
        "nobody. Only boss, manager and clerk may set it; a rep's new customers are their own.",
    )
    sales_region: int | str | None = Field(
        None, description="Sales region id (a number) or name (a string)."
    )
    province: str | None = Field(
        None,
        description="National code or name (410000, 河南省, 河南). When province, city and "
        "county are all left empty, they are read from the address.",
    )
    city: str | None = Field(None, description="National code or name.")
    county: str | None = Field(None, description="National code or name.")
    address: str | None = Field(None, max_length=200)
    latitude: Decimal | None = Field(None, ge=-90, le=90, description="Degrees north.")
    longitude: Decimal | None = Field(None, ge=-180, le=180, description="Degrees east.")
    market_scale: MarketScale | Blank | None = None
    market_notes: str | None = None
    phone: str | None = Field(None, description="Any common format; answered in E.164.")
    fax: str | None = None
    indoor_ads: bool | None = None
    outdoor_ads: bool | None = None
    staff_count: int | None = Field(None, ge=0)
    vehicle_count: int | None = Field(None, ge=0)
    business_area: Decimal | None = Field(None, ge=0, description="m², one decimal place.")
    warehouse_area: Decimal | None = Field(None, ge=0, description="m², one decimal place.")
    capital: Decimal | None = Field(None, ge=0, description="Yuan, two decimal places.")
    notes: str | None = None


class CustomerCreate(CustomerUpdate):
    code: str = Field(max_length=32, description="Unique in the company.")
    name: str = Field(max_length=100)


class ContactUpdate(Schema):
    """Fields of a contact; in a PATCH only the fields sent change."""

    role: ContactRole | None = Field(
        None, description="owner (负责人, one per customer) or contact."
    )
    is_primary: bool | None = Field(
        None, description="The customer's primary contact (one per customer)."
    )
    name: str | None = Field(None, max_length=50)
    title: str | None = None
    phone: str | None = Field(None, description="Any common format; answered in E.164.")
    mobile: str | None = Field(None, description="Any common format; answered in E.164.")
    wechat: str | None = None
    birthday: str | None = Field(
        None,
        description="Text: 1975-08-15, 1975年8月15日, 08-15, 农历八月十五, 农历闰四月初八, "
        "农历1975年八月十五. null or empty: unknown.",
        examples=["农历八月十五"],
    )
    hobbies: str | None = None
    habits: str | None = None
    personality: str | None = None
    family: str | None = None
    origin: str | None = None
    education: str | None = None
    background: str | None = None
    notes: str | None = None


class ContactCreate(ContactUpdate):
    name: str = Field(max_length=50)


class CarriedProductUpdate(Schema):
    """A brand or product the customer sells; in a PATCH only the fields sent change."""

    brand: str | None = Field(None, max_length=50)
    product: str | None = Field(None, max_length=100, description="Product or specification.")
    price: Decimal | None = Field(None, ge=0, description="Retail price, yuan.")
    monthly_volume: Decimal | None = Field(None, ge=0)
    is_competitor: bool | None = None


class CarriedProductCreate(CarriedProductUpdate):
    brand: str = Field(max_length=50)
