"""Triage (DESIGN §4): levels on labelled sets, and the behaviours that make the lexicon's rules hold on unseen
requests. The lexicon's own behaviour (negation, word forms, idioms) is tested on the lexicon raiser alone
(`lexicon_level`); the other raisers have their own tests in `test_triage_raisers.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from matching.management.commands.triage_eval import DEFAULT_PATH, evaluate, load_examples
from matching.triage import decide, describe_reasons, history_reasons, lexicon_reasons, triage

DATA = Path(__file__).parent / "data"
SETS = [DEFAULT_PATH, DATA / "triage-dev.jsonl", DATA / "triage-holdout.jsonl"]


def level(text: str, category: str = "andere", **kwargs: object) -> str:
    """The level the lexicon alone gives (raiser 1)."""
    return decide(lexicon_reasons(text=text, category=category, **kwargs)).level  # type: ignore[arg-type]


# --- Targets on the labelled sets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_it_meets_the_targets(path: Path) -> None:
    scores = evaluate(load_examples(path))
    assert scores.crisis_to_light() == 0, scores.misses
    assert scores.recall("crisis") is not None and scores.recall("crisis") >= 0.90, scores.misses  # type: ignore[operator]
    assert scores.not_light_recall() is not None and scores.not_light_recall() >= 0.95, scores.misses  # type: ignore[operator]
    assert scores.recall("light") is not None and scores.recall("light") >= 0.85, scores.misses  # type: ignore[operator]


def test_development_and_holdout_sets_are_large_and_balanced() -> None:
    for name, minimum in (("triage-dev.jsonl", 250), ("triage-holdout.jsonl", 120)):
        rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(rows) >= minimum
        assert {r["lang"] for r in rows} == {"nl", "fr", "en"}
        assert len({r["category"] for r in rows}) == 12
        assert {r["level"] for r in rows} == {"light", "heavy", "crisis"}
        assert all(sum(r["lang"] == lang for r in rows) >= len(rows) // 4 for lang in ("nl", "fr", "en"))


# --- Negation ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ik heb geen schulden, maar wie legt mijn telefoonrekening uit?",
        "Geen dringende zaak, maar wie zet mijn vuilnis buiten?",
        "Het is niet dringend: wie helpt een kast monteren?",
        "No emergency, just need a hand with a shelf.",
        "I'm not in debt, I just want to learn online banking.",
        "Pas urgent : qui peut changer une ampoule ?",
        "Je n'ai pas de dettes, je voudrais comprendre ma facture.",
        "Hij slaat me niet, hij is een schat. Wie helpt ons verhuizen?",
    ],
)
def test_a_negated_signal_is_light(text: str) -> None:
    assert level(text) == "light"


def test_negation_scopes_over_a_few_words_only_and_not_past_a_clause() -> None:
    assert level("Geen noodgeval, maar er zit overal schimmel in mijn slaapkamer.") == "heavy"
    assert level("No rush at all, but the bailiff came yesterday.") == "heavy"
    assert level("Ce n'est pas urgent mais l'huissier est passé hier.") == "heavy"
    # A negation far before the term does not reach it.
    assert level("Niet dringend hoor, ik vroeg het vorige week al, de deurwaarder komt morgen.") == "heavy"


def test_a_negation_that_is_the_need_itself_still_counts() -> None:
    assert level("We hebben al een week geen verwarming.") == "heavy"
    assert level("Je n'ai plus de chauffage depuis un mois.") == "heavy"
    assert level("My husband can't breathe.") == "crisis"
    assert level("Ik kan me niet meer zelf wassen.") == "heavy"
    assert level("Je ne peux plus me laver seule.") == "heavy"


# --- Inflections, compounds, accents, case -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We hebben een groot schimmelprobleem in de badkamer.", "housing"),
        ("Er zit badkamerschimmel op het plafond.", "housing"),
        ("Ik heb een huurachterstand van twee maanden.", "debt"),
        ("De gerechtsdeurwaarder stond aan de deur.", "debt"),
        ("DE DEURWAARDERS KOMEN MORGEN", "debt"),
        ("Il y a de la MOISISSURE partout.", "housing"),
        ("Il y a de la moisissure partout.", "housing"),
        ("Ma fille est déprimée depuis des mois.", "distress"),
        ("Ma fille est deprimee depuis des mois.", "distress"),
        ("Mijn werkloosheidsuitkering is geschorst.", "benefits"),
        ("She is being abused by her carer.", "violence"),
    ],
)
def test_word_forms_and_compounds_are_recognised(text: str, rule: str) -> None:
    result = triage(text=text, category="andere")
    assert rule in {r["rule"] for r in result.reasons}


def test_school_arrears_are_not_debt() -> None:
    assert level("Mijn zoon heeft een leerachterstand in wiskunde.", "huiswerk") == "light"
    assert level("Mijn dochter heeft een achterstand in lezen.", "huiswerk") == "light"


# --- Idioms and everyday uses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Ik sterf van de honger, wie haalt er frietjes?", "boodschappen"),
        ("Mijn plantjes gaan dood als niemand water geeft.", "planten"),
        ("Mijn hond was ziek maar is beter, wie laat hem uit?", "hond"),
        ("The party will be killer, who brings chairs?", "buurtfeest"),
        ("I'm dying to try the new bakery, could someone grab a loaf?", "boodschappen"),
        ("Je meurs de faim, qui m'achète un sandwich ?", "boodschappen"),
        ("Ik wil graag eens samen koffie drinken.", "samen"),
        ("Het buurtfeest was geweldig, wie helpt opruimen?", "buurtfeest"),
        ("Mijn fietsband is lek, wie plakt hem?", "andere"),
        ("The battery in my smoke alarm is dead.", "andere"),
    ],
)
def test_everyday_words_that_only_look_alarming_are_light(text: str, category: str) -> None:
    assert level(text, category) == "light"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Could someone give me a lift to the doctor?", "chauffeur"),
        ("Wie voert mij naar de dokter?", "chauffeur"),
        ("Qui peut me conduire chez le médecin ?", "chauffeur"),
        ("Kan iemand mijn medicijnen ophalen bij de apotheek?", "boodschappen"),
        ("Could someone collect my prescription from the pharmacy?", "boodschappen"),
        ("Pouvez-vous aller chercher mes médicaments à la pharmacie ?", "boodschappen"),
        ("Kan iemand de kinderen in bad doen?", "babysit"),
        ("Wie kan mijn auto wassen?", "andere"),
    ],
)
def test_a_ride_or_an_errand_is_not_care(text: str, category: str) -> None:
    assert level(text, category) == "light"


@pytest.mark.parametrize(
    "text",
    [
        "Wie kan mijn moeder elke avond haar medicatie geven?",
        "I need someone to give me my insulin injection every evening.",
        "Qui peut préparer le pilulier de mon père chaque semaine ?",
    ],
)
def test_giving_medication_is_heavy(text: str) -> None:
    assert level(text) == "heavy"


# --- Crisis ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ik zie het niet meer zitten en wil er een einde aan maken.",
        "Je ne veux plus vivre.",
        "I want to kill myself.",
        "Mijn man slaat me.",
        "Mon mari me frappe.",
        "My neighbour is lying on the floor and not answering.",
        "Ik ben gevallen en ik geraak niet meer recht.",
        "He has chest pain and can't breathe.",
        "Ma mère est inconsciente.",
    ],
)
def test_danger_to_life_or_safety_is_crisis(text: str) -> None:
    assert level(text) == "crisis"


# --- Categories, the requester's answers, extra terms ---------------------------------------------------------------


def test_documenten_looks_harder_at_forms() -> None:
    assert level("Wie helpt mij mijn pensioenaanvraag invullen?", "documenten") == "heavy"
    assert level("Ik moet bezwaar maken tegen een boete.", "documenten") == "heavy"
    # The same words in another category are not about a form.
    assert level("Sinds mijn pensioen verveel ik me, wie gaat mee wandelen?", "samen") == "light"
    # An ordinary form stays light.
    assert level("Wie helpt mij het inschrijvingsformulier van de muziekschool invullen?", "documenten") == "light"


def test_andere_is_triaged_on_its_text() -> None:
    assert level("Wie helpt een lamp ophangen?", "andere") == "light"
    assert level("De deurwaarder komt morgen.", "andere") == "heavy"


def test_the_sensitive_topic_answer_is_a_heavy_signal() -> None:
    result = triage(text="Wie helpt mij even?", category="andere", sensitive_topic=True)
    assert result.level == "heavy"
    assert {"rule": "sensitive_topic", "level": "heavy"} in result.reasons
    # It never lowers a crisis.
    assert triage(text="Mijn man slaat me.", category="andere", sensitive_topic=True).level == "crisis"


def test_urgent_raises_priority_but_never_the_level() -> None:
    light, light_urgent = (triage(text="Wie laat mijn hond uit?", category="hond", urgent=u) for u in (False, True))
    assert light.level == light_urgent.level == "light"
    assert light.priority == light_urgent.priority
    heavy, heavy_urgent = (triage(text="Schimmel in huis.", category="andere", urgent=u) for u in (False, True))
    assert heavy.level == heavy_urgent.level == "heavy"
    assert heavy_urgent.priority > heavy.priority
    crisis, crisis_urgent = (triage(text="Il me frappe.", category="andere", urgent=u) for u in (False, True))
    assert crisis.level == crisis_urgent.level == "crisis"
    assert crisis_urgent.priority > crisis.priority > heavy_urgent.priority


def test_extra_terms_match_like_the_builtins_and_say_so() -> None:
    extra = {"heavy": ["krotwoning", "tegenslag"], "crisis": ["brug van de E17"]}
    assert level("Wie helpt met mijn kamer?", extra_terms=extra) == "light"
    result = triage(text="Ik woon in een krotwoningen-blok.", category="andere", extra_terms=extra)
    assert result.level == "heavy"
    # The reason names the neighbourhood's term as its coordinators typed it, not the resident's word form.
    assert {"rule": "extra", "level": "heavy", "term": "krotwoning"} in result.reasons
    # Inflected, and at the end of a compound.
    assert level("Weer een grote tegenslagen gehad.", extra_terms=extra) == "heavy"
    assert level("Financiële-tegenslag deze maand.", extra_terms=extra) == "heavy"
    # Negated like the built-ins.
    assert level("Geen tegenslag hoor, wie helpt de tuin?", "tuin", extra_terms=extra) == "light"
    assert level("Ik sta op de brug van de E17.", extra_terms=extra) == "crisis"


def test_a_neighbourhoods_light_words_defuse_a_local_expression() -> None:
    text = "Wie helpt mee met de Schuldenberg-wandeling?"
    assert level(text, "samen") == "heavy"
    assert level(text, "samen", extra_terms={"light": ["schuldenberg-wandeling"]}) == "light"


def test_empty_or_odd_extra_terms_do_no_harm() -> None:
    extra = {"heavy": ["", "   ", "***", "re:.*"], "crisis": [], "other": ["x"]}
    assert level("Wie laat mijn hond uit?", "hond", extra_terms=extra) == "light"  # type: ignore[arg-type]


def test_it_handles_empty_and_very_long_text_fast_enough() -> None:
    assert triage(text="", category="andere").reasons == [{"rule": "unclear", "level": "heavy"}]
    long_text = "Wie helpt mij in de tuin? " * 400 + "Er zit schimmel in de kelder."
    assert triage(text=long_text, category="tuin").level == "heavy"


def test_reasons_are_json_and_name_the_lexicon_term() -> None:
    result = triage(text="Ik kreeg een brief van de deurwaarder.", category="documenten")
    assert json.loads(json.dumps(result.reasons)) == result.reasons
    assert {"rule": "debt", "level": "heavy", "term": "deurwaarder"} in result.reasons
    assert triage(text="Une lettre de l'huissier.", category="andere").reasons[0]["term"] == "huissier"


# --- History ---------------------------------------------------------------------------------------------------------


def test_history_adds_a_check_in_signal_only_past_the_threshold() -> None:
    assert history_reasons(requests_last_14_days=4, marked_for_follow_up=False) == []
    many = history_reasons(requests_last_14_days=5, marked_for_follow_up=False)
    assert many == [{"rule": "check_in", "signal": "many_requests", "count": 5, "days": 14}]
    marked = history_reasons(requests_last_14_days=0, marked_for_follow_up=True)
    assert marked == [{"rule": "check_in", "signal": "marked_for_follow_up"}]
    assert len(history_reasons(requests_last_14_days=9, marked_for_follow_up=True)) == 2


# --- Words for the coordinator ---------------------------------------------------------------------------------------


def test_reasons_are_described_in_the_active_language() -> None:
    reasons = [
        {"rule": "debt", "level": "heavy", "term": "huissier"},
        {"rule": "sensitive_topic", "level": "heavy"},
        {"rule": "extra", "level": "crisis", "term": "brug"},
        *history_reasons(requests_last_14_days=6, marked_for_follow_up=True),
    ]
    with translation.override("en"):
        en = describe_reasons(reasons)
    with translation.override("nl"):
        nl = describe_reasons(reasons)
    with translation.override("fr"):
        fr = describe_reasons(reasons)
    assert en[0] == 'Money trouble or debt ("huissier")'
    assert nl[0].startswith("Geldzorgen of schulden") and "huissier" in nl[0]
    assert fr[0].startswith("Problèmes d'argent ou dettes") and "huissier" in fr[0]
    assert "6" in en[3] and "6" in nl[3] and "6" in fr[3]
    for words in (nl, fr):
        assert all(a != b for a, b in zip(words, en, strict=True)), words
    # Stored text from before reason codes is shown as it is.
    assert describe_reasons(["debt or bailiff (huissier)"]) == ["debt or bailiff (huissier)"]


# --- The measuring command -------------------------------------------------------------------------------------------


def test_triage_eval_prints_the_figures_per_file_and_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.jsonl"
    path.write_text(
        '{"lang": "nl", "category": "andere", "text": "Er zit overal schimmel in de slaapkamer.", "level": "heavy"}\n'
        '{"lang": "en", "category": "hond", "text": "Could someone walk my dog on Saturday?", "level": "heavy"}\n'
        '{"lang": "en", "category": "planten", "text": "Could someone water my plants next week?", "level": "crisis"}\n'
        '{"lang": "tr", "category": "hond", "text": "Hafta sonu köpeğimi gezdirebilecek biri var mı?", "level": "light"}\n',
        encoding="utf-8",
    )
    call_command("triage_eval", str(path))
    out = capsys.readouterr().out
    assert "crisis → light: 1 of 1" in out
    assert "heavy+crisis kept from neighbours: 0.333" in out
    assert "light to neighbours: 0.000" in out
    assert "other languages to a coordinator first: 1 of 1" in out
    assert "precision" in out and "confusion" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:3] in ("en ", "nl ", "tr ")}
    assert rows["en"][1:4] == ["2", "1", "1"]  # two requests, one crisis, and it came out light
    assert rows["tr"][1] == "1"
    assert "line 3 [en planten] expected crisis, got light: Could someone water my plants next week?" in out
    assert "reasons: nothing raised it" in out
    assert "line 4 [tr hond] expected light, got heavy" in out
    assert "reasons: Written in Turkish: a coordinator reads it first" in out


def test_triage_eval_refuses_a_bad_file_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"category": "andere", "text": "x", "level": "medium"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.jsonl:1: level must be one of"):
        call_command("triage_eval", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("triage_eval", str(tmp_path / "missing.jsonl"))
