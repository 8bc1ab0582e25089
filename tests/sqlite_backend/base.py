"""Django's SQLite backend, able to empty the audit log between the tests that need real transactions.

The audit log refuses DELETE (its append-only trigger, burenhulp/privacy/migrations/0001) and SQLite has no TRUNCATE
that would pass it, so Django's flush after a transactional test that wrote audit rows failed and left the database
full for the next test. Here the flush lifts that one trigger, empties the tables and puts the same trigger back, in
the flush's own transaction. Only the tests use this backend; the platform's SQLite keeps the trigger at all times.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations

APPEND_ONLY = import_module("burenhulp.privacy.migrations.0001_auditlog_append_only")
NO_DELETE = APPEND_ONLY.SQLITE_FORWARD[0]


class DatabaseOperations(SQLiteOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        statements = list(
            super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        )
        if "core_auditlog" not in tables or not statements:
            return statements
        return ["DROP TRIGGER IF EXISTS auditlog_no_delete", *statements, NO_DELETE]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
