"""Training the learned safety net and choosing its thresholds (used by `manage.py triage_train`).

Thresholds are chosen on predictions for text the model did not learn from: the corpus is split by writer, a model is
fitted on the other writers and predicts the left-out one (leave-one-writer-out), and the whole triage (lexicon,
gates and model together) is scored on those predictions. Acceptance is measured on writers nobody tuned on, so
this is the honest stand-in for it.

1. Crisis threshold: the highest one at which the whole triage still recognises CRISIS_RECALL of the crisis
   requests written in the languages it reads (Dutch, French, English, mixed) as crisis, and the model by itself
   MODEL_CRISIS_RECALL of them. Requests in other languages go to a coordinator through the language gate whatever
   the model says; counting them here would only push the threshold down until light Dutch requests show the help
   lines.
2. Crisis threshold for requests the language gate stopped (other languages): the highest one, never above the
   first, at which the model by itself recognises CRISIS_RECALL_OTHER of the crisis requests in other languages as
   crisis. By itself: the other-language crisis words (`matching/lexicon/other_languages.py`) were written with
   these requests in view, so counting them here would flatter the net under them. A false crisis there costs
   little (a coordinator reads the request first anyway); a missed one costs the resident the help lines and the
   coordinators the alert.
3. Heavy threshold: with those crisis thresholds, the highest one at which the whole triage keeps KEPT of the heavy
   and crisis requests in the languages it reads from neighbours, and the model by itself MODEL_KEPT of them; a
   higher threshold sends more light requests to neighbours. (Round 1 counted every language here; requests in
   other languages are kept by the gate at any threshold, so with more of them in the corpus the threshold rose
   while Dutch, French and English heavy requests slipped to neighbours.)

Why "the model by itself" as well: the lexicon is repaired with this corpus in view, so the whole triage's
cross-validation figures flatter its lexicon part, and each repair would let the thresholds rise: the net would
loosen exactly as the rules get better on the corpus, and unseen wording is what the net is for. The floors keep
the net at least this wide whatever the lexicon catches.

Each fold also builds its own language-gate vocabulary (`matching.language.Vocabulary`) from the writers it trains
on, so a writer's dialect words are judged by a vocabulary that never saw them.

The targets carry a margin over the acceptance targets (0.90 and 0.95), because unseen writers score lower than
left-out ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching import classifier
from matching.classifier import CLASSES, Prediction, Thresholds
from matching.corpus import Example
from matching.language import DIALECT_WORDS, OTHER_WORDS, READ_LANGUAGES, Vocabulary, detect, vocabulary_words
from matching.lexicon import DEFUSERS, RULES
from matching.triage import MODEL_CRISIS_MIN_WORDS, count_words, decide, model_reasons, rule_reasons

CRISIS_RECALL = 0.95
CRISIS_RECALL_OTHER = 0.75
MODEL_CRISIS_RECALL = 0.80
MODEL_KEPT = 0.75
MODEL_CRISIS_KEPT = 0.92
KEPT = 0.975
C = 8.0
GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.01))


@dataclass(frozen=True)
class Figures:
    """The figures that count (DESIGN §4.2) for one set of predictions."""

    total: int
    crisis: int
    crisis_to_light: int
    crisis_recall: float
    crisis_precision: float
    kept: float  # heavy + crisis kept from neighbours
    light_to_neighbours: float

    def row(self) -> str:
        return (
            f"crisis→light {self.crisis_to_light:>3}   crisis recall {self.crisis_recall:.3f}   "
            f"crisis precision {self.crisis_precision:.3f}   kept {self.kept:.3f}   light to neighbours "
            f"{self.light_to_neighbours:.3f}"
        )


def figures(expected: Sequence[str], got: Sequence[str]) -> Figures:
    pairs = list(zip(expected, got, strict=True))
    crisis = [g for e, g in pairs if e == "crisis"]
    not_light = [g for e, g in pairs if e != "light"]
    light = [g for e, g in pairs if e == "light"]
    said_crisis = [e for e, g in pairs if g == "crisis"]

    def share(values: list[bool]) -> float:
        return sum(values) / len(values) if values else 1.0

    return Figures(
        total=len(pairs),
        crisis=len(crisis),
        crisis_to_light=sum(g == "light" for g in crisis),
        crisis_recall=share([g == "crisis" for g in crisis]),
        crisis_precision=share([e == "crisis" for e in said_crisis]),
        kept=share([g != "light" for g in not_light]),
        light_to_neighbours=share([g == "light" for g in light]),
    )


@dataclass
class CrossValidation:
    examples: list[Example]
    predictions: list[Prediction]
    rules: list[list[dict[str, Any]]]  # reasons of the raisers other than the model, per example
    thresholds: Thresholds
    chosen_by: dict[str, Figures] = field(default_factory=dict)
    gate: dict[str, int] = field(default_factory=dict)  # the language gate with each writer's words left out

    def levels(self, thresholds: Thresholds) -> list[str]:
        return [
            decide(
                r
                + model_reasons(
                    p,
                    thresholds,
                    words=count_words(e.text),
                    other_language=any(x["rule"] == "language" for x in r),
                )
            ).level
            if not any(x["rule"] == "unclear" for x in r)
            else decide(r).level
            for e, r, p in zip(self.examples, self.rules, self.predictions, strict=True)
        ]

    def model_crisis_recall(self, threshold: float, keep: Callable[[Example], bool]) -> float:
        """The share of the crisis requests that the model by itself calls crisis at this threshold."""
        crisis = [
            p.crisis >= threshold and count_words(e.text) >= MODEL_CRISIS_MIN_WORDS
            for e, p in zip(self.examples, self.predictions, strict=True)
            if e.level == "crisis" and keep(e)
        ]
        return sum(crisis) / len(crisis) if crisis else 1.0

    def model_crisis_kept(self, heavy: float, crisis_keep: float, keep: Callable[[Example], bool]) -> float:
        """The share of the crisis requests that the model by itself keeps from neighbours: heavy above `heavy`, or
        (a text long enough) a crisis score above `crisis_keep`."""
        kept = [
            p.not_light >= heavy or (p.crisis >= crisis_keep and count_words(e.text) >= MODEL_CRISIS_MIN_WORDS)
            for e, p in zip(self.examples, self.predictions, strict=True)
            if e.level == "crisis" and keep(e)
        ]
        return sum(kept) / len(kept) if kept else 1.0

    def model_kept(self, threshold: float, keep: Callable[[Example], bool]) -> float:
        """The share of the heavy and crisis requests that the model by itself keeps from neighbours."""
        kept = [
            p.not_light >= threshold
            for e, p in zip(self.examples, self.predictions, strict=True)
            if e.level != "light" and keep(e)
        ]
        return sum(kept) / len(kept) if kept else 1.0

    def figures(self, thresholds: Thresholds, keep: Callable[[Example], bool] = lambda e: True) -> Figures:
        levels = self.levels(thresholds)
        chosen = [(e.level, g) for e, g in zip(self.examples, levels, strict=True) if keep(e)]
        return figures([e for e, _ in chosen], [g for _, g in chosen])


def _by_writer(writer: str) -> Callable[[Example], bool]:
    return lambda example: example.writer == writer


def is_read(example: Example) -> bool:
    """Written in a language the lexicon reads (Dutch, French, English or a mix of them)."""
    return example.lang in READ_LANGUAGES or example.lang == "mixed"


def _other(example: Example) -> bool:
    return not is_read(example)


def lexicon_words() -> set[str]:
    """Every plain word the lexicon lists (terms, context and everyday words), for the language gate's vocabulary."""
    words: set[str] = set()
    for rule in RULES:
        for term in (*rule.terms, *rule.suppress, *rule.unless, *rule.needs):
            if term.startswith("re:"):
                continue
            for part in term.split():
                for alt in part.split("|"):
                    words.update(p for p in alt.strip("*?").split("_") if p.isalpha())
    for term in DEFUSERS:
        words.update(p for part in term.split() for alt in part.split("|") for p in alt.strip("*?").split("_"))
    return {w for w in words if w.isalpha()}


