"""Log redaction: request paths and messages lose email addresses, tokens and phone numbers before any handler
(console, file, test capture) sees them.

Django logs every 4xx/5xx answer with its path ("Not Found: /…"), and paths can hold signed email links, reset keys
or an address someone typed into the URL. The filter sits on the loggers that write such lines, so the record is
cleaned where it is made.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.+-]+(@|%40)[\w-]+(\.[\w-]+)+", re.IGNORECASE)
# Signed values, reset keys, tokens: long runs of URL-safe characters (with : or - separators).
TOKEN = re.compile(r"[A-Za-z0-9_\-:]{20,}")
PHONE = re.compile(r"(?<![\w])\+?\d[\d ./-]{7,}\d")
QUERY = re.compile(r"\?\S*")


def redact(text: str) -> str:
    text = QUERY.sub("?[query]", text)
    text = EMAIL.sub("[email]", text)
    text = TOKEN.sub("[token]", text)
    return PHONE.sub("[number]", text)


class RedactFilter(logging.Filter):
    """Replace the record's message by its redacted text (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
