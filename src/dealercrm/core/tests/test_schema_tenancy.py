"""The schema keeps DESIGN's door open to distributing by company (PostgreSQL with Citus): every
company-owned table has `company_id`, and every unique key starts with it."""

from django.apps import apps
from django.db import models

from dealercrm.core.models import CompanyOwned

# Tables that are not one company's, each for a reason (docs/decisions.md, "Companies and users").
SHARED = {
    "companies.Company": "the tenant itself",
    "regions.Division": "China's administrative divisions, the same for every company",
    "accounts.User": "a login names no company, so usernames are unique in the installation",
    "accounts.ApiToken": "a token is found by its hash before its company is known",
}


def our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("dealercrm.")]


def unique_keys(model: type[models.Model]) -> list[tuple[str, ...]]:
    keys = [
        (field.name,)
        for field in model._meta.local_fields
        if field.unique and not field.primary_key
    ]
    keys += [tuple(fields) for fields in model._meta.unique_together]
    keys += [
        tuple(constraint.fields) or ("<expression>",)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
    ]
    return keys


def test_every_table_but_the_shared_ones_belongs_to_a_company():
    missing = [
        model._meta.label
        for model in our_models()
        if model._meta.label not in SHARED and not issubclass(model, CompanyOwned)
    ]
    assert missing == []


def test_every_unique_key_of_a_company_table_starts_with_the_company():
    wrong = {
        model._meta.label: key
        for model in our_models()
        if model._meta.label not in SHARED
        for key in unique_keys(model)
        if key[0] != "company"
    }
    assert wrong == {}


def test_the_list_of_shared_tables_names_only_tables_that_exist():
    labels = {model._meta.label for model in our_models()}
    assert set(SHARED) <= labels
