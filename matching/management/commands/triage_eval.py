"""Measure triage against labelled examples: `manage.py triage_eval [PATH ...]`.

Each file is JSON Lines with `lang`, `category`, `text` and `level` (light / heavy / crisis), like
`shared/examples/triage-sample.jsonl` (the default). Prints, per file and per language: recall and precision per
level, how many crisis requests came out light, the share of heavy and crisis requests kept from neighbours, the
share of light requests still going to neighbours, the share of requests in languages the lexicon does not read that
went to a coordinator first, the confusion matrix, and every miss with the reasons of each raiser. A file that cannot
be read or a line that is not valid gives a clear message and exit code 1; otherwise the exit code is 0.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from burenhulp.core.shared import shared_dir
from matching.corpus import CorpusError, Example
from matching.corpus import load_examples as _load
from matching.language import READ_LANGUAGES
from matching.triage import LEVELS, describe_reasons, triage

DEFAULT_PATH = shared_dir() / "examples" / "triage-sample.jsonl"


def load_examples(path: Path) -> list[Example]:
    try:
        return _load(path)
    except CorpusError as exc:
        raise CommandError(str(exc)) from exc


@dataclass
class Scores:
    total: int
    confusion: Counter[tuple[str, str]]
    misses: list[tuple[Example, str, list[Any]]]
    seconds: float

    def support(self, level: str) -> int:
        return sum(n for (a, _), n in self.confusion.items() if a == level)

    def recall(self, level: str) -> float | None:
        actual = self.support(level)
        return self.confusion[(level, level)] / actual if actual else None

    def precision(self, level: str) -> float | None:
        predicted = sum(n for (_, p), n in self.confusion.items() if p == level)
        return self.confusion[(level, level)] / predicted if predicted else None

    def not_light_recall(self) -> float | None:
        """Heavy and crisis kept from neighbours (the error that harms people)."""
        actual = sum(n for (a, _), n in self.confusion.items() if a != "light")
        kept = sum(n for (a, p), n in self.confusion.items() if a != "light" and p != "light")
        return kept / actual if actual else None

    def light_to_neighbours(self) -> float | None:
        return self.recall("light")

    def crisis_to_light(self) -> int:
        return self.confusion[("crisis", "light")]


@dataclass
class Evaluation:
    overall: Scores
    per_language: dict[str, Scores]
    others_to_coordinator: tuple[int, int]  # requests in languages the lexicon does not read: (to a coordinator, all)


def _score(rows: Sequence[tuple[Example, str, list[Any]]], seconds: float) -> Scores:
    confusion: Counter[tuple[str, str]] = Counter()
    misses = []
    for ex, got, reasons in rows:
        confusion[(ex.level, got)] += 1
        if got != ex.level:
            misses.append((ex, got, reasons))
    return Scores(len(rows), confusion, misses, seconds)


def evaluate(examples: list[Example]) -> Scores:
    return evaluate_all(examples).overall


def evaluate_all(examples: list[Example]) -> Evaluation:
    rows: list[tuple[Example, str, list[Any]]] = []
    started = time.perf_counter()
    for ex in examples:
        result = triage(text=ex.text, category=ex.category)
        rows.append((ex, result.level, result.reasons))
    seconds = time.perf_counter() - started
    languages = sorted({ex.lang for ex in examples})
    others = [got for ex, got, _ in rows if ex.lang not in READ_LANGUAGES and ex.lang != "mixed"]
    return Evaluation(
        overall=_score(rows, seconds),
        per_language={lang: _score([r for r in rows if r[0].lang == lang], 0.0) for lang in languages},
        others_to_coordinator=(sum(g != "light" for g in others), len(others)),
    )


def _num(value: float | None) -> str:
    return "    –" if value is None else f"{value:5.3f}"


class Command(BaseCommand):
    help = "Measure triage on labelled JSONL examples (lang, category, text, level), per file and per language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help=f"JSONL files (default: {DEFAULT_PATH})")
        parser.add_argument("--no-misses", action="store_true", help="leave out the list of misses")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"] or [DEFAULT_PATH]
        for path in paths:
            with translation.override("en"):
                self.report(path, evaluate_all(load_examples(path)), misses=not options["no_misses"])

    def report(self, path: Path, ev: Evaluation, *, misses: bool = True) -> None:
        out = self.stdout.write
        s = ev.overall
        out(f"\n=== {path}  ({s.total} requests)")
        out(
            f"crisis → light: {s.crisis_to_light()} of {s.support('crisis')}   "
            f"heavy+crisis kept from neighbours: {_num(s.not_light_recall())}   "
            f"light to neighbours: {_num(s.light_to_neighbours())}   "
            f"other languages to a coordinator first: {ev.others_to_coordinator[0]} of {ev.others_to_coordinator[1]}"
        )
        out(f"\n{'level':<10}{'support':>8}{'precision':>11}{'recall':>9}")
        for level in LEVELS:
            out(f"{level:<10}{s.support(level):>8}{_num(s.precision(level)):>11}{_num(s.recall(level)):>9}")
        out("\nconfusion (rows: expected, columns: triage)")
        out(f"{'':<10}" + "".join(f"{lv:>8}" for lv in LEVELS))
        for actual in LEVELS:
            out(f"{actual:<10}" + "".join(f"{s.confusion[(actual, p)]:>8}" for p in LEVELS))
        out("\nper language")
        out(
            f"{'lang':<6}{'n':>5}{'crisis':>7}{'c→light':>8}{'c.rec':>7}{'c.prec':>7}{'h.rec':>7}{'h.prec':>7}"
            f"{'l.rec':>7}{'l.prec':>7}{'kept':>7}{'light→nb':>9}"
        )
        for lang, ls in ev.per_language.items():
            out(
                f"{lang:<6}{ls.total:>5}{ls.support('crisis'):>7}{ls.crisis_to_light():>8}"
                f"{_num(ls.recall('crisis')):>7}{_num(ls.precision('crisis')):>7}"
                f"{_num(ls.recall('heavy')):>7}{_num(ls.precision('heavy')):>7}"
                f"{_num(ls.recall('light')):>7}{_num(ls.precision('light')):>7}"
                f"{_num(ls.not_light_recall()):>7}{_num(ls.light_to_neighbours()):>9}"
            )
        accuracy = sum(s.confusion[(lv, lv)] for lv in LEVELS) / s.total
        out(f"\naccuracy {accuracy:.3f}   {s.seconds * 1000 / s.total:.3f} ms per request")
        if not misses:
            return
        if s.misses:
            out(f"\nmisses ({len(s.misses)}):")
            for ex, got, reasons in sorted(s.misses, key=lambda m: (-LEVELS.index(m[0].level), m[0].line)):
                words = "; ".join(describe_reasons(reasons)) or "nothing raised it"
                out(f"  line {ex.line} [{ex.lang} {ex.category}] expected {ex.level}, got {got}: {ex.text}")
                out(f"      reasons: {words}")
        else:
            out("\nmisses: none")
