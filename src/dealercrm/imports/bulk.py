"""Fast bulk writes for imports: new model rows without the per-value work of bulk_create.

`bulk_create` prepares every value of every row through the field's full chain (pre_save,
get_db_prep_save, the backend's adapters); for an import of 100,000 customers that is most of the
time. `Inserter` works out once per column whether a value goes to the database as it is (text,
numbers, yes/no, keys) or needs its field's preparation (dates, decimals, JSON), then sends
multi-row INSERTs of up to BATCH_ROWS rows, reading the new ids back where they are needed.
`new` builds an unsaved instance without Model.__init__ (the defaults are worked out once).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import connections, models
from django.db.models.base import ModelState

BATCH_ROWS = 2000
# Fields whose Python value is what the database driver takes.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


@cache
def _defaults(
    model: type[models.Model],
) -> tuple[dict[str, Any], list[models.Field], dict[str, models.ForeignKey]]:
    """A model's constant defaults, the fields whose default is computed, its keys by name."""
    constant: dict[str, Any] = {}
    computed = []
    for item in model._meta.concrete_fields:
        if item.has_default() and callable(item.default):
            computed.append(item)
        else:
            constant[item.attname] = item.get_default()
    keys = {
        item.name: item
        for item in model._meta.concrete_fields
        if isinstance(item, models.ForeignKey)
    }
    return constant, computed, keys


def new(model: type[models.Model], **values: Any) -> Any:
    """An unsaved instance like model(**values), given attnames or related objects by name."""
    instance = model.__new__(model)
    instance._state = ModelState()
    constant, computed, keys = _defaults(model)
    state = instance.__dict__
    state.update(constant)
    for item in computed:
        state[item.attname] = item.get_default()
    for name, value in values.items():
        key = keys.get(name)
        if key is not None and (value is None or isinstance(value, key.related_model)):
            state[key.attname] = None if value is None else getattr(value, key.target_field.attname)
            key.set_cached_value(instance, value)
        elif name in state:
            state[name] = value
        else:
            setattr(instance, name, value)
    return instance


class Inserter:
    """INSERTs for one model: columns by attname (default: every concrete field but the id)."""

    def __init__(
        self,
        model: type[models.Model],
        attnames: Sequence[str] | None = None,
        using: str = "default",
    ) -> None:
        self.model = model
        self.using = using
        self.connection = connections[using]
        meta = model._meta
        if attnames is None:
            self.fields = [f for f in meta.concrete_fields if f is not meta.pk]
        else:
            by_attname = {f.attname: f for f in meta.concrete_fields}
            self.fields = [by_attname[name] for name in attnames]
        self.attnames = [f.attname for f in self.fields]
        self.prepare: list[Callable[[Any], Any] | None] = [self._preparer(f) for f in self.fields]
        self.auto_now = [
            (f.attname, bool(getattr(f, "auto_now", False)))
            for f in self.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.keys = [f for f in self.fields if isinstance(f, models.ForeignKey)]
        quote = self.connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.pk_column = quote(meta.pk.column)
        # PostgreSQL plans one array per column (as bulk_create does) much faster than
        # thousands of placeholders: INSERT … SELECT * FROM UNNEST(%s::varchar[], …).
        self.unnest = ""
        if self.connection.vendor == "postgresql":
            types = [
                (f.target_field if f.is_relation else f).db_type(self.connection).split("(")[0]
                for f in self.fields
            ]
            self.unnest = ", ".join(f"(%s)::{db_type}[]" for db_type in types)

    def _preparer(self, item: models.Field) -> Callable[[Any], Any] | None:
        if isinstance(item, _PLAIN):
            return None
        connection = self.connection
        if isinstance(item, models.DecimalField):
            # A Decimal goes to the driver as it is (what get_db_prep_save makes of it too).
            def prepare_decimal(value: Any) -> Any:
                if type(value) is Decimal:
                    return value
                return item.get_db_prep_save(value, connection)

            return prepare_decimal
        if isinstance(item, models.JSONField):
            ops, encoder = connection.ops, item.encoder
            return lambda value: ops.adapt_json_value(value, encoder)
        if isinstance(item, models.DateTimeField):
            # An import stamps its rows with one time: prepared once.
            last: list[Any] = [object(), None]

            def prepare_time(value: Any) -> Any:
                if value is not last[0]:
                    last[:] = [value, item.get_db_prep_save(value, connection)]
                return last[1]

            return prepare_time

        def prepare(value: Any) -> Any:
            return item.get_db_prep_save(value, connection)

        return prepare

    def values(self, instance: models.Model, now: Any) -> list[Any]:
        """The row of an unsaved instance, as bulk_create would take it (keys, auto dates)."""
        state = instance.__dict__
        for attname, always in self.auto_now:
            if always or state.get(attname) is None:
                state[attname] = now
        for key in self.keys:
            if state.get(key.attname) is None:
                related = key.get_cached_value(instance, None)
                if related is not None and related.pk is not None:
                    state[key.attname] = related.pk
        return [state[attname] for attname in self.attnames]

    def insert_instances(self, instances: Sequence[models.Model], now: Any) -> None:
        """Insert unsaved instances and give each its new id."""
        if not instances:
            return
        ids = self.insert([self.values(instance, now) for instance in instances], returning=True)
        pk = self.model._meta.pk.attname
        for instance, pk_value in zip(instances, ids, strict=True):
            setattr(instance, pk, pk_value)
            instance._state.adding = False
            instance._state.db = self.using

    def insert(self, rows: Iterable[Sequence[Any]], *, returning: bool = False) -> list[Any]:
        """Insert rows of Python values (in `attnames` order); the new ids when returning."""
        prepared = self._prepared(rows)
        ids: list[Any] = []
        size = self._batch_rows()
        width = len(self.fields)
        placeholder = "(" + ", ".join(["%s"] * width) + ")"
        with self.connection.cursor() as cursor:
            for start in range(0, len(prepared), size):
                chunk = prepared[start : start + size]
                if self.unnest:
                    sql = f"INSERT INTO {self.table} ({self.columns}) SELECT * FROM UNNEST("
                    sql += self.unnest + ")"
                    params: list[Any] = [list(column) for column in zip(*chunk, strict=True)]
                else:
                    sql = f"INSERT INTO {self.table} ({self.columns}) VALUES "
                    sql += ", ".join([placeholder] * len(chunk))
                    params = [value for row in chunk for value in row]
                if returning:
                    cursor.execute(f"{sql} RETURNING {self.pk_column}", params)
                    ids.extend(row[0] for row in cursor.fetchall())
                else:
                    cursor.execute(sql, params)
        return ids

    def _prepared(self, rows: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
        steps = [(i, step) for i, step in enumerate(self.prepare) if step is not None]
        if not steps:
            return list(rows)
        result = []
        for row in rows:
            row = list(row)
            for i, step in steps:
                value = row[i]
                if value is not None:
                    row[i] = step(value)
            result.append(row)
        return result

    def _batch_rows(self) -> int:
        if self.connection.vendor != "sqlite":
            return BATCH_ROWS
        return max(1, min(BATCH_ROWS, _sqlite_variables(self.connection) // len(self.fields)))


def _sqlite_variables(connection: Any) -> int:
    """How many parameters one SQLite statement takes (999 on old builds, 32766 on newer)."""
    connection.ensure_connection()
    try:
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python before 3.11
        return connection.features.max_query_params
