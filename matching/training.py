"""Training the learned safety net and choosing its thresholds (used by `manage.py triage_train`).

Thresholds are chosen on predictions for text the model did not learn from: the corpus is split by writer, a model is
fitted on the other writers and predicts the left-out one (leave-one-writer-out), and the whole triage (lexicon,
gates and model together) is scored on those predictions. Acceptance is measured on writers nobody tuned on, so
this is the honest stand-in for it.

1. Crisis threshold: the highest one at which the whole triage still recognises CRISIS_RECALL of the crisis
   requests written in the languages it reads (Dutch, French, English, mixed) as crisis. Requests in other languages
   go to a coordinator through the language gate whatever the model says; counting them here would only push the
   threshold down until light Dutch requests show the help lines.
2. Heavy threshold: with that crisis threshold, the highest one at which the whole triage keeps KEPT of the heavy
   and crisis requests from neighbours; a higher threshold sends more light requests to neighbours.

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
from matching.language import READ_LANGUAGES
from matching.triage import count_words, decide, model_reasons, rule_reasons

CRISIS_RECALL = 0.95
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

    def levels(self, thresholds: Thresholds) -> list[str]:
        return [
            decide(r + model_reasons(p, thresholds, words=count_words(e.text))).level
            for e, r, p in zip(self.examples, self.rules, self.predictions, strict=True)
        ]

    def figures(self, thresholds: Thresholds, keep: Callable[[Example], bool] = lambda e: True) -> Figures:
        levels = self.levels(thresholds)
        chosen = [(e.level, g) for e, g in zip(self.examples, levels, strict=True) if keep(e)]
        return figures([e for e, _ in chosen], [g for _, g in chosen])


def _by_writer(writer: str) -> Callable[[Example], bool]:
    return lambda example: example.writer == writer


def _read(example: Example) -> bool:
    return example.lang in READ_LANGUAGES or example.lang == "mixed"


def fit(examples: Sequence[Example], *, thresholds: Thresholds, meta: dict[str, Any]) -> classifier.Model:
    return classifier.fit(
        [e.text for e in examples], [e.level for e in examples], thresholds=thresholds, c=C, meta=meta
    )


def cross_validate(examples: list[Example], *, log: Callable[[str], None] = lambda s: None) -> CrossValidation:
    """Leave-one-writer-out predictions for every example with a writer, then the thresholds (module docstring)."""
    writers = sorted({e.writer for e in examples if e.writer})
    if len(writers) < 2:
        raise ValueError("cross-validation needs examples from at least two writers (the `writer` field)")
    predictions: list[Prediction | None] = [None] * len(examples)
    for writer in writers:
        train = [e for e in examples if e.writer != writer]
        held = [i for i, e in enumerate(examples) if e.writer == writer]
        log(f"  fold {writer}: training on {len(train)}, predicting {len(held)}")
        model = fit(train, thresholds=Thresholds(0.5, 0.5), meta={})
        for i, p in zip(held, model.predict_many([examples[i].text for i in held]), strict=True):
            predictions[i] = p
    kept_idx = [i for i, p in enumerate(predictions) if p is not None]
    cv_examples = [examples[i] for i in kept_idx]
    cv = CrossValidation(
        examples=cv_examples,
        predictions=[p for p in predictions if p is not None],
        rules=[rule_reasons(text=e.text, category=e.category) for e in cv_examples],
        thresholds=Thresholds(0.5, 0.5),
    )
    crisis = max(
        (t for t in GRID if cv.figures(Thresholds(0.99, t), _read).crisis_recall >= CRISIS_RECALL),
        default=GRID[0],
    )
    heavy = max((t for t in GRID if cv.figures(Thresholds(t, crisis)).kept >= KEPT), default=GRID[0])
    cv.thresholds = Thresholds(heavy=heavy, crisis=crisis)
    cv.chosen_by = {
        "all writers": cv.figures(cv.thresholds),
        "nl, fr, en and mixed": cv.figures(cv.thresholds, _read),
        **{w: cv.figures(cv.thresholds, _by_writer(w)) for w in writers},
    }
    return cv


def threshold_table(cv: CrossValidation) -> list[str]:
    """The figures around the chosen thresholds, for docs/triage.md."""
    lines = []
    for heavy in sorted({round(cv.thresholds.heavy + d, 2) for d in (-0.2, -0.1, -0.05, 0, 0.05, 0.1, 0.2)}):
        if 0 < heavy < 1:
            f = cv.figures(Thresholds(heavy, cv.thresholds.crisis))
            lines.append(f"heavy ≥ {heavy:.2f} (crisis ≥ {cv.thresholds.crisis:.2f}): {f.row()}")
    for crisis in sorted({round(cv.thresholds.crisis + d, 2) for d in (-0.1, -0.05, 0, 0.05, 0.1)}):
        if 0 < crisis < 1:
            f = cv.figures(Thresholds(cv.thresholds.heavy, crisis), _read)
            lines.append(f"crisis ≥ {crisis:.2f} (heavy ≥ {cv.thresholds.heavy:.2f}, nl/fr/en/mixed): {f.row()}")
    return lines


__all__ = ["CLASSES", "CrossValidation", "Figures", "cross_validate", "figures", "fit", "threshold_table"]
