"""The shape of a lexicon rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class LexRule:
    """Terms that, when one is found, raise a request to `level` with the reason `code`.

    Several LexRules may share a code (one per language or per context) so the coordinator sees one kind of reason.
    `suppress`: words that, in the same sentence, show an everyday use ("apotheek" for medication: fetching, not
    giving), unless one of `unless` is there too. `needs`: the term only counts with one of these in the sentence (or the text, `needs_scope`).
    `except_words`: regexes for whole words that look like a term but are not ("geweldig" is not "geweld").
    `negatable=False` for terms a negation does not cancel."""

    code: str
    level: Literal["heavy", "crisis"]
    terms: tuple[str, ...]
    suppress: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    except_words: tuple[str, ...] = ()
    only_categories: frozenset[str] = frozenset()
    skip_categories: frozenset[str] = frozenset()
    negatable: bool = True
    # Where `needs` looks: the sentence of the match, or the whole text (a pension taken in one sentence, the
    # shouting in the next).
    needs_scope: Literal["sentence", "text"] = "sentence"
