"""Django's PostgreSQL backend, with a faster flush for the tests that need real transactions (browser, worker).

Django empties the database after each such test with one TRUNCATE of every table, which creates new files for each
table, index and TOAST table: about a second per test on this machine. The tables hold a few rows at that point, so
DELETE takes milliseconds. Django creates every foreign key DEFERRABLE INITIALLY DEFERRED and the flush runs in one
transaction, so the order of the DELETEs does not matter. The audit log refuses DELETE (its append-only trigger,
burenhulp/privacy/migrations/0001), so it alone is truncated, as before, and only when it holds rows.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations

APPEND_ONLY = {"core_auditlog"}


class DatabaseOperations(PostgresOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if reset_sequences or allow_cascade:
            return list(super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade))
        names = sorted(tables)
        statements = [f"DELETE FROM {self.quote_name(t)};" for t in names if t not in APPEND_ONLY]
        for table in (self.quote_name(t) for t in names if t in APPEND_ONLY):
            statements.append(f"DO $$ BEGIN IF EXISTS (SELECT 1 FROM {table}) THEN TRUNCATE {table}; END IF; END $$;")
        return statements


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
