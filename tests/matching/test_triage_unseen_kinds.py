"""Issue #12, round 2: the kinds of miss the first independent holdout (A) showed, each tested on wording of its own
(none of these texts is in the corpus or a development set): self-harm and bleeding as people text it, crisis in
other languages, dialect and short requests at the language gate, heavy needs without their keyword, and light
requests that only look alarming (and the real crises that look like them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from matching import classifier
from matching.corpus import CORPUS_PATH, load_examples
from matching.language import READ_LANGUAGES, Vocabulary, detect, vocabulary_words
from matching.management.commands.triage_eval import evaluate_all
from matching.triage import decide, describe_reasons, is_unclear, lexicon_reasons, other_language_reasons, triage

DATA = Path(__file__).parent / "data"


def lexicon_level(text: str, category: str = "andere") -> str:
    return decide(lexicon_reasons(text=text, category=category)).level


def rules(text: str, category: str = "andere") -> set[str]:
    return {r["rule"] for r in triage(text=text, category=category).reasons}


def test_these_texts_are_not_training_or_development_lines() -> None:
    """The texts below must be new to the model: a test on a training line proves nothing."""
    seen = {e.text for e in load_examples(CORPUS_PATH)}
    for name in ("triage-dev.jsonl", "triage-holdout.jsonl", "holdout-a1.jsonl", "holdout-a2.jsonl"):
        seen |= {e.text for e in load_examples(DATA / name)}
    here = [
        *SELF_HARM,
        *KITCHEN,
        *(t for t, _ in OTHER_CRISIS),
        *DIALECT_AND_SHORT,
        *OTHER_LANGUAGE_LIGHT,
        *(t for t, _ in HEAVY),
        *(t for t, _ in LOOK_ALIKES),
        *REAL_ONES,
    ]
    assert not [t for t in here if t in seen]


# --- 1. Self-harm, cutting, bleeding and overdose as people text it -----------------------------------------------

SELF_HARM = [
    "kem mij vannacht were gesneje, t bloed blijft komen en ik durf ni naar beneden",
    "Mijn nichtje krast haar armen open met een mesje, vanavond weer, de badkamer ligt vol bloed.",
    "Mijn man heeft een hele doos pijnstillers ingenomen na het telefoontje en praat heel traag.",
    "je me suis recoupée ce soir et ça n'arrête pas de saigner, je suis toute seule",
    "Ma sœur a avalé toute la boîte de somnifères, elle dort et je n'arrive pas à la réveiller.",
    "cut my wrists again tonight, it's still bleeding through the plaster",
    "my flatmate swallowed a whole pack of sleeping tablets an hour ago and keeps throwing up",
]


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_bleeding_and_overdose_as_people_write_it_are_crisis(text: str) -> None:
    assert lexicon_level(text) == "crisis"
    assert triage(text=text, category="andere").level == "crisis"


KITCHEN = [
    "Ik heb me in mijn vinger gesneden bij het uien snijden, niks ergs. Wie brengt pleisters mee van de apotheek?",
    "Je me suis coupé le pouce en épluchant des carottes, rien de grave. Quelqu'un a des pansements ?",
]


@pytest.mark.parametrize("text", KITCHEN)
def test_a_cut_in_the_kitchen_is_not_self_harm(text: str) -> None:
    assert lexicon_level(text, "boodschappen") == "light"


# --- 2. Crisis in the other languages residents write in ------------------------------------------------------------

OTHER_CRISIS = [
    ("Karşı dairede yangın var, pencereden duman çıkıyor ve yaşlı kadın kapıyı açmıyor.", "tr"),
    ("Я не хочу більше жити, у мене немає сил. Пробачте.", "uk"),
    ("همسایه‌ام از دیروز جواب نمی‌دهد و بوی گاز از خانه‌اش می‌آید.", "fa"),
    ("Mój mąż mnie bije i grozi, że zabije dzieci. Uciekłam do sąsiadki.", "pl"),
    ("Mi hijo pequeño se ha quedado solo en casa desde esta mañana y no puedo volver hasta la noche.", "es"),
    ("Не ели уже три дня, денег совсем нет, дети голодные.", "ru"),
]


@pytest.mark.parametrize(("text", "lang"), OTHER_CRISIS)
def test_a_crisis_in_another_language_is_a_crisis_written_in_that_language(text: str, lang: str) -> None:
    result = triage(text=text, category="andere")
    assert result.level == "crisis"
    assert {"rule": "language", "level": "heavy", "lang": lang} in result.reasons
    crisis = [r for r in result.reasons if r.get("level") == "crisis" and r["rule"] != "model"]
    assert crisis, result.reasons  # a concept from the other-language words, not only the model's guess
    with translation.override("en"):
        words = describe_reasons(result.reasons)
    assert words[0].split(" (")[0] in {
        "Thoughts of suicide or of not wanting to live",
        "Self-harm",
        "Violence, threats or abuse",
        "A medical emergency or danger at home",
        "No food for days",
    }
    assert any(w.startswith("Written in ") for w in words)


def test_darija_in_latin_letters_gets_its_crisis_words_too() -> None:
    text = "salam, khti sghira bou7dha f dar mn lbare7, mama f sbitar, w kayn ri7t lgaz f lkouzina"
    assert not detect(text, classifier.model().vocabulary).read
    result = triage(text=text, category="andere")
    assert result.level == "crisis"
    assert any(r["rule"] == "medical_emergency" for r in result.reasons)


OTHER_LANGUAGE_LIGHT = [
    "Mia suocera mi ammazza se non sistemo il giardino prima di Pasqua 😄 qualcuno ha un decespugliatore?",
    "Kto pożyczy mi wiertarkę na sobotę? Oddam w niedzielę rano.",
    "Bună, caută cineva un partener de alergare dimineața, în parc?",
]


@pytest.mark.parametrize("text", OTHER_LANGUAGE_LIGHT)
def test_harmless_requests_in_other_languages_find_no_crisis_words(text: str) -> None:
    assert other_language_reasons(text) == []
    assert "language" in rules(text)


def test_other_language_words_are_read_only_where_the_gate_stopped_the_text() -> None:
    """Italian "fame" is hunger; in an English request it is fame, and an English request is read by the lexicon."""
    text = "Our street's little hall of fame needs a new frame on the wall, anyone handy with a drill?"
    assert other_language_reasons(text)  # the Italian word is there…
    result = triage(text=text, category="andere")
    assert result.level != "crisis"  # …but the gate let the text through, so it is never read as Italian
    assert "language" not in {r["rule"] for r in result.reasons}


def test_the_model_has_its_own_crisis_threshold_for_other_languages() -> None:
    model = classifier.model()
    assert 0 < model.thresholds.other <= model.thresholds.crisis


# --- 3. The language gate reads dialect and short requests, and still stops the rest ------------------------------

DIALECT_AND_SHORT = [
    "Wien goat er mee no de mart van Diksmuide? 'k Ken nie mi rijn en 't es te verre te voet.",
    "Ich zeuk emes dae mien kattebak wilt sjoonmake as ich in 't ziekehoes lig.",
    "Zoude gij ma ne keer kunne helpen me ma gazon? Ma maaier is kapot.",
    "Steekkar te leen?",
    "Schuifladder nodig zondag",
    "Qqn pour garder mon chat ce w-e?",
    "Anyone free to water my tomatoes?",
]


@pytest.mark.parametrize("text", DIALECT_AND_SHORT)
def test_the_gate_reads_flemish_dialect_and_short_requests(text: str) -> None:
    assert detect(text, classifier.model().vocabulary).read
    assert "language" not in rules(text)


STOPPED = [
    "salam, chi wa7ed 3ndo sellouma twila? bghit n9ad lamba f salon",
    "azul, ma yella win ad iyi-d yawin aghrum ssbe7? ur zemregh ad ffegh",
    "Arkadaşlar, cumartesi taşınmaya yardım edebilecek biri var mı?",
    "Szukam kogoś do wspólnych spacerów z psem rano.",
    "Wer kann mir am Samstag beim Umzug helfen?",
    "¿Alguien me presta una escalera el sábado?",
]


@pytest.mark.parametrize("text", STOPPED)
def test_the_gate_still_stops_darija_tamazight_and_other_languages(text: str) -> None:
    assert not detect(text, classifier.model().vocabulary).read
    assert "language" in rules(text)


def test_a_word_seen_in_other_languages_counts_for_neither_side() -> None:
    vocabulary = Vocabulary.build(
        [("nl", "mijn hond moet uit"), ("ary", "salam mijn 3afak"), ("fr", "salut mon chien")], extra_read=["salam"]
    )
    assert "hond" in vocabulary.read and "chien" in vocabulary.read
    assert "mijn" not in vocabulary.read and "mijn" not in vocabulary.other
    assert "salam" not in vocabulary.read  # a listed word seen in another language stays neutral
    # Arabic in Latin letters is an other-language word even when the vocabulary never saw it; ordinals are not.
    assert vocabulary_words("wa7ed 3de m9tou3") == ["wa7ed", "de", "m9tou3"]
    assert vocabulary.counts("wa7ed y9der hond") == (3, 1, 2)


# --- 4. Heavy needs that nothing raised ---------------------------------------------------------------------------------

HEAVY = [
    ("Bij mijn grootvader kan je niet meer door de gang, alles staat tot aan het plafond vol zakken.", "supervision"),
    ("She keeps every newspaper since 1990, there are stacks of them to the ceiling in her lounge.", "supervision"),
    ("Ik ben al van in november niet meer buiten geweest, niemand die nog belt.", "loneliness"),
    ("Personne ne m'appelle depuis des semaines et je ne sors plus de chez moi.", "loneliness"),
    ("We moeten voor het einde van de maand uit ons appartement, de eigenaar heeft verkocht.", "eviction"),
    ("The landlord wants us out before the end of March and we have nowhere lined up.", "eviction"),
    ("Ge krijgt ne schok as ge 't stopcontact in de keuken aanraakt en de zekeringen springen alle dagen.", "housing"),
    ("Mon père perd ses urines la nuit et refuse qu'on change ses protections.", "personal_care"),
    ("Zij plast 's nachts in haar bed komma ze wil niet dat ik haar verschoon komma wie helpt", "personal_care"),
    ("Mijn buurman drinkt al van 's morgens, dagelijks, sinds zijn vrouw weg is.", "addiction"),
]


@pytest.mark.parametrize(("text", "rule"), HEAVY)
def test_heavy_needs_described_without_the_keyword_are_heavy(text: str, rule: str) -> None:
    reasons = lexicon_reasons(text=text, category="andere")
    assert rule in {r["rule"] for r in reasons}
    assert decide(reasons).level in ("heavy", "crisis")


@pytest.mark.parametrize(
    "text", ["kan iemand mij terugbellen aub", "Could someone call me back?", "Pourriez-vous m'appeler svp"]
)
def test_asking_only_to_be_called_is_too_vague_to_judge(text: str) -> None:
    assert is_unclear(text)
    assert triage(text=text, category="andere").reasons == [{"rule": "unclear", "level": "heavy"}]


def test_asking_to_be_called_about_something_is_judged_as_usual() -> None:
    assert not is_unclear("kan iemand mij bellen over de verhuis van zaterdag")


# --- 5. Light requests that only look alarming, and the real ones that look like them ------------------------------

LOOK_ALIKES = [
    ("Mijn koffiemachine heeft zelfmoord gepleegd 🙈 wie kent er iets van Senseo's?", "andere"),
    ("Mes orchidées vont faire une crise cardiaque si personne ne passe les arroser 😅", "planten"),
    ("My laptop has had a heart attack halfway through my CV, anyone good with computers?", "andere"),
    ("Wie brengt me morgen naar de spoed… neen, grapje, naar de markt van Lier om 9u.", "chauffeur"),
    ("Kan iemand mijn nieuw huurcontract nalezen voor ik teken? Eerste keer dat ik huur.", "documenten"),
    (
        "De politie gaf de toelating om de straat af te sluiten voor het buurtfeest, wie helpt met de hekken?",
        "buurtfeest",
    ),
    ("Wie helpt me inloggen op de website van het Groeipakket om mijn adreswijziging door te geven?", "documenten"),
    ("Retired nurse here, new to the street, fancy a walk and a coffee on Thursdays?", "samen"),
    (
        "The syndic isn't responding to my emails about the broken light in the hall, can anyone change the bulb?",
        "andere",
    ),
]


@pytest.mark.parametrize(("text", "category"), LOOK_ALIKES)
def test_light_requests_that_only_look_alarming_stay_light_for_the_lexicon(text: str, category: str) -> None:
    assert lexicon_level(text, category) == "light", lexicon_reasons(text=text, category=category)


def test_a_supplier_threatening_a_budget_meter_is_debt_not_violence() -> None:
    reasons = lexicon_reasons(
        text="De energieleverancier dreigt met een budgetmeter, ik heb vier maanden achterstand.", category="andere"
    )
    assert {r["rule"] for r in reasons} <= {"debt", "poverty"}
    assert reasons
    assert decide(reasons).level == "heavy"


REAL_ONES = [
    "Mijn vader heeft zelfmoord gepleegd vorige week en ik kan niet meer.",
    "Mijn broer zegt dat hij zich van kant gaat maken, en het is geen grapje.",
    "My husband is having a heart attack, he's grey and sweating.",
    "Mon fils dit qu'il va se tuer, et il ne rigole pas.",
    "Mijn buurman dreigt dat hij me gaat slaan als ik nog eens parkeer voor zijn deur.",
    "Mijn moeder reageert niet meer als ik haar roep, ze ligt in de zetel.",
]


@pytest.mark.parametrize("text", REAL_ONES)
def test_a_person_not_a_thing_and_a_joke_denied_stay_crisis(text: str) -> None:
    assert lexicon_level(text) == "crisis", lexicon_reasons(text=text, category="andere")


def test_a_negation_does_not_reach_into_a_clause_that_dat_opens() -> None:
    assert lexicon_level("Ik wil niet dat hij mijn moeder nog slaat.") == "crisis"
    assert lexicon_level("Hij slaat me niet, hij is lief. Wie helpt met de haag?") == "light"


# --- Holdout A, now development data -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["holdout-a1.jsonl", "holdout-a2.jsonl"])
def test_holdout_a_meets_the_targets(name: str) -> None:
    """Holdout A was tuned on after its first run (docs/triage.md), so this is a development check, not acceptance.
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
    assert len(rows) == 170
