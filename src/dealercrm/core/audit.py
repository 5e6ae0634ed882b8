"""Writing the audit trail: snapshots of a row as display text, and the entries for a change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from dealercrm.core.models import AuditAction, AuditEntry

# Fields never shown in the trail: bookkeeping, derived values and the company itself.
IGNORED_FIELDS = {"id", "company", "created_at", "updated_at", "search_text", "completeness"}


# Stored for a yes/no field; shown as 是 / 否 (or yes / no) in the reader's language.
YES_TEXT, NO_TEXT = "yes", "no"


@cache
def _audited_fields(model: type[models.Model]) -> list[tuple[str, str, bool]]:
    """(name, attname, is_foreign_key) of the fields the trail shows, worked out once a model."""
    return [
        (field.name, field.attname, isinstance(field, models.ForeignKey))
        for field in model._meta.concrete_fields
        if field.name not in IGNORED_FIELDS
    ]


def _text(value: Any) -> str:
    """A stored value as language-neutral text: choice fields keep their code (shown with the
    reader's label by the page), yes/no fields "yes" / "no", decimals without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_TEXT if value else NO_TEXT
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def snapshot(instance: models.Model) -> dict[str, str]:
    """Every audited field of instance as text (a related row as its name)."""
    result = {}
    for name, attname, is_foreign_key in _audited_fields(type(instance)):
        value = getattr(instance, attname)
        if is_foreign_key and value is not None:
            value = getattr(instance, name)
        result[name] = _text(value)
    return result


def display_value(model: type[models.Model] | None, name: str, text: str) -> str:
    """What a stored trail value means to the reader: a choice's label, 是 / 否, or the text."""
    if model is None or not text:
        return text
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return text
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return {YES_TEXT: gettext("yes"), NO_TEXT: gettext("no")}.get(text, text)
    return text


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


@cache
def _quiet_when_no(model: type[models.Model]) -> frozenset[str]:
    """Yes/no fields that default to no (primary contact, leap month): a new row says nothing
    about them unless they are yes."""
    return frozenset(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.BooleanField) and not field.null and field.default is False
    )


def created_changes(instance: models.Model) -> dict[str, list[str]]:
    """{field: ["", value]} for a new row: its filled fields (yes/no fields that default to no
    only when yes). Quick for the many empty fields of an imported row."""
    quiet = _quiet_when_no(type(instance))
    state = instance.__dict__
    changes = {}
    for name, attname, is_foreign_key in _audited_fields(type(instance)):
        value = state[attname] if attname in state else getattr(instance, attname)
        if value is None or value == "":
            continue
        if is_foreign_key:
            text = _text(getattr(instance, name))
        else:
            text = value if type(value) is str else _text(value)
        if text and not (name in quiet and text == NO_TEXT):
            changes[name] = ["", text]
    return changes


def record_create(actor: Any, source: str, instance: models.Model, file_id: int) -> AuditEntry:
    changes = created_changes(instance)
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
