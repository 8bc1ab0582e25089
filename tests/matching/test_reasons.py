"""Reasons are rendered in the reader's language: friendly for volunteers, plain for coordinators."""

from __future__ import annotations

import pytest
from django.utils import translation

from matching.reasons import describe_all, friendly_sentence

REASONS = [{"code": "distance", "m": 212}, {"code": "free"}, {"code": "language", "lang": "fr"}]


def test_friendly_sentence_for_the_volunteer_in_english() -> None:
    with translation.override("en"):
        assert friendly_sentence(REASONS) == "you live 200 m away, you both speak French"


def test_plain_words_for_coordinators_in_english() -> None:
    with translation.override("en"):
        assert describe_all(REASONS) == ["200 m away", "no other help now", "speaks French, like the requester"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl-be", "je woont op 200 m, jullie spreken allebei Frans"),
        ("fr", "vous habitez à 200 m, vous parlez tous les deux français"),
    ],
)
def test_friendly_sentence_is_translated(lang: str, expected: str) -> None:
    with translation.override(lang):
        assert friendly_sentence(REASONS) == expected


def test_kilometres_and_unknown_distance() -> None:
    with translation.override("en"):
        assert describe_all([{"code": "distance", "m": 1240}, {"code": "distance_unknown"}]) == [
            "1.2 km away",
            "distance unknown (no address)",
        ]
