"""Creating companies (tenants)."""

from django.db import transaction

from dealercrm.companies.models import Company


@transaction.atomic
def create_company(code: str, name: str) -> Company:
    """Create a company; raises ValidationError for a bad or taken code."""
    company = Company(code=code, name=name)
    company.full_clean()
    company.save()
    return company
