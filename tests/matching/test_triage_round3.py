"""Issue #12, round 3: kinds of harmless light request the lexicon no longer keeps from neighbours (a need that is
over, laughter after an everyday word, the police as an organiser, a complaint to a bus company), and the safety
that stays: a crisis word is never taken back by a resolution or by laughter, a need that is not over or is back
still raises, and a crisis-like model score keeps a request from neighbours even under the heavy threshold.

The texts are written for these tests; none is a corpus or development line (checked below)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.classifier import Prediction, Thresholds, load_model
from matching.corpus import CORPUS_PATH
from matching.triage import decide, lexicon_reasons, model_reasons

HEAVY_CODES = {"debt", "housing", "legal", "benefits", "poverty", "eviction"}


def codes(text: str, category: str = "andere") -> set[str]:
    return {str(r["rule"]) for r in lexicon_reasons(text=text, category=category)}


OVER = [
    "Onze achterstallige huur is helemaal afbetaald, nu zoek ik iemand die mee naar de kringloop wil.",
    "Het lek in het dak is vorige maand gerepareerd; wie helpt de zolder opruimen?",
    "Mes dettes sont remboursées depuis l'été, qui veut m'apprendre à tricoter?",
    "The damp in the hallway was fixed by the landlord, could someone help me repaint?",
    "De deurwaarder stond per vergissing aan mijn deur, dat is opgelost. Wie leent mij een steekkar?",
]
STILL_THERE = [
    "Het lek in het dak is nog niet gerepareerd en het regent binnen.",
    "Mes dettes ne sont pas remboursées et l'huissier revient lundi.",
    "The damp was fixed in spring, but it is back again in the bedroom.",
    "Het lek is gerepareerd maar nu staat er schimmel op de muur van de kinderkamer.",
]
LAUGHED_OFF = [
    "Mijn wasmachine lekt weer eens 😂 wie kent er iets van?",
    "Ma facture de gaz est arrivée, je suis ruinée mdr. Qqn pour un apéro vendredi?",
]
NOT_LAUGHED_OFF = [
    ("ik wil niet meer leven 😂", "suicide"),
    ("hij slaat me elke avond haha", "violence"),
]


@pytest.mark.parametrize("text", OVER)
def test_a_need_that_is_over_does_not_raise(text: str) -> None:
    assert not codes(text) & HEAVY_CODES


@pytest.mark.parametrize("text", STILL_THERE)
def test_a_need_not_over_or_back_again_still_raises(text: str) -> None:
    assert codes(text) & HEAVY_CODES


def test_a_resolution_never_takes_back_a_crisis_word() -> None:
    assert "suicide" in codes("Mijn schulden zijn afbetaald, maar ik wil niet meer leven.")
    assert "medical_emergency" in codes("Het gaslek is hersteld zeggen ze, maar het ruikt hier weer sterk naar gas.")


@pytest.mark.parametrize("text", LAUGHED_OFF)
def test_laughter_after_an_everyday_word_takes_it_back(text: str) -> None:
    assert not codes(text) & HEAVY_CODES


@pytest.mark.parametrize(("text", "code"), NOT_LAUGHED_OFF)
def test_laughter_never_takes_back_suicide_self_harm_or_violence(text: str, code: str) -> None:
    assert code in codes(text)


def test_the_police_as_an_organiser_is_not_legal_trouble() -> None:
    assert "legal" not in codes("De politie organiseert een infoavond over inbraakpreventie, wie gaat er mee?")
    assert "legal" in codes("Ik heb schrik van de politie sinds ze mijn zoon kwamen halen.")


def test_a_complaint_to_a_company_is_a_letter_not_legal_trouble() -> None:
    assert "legal" not in codes("Wie helpt mij een klacht schrijven naar bpost over een verloren pakket?", "documenten")
    assert "legal" in codes("Ik wil een klacht indienen tegen mijn werkgever wegens pesten.", "documenten")


def test_a_crisis_like_score_keeps_a_request_from_neighbours() -> None:
    t = Thresholds(heavy=0.8, crisis=0.4, crisis_other=0.35, crisis_keep=0.3)
    p = Prediction(light=0.5, heavy=0.15, crisis=0.35)  # under the heavy and the crisis threshold
    assert decide(model_reasons(p, t)).level == "heavy"
    assert model_reasons(p, t, words=3) == []  # too short for a crisis score to count
    assert model_reasons(p, Thresholds(heavy=0.8, crisis=0.4)) == []  # a file without the rule
    assert model_reasons(Prediction(light=0.75, heavy=0.05, crisis=0.2), t) == []


def test_the_committed_model_has_a_keep_threshold_under_its_crisis_threshold() -> None:
    t = load_model().thresholds
    assert t.crisis_keep is not None and 0 < t.crisis_keep <= t.crisis


def test_these_texts_are_not_training_or_development_lines() -> None:
    texts = {json.loads(line)["text"] for line in CORPUS_PATH.read_text(encoding="utf-8").splitlines() if line}
    for path in (Path(__file__).parent / "data").glob("*.jsonl"):
        texts |= {json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line}
    ours = OVER + STILL_THERE + LAUGHED_OFF + [t for t, _ in NOT_LAUGHED_OFF]
    assert not texts & set(ours)
