"""Creating companies (tenants), and each company's own calendar (its time zone, its today)."""

import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dealercrm.companies.models import Company

logger = logging.getLogger(__name__)


def company_zone(company: Any) -> ZoneInfo:
    """The company's time zone; the installation's when the stored name is unknown."""
    try:
        return ZoneInfo(company.time_zone)
    except (ZoneInfoNotFoundError, ValueError, AttributeError):
        logger.warning("Company %s has an unknown time zone", getattr(company, "code", company))
        return ZoneInfo(settings.TIME_ZONE)


def local_day(company: Any, moment: datetime) -> date:
    """The company's calendar day at that moment."""
    return timezone.localtime(moment, company_zone(company)).date()


def local_today(company: Any) -> date:
    """Today in the company's time zone (days of visits, claims, jobs and classes are these)."""
    return local_day(company, timezone.now())


@transaction.atomic
def create_company(code: str, name: str) -> Company:
    """Create a company; raises ValidationError for a bad or taken code."""
    company = Company(code=code, name=name)
    company.full_clean()
    company.save()
    return company
