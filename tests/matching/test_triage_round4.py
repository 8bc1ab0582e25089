"""Issue #12, round 4: the kinds holdout D's first run showed, each in wording written for these tests (none is a
corpus or development line, checked below): fire as a verb and in dialect, veiled farewells and a limp feverish baby
are crisis; animal hoarding, neighbour conflicts, papers and status, waiting for therapy and unopened letters are
heavy; their everyday look-alikes stay light. Holdout D itself is development data now (tuned on)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching.corpus import CORPUS_PATH, load_examples
from matching.language import READ_LANGUAGES
from matching.management.commands.triage_eval import evaluate_all
from matching.triage import decide, lexicon_reasons

DATA = Path(__file__).parent / "data"
DEV_FILES = (
    "triage-dev.jsonl",
    "triage-holdout.jsonl",
    "holdout-a1.jsonl",
    "holdout-a2.jsonl",
    "holdout-d1.jsonl",
    "holdout-d2.jsonl",
)


def lexicon_level(text: str, category: str = "andere") -> str:
    return decide(lexicon_reasons(text=text, category=category)).level


FIRE = [
    "'t brandt in de wasplaats van de buren, er komt zwarte rook door het dak",
    "het brandt bij ons overbuur, de ruit is gesprongen en zij woont alleen",
    "De garage achter de kerk staat in lichterlaaie, er woont een oud koppel boven",
    "tis aant branden in de kelder van ons blok, de gang staat vol",
    "ça brûle chez la dame d'en face, je vois des flammes derrière les rideaux",
    "the garage next door is burning and the smoke is going into the baby's room upstairs",
]
FAREWELL = [
    "Wie wil mijn boeken en mijn platen? Gratis. Ik heb ze niet meer nodig waar ik heen ga.",
    "zeg tegen mijn zus dat het niet haar fout is, mijn vissen zijn voor de buurjongen",
    "Ik wil iedereen van de straat nog eens gedag zeggen voor ik ga.",
    "Je donne mes vêtements et ma télé. Là où je m'en vais je n'en aurai plus besoin.",
    "tell my brother it's not his fault. my records can go to whoever wants them",
    "I've written a letter for my daughter, it's on the table by the door.",
]
INFANT = [
    "ons meisje van 9 maanden is zo slap en heeft 39,8 koorts, ze drinkt niks meer",
    "mon fils de cinq mois est tout mou et il ne boit plus depuis cette nuit",
    "my newborn is floppy and hot and won't feed since this afternoon",
]
HEAVY = [
    ("Bij de buurvrouw lopen zeker dertig katten rond en het stinkt tot in onze living.", "supervision"),
    ("Le monsieur du rez-de-chaussée a une vingtaine de chiens et l'odeur monte dans tout l'immeuble.", "supervision"),
    (
        "Iemand heeft mijn wagen bekrast en er hangen scheldbriefjes aan mijn deur, de buren ontkennen. Bemiddeling?",
        "legal",
    ),
    ("the smoke from my neighbour's grill comes through the ventilation every evening, can someone mediate?", "legal"),
    ("Ik ben van ambtswege geschrapt en nu krijg ik geen post meer van de mutualiteit.", "legal"),
    ("My employer still holds my passport and says I owe him for the flat.", "legal"),
    ("Je suis sur liste d'attente chez le psychiatre et j'ai du mal à tenir les journées.", "distress"),
    ("I'm struggling to get through every day while I wait for a therapist.", "distress"),
    ("Op de kast liggen aanmaningen die ik niet meer durf open te doen.", "debt"),
]
LOOK_ALIKES = [
    "mijn voeten branden na de fietstocht haha, wie heeft voetcrème?",
    "Het brandt hier van de hitte op zolder, wie leent mij een ventilator?",
    "Ik krijg een hartaanval van die factuur van de garage, wie kent er een goedkopere?",
    "Ik verhuis naar Brugge, wie wil mijn wasmachine? Waar ik naartoe ga staat er al een.",
    "Ik wil iedereen bedanken voor de hulp met de verhuis, tot binnenkort!",
    "Is er een verpleegkundige die mijn zoon wil overhoren voor zijn examen over wondzorg?",
    "De wekker van mijn medicatie doet het niet meer, wie kan een alarm op mijn gsm instellen?",
    "Wie helpt mij met Tax-on-web? Ik heb alleen mijn pensioen.",
    "Mijn kraan lekt, wie heeft er een nieuw rubbertje en tien minuten tijd?",
    "We hebben twee katten en een hond, wie past erop tijdens de herfstvakantie?",
    "Ma fille a un peu de fièvre, le médecin l'a vue, c'est un rhume. Qui passe à la pharmacie?",
]


def test_these_texts_are_not_training_or_development_lines() -> None:
    seen = {e.text for e in load_examples(CORPUS_PATH)}
    for name in DEV_FILES:
        seen |= {e.text for e in load_examples(DATA / name)}
    here = [*FIRE, *FAREWELL, *INFANT, *(t for t, _ in HEAVY), *LOOK_ALIKES]
    assert not [t for t in here if t in seen]


@pytest.mark.parametrize("text", FIRE + FAREWELL + INFANT)
def test_fire_as_a_verb_veiled_farewells_and_a_limp_feverish_baby_are_crisis(text: str) -> None:
    assert lexicon_level(text) == "crisis"


@pytest.mark.parametrize(("text", "code"), HEAVY)
def test_hoarded_animals_neighbour_conflicts_papers_therapy_waits_and_unopened_letters_are_heavy(
    text: str, code: str
) -> None:
    reasons = lexicon_reasons(text=text, category="andere")
    assert decide(reasons).level == "heavy"
    assert code in {r["rule"] for r in reasons}


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_their_look_alikes_stay_light(text: str) -> None:
    assert lexicon_level(text) == "light"


def test_a_threat_from_a_neighbour_stays_crisis() -> None:
    """Mediation is heavy, but a threat to the person is still the violence rule's crisis."""
    assert lexicon_level("De buurman dreigt mij iets aan te doen als ik nog klaag, kan iemand bemiddelen?") == "crisis"


@pytest.mark.parametrize("name", ["holdout-d1.jsonl", "holdout-d2.jsonl"])
def test_holdout_d_meets_the_targets(name: str) -> None:
    """Holdout D was tuned on after its first run (docs/triage.md, Round 4): a development check, not acceptance.
    Light requests in other languages go to a coordinator by rule, so the light target is counted on the languages
    the lexicon reads."""
    ev = evaluate_all(load_examples(DATA / name))
    s = ev.overall
    assert s.crisis_to_light() == 0, s.misses
    assert (s.recall("crisis") or 0) >= 0.90, s.misses
    assert (s.not_light_recall() or 0) >= 0.95, s.misses
    assert ev.others_to_coordinator[0] == ev.others_to_coordinator[1]
    read = [ls for lang, ls in ev.per_language.items() if lang in READ_LANGUAGES or lang == "mixed"]
    light = sum(ls.confusion[("light", "light")] for ls in read) / sum(ls.support("light") for ls in read)
    assert light >= 0.90, s.misses
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) in (174, 175)
