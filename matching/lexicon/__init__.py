"""The default triage lexicon (nl incl. Flemish usage, fr, en). See `matching/triage.py` for the term syntax."""

from matching.lexicon.default import DEFUSERS, MODALS, NEGATORS, RULES
from matching.lexicon.other_languages import OTHER_CRISIS
from matching.lexicon.types import LexRule

__all__ = ["DEFUSERS", "MODALS", "NEGATORS", "OTHER_CRISIS", "RULES", "LexRule"]
