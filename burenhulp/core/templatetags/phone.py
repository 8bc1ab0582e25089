"""`{% load phone %}{{ number|tel_href }}`: a phone number as written ("056 12 34 56", "0470/12.34.56") turned into
the `tel:` link a phone dials; every page that says "call" links the number with it."""

from __future__ import annotations

import re

from django import template

register = template.Library()


@register.filter
def tel_href(number: str | None) -> str:
    digits = re.sub(r"[^\d+]", "", number or "")
    return f"tel:{digits}" if digits else ""
