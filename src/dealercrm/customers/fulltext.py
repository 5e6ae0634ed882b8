"""SQLite's search index: an FTS5 trigram table over customers_customer.search_text.

PostgreSQL has a pg_trgm GIN index for the same substring match (migration 0002). On SQLite the
substring filter (`LIKE '%word%'`) reads every customer; the FTS5 trigram tokenizer (SQLite
3.34+) finds the rows holding a word of three or more characters from an index instead. A
phrase query of the case-sensitive trigram tokenizer matches exactly the texts that contain the
word, so on the lower-cased search text it answers the same rows as LIKE. The table is
external-content (it stores no copy of the text) and triggers keep it in step with the customers.

Django rebuilds a SQLite table for some schema changes (copy, drop, rename), and dropping a
table drops its triggers; `install` therefore also runs after every migrate and restores them.
"""

from __future__ import annotations

from typing import Any

TABLE = "customers_customer_fts"
MIN_LENGTH = 3  # the trigram tokenizer cannot look up shorter words

TRIGGERS = {
    f"{TABLE}_insert": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON customers_customer BEGIN
            INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{TABLE}_delete": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON customers_customer BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
        END""",
    f"{TABLE}_update": f"""
        CREATE TRIGGER IF NOT EXISTS {TABLE}_update
        AFTER UPDATE OF id, search_text ON customers_customer BEGIN
            INSERT INTO {TABLE}({TABLE}, rowid, search_text)
            VALUES ('delete', old.id, old.search_text);
            INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def install(connection: Any) -> None:
    """Create the index and its triggers where missing; rebuild the index if any was missing."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        if "customers_customer" not in present:
            return
        missing = ({TABLE} | TRIGGERS.keys()) - present
        if not missing:
            return
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(search_text, "
            "content='customers_customer', content_rowid='id', tokenize='trigram case_sensitive 1')"
        )
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def uninstall(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def match_expression(word: str) -> str:
    """The FTS5 query for `word` as one literal string (a substring match with trigrams)."""
    return '"' + word.replace('"', '""') + '"'


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: restore the index if a table rebuild dropped its triggers."""
    from django.db import connections

    install(connections[using])
