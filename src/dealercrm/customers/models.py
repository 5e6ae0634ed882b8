"""The customer file (客户档案): customers, their contacts, what they carry, and who owns them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from dealercrm.core.birthdays import Birthday
from dealercrm.core.models import CompanyOwned, CompanyQuerySet
from dealercrm.core.phones import display_phone
from dealercrm.customers import fulltext
from dealercrm.customers.choices import (
    BirthdayCalendar,
    Channel,
    ContactRole,
    CustomerClass,
    CustomerKind,
    MarketScale,
)


class CustomerQuerySet(CompanyQuerySet):
    def visible_to(self, user: Any) -> CustomerQuerySet:
        """The company's customers; for a rep, only the customers assigned to them."""
        queryset = super().visible_to(user)
        if getattr(user, "is_rep", False):
            queryset = queryset.filter(rep_id=user.pk)
        return queryset

    def search(self, text: str) -> CustomerQuerySet:
        """Match name, code, phones, address, full pinyin or pinyin initials.

        Each word is a substring of search_text. On SQLite a word of three or more characters is
        looked up in the FTS5 trigram index (customers/fulltext.py) instead of scanning every
        row; it answers the same rows. PostgreSQL's trigram index serves the substring filter.
        """
        words = text.lower().split()
        queryset = self
        indexed = connections[self.db].vendor == "sqlite"
        for word in words:
            if indexed and len(word) >= fulltext.MIN_LENGTH:
                queryset = queryset.filter(
                    pk__in=RawSQL(
                        f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE} MATCH %s",
                        [fulltext.match_expression(word)],
                    )
                )
            else:
                queryset = queryset.filter(search_text__contains=word)
        return queryset

    def refresh_statistics(self) -> None:
        """After a bulk write on PostgreSQL, ANALYZE so the planner uses the search index."""
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE customers_customer")


class CustomerRowQuerySet(CompanyQuerySet):
    """Rows that belong to one customer (contacts, brands carried, orders, scores…): a user sees
    those of the customers they may see, so a rep only those of their own customers."""

    def visible_to(self, user: Any) -> CustomerRowQuerySet:
        queryset = super().visible_to(user)
        if getattr(user, "is_rep", False):
            queryset = queryset.filter(customer__rep_id=user.pk)
        return queryset


class Customer(CompanyOwned):
    """A downstream party: a sub-distributor, a terminal or a consumer."""

    # § identity
    code = models.CharField(_("customer code"), max_length=32)
    name = models.CharField(_("customer name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.TERMINAL
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_customers",
        verbose_name=_("parent customer"),
        limit_choices_to={"kind": CustomerKind.DISTRIBUTOR},
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("sales rep"),
    )
    abc_class = models.CharField(
        _("customer class"), max_length=1, choices=CustomerClass.choices, blank=True
    )

    # §1 region
    sales_region = models.ForeignKey(
        "regions.SalesRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("sales region"),
    )
    province = models.ForeignKey(
        "regions.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    city = models.ForeignKey(
        "regions.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("city"),
    )
    county = models.ForeignKey(
        "regions.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # §2 market
    market_scale = models.CharField(
        _("market scale"), max_length=12, choices=MarketScale.choices, blank=True
    )
    market_notes = models.TextField(_("market notes"), blank=True)

    # §3 customer
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    indoor_ads = models.BooleanField(_("indoor advertising"), null=True, blank=True)
    outdoor_ads = models.BooleanField(_("outdoor advertising"), null=True, blank=True)

    # §4 resources
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    vehicle_count = models.PositiveIntegerField(_("vehicles"), null=True, blank=True)
    business_area = models.DecimalField(
        _("business area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    warehouse_area = models.DecimalField(
        _("warehouse area (m²)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    capital = models.DecimalField(
        _("capital (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    notes = models.TextField(_("notes"), blank=True)

    # The day of the last done visit, kept by visits.services (a visit plan reads it).
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)

    # Derived, kept current by customers.services on every change.
    completeness = models.PositiveSmallIntegerField(_("file completeness"), default=0)
    search_text = models.TextField(editable=False, default="")

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="customer_unique_code"),
        ]
        indexes = [
            models.Index(fields=["company", "rep"], name="customer_company_rep"),
            models.Index(fields=["company", "kind"], name="customer_company_kind"),
            models.Index(fields=["company", "sales_region"], name="customer_company_region"),
            models.Index(fields=["company", "completeness"], name="customer_company_complete"),
            models.Index(fields=["company", "abc_class"], name="customer_company_class"),
            models.Index(fields=["company", "last_visit_on"], name="customer_company_visited"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def fax_display(self) -> str:
        return display_phone(self.fax)


class Contact(CompanyOwned):
    """A person at a customer (owner 负责人 or contact 联系人) with the personal profile (§5)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ContactRole.choices, default=ContactRole.CONTACT
    )
    # The one contact that the import's 联系人 columns describe.
    is_primary = models.BooleanField(_("primary contact"), default=False)
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)

    # §5 personal
    birthday_calendar = models.CharField(
        _("birthday calendar"), max_length=5, choices=BirthdayCalendar.choices, blank=True
    )
    birthday_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    birthday_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birthday_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)
    birthday_leap = models.BooleanField(_("leap month"), default=False)
    hobbies = models.CharField(_("hobbies"), max_length=200, blank=True)
    habits = models.CharField(_("habits"), max_length=200, blank=True)
    personality = models.CharField(_("personality"), max_length=200, blank=True)
    family = models.CharField(_("family"), max_length=200, blank=True)
    origin = models.CharField(_("origin"), max_length=200, blank=True)
    education = models.CharField(_("education"), max_length=50, blank=True)
    background = models.CharField(_("background"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "role", "-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer"],
                condition=Q(role=ContactRole.OWNER),
                name="contact_one_owner_per_customer",
            ),
            models.UniqueConstraint(
                fields=["company", "customer"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def birthday(self) -> Birthday | None:
        if not self.birthday_calendar or not self.birthday_month or not self.birthday_day:
            return None
        return Birthday(
            self.birthday_calendar,
            self.birthday_month,
            self.birthday_day,
            self.birthday_year,
            self.birthday_leap,
        )

    @birthday.setter
    def birthday(self, value: Birthday | None) -> None:
        self.birthday_calendar = value.calendar if value else ""
        self.birthday_year = value.year if value else None
        self.birthday_month = value.month if value else None
        self.birthday_day = value.day if value else None
        self.birthday_leap = value.leap if value else False

    @property
    def birthday_text(self) -> str:
        birthday = self.birthday
        return birthday.format() if birthday else ""

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def mobile_display(self) -> str:
        return display_phone(self.mobile)


class CarriedProduct(CompanyOwned):
    """A brand, variety or spec the customer sells (§2 and §3): own or a competitor's."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="carried_products",
        verbose_name=_("customer"),
    )
    brand = models.CharField(_("brand"), max_length=50)
    product = models.CharField(_("product or spec"), max_length=100, blank=True)
    price = models.DecimalField(
        _("retail price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    monthly_volume = models.DecimalField(
        _("monthly volume"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_competitor = models.BooleanField(_("competitor"), null=True, blank=True)

    objects = CustomerRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("carried product")
        verbose_name_plural = _("carried products")
        ordering = ["customer", "brand", "product", "id"]

    def __str__(self) -> str:
        return f"{self.brand} {self.product}".strip()


class Assignment(CompanyOwned):
    """Which rep owned a customer, from when to when (the current one has no end)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("customer")
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("sales rep"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["customer", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "customer"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_current_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} → {self.rep}"