def vocabulary(examples: Sequence[Example]) -> Vocabulary:
    """The language gate's vocabulary from labelled examples, the lexicon and the dialect list."""
    return Vocabulary.build(
        ((e.lang, e.text) for e in examples), extra_read=lexicon_words() | DIALECT_WORDS, extra_other=OTHER_WORDS
    )


def fit(examples: Sequence[Example], *, thresholds: Thresholds, meta: dict[str, Any]) -> classifier.Model:
    return classifier.fit(
        [e.text for e in examples],
        [e.level for e in examples],
        thresholds=thresholds,
        c=C,
        meta=meta,
        vocabulary=vocabulary(examples),
    )


def _count_gate(gate: dict[str, int], example: Example, vocabulary: Vocabulary) -> None:
    """The language gate on one left-out example: a request in nl/fr/en/mixed that CLD2 alone would stop, is it read
    by the vocabulary? A request in another language, does it pass (and would it, were CLD2 unsure of every one)?"""
    words = vocabulary_words(example.text)
    if not words:
        return
    if is_read(example):
        if not detect(example.text).read:
            gate["unsure"] += 1
            gate["unsure_read"] += detect(example.text, vocabulary).read
    else:
        gate["other"] += 1
        gate["other_passed"] += detect(example.text, vocabulary).read
        gate["other_passed_if_unsure"] += vocabulary.reads(example.text)


