from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CustomerKind(models.TextChoices):
    DISTRIBUTOR = "distributor", _("sub-distributor")
    TERMINAL = "terminal", _("terminal")
    CONSUMER = "consumer", _("consumer")


class Channel(models.TextChoices):
    KA = "ka", _("supermarket / KA")
    CONVENIENCE = "convenience", _("convenience store")
    GROCERY = "grocery", _("grocery")
    RESTAURANT = "restaurant", _("restaurant")
    HOTEL = "hotel", _("hotel")
    WHOLESALE = "wholesale", _("wholesale stall")
    OTHER = "other", _("other")


class MarketScale(models.TextChoices):
    CITY = "city", pgettext_lazy("market scale", "city")
    COUNTY_TOWN = "county_town", _("county town")
    TOWNSHIP = "township", _("township")
    MARKET_FAIR = "market_fair", _("market fair")
    VILLAGE = "village", _("village")


class ContactRole(models.TextChoices):
    OWNER = "owner", _("owner")
    CONTACT = "contact", _("contact")


class BirthdayCalendar(models.TextChoices):
    SOLAR = "solar", _("solar")
    LUNAR = "lunar", _("lunar (农历)")


class CustomerClass(models.TextChoices):
    A = "A", _("A core")
    B = "B", _("B key")
    C = "C", _("C ordinary")
