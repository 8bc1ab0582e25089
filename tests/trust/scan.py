"""Sentinel scans: every text and JSON column of the database, every file under a directory."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def database_hits(needle: str) -> list[str]:
    """'table.column' for every text/JSON column of the public schema that contains `needle` (any case)."""
    hits: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        for table, column in columns:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


def file_hits(root: Path, needle: str) -> list[str]:
    """Files under `root` whose name or bytes contain `needle`."""
    found: list[str] = []
    raw = needle.encode()
    for path in root.rglob("*"):
        if path.is_file() and (needle in path.name or raw in path.read_bytes()):
            found.append(str(path.relative_to(root)))
    return found
