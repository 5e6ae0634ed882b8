"""Writing the audit trail: snapshots of a row as display text, and the entries for a change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from dealercrm.core.models import AuditAction, AuditEntry
from dealercrm.core.yesno import format_yes_no

# Fields never shown in the trail: bookkeeping, derived values and the company itself.
IGNORED_FIELDS = {"id", "company", "created_at", "updated_at", "search_text", "completeness"}


def _display(instance: models.Model, field: models.Field) -> str:
    if isinstance(field, models.ForeignKey):
        related_id = getattr(instance, field.attname)
        if related_id is None:
            return ""
        return str(getattr(instance, field.name))
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return format_yes_no(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def snapshot(instance: models.Model) -> dict[str, str]:
    """Every audited field of instance as the text a person would read."""
    return {
        field.name: _display(instance, field)
        for field in instance._meta.concrete_fields
        if field.name not in IGNORED_FIELDS
    }


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """{field: [before, after]} for the fields whose text differs."""
    return {
        name: [before.get(name, ""), value]
        for name, value in after.items()
        if before.get(name, "") != value
    }


def audit_entry(
    *,
    actor: Any,
    source: str,
    action: str,
    instance: models.Model,
    file_id: int,
    changes: dict[str, list[str]],
) -> AuditEntry:
    """An unsaved entry (callers save it, or bulk-create many at once)."""
    has_actor = actor is not None and getattr(actor, "pk", None) is not None
    return AuditEntry(
        company_id=instance.company_id,
        actor=actor if has_actor else None,
        actor_name=str(actor) if has_actor else "",
        source=source,
        action=action,
        object_type=instance._meta.model_name,
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        file_id=file_id,
        changes=changes,
    )


def record_create(actor: Any, source: str, instance: models.Model, file_id: int) -> AuditEntry:
    changes = {name: ["", value] for name, value in snapshot(instance).items() if value}
    return audit_entry(
        actor=actor,
        source=source,
        action=AuditAction.CREATE,
        instance=instance,
        file_id=file_id,
        changes=changes,
    )


def record_delete(
    actor: Any, source: str, instance: models.Model, file_id: int, before: dict[str, str]
) -> AuditEntry:
    changes = {name: [value, ""] for name, value in before.items() if value}
    return audit_entry(
        actor=actor,
        source=source,
        action=AuditAction.DELETE,
        instance=instance,
        file_id=file_id,
        changes=changes,
    )
