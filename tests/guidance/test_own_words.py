"""The guidance is written in our own words: no run of 8 or more words is copied from the source document.

Every text of every guidance file (title, summary, each paragraph, list item and table cell) is compared with every
file in ../shared/seeds/ (burenhulp.core.shared), after folding case, accents and punctuation away.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from burenhulp.core.shared import shared_dir
from toolbox_content.loader import CONTENT_DIR, Document, load_documents

RUN = 8
SEEDS = shared_dir() / "seeds"
# Proper names in the tool lists may be copied as facts. None is needed today; a name added here must be the name of a
# tool or an organisation, never a sentence.
PROPER_NAMES: frozenset[str] = frozenset()


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", folded)


def ngrams(tokens: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def seed_ngrams() -> set[tuple[str, ...]]:
    files = sorted(p for p in SEEDS.rglob("*") if p.is_file())
    assert files, f"no source files in {SEEDS}"
    grams: set[tuple[str, ...]] = set()
    for path in files:
        grams |= ngrams(words(path.read_text(encoding="utf-8", errors="replace")))
    return grams


def segments(doc: Document) -> list[str]:
    """The texts a reader sees, one per paragraph, list item or table cell (link targets removed)."""
    body = re.sub(r"\]\([^)]*\)", "]", doc.body)
    parts = [doc.title, doc.summary]
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)", body):
        parts.extend(cell for cell in block.split("|") if cell.strip())
    return [p for p in parts if p.strip() not in PROPER_NAMES]


def copied_runs(text: str, grams: set[tuple[str, ...]]) -> list[str]:
    tokens = words(text)
    return [" ".join(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1) if tuple(tokens[i : i + RUN]) in grams]


@pytest.fixture(scope="module")
def grams() -> set[tuple[str, ...]]:
    return seed_ngrams()


def test_no_guidance_text_copies_eight_words_of_the_source(grams: set[tuple[str, ...]]) -> None:
    found: list[str] = []
    checked = 0
    for by_lang in load_documents(CONTENT_DIR).values():
        for doc in by_lang.values():
            for segment in segments(doc):
                checked += 1
                found.extend(f"{doc.path.name}: …{run}…" for run in copied_runs(segment, grams))
    assert checked > 500
    assert found == [], "copied from the source:\n" + "\n".join(found)


def test_the_check_catches_a_sentence_taken_from_the_source(grams: set[tuple[str, ...]]) -> None:
    # A real sentence of fiche K with different case and punctuation, and a sentence of ours that shares 7 words.
    source = SEEDS.joinpath("000_cfefc2df7df9582c.txt").read_text(encoding="utf-8")
    sentence = (
        "Wees je er van bewust dat het niet voor iedereen even evident is om de rol als vrijwilliger op te nemen."
    )
    assert sentence in source
    assert copied_runs(sentence.upper().replace(" ", " , "), grams)
    assert copied_runs("Wees je er van bewust dat het soms anders loopt.", grams) == []


def test_punctuation_and_accents_do_not_hide_a_copy() -> None:
    assert words("Één, twee; DRIE… vier!") == ["een", "twee", "drie", "vier"]
