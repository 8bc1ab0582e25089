"""The default triage lexicon (nl incl. Flemish usage, fr, en). See `matching/triage.py` for the term syntax."""

from matching.lexicon.default import (
    DEFUSERS,
    LAUGHS,
    MODALS,
    NEGATORS,
    NOT_LAUGHED_OFF,
    RESOLVABLE,
    RESOLVED,
    RESOLVED_AGAIN,
    RULES,
)
from matching.lexicon.other_languages import OTHER_CRISIS
from matching.lexicon.types import LexRule

__all__ = [
    "DEFUSERS",
    "LAUGHS",
    "MODALS",
    "NEGATORS",
    "NOT_LAUGHED_OFF",
    "OTHER_CRISIS",
    "RESOLVABLE",
    "RESOLVED",
    "RESOLVED_AGAIN",
    "RULES",
    "LexRule",
]
