"""The language gate of triage (DESIGN §4.1, raiser 3): a request that is not confidently in a language the lexicon
reads goes to a coordinator first, never to neighbours unread.

The detector is CLD2 (`pycld2`), which carries its model inside the extension: nothing to download or load, about
0.03 ms per request. It was measured against lingua-language-detector on the team's labelled requests (see
docs/triage.md and `python -m bench triage --detectors`): both read Dutch, Flemish, French and English requests
almost always right, but where CLD2 answers "unknown" for Darija or Tamazight written in Latin letters (so the gate
holds), lingua names its nearest language, often French (so the request would pass unread), and lingua needs 14 s and
about a gigabyte to load every language, or several milliseconds per request.
"""

from __future__ import annotations

from dataclasses import dataclass

import pycld2

# The languages the lexicon and the corpus read. CLD2 sometimes names short Flemish or West Flemish texts Afrikaans
# or Frisian ("Er komt rook onder de deur uit!!" → af): in a Flemish neighbourhood that is Dutch.
READ_LANGUAGES = frozenset({"nl", "fr", "en"})
_AS_DUTCH = frozenset({"af", "fy"})
UNKNOWN = "un"
# CLD2 names a few languages by other codes than ISO 639-1 (Norwegian "nb", Hebrew "iw", …) and some by a code with
# a script ("zh-Hant"); keep the two-letter part, map the old ones.
_CODE_FIXES = {"iw": "he", "jw": "jv", "nb": "no", "xxx": UNKNOWN}


@dataclass(frozen=True)
class Detection:
    lang: str  # ISO 639 code of the main language, or "un" when no language was recognised
    reliable: bool
    percent: int  # share of the text in the main language, as CLD2 reports it

    @property
    def read(self) -> bool:
        """Is this a language the lexicon reads?"""
        return self.lang in READ_LANGUAGES


def detect(text: str) -> Detection:
    """The main language of a text. Never raises: text CLD2 cannot take (lone surrogates, control bytes) is cleaned
    first, and what it still refuses is "unknown"."""
    clean = "".join(c for c in text if c.isprintable() or c in "\n\t")
    clean = clean.encode("utf-8", "ignore").decode("utf-8", "ignore")
    try:
        reliable, _bytes, details = pycld2.detect(clean)
    except pycld2.error:
        return Detection(UNKNOWN, False, 0)
    _name, code, percent, _score = details[0]
    code = _CODE_FIXES.get(code, code).split("-")[0].lower()
    code = "nl" if code in _AS_DUTCH else code
    return Detection(code or UNKNOWN, bool(reliable), int(percent))
