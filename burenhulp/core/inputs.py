"""Ids and addresses as people (and fuzzers) send them: read defensively, so a malformed value is "not found", never
a 500."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

#: The largest id a database key holds (PostgreSQL bigint); a larger number cannot name a row.
MAX_PK = 2**63 - 1


def as_pk(raw: object) -> int:
    """A posted or queried id as an int; 0 (which names no row) for anything that is not a plain positive number."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return 0
    value = int(text)
    return value if 0 < value <= MAX_PK else 0


def safe_next(raw: object, *, host: str, secure: bool) -> str:
    """A `next` address that is a path on this site (starting with one slash), or "" for anything else."""
    text = str(raw or "")
    if not text.startswith("/") or text.startswith("//") or any(c.isspace() or ord(c) < 32 for c in text):
        return ""
    return text if url_has_allowed_host_and_scheme(text, {host}, secure) else ""