def cross_validate(examples: list[Example], *, log: Callable[[str], None] = lambda s: None) -> CrossValidation:
    """Leave-one-writer-out predictions for every example with a writer, then the thresholds (module docstring)."""
    writers = sorted({e.writer for e in examples if e.writer})
    if len(writers) < 2:
        raise ValueError("cross-validation needs examples from at least two writers (the `writer` field)")
    predictions: list[Prediction | None] = [None] * len(examples)
    rules: list[list[dict[str, Any]] | None] = [None] * len(examples)
    gate = dict.fromkeys(("unsure", "unsure_read", "other", "other_passed", "other_passed_if_unsure"), 0)
    for writer in writers:
        train = [e for e in examples if e.writer != writer]
        held = [i for i, e in enumerate(examples) if e.writer == writer]
        log(f"  fold {writer}: training on {len(train)}, predicting {len(held)}")
        model = fit(train, thresholds=Thresholds(0.5, 0.5), meta={})
        for i, p in zip(held, model.predict_many([examples[i].text for i in held]), strict=True):
            predictions[i] = p
            rules[i] = rule_reasons(text=examples[i].text, category=examples[i].category, vocabulary=model.vocabulary)
            _count_gate(gate, examples[i], model.vocabulary)
    kept_idx = [i for i, p in enumerate(predictions) if p is not None]
    cv = CrossValidation(
        gate=gate,
        examples=[examples[i] for i in kept_idx],
        predictions=[p for p in predictions if p is not None],
        rules=[r for r in rules if r is not None],
        thresholds=Thresholds(0.5, 0.5),
    )
    crisis = max(
        (
            t
            for t in GRID
            if cv.figures(Thresholds(0.99, t, 0.99), is_read).crisis_recall >= CRISIS_RECALL
            and cv.model_crisis_recall(t, is_read) >= MODEL_CRISIS_RECALL
        ),
        default=GRID[0],
    )
    other = max(
        (t for t in GRID if t <= crisis and cv.model_crisis_recall(t, _other) >= CRISIS_RECALL_OTHER),
        default=GRID[0],
    )
    heavy = max(
        (
            t
            for t in GRID
            if cv.figures(Thresholds(t, crisis, other), is_read).kept >= KEPT
            and cv.model_kept(t, is_read) >= MODEL_KEPT
        ),
        default=GRID[0],
    )
    crisis_keep = max(
        (t for t in GRID if t <= crisis and cv.model_crisis_kept(heavy, t, is_read) >= MODEL_CRISIS_KEPT),
        default=GRID[0],
    )
    cv.thresholds = Thresholds(heavy=heavy, crisis=crisis, crisis_other=other, crisis_keep=crisis_keep)
    cv.chosen_by = {
        "all writers": cv.figures(cv.thresholds),
        "nl, fr, en and mixed": cv.figures(cv.thresholds, is_read),
        "other languages": cv.figures(cv.thresholds, _other),
        **{w: cv.figures(cv.thresholds, _by_writer(w)) for w in writers},
    }
    return cv


def raised_light(
    cv: CrossValidation, keep: Callable[[Example], bool] = is_read
) -> dict[str, list[tuple[Example, str]]]:
    """The light requests the whole triage keeps from neighbours at the chosen thresholds, grouped by the raiser that
    kept them (lexicon, model, unclear gate, language gate), each with why (the lexicon's term, the model's score,
    the language the gate named). A request two raisers kept is listed under both."""
    groups: dict[str, list[tuple[Example, str]]] = {"lexicon": [], "model": [], "unclear": [], "language": []}
    for example, rules, prediction in zip(cv.examples, cv.rules, cv.predictions, strict=True):
        if example.level != "light" or not keep(example):
            continue
        reasons = list(rules)
        if not any(r["rule"] == "unclear" for r in rules):
            reasons += model_reasons(
                prediction,
                cv.thresholds,
                words=count_words(example.text),
                other_language=any(r["rule"] == "language" for r in rules),
            )
        for reason in reasons:
            if reason.get("level") not in ("heavy", "crisis"):
                continue
            rule = str(reason["rule"])
            if rule in ("model", "unclear", "language"):
                why = {"model": f"{reason['level']} {reason.get('score')}", "language": str(reason.get("lang", ""))}
                groups[rule].append((example, why.get(rule, "")))
            else:
                groups["lexicon"].append((example, f"{rule} {reason['level']} {reason.get('term', '')}".strip()))
    return groups


def threshold_table(cv: CrossValidation) -> list[str]:
    """The figures around the chosen thresholds, for docs/triage.md."""
    lines = []
    t = cv.thresholds
    for heavy in sorted({round(t.heavy + d, 2) for d in (-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2)}):
        if 0 < heavy < 1:
            f = cv.figures(Thresholds(heavy, t.crisis, t.other, t.crisis_keep), is_read)
            alone = cv.model_kept(heavy, is_read)
            lines.append(f"heavy ≥ {heavy:.2f} (nl/fr/en/mixed): {f.row()}   model by itself: kept {alone:.3f}")
    for crisis in sorted({round(t.crisis + d, 2) for d in (-0.1, -0.05, 0, 0.05, 0.1)}):
        if 0 < crisis < 1:
            f = cv.figures(Thresholds(t.heavy, crisis, t.other, min(t.keep, crisis)), is_read)
            alone = cv.model_crisis_recall(crisis, is_read)
            lines.append(
                f"crisis ≥ {crisis:.2f} (nl/fr/en/mixed): {f.row()}   model by itself: crisis recall {alone:.3f}"
            )
    for other in sorted({round(t.other + d, 2) for d in (-0.1, -0.05, 0, 0.05, 0.1)}):
        if 0 < other < 1:
            f = cv.figures(Thresholds(t.heavy, t.crisis, other, t.crisis_keep), _other)
            alone = cv.model_crisis_recall(other, _other)
            lines.append(
                f"other ≥ {other:.2f} (other languages): {f.row()}   model by itself: crisis recall {alone:.3f}"
            )
    for crisis_keep in sorted({round(t.keep + d, 2) for d in (-0.1, -0.05, 0, 0.05, 0.1)}):
        if 0 < crisis_keep < 1:
            f = cv.figures(Thresholds(t.heavy, t.crisis, t.other, crisis_keep), is_read)
            alone = cv.model_crisis_kept(t.heavy, crisis_keep, is_read)
            lines.append(
                f"keep ≥ {crisis_keep:.2f} (nl/fr/en/mixed): {f.row()}   model by itself: crisis kept {alone:.3f}"
            )
    return lines


__all__ = [
    "CLASSES",
    "CrossValidation",
    "Figures",
    "cross_validate",
    "figures",
    "fit",
    "raised_light",
    "threshold_table",
]
